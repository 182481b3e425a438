/**
 * Link messages: struct ifinfomsg + IFLA_* (RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK,
 * RTM_NEWLINKPROP, RTM_DELLINKPROP). Kind-specific IFLA_INFO_DATA comes from the link kind
 * plugins, one file per kind in src/kinds/link.
 */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import {
  attrs,
  headered,
  multi,
  nest,
  nestBy,
  struct,
  type AttrSetDef,
  type NestDef,
  type SetValues,
  type StructValue,
} from '../../schema.js';
import type { MessageDef } from '../../nlmsg.js';
import { icmp6Stats, inet6Stats, ipv4Devconf, ipv6Devconf } from '../indexed.js';
import { uint } from '../uint.js';
import { bridgeAfSpecAttrs } from './af-bridge.js';
import { bridgePortData } from '../../../kinds/link/bridge.js';
import type { LinkKindPlugin } from '../../../kinds/link/kind.js';
import { linkMessageRef } from '../../../kinds/link/kind.js';
import { linkKinds } from '../../../kinds/link/registry.js';
import { vfInfoListAttrs } from './vf.js';

export const ifinfomsg = struct(
  'ifinfomsg',
  [
    ['family', 'u8'],
    ['pad', 'u8'],
    ['type', 'u16'],
    ['index', 's32'],
    ['flags', 'u32'],
    ['change', 'u32'],
  ],
  16,
);
export type IfInfoMsg = StructValue<typeof ifinfomsg.fields>;

const statsFields = [
  'rxPackets',
  'txPackets',
  'rxBytes',
  'txBytes',
  'rxErrors',
  'txErrors',
  'rxDropped',
  'txDropped',
  'multicast',
  'collisions',
  'rxLengthErrors',
  'rxOverErrors',
  'rxCrcErrors',
  'rxFrameErrors',
  'rxFifoErrors',
  'rxMissedErrors',
  'txAbortedErrors',
  'txCarrierErrors',
  'txFifoErrors',
  'txHeartbeatErrors',
  'txWindowErrors',
  'rxCompressed',
  'txCompressed',
  'rxNohandler',
] as const;
/** struct rtnl_link_stats (IFLA_STATS). */
export const rtnlLinkStats = struct(
  'rtnl_link_stats',
  statsFields.map((n) => [n, 'u32'] as const),
  96,
);
/** struct rtnl_link_stats64 (IFLA_STATS64); rx_otherhost_dropped is the newest field. */
export const rtnlLinkStats64 = struct(
  'rtnl_link_stats64',
  [...statsFields, 'rxOtherhostDropped'].map((n) => [n, 'u64'] as const),
  200,
);
/** struct rtnl_link_ifmap (IFLA_MAP); 4 bytes of tail padding on 64-bit. */
export const rtnlLinkIfmap = struct(
  'rtnl_link_ifmap',
  [
    ['memStart', 'u64'],
    ['memEnd', 'u64'],
    ['baseAddr', 'u64'],
    ['irq', 'u16'],
    ['dma', 'u8'],
    ['port', 'u8'],
    ['pad', 'pad4'],
  ],
  32,
);
/** struct ifla_cacheinfo (IFLA_INET6_CACHEINFO). */
export const iflaCacheinfo = struct(
  'ifla_cacheinfo',
  [
    ['maxReasmLen', 'u32'],
    ['tstamp', 'u32'],
    ['reachableTime', 'u32'],
    ['retransTime', 'u32'],
  ],
  16,
);

export const inetAttrs = attrs('IFLA_INET', {
  // { forwarding, mcForwarding, ... } as the kernel sends it: a flat array. (A request setting
  // devconf values wants a nest of IPV4_DEVCONF_* attributes instead; rtnl does not send one.)
  conf: [C.IFLA_INET_CONF, ipv4Devconf],
});
export const inet6Attrs = attrs('IFLA_INET6', {
  flags: [C.IFLA_INET6_FLAGS, 'u32'],
  conf: [C.IFLA_INET6_CONF, ipv6Devconf],
  stats: [C.IFLA_INET6_STATS, inet6Stats],
  // Never filled by the kernel.
  mcast: [C.IFLA_INET6_MCAST, 'binary'],
  cacheinfo: [C.IFLA_INET6_CACHEINFO, iflaCacheinfo],
  icmp6stats: [C.IFLA_INET6_ICMP6STATS, icmp6Stats],
  token: [C.IFLA_INET6_TOKEN, 'ipv6'],
  addrGenMode: [C.IFLA_INET6_ADDR_GEN_MODE, 'u8', { enum: enumOf('IN6_ADDR_GEN_MODE_') }],
  raMtu: [C.IFLA_INET6_RA_MTU, 'u32'],
});
/** AF_MCTP in IFLA_AF_SPEC (mctp_fill_link_af): the MCTP network and physical binding. */
export const mctpAttrs = attrs('IFLA_MCTP', {
  net: [C.IFLA_MCTP_NET, 'u32'],
  physBinding: [C.IFLA_MCTP_PHYS_BINDING, 'u8'],
});
/**
 * IFLA_AF_SPEC of an AF_UNSPEC link message: one nest per address family, keyed by AF_* number.
 * Families we do not declare (AF_MPLS, ...) are kept as raw attributes.
 */
