/** The bridge link kind: IFLA_INFO_DATA (IFLA_BR_*) and bridge port IFLA_INFO_SLAVE_DATA (IFLA_BRPORT_*), per net/bridge/br_netlink.c. */
import type { z } from 'zod';
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs, nest, struct, type SetValues } from '../../codec/schema.js';
import { bool, bridgeId, hash0x, num, put, timer, type Json, type Names } from '../json.js';
import { enumNumber } from '../plugin.js';
import { defineLinkKind } from './kind.js';

/**
 * struct ifla_bridge_id: `__u8 prio[2]` holds the 16-bit bridge priority in network byte order
 * (32768 = 0x8000 by default), then the bridge's MAC address.
 */
export const iflaBridgeId = struct(
  'ifla_bridge_id',
  [
    ['priority', 'be16'],
    ['address', 'mac'],
  ],
  8,
);

/** struct br_boolopt_multi: one bit per BR_BOOLOPT_* option. */
export const brBooloptMulti = struct(
  'br_boolopt_multi',
  [
    ['optval', 'u32'],
    ['optmask', 'u32'],
  ],
  8,
);

/** IFLA_BR_MCAST_QUERIER_STATE (br_multicast_dump_querier_state). Read-only. */
export const bridgeQuerierState = attrs('BRIDGE_QUERIER', {
  ipAddress: [C.BRIDGE_QUERIER_IP_ADDRESS, 'ipv4'],
  ipPort: [C.BRIDGE_QUERIER_IP_PORT, 'u32'],
  ipOtherTimer: [C.BRIDGE_QUERIER_IP_OTHER_TIMER, 'u64'],
  pad: [C.BRIDGE_QUERIER_PAD, 'binary'],
  ipv6Address: [C.BRIDGE_QUERIER_IPV6_ADDRESS, 'ipv6'],
  ipv6Port: [C.BRIDGE_QUERIER_IPV6_PORT, 'u32'],
  ipv6OtherTimer: [C.BRIDGE_QUERIER_IPV6_OTHER_TIMER, 'u64'],
});

/** VLAN protocols by their ETH_P_* names (iproute2 prints 802.1Q / 802.1ad). */
const vlanProtocols = enumOf('ETH_P_');

