/**
 * Name tables for enumerated values, built from the generated constants so that no name or
 * number is typed twice. `enumOf('IF_OPER_')` gives { 0: 'UNKNOWN', ..., 6: 'UP' }.
 *
 * Each prefix's table is built once, on first use, and cached: flag names are looked up for every
 * route, neighbour and rule of a dump, so this is on the hot path.
 */
import { TABLE } from './constants/table.js';

/**
 * The entries of TABLE whose names start with `prefix`: TABLE is sorted by name, so they are one
 * run, found by binary search rather than a scan of all 1,700 names.
 */
function* withPrefix(prefix: string): Generator<readonly [string, number]> {
  let lo = 0;
  let hi = TABLE.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (TABLE[mid]![0] < prefix) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < TABLE.length && TABLE[i]![0].startsWith(prefix); i++) yield TABLE[i]!;
}

const enumCache = new Map<string, Readonly<Record<number, string>>>();

/** Values of every constant starting with `prefix`, named without it. The first name of a value wins. */
export function enumOf(prefix: string, exclude: readonly string[] = []): Readonly<Record<number, string>> {
  const key = `${prefix}\0${exclude.join(',')}`;
  const hit = enumCache.get(key);
  if (hit) return hit;
  const out: Record<number, string> = {};
  for (const [name, value] of withPrefix(prefix)) {
    const short = name.slice(prefix.length);
    if (exclude.includes(short) || short.startsWith('_') || /^(MAX|UNSPEC)$/.test(short)) continue;
    if (!(value in out)) out[value] = short;
  }
  enumCache.set(key, out);
  return out;
}

const bitCache = new Map<string, Array<[number, string]>>();

/** The single-bit constants of a prefix, in name order: [bit, name without the prefix]. */
function bitsOf(prefix: string, exclude: readonly string[]): Array<[number, string]> {
  const key = `${prefix}\0${exclude.join(',')}`;
  let bits = bitCache.get(key);
  if (!bits) {
    bits = [];
    for (const [name, bit] of withPrefix(prefix)) {
      if (bit === 0 || (bit & (bit - 1)) !== 0) continue;
      const short = name.slice(prefix.length);
      if (!exclude.includes(short)) bits.push([bit, short]);
    }
    bitCache.set(key, bits);
  }
  return bits;
}

/** Bit names of a flag word, e.g. IFF_* -> ['UP', 'BROADCAST', ...]. */
export function flagNames(prefix: string, value: number, exclude: readonly string[] = []): string[] {
  if (value === 0) return [];
  const out: string[] = [];
  for (const [bit, name] of bitsOf(prefix, exclude)) if ((value & bit) >>> 0 === bit >>> 0) out.push(name);
  return out;
}

/** camelCase of a kernel name without its prefix: IFLA_IFNAME -> ifname, IFA_RT_PRIORITY -> rtPriority. */
export function keyOf(name: string, prefix: string): string {
  const rest = name.slice(prefix.length + 1).toLowerCase();
  return rest.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