export const afSpecAttrs = attrs('AF', {
  inet: [C.AF_INET, nest(inetAttrs)],
  inet6: [C.AF_INET6, nest(inet6Attrs)],
  mctp: [C.AF_MCTP, nest(mctpAttrs)],
});

export const xdpAttrs = attrs('IFLA_XDP', {
  fd: [C.IFLA_XDP_FD, 's32'],
  attached: [C.IFLA_XDP_ATTACHED, 'u8'],
  flags: [C.IFLA_XDP_FLAGS, 'u32'],
  progId: [C.IFLA_XDP_PROG_ID, 'u32'],
  drvProgId: [C.IFLA_XDP_DRV_PROG_ID, 'u32'],
  skbProgId: [C.IFLA_XDP_SKB_PROG_ID, 'u32'],
  hwProgId: [C.IFLA_XDP_HW_PROG_ID, 'u32'],
  expectedFd: [C.IFLA_XDP_EXPECTED_FD, 's32'],
});

/** IFLA_DEVLINK_PORT: the devlink handle of the device's port (devlink_nl_port_handle_fill). */
export const devlinkPortAttrs = attrs('DEVLINK_ATTR', {
  busName: [C.DEVLINK_ATTR_BUS_NAME, 'string'],
  devName: [C.DEVLINK_ATTR_DEV_NAME, 'string'],
  portIndex: [C.DEVLINK_ATTR_PORT_INDEX, 'u32'],
});
/** IFLA_DPLL_PIN: the id of the DPLL pin the device's clock follows (from the YNL spec). */
export const dpllPinAttrs = attrs('DPLL_A', {
  id: [C.DPLL_A_ID, 'u32'],
});

export const propListAttrs = attrs('IFLA', {
  altIfname: [C.IFLA_ALT_IFNAME, multi('string'), { max: C.ALTIFNAMSIZ - 1 }],
});

export const protoDownReasonAttrs = attrs('IFLA_PROTO_DOWN_REASON', {
  mask: [C.IFLA_PROTO_DOWN_REASON_MASK, 'u32'],
  value: [C.IFLA_PROTO_DOWN_REASON_VALUE, 'u32'],
});

type Plugins = typeof linkKinds;
type DataOf<P> =
  P extends LinkKindPlugin<any, any, any, any, infer D, any>
    ? [D] extends [never]
      ? never
      : D extends AttrSetDef<infer T>
        ? NestDef<T>
        : never
    : never;
type PortOf<P> =
  P extends LinkKindPlugin<any, any, any, any, any, infer D>
    ? [D] extends [never]
      ? never
      : D extends AttrSetDef<infer T>
        ? NestDef<T>
        : never
    : never;

/**
 * IFLA_INFO_DATA, chosen by IFLA_INFO_KIND, and IFLA_INFO_SLAVE_DATA, chosen by
 * IFLA_INFO_SLAVE_KIND (the master's kind): one case per link kind plugin (src/kinds/link) that
 * declares data or port data. Kinds without data (dummy, ifb) have no case.
 */
const infoDataCases = {} as {
  [K in keyof Plugins as [DataOf<Plugins[K]>] extends [never] ? never : K]: DataOf<Plugins[K]>;
};
const infoSlaveDataCases = {} as {
  [K in keyof Plugins as [PortOf<Plugins[K]>] extends [never] ? never : K]: PortOf<Plugins[K]>;
};
for (const p of Object.values(linkKinds) as LinkKindPlugin[]) {
  if (p.data) (infoDataCases as Record<string, unknown>)[p.kind] = nest(p.data);
  if (p.port) (infoSlaveDataCases as Record<string, unknown>)[p.kind] = nest(p.port.data);
}

