/** The vxlan link kind. IFLA_INFO_DATA (IFLA_VXLAN_*), per vxlan_policy and vxlan_fill_info in drivers/net/vxlan/vxlan_core.c. */
import { EncodeError } from '../../errors.js';
import type { z } from 'zod';
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs, custom, struct, type SetValues } from '../../codec/schema.js';
import { bool, hash0x, put, type Json, type Names } from '../json.js';
import { enumNumber } from '../plugin.js';
import { defineLinkKind } from './kind.js';

/** struct ifla_vxlan_port_range: the UDP source port range, both ends big-endian. */
export const iflaVxlanPortRange = struct(
  'ifla_vxlan_port_range',
  [
    ['low', 'be16'],
    ['high', 'be16'],
  ],
  4,
);

/** struct vxlanhdr (IFLA_VXLAN_RESERVED_BITS): the flags word and the VNI word, big-endian. */
export const vxlanhdr = struct(
  'vxlanhdr',
  [
    ['flags', 'be32'],
    ['vni', 'be32'],
  ],
  8,
);

/**
 * IFLA_VXLAN_TTL_INHERIT is asymmetric: the kernel reports it as a u8 (0 or 1), but its policy is
 * NLA_FLAG, which rejects any payload. Decodes a u8 as its number and an empty attribute as true;
 * encodes true as the empty flag a request needs, and a number as the u8 a reply carries.
 * Any other length is kept as its bytes.
 */
export const u8OrFlag = custom<number | true | Uint8Array>({
  name: 'u8-or-flag',
  decode: (buf, view, at, len) => (len === 0 ? true : len === 1 ? view.getUint8(at) : buf.slice(at, at + len)),
  encode: (w, v, path) => {
    if (v === true) return;
    if (v instanceof Uint8Array) return w.bytes(v);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xff) {
      throw new EncodeError('expected true (a flag, as requests send it) or a u8', path);
    }
    w.u8(v);
  },
});

export const vxlanData = attrs('IFLA_VXLAN', {
  id: [C.IFLA_VXLAN_ID, 'u32'],
  group: [C.IFLA_VXLAN_GROUP, 'ipv4'],
  link: [C.IFLA_VXLAN_LINK, 'u32'],
  local: [C.IFLA_VXLAN_LOCAL, 'ipv4'],
  ttl: [C.IFLA_VXLAN_TTL, 'u8'],
  tos: [C.IFLA_VXLAN_TOS, 'u8'],
  learning: [C.IFLA_VXLAN_LEARNING, 'u8'],
  ageing: [C.IFLA_VXLAN_AGEING, 'u32'],
  limit: [C.IFLA_VXLAN_LIMIT, 'u32'],
  portRange: [C.IFLA_VXLAN_PORT_RANGE, iflaVxlanPortRange],
  proxy: [C.IFLA_VXLAN_PROXY, 'u8'],
  rsc: [C.IFLA_VXLAN_RSC, 'u8'],
  l2miss: [C.IFLA_VXLAN_L2MISS, 'u8'],
  l3miss: [C.IFLA_VXLAN_L3MISS, 'u8'],
  port: [C.IFLA_VXLAN_PORT, 'be16'],
  group6: [C.IFLA_VXLAN_GROUP6, 'ipv6'],
  local6: [C.IFLA_VXLAN_LOCAL6, 'ipv6'],
  udpCsum: [C.IFLA_VXLAN_UDP_CSUM, 'u8'],
  udpZeroCsum6Tx: [C.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, 'u8'],
  udpZeroCsum6Rx: [C.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, 'u8'],
  remcsumTx: [C.IFLA_VXLAN_REMCSUM_TX, 'u8'],
  remcsumRx: [C.IFLA_VXLAN_REMCSUM_RX, 'u8'],
  gbp: [C.IFLA_VXLAN_GBP, 'flag'],
  remcsumNopartial: [C.IFLA_VXLAN_REMCSUM_NOPARTIAL, 'flag'],
  collectMetadata: [C.IFLA_VXLAN_COLLECT_METADATA, 'u8'],
  // The IPv6 flow label, big-endian (nla_put_be32).
  label: [C.IFLA_VXLAN_LABEL, 'be32'],
  gpe: [C.IFLA_VXLAN_GPE, 'flag'],
  ttlInherit: [C.IFLA_VXLAN_TTL_INHERIT, u8OrFlag],
  df: [C.IFLA_VXLAN_DF, 'u8', { enum: enumOf('VXLAN_DF_') }],
  vnifilter: [C.IFLA_VXLAN_VNIFILTER, 'u8'],
  // Linux 6.7+.
  localbypass: [C.IFLA_VXLAN_LOCALBYPASS, 'u8'],
  labelPolicy: [C.IFLA_VXLAN_LABEL_POLICY, 'u32', { enum: enumOf('VXLAN_LABEL_') }],
  // The VXLAN header bits the device accepts set, as a struct vxlanhdr.
  reservedBits: [C.IFLA_VXLAN_RESERVED_BITS, vxlanhdr],
  mcRoute: [C.IFLA_VXLAN_MC_ROUTE, 'u8'],
});

