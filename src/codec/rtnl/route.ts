/**
 * Route messages: struct rtmsg + RTA_* (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE). RTA_METRICS is
 * a nest of RTAX_*; RTA_MULTIPATH, RTA_VIA and RTA_EXPIRES have hand-written codecs (multipath.ts).
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, nest, struct, type AttrSetDef, type SetValues, type StructValue } from '../schema.js';
import { rtaExpires, rtnexthops, rtvia } from './multipath.js';
import { lwtEncap } from './lwtunnel.js';

export const rtmsg = struct(
  'rtmsg',
  [
    ['family', 'u8'],
    ['dstLen', 'u8'],
    ['srcLen', 'u8'],
    ['tos', 'u8'],
    ['table', 'u8'],
    ['protocol', 'u8'],
    ['scope', 'u8'],
    ['type', 'u8'],
    ['flags', 'u32'],
  ],
  12,
);
export type RtMsg = StructValue<typeof rtmsg.fields>;

/** struct rta_cacheinfo (RTA_CACHEINFO). */
export const rtaCacheinfo = struct(
  'rta_cacheinfo',
  [
    ['clntref', 'u32'],
    ['lastuse', 'u32'],
    ['expires', 's32'],
    ['error', 'u32'],
    ['used', 'u32'],
    ['id', 'u32'],
    ['ts', 'u32'],
    ['tsage', 'u32'],
  ],
  32,
);

/** struct rta_mfc_stats (RTA_MFC_STATS, multicast routes). */
export const rtaMfcStats = struct(
  'rta_mfc_stats',
  [
    ['packets', 'u64'],
    ['bytes', 'u64'],
    ['wrongIf', 'u64'],
  ],
  24,
);

/** RTA_METRICS: every RTAX_* is a u32 except the congestion control algorithm's name. */
export const metricsAttrs = attrs('RTAX', {
  lock: [C.RTAX_LOCK, 'u32'],
  mtu: [C.RTAX_MTU, 'u32'],
  window: [C.RTAX_WINDOW, 'u32'],
  rtt: [C.RTAX_RTT, 'u32'],
  rttvar: [C.RTAX_RTTVAR, 'u32'],
  ssthresh: [C.RTAX_SSTHRESH, 'u32'],
  cwnd: [C.RTAX_CWND, 'u32'],
  advmss: [C.RTAX_ADVMSS, 'u32'],
  reordering: [C.RTAX_REORDERING, 'u32'],
  hoplimit: [C.RTAX_HOPLIMIT, 'u32'],
  initcwnd: [C.RTAX_INITCWND, 'u32'],
  features: [C.RTAX_FEATURES, 'u32'],
  rtoMin: [C.RTAX_RTO_MIN, 'u32'],
  initrwnd: [C.RTAX_INITRWND, 'u32'],
  quickack: [C.RTAX_QUICKACK, 'u32'],
  ccAlgo: [C.RTAX_CC_ALGO, 'string'],
  fastopenNoCookie: [C.RTAX_FASTOPEN_NO_COOKIE, 'u32'],
});
export type MetricsAttrs = SetValues<typeof metricsAttrs>;

export const routeAttrs = attrs('RTA', {
  // Addresses are 4 or 16 bytes by rtm_family. (An AF_MPLS RTA_DST is a label stack: one label
  // decodes as a dotted quad, more go to $unknown; both re-encode unchanged.)
  dst: [C.RTA_DST, 'ip'],
  src: [C.RTA_SRC, 'ip'],
  iif: [C.RTA_IIF, 'u32'],
  oif: [C.RTA_OIF, 'u32'],
  gateway: [C.RTA_GATEWAY, 'ip'],
  priority: [C.RTA_PRIORITY, 'u32'],
  prefsrc: [C.RTA_PREFSRC, 'ip'],
  metrics: [C.RTA_METRICS, nest(metricsAttrs)],
  // Each nexthop's attributes are route attributes again.
  multipath: [C.RTA_MULTIPATH, rtnexthops((): AttrSetDef => routeAttrs)],
  protoinfo: [C.RTA_PROTOINFO, 'binary'],
  flow: [C.RTA_FLOW, 'u32'],
  cacheinfo: [C.RTA_CACHEINFO, rtaCacheinfo],
  session: [C.RTA_SESSION, 'binary'],
  mpAlgo: [C.RTA_MP_ALGO, 'binary'],
  // The full table id; rtm_table holds only ids up to 255 (RT_TABLE_UNSPEC above that).
  table: [C.RTA_TABLE, 'u32'],
  mark: [C.RTA_MARK, 'u32'],
  mfcStats: [C.RTA_MFC_STATS, rtaMfcStats],
  via: [C.RTA_VIA, rtvia],
  // MPLS label stack, kept as bytes.
  newdst: [C.RTA_NEWDST, 'binary'],
  // ICMPV6_ROUTER_PREF_*.
  pref: [C.RTA_PREF, 'u8'],
  // LWTUNNEL_ENCAP_*; RTA_ENCAP's contents depend on it (lwtunnel.ts: MPLS, IP, IP6 typed).
  encapType: [C.RTA_ENCAP_TYPE, 'u16'],
  // The kernel takes NLA_F_NESTED in requests, as ip sends it (replies lack it).
  encap: [C.RTA_ENCAP, lwtEncap, { nestedFlag: true }],
  expires: [C.RTA_EXPIRES, rtaExpires],
  pad: [C.RTA_PAD, 'binary'],
  uid: [C.RTA_UID, 'u32'],
  ttlPropagate: [C.RTA_TTL_PROPAGATE, 'u8'],
  ipProto: [C.RTA_IP_PROTO, 'u8'],
  sport: [C.RTA_SPORT, 'be16'],
  dport: [C.RTA_DPORT, 'be16'],
  nhId: [C.RTA_NH_ID, 'u32'],
  // The IPv6 flow label to match (newer than the headers; the number comes from the YNL spec).
  flowlabel: [C.RTA_FLOWLABEL, 'be32'],
});
export type RouteAttrs = SetValues<typeof routeAttrs>;

export const routeMessages: MessageDef = {
  family: 'route',
  types: {
    [C.RTM_NEWROUTE]: 'RTM_NEWROUTE',
    [C.RTM_DELROUTE]: 'RTM_DELROUTE',
    [C.RTM_GETROUTE]: 'RTM_GETROUTE',
  },
  header: rtmsg,
  attrs: routeAttrs,
};
