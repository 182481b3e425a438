/**
 * ethtool generic netlink messages: which attribute set each command carries.
 *
 * The family's id is assigned at boot (resolved with CTRL_CMD_GETFAMILY "ethtool"); the genl
 * `cmd` then selects the attribute set. Requests (user -> kernel) and replies/notifications
 * (kernel -> user) number their commands separately (ETHTOOL_MSG_* user and kernel enums), and
 * the same number means different messages in the two directions (13 is PRIVFLAGS_GET going in
 * and FEATURES_NTF coming out), so there is one table per direction.
 */
import * as C from '../constants/index.js';
import { genlFamily } from '../genl/ctrl.js';
import { attrs, nest, type AttrSetDef } from '../schema.js';
import {
  channelsAttrs,
  coalesceAttrs,
  debugAttrs,
  eeeAttrs,
  featuresAttrs,
  fecAttrs,
  headerAttrs,
  linkinfoAttrs,
  linkmodesAttrs,
  linkstateAttrs,
  pauseAttrs,
  privflagsAttrs,
  ringsAttrs,
  statsAttrs,
  strsetAttrs,
  tsinfoAttrs,
  wolAttrs,
} from './attrs.js';

/** The generic netlink family name ethtool registers, and the version it speaks. */
export const ETHTOOL_GENL_NAME = 'ethtool';
export { ETHTOOL_GENL_VERSION } from '../constants/ethtool_netlink.js';
/** ethtool's multicast group for notifications (ETHTOOL_MCGRP_MONITOR_NAME). */
export const ETHTOOL_MCGRP_MONITOR = 'monitor';

export interface EthtoolCommand {
  /** The kernel's name, e.g. ETHTOOL_MSG_FEATURES_GET. */
  name: string;
  attrs: AttrSetDef;
}

const cmd = (name: string, attrs: AttrSetDef): EthtoolCommand => ({ name, attrs });

/** Requests, by user-side command number (ETHTOOL_MSG_*_GET/SET). */
export const ethtoolRequests: Readonly<Record<number, EthtoolCommand>> = {
  [C.ETHTOOL_MSG_STRSET_GET]: cmd('ETHTOOL_MSG_STRSET_GET', strsetAttrs),
  [C.ETHTOOL_MSG_LINKINFO_GET]: cmd('ETHTOOL_MSG_LINKINFO_GET', linkinfoAttrs),
  [C.ETHTOOL_MSG_LINKINFO_SET]: cmd('ETHTOOL_MSG_LINKINFO_SET', linkinfoAttrs),
  [C.ETHTOOL_MSG_LINKMODES_GET]: cmd('ETHTOOL_MSG_LINKMODES_GET', linkmodesAttrs),
  [C.ETHTOOL_MSG_LINKMODES_SET]: cmd('ETHTOOL_MSG_LINKMODES_SET', linkmodesAttrs),
  [C.ETHTOOL_MSG_LINKSTATE_GET]: cmd('ETHTOOL_MSG_LINKSTATE_GET', linkstateAttrs),
  [C.ETHTOOL_MSG_DEBUG_GET]: cmd('ETHTOOL_MSG_DEBUG_GET', debugAttrs),
  [C.ETHTOOL_MSG_DEBUG_SET]: cmd('ETHTOOL_MSG_DEBUG_SET', debugAttrs),
  [C.ETHTOOL_MSG_WOL_GET]: cmd('ETHTOOL_MSG_WOL_GET', wolAttrs),
  [C.ETHTOOL_MSG_WOL_SET]: cmd('ETHTOOL_MSG_WOL_SET', wolAttrs),
  [C.ETHTOOL_MSG_FEATURES_GET]: cmd('ETHTOOL_MSG_FEATURES_GET', featuresAttrs),
  [C.ETHTOOL_MSG_FEATURES_SET]: cmd('ETHTOOL_MSG_FEATURES_SET', featuresAttrs),
  [C.ETHTOOL_MSG_PRIVFLAGS_GET]: cmd('ETHTOOL_MSG_PRIVFLAGS_GET', privflagsAttrs),
  [C.ETHTOOL_MSG_PRIVFLAGS_SET]: cmd('ETHTOOL_MSG_PRIVFLAGS_SET', privflagsAttrs),
  [C.ETHTOOL_MSG_RINGS_GET]: cmd('ETHTOOL_MSG_RINGS_GET', ringsAttrs),
  [C.ETHTOOL_MSG_RINGS_SET]: cmd('ETHTOOL_MSG_RINGS_SET', ringsAttrs),
  [C.ETHTOOL_MSG_CHANNELS_GET]: cmd('ETHTOOL_MSG_CHANNELS_GET', channelsAttrs),
  [C.ETHTOOL_MSG_CHANNELS_SET]: cmd('ETHTOOL_MSG_CHANNELS_SET', channelsAttrs),
  [C.ETHTOOL_MSG_COALESCE_GET]: cmd('ETHTOOL_MSG_COALESCE_GET', coalesceAttrs),
  [C.ETHTOOL_MSG_COALESCE_SET]: cmd('ETHTOOL_MSG_COALESCE_SET', coalesceAttrs),
  [C.ETHTOOL_MSG_PAUSE_GET]: cmd('ETHTOOL_MSG_PAUSE_GET', pauseAttrs),
  [C.ETHTOOL_MSG_PAUSE_SET]: cmd('ETHTOOL_MSG_PAUSE_SET', pauseAttrs),
  [C.ETHTOOL_MSG_EEE_GET]: cmd('ETHTOOL_MSG_EEE_GET', eeeAttrs),
  [C.ETHTOOL_MSG_EEE_SET]: cmd('ETHTOOL_MSG_EEE_SET', eeeAttrs),
  [C.ETHTOOL_MSG_TSINFO_GET]: cmd('ETHTOOL_MSG_TSINFO_GET', tsinfoAttrs),
  [C.ETHTOOL_MSG_FEC_GET]: cmd('ETHTOOL_MSG_FEC_GET', fecAttrs),
  [C.ETHTOOL_MSG_FEC_SET]: cmd('ETHTOOL_MSG_FEC_SET', fecAttrs),
  [C.ETHTOOL_MSG_STATS_GET]: cmd('ETHTOOL_MSG_STATS_GET', statsAttrs),
};