export const bridgeData = attrs('IFLA_BR', {
  // Times are in clock_t (centiseconds); *_TIMER values are the time left on a running timer.
  forwardDelay: [C.IFLA_BR_FORWARD_DELAY, 'u32'],
  helloTime: [C.IFLA_BR_HELLO_TIME, 'u32'],
  maxAge: [C.IFLA_BR_MAX_AGE, 'u32'],
  ageingTime: [C.IFLA_BR_AGEING_TIME, 'u32'],
  stpState: [C.IFLA_BR_STP_STATE, 'u32'],
  priority: [C.IFLA_BR_PRIORITY, 'u16'],
  vlanFiltering: [C.IFLA_BR_VLAN_FILTERING, 'u8'],
  vlanProtocol: [C.IFLA_BR_VLAN_PROTOCOL, 'be16', { enum: vlanProtocols }],
  groupFwdMask: [C.IFLA_BR_GROUP_FWD_MASK, 'u16'],
  rootId: [C.IFLA_BR_ROOT_ID, iflaBridgeId],
  bridgeId: [C.IFLA_BR_BRIDGE_ID, iflaBridgeId],
  rootPort: [C.IFLA_BR_ROOT_PORT, 'u16'],
  rootPathCost: [C.IFLA_BR_ROOT_PATH_COST, 'u32'],
  topologyChange: [C.IFLA_BR_TOPOLOGY_CHANGE, 'u8'],
  topologyChangeDetected: [C.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, 'u8'],
  helloTimer: [C.IFLA_BR_HELLO_TIMER, 'u64'],
  tcnTimer: [C.IFLA_BR_TCN_TIMER, 'u64'],
  topologyChangeTimer: [C.IFLA_BR_TOPOLOGY_CHANGE_TIMER, 'u64'],
  gcTimer: [C.IFLA_BR_GC_TIMER, 'u64'],
  groupAddr: [C.IFLA_BR_GROUP_ADDR, 'mac'],
  // Request only: its presence flushes the dynamic FDB entries (iproute2 sends it empty).
  fdbFlush: [C.IFLA_BR_FDB_FLUSH, 'flag'],
  mcastRouter: [C.IFLA_BR_MCAST_ROUTER, 'u8'],
  mcastSnooping: [C.IFLA_BR_MCAST_SNOOPING, 'u8'],
  mcastQueryUseIfaddr: [C.IFLA_BR_MCAST_QUERY_USE_IFADDR, 'u8'],
  mcastQuerier: [C.IFLA_BR_MCAST_QUERIER, 'u8'],
  mcastHashElasticity: [C.IFLA_BR_MCAST_HASH_ELASTICITY, 'u32'],
  mcastHashMax: [C.IFLA_BR_MCAST_HASH_MAX, 'u32'],
  mcastLastMemberCnt: [C.IFLA_BR_MCAST_LAST_MEMBER_CNT, 'u32'],
  mcastStartupQueryCnt: [C.IFLA_BR_MCAST_STARTUP_QUERY_CNT, 'u32'],
  mcastLastMemberIntvl: [C.IFLA_BR_MCAST_LAST_MEMBER_INTVL, 'u64'],
  mcastMembershipIntvl: [C.IFLA_BR_MCAST_MEMBERSHIP_INTVL, 'u64'],
  mcastQuerierIntvl: [C.IFLA_BR_MCAST_QUERIER_INTVL, 'u64'],
  mcastQueryIntvl: [C.IFLA_BR_MCAST_QUERY_INTVL, 'u64'],
  mcastQueryResponseIntvl: [C.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, 'u64'],
  mcastStartupQueryIntvl: [C.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, 'u64'],
  nfCallIptables: [C.IFLA_BR_NF_CALL_IPTABLES, 'u8'],
  nfCallIp6tables: [C.IFLA_BR_NF_CALL_IP6TABLES, 'u8'],
  nfCallArptables: [C.IFLA_BR_NF_CALL_ARPTABLES, 'u8'],
  vlanDefaultPvid: [C.IFLA_BR_VLAN_DEFAULT_PVID, 'u16'],
  pad: [C.IFLA_BR_PAD, 'binary'],
  vlanStatsEnabled: [C.IFLA_BR_VLAN_STATS_ENABLED, 'u8'],
  mcastStatsEnabled: [C.IFLA_BR_MCAST_STATS_ENABLED, 'u8'],
  mcastIgmpVersion: [C.IFLA_BR_MCAST_IGMP_VERSION, 'u8'],
  mcastMldVersion: [C.IFLA_BR_MCAST_MLD_VERSION, 'u8'],
  vlanStatsPerPort: [C.IFLA_BR_VLAN_STATS_PER_PORT, 'u8'],
  multiBoolopt: [C.IFLA_BR_MULTI_BOOLOPT, brBooloptMulti],
  mcastQuerierState: [C.IFLA_BR_MCAST_QUERIER_STATE, nest(bridgeQuerierState)],
  // Linux 6.8+: learned FDB entries (read-only) and their limit (0: none).
  fdbNLearned: [C.IFLA_BR_FDB_N_LEARNED, 'u32'],
  fdbMaxLearned: [C.IFLA_BR_FDB_MAX_LEARNED, 'u32'],
});

