/**
 * linkinfo as `ip -j -d` prints it: info_kind, and info_data / info_slave_data for the kinds
 * whose iproute2 printer rtnl mirrors (bridge, bridge ports, vxlan, macvlan/macvtap, vlan, vrf).
 * Other kinds get info_kind only: a key is left out rather than approximated.
 */
import * as C from '../codec/constants/index.js';
import { bool, bridgeId, enumValue, hash0x, num, put, timer, type Json, type Names } from './format-util.js';

/** linkinfo: info_kind and, for the kinds whose ip printer rtnl mirrors, info_data. */
export function linkinfoJson(info: Record<string, any>, names: Names): Json {
  const j: Json = {};
  if (info.kind !== undefined) {
    j.info_kind = info.kind;
    const data = KIND_DATA[info.kind as string];
    if (data) j.info_data = data(info.data ?? {}, names);
  }
  if (info.slaveKind !== undefined) {
    j.info_slave_kind = info.slaveKind;
    const data = SLAVE_DATA[info.slaveKind as string];
    if (data) j.info_slave_data = data(info.slaveData ?? {}, names);
  }
  return j;
}

type DataPrinter = (d: Record<string, any>, names: Names) => Json;

const VLAN_PROTOS: Record<string, number> = { '8021Q': C.ETH_P_8021Q, '8021AD': C.ETH_P_8021AD };
const vlanProtoName = (v: unknown): string | undefined => {
  const n = enumValue(v, VLAN_PROTOS);
  return n === C.ETH_P_8021Q ? '802.1Q' : n === C.ETH_P_8021AD ? '802.1ad' : n === undefined ? undefined : hash0x(n);
};

function bridgeData(d: Record<string, any>): Json {
  const j: Json = {};
  put(j, 'forward_delay', d.forwardDelay);
  put(j, 'hello_time', d.helloTime);
  put(j, 'max_age', d.maxAge);
  put(j, 'ageing_time', d.ageingTime);
  put(j, 'stp_state', d.stpState);
  put(j, 'priority', d.priority);
  put(j, 'vlan_filtering', d.vlanFiltering);
  put(j, 'vlan_protocol', vlanProtoName(d.vlanProtocol));
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

function bridgePortData(d: Record<string, any>, names: Names): Json {
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

const isMulticast = (addr: string): boolean =>
  addr.includes(':') ? addr.toLowerCase().startsWith('ff') : (Number(addr.split('.')[0]) & 0xf0) === 0xe0;

function vxlanData(d: Record<string, any>, names: Names): Json {
  const j: Json = {};
  put(j, 'id', d.id);
  if (d.group !== undefined) j[isMulticast(d.group) ? 'group' : 'remote'] = d.group;
  else if (d.group6 !== undefined) j[isMulticast(d.group6) ? 'group6' : 'remote6'] = d.group6;
  if (d.local !== undefined) j.local = d.local;
  else put(j, 'local6', d.local6);
  if (d.link) j.link = names.ifname(d.link);
  if (d.portRange) j.port_range = { low: d.portRange.low, high: d.portRange.high };
  put(j, 'port', d.port);
  if (d.learning !== undefined) j.learning = bool(d.learning);
  if (d.proxy) j.proxy = true;
  if (d.rsc) j.rsc = true;
  if (d.l2miss) j.l2miss = true;
  if (d.l3miss) j.l3miss = true;
  if (d.tos) j.tos = d.tos === 1 ? 'inherit' : d.tos;
  if (d.ttlInherit) j.ttl = 'inherit';
  else put(j, 'ttl', d.ttl);
  if (d.df !== undefined)
    j.df = typeof d.df === 'string' ? d.df.toLowerCase() : (['unset', 'set', 'inherit'][d.df] ?? String(d.df));
  if (d.label) j.label = hash0x(d.label);
  put(j, 'ageing', d.ageing);
  if (d.limit) j.limit = d.limit;
  if (d.udpCsum !== undefined) j.udp_csum = bool(d.udpCsum);
  if (d.udpZeroCsum6Tx !== undefined) j.udp_zero_csum6_tx = bool(d.udpZeroCsum6Tx);
  if (d.udpZeroCsum6Rx !== undefined) j.udp_zero_csum6_rx = bool(d.udpZeroCsum6Rx);
  return j;
}

const MACVLAN_MODES: Record<string, string> = {
  PRIVATE: 'private',
  VEPA: 'vepa',
  BRIDGE: 'bridge',
  PASSTHRU: 'passthru',
  SOURCE: 'source',
};
function macvlanData(d: Record<string, any>): Json {
  const j: Json = {};
  if (d.mode !== undefined)
    j.mode = typeof d.mode === 'string' ? (MACVLAN_MODES[d.mode] ?? d.mode.toLowerCase()) : String(d.mode);
  if ((d.flags ?? 0) & C.MACVLAN_FLAG_NOPROMISC) j.nopromisc = true;
  put(j, 'bcqueuelen', d.bcQueueLen);
  put(j, 'usedbcqueuelen', d.bcQueueLenUsed);
  return j;
}

const KIND_DATA: Record<string, DataPrinter> = {
  bridge: bridgeData,
  vxlan: vxlanData,
  macvlan: macvlanData,
  macvtap: macvlanData,
  vlan: (d) => {
    const j: Json = {};
    put(j, 'protocol', vlanProtoName(d.protocol));
    put(j, 'id', d.id);
    return j;
  },
  vrf: (d) => (d.table === undefined ? {} : { table: d.table }),
};
const SLAVE_DATA: Record<string, DataPrinter> = { bridge: bridgePortData };
