/** The 802.1Q vlan link kind. IFLA_INFO_DATA (IFLA_VLAN_*), per vlan_policy and vlan_fill_info in net/8021q/vlan_netlink.c. */
import * as C from '../../codec/constants/index.js';
import { enumOf, flagNames } from '../../codec/enums.js';
import { attrs, multi, nest, struct, type SetValues } from '../../codec/schema.js';
import { hash0x, put, type Json } from '../json.js';
import { vlanProtocolNumber, vlanProtocolWord } from './bridge.js';
import { defineLinkKind } from './kind.js';

/** struct ifla_vlan_flags: VLAN_FLAG_* bits and the mask of bits to change (~0 in replies). */
export const iflaVlanFlags = struct(
  'ifla_vlan_flags',
  [
    ['flags', 'u32'],
    ['mask', 'u32'],
  ],
  8,
);

/** struct ifla_vlan_qos_mapping: skb priority `from` maps to 802.1p priority `to` (or back). */
export const iflaVlanQosMapping = struct(
  'ifla_vlan_qos_mapping',
  [
    ['from', 'u32'],
    ['to', 'u32'],
  ],
  8,
);

/** IFLA_VLAN_EGRESS_QOS / IFLA_VLAN_INGRESS_QOS: one IFLA_VLAN_QOS_MAPPING per mapping. */
export const vlanQosAttrs = attrs('IFLA_VLAN_QOS', {
  mapping: [C.IFLA_VLAN_QOS_MAPPING, multi(iflaVlanQosMapping)],
});

export const vlanData = attrs('IFLA_VLAN', {
  id: [C.IFLA_VLAN_ID, 'u16'],
  flags: [C.IFLA_VLAN_FLAGS, iflaVlanFlags],
  egressQos: [C.IFLA_VLAN_EGRESS_QOS, nest(vlanQosAttrs)],
  ingressQos: [C.IFLA_VLAN_INGRESS_QOS, nest(vlanQosAttrs)],
  // ETH_P_8021Q or ETH_P_8021AD, big-endian (nla_put_be16).
  protocol: [C.IFLA_VLAN_PROTOCOL, 'be16', { enum: enumOf('ETH_P_') }],
});

/** VLAN_FLAG_* as options keys, ip's words in the comments. */
export const VLAN_FLAGS = {
  /** reorder_hdr: move the tag out of the frame on receive (on by default). */
  reorderHdr: C.VLAN_FLAG_REORDER_HDR,
  /** gvrp: register the VLAN with GVRP. */
  gvrp: C.VLAN_FLAG_GVRP,
  /** loose_binding: the vlan's state does not follow its lower device's. */
  looseBinding: C.VLAN_FLAG_LOOSE_BINDING,
  /** mvrp: register the VLAN with MVRP. */
  mvrp: C.VLAN_FLAG_MVRP,
  /** bridge_binding: the vlan's carrier follows the bridge's ports in this VLAN. */
  bridgeBinding: C.VLAN_FLAG_BRIDGE_BINDING,
} as const;
export type VlanFlags = { -readonly [K in keyof typeof VLAN_FLAGS]?: boolean };
const FLAG_KEYS = Object.keys(VLAN_FLAGS) as Array<keyof typeof VLAN_FLAGS>;

/** Options flags -> struct ifla_vlan_flags: the bits given true, and a mask of every bit given. */
export function vlanFlagsOut(f: VlanFlags): { flags: number; mask: number } {
  let flags = 0;
  let mask = 0;
  for (const k of FLAG_KEYS) {
    if (f[k] === undefined) continue;
    mask |= VLAN_FLAGS[k];
    if (f[k]) flags |= VLAN_FLAGS[k];
  }
  return { flags, mask };
}

/** struct ifla_vlan_flags -> options flags: each bit the mask covers (all, in replies). */
export function vlanFlagsIn(d: { flags?: number; mask?: number }): VlanFlags {
  const mask = d.mask ?? 0xffffffff;
  const out: VlanFlags = {};
  for (const k of FLAG_KEYS) if (mask & VLAN_FLAGS[k]) out[k] = ((d.flags ?? 0) & VLAN_FLAGS[k]) !== 0;
  return out;
}

/** One priority mapping: skb priority `from` -> 802.1p `to` (egress), or back (ingress). */
export interface VlanQosMapping {
  from: number;
  to: number;
}

/** VLAN options. Equivalent to: ip link add NAME link DEV type vlan id N [protocol 802.1Q|802.1ad] [egress-qos-map FROM:TO ...] */
export interface VlanOptions {
  id: number;
  /** ip's words; another protocol number as read back. */
  protocol?: '802.1Q' | '802.1ad' | number;
  /**
   * VLAN_FLAG_* by name: each key given is set on (true) or off (false), the others are left as
   * they are. Read back, every flag is present. Equivalent to: ip link ... type vlan reorder_hdr on gvrp off ...
   */
  flags?: VlanFlags;
  egressQos?: VlanQosMapping[];
  ingressQos?: VlanQosMapping[];
}

