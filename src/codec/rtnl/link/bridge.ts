/** bridge IFLA_INFO_DATA (IFLA_BR_*) and bridge port IFLA_INFO_SLAVE_DATA (IFLA_BRPORT_*), per net/bridge/br_netlink.c. */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, nest, struct } from '../../schema.js';

/** struct ifla_bridge_id: priority in network byte order, then the bridge's MAC address. */
export const iflaBridgeId = struct(
  'ifla_bridge_id',
  [
    ['prio', 'bytes2'],
    ['addr', 'mac'],
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
