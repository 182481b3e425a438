/**
 * Name tables for enumerated values, built from the generated constants so that no name or
 * number is typed twice. `enumOf('IF_OPER_')` gives { 0: 'UNKNOWN', ..., 6: 'UP' }.
 */
import * as C from './constants/index.js';

const all = C as unknown as Record<string, number>;

/** Values of every constant starting with `prefix`, named without it. The first name of a value wins. */
export function enumOf(prefix: string, exclude: readonly string[] = []): Readonly<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const [name, value] of Object.entries(all)) {
    if (!name.startsWith(prefix) || typeof value !== 'number') continue;
    const short = name.slice(prefix.length);
    if (exclude.includes(short) || short.startsWith('_') || /^(MAX|UNSPEC)$/.test(short)) continue;
    if (!(value in out)) out[value] = short;
  }
  return out;
}

/** Bit names of a flag word, e.g. IFF_* -> ['UP', 'BROADCAST', ...]. */
export function flagNames(prefix: string, value: number, exclude: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [name, bit] of Object.entries(all)) {
    if (!name.startsWith(prefix) || typeof bit !== 'number' || bit === 0 || (bit & (bit - 1)) !== 0) continue;
    if (exclude.includes(name.slice(prefix.length))) continue;
    if ((value & bit) >>> 0 === bit) out.push(name.slice(prefix.length));
  }
  return out;
}

/** camelCase of a kernel name without its prefix: IFLA_IFNAME -> ifname, IFA_RT_PRIORITY -> rtPriority. */
export function keyOf(name: string, prefix: string): string {
  const rest = name.slice(prefix.length + 1).toLowerCase();
  return rest.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