export const linkInfoAttrs = attrs('IFLA_INFO', {
  kind: [C.IFLA_INFO_KIND, 'string'],
  data: [C.IFLA_INFO_DATA, nestBy('kind', infoDataCases)],
  xstats: [C.IFLA_INFO_XSTATS, 'binary'],
  slaveKind: [C.IFLA_INFO_SLAVE_KIND, 'string'],
  slaveData: [C.IFLA_INFO_SLAVE_DATA, nestBy('slaveKind', infoSlaveDataCases)],
});

export const linkAttrs = attrs('IFLA', {
  address: [C.IFLA_ADDRESS, 'mac'],
  broadcast: [C.IFLA_BROADCAST, 'mac'],
  ifname: [C.IFLA_IFNAME, 'string', { max: C.IFNAMSIZ - 1 }],
  mtu: [C.IFLA_MTU, 'u32'],
  link: [C.IFLA_LINK, 'u32'],
  qdisc: [C.IFLA_QDISC, 'string'],
  stats: [C.IFLA_STATS, rtnlLinkStats],
  cost: [C.IFLA_COST, 'binary'],
  priority: [C.IFLA_PRIORITY, 'binary'],
  master: [C.IFLA_MASTER, 'u32'],
  wireless: [C.IFLA_WIRELESS, 'binary'],
  protinfo: [C.IFLA_PROTINFO, 'binary'],
  txqlen: [C.IFLA_TXQLEN, 'u32'],
  map: [C.IFLA_MAP, rtnlLinkIfmap],
  weight: [C.IFLA_WEIGHT, 'u32'],
  operstate: [C.IFLA_OPERSTATE, 'u8', { enum: enumOf('IF_OPER_') }],
  linkmode: [C.IFLA_LINKMODE, 'u8', { enum: enumOf('IF_LINK_MODE_') }],
  linkinfo: [C.IFLA_LINKINFO, nest(linkInfoAttrs)],
  netNsPid: [C.IFLA_NET_NS_PID, 'u32'],
  ifalias: [C.IFLA_IFALIAS, 'string', { max: C.IFALIASZ - 1 }],
  numVf: [C.IFLA_NUM_VF, 'u32'],
  vfinfoList: [C.IFLA_VFINFO_LIST, nest(vfInfoListAttrs)],
  stats64: [C.IFLA_STATS64, rtnlLinkStats64],
  vfPorts: [C.IFLA_VF_PORTS, 'binary'],
  portSelf: [C.IFLA_PORT_SELF, 'binary'],
  afSpec: [C.IFLA_AF_SPEC, nest(afSpecAttrs)],
  group: [C.IFLA_GROUP, 'u32'],
  netNsFd: [C.IFLA_NET_NS_FD, 'u32'],
  extMask: [C.IFLA_EXT_MASK, 'u32'],
  promiscuity: [C.IFLA_PROMISCUITY, 'u32'],
  numTxQueues: [C.IFLA_NUM_TX_QUEUES, 'u32'],
  numRxQueues: [C.IFLA_NUM_RX_QUEUES, 'u32'],
  carrier: [C.IFLA_CARRIER, 'u8'],
  physPortId: [C.IFLA_PHYS_PORT_ID, 'binary'],
  carrierChanges: [C.IFLA_CARRIER_CHANGES, 'u32'],
  physSwitchId: [C.IFLA_PHYS_SWITCH_ID, 'binary'],
  linkNetnsid: [C.IFLA_LINK_NETNSID, 's32'],
  physPortName: [C.IFLA_PHYS_PORT_NAME, 'string'],
  protoDown: [C.IFLA_PROTO_DOWN, 'u8'],
  gsoMaxSegs: [C.IFLA_GSO_MAX_SEGS, 'u32'],
  gsoMaxSize: [C.IFLA_GSO_MAX_SIZE, 'u32'],
  pad: [C.IFLA_PAD, 'binary'],
  xdp: [C.IFLA_XDP, nest(xdpAttrs)],
  event: [C.IFLA_EVENT, 'u32', { enum: enumOf('IFLA_EVENT_') }],
  newNetnsid: [C.IFLA_NEW_NETNSID, 's32'],
  targetNetnsid: [C.IFLA_TARGET_NETNSID, 's32'],
  carrierUpCount: [C.IFLA_CARRIER_UP_COUNT, 'u32'],
  carrierDownCount: [C.IFLA_CARRIER_DOWN_COUNT, 'u32'],
  newIfindex: [C.IFLA_NEW_IFINDEX, 's32'],
  minMtu: [C.IFLA_MIN_MTU, 'u32'],
  maxMtu: [C.IFLA_MAX_MTU, 'u32'],
  propList: [C.IFLA_PROP_LIST, nest(propListAttrs), { nestedFlag: true }],
  altIfname: [C.IFLA_ALT_IFNAME, 'string', { max: C.ALTIFNAMSIZ - 1 }],
  permAddress: [C.IFLA_PERM_ADDRESS, 'mac'],
  protoDownReason: [C.IFLA_PROTO_DOWN_REASON, nest(protoDownReasonAttrs)],
  parentDevName: [C.IFLA_PARENT_DEV_NAME, 'string'],
  parentDevBusName: [C.IFLA_PARENT_DEV_BUS_NAME, 'string'],
  groMaxSize: [C.IFLA_GRO_MAX_SIZE, 'u32'],
  tsoMaxSize: [C.IFLA_TSO_MAX_SIZE, 'u32'],
  tsoMaxSegs: [C.IFLA_TSO_MAX_SEGS, 'u32'],
  allmulti: [C.IFLA_ALLMULTI, 'u32'],
  // Empty unless the device has a devlink port / a DPLL pin. The kernel sends both with
  // NLA_F_NESTED (nla_nest_start), even empty: without the flag here every link took the
  // decoder's slow path and carried a layout record.
  devlinkPort: [C.IFLA_DEVLINK_PORT, nest(devlinkPortAttrs), { nestedFlag: true }],
  gsoIpv4MaxSize: [C.IFLA_GSO_IPV4_MAX_SIZE, 'u32'],
  groIpv4MaxSize: [C.IFLA_GRO_IPV4_MAX_SIZE, 'u32'],
  dpllPin: [C.IFLA_DPLL_PIN, nest(dpllPinAttrs), { nestedFlag: true }],
  maxPacingOffloadHorizon: [C.IFLA_MAX_PACING_OFFLOAD_HORIZON, uint],
  netnsImmutable: [C.IFLA_NETNS_IMMUTABLE, 'u8'],
  headroom: [C.IFLA_HEADROOM, 'u16'],
  tailroom: [C.IFLA_TAILROOM, 'u16'],
});
export type LinkAttrs = SetValues<typeof linkAttrs>;
// A veth's peer is a link message inside a link message (see linkMessageRef).
linkMessageRef.header = ifinfomsg;
linkMessageRef.attrs = linkAttrs;
linkMessageRef.peer = headered(ifinfomsg, linkAttrs);

