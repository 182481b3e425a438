/**
 * Names of enumerated route, address, neighbour and rule values, as `ip -j` prints them. Built
 * from the generated constants (enumOf/flagNames), so no number is typed here; where ip's word
 * differs from the kernel's name (scope 0 is 'global', IFA_F_HOMEADDRESS is 'home'), the table
 * says so explicitly.
 */
import * as C from '../codec/constants/index.js';
import { enumOf, flagNames } from '../codec/enums.js';

type Names = Readonly<Record<number, string>>;

const lower = (t: Names): Record<number, string> =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.toLowerCase()]));

/** RT_SCOPE_*: 'global' (ip's word for RT_SCOPE_UNIVERSE), 'site', 'link', 'host', 'nowhere'. */
export const SCOPE_NAMES: Names = { ...lower(enumOf('RT_SCOPE_')), [C.RT_SCOPE_UNIVERSE]: 'global' };
/** RTPROT_*: 'unspec', 'redirect', 'kernel', 'boot', 'static', 'dhcp', 'bgp', ... */
export const PROTOCOL_NAMES: Names = { [C.RTPROT_UNSPEC]: 'unspec', ...lower(enumOf('RTPROT_')) };
/** RTN_*: 'unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw', ... */
export const ROUTE_TYPE_NAMES: Names = { [C.RTN_UNSPEC]: 'unspec', ...lower(enumOf('RTN_')) };
/** FR_ACT_*: 'to_tbl', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit' (RES3/RES4 left out). */
export const RULE_ACTION_NAMES: Names = lower(enumOf('FR_ACT_', ['RES3', 'RES4']));
/** NUD_*: 'INCOMPLETE', 'REACHABLE', 'STALE', ..., 'PERMANENT', 'NONE' (ip prints states in capitals). */
export const NUD_NAMES: Names = enumOf('NUD_');

/** The name of `n` in `table`, or its decimal text when the table has none (as ip prints it). */
export const nameOf = (table: Names, n: number): string => table[n] ?? String(n);

/** Names of a table, for zod enums. */
export const namesOf = (table: Names, extra: readonly string[] = []): [string, ...string[]] =>
  [...new Set([...Object.values(table), ...extra])] as [string, ...string[]];

/** The number for `name` in `table` (a number is returned as is). */
export function numberOf(table: Names, name: string | number, aliases: Readonly<Record<string, number>> = {}): number {
  if (typeof name === 'number') return name;
  if (name in aliases) return aliases[name]!;
  for (const [k, v] of Object.entries(table)) if (v === name) return Number(k);
  throw new Error(`unknown name ${name}`); // unreachable after validation
}

/** Input aliases: ip accepts 'universe' and 'global' for scope 0. */
export const SCOPE_ALIASES: Readonly<Record<string, number>> = { universe: C.RT_SCOPE_UNIVERSE };

/**
 * IFA_F_* as ip prints them. Bit 0 is 'secondary' on IPv4 and 'temporary' on IPv6 (the kernel
 * defines both names for it); the rest are ip's words for the kernel's bits.
 */
const IFA_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [C.IFA_F_NODAD, 'nodad'],
  [C.IFA_F_OPTIMISTIC, 'optimistic'],
  [C.IFA_F_DADFAILED, 'dadfailed'],
  [C.IFA_F_HOMEADDRESS, 'home'],
  [C.IFA_F_DEPRECATED, 'deprecated'],
  [C.IFA_F_TENTATIVE, 'tentative'],
  [C.IFA_F_PERMANENT, 'permanent'],
  [C.IFA_F_MANAGETEMPADDR, 'mngtmpaddr'],
  [C.IFA_F_NOPREFIXROUTE, 'noprefixroute'],
  [C.IFA_F_MCAUTOJOIN, 'autojoin'],
  [C.IFA_F_STABLE_PRIVACY, 'stable-privacy'],
];

/** The IFA_F_* flags a request may set (what `ip address add` accepts). */
export const SETTABLE_ADDRESS_FLAGS: Readonly<Record<string, number>> = {
  home: C.IFA_F_HOMEADDRESS,
  nodad: C.IFA_F_NODAD,
  optimistic: C.IFA_F_OPTIMISTIC,
  mngtmpaddr: C.IFA_F_MANAGETEMPADDR,
  noprefixroute: C.IFA_F_NOPREFIXROUTE,
  autojoin: C.IFA_F_MCAUTOJOIN,
};

