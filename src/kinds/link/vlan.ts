/** The 802.1Q vlan link kind. IFLA_INFO_DATA (IFLA_VLAN_*), per vlan_policy and vlan_fill_info in net/8021q/vlan_netlink.c. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
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
  /** VLAN_FLAG_* bits and the mask of bits to change (struct ifla_vlan_flags; replies carry mask ~0). */
  flags?: { flags: number; mask: number };
  egressQos?: VlanQosMapping[];
  ingressQos?: VlanQosMapping[];
}

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
        flags: z.object({ flags: v.u32, mask: v.u32 }).strict().optional(),
        egressQos: qos.optional(),
        ingressQos: qos.optional(),
      })
      .strict();
  },
  toAttrs(o) {
    // iproute2's order: id, then flags and maps, then protocol.
    const d: VlanAttrs = { id: o.id };
    if (o.flags !== undefined) d.flags = { flags: o.flags.flags, mask: o.flags.mask };
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
    if (d.flags?.flags !== undefined) o.flags = { flags: d.flags.flags, mask: d.flags.mask ?? 0xffffffff };
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
      else throw w.usage(`unknown vlan option "${k}"`);
    }
    return Object.keys(o).length ? (o as unknown as VlanOptions) : undefined;
  },
  usage:
    'ARGS for vlan:   id VLANID [protocol 802.1Q|802.1ad] [egress-qos-map FROM:TO ...] [ingress-qos-map FROM:TO ...]',
});
