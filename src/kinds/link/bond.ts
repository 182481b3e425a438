/** The bond link kind. IFLA_INFO_DATA (IFLA_BOND_*) and bond port IFLA_INFO_SLAVE_DATA (IFLA_BOND_SLAVE_*), per drivers/net/bonding/bond_netlink.c. */
import type { z } from 'zod';
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs, nest, type AttrSpec, type Kind, type SetValues } from '../../codec/schema.js';
import { enumNumber } from '../plugin.js';
import { defineLinkKind } from './kind.js';

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

// ---------------------------------------------------------------------------------------------
// Options

/** ip's bond modes, by BOND_MODE_* value. */
const MODES = {
  'balance-rr': C.BOND_MODE_ROUNDROBIN,
  'active-backup': C.BOND_MODE_ACTIVEBACKUP,
  'balance-xor': C.BOND_MODE_XOR,
  broadcast: C.BOND_MODE_BROADCAST,
  '802.3ad': C.BOND_MODE_8023AD,
  'balance-tlb': C.BOND_MODE_TLB,
  'balance-alb': C.BOND_MODE_ALB,
} as const;
/** ip's transmit hash policies, by BOND_XMIT_POLICY_* value. */
const HASH_POLICIES = {
  layer2: C.BOND_XMIT_POLICY_LAYER2,
  'layer3+4': C.BOND_XMIT_POLICY_LAYER34,
  'layer2+3': C.BOND_XMIT_POLICY_LAYER23,
  'encap2+3': C.BOND_XMIT_POLICY_ENCAP23,
  'encap3+4': C.BOND_XMIT_POLICY_ENCAP34,
  'vlan+srcmac': C.BOND_XMIT_POLICY_VLAN_SRCMAC,
} as const;
export type BondMode = keyof typeof MODES;
export type BondHashPolicy = keyof typeof HASH_POLICIES;

/** Numeric bond options, with their width (ip's words are these keys in snake_case). */
const NUMERIC = [
  ['miimon', 'u32'],
  ['updelay', 'u32'],
  ['downdelay', 'u32'],
  ['useCarrier', 'u8'],
  ['arpInterval', 'u32'],
  ['arpValidate', 'u32'],
  ['arpAllTargets', 'u32'],
  ['primaryReselect', 'u8'],
  ['failOverMac', 'u8'],
  ['resendIgmp', 'u32'],
  ['numPeerNotif', 'u8'],
  ['allSlavesActive', 'u8'],
  ['minLinks', 'u32'],
  ['lpInterval', 'u32'],
  ['packetsPerSlave', 'u32'],
  ['adLacpRate', 'u8'],
  ['adSelect', 'u8'],
  ['adActorSysPrio', 'u16'],
  ['adUserPortKey', 'u16'],
  ['tlbDynamicLb', 'u8'],
  ['peerNotifDelay', 'u32'],
  ['adLacpActive', 'u8'],
  ['missedMax', 'u8'],
  ['coupledControl', 'u8'],
  ['broadcastNeigh', 'u8'],
] as const;
type NumericKey = (typeof NUMERIC)[number][0];

/** Bond options. Equivalent to: ip link add NAME type bond mode MODE [miimon MS] [xmit_hash_policy P] [arp_ip_target A,B] ... */
export interface BondOptions extends Partial<Record<NumericKey, number>> {
  /** ip's word; a number for a mode this machine's headers do not name. */
  mode?: BondMode | number;
  xmitHashPolicy?: BondHashPolicy | number;
  /** ARP monitor targets (IPv4), in slot order. */
  arpIpTarget?: string[];
  /** NS monitor targets (IPv6), in slot order. */
  nsIp6Target?: string[];
  adActorSystem?: string;
}

type BondAttrs = SetValues<typeof bondData>;
const wordOf = <T extends Record<string, number>>(table: T, v: unknown): keyof T | number | undefined => {
  const n = typeof v === 'number' ? v : undefined;
  const hit = (Object.keys(table) as Array<keyof T>).find((k) => table[k] === n);
  return hit ?? n;
};
/** The codec decodes modes to names ('ACTIVEBACKUP'); back to their numbers. */
const modeNames = enumOf('BOND_MODE_');
const hashNames = enumOf('BOND_XMIT_POLICY_');
const slots = (list: string[]) => Object.fromEntries(list.map((a, i) => [String(i), a]));
const fromSlots = (n: Record<string, unknown> | undefined) =>
  n === undefined
    ? undefined
    : Object.keys(n)
        .filter((k) => /^\d+$/.test(k))
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => n[k] as string);

