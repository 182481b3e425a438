/**
 * tc's notation for handles, parents, rates, sizes and times, parsed as tc parses them (and
 * stricter where tc silently ignores trailing junk: `1:x` is refused, not read as `1:`). Pure:
 * every error is a ValidationError naming the field.
 */
import { ValidationError } from '../../errors.js';
import * as C from '../constants/index.js';

const HEX = /^[0-9a-f]{1,4}$/i;

const maj = (h: number) => (h & C.TC_H_MAJ_MASK) >>> 0;
const min = (h: number) => h & C.TC_H_MIN_MASK;
/** TC_H_MAKE(major, minor), as an unsigned 32-bit number. */
export const tcHandle = (major: number, minor: number): number => ((maj(major) | min(minor)) >>> 0) as number;

/**
 * A qdisc handle: `1:` or `1` (major only, hex), or `none`. Equivalent to tc's `handle 1:` on a
 * qdisc.
 */
export function parseQdiscHandle(text: string, field = 'handle'): number {
  if (text === 'none') return C.TC_H_UNSPEC;
  const m = typeof text === 'string' ? /^([0-9a-f]+):?$/i.exec(text) : null;
  if (!m || !HEX.test(m[1]!))
    throw new ValidationError(
      field,
      `expected a qdisc handle like '1:' (hex major, at most ffff), got '${text}'`,
      text,
    );
  return (Number.parseInt(m[1]!, 16) << 16) >>> 0;
}

/**
 * A class id or parent: `1:10` (hex major:minor), `1:` (minor 0), `:10` (major 0), a bare hex
 * number, `root`, `none`; and for a parent also `ingress` and `clsact` (the ingress/clsact qdisc,
 * ffff:fff1), plus, for filters, `ingress`/`egress` hooks of clsact given by parseFilterParent.
 */
export function parseClassid(text: string, field = 'classid'): number {
  switch (text) {
    case 'root':
      return C.TC_H_ROOT;
    case 'none':
      return C.TC_H_UNSPEC;
    case 'ingress':
      return C.TC_H_INGRESS;
    case 'clsact':
      return C.TC_H_CLSACT;
  }
  const m = typeof text === 'string' ? /^([0-9a-f]*)(?::([0-9a-f]*))?$/i.exec(text) : null;
  const bad = () =>
    new ValidationError(
      field,
      `expected 'major:minor' in hex (e.g. '1:10'), 'root', 'ingress' or 'clsact', got '${text}'`,
      text,
    );
  if (!m || text === '' || text === ':') throw bad();
  const [, a, b] = m;
  if (b === undefined) {
    // A bare number: the whole 32-bit handle, in hex.
    if (!/^[0-9a-f]{1,8}$/i.test(a!)) throw bad();
    return Number.parseInt(a!, 16) >>> 0;
  }
  if ((a !== '' && !HEX.test(a!)) || (b !== '' && !HEX.test(b))) throw bad();
  return tcHandle(a === '' ? 0 : Number.parseInt(a!, 16) << 16, b === '' ? 0 : Number.parseInt(b, 16));
}

/**
 * A filter's parent: as parseClassid, except that `ingress` and `egress` name the clsact (or
 * ingress) qdisc's hooks, ffff:fff2 and ffff:fff3, as `tc filter add dev X ingress` does.
 */
export function parseFilterParent(text: string, field = 'parent'): number {
  if (text === 'ingress') return tcHandle(C.TC_H_CLSACT, C.TC_H_MIN_INGRESS);
  if (text === 'egress') return tcHandle(C.TC_H_CLSACT, C.TC_H_MIN_EGRESS);
  return parseClassid(text, field);
}

/** A handle as tc prints it: `root`, `none`, `1:`, `:10`, `1:10`, `ffff:fff1`. */
export function formatHandle(h: number): string {
  h >>>= 0;
  if (h === C.TC_H_ROOT) return 'root';
  if (h === C.TC_H_UNSPEC) return 'none';
  const a = maj(h) >>> 16;
  const b = min(h);
  if (a === 0) return `:${b.toString(16)}`;
  if (b === 0) return `${a.toString(16)}:`;
  return `${a.toString(16)}:${b.toString(16)}`;
}

/** Rate units, bits per second per unit, matched without regard to case as tc does. */
const RATE_UNITS: Record<string, number> = {
  bit: 1,
  kibit: 1024,
  kbit: 1000,
  mibit: 1024 ** 2,
  mbit: 1e6,
  gibit: 1024 ** 3,
  gbit: 1e9,
  tibit: 1024 ** 4,
  tbit: 1e12,
  bps: 8,
  kibps: 8 * 1024,
  kbps: 8000,
  mibps: 8 * 1024 ** 2,
  mbps: 8e6,
  gibps: 8 * 1024 ** 3,
  gbps: 8e9,
  tibps: 8 * 1024 ** 4,
  tbps: 8e12,
};

