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
import { parseClassid } from '../../codec/tc/parse.js';
import { ValidationError } from '../../errors.js';
import type { Json, Names } from '../json.js';
import type { KindPlugin, KindWords, SchedClock, TcData, TcKindContext } from '../plugin.js';

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

/** A class id given as a number (an unsigned 32-bit integer) or in tc notation. */
export const classidOf = (v: number | string, field: string): number => {
  if (typeof v === 'number') return intIn(v, 0, U32_MAX, field);
  if (typeof v !== 'string') throw new ValidationError(field, "expected tc notation ('1:10') or a number", v);
  return parseClassid(v, field);
};

/** A filter handle in hex (tc's default for kinds without their own notation), or a number. */
export const hexHandle = (h: string | number): number => {
  if (typeof h === 'number') return intIn(h, 0, U32_MAX, 'filter.handle');
  if (typeof h !== 'string' || !/^(0x)?[0-9a-f]{1,8}$/i.test(h))
    throw new ValidationError('filter.handle', 'expected a hex handle', h);
  return Number.parseInt(h, 16) >>> 0;
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

/** fq_codel options. Equivalent to: tc qdisc ... fq_codel [limit N] [flows N] [target T] [interval T] [quantum N] [ce_threshold T] [memory_limit S] [ecn | noecn] */
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

/** fq options. Equivalent to: tc qdisc ... fq [limit N] [flow_limit N] [quantum S] [initial_quantum S] [maxrate R] [buckets N] [pacing | nopacing] */
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

/** The options of each qdisc kind rtnl builds, keyed by kind. Equivalent to: the KIND [OPTIONS] of tc qdisc add ... KIND [OPTIONS] */
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
 * What a tc kind's printer gets (Equivalent to: what tc's print_opt of a q_*.c, f_*.c or m_*.c sees): the scheduler clock (tbf and htb keep their buffers in ticks),
 * device names (tc prints an unknown index as the number), whether statistics are printed, and,
 * for filters, the filter's handle (tcm_handle).
 */
export interface TcPrintContext extends Names {
  readonly clock: SchedClock;
  readonly stats: boolean;
  readonly handle: number;
}

/**
 * The shared KindPlugin over TCA_OPTIONS (Equivalent to: one of tc's q_*.c, f_*.c or m_*.c modules), except that `parseArgs` returns the options as tc's
 * words give them, unvalidated (the operation validates them, as it does a caller's).
 */
export interface TcPluginBase<O, A> extends Omit<KindPlugin<O, A, TcData>, 'parseArgs'> {
  parseArgs?(words: KindWords): Record<string, unknown> | O | undefined;
  /**
   * The option keys the kind takes: the operation refuses any other (a typo, or another kind's
   * option), naming it, before anything is sent. Absent: the kind checks its options itself.
   * Every kind rtnl ships lists them (an action's include `kind` and `index`; with `devOption`,
   * `dev` is taken too).
   */
  readonly keys?: ReadonlyArray<keyof O & string>;
}

/**
 * A qdisc or class kind (Equivalent to: tc's q_KIND.c): the shared KindPlugin (src/kinds/plugin.ts) over TCA_OPTIONS. `data` is
 * the codec's TCA_OPTIONS for the kind (a struct, an attribute set, or a struct followed by one);
 * `toAttrs` computes that value (undefined: send none) as tc does, with the scheduler clock and
 * the field to blame from its context. `json` is the `options` object of `tc -j`, `text` the
 * words tc prints after the header, `parseArgs` reads tc's words after the kind.
 */
export interface TcKindPlugin<O> extends TcPluginBase<O, unknown> {
  toAttrs(options: O, ctx: TcKindContext): unknown;
  json?(options: any, ctx: TcPrintContext): Json;
  /**
   * The kind's TCA_XSTATS (decoded) as the lines tc's print_xstats adds below the statistics of
   * `tc -s qdisc show` (a qdisc kind) or `tc -s class show` (a class kind).
   */
  xstatsText?(xstats: any): string[];
  /** The same as the keys tc's print_xstats adds to the qdisc's object with `tc -j -s`. */
  xstatsJson?(xstats: any): Json;
}

/** What a filter kind's `toAttrs` gets besides the clock (Equivalent to: the tcmsg fields of tc filter add ... protocol P handle H): the filter's protocol, handle and whether it has actions. */
export interface TcFilterContext extends TcKindContext {
  /** The Ethernet protocol (host order) the filter matches. */
  readonly protocol: number;
  /** The handle as given (tc's `handle ID`), for the kind to parse. */
  readonly handle: string | number | undefined;
  readonly hasActions: boolean;
}

/**
 * A filter kind (Equivalent to: tc's f_KIND.c): TCA_OPTIONS without the actions (which need device lookups; the operation adds
 * them as `act`) and the tcm_handle, from the kind's options. `parseHandle` and `handleText` read
 * and print the kind's handles (default: hex); `textLines` gives the words tc prints on the
 * filter's line after its kind and chain, then the lines below it.
 */