// ---------------------------------------------------------------------------------------------
// Options

/** VXLAN options (IFLA_VXLAN_*). Equivalent to: ip link add NAME type vxlan id N [dstport P] [local A] [remote B | group G] [dev D] [ttl T] [[no]learning] ... */
export interface VxlanOptions {
  /** VNI. Equivalent to: ip link add NAME type vxlan id N */
  id: number;
  /** UDP destination port (ip's dstport), e.g. 4789. */
  port?: number;
  /** Source address, IPv4 or IPv6. */
  local?: string;
  /** Multicast group, IPv4 or IPv6. */
  group?: string;
  /** Unicast remote (shares the kernel attribute with group). */
  remote?: string;
  /** The underlay device (ip's dev): a name, or the ifindex a link read back reports. */
  dev?: string | number;
  /** Hop limit; 0 is ip's `auto`, 'inherit' copies it from the inner packet. */
  ttl?: number | 'inherit';
  /** 1 is ip's `inherit`. */
  tos?: number;
  /** The don't-fragment bit of the outer IPv4 header. */
  df?: 'unset' | 'set' | 'inherit';
  /** IPv6 flow label. */
  label?: number;
  learning?: boolean;
  proxy?: boolean;
  /** Route short circuit. */
  rsc?: boolean;
  l2miss?: boolean;
  l3miss?: boolean;
  /** FDB entry lifetime in seconds. */
  ageing?: number;
  /** Maximum number of FDB entries (ip's maxaddress); 0: no limit. */
  limit?: number;
  /** UDP source port range (ip's srcport LOW HIGH). */
  portRange?: { low: number; high: number };
  udpCsum?: boolean;
  udpZeroCsum6Tx?: boolean;
  udpZeroCsum6Rx?: boolean;
  remcsumTx?: boolean;
  remcsumRx?: boolean;
  remcsumNopartial?: boolean;
  /** Metadata-based tunnelling (ip's external). */
  collectMetadata?: boolean;
  gbp?: boolean;
  gpe?: boolean;
  vnifilter?: boolean;
  /** Deliver to a local vxlan device directly (Linux 6.7+, on by default). */
  localbypass?: boolean;
  /** Route multicast through the routing table (ip's mcroute). */
  mcRoute?: boolean;
  /** IPv6 flow label: 'fixed' (label) or 'inherit' from the inner packet. */
  labelPolicy?: 'fixed' | 'inherit';
}

type VxlanAttrs = SetValues<typeof vxlanData>;
const isV6 = (a: string) => a.includes(':');
const isMulticast = (addr: string): boolean =>
  isV6(addr) ? addr.toLowerCase().startsWith('ff') : (Number(addr.split('.')[0]) & 0xf0) === 0xe0;
