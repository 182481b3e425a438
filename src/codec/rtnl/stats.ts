/**
 * Link statistics: struct if_stats_msg + IFLA_STATS_* (RTM_NEWSTATS), as `ip stats show` gets
 * them. A request (RTM_GETSTATS, RTM_SETSTATS) carries other attributes, IFLA_STATS_GETSET_*:
 * per-group filter masks, or the switch for L3 offload statistics.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, multi, nest, struct, type FieldSpec, type SetValues, type StructValue } from '../schema.js';
import { rtnlLinkStats64 } from './link/index.js';

/** struct if_stats_msg. filter_mask has bit (1 << (IFLA_STATS_x - 1)) per group wanted. */
export const ifStatsMsg = struct(
  'if_stats_msg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
    ['ifindex', 'u32'],
    ['filterMask', 'u32'],
  ],
  12,
);
export type IfStatsMsg = StructValue<typeof ifStatsMsg.fields>;

/** struct rtnl_hw_stats64 (IFLA_OFFLOAD_XSTATS_L3_STATS). */
export const rtnlHwStats64 = struct(
  'rtnl_hw_stats64',
  (
    [
      'rxPackets',
      'txPackets',
      'rxBytes',
      'txBytes',
      'rxErrors',
      'txErrors',
      'rxDropped',
      'txDropped',
      'multicast',
    ] as const
  ).map((n) => [n, 'u64'] as const),
  72,
);

/** One offload statistics type's state: requested by someone, and used by the driver. */
export const hwSInfoOneAttrs = attrs('IFLA_OFFLOAD_XSTATS_HW_S_INFO', {
  request: [C.IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, 'u8'],
  used: [C.IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, 'u8'],
});
/** IFLA_OFFLOAD_XSTATS_HW_S_INFO: one nest per offload statistics type, keyed by its number. */
export const hwSInfoAttrs = attrs('IFLA_OFFLOAD_XSTATS', {
  l3Stats: [C.IFLA_OFFLOAD_XSTATS_L3_STATS, nest(hwSInfoOneAttrs)],
});

export const offloadXstatsAttrs = attrs('IFLA_OFFLOAD_XSTATS', {
  cpuHit: [C.IFLA_OFFLOAD_XSTATS_CPU_HIT, rtnlLinkStats64],
  hwSInfo: [C.IFLA_OFFLOAD_XSTATS_HW_S_INFO, nest(hwSInfoAttrs)],
  l3Stats: [C.IFLA_OFFLOAD_XSTATS_L3_STATS, rtnlHwStats64],
});

/** IFLA_STATS_AF_SPEC: one nest per address family; AF_MPLS's (MPLS_STATS_LINK) is kept as bytes. */
export const statsAfSpecAttrs = attrs('AF', {
  mpls: [C.AF_MPLS, 'binary'],
});

/** struct bridge_vlan_xstats (BRIDGE_XSTATS_VLAN), one per VLAN; 4 bytes of padding at the end. */
export const bridgeVlanXstats = struct(
  'bridge_vlan_xstats',
  [
    ['rxBytes', 'u64'],
    ['rxPackets', 'u64'],
    ['txBytes', 'u64'],
    ['txPackets', 'u64'],
    ['vid', 'u16'],
    ['flags', 'u16'],
    ['pad2', 'u32'],
  ],
  40,
);
/** struct bridge_stp_xstats (BRIDGE_XSTATS_STP), a port's STP counters. */
export const bridgeStpXstats = struct(
  'bridge_stp_xstats',
  (['transitionBlk', 'transitionFwd', 'rxBpdu', 'txBpdu', 'rxTcn', 'txTcn'] as const).map((n) => [n, 'u64'] as const),
  48,
);
/** struct br_mcast_stats (BRIDGE_XSTATS_MCAST): [BR_MCAST_DIR_SIZE] arrays as ...Rx / ...Tx fields. */
const dirs = (n: string): FieldSpec[] => [
  [`${n}Rx`, 'u64'],
  [`${n}Tx`, 'u64'],
];
export const brMcastStats = struct(
  'br_mcast_stats',
  [
    ...['igmpV1queries', 'igmpV2queries', 'igmpV3queries', 'igmpLeaves'].flatMap(dirs),
    ...['igmpV1reports', 'igmpV2reports', 'igmpV3reports'].flatMap(dirs),
    ['igmpParseErrors', 'u64'],
    ...['mldV1queries', 'mldV2queries', 'mldLeaves', 'mldV1reports', 'mldV2reports'].flatMap(dirs),
    ['mldParseErrors', 'u64'],
    ...['mcastBytes', 'mcastPackets'].flatMap(dirs),
  ],
  240,
);

