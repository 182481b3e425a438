/**
 * Neighbour messages: struct ndmsg + NDA_* (RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH). The same
 * messages carry ARP/NDP entries and, with family AF_BRIDGE, bridge and VXLAN FDB entries.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, nest, struct, type SetValues, type StructValue } from '../schema.js';

export const ndmsg = struct(
  'ndmsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
    ['ifindex', 's32'],
    ['state', 'u16'],
    ['flags', 'u8'],
    ['type', 'u8'],
  ],
  12,
);
export type NdMsg = StructValue<typeof ndmsg.fields>;

/** struct nda_cacheinfo (NDA_CACHEINFO): ages in clock ticks (USER_HZ). */
export const ndaCacheinfo = struct(
  'nda_cacheinfo',
  [
    ['confirmed', 'u32'],
    ['used', 'u32'],
    ['updated', 'u32'],
    ['refcnt', 'u32'],
  ],
  16,
);

/** NDA_FDB_EXT_ATTRS (bridge FDB activity notification). */
export const fdbExtAttrs = attrs('NFEA', {
  activityNotify: [C.NFEA_ACTIVITY_NOTIFY, 'u8'],
  dontRefresh: [C.NFEA_DONT_REFRESH, 'flag'],
});

export const neighbourAttrs = attrs('NDA', {
  dst: [C.NDA_DST, 'ip'],
  // Any length: 6 for Ethernet, 4 or 16 for IP tunnels, 0 on devices without an address.
  lladdr: [C.NDA_LLADDR, 'mac'],
  cacheinfo: [C.NDA_CACHEINFO, ndaCacheinfo],
  probes: [C.NDA_PROBES, 'u32'],
  vlan: [C.NDA_VLAN, 'u16'],
  port: [C.NDA_PORT, 'be16'],
  // VXLAN sends the VNI in host order (be32_to_cpu), unlike the port.
  vni: [C.NDA_VNI, 'u32'],
  ifindex: [C.NDA_IFINDEX, 'u32'],
  master: [C.NDA_MASTER, 'u32'],
  linkNetnsid: [C.NDA_LINK_NETNSID, 's32'],
  srcVni: [C.NDA_SRC_VNI, 'u32'],
  protocol: [C.NDA_PROTOCOL, 'u8'],
  nhId: [C.NDA_NH_ID, 'u32'],
  fdbExtAttrs: [C.NDA_FDB_EXT_ATTRS, nest(fdbExtAttrs), { nestedFlag: true }],
  flagsExt: [C.NDA_FLAGS_EXT, 'u32'],
  ndmStateMask: [C.NDA_NDM_STATE_MASK, 'u16'],
  ndmFlagsMask: [C.NDA_NDM_FLAGS_MASK, 'u8'],
});
export type NeighbourAttrs = SetValues<typeof neighbourAttrs>;

export const neighbourMessages: MessageDef = {
  family: 'neighbour',
  types: {
    [C.RTM_NEWNEIGH]: 'RTM_NEWNEIGH',
    [C.RTM_DELNEIGH]: 'RTM_DELNEIGH',
    [C.RTM_GETNEIGH]: 'RTM_GETNEIGH',
  },
  header: ndmsg,
  attrs: neighbourAttrs,
};