/** Options that are u8 0/1 on the wire and booleans here. */
const U8_BOOLS = [
  'learning',
  'proxy',
  'rsc',
  'l2miss',
  'l3miss',
  'udpCsum',
  'udpZeroCsum6Tx',
  'udpZeroCsum6Rx',
  'remcsumTx',
  'remcsumRx',
  'collectMetadata',
  'vnifilter',
  'localbypass',
  'mcRoute',
] as const;
/** Options that are NLA_FLAGs: present means on. */
const FLAGS = ['gbp', 'gpe', 'remcsumNopartial'] as const;
const DF = ['unset', 'set', 'inherit'] as const;
const LABEL_POLICIES = ['fixed', 'inherit'] as const;
const LABEL_POLICY_NUMBER = { fixed: C.VXLAN_LABEL_FIXED, inherit: C.VXLAN_LABEL_INHERIT } as const;

function vxlanJson(d: Record<string, any>, names: Names): Json {
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
    j.df = typeof d.df === 'string' ? d.df.toLowerCase() : (DF[d.df as 0 | 1 | 2] ?? String(d.df));
  if (d.label) j.label = hash0x(d.label);
  put(j, 'ageing', d.ageing);
  if (d.limit) j.limit = d.limit;
  if (d.udpCsum !== undefined) j.udp_csum = bool(d.udpCsum);
  if (d.udpZeroCsum6Tx !== undefined) j.udp_zero_csum6_tx = bool(d.udpZeroCsum6Tx);
  if (d.udpZeroCsum6Rx !== undefined) j.udp_zero_csum6_rx = bool(d.udpZeroCsum6Rx);
  return j;
}

/** Switches ip prints as a bare word when on and with `no` when off (print_bool_opt). */
const VXLAN_BOOL_WORDS: Record<string, string> = {
  udp_csum: 'udpcsum',
  udp_zero_csum6_tx: 'udp6zerocsumtx',
  udp_zero_csum6_rx: 'udp6zerocsumrx',
};
/** Flags ip prints only when set. */
const VXLAN_FLAG_WORDS = new Set(['proxy', 'rsc', 'l2miss', 'l3miss']);

/** `ip -d link show` text of vxlan data, from its JSON: `dstport 4789 nolearning ttl auto ...`, as ip spells it. */
function vxlanText(j: Json): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(j)) {
    if (k === 'group' || k === 'group6') out.push(`group ${v}`);
    else if (k === 'remote' || k === 'remote6') out.push(`remote ${v}`);
    else if (k === 'local' || k === 'local6') out.push(`local ${v}`);
    else if (k === 'link') out.push(`dev ${v}`);
    else if (k === 'port_range') {
      const r = v as { low: number; high: number };
      out.push(`srcport ${r.low} ${r.high}`);
    } else if (k === 'port') out.push(`dstport ${v}`);
    else if (k === 'learning') {
      if (v === false) out.push('nolearning');
    } else if (VXLAN_FLAG_WORDS.has(k)) {
      if (v) out.push(k);
    } else if (k === 'ttl') out.push(`ttl ${v === 0 ? 'auto' : v}`);
    else if (k === 'df') {
      if (v !== 'unset') out.push(`df ${v}`);
    } else if (k === 'label') out.push(`flowlabel ${v}`);
    else if (k === 'limit') out.push(`maxaddr ${v}`);
    else if (k in VXLAN_BOOL_WORDS) out.push(`${v ? '' : 'no'}${VXLAN_BOOL_WORDS[k]}`);
    else out.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return out.join(' ');
}