export const bridgePortData = attrs('IFLA_BRPORT', {
  state: [C.IFLA_BRPORT_STATE, 'u8', { enum: enumOf('BR_STATE_') }],
  priority: [C.IFLA_BRPORT_PRIORITY, 'u16'],
  cost: [C.IFLA_BRPORT_COST, 'u32'],
  // On/off port options are u8 both ways (br_port_fill_attrs, br_port_policy); MODE is hairpin.
  mode: [C.IFLA_BRPORT_MODE, 'u8'],
  guard: [C.IFLA_BRPORT_GUARD, 'u8'],
  protect: [C.IFLA_BRPORT_PROTECT, 'u8'],
  fastLeave: [C.IFLA_BRPORT_FAST_LEAVE, 'u8'],
  learning: [C.IFLA_BRPORT_LEARNING, 'u8'],
  unicastFlood: [C.IFLA_BRPORT_UNICAST_FLOOD, 'u8'],
  proxyarp: [C.IFLA_BRPORT_PROXYARP, 'u8'],
  learningSync: [C.IFLA_BRPORT_LEARNING_SYNC, 'u8'],
  proxyarpWifi: [C.IFLA_BRPORT_PROXYARP_WIFI, 'u8'],
  rootId: [C.IFLA_BRPORT_ROOT_ID, iflaBridgeId],
  bridgeId: [C.IFLA_BRPORT_BRIDGE_ID, iflaBridgeId],
  designatedPort: [C.IFLA_BRPORT_DESIGNATED_PORT, 'u16'],
  designatedCost: [C.IFLA_BRPORT_DESIGNATED_COST, 'u16'],
  id: [C.IFLA_BRPORT_ID, 'u16'],
  no: [C.IFLA_BRPORT_NO, 'u16'],
  topologyChangeAck: [C.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, 'u8'],
  configPending: [C.IFLA_BRPORT_CONFIG_PENDING, 'u8'],
  messageAgeTimer: [C.IFLA_BRPORT_MESSAGE_AGE_TIMER, 'u64'],
  forwardDelayTimer: [C.IFLA_BRPORT_FORWARD_DELAY_TIMER, 'u64'],
  holdTimer: [C.IFLA_BRPORT_HOLD_TIMER, 'u64'],
  // Request only: its presence flushes the port's FDB entries.
  flush: [C.IFLA_BRPORT_FLUSH, 'flag'],
  multicastRouter: [C.IFLA_BRPORT_MULTICAST_ROUTER, 'u8'],
  pad: [C.IFLA_BRPORT_PAD, 'binary'],
  mcastFlood: [C.IFLA_BRPORT_MCAST_FLOOD, 'u8'],
  mcastToUcast: [C.IFLA_BRPORT_MCAST_TO_UCAST, 'u8'],
  vlanTunnel: [C.IFLA_BRPORT_VLAN_TUNNEL, 'u8'],
  bcastFlood: [C.IFLA_BRPORT_BCAST_FLOOD, 'u8'],
  groupFwdMask: [C.IFLA_BRPORT_GROUP_FWD_MASK, 'u16'],
  neighSuppress: [C.IFLA_BRPORT_NEIGH_SUPPRESS, 'u8'],
  isolated: [C.IFLA_BRPORT_ISOLATED, 'u8'],
  backupPort: [C.IFLA_BRPORT_BACKUP_PORT, 'u32'],
  mrpRingOpen: [C.IFLA_BRPORT_MRP_RING_OPEN, 'u8'],
  mrpInOpen: [C.IFLA_BRPORT_MRP_IN_OPEN, 'u8'],
  mcastEhtHostsLimit: [C.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, 'u32'],
  mcastEhtHostsCnt: [C.IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, 'u32'],
  locked: [C.IFLA_BRPORT_LOCKED, 'u8'],
  // Linux 6.2+. MAB and NEIGH_VLAN_SUPPRESS are u8 on the wire both ways (the YNL spec says flag).
  mab: [C.IFLA_BRPORT_MAB, 'u8'],
  mcastNGroups: [C.IFLA_BRPORT_MCAST_N_GROUPS, 'u32'],
  mcastMaxGroups: [C.IFLA_BRPORT_MCAST_MAX_GROUPS, 'u32'],
  neighVlanSuppress: [C.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, 'u8'],
  backupNhid: [C.IFLA_BRPORT_BACKUP_NHID, 'u32'],
});

