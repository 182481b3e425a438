/**
 * Lightweight tunnel encapsulation as the API speaks it: `{ type: 'mpls', labels }`,
 * `{ type: 'ip', id, dst, ... }`, `{ type: 'ip6', ... }`, to and from the typed RTA_ENCAP /
 * NHA_ENCAP attributes (src/codec/rtnl/lwtunnel.ts). Used by nexthops.
 */
import * as C from '../codec/constants/index.js';
import { enumOf } from '../codec/enums.js';
import type { Ip6EncapAttrs, IpEncapAttrs, MplsEncapAttrs } from '../codec/rtnl/lwtunnel.js';
import type { V } from './validate.js';
import type { Zod } from './zod.js';

/** MPLS: a label stack pushed on the packet (`encap mpls 100/200 [ttl N]`). */
export interface MplsEncap {
  type: 'mpls';
  labels: number[];
  ttl?: number;
}

/** IP tunnel metadata for a collect_md device (`encap ip id N dst ADDR [src ADDR] [ttl N] [tos N]`). */
export interface IpEncap {
  type: 'ip';
  /** The tunnel id (VNI, key), big-endian 64-bit on the wire. */
  id?: bigint | number;
  dst?: string;
  src?: string;
  ttl?: number;
  tos?: number;
  /** TUNNEL_* flags as read back (key, csum, seq bits). */
  flags?: number;
}

/** The same over IPv6 (`encap ip6 id N dst ADDR [src ADDR] [hoplimit N] [tc N]`). */
export interface Ip6Encap {
  type: 'ip6';
  id?: bigint | number;
  dst?: string;
  src?: string;
  hoplimit?: number;
  tc?: number;
  flags?: number;
}

/** An encapsulation to set. */
export type EncapSpec = MplsEncap | IpEncap | Ip6Encap;

/** An encapsulation read back: a typed kind, or another kind by its LWTUNNEL_ENCAP_* name, bytes kept in attrs. */
export type Encap = EncapSpec | { type: string | number };

/** LWTUNNEL_ENCAP_* names in lowercase ('mpls', 'ip', 'ila', 'ip6', 'seg6', 'bpf', 'seg6local', ...). */
const NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(enumOf('LWTUNNEL_ENCAP_', ['NONE'])).map(([k, v]) => [k, v.toLowerCase().replace(/_/g, '')]),
);

const big = (v: bigint | number | undefined) => (v === undefined ? undefined : BigInt(v));

/**
 * An EncapSpec as the encap and encapType attributes, in that order (the order ip sends
 * RTA_ENCAP/RTA_ENCAP_TYPE and NHA_ENCAP/NHA_ENCAP_TYPE in).
 */
export function encapAttrs(e: EncapSpec): { encap: Record<string, unknown>; encapType: number } {
  if (e.type === 'mpls') {
    // The kernel wants the bottom-of-stack bit on the last label (iproute2 sets it, TTL and TC 0).
    const dst = e.labels.map((label, i) => ({ label, tc: 0, bos: i === e.labels.length - 1, ttl: 0 }));
    const encap: MplsEncapAttrs = { dst };
    if (e.ttl !== undefined) encap.ttl = e.ttl;
    return { encap, encapType: C.LWTUNNEL_ENCAP_MPLS };
  }
  if (e.type === 'ip') {
    const encap: IpEncapAttrs = {};
    if (e.id !== undefined) encap.id = big(e.id);
    if (e.dst !== undefined) encap.dst = e.dst;
    if (e.src !== undefined) encap.src = e.src;
    if (e.ttl !== undefined) encap.ttl = e.ttl;
    if (e.tos !== undefined) encap.tos = e.tos;
    return { encap, encapType: C.LWTUNNEL_ENCAP_IP };
  }
  const encap: Ip6EncapAttrs = {};
  if (e.id !== undefined) encap.id = big(e.id);
  if (e.dst !== undefined) encap.dst = e.dst;
  if (e.src !== undefined) encap.src = e.src;
  if (e.hoplimit !== undefined) encap.hoplimit = e.hoplimit;
  if (e.tc !== undefined) encap.tc = e.tc;
  return { encap, encapType: C.LWTUNNEL_ENCAP_IP6 };
}

/** The encapType and encap attributes as an Encap. */
export function encapOf(type: number, encap: unknown): Encap {
  const a = (encap ?? {}) as Record<string, any>;
  if (type === C.LWTUNNEL_ENCAP_MPLS) {
    const m = a as MplsEncapAttrs;
    const out: MplsEncap = { type: 'mpls', labels: (m.dst ?? []).map((l) => l.label) };
    if (m.ttl !== undefined) out.ttl = m.ttl;
    return out;
  }
  if (type === C.LWTUNNEL_ENCAP_IP || type === C.LWTUNNEL_ENCAP_IP6) {
    const out: Record<string, unknown> = { type: type === C.LWTUNNEL_ENCAP_IP ? 'ip' : 'ip6' };
    for (const k of ['id', 'dst', 'src', 'ttl', 'tos', 'hoplimit', 'tc', 'flags'])
      if (a[k] !== undefined) out[k] = a[k];
    return out as unknown as Encap;
  }
  return { type: NAMES[type] ?? type };
}

/** The zod schema of an EncapSpec (built inside a schemas() factory; `ip` is validate.ts's address). */
export function encapZod(z: Zod, ip: ReturnType<typeof V>['ip']) {
  const tunId = z.union([
    z.bigint().min(0n).max(0xffffffffffffffffn),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ]);
  return z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('mpls'),
        labels: z.array(z.number().int().min(0).max(0xfffff)).min(1),
        ttl: z.number().int().min(0).max(255).optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('ip'),
        id: tunId.optional(),
        dst: ip.optional(),
        src: ip.optional(),
        ttl: z.number().int().min(0).max(255).optional(),
        tos: z.number().int().min(0).max(255).optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('ip6'),
        id: tunId.optional(),
        dst: ip.optional(),
        src: ip.optional(),
        hoplimit: z.number().int().min(0).max(255).optional(),
        tc: z.number().int().min(0).max(255).optional(),
      })
      .strict(),
  ]);
}