export default defineLinkKind<VxlanOptions, VxlanAttrs>()({
  kind: 'vxlan',
  optionKey: 'vxlan',
  data: vxlanData,
  schema: (z, v) => {
    const shape: Record<string, z.ZodType> = {
      id: v.vxlanId,
      port: v.port.optional(),
      local: v.ip.optional(),
      group: v.ip.optional(),
      remote: v.ip.optional(),
      dev: v.linkRef.optional(),
      ttl: z.union([v.u8, z.literal('inherit')]).optional(),
      tos: v.u8.optional(),
      df: z.enum(DF).optional(),
      label: z.number().int().min(0).max(0xfffff).optional(),
      ageing: v.u32.optional(),
      limit: v.u32.optional(),
      portRange: z.object({ low: v.u16, high: v.u16 }).strict().optional(),
      labelPolicy: z.enum(LABEL_POLICIES).optional(),
    };
    for (const k of [...U8_BOOLS, ...FLAGS]) shape[k] = z.boolean().optional();
    return z
      .object(shape)
      .strict()
      .refine((o) => !(o.group && o.remote), { message: 'give group or remote, not both', path: ['remote'] })
      .refine(
        (o) => {
          const fam = [o.local, o.group ?? o.remote].filter(Boolean).map((a) => isV6(a as string));
          return fam.length < 2 || fam[0] === fam[1];
        },
        { message: 'local and group/remote must be the same address family', path: ['local'] },
      );
  },
  async toAttrs(o, ctx) {
    const d: VxlanAttrs = { id: o.id };
    const peer = o.group ?? o.remote;
    if (peer) d[isV6(peer) ? 'group6' : 'group'] = peer;
    if (o.local) d[isV6(o.local) ? 'local6' : 'local'] = o.local;
    if (o.dev !== undefined) d.link = await ctx.linkIndex(o.dev);
    if (o.port !== undefined) d.port = o.port;
    if (o.ttl === 'inherit') d.ttlInherit = true;
    else if (o.ttl !== undefined) d.ttl = o.ttl;
    if (o.tos !== undefined) d.tos = o.tos;
    if (o.df !== undefined) d.df = DF.indexOf(o.df);
    if (o.label !== undefined) d.label = o.label;
    if (o.labelPolicy !== undefined) d.labelPolicy = LABEL_POLICY_NUMBER[o.labelPolicy];
    if (o.ageing !== undefined) d.ageing = o.ageing;
    if (o.limit !== undefined) d.limit = o.limit;
    if (o.portRange !== undefined) d.portRange = { low: o.portRange.low, high: o.portRange.high };
    for (const k of U8_BOOLS) if (o[k] !== undefined) d[k] = o[k] ? 1 : 0;
    for (const k of FLAGS) if (o[k]) d[k] = true;
    return d;
  },
  fromAttrs(d) {
    if (d.id === undefined) return undefined;
    const o: VxlanOptions = { id: d.id };
    const peer = d.group ?? d.group6;
    if (peer !== undefined) o[isMulticast(peer) ? 'group' : 'remote'] = peer;
    const local = d.local ?? d.local6;
    if (local !== undefined) o.local = local;
    if (d.link) o.dev = d.link;
    if (d.port !== undefined) o.port = d.port;
    if (d.ttlInherit !== undefined && d.ttlInherit !== 0) o.ttl = 'inherit';
    else if (d.ttl !== undefined) o.ttl = d.ttl;
    if (d.tos !== undefined) o.tos = d.tos;
    if (d.df !== undefined) {
      const df = typeof d.df === 'string' ? d.df.toLowerCase() : DF[d.df as 0 | 1 | 2];
      if (df !== undefined) o.df = df as VxlanOptions['df'];
    }
    if (d.label !== undefined) o.label = d.label;
    if (d.labelPolicy !== undefined) {
      const n = enumNumber(enumOf('VXLAN_LABEL_'), d.labelPolicy);
      const policy = LABEL_POLICIES.find((p) => LABEL_POLICY_NUMBER[p] === n);
      if (policy !== undefined) o.labelPolicy = policy;
    }
    if (d.ageing !== undefined) o.ageing = d.ageing;
    if (d.limit !== undefined) o.limit = d.limit;
    if (d.portRange?.low !== undefined && d.portRange.high !== undefined)
      o.portRange = { low: d.portRange.low, high: d.portRange.high };
    for (const k of U8_BOOLS) if (d[k] !== undefined) o[k] = d[k] !== 0;
    for (const k of FLAGS) if (d[k]) o[k] = true;
    return o;
  },
  json: vxlanJson,
  text: vxlanText,
  parseArgs(w) {
    const o: Record<string, unknown> = {};
    const onOff: Record<string, readonly [string, boolean]> = {
      learning: ['learning', true],
      nolearning: ['learning', false],
      proxy: ['proxy', true],
      noproxy: ['proxy', false],
      rsc: ['rsc', true],
      norsc: ['rsc', false],
      l2miss: ['l2miss', true],
      nol2miss: ['l2miss', false],
      l3miss: ['l3miss', true],
      nol3miss: ['l3miss', false],
      udpcsum: ['udpCsum', true],
      noudpcsum: ['udpCsum', false],
      udp6zerocsumtx: ['udpZeroCsum6Tx', true],
      noudp6zerocsumtx: ['udpZeroCsum6Tx', false],
      udp6zerocsumrx: ['udpZeroCsum6Rx', true],
      noudp6zerocsumrx: ['udpZeroCsum6Rx', false],
      external: ['collectMetadata', true],
      noexternal: ['collectMetadata', false],
      gbp: ['gbp', true],
      gpe: ['gpe', true],
      vnifilter: ['vnifilter', true],
      localbypass: ['localbypass', true],
      nolocalbypass: ['localbypass', false],
      mcroute: ['mcRoute', true],
    };
    while (!w.done) {
      const k = w.shift();
      const flag = onOff[k];
      if (flag) o[flag[0]] = flag[1];
      else if (k === 'id' || k === 'vni') o.id = w.uint(k, w.value(k), 0xffffff);
      else if (k === 'remote' || k === 'group' || k === 'local') o[k] = w.value(k);
      else if (k === 'dev') o.dev = w.value(k);
      else if (k === 'dstport') o.port = w.uint(k, w.value(k), 0xffff);
      else if (k === 'srcport') {
        const low = w.uint(k, w.value(k), 0xffff);
        o.portRange = { low, high: w.uint(k, w.value(k), 0xffff) };
      } else if (k === 'ttl' || k === 'hoplimit') {
        const val = w.value(k);
        o.ttl = val === 'inherit' ? 'inherit' : val === 'auto' ? 0 : w.uint(k, val, 255);
      } else if (k === 'tos' || k === 'dsfield') {
        const val = w.value(k);
        o.tos = val === 'inherit' ? 1 : w.uint(k, val, 255);
      } else if (k === 'df') {
        const val = w.value(k);
        if (!(DF as readonly string[]).includes(val)) throw w.invalid(k, val, 'expected unset, set or inherit');
        o.df = val;
      } else if (k === 'flowlabel' || k === 'label') o.label = w.uint(k, w.value(k), 0xfffff);
      else if (k === 'ageing') o.ageing = w.uint(k, w.value(k));
      else if (k === 'maxaddress') {
        const val = w.value(k);
        o.limit = val === 'unlimited' ? 0 : w.uint(k, val);
      } else throw w.usage(`unknown vxlan option "${k}"`);
    }
    return Object.keys(o).length ? (o as unknown as VxlanOptions) : undefined;
  },
  usage: `ARGS for vxlan:  {id|vni} VNI [remote ADDR | group ADDR] [local ADDR] [dev DEV] [dstport PORT]
                 [srcport LOW HIGH] [ttl TTL|inherit] [tos TOS] [df unset|set|inherit] [flowlabel N]
                 [[no]learning] [[no]proxy] [[no]rsc] [[no]l2miss] [[no]l3miss] [[no]udpcsum]
                 [[no]external] [ageing SECONDS] [maxaddress N]`,
});