/** LINK_XSTATS_TYPE_BRIDGE: the bridge's (or, as slave stats, a port's) own counters. */
export const bridgeXstatsAttrs = attrs('BRIDGE_XSTATS', {
  vlan: [C.BRIDGE_XSTATS_VLAN, multi(bridgeVlanXstats)],
  mcast: [C.BRIDGE_XSTATS_MCAST, brMcastStats],
  pad: [C.BRIDGE_XSTATS_PAD, 'binary'],
  stp: [C.BRIDGE_XSTATS_STP, bridgeStpXstats],
});
/** IFLA_STATS_LINK_XSTATS(_SLAVE): one nest per driver type; the bond's is kept as bytes. */
export const linkXstatsAttrs = attrs('LINK_XSTATS_TYPE', {
  bridge: [C.LINK_XSTATS_TYPE_BRIDGE, nest(bridgeXstatsAttrs)],
  bond: [C.LINK_XSTATS_TYPE_BOND, 'binary'],
});

export const statsAttrs = attrs('IFLA_STATS', {
  link64: [C.IFLA_STATS_LINK_64, rtnlLinkStats64],
  linkXstats: [C.IFLA_STATS_LINK_XSTATS, nest(linkXstatsAttrs)],
  linkXstatsSlave: [C.IFLA_STATS_LINK_XSTATS_SLAVE, nest(linkXstatsAttrs)],
  linkOffloadXstats: [C.IFLA_STATS_LINK_OFFLOAD_XSTATS, nest(offloadXstatsAttrs)],
  afSpec: [C.IFLA_STATS_AF_SPEC, nest(statsAfSpecAttrs)],
});
export type StatsAttrs = SetValues<typeof statsAttrs>;

/** IFLA_STATS_GET_FILTERS: a u32 filter mask per group, keyed by the group's IFLA_STATS_* number. */
export const statsFilterAttrs = attrs('IFLA_STATS', {
  link64: [C.IFLA_STATS_LINK_64, 'u32'],
  linkXstats: [C.IFLA_STATS_LINK_XSTATS, 'u32'],
  linkXstatsSlave: [C.IFLA_STATS_LINK_XSTATS_SLAVE, 'u32'],
  linkOffloadXstats: [C.IFLA_STATS_LINK_OFFLOAD_XSTATS, 'u32'],
  afSpec: [C.IFLA_STATS_AF_SPEC, 'u32'],
});

export const statsGetsetAttrs = attrs('IFLA_STATS', {
  getFilters: [C.IFLA_STATS_GET_FILTERS, nest(statsFilterAttrs)],
  setOffloadXstatsL3Stats: [C.IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, 'u8'],
});

export const statsMessages: MessageDef = {
  family: 'stats',
  types: { [C.RTM_NEWSTATS]: 'RTM_NEWSTATS' },
  header: ifStatsMsg,
  attrs: statsAttrs,
};

/** Requests: the same header, IFLA_STATS_GETSET_* attributes. */
export const statsRequestMessages: MessageDef = {
  family: 'stats-request',
  types: { [C.RTM_GETSTATS]: 'RTM_GETSTATS', [C.RTM_SETSTATS]: 'RTM_SETSTATS' },
  header: ifStatsMsg,
  attrs: statsGetsetAttrs,
};