export default defineLinkKind<BondOptions, BondAttrs>()({
  kind: 'bond',
  optionKey: 'bond',
  data: bondData,
  port: { data: bondSlaveData },
  schema: (z, v) => {
    const width = { u8: v.u8, u16: v.u16, u32: v.u32 };
    const shape: Record<string, z.ZodType> = {
      mode: z.union([z.enum(Object.keys(MODES) as [BondMode]), v.u8]).optional(),
      xmitHashPolicy: z.union([z.enum(Object.keys(HASH_POLICIES) as [BondHashPolicy]), v.u8]).optional(),
      arpIpTarget: z.array(v.ipv4).max(16).optional(),
      nsIp6Target: z.array(v.ipv6).max(16).optional(),
      adActorSystem: v.mac.optional(),
    };
    for (const [key, w] of NUMERIC) shape[key] = width[w].optional();
    return z.object(shape).strict();
  },
  toAttrs(o) {
    const d: Record<string, unknown> = {};
    if (o.mode !== undefined) d.mode = typeof o.mode === 'number' ? o.mode : MODES[o.mode];
    for (const [key] of NUMERIC) if (o[key] !== undefined) d[key] = o[key];
    if (o.xmitHashPolicy !== undefined)
      d.xmitHashPolicy = typeof o.xmitHashPolicy === 'number' ? o.xmitHashPolicy : HASH_POLICIES[o.xmitHashPolicy];
    if (o.arpIpTarget !== undefined) d.arpIpTarget = slots(o.arpIpTarget);
    if (o.nsIp6Target !== undefined) d.nsIp6Target = slots(o.nsIp6Target);
    if (o.adActorSystem !== undefined) d.adActorSystem = o.adActorSystem;
    return d as BondAttrs;
  },
  fromAttrs(d) {
    const o: BondOptions = {};
    const mode = wordOf(MODES, enumNumber(modeNames, d.mode));
    if (mode !== undefined) o.mode = mode;
    for (const [key] of NUMERIC) {
      const val = (d as Record<string, unknown>)[key];
      if (typeof val === 'number') o[key] = val;
    }
    const policy = wordOf(HASH_POLICIES, enumNumber(hashNames, d.xmitHashPolicy));
    if (policy !== undefined) o.xmitHashPolicy = policy;
    const arp = fromSlots(d.arpIpTarget as Record<string, unknown> | undefined);
    if (arp) o.arpIpTarget = arp;
    const ns = fromSlots(d.nsIp6Target as Record<string, unknown> | undefined);
    if (ns) o.nsIp6Target = ns;
    if (d.adActorSystem !== undefined) o.adActorSystem = d.adActorSystem;
    return o;
  },
  parseArgs(w) {
    const o: Record<string, unknown> = {};
    const numeric = new Map<string, string>(
      NUMERIC.map(([k]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k]),
    );
    while (!w.done) {
      const k = w.shift();
      if (k === 'mode') {
        const val = w.value(k);
        o.mode = /^\d+$/.test(val) ? Number(val) : val;
      } else if (k === 'xmit_hash_policy') o.xmitHashPolicy = w.value(k);
      else if (k === 'arp_ip_target') o.arpIpTarget = w.value(k).split(',');
      else if (k === 'ns_ip6_target') o.nsIp6Target = w.value(k).split(',');
      else if (k === 'ad_actor_system') o.adActorSystem = w.value(k);
      else if (numeric.has(k)) o[numeric.get(k)!] = w.uint(k, w.value(k));
      else throw w.usage(`unknown bond option "${k}"`);
    }
    return Object.keys(o).length ? (o as BondOptions) : undefined;
  },
  usage: 'ARGS for bond:   mode MODE [miimon MS] [xmit_hash_policy POLICY] [arp_ip_target A,B,...] [min_links N] ...',
});