/**
 * IFLA_* of an AF_BRIDGE link message (`bridge link`, `bridge vlan`, the bridge's port
 * notifications): IFLA_AF_SPEC holds IFLA_BRIDGE_*, IFLA_PROTINFO holds IFLA_BRPORT_*.
 */
export const bridgeLinkAttrs = attrs('IFLA', {
  ...linkAttrs.spec,
  protinfo: [C.IFLA_PROTINFO, nest(bridgePortData), { nestedFlag: true }],
  afSpec: [C.IFLA_AF_SPEC, nest(bridgeAfSpecAttrs)],
});
export type BridgeLinkAttrs = SetValues<typeof bridgeLinkAttrs>;

/** IFLA_* of an AF_INET6 link message (RTNLGRP_IPV6_IFINFO): IFLA_PROTINFO holds IFLA_INET6_*. */
export const inet6LinkAttrs = attrs('IFLA', {
  ...linkAttrs.spec,
  protinfo: [C.IFLA_PROTINFO, nest(inet6Attrs)],
});
export type Inet6LinkAttrs = SetValues<typeof inet6LinkAttrs>;

export const linkMessages: MessageDef = {
  family: 'link',
  types: {
    [C.RTM_NEWLINK]: 'RTM_NEWLINK',
    [C.RTM_DELLINK]: 'RTM_DELLINK',
    [C.RTM_GETLINK]: 'RTM_GETLINK',
    [C.RTM_SETLINK]: 'RTM_SETLINK',
    [C.RTM_NEWLINKPROP]: 'RTM_NEWLINKPROP',
    [C.RTM_DELLINKPROP]: 'RTM_DELLINKPROP',
  },
  header: ifinfomsg,
  attrs: linkAttrs,
  // ifi_family chooses what IFLA_AF_SPEC and IFLA_PROTINFO hold.
  select: {
    field: 'family',
    cases: {
      [C.AF_BRIDGE]: { attrs: bridgeLinkAttrs },
      [C.AF_INET6]: { attrs: inet6LinkAttrs },
    },
  },
  // Creating, deleting and moving links waits for RCU grace periods inside sendmsg.
  slow: ['RTM_NEWLINK', 'RTM_DELLINK', 'RTM_SETLINK', 'RTM_NEWLINKPROP', 'RTM_DELLINKPROP'],
};
