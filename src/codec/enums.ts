/**
 * Name tables for enumerated values, built from the generated constants so that no name or
 * number is typed twice. `enumOf('IF_OPER_')` gives { 0: 'UNKNOWN', ..., 6: 'UP' }.
 *
 * Each prefix's table is built once, on first use, and cached: flag names are looked up for every
 * route, neighbour and rule of a dump, so this is on the hot path.
 */
import { NAME_HEADS, NAME_TABLES } from './constants/names/index.js';

// One ' NAME=value NAME=value ... ' string per constants module (a space before every entry and
// after the last), each sorted by name.
const TEXTS = NAME_TABLES.map((t) => ` ${t} `);

/** The entries of one table whose names start with `prefix`: one run, found with one indexOf. */
function runOf(text: string, prefix: string, out: Array<readonly [string, number]>): void {
  for (let at = text.indexOf(' ' + prefix); at >= 0 && at < text.length - 1; ) {
    const eq = text.indexOf('=', at);
    const end = text.indexOf(' ', eq);
    const name = text.slice(at + 1, eq);
    if (!name.startsWith(prefix)) return;
    out.push([name, Number(text.slice(eq + 1, end))]);
    at = end;
  }
}

/**
 * The constants whose names start with `prefix`, as [name, value], in name order (the order of
 * the constants' module namespace, so the first name of a value is the same). Only those runs of
 * the tables are parsed.
 */
function withPrefix(prefix: string): Array<readonly [string, number]> {
  const out: Array<readonly [string, number]> = [];
  // Only the tables that have names of the prefix's first word (IF of IF_OPER_): a short string
  // test each, where searching all of them cost about 2 ms of start-up for the ~30 tables rtnl
  // builds when it is imported.
  const under = prefix.indexOf('_');
  const head = under < 0 ? undefined : ` ${prefix.slice(0, under)} `;
  for (let i = 0; i < TEXTS.length; i++) {
    if (head === undefined || NAME_HEADS[i]!.includes(head)) runOf(TEXTS[i]!, prefix, out);
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/** Every codec constant as [name, value], in name order (what `rtnl/codec`'s `constants` is built from). */
export function constantEntries(): Array<readonly [string, number]> {
  return withPrefix('');
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