// ---------------------------------------------------------------------------------------------
// Options: ip's `type bridge` words, camelCased as the kernel names them.

/** Bridge options (IFLA_BR_*), at creation or later with links.set(). Times are in centiseconds, as the kernel takes them. Equivalent to: ip link ... type bridge stp_state N forward_delay N ... */
export interface BridgeOptions {
  /** Equivalent to: ip link ... type bridge forward_delay N */
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  /** 0: STP off, 1: kernel STP. Equivalent to: ip link ... type bridge stp_state N */
  stpState?: number;
  priority?: number;
  vlanFiltering?: number;
  /** '802.1Q' or '802.1ad' (ip's words); another protocol number as read back. */
  vlanProtocol?: '802.1Q' | '802.1ad' | number;
  groupFwdMask?: number;
  /** ip's group_address. */
  groupAddr?: string;
  vlanDefaultPvid?: number;
  vlanStatsEnabled?: number;
  vlanStatsPerPort?: number;
  mcastSnooping?: number;
  mcastRouter?: number;
  mcastQueryUseIfaddr?: number;
  mcastQuerier?: number;
  mcastHashElasticity?: number;
  mcastHashMax?: number;
  /** ip's mcast_last_member_count (and so on for the other _cnt / _intvl keys). */
  mcastLastMemberCnt?: number;
  mcastStartupQueryCnt?: number;
  mcastLastMemberIntvl?: number;
  mcastMembershipIntvl?: number;
  mcastQuerierIntvl?: number;
  mcastQueryIntvl?: number;
  mcastQueryResponseIntvl?: number;
  mcastStartupQueryIntvl?: number;
  mcastStatsEnabled?: number;
  mcastIgmpVersion?: number;
  mcastMldVersion?: number;
  nfCallIptables?: number;
  nfCallIp6tables?: number;
  nfCallArptables?: number;
  /** Limit of learned FDB entries (0: none). Linux 6.8+. */
  fdbMaxLearned?: number;
}

type BridgeAttrs = SetValues<typeof bridgeData>;
type Width = 'flag8' | 'u8' | 'u16' | 'u32' | 'u64' | 'mac';
/** The settable keys, their width, and ip's word for each. */
const OPTS: ReadonlyArray<readonly [keyof BridgeOptions, Width, string]> = [
  ['forwardDelay', 'u32', 'forward_delay'],
  ['helloTime', 'u32', 'hello_time'],
  ['maxAge', 'u32', 'max_age'],
  ['ageingTime', 'u32', 'ageing_time'],
  ['stpState', 'u32', 'stp_state'],
  ['priority', 'u16', 'priority'],
  ['vlanFiltering', 'flag8', 'vlan_filtering'],
  ['vlanProtocol', 'u16', 'vlan_protocol'],
  ['groupFwdMask', 'u16', 'group_fwd_mask'],
  ['groupAddr', 'mac', 'group_address'],
  ['vlanDefaultPvid', 'u16', 'vlan_default_pvid'],
  ['vlanStatsEnabled', 'flag8', 'vlan_stats_enabled'],
  ['vlanStatsPerPort', 'flag8', 'vlan_stats_per_port'],
  ['mcastSnooping', 'flag8', 'mcast_snooping'],
  ['mcastRouter', 'u8', 'mcast_router'],
  ['mcastQueryUseIfaddr', 'flag8', 'mcast_query_use_ifaddr'],
  ['mcastQuerier', 'flag8', 'mcast_querier'],
  ['mcastHashElasticity', 'u32', 'mcast_hash_elasticity'],
  ['mcastHashMax', 'u32', 'mcast_hash_max'],
  ['mcastLastMemberCnt', 'u32', 'mcast_last_member_count'],
  ['mcastStartupQueryCnt', 'u32', 'mcast_startup_query_count'],
  ['mcastLastMemberIntvl', 'u64', 'mcast_last_member_interval'],
  ['mcastMembershipIntvl', 'u64', 'mcast_membership_interval'],
  ['mcastQuerierIntvl', 'u64', 'mcast_querier_interval'],
  ['mcastQueryIntvl', 'u64', 'mcast_query_interval'],
  ['mcastQueryResponseIntvl', 'u64', 'mcast_query_response_interval'],
  ['mcastStartupQueryIntvl', 'u64', 'mcast_startup_query_interval'],
  ['mcastStatsEnabled', 'flag8', 'mcast_stats_enabled'],
  ['mcastIgmpVersion', 'u8', 'mcast_igmp_version'],
  ['mcastMldVersion', 'u8', 'mcast_mld_version'],
  ['nfCallIptables', 'flag8', 'nf_call_iptables'],
  ['nfCallIp6tables', 'flag8', 'nf_call_ip6tables'],
  ['nfCallArptables', 'flag8', 'nf_call_arptables'],
  ['fdbMaxLearned', 'u32', 'fdb_max_learned'],
];
const WORD_KEY = new Map(OPTS.map(([key, , word]) => [word, key]));
const WIDTH = new Map(OPTS.map(([key, width]) => [key, width]));
const VLAN_PROTOCOLS = { '802.1Q': C.ETH_P_8021Q, '802.1ad': C.ETH_P_8021AD } as const;
/** A VLAN protocol as the codec decodes it ('8021Q', or a number) -> ip's word, or the number. */
export function vlanProtocolWord(v: unknown): '802.1Q' | '802.1ad' | number | undefined {
  const n = enumNumber(vlanProtocols, v);
  if (n === C.ETH_P_8021Q) return '802.1Q';
  if (n === C.ETH_P_8021AD) return '802.1ad';
  return typeof n === 'number' ? n : undefined;
}
/** ip's word (or a number) -> the protocol number. */
export const vlanProtocolNumber = (v: '802.1Q' | '802.1ad' | number): number =>
  typeof v === 'number' ? v : VLAN_PROTOCOLS[v];

