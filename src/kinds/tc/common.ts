/**
 * What the tc kinds share: the scheduler clock and tc's arithmetic over it (transmission times,
 * ratespecs, rate tables), the checks their options pass, and the TcKindPlugin shape (the shared
 * KindPlugin over TCA_OPTIONS). Pure: the clock comes in through the kind context.
 *
 * What rtnl sends differs from tc in one respect: no rate tables (TCA_TBF_RTAB/PTAB,
 * TCA_HTB_RTAB/CTAB). The ratespecs carry TC_LINKLAYER_ETHERNET, with which the kernel computes
 * transmission times itself and never reads a table. police still needs one (the kernel refuses
 * it without), so rtnl computes it as tc does.
 */
import * as C from '../../codec/constants/index.js';
import { ValidationError } from '../../errors.js';
import type { KindPlugin, SchedClock, TcData, TcKindContext } from '../plugin.js';

export type Psched = SchedClock;

/** Parse /proc/net/psched ("t2us us2t clock_res hz", hex) as tc's tc_core_init and get_hz do. */
export function parsePsched(text: string): Psched {
  const f = text
    .trim()
    .split(/\s+/)
    .map((x) => Number.parseInt(x, 16));
  if (f.length < 4 || f.some((x) => !Number.isFinite(x) || x <= 0))
    throw new Error(`unexpected /proc/net/psched: ${text}`);
  let [t2us, us2t, clockRes, hz] = f as [number, number, number, number];
  if (clockRes === 1e9) t2us = us2t;
  return { tickInUsec: (t2us / us2t) * (clockRes / 1e6), hz: clockRes === 1e6 ? hz : clockRes };
}

export const U32_MAX = 0xffffffff;
/** tc_calc_xmittime: the time to send `size` bytes at `rate` bytes/s, in ticks (both steps truncate). */
export function xmittime(rate: bigint | number, size: number, ps: Psched): number {
  const r = Number(rate);
  if (!(r > 0)) return 0;
  // size/rate first, then scaled, as tc computes it (the rounding differs otherwise)
  const us = Math.min(U32_MAX, Math.floor(1e6 * (size / r)));
  return Math.min(U32_MAX, Math.floor(us * ps.tickInUsec));
}

/** A ratespec's fields for a struct that embeds one, as tc fills them (cell_log for a 2047-byte MTU). */
export function ratespec<P extends string>(
  prefix: P,
  rate: bigint,
  opts: { mpu?: number; overhead?: number; cellLog?: number } = {},
) {
  return {
    [`${prefix}CellLog`]: opts.cellLog ?? 3,
    [`${prefix}Linklayer`]: C.TC_LINKLAYER_ETHERNET,
    [`${prefix}Overhead`]: opts.overhead ?? 0,
    [`${prefix}CellAlign`]: -1,
    [`${prefix}Mpu`]: opts.mpu ?? 0,
    [prefix]: rate > BigInt(U32_MAX) ? U32_MAX : Number(rate),
  } as Record<string, number>;
}

/** tc_calc_rtable for an Ethernet link layer: 256 transmission times, one per cell of 2^cellLog bytes. */
export function rateTable(rate: bigint, mtu: number, mpu: number, ps: Psched): { table: Uint8Array; cellLog: number } {
  let cellLog = 0;
  const m = mtu || 2047;
  while (m >> cellLog > 255) cellLog++;
  const table = new Uint8Array(C.TC_RTAB_SIZE);
  const v = new DataView(table.buffer);
  for (let i = 0; i < 256; i++) v.setUint32(i * 4, xmittime(rate, Math.max((i + 1) << cellLog, mpu), ps), true);
  return { table, cellLog };
}

export type Num = number | string;
export const need = (v: unknown, field: string): void => {
  if (v === undefined) throw new ValidationError(field, 'is required');
};
export const intIn = (v: unknown, lo: number, hi: number, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new ValidationError(field, `expected an integer from ${lo} to ${hi}`, v);
  return v;
};