export interface TcFilterPlugin<O> extends TcPluginBase<O, { options: Record<string, unknown>; handle: number }> {
  toAttrs(options: O, ctx: TcFilterContext): { options: Record<string, unknown>; handle: number };
  parseHandle?(text: string | number, field: string): number;
  handleText?(handle: number): string;
  json?(options: any, ctx: TcPrintContext): Json;
  textLines?(json: Json, options: any): { words: string; lines: string[] };
}

/** What an action kind's `toAttrs` gets: the action's index (0: the kernel picks one). Equivalent to: action KIND ... index N */
export interface TcActionContext extends TcKindContext {
  readonly index: number;
}

/**
 * An action kind (Equivalent to: tc's m_KIND.c): its TCA_ACT_OPTIONS from the action's options (which carry `kind`). With
 * `devOption`, the operation resolves the options' `dev` (a name or index) into `ifindex` first.
 * `aliases` are words that name the kind on tc's command line without `action KIND` (gact's
 * verdicts); `json` adds the kind's fields to the action's `tc -j` object, `text` is what tc
 * prints after `action order N: KIND`.
 */
export interface TcActionPlugin<O> extends TcPluginBase<O, unknown> {
  toAttrs(options: O, ctx: TcActionContext): unknown;
  readonly devOption?: boolean;
  readonly aliases?: readonly string[];
  json?(options: any, ctx: TcPrintContext): Json;
}

/** The options type of a tc kind plugin (what its `toAttrs` takes). */
export type TcOptionsOf<P> = P extends { toAttrs(options: infer O, ctx: never): unknown } ? O : never;

export const percent = (p: number | undefined, field: string): number | undefined => {
  if (p === undefined) return undefined;
  if (typeof p !== 'number' || !(p >= 0 && p <= 100))
    throw new ValidationError(field, 'expected a percentage from 0 to 100', p);
  return Math.round((p / 100) * U32_MAX);
};

/** The prio2band map tc and the kernel use by default. */
export const DEFAULT_PRIOMAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/** Declare a qdisc or class kind with its option type checked. */
export function defineTcKind<O>(plugin: TcKindPlugin<O>): TcKindPlugin<O> {
  return plugin;
}
/** Declare a filter kind with its option type checked. */
export function defineFilterKind<O>(plugin: TcFilterPlugin<O>): TcFilterPlugin<O> {
  return plugin;
}
/** Declare an action kind with its option type checked. */
export function defineActionKind<O>(plugin: TcActionPlugin<O>): TcActionPlugin<O> {
  return plugin;
}

// ---------------------------------------------------------------------------------------------
// Actions' verdicts

/** A control action (verdict), in tc's words. Equivalent to: tc's CONTROL (pass, drop, pipe, ...) */
export type Verdict = 'ok' | 'pass' | 'drop' | 'shot' | 'reclassify' | 'pipe' | 'continue' | 'stolen' | 'trap';

const VERDICTS: Record<Verdict, number> = {
  ok: C.TC_ACT_OK,
  pass: C.TC_ACT_OK,
  drop: C.TC_ACT_SHOT,
  shot: C.TC_ACT_SHOT,
  reclassify: C.TC_ACT_RECLASSIFY,
  pipe: C.TC_ACT_PIPE,
  continue: C.TC_ACT_UNSPEC,
  stolen: C.TC_ACT_STOLEN,
  trap: C.TC_ACT_TRAP,
};
/** The names tc prints for TC_ACT_* verdicts. */
export const VERDICT_NAMES: Record<number, string> = {
  [C.TC_ACT_UNSPEC]: 'continue',
  [C.TC_ACT_OK]: 'pass',
  [C.TC_ACT_RECLASSIFY]: 'reclassify',
  [C.TC_ACT_SHOT]: 'drop',
  [C.TC_ACT_PIPE]: 'pipe',
  [C.TC_ACT_STOLEN]: 'stolen',
  [C.TC_ACT_QUEUED]: 'queued',
  [C.TC_ACT_REPEAT]: 'repeat',
  [C.TC_ACT_REDIRECT]: 'redirect',
  [C.TC_ACT_TRAP]: 'trap',
};
/** The verdict words tc's command line takes. */
export const VERDICT_WORDS = ['pass', 'ok', 'drop', 'shot', 'reclassify', 'pipe', 'continue', 'stolen', 'trap'];

/** A verdict's TC_ACT_* number. */
export const verdict = (v: unknown, field: string): number => {
  const n = typeof v === 'string' && Object.hasOwn(VERDICTS, v) ? VERDICTS[v as Verdict] : undefined;
  if (n === undefined) throw new ValidationError(field, `expected one of ${Object.keys(VERDICTS).join(', ')}`, v);
  return n;
};

// ---------------------------------------------------------------------------------------------
// Printing: tc's sprint_* helpers, pure

/** tc's sprint_rate: bits per second with SI units, bytes in. */
export function rateText(bytes: bigint | number): string {
  let rate = BigInt(bytes) * 8n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < 1000n) break;
    if (rate % 1000n !== 0n && rate < 1_000_000n) break;
    rate /= 1000n;
  }
  return `${rate}${units[i]}bit`;
}