/**
 * Flag-name arrays are shared per flag value (a dump of 10,000 addresses has a handful of distinct
 * values), and frozen so that sharing is safe.
 */
function memo(fn: (flags: number, family: number) => string[]): (flags: number, family?: number) => string[] {
  const cache = new Map<number, string[]>();
  return (flags, family = 0) => {
    const key = flags * 256 + (family & 0xff);
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = Object.freeze(fn(flags, family)) as string[];
      if (cache.size < 4096) cache.set(key, hit);
    }
    return hit;
  };
}

/** IFA_F_* names as ip prints them (a frozen, shared array). */
export const addressFlagNames = memo(function addressFlagNames(flags: number, family: number): string[] {
  const out: string[] = [];
  let known = C.IFA_F_SECONDARY;
  if (flags & C.IFA_F_SECONDARY) out.push(family === C.AF_INET6 ? 'temporary' : 'secondary');
  for (const [bit, word] of IFA_FLAG_WORDS) {
    known |= bit;
    if (flags & bit) out.push(word);
  }
  const rest = (flags & ~known) >>> 0;
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
});

/**
 * Route flags: RTNH_F_* in the low byte ('onlink', 'linkdown', ...), RTM_F_* above it. The
 * RTM_F_ offload bits print as 'rt_offload', 'rt_trap', 'rt_offload_failed', as ip prints them,
 * so they are not confused with the nexthop's 'offload' and 'trap'.
 */
export const routeFlagNames = memo(function routeFlagNames(flags: number): string[] {
  const nh = flagNames('RTNH_F_', flags & 0xff).map((n) => n.toLowerCase());
  const rt = flagNames('RTM_F_', flags & ~0xff).map((n) => {
    const w = n.toLowerCase();
    return w === 'offload' || w === 'trap' || w === 'offload_failed' ? `rt_${w}` : w;
  });
  return [...nh, ...rt];
});

/** Nexthop flags (RTNH_F_*), lowercase. */
export const nexthopFlagNames = (flags: number): string[] => flagNames('RTNH_F_', flags).map((n) => n.toLowerCase());

/** NUD_* state bits, in capitals as `ip -j neigh` prints them: ['PERMANENT'], ['REACHABLE']. */
export function nudStateNames(state: number): string[] {
  if (state === C.NUD_NONE) return ['NONE'];
  return flagNames('NUD_', state);
}

/**
 * NTF_* flags as ip and bridge print them: 'self', 'master', 'router', 'proxy', 'sticky',
 * 'extern_learn' (NTF_EXT_LEARNED), 'offload' (NTF_OFFLOADED), 'use'. NTF_EXT_MANAGED and
 * NTF_EXT_LOCKED are bits of NDA_FLAGS_EXT, not of ndm_flags, so they are left out here.
 */
export function neighbourFlagNames(flags: number): string[] {
  return flagNames('NTF_', flags, ['EXT_MANAGED', 'EXT_LOCKED']).map((n) =>
    n === 'EXT_LEARNED' ? 'extern_learn' : n === 'OFFLOADED' ? 'offload' : n.toLowerCase(),
  );
}

/** FIB_RULE_* flags, lowercase ('invert', 'unresolved', 'iif_detached', ...). */
export const ruleFlagNames = (flags: number): string[] =>
  flagNames('FIB_RULE_', flags, ['DEV_DETACHED']).map((n) => n.toLowerCase());

export const ROUTER_PREF: Readonly<Record<'low' | 'medium' | 'high', number>> = {
  low: C.ICMPV6_ROUTER_PREF_LOW,
  medium: C.ICMPV6_ROUTER_PREF_MEDIUM,
  high: C.ICMPV6_ROUTER_PREF_HIGH,
};
export const ROUTER_PREF_NAMES: Names = {
  [C.ICMPV6_ROUTER_PREF_LOW]: 'low',
  [C.ICMPV6_ROUTER_PREF_MEDIUM]: 'medium',
  [C.ICMPV6_ROUTER_PREF_HIGH]: 'high',
};