function bridgeJson(d: Record<string, any>): Json {
  const j: Json = {};
  put(j, 'forward_delay', d.forwardDelay);
  put(j, 'hello_time', d.helloTime);
  put(j, 'max_age', d.maxAge);
  put(j, 'ageing_time', d.ageingTime);
  put(j, 'stp_state', d.stpState);
  put(j, 'priority', d.priority);
  put(j, 'vlan_filtering', d.vlanFiltering);
  const proto = vlanProtocolWord(d.vlanProtocol);
  put(j, 'vlan_protocol', typeof proto === 'number' ? hash0x(proto) : proto);
  put(j, 'bridge_id', bridgeId(d.bridgeId));
  put(j, 'root_id', bridgeId(d.rootId));
  put(j, 'root_port', d.rootPort);
  put(j, 'root_path_cost', d.rootPathCost);
  put(j, 'topology_change', d.topologyChange);
  put(j, 'topology_change_detected', d.topologyChangeDetected);
  put(j, 'hello_timer', timer(d.helloTimer));
  put(j, 'tcn_timer', timer(d.tcnTimer));
  put(j, 'topology_change_timer', timer(d.topologyChangeTimer));
  put(j, 'gc_timer', timer(d.gcTimer));
  put(j, 'vlan_default_pvid', d.vlanDefaultPvid);
  put(j, 'vlan_stats_enabled', d.vlanStatsEnabled);
  put(j, 'vlan_stats_per_port', d.vlanStatsPerPort);
  if (d.groupFwdMask !== undefined) j.group_fwd_mask = hash0x(d.groupFwdMask);
  put(j, 'group_addr', d.groupAddr);
  put(j, 'mcast_snooping', d.mcastSnooping);
  const bo = d.multiBoolopt as { optval?: number; optmask?: number } | undefined;
  if (bo) {
    const bit = (n: number) => 1 << n;
    if ((bo.optmask ?? 0) & bit(C.BR_BOOLOPT_NO_LL_LEARN))
      j.no_linklocal_learn = (bo.optval ?? 0) & bit(C.BR_BOOLOPT_NO_LL_LEARN) ? 1 : 0;
    if ((bo.optmask ?? 0) & bit(C.BR_BOOLOPT_MCAST_VLAN_SNOOPING))
      j.mcast_vlan_snooping = (bo.optval ?? 0) & bit(C.BR_BOOLOPT_MCAST_VLAN_SNOOPING) ? 1 : 0;
  }
  put(j, 'mcast_router', d.mcastRouter);
  put(j, 'mcast_query_use_ifaddr', d.mcastQueryUseIfaddr);
  put(j, 'mcast_querier', d.mcastQuerier);
  put(j, 'mcast_hash_elasticity', d.mcastHashElasticity);
  put(j, 'mcast_hash_max', d.mcastHashMax);
  put(j, 'mcast_last_member_cnt', d.mcastLastMemberCnt);
  put(j, 'mcast_startup_query_cnt', d.mcastStartupQueryCnt);
  put(j, 'mcast_last_member_intvl', num(d.mcastLastMemberIntvl));
  put(j, 'mcast_membership_intvl', num(d.mcastMembershipIntvl));
  put(j, 'mcast_querier_intvl', num(d.mcastQuerierIntvl));
  put(j, 'mcast_query_intvl', num(d.mcastQueryIntvl));
  put(j, 'mcast_query_response_intvl', num(d.mcastQueryResponseIntvl));
  put(j, 'mcast_startup_query_intvl', num(d.mcastStartupQueryIntvl));
  put(j, 'mcast_stats_enabled', d.mcastStatsEnabled);
  put(j, 'mcast_igmp_version', d.mcastIgmpVersion);
  put(j, 'mcast_mld_version', d.mcastMldVersion);
  put(j, 'nf_call_iptables', d.nfCallIptables);
  put(j, 'nf_call_ip6tables', d.nfCallIp6tables);
  put(j, 'nf_call_arptables', d.nfCallArptables);
  return j;
}

