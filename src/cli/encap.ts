/**
 * `encap ...` of `ip route` and `ip nexthop`: one parser, one JSON form and one text form for
 * both objects (lwt_parse_encap and lwt_print_encap in iproute2).
 */
import type { Encap, EncapSpec } from '../ops/lwtunnel.js';
import { addressArg, type Args, invalid, uint, UsageError } from './args.js';
import type { Json } from './format-util.js';

/** `encap mpls LABEL[/LABEL...] [ttl N]`, `encap ip|ip6 [id N] [dst A] [src A] [ttl|hoplimit N] [tos|tc N]`. */
export function parseEncap(a: Args): EncapSpec {
  const type = a.value('encap');
  if (type === 'mpls') {
    const v = a.value('encap mpls');
    const labels = v.split('/').map((l) => uint('encap mpls', l, 0xfffff));
    const e: EncapSpec = { type: 'mpls', labels };
    if (a.peek() === 'ttl') {
      a.shift();
      e.ttl = uint('ttl', a.value('ttl'), 255);
    }
    return e;
  }
  if (type !== 'ip' && type !== 'ip6') throw new UsageError(`"encap ${type}" is not supported by rtnl`);
  const e: Record<string, unknown> = { type };
  const words = type === 'ip' ? ['id', 'dst', 'src', 'ttl', 'tos'] : ['id', 'dst', 'src', 'hoplimit', 'tc'];
  while (!a.done && words.includes(a.peek()!)) {
    const k = a.shift();
    const v = a.value(k);
    if (k === 'dst' || k === 'src') e[k] = addressArg(k, v);
    else if (k === 'id') {
      if (!/^\d+$/.test(v) || BigInt(v) > 0xffffffffffffffffn) throw invalid(k, v, 'expected a 64-bit tunnel id');
      e.id = BigInt(v);
    } else e[k] = uint(k, v, 255);
  }
  return e as unknown as EncapSpec;
}

/**
 * Which object the encap keys sit in. ip prints lwt_print_encap's keys flat in the object, so
 * some repeat the object's own keys, which a JSON object cannot hold: a nexthop's "id", a
 * route's "dst" (always), "src" and "tos". rtnl therefore names the tunnel id "encap_id" in a
 * nexthop, and in a route prefixes every encap key with "encap_" (encap_id, encap_src,
 * encap_dst, encap_ttl, encap_tos, encap_hoplimit, encap_tc), so a route's "dst" is its own.
 */
export type EncapHolder = 'nexthop' | 'route';

const IP_KEYS = ['src', 'dst', 'ttl', 'tos', 'hoplimit', 'tc'];
const keyOf = (k: string, holder: EncapHolder): string => (holder === 'route' || k === 'id' ? `encap_${k}` : k);

/** lwt_print_encap's keys in ip's order, named as EncapHolder says. */
export function encapJson(j: Json, e: Encap, holder: EncapHolder): void {
  j.encap = String(e.type);
  const a = e as Record<string, unknown>;
  if (e.type === 'mpls') {
    j[keyOf('dst', holder)] = (a.labels as number[]).join('/');
    if (a.ttl !== undefined) j[keyOf('ttl', holder)] = a.ttl;
    return;
  }
  if (e.type !== 'ip' && e.type !== 'ip6') return;
  if (a.id !== undefined) j[keyOf('id', holder)] = Number(a.id);
  for (const k of IP_KEYS) if (a[k] !== undefined) j[keyOf(k, holder)] = a[k];
}

/**
 * The encap words of the text line, from encapJson's keys, with lwt_print_encap's spacing:
 * " encap TYPE " after the previous word's own space (two spaces before "encap"), and MPLS
 * labels as " %s ". The caller joins it with a space.
 */
export function encapText(j: Json, holder: EncapHolder): string {
  const v = (k: string) => j[keyOf(k, holder)];
  const w = [` encap ${j.encap}`];
  if (j.encap === 'mpls') {
    w.push(` ${v('dst')}`);
    if (v('ttl') !== undefined) w.push(`ttl ${v('ttl')}`);
    return w.join(' ');
  }
  if (v('id') !== undefined) w.push(`id ${v('id')}`);
  for (const k of IP_KEYS) if (v(k) !== undefined) w.push(`${k} ${v(k)}`);
  return w.join(' ');
}