/** tc's sprint_size: Mb / Kb when (nearly) round, else bytes. */
export function sizeText(sz: number): string {
  sz = Math.floor(sz) >>> 0;
  const mb = 1024 * 1024;
  if (sz >= mb && Math.abs(mb * Math.round(sz / mb) - sz) < 1024) return `${String(Math.round(sz / mb))}Mb`;
  if (sz >= 1024 && Math.abs(1024 * Math.round(sz / 1024) - sz) < 16) return `${String(Math.round(sz / 1024))}Kb`;
  return `${sz}b`;
}

/** C's printf("%.Ng"): N significant digits, no trailing zeros, an exponent from 10^N up. */
export function gText(n: number, digits = 6): string {
  if (n === 0 || !Number.isFinite(n)) return String(n);
  const exp = Math.floor(Math.log10(Math.abs(Number(n.toPrecision(digits)))));
  if (exp < -4 || exp >= digits) {
    const [m, e] = n.toExponential(digits - 1).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  return String(Number(n.toPrecision(digits)));
}

/**
 * tc's sprint_time: microseconds in; seconds or milliseconds as %.3g, else whole microseconds
 * (tc 6.1 prints a tbf latency of 1496us as "1.5ms", and fq_codel's default target of 4999us as
 * "5ms").
 */
export function timeText(us: number): string {
  if (us >= 1e6) return `${gText(us / 1e6, 3)}s`;
  if (us >= 1e3) return `${gText(us / 1e3, 3)}ms`;
  return `${Math.floor(us)}us`;
}

/** tc's sprint_time64: nanoseconds in; s, ms or us as %.3g, else whole nanoseconds. */
export function time64Text(ns: number | bigint): string {
  const t = Number(ns);
  if (t >= 1e9) return `${gText(t / 1e9, 3)}s`;
  if (t >= 1e6) return `${gText(t / 1e6, 3)}ms`;
  if (t >= 1e3) return `${gText(t / 1e3, 3)}us`;
  return `${Math.trunc(t)}ns`;
}

/** tc_core_tick2time: ticks to whole microseconds (tc truncates to unsigned). */
export const tick2time = (ticks: number, ps: Psched): number => Math.floor(ticks / ps.tickInUsec);
/** tc_calc_xmitsize: bytes sent at `rate` during `ticks`. */
export const xmitsize = (rate: number, ticks: number, ps: Psched): number => (rate * tick2time(ticks, ps)) / 1e6;
/** A size as tc's unsigned int: 0 for what is not a positive number. */
export const u32Of = (v: number): number => (Number.isFinite(v) && v > 0 ? Math.floor(v) >>> 0 : 0);
export const hex = (n: number): string => (n >>> 0).toString(16);

/** print_tm: ages in USER_HZ (100) ticks, printed in seconds. */
export function tmJson(tm: any, j: Json): void {
  const hz = 100n;
  if (tm.install) j.installed = Number(tm.install / hz);
  if (tm.lastuse) j.last_used = Number(tm.lastuse / hz);
  if (tm.firstuse) j.first_used = Number(tm.firstuse / hz);
  if (tm.expires) j.expires = Number(tm.expires / hz);
}

/** A filter's TCA_CLS_FLAGS as tc prints them in JSON. */
export function clsFlagsJson(flags: number, j: Json): void {
  if (flags & C.TCA_CLS_FLAGS_SKIP_HW) j.skip_hw = true;
  if (flags & C.TCA_CLS_FLAGS_SKIP_SW) j.skip_sw = true;
  if (flags & C.TCA_CLS_FLAGS_IN_HW) j.in_hw = true;
  else if (flags & C.TCA_CLS_FLAGS_NOT_IN_HW) j.not_in_hw = true;
}
/** The same flags as tc's text. */
export function clsFlagsText(op: Json): string {
  let s = '';
  if (op.skip_hw) s += 'skip_hw ';
  if (op.skip_sw) s += 'skip_sw ';
  if (op.in_hw) s += 'in_hw ';
  if (op.not_in_hw) s += 'not_in_hw ';
  return s;
}

// ---------------------------------------------------------------------------------------------
// Command-line words

/**
 * Keyword options of a kind: `key value` pairs with the value's type, up to the end or to
 * `action`. Unknown keywords are usage errors.
 */
export function keywordOptions(
  w: KindWords,
  kind: string,
  known: Record<string, 'num' | 'str' | 'flag'>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.peek()!;
    if (k === 'action' || k === 'actions') break;
    const type = known[k];
    if (type === undefined) throw w.usage(`what is "${k}"? (an option of ${kind}; try "rtnl tc help")`);
    w.shift();
    if (type === 'flag') out[k] = true;
    else {
      const v = w.value(k);
      out[k] = type === 'num' ? w.uint(k, v) : v;
    }
  }
  return out;
}

/** snake_case keys to the options' camelCase. */
export function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
}