const BR_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

function bridgePortJson(d: Record<string, any>, names: Names): Json {
  const j: Json = {};
  if (d.state !== undefined) {
    const s = typeof d.state === 'string' ? BR_STATES.indexOf(d.state.toLowerCase()) : d.state;
    j.state = BR_STATES[s] ?? String(d.state);
  }
  put(j, 'priority', d.priority);
  put(j, 'cost', d.cost);
  const flag = (key: string, v: unknown) => v !== undefined && (j[key] = bool(v));
  flag('hairpin', d.mode);
  flag('guard', d.guard);
  flag('root_block', d.protect);
  flag('fastleave', d.fastLeave);
  flag('learning', d.learning);
  flag('flood', d.unicastFlood);
  if (d.id !== undefined) j.id = hash0x(d.id);
  if (d.no !== undefined) j.no = hash0x(d.no);
  put(j, 'designated_port', d.designatedPort);
  put(j, 'designated_cost', d.designatedCost);
  put(j, 'bridge_id', bridgeId(d.bridgeId));
  put(j, 'root_id', bridgeId(d.rootId));
  put(j, 'hold_timer', timer(d.holdTimer));
  put(j, 'message_age_timer', timer(d.messageAgeTimer));
  put(j, 'forward_delay_timer', timer(d.forwardDelayTimer));
  put(j, 'topology_change_ack', d.topologyChangeAck);
  put(j, 'config_pending', d.configPending);
  flag('proxy_arp', d.proxyarp);
  flag('proxy_arp_wifi', d.proxyarpWifi);
  put(j, 'multicast_router', d.multicastRouter);
  flag('mcast_flood', d.mcastFlood);
  flag('bcast_flood', d.bcastFlood);
  flag('mcast_to_unicast', d.mcastToUcast);
  flag('neigh_suppress', d.neighSuppress);
  if (d.groupFwdMask !== undefined) j.group_fwd_mask = hash0x(d.groupFwdMask);
  flag('vlan_tunnel', d.vlanTunnel);
  flag('isolated', d.isolated);
  flag('locked', d.locked);
  if (d.backupPort !== undefined) j.backup_port = names.ifname(d.backupPort);
  return j;
}