/**
 * `v` is undefined or an object whose own keys are all in `known`; anything else is refused,
 * naming the key (`qdisc.options.rate` on a pfifo).
 */
export function checkKeys(v: unknown, known: readonly string[], field: string): void {
  if (v === undefined) return;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ValidationError(field, 'expected an object', v);
  for (const k of Object.keys(v))
    if (!known.includes(k))
      throw new ValidationError(
        `${field}.${k}`,
        `unknown key '${k}' here (known: ${known.length ? known.join(', ') : 'none'})`,
        (v as Record<string, unknown>)[k],
      );
}

// ---------------------------------------------------------------------------------------------
// Qdiscs and classes

/** tbf options. Equivalent to: tc qdisc ... tbf rate R burst B (latency L | limit N) [peakrate P mtu M] [mpu M] [overhead O] */
export interface TbfOptions {
  /** Bytes per second, or tc notation ('100mbit'). */
  rate: number | bigint | string;
  /** Bucket size in bytes, or tc notation ('64kb'). */
  burst: Num;
  /** Queue limit in bytes (give this or `latency`). */
  limit?: Num;
  /** Longest time a packet may wait, in microseconds or tc notation ('10ms'). */
  latency?: Num;
  peakrate?: number | bigint | string;
  /** Size of the peak-rate bucket (tc's mtu/minburst). */
  mtu?: Num;
  mpu?: Num;
  overhead?: number;
}

/** htb qdisc options. Equivalent to: tc qdisc ... htb [default MINOR] [r2q N] [direct_qlen N] */
export interface HtbQdiscOptions {
  /** The minor number of the default class, in hex as tc reads it ('10' is 0x10), or a number. */
  default?: number | string;
  r2q?: number;
  directQlen?: number;
}

/** htb class options. Equivalent to: tc class ... htb rate R [ceil C] [burst B] [cburst B] [prio N] [quantum N] [mtu M] [mpu M] [overhead O] */
export interface HtbClassOptions {
  rate: number | bigint | string;
  ceil?: number | bigint | string;
  burst?: Num;
  cburst?: Num;
  prio?: number;
  quantum?: number;
  /** Used for the default buffers (default 1600, as tc). */
  mtu?: Num;
  mpu?: Num;
  overhead?: number;
}

/** netem options. Equivalent to: tc qdisc ... netem [limit N] [delay T [JITTER [CORR]]] [loss P%] [duplicate P%] [corrupt P%] [gap N] [rate R] */
export interface NetemOptions {
  limit?: number;
  delay?: Num;
  jitter?: Num;
  /** Percentages (0-100). */
  loss?: number;
  duplicate?: number;
  corrupt?: number;
  reorder?: number;
  gap?: number;
  rate?: number | bigint | string;
}

export interface FqCodelOptions {
  limit?: number;
  flows?: number;
  target?: Num;
  interval?: Num;
  quantum?: number;
  ceThreshold?: Num;
  memoryLimit?: Num;
  ecn?: boolean;
}

export interface FqOptions {
  limit?: number;
  flowLimit?: number;
  quantum?: Num;
  initialQuantum?: Num;
  maxrate?: number | bigint | string;
  buckets?: number;
  pacing?: boolean;
}

/** red options. Equivalent to: tc qdisc ... red limit BYTES min BYTES max BYTES avpkt BYTES [burst PACKETS] [bandwidth RATE] [probability P] [ecn] [harddrop] [adaptive] [nodrop] */
export interface RedOptions {
  limit: Num;
  min: Num;
  max: Num;
  avpkt: Num;
  /** In packets; default (2 × min + max) / (3 × avpkt), as tc. */
  burst?: number;
  /** Default 10mbit, as tc. */
  bandwidth?: number | bigint | string;
  /** Marking probability at max (default 0.02). */
  probability?: number;
  ecn?: boolean;
  harddrop?: boolean;
  adaptive?: boolean;
  nodrop?: boolean;
}