/** ip's words for the flags: reorder_hdr, gvrp, loose_binding, mvrp, bridge_binding. */
const FLAG_WORDS = new Map(FLAG_KEYS.map((k) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k]));

type VlanAttrs = SetValues<typeof vlanData>;
const qosOut = (m: VlanQosMapping[]) => ({ mapping: m.map(({ from, to }) => ({ from, to })) });
const qosIn = (n: { mapping?: Array<{ from?: number; to?: number }> } | undefined) =>
  n?.mapping?.map((m) => ({ from: m.from ?? 0, to: m.to ?? 0 }));

export default defineLinkKind<VlanOptions, VlanAttrs>()({
  kind: 'vlan',
  optionKey: 'vlan',
  data: vlanData,
  schema: (z, v) => {
    const qos = z.array(z.object({ from: v.u32, to: v.u32 }).strict());
    return z
      .object({
        id: z.number().int().min(0).max(4094),
        protocol: z.union([z.enum(['802.1Q', '802.1ad']), v.u16]).optional(),
        flags: z
          .object(Object.fromEntries(FLAG_KEYS.map((k) => [k, z.boolean().optional()])))
          .strict()
          .optional(),
        egressQos: qos.optional(),
        ingressQos: qos.optional(),
      })
      .strict();
  },
  toAttrs(o) {
    // iproute2's order: id, then flags and maps, then protocol.
    const d: VlanAttrs = { id: o.id };
    if (o.flags !== undefined) d.flags = vlanFlagsOut(o.flags);
    if (o.egressQos !== undefined) d.egressQos = qosOut(o.egressQos);
    if (o.ingressQos !== undefined) d.ingressQos = qosOut(o.ingressQos);
    if (o.protocol !== undefined) d.protocol = vlanProtocolNumber(o.protocol);
    return d;
  },
  fromAttrs(d) {
    if (d.id === undefined) return undefined;
    const o: VlanOptions = { id: d.id };
    const proto = vlanProtocolWord(d.protocol);
    if (proto !== undefined) o.protocol = proto;
    if (d.flags?.flags !== undefined) o.flags = vlanFlagsIn(d.flags);
    const eg = qosIn(d.egressQos);
    if (eg) o.egressQos = eg;
    const ing = qosIn(d.ingressQos);
    if (ing) o.ingressQos = ing;
    return o;
  },
  json(d: Record<string, any>) {
    const j: Json = {};
    const proto = vlanProtocolWord(d.protocol);
    put(j, 'protocol', typeof proto === 'number' ? hash0x(proto) : proto);
    put(j, 'id', d.id);
    // ip -d -j: the names of the bits set, as the kernel spells them ("REORDER_HDR", ...).
    if (d.flags?.flags !== undefined) j.flags = flagNames('VLAN_FLAG_', d.flags.flags);
    return j;
  },
  parseArgs(w) {
    const o: Record<string, unknown> = {};
    const maps = (k: string): VlanQosMapping[] => {
      const out: VlanQosMapping[] = [];
      while (!w.done && /^\d+:\d+$/.test(w.peek()!)) {
        const [from, to] = w.shift().split(':') as [string, string];
        out.push({ from: w.uint(k, from), to: w.uint(k, to) });
      }
      return out;
    };
    while (!w.done) {
      const k = w.shift();
      if (k === 'id') o.id = w.uint(k, w.value(k), 4095);
      else if (k === 'protocol') {
        const val = w.value(k);
        if (val !== '802.1Q' && val !== '802.1ad') throw w.invalid(k, val, 'expected 802.1Q or 802.1ad');
        o.protocol = val;
      } else if (k === 'egress-qos-map' || k === 'egress') o.egressQos = maps(k);
      else if (k === 'ingress-qos-map' || k === 'ingress') o.ingressQos = maps(k);
      else if (FLAG_WORDS.has(k)) {
        const val = w.value(k);
        if (val !== 'on' && val !== 'off') throw w.invalid(k, val, 'expected on or off');
        o.flags = { ...(o.flags as VlanFlags), [FLAG_WORDS.get(k)!]: val === 'on' };
      } else throw w.usage(`unknown vlan option "${k}"`);
    }
    return Object.keys(o).length ? (o as unknown as VlanOptions) : undefined;
  },
  usage:
    'ARGS for vlan:   id VLANID [protocol 802.1Q|802.1ad] [reorder_hdr|gvrp|mvrp|loose_binding|bridge_binding on|off] [egress-qos-map FROM:TO ...] [ingress-qos-map FROM:TO ...]',
});
