/** bond IFLA_INFO_DATA (IFLA_BOND_*) and bond port IFLA_INFO_SLAVE_DATA (IFLA_BOND_SLAVE_*), per drivers/net/bonding/bond_netlink.c. */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, nest, type AttrSpec, type Kind } from '../../schema.js';

/**
 * The kernel's slot count for ARP and NS targets (BOND_MAX_ARP_TARGETS, BOND_MAX_NS_TARGETS in
 * include/net/bonding.h). Not in the uapi headers, so it cannot come from the constants; a target
 * in a higher slot from a future kernel is kept as an unknown attribute and re-emitted unchanged.
 */
const BOND_TARGET_SLOTS = 16;

/** A nest whose attribute types are slot indexes 0..15, each holding one address. Keys are the indexes. */
function targetSlots<const K extends Kind>(kind: K): Record<`${number}`, readonly [number, K]> {
  const spec: Record<string, AttrSpec> = {};
  for (let i = 0; i < BOND_TARGET_SLOTS; i++) spec[String(i)] = [i, kind];
  return spec as Record<`${number}`, readonly [number, K]>;
}

/** IFLA_BOND_ARP_IP_TARGET: IPv4 ARP monitor targets by slot (nla_put_be32(skb, i, ...)). */
export const bondArpIpTargets = attrs('IFLA_BOND_ARP_IP_TARGET', targetSlots('ipv4'));
/** IFLA_BOND_NS_IP6_TARGET: IPv6 NS monitor targets by slot (nla_put_in6_addr(skb, i, ...)). */
export const bondNsIp6Targets = attrs('IFLA_BOND_NS_IP6_TARGET', targetSlots('ipv6'));

/** IFLA_BOND_AD_INFO: the active 802.3ad aggregator. Read-only. */
export const bondAdInfo = attrs('IFLA_BOND_AD_INFO', {
  aggregator: [C.IFLA_BOND_AD_INFO_AGGREGATOR, 'u16'],
  numPorts: [C.IFLA_BOND_AD_INFO_NUM_PORTS, 'u16'],
  actorKey: [C.IFLA_BOND_AD_INFO_ACTOR_KEY, 'u16'],
  partnerKey: [C.IFLA_BOND_AD_INFO_PARTNER_KEY, 'u16'],
  partnerMac: [C.IFLA_BOND_AD_INFO_PARTNER_MAC, 'mac'],
});

export const bondData = attrs('IFLA_BOND', {
  mode: [C.IFLA_BOND_MODE, 'u8', { enum: enumOf('BOND_MODE_') }],
  activeSlave: [C.IFLA_BOND_ACTIVE_SLAVE, 'u32'],
  miimon: [C.IFLA_BOND_MIIMON, 'u32'],
  updelay: [C.IFLA_BOND_UPDELAY, 'u32'],
  downdelay: [C.IFLA_BOND_DOWNDELAY, 'u32'],
  useCarrier: [C.IFLA_BOND_USE_CARRIER, 'u8'],
  arpInterval: [C.IFLA_BOND_ARP_INTERVAL, 'u32'],
  arpIpTarget: [C.IFLA_BOND_ARP_IP_TARGET, nest(bondArpIpTargets)],
  // BOND_ARP_VALIDATE_* (none, active, backup, all, filter...): kernel-internal values.
  arpValidate: [C.IFLA_BOND_ARP_VALIDATE, 'u32'],
  arpAllTargets: [C.IFLA_BOND_ARP_ALL_TARGETS, 'u32'],
  primary: [C.IFLA_BOND_PRIMARY, 'u32'],
  primaryReselect: [C.IFLA_BOND_PRIMARY_RESELECT, 'u8'],
  failOverMac: [C.IFLA_BOND_FAIL_OVER_MAC, 'u8'],
  xmitHashPolicy: [C.IFLA_BOND_XMIT_HASH_POLICY, 'u8', { enum: enumOf('BOND_XMIT_POLICY_') }],
  resendIgmp: [C.IFLA_BOND_RESEND_IGMP, 'u32'],
  numPeerNotif: [C.IFLA_BOND_NUM_PEER_NOTIF, 'u8'],
  allSlavesActive: [C.IFLA_BOND_ALL_SLAVES_ACTIVE, 'u8'],
  minLinks: [C.IFLA_BOND_MIN_LINKS, 'u32'],
  lpInterval: [C.IFLA_BOND_LP_INTERVAL, 'u32'],
  packetsPerSlave: [C.IFLA_BOND_PACKETS_PER_SLAVE, 'u32'],
  adLacpRate: [C.IFLA_BOND_AD_LACP_RATE, 'u8'],
  adSelect: [C.IFLA_BOND_AD_SELECT, 'u8'],
  adInfo: [C.IFLA_BOND_AD_INFO, nest(bondAdInfo)],
  adActorSysPrio: [C.IFLA_BOND_AD_ACTOR_SYS_PRIO, 'u16'],
  adUserPortKey: [C.IFLA_BOND_AD_USER_PORT_KEY, 'u16'],
  adActorSystem: [C.IFLA_BOND_AD_ACTOR_SYSTEM, 'mac'],
  tlbDynamicLb: [C.IFLA_BOND_TLB_DYNAMIC_LB, 'u8'],
  peerNotifDelay: [C.IFLA_BOND_PEER_NOTIF_DELAY, 'u32'],
  adLacpActive: [C.IFLA_BOND_AD_LACP_ACTIVE, 'u8'],
  missedMax: [C.IFLA_BOND_MISSED_MAX, 'u8'],
  nsIp6Target: [C.IFLA_BOND_NS_IP6_TARGET, nest(bondNsIp6Targets)],
  coupledControl: [C.IFLA_BOND_COUPLED_CONTROL, 'u8'],
  broadcastNeigh: [C.IFLA_BOND_BROADCAST_NEIGH, 'u8'],
});

export const bondSlaveData = attrs('IFLA_BOND_SLAVE', {
  state: [C.IFLA_BOND_SLAVE_STATE, 'u8', { enum: enumOf('BOND_STATE_') }],
  miiStatus: [C.IFLA_BOND_SLAVE_MII_STATUS, 'u8', { enum: enumOf('BOND_LINK_') }],
  linkFailureCount: [C.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 'u32'],
  permHwaddr: [C.IFLA_BOND_SLAVE_PERM_HWADDR, 'mac'],
  queueId: [C.IFLA_BOND_SLAVE_QUEUE_ID, 'u16'],
  adAggregatorId: [C.IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, 'u16'],
  // LACP_STATE_* bits.
  adActorOperPortState: [C.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, 'u8'],
  adPartnerOperPortState: [C.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, 'u16'],
  prio: [C.IFLA_BOND_SLAVE_PRIO, 's32'],
  actorPortPrio: [C.IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, 'u16'],
  adChurnActorState: [C.IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE, 'u8'],
  adChurnPartnerState: [C.IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE, 'u8'],
});