const BRIDGE_TIMERS = new Set(['hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer']);

/**
 * `ip -d link show` text of bridge data, from its JSON: ip spells some keys differently in text
 * (root_id is designated_root, *_cnt is *_count, *_intvl is *_interval) and prints timers as "%7.2f".
 */
function bridgeText(j: Json): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(j)) {
    const word =
      k === 'root_id'
        ? 'designated_root'
        : k === 'group_addr'
          ? 'group_address'
          : k.replace(/_cnt$/, '_count').replace(/_intvl$/, '_interval');
    const val = BRIDGE_TIMERS.has(k)
      ? Number(v).toFixed(2).padStart(7)
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
    out.push(`${word} ${val}`);
  }
  return out.join(' ');
}

export default defineLinkKind<BridgeOptions, BridgeAttrs>()({
  kind: 'bridge',
  optionKey: 'bridge',
  data: bridgeData,
  port: { data: bridgePortData, json: bridgePortJson },
  schema: (z, v) => {
    const width = {
      flag8: z.number().int().min(0).max(1),
      u8: v.u8,
      u16: v.u16,
      u32: v.u32,
      u64: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      mac: v.mac,
    };
    const shape: Record<string, z.ZodType> = {};
    for (const [key, w] of OPTS) shape[key] = width[w].optional();
    shape.stpState = z.number().int().min(0).max(2).optional();
    shape.vlanDefaultPvid = z.number().int().min(0).max(4094).optional();
    shape.vlanProtocol = z.union([z.enum(['802.1Q', '802.1ad']), v.u16]).optional();
    return z.object(shape).strict();
  },
  toAttrs(o) {
    // In the order the options were given (the order they were read back in, for a copy).
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(o)) {
      if (val === undefined) continue;
      if (key === 'vlanProtocol') out[key] = vlanProtocolNumber(val as BridgeOptions['vlanProtocol'] & {});
      else out[key] = WIDTH.get(key as keyof BridgeOptions) === 'u64' ? BigInt(val as number) : val;
    }
    return out as BridgeAttrs;
  },
  fromAttrs(d) {
    const o: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(d)) {
      if (val === undefined || !WIDTH.has(key as keyof BridgeOptions)) continue;
      // Off is what a new bridge gets, and a kernel without CONFIG_BRIDGE_VLAN_FILTERING reports
      // vlan_filtering 0 but refuses the attribute (EOPNOTSUPP) even as 0: leave it out, so what
      // is read back creates a copy on that kernel too.
      if (key === 'vlanFiltering' && val === 0) continue;
      o[key] = key === 'vlanProtocol' ? vlanProtocolWord(val) : typeof val === 'bigint' ? Number(val) : val;
    }
    return o as BridgeOptions;
  },
  json: bridgeJson,
  text: bridgeText,
  parseArgs(w) {
    const o: Record<string, unknown> = {};
    while (!w.done) {
      const k = w.shift();
      const key = WORD_KEY.get(k);
      if (key === undefined) throw w.usage(`unknown bridge option "${k}"`);
      const val = w.value(k);
      if (key === 'vlanProtocol') {
        if (val !== '802.1Q' && val !== '802.1ad') throw w.invalid(k, val, 'expected 802.1Q or 802.1ad');
        o[key] = val;
      } else if (key === 'groupAddr') o[key] = val;
      else o[key] = w.uint(k, val);
    }
    return Object.keys(o).length ? (o as BridgeOptions) : undefined;
  },
  usage: `ARGS for bridge: [forward_delay N] [hello_time N] [max_age N] [ageing_time N] [stp_state 0|1|2]
                 [priority N] [vlan_filtering 0|1] [vlan_protocol 802.1Q|802.1ad]
                 [vlan_default_pvid N] [mcast_snooping 0|1] [group_fwd_mask N] ...`,
});
