/**
 * rtnl/codec: the pure netlink codec. Bytes in, typed messages out, and back, with no I/O.
 *
 * ```ts
 * import { decode, encode } from 'rtnl/codec';
 * const [msg] = decode(bytes);            // { type: 'RTM_NEWLINK', header, body, attrs }
 * encode(msg);                            // the same bytes
 * ```
 */
import type * as C from './constants/index.js';
import { constantEntries } from './enums.js';
import { messages } from './messages.js';
import type { NetlinkMessage } from './nlmsg.js';

/**
 * Decode every NETLINK_ROUTE message in a buffer (the `messages` table). Malformed input raises
 * DecodeError. Generic netlink bytes decode with `genlMessages.decode()`.
 */
export function decode(bytes: Uint8Array): NetlinkMessage[] {
  return messages.decode(bytes);
}

/** Encode one message, or several back to back. The byte-exact inverse of decode(). */
export function encode(message: NetlinkMessage | NetlinkMessage[]): Uint8Array {
  return messages.encode(message);
}

export { messages } from './messages.js';
export { decodeAttrs, encodeAttrs } from './attrs.js';
export { MessageTable } from './nlmsg.js';
export type {
  NetlinkMessage,
  NlMsgHeader,
  ErrorMessage,
  ErrorBody,
  DoneMessage,
  MessageDef,
  MessageShape,
  MessageTableOptions,
} from './nlmsg.js';
export {
  genlMessages,
  genlFamily,
  genlMessageDef,
  genlmsghdr,
  ctrlAttrs,
  ctrlOpAttrs,
  ctrlMcastGrpAttrs,
  ctrlPolicyAttrs,
  policyTypeAttrs,
  nlctrl,
  type GenlFamilyDef,
  type GenlMsgHdr,
  type CtrlAttrs,
  splitAttrs,
  joinAttrs,
  genlRawBody,
  parseGenlRaw,
  type GenlRawAttr,
  type GenlRawMessage,
} from './genl/index.js';
export { Writer, attrPathAt, type AttrMarks } from './writer.js';
export { LAYOUT, NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './compile.js';
export * from './schema.js';
/**
 * Every kernel constant the codec knows, by its uapi name: `constants.IFLA_IFNAME`. A plain frozen
 * object built from the generated table (a namespace re-export would cost every importer of rtnl,
 * not only of rtnl/codec, about 3 ms of start-up in the bundled build).
 */
export const constants: typeof C = Object.freeze(Object.fromEntries(constantEntries())) as unknown as typeof C;
export { enumOf, flagNames, keyOf } from './enums.js';
export { formatIPv4, formatIPv6, parseIP, parseIPv4, parseIPv6, formatLladdr, parseLladdr, toHex } from './ip.js';
export { DecodeError, EncodeError } from '../errors.js';
export {
  ifinfomsg,
  linkAttrs,
  linkInfoAttrs,
  afSpecAttrs,
  inetAttrs,
  inet6Attrs,
  bridgeLinkAttrs,
  inet6LinkAttrs,
  type LinkAttrs,
  type BridgeLinkAttrs,
  type Inet6LinkAttrs,
  type IfInfoMsg,
} from './rtnl/link/index.js';
export {
  bridgeAfSpecAttrs,
  bridgeVlanInfo,
  bridgeVlanTunnelAttrs,
  type BridgeAfSpecAttrs,
  type BridgeVlanInfo,
} from './rtnl/link/af-bridge.js';
export { ifaddrmsg, ifaCacheinfo, addressAttrs, type AddressAttrs, type IfAddrMsg } from './rtnl/address.js';
export {
  rtmsg,
  rtaCacheinfo,
  rtaMfcStats,
  metricsAttrs,
  routeAttrs,
  type RouteAttrs,
  type MetricsAttrs,
  type RtMsg,
} from './rtnl/route.js';
export { rtnexthops, rtvia, rtaExpires, type RtNexthop, type RtVia } from './rtnl/multipath.js';
export { ndmsg, ndaCacheinfo, fdbExtAttrs, neighbourAttrs, type NeighbourAttrs, type NdMsg } from './rtnl/neighbour.js';
export {
  fibRuleHdr,
  fibRuleUidRange,
  fibRulePortRange,
  ruleAttrs,
  type RuleAttrs,
  type FibRuleHdr,
} from './rtnl/rule.js';
export { rtgenmsg, nsidAttrs, type NsidAttrs, type RtGenMsg } from './rtnl/nsid.js';
export {
  tcmsg,
  tcamsg,
  tcRatespec,
  gnetStatsAttrs,
  qdiscAttrs,
  filterAttrs,
  actionAttrs,
  actionRootAttrs,
  actionList,
  u32Sel,
  u32Attrs,
  bpfAttrs,
  flowerAttrs,
  matchallAttrs,
  mirredAttrs,
  gactAttrs,
  policeAttrs,
  htbAttrs,
  tbfAttrs,
  ACTION_SLOT,
  u32Pcnt,
  tcXstatsCases,
  cakeStatsAttrs,
  tcFqCodelXstats,
  decodeTcXstats,
  type TcXstats,
  type FqCodelXstats,
  type CakeStats,
  type U32Pcnt,
  type TcMsg,
  type QdiscAttrs,
  type FilterAttrs,
  type ActionAttrs,
  type ActionRootAttrs,
  type U32Sel,
  type U32Key,
} from './tc/index.js';
export {
  ndtmsg,
  ndtConfig,
  ndtStats,
  ndtpaAttrs,
  neightblAttrs,
  type NeightblAttrs,
  type NdtMsg,
} from './rtnl/neightbl.js';
export {
  ifStatsMsg,
  rtnlHwStats64,
  statsAttrs,
  statsGetsetAttrs,
  type StatsAttrs,
  type IfStatsMsg,
} from './rtnl/stats.js';
export { prefixmsg, prefixCacheinfo, prefixAttrs, type PrefixAttrs, type PrefixMsg } from './rtnl/prefix.js';
export {
  nhmsg,
  nexthopGrp,
  nexthopGroup,
  nexthopAttrs,
  resGroupAttrs,
  resBucketAttrs,
  groupStatsAttrs,
  groupStatsEntryAttrs,
  type NhMsg,
  type NexthopGrp,
  type NexthopAttrs,
  type ResGroupAttrs,
  type ResBucketAttrs,
} from './rtnl/nexthop.js';
