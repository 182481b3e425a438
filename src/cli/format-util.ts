/** Shared pieces of the ip-JSON formatters: names, ip's value formats, small helpers. */
import * as C from '../codec/constants/index.js';
import type { Link } from '../ops/links.js';

export type Json = Record<string, unknown>;

/** Index -> name, as ip's ll_idx_n2a: unknown indexes print as `if<N>`. */
export interface Names {
  ifname(index: number): string;
  /** Whether a link is up; undefined when not known. ip marks a link whose lower device is down M-DOWN. */
  isUp?(index: number): boolean | undefined;
}

export function namesFrom(
  links: Iterable<Pick<Link, 'index' | 'name'> & { up?: boolean }>,
): Names & { map: Map<number, string>; up: Map<number, boolean> } {
  const map = new Map<number, string>();
  const up = new Map<number, boolean>();
  for (const l of links) {
    map.set(l.index, l.name);
    if (l.up !== undefined) up.set(l.index, l.up);
  }
  return { map, up, ifname: (i) => map.get(i) ?? `if${i}`, isUp: (i) => up.get(i) };
}

// ---------------------------------------------------------------------------------------------
// Shared value formats

/** printf("%#x"): '0' for zero, '0x1f' otherwise. */
export const hash0x = (n: number): string => (n === 0 ? '0' : `0x${(n >>> 0).toString(16)}`);

/** Route table names as rtnl_rttable_n2a prints them (the builtin names; others as a decimal string). */
export function tableName(id: number): string {
  switch (id) {
    case C.RT_TABLE_UNSPEC:
      return 'unspec';
    case C.RT_TABLE_DEFAULT:
      return 'default';
    case C.RT_TABLE_MAIN:
      return 'main';
    case C.RT_TABLE_LOCAL:
      return 'local';
    default:
      return String(id);
  }
}

/** ll_type_n2a: ARPHRD_* as ip names them, `[N]` for the rest. */
const LINK_TYPES: Record<number, string> = {
  [C.ARPHRD_ETHER]: 'ether',
  [C.ARPHRD_LOOPBACK]: 'loopback',
  [C.ARPHRD_NONE]: 'none',
  [C.ARPHRD_VOID]: 'void',
  [C.ARPHRD_TUNNEL]: 'ipip',
  [C.ARPHRD_TUNNEL6]: 'tunnel6',
  [C.ARPHRD_SIT]: 'sit',
  [C.ARPHRD_IPGRE]: 'gre',
  [C.ARPHRD_IP6GRE]: 'gre6',
  [C.ARPHRD_INFINIBAND]: 'infiniband',
  [C.ARPHRD_PPP]: 'ppp',
  [C.ARPHRD_CAN]: 'can',
  [C.ARPHRD_NETLINK]: 'netlink',
  [C.ARPHRD_IEEE80211]: 'ieee802.11',
};
export const linkTypeName = (t: number): string => LINK_TYPES[t] ?? `[${t}]`;

/** IFF_* names exactly as `ip` prints them (the one list lives in ops). */
export { linkFlagNames as ipLinkFlags } from '../ops/common.js';

/** An enum the codec decoded to its kernel name (or left as a number when unknown). */
export function enumValue(v: unknown, table: Record<string, number>): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in table) return table[v];
  return undefined;
}

export const num = (v: unknown): number | undefined =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
/** A clock_t timer in centiseconds as ip prints it ("%.2f" seconds). */
export const timer = (v: unknown): number | undefined => {
  const n = num(v);
  return n === undefined ? undefined : Math.round(n) / 100;
};
export const bool = (v: unknown): boolean => v !== undefined && v !== 0 && v !== false;

/** ifla_bridge_id as ip prints it: "8000.a6:7a:5a:b:f1:6d" (priority bytes, then unpadded MAC bytes). */
export function bridgeId(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { prio, addr } = v as { prio?: Uint8Array; addr?: string };
  if (!prio || typeof addr !== 'string') return undefined;
  const p = [...prio].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${p}.${addr
    .split(':')
    .map((h) => parseInt(h, 16).toString(16))
    .join(':')}`;
}

/** Set `key` only when the value is defined (ip prints nothing for a missing attribute). */
export function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}