/** A unit's scale: only the table's own keys ('1constructor' is no unit). */
const unit = (table: Record<string, number>, u: string): number | undefined =>
  Object.hasOwn(table, u.toLowerCase()) ? table[u.toLowerCase()] : undefined;

/** A leading decimal number as C's strtod reads it (no hex, inf or nan here), and the rest. */
function number(text: string): [number, string] | undefined {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(.*)$/i.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), m[2]!];
}

/**
 * A rate, in BYTES per second, as tc's get_rate64: `100mbit`, `1gbit`, `10Mibit`, `1MBps`;
 * a bare number is bits per second. Returns a bigint (rates above 2^32-1 bytes/s need the
 * kernel's 64-bit attributes).
 */
export function parseRate(text: string, field = 'rate'): bigint {
  const n = number(text);
  const scale = n === undefined ? undefined : n[1] === '' ? 1 : unit(RATE_UNITS, n[1]);
  if (n === undefined || scale === undefined || !(n[0] >= 0 && Number.isFinite(n[0])))
    throw new ValidationError(
      field,
      `expected a rate like '100mbit', '1gbit' or '10MBps' (units: bit, kbit, mbit, gbit, tbit, kibit..., Bps, KBps, MBps...), got '${text}'`,
      text,
    );
  const bytes = BigInt(Math.floor((n[0] * scale) / 8));
  if (bytes > 0xffffffffffffffffn) throw new ValidationError(field, `rate ${text} is too large`, text);
  return bytes;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kbit: 1024 / 8,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mbit: 1024 ** 2 / 8,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gbit: 1024 ** 3 / 8,
};

/** A size in bytes, as tc's get_size: `1500b`, `64kb`, `1k`, `2mb`, `1mbit` (bits); bare = bytes. */
export function parseSize(text: string, field = 'size'): number {
  const n = number(text);
  const scale = n === undefined ? undefined : unit(SIZE_UNITS, n[1]);
  if (n === undefined || scale === undefined || !(n[0] >= 0 && Number.isFinite(n[0])))
    throw new ValidationError(field, `expected a size like '1500b', '64kb' or '1mb', got '${text}'`, text);
  const v = Math.floor(n[0] * scale);
  if (v > 0xffffffff) throw new ValidationError(field, `size ${text} is larger than 4 GiB`, text);
  return v;
}

const TIME_UNITS: Record<string, number> = {
  '': 1,
  s: 1e6,
  sec: 1e6,
  secs: 1e6,
  ms: 1e3,
  msec: 1e3,
  msecs: 1e3,
  us: 1,
  usec: 1,
  usecs: 1,
};

/** A time in microseconds, as tc's get_time: `10ms`, `1s`, `500us`; a bare number is microseconds. */
export function parseTime(text: string, field = 'time'): number {
  const n = number(text);
  const scale = n === undefined ? undefined : unit(TIME_UNITS, n[1]);
  if (n === undefined || scale === undefined || !(n[0] >= 0 && Number.isFinite(n[0])))
    throw new ValidationError(field, `expected a time like '10ms', '1s' or '500us', got '${text}'`, text);
  const v = Math.floor(n[0] * scale);
  if (v > 0xffffffff) throw new ValidationError(field, `time ${text} is too long`, text);
  return v;
}

/** A rate given as a number or bigint (bytes per second, 0 to 2^64-1) or in tc's notation. */
export const rateOf = (v: number | bigint | string, field: string): bigint => {
  if (typeof v === 'string') return parseRate(v, field);
  if ((typeof v === 'number' && Number.isInteger(v) && v >= 0) || typeof v === 'bigint') {
    const b = BigInt(v);
    if (b >= 0n && b <= 0xffffffffffffffffn) return b;
  }
  throw new ValidationError(field, 'expected a rate: bytes per second (an integer from 0 to 2^64-1) or tc notation', v);
};
/** A size given as a number (bytes, 0 to 2^32-1) or in tc's notation. */
export const sizeOf = (v: number | string, field: string): number => {
  if (typeof v === 'string') return parseSize(v, field);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  throw new ValidationError(field, 'expected a size: bytes (an integer from 0 to 2^32-1) or tc notation', v);
};
/** A time given as a number (microseconds, 0 to 2^32-1) or in tc's notation. */
export const timeOf = (v: number | string, field: string): number => {
  if (typeof v === 'string') return parseTime(v, field);
  if (typeof v === 'number' && v >= 0 && v <= 0xffffffff) return v;
  throw new ValidationError(field, 'expected a time: microseconds (from 0 to 2^32-1) or tc notation', v);
};