/** tc_red_eval_ewma: the EWMA weight's log for a burst of `burst` packets. */
export function redEwma(qmin: number, burst: number, avpkt: number, field: string): number {
  const a = burst + 1 - qmin / avpkt;
  if (a < 1)
    throw new ValidationError(`${field}.burst`, `is too small for min; try ${1 + Math.floor(qmin / avpkt)}`, burst);
  let W = 0.5;
  for (let wlog = 1; wlog < 32; wlog++, W /= 2) if (a <= (1 - (1 - W) ** burst) / W) return wlog;
  throw new ValidationError(`${field}.burst`, 'is too large', burst);
}
/** tc_red_eval_P: the log of the probability's scale. */
export function redP(qmin: number, qmax: number, prob: number, field: string): number {
  const span = qmax - qmin;
  if (span === 0) return 0;
  let p = prob / span;
  let i = 0;
  for (; i < 32; i++) {
    if (p > 1) break;
    p *= 2;
  }
  if (i >= 32) throw new ValidationError(`${field}.probability`, 'is too small', prob);
  return i;
}
/** tc_red_eval_idle_damping: the cell log and the 256-byte table the kernel ages idle time with. */
export function redIdle(
  wlog: number,
  avpkt: number,
  bps: number,
  ps: Psched,
  field: string,
): { clog: number; stab: Uint8Array } {
  const xmit = xmittime(bps, avpkt, ps);
  const lW = -Math.log(1 - 1 / (1 << wlog)) / xmit;
  const maxtime = 31 / lW;
  let clog = 0;
  for (; clog < 32; clog++) if (maxtime / 2 ** clog < 512) break;
  if (clog >= 32) throw new ValidationError(`${field}.bandwidth`, 'gives no idle damping cell size', bps);
  const stab = new Uint8Array(256);
  for (let i = 1; i < 255; i++) stab[i] = Math.min(31, Math.trunc(i * 2 ** clog * lW) & 0xff);
  stab[255] = 31;
  return { clog, stab };
}

/** The options of each qdisc kind rtnl builds, keyed by kind. */
export interface QdiscKindOptions {
  pfifo: { limit?: number };
  bfifo: { limit?: Num };
  pfifo_fast: Record<string, never>;
  prio: { bands?: number; priomap?: number[] };
  tbf: TbfOptions;
  htb: HtbQdiscOptions;
  netem: NetemOptions;
  fq_codel: FqCodelOptions;
  fq: FqOptions;
  sfq: { perturb?: number; quantum?: number; limit?: number; divisor?: number; flows?: number; depth?: number };
  cake: { bandwidth?: number | bigint | string };
  red: RedOptions;
  mq: Record<string, never>;
  ingress: Record<string, never>;
  clsact: Record<string, never>;
  noqueue: Record<string, never>;
}

/**
 * A qdisc kind: the shared KindPlugin (src/kinds/plugin.ts) over TCA_OPTIONS. `data` is the
 * codec's TCA_OPTIONS for the kind (a struct, an attribute set, or a struct followed by one);
 * `toAttrs` computes that value (undefined: send none) as tc does, with the scheduler clock and
 * the field to blame from its context.
 */
export interface TcKindPlugin<O> extends KindPlugin<O, unknown, TcData> {
  toAttrs(options: O, ctx: TcKindContext): unknown;
}

export const percent = (p: number | undefined, field: string): number | undefined => {
  if (p === undefined) return undefined;
  if (typeof p !== 'number' || !(p >= 0 && p <= 100))
    throw new ValidationError(field, 'expected a percentage from 0 to 100', p);
  return Math.round((p / 100) * U32_MAX);
};

/** The prio2band map tc and the kernel use by default. */
export const DEFAULT_PRIOMAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/** Declare a tc kind with its option type checked. */
export function defineTcKind<O>(plugin: TcKindPlugin<O>): TcKindPlugin<O> {
  return plugin;
}
