/** Decoding: an RTM_NEWLINK message as a Link. */
import * as C from '../../codec/constants/index.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import type { IfInfoMsg, LinkAttrs } from '../../codec/rtnl/link/index.js';
import { linkFlagNames } from '../common.js';
import { readKindOptions, type LinkKind } from '../link-kinds.js';
import type { Link } from './types.js';

/** Shared by every link without alternative names (frozen). */
const NO_NAMES = Object.freeze([]) as unknown as string[];

export function toLink(m: NetlinkMessage): Link {
  const h = m.body as IfInfoMsg;
  const a = m.attrs as LinkAttrs;
  const flags = h.flags ?? 0;
  const link: Link = {
    index: h.index ?? 0,
    name: a.ifname ?? '',
    flags: linkFlagNames(flags),
    up: (flags & C.IFF_UP) !== 0,
    operstate: typeof a.operstate === 'string' ? a.operstate : String(a.operstate ?? 'UNKNOWN'),
    altNames: a.propList?.altIfname ?? NO_NAMES,
    type: h.type ?? 0,
    header: h,
    attrs: a,
  };
  const info = a.linkinfo;
  if (info?.kind !== undefined) {
    link.kind = info.kind as LinkKind;
    const read = info.data === undefined ? undefined : readKindOptions(info.kind, info.data);
    if (read) (link as unknown as Record<string, unknown>)[read[0]] = read[1];
  }
  if (info?.slaveKind !== undefined) link.slaveKind = info.slaveKind;
  if (a.mtu !== undefined) link.mtu = a.mtu;
  if (a.minMtu !== undefined) link.minMtu = a.minMtu;
  if (a.maxMtu !== undefined) link.maxMtu = a.maxMtu;
  if (a.address !== undefined) link.address = a.address;
  if (a.broadcast !== undefined) link.broadcast = a.broadcast;
  if (a.permAddress !== undefined) link.permAddress = a.permAddress;
  if (a.master !== undefined) link.master = a.master;
  if (a.link !== undefined) link.link = a.link;
  if (a.linkNetnsid !== undefined) link.linkNetnsid = a.linkNetnsid;
  if (a.txqlen !== undefined) link.txqlen = a.txqlen;
  if (a.group !== undefined) link.group = a.group;
  if (a.ifalias !== undefined) link.alias = a.ifalias;
  if (a.qdisc !== undefined) link.qdisc = a.qdisc;
  return link;
}