/** Replies and notifications, by kernel-side command number (ETHTOOL_MSG_*_REPLY/_NTF). */
export const ethtoolReplies: Readonly<Record<number, EthtoolCommand>> = {
  [C.ETHTOOL_MSG_STRSET_GET_REPLY]: cmd('ETHTOOL_MSG_STRSET_GET_REPLY', strsetAttrs),
  [C.ETHTOOL_MSG_LINKINFO_GET_REPLY]: cmd('ETHTOOL_MSG_LINKINFO_GET_REPLY', linkinfoAttrs),
  [C.ETHTOOL_MSG_LINKINFO_NTF]: cmd('ETHTOOL_MSG_LINKINFO_NTF', linkinfoAttrs),
  [C.ETHTOOL_MSG_LINKMODES_GET_REPLY]: cmd('ETHTOOL_MSG_LINKMODES_GET_REPLY', linkmodesAttrs),
  [C.ETHTOOL_MSG_LINKMODES_NTF]: cmd('ETHTOOL_MSG_LINKMODES_NTF', linkmodesAttrs),
  [C.ETHTOOL_MSG_LINKSTATE_GET_REPLY]: cmd('ETHTOOL_MSG_LINKSTATE_GET_REPLY', linkstateAttrs),
  [C.ETHTOOL_MSG_DEBUG_GET_REPLY]: cmd('ETHTOOL_MSG_DEBUG_GET_REPLY', debugAttrs),
  [C.ETHTOOL_MSG_DEBUG_NTF]: cmd('ETHTOOL_MSG_DEBUG_NTF', debugAttrs),
  [C.ETHTOOL_MSG_WOL_GET_REPLY]: cmd('ETHTOOL_MSG_WOL_GET_REPLY', wolAttrs),
  [C.ETHTOOL_MSG_WOL_NTF]: cmd('ETHTOOL_MSG_WOL_NTF', wolAttrs),
  [C.ETHTOOL_MSG_FEATURES_GET_REPLY]: cmd('ETHTOOL_MSG_FEATURES_GET_REPLY', featuresAttrs),
  [C.ETHTOOL_MSG_FEATURES_SET_REPLY]: cmd('ETHTOOL_MSG_FEATURES_SET_REPLY', featuresAttrs),
  [C.ETHTOOL_MSG_FEATURES_NTF]: cmd('ETHTOOL_MSG_FEATURES_NTF', featuresAttrs),
  [C.ETHTOOL_MSG_PRIVFLAGS_GET_REPLY]: cmd('ETHTOOL_MSG_PRIVFLAGS_GET_REPLY', privflagsAttrs),
  [C.ETHTOOL_MSG_PRIVFLAGS_NTF]: cmd('ETHTOOL_MSG_PRIVFLAGS_NTF', privflagsAttrs),
  [C.ETHTOOL_MSG_RINGS_GET_REPLY]: cmd('ETHTOOL_MSG_RINGS_GET_REPLY', ringsAttrs),
  [C.ETHTOOL_MSG_RINGS_NTF]: cmd('ETHTOOL_MSG_RINGS_NTF', ringsAttrs),
  [C.ETHTOOL_MSG_CHANNELS_GET_REPLY]: cmd('ETHTOOL_MSG_CHANNELS_GET_REPLY', channelsAttrs),
  [C.ETHTOOL_MSG_CHANNELS_NTF]: cmd('ETHTOOL_MSG_CHANNELS_NTF', channelsAttrs),
  [C.ETHTOOL_MSG_COALESCE_GET_REPLY]: cmd('ETHTOOL_MSG_COALESCE_GET_REPLY', coalesceAttrs),
  [C.ETHTOOL_MSG_COALESCE_NTF]: cmd('ETHTOOL_MSG_COALESCE_NTF', coalesceAttrs),
  [C.ETHTOOL_MSG_PAUSE_GET_REPLY]: cmd('ETHTOOL_MSG_PAUSE_GET_REPLY', pauseAttrs),
  [C.ETHTOOL_MSG_PAUSE_NTF]: cmd('ETHTOOL_MSG_PAUSE_NTF', pauseAttrs),
  [C.ETHTOOL_MSG_EEE_GET_REPLY]: cmd('ETHTOOL_MSG_EEE_GET_REPLY', eeeAttrs),
  [C.ETHTOOL_MSG_EEE_NTF]: cmd('ETHTOOL_MSG_EEE_NTF', eeeAttrs),
  [C.ETHTOOL_MSG_TSINFO_GET_REPLY]: cmd('ETHTOOL_MSG_TSINFO_GET_REPLY', tsinfoAttrs),
  [C.ETHTOOL_MSG_FEC_GET_REPLY]: cmd('ETHTOOL_MSG_FEC_GET_REPLY', fecAttrs),
  [C.ETHTOOL_MSG_FEC_NTF]: cmd('ETHTOOL_MSG_FEC_NTF', fecAttrs),
  [C.ETHTOOL_MSG_STATS_GET_REPLY]: cmd('ETHTOOL_MSG_STATS_GET_REPLY', statsAttrs),
};

/**
 * One attribute set per command number, for a message table that selects by `cmd` alone (the
 * generic netlink table does): the replies' and notifications' sets, and the requests' where no
 * reply uses the number. Where the two directions disagree, the request is a GET that carries
 * only the header (attribute 1 in every set), so it encodes the same either way; a test checks
 * this for every request.
 */
export const ethtoolCmds: Readonly<Record<number, AttrSetDef>> = Object.fromEntries([
  ...Object.entries(ethtoolRequests).map(([n, c]) => [n, c.attrs] as const),
  ...Object.entries(ethtoolReplies).map(([n, c]) => [n, c.attrs] as const),
]);

/** The set of a command rtnl does not type: its header is known, the rest is kept raw. */
export const ethtoolUntypedAttrs = attrs('ETHTOOL_A_UNTYPED', {
  header: [1, nest(headerAttrs), { nestedFlag: true }],
});

/**
 * The ethtool generic netlink family for the NETLINK_GENERIC table (`resolveFamily(nl,
 * 'ethtool', ethtoolFamily)` registers it under the id the kernel gave it).
 */
export const ethtoolFamily = genlFamily({ name: ETHTOOL_GENL_NAME, attrs: ethtoolUntypedAttrs, cmds: ethtoolCmds });
