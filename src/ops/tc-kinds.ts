/**
 * Traffic-control kinds as plugins: each turns the options a user gives (in tc's vocabulary,
 * numbers or tc notation) into the kind's TCA_OPTIONS value, the way tc computes it. Pure: the
 * scheduler clock (/proc/net/psched) comes in as `Psched`.
 *
 * What rtnl sends differs from tc in one respect: no rate tables (TCA_TBF_RTAB/PTAB,
 * TCA_HTB_RTAB/CTAB). The ratespecs carry TC_LINKLAYER_ETHERNET, with which the kernel computes
 * transmission times itself and never reads a table. police still needs one (the kernel refuses
 * it without), so rtnl computes it as tc does.
 */
import * as C from '../codec/constants/index.js';
import { ValidationError } from '../errors.js';
import { formatHandle, parseClassid, rateOf, sizeOf, timeOf } from '../codec/tc/parse.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import type { U32Key, U32Sel } from '../codec/tc/cls.js';
import type { KindPlugin, SchedClock, TcData, TcKindContext } from '../kinds/plugin.js';
import { qdiscOptionCases } from '../codec/tc/qdisc.js';
import { parsePrefix } from './validate.js';

/** The packet scheduler's clock, from /proc/net/psched. */
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

const U32_MAX = 0xffffffff;
/** tc_calc_xmittime: the time to send `size` bytes at `rate` bytes/s, in ticks (both steps truncate). */
export function xmittime(rate: bigint | number, size: number, ps: Psched): number {
  const r = Number(rate);
  if (!(r > 0)) return 0;
  // size/rate first, then scaled, as tc computes it (the rounding differs otherwise)
  const us = Math.min(U32_MAX, Math.floor(1e6 * (size / r)));
  return Math.min(U32_MAX, Math.floor(us * ps.tickInUsec));
}

/** A ratespec's fields for a struct that embeds one, as tc fills them (cell_log for a 2047-byte MTU). */
function ratespec<P extends string>(
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

type Num = number | string;
const need = (v: unknown, field: string): void => {
  if (v === undefined) throw new ValidationError(field, 'is required');
};
const intIn = (v: unknown, lo: number, hi: number, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new ValidationError(field, `expected an integer from ${lo} to ${hi}`, v);
  return v;
};

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
function redEwma(qmin: number, burst: number, avpkt: number, field: string): number {
  const a = burst + 1 - qmin / avpkt;
  if (a < 1)
    throw new ValidationError(`${field}.burst`, `is too small for min; try ${1 + Math.floor(qmin / avpkt)}`, burst);
  let W = 0.5;
  for (let wlog = 1; wlog < 32; wlog++, W /= 2) if (a <= (1 - (1 - W) ** burst) / W) return wlog;
  throw new ValidationError(`${field}.burst`, 'is too large', burst);
}
/** tc_red_eval_P: the log of the probability's scale. */
function redP(qmin: number, qmax: number, prob: number, field: string): number {
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
function redIdle(
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

/** A context for pure uses (tests, the CLI's request builder): the clock given, no link lookups. */
export function tcKindContext(clock: Psched, field: string): TcKindContext {
  return {
    clock,
    field,
    linkIndex: (ref) =>
      typeof ref === 'number' ? Promise.resolve(ref) : Promise.reject(new Error(`no link lookup here: ${ref}`)),
    netnsFd: () => {
      throw new Error('tc kinds take no namespace');
    },
  };
}

/** The TCA_OPTIONS value of a qdisc kind for `options`. */
export function qdiscOptions(kind: keyof QdiscKindOptions, options: unknown, ctx: TcKindContext): unknown {
  return (qdiscKinds[kind] as TcKindPlugin<unknown>).toAttrs(options, ctx);
}

const percent = (p: number | undefined, field: string): number | undefined => {
  if (p === undefined) return undefined;
  if (typeof p !== 'number' || !(p >= 0 && p <= 100))
    throw new ValidationError(field, 'expected a percentage from 0 to 100', p);
  return Math.round((p / 100) * U32_MAX);
};

/** The prio2band map tc and the kernel use by default. */
const DEFAULT_PRIOMAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

export const qdiscKinds: { [K in keyof QdiscKindOptions]: TcKindPlugin<QdiscKindOptions[K]> } = {
  pfifo: {
    kind: 'pfifo',
    data: qdiscOptionCases.pfifo,
    toAttrs: (o, { field: f }) => (o.limit === undefined ? undefined : { limit: intIn(o.limit, 0, U32_MAX, `${f}.limit`) }),
  },
  bfifo: {
    kind: 'bfifo',
    data: qdiscOptionCases.bfifo,
    toAttrs: (o, { field: f }) => (o.limit === undefined ? undefined : { limit: sizeOf(o.limit, `${f}.limit`) }),
  },
  pfifo_fast: { kind: 'pfifo_fast',
    data: qdiscOptionCases.pfifo_fast, toAttrs: () => undefined },
  prio: {
    kind: 'prio',
    data: qdiscOptionCases.prio,
    toAttrs: (o, { field: f }) => {
      const bands = intIn(o.bands ?? 3, 2, 16, `${f}.bands`);
      const map = o.priomap ?? DEFAULT_PRIOMAP;
      if (!Array.isArray(map) || map.length > 16)
        throw new ValidationError(`${f}.priomap`, 'expected up to 16 bands', map);
      const priomap = new Uint8Array(16);
      map.forEach((b, i) => {
        priomap[i] = intIn(b, 0, bands - 1, `${f}.priomap[${i}]`);
      });
      return { header: { bands, priomap }, attrs: { options: {} } };
    },
  },
  tbf: {
    kind: 'tbf',
    data: qdiscOptionCases.tbf,
    toAttrs: (o, { clock: ps, field: f }) => {
      need(o.rate, `${f}.rate`);
      need(o.burst, `${f}.burst`);
      const rate = rateOf(o.rate, `${f}.rate`);
      const burst = sizeOf(o.burst, `${f}.burst`);
      if (rate === 0n) throw new ValidationError(`${f}.rate`, 'must be above zero', o.rate);
      if ((o.limit === undefined) === (o.latency === undefined))
        throw new ValidationError(`${f}.limit`, 'give exactly one of limit and latency', o);
      const peak = o.peakrate === undefined ? undefined : rateOf(o.peakrate, `${f}.peakrate`);
      const mtu = o.mtu === undefined ? 0 : sizeOf(o.mtu, `${f}.mtu`);
      if (peak !== undefined && mtu === 0) throw new ValidationError(`${f}.mtu`, 'peakrate needs mtu', o);
      const mpu = o.mpu === undefined ? 0 : sizeOf(o.mpu, `${f}.mpu`);
      let limit: number;
      if (o.limit !== undefined) limit = sizeOf(o.limit, `${f}.limit`);
      else {
        const lat = timeOf(o.latency!, `${f}.latency`);
        let lim = (Number(rate) * lat) / 1e6 + burst;
        if (peak !== undefined) lim = Math.min(lim, (Number(peak) * lat) / 1e6 + mtu);
        limit = Math.min(U32_MAX, Math.floor(lim));
      }
      const parms = {
        ...ratespec('rate', rate, { mpu, overhead: o.overhead }),
        ...(peak === undefined
          ? ratespec('peakrate', 0n, { cellLog: 0 })
          : ratespec('peakrate', peak, { mpu, overhead: o.overhead })),
        limit,
        buffer: xmittime(rate, burst, ps),
        mtu: peak === undefined ? 0 : xmittime(peak, mtu, ps),
      };
      if (peak === undefined) Object.assign(parms, { peakrateLinklayer: 0, peakrateCellAlign: 0 });
      return {
        parms,
        burst,
        ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
        ...(peak !== undefined ? { pburst: mtu } : {}),
        ...(peak !== undefined && peak > BigInt(U32_MAX) ? { prate64: peak } : {}),
      };
    },
  },
  htb: {
    kind: 'htb',
    data: qdiscOptionCases.htb,
    toAttrs: (o, { field: f }) => {
      const def =
        o.default === undefined ? 0 : typeof o.default === 'string' ? Number.parseInt(o.default, 16) : o.default;
      if (
        !Number.isInteger(def) ||
        def < 0 ||
        def > 0xffff ||
        (typeof o.default === 'string' && !/^[0-9a-f]{1,4}$/i.test(o.default))
      )
        throw new ValidationError(`${f}.default`, 'expected a class minor number (hex, as tc reads it)', o.default);
      return {
        init: {
          version: 3,
          rate2quantum: intIn(o.r2q ?? 10, 1, U32_MAX, `${f}.r2q`),
          defcls: def,
          debug: 0,
          directPkts: 0,
        },
        ...(o.directQlen === undefined ? {} : { directQlen: intIn(o.directQlen, 0, U32_MAX, `${f}.directQlen`) }),
      };
    },
  },
  netem: {
    kind: 'netem',
    data: qdiscOptionCases.netem,
    toAttrs: (o, { clock: ps, field: f }) => {
      const ticks = (v: Num | undefined, k: string) =>
        v === undefined ? 0 : Math.min(U32_MAX, Math.floor(timeOf(v, `${f}.${k}`) * ps.tickInUsec));
      const attrs: Record<string, unknown> = {};
      if (o.reorder !== undefined) attrs.reorder = { probability: percent(o.reorder, `${f}.reorder`), correlation: 0 };
      if (o.corrupt !== undefined) attrs.corrupt = { probability: percent(o.corrupt, `${f}.corrupt`), correlation: 0 };
      if (o.rate !== undefined) {
        const r = rateOf(o.rate, `${f}.rate`);
        attrs.rate = {
          rate: r > BigInt(U32_MAX) ? U32_MAX : Number(r),
          packetOverhead: 0,
          cellSize: 0,
          cellOverhead: 0,
        };
        if (r > BigInt(U32_MAX)) attrs.rate64 = r;
      }
      return {
        header: {
          latency: ticks(o.delay, 'delay'),
          limit: intIn(o.limit ?? 1000, 0, U32_MAX, `${f}.limit`),
          loss: percent(o.loss, `${f}.loss`) ?? 0,
          gap: intIn(o.gap ?? 0, 0, U32_MAX, `${f}.gap`),
          duplicate: percent(o.duplicate, `${f}.duplicate`) ?? 0,
          jitter: ticks(o.jitter, 'jitter'),
        },
        attrs,
      };
    },
  },
  fq_codel: {
    kind: 'fq_codel',
    data: qdiscOptionCases.fq_codel,
    toAttrs: (o, { field: f }) => {
      const out: Record<string, unknown> = {};
      if (o.limit !== undefined) out.limit = intIn(o.limit, 0, U32_MAX, `${f}.limit`);
      if (o.flows !== undefined) out.flows = intIn(o.flows, 1, 65536, `${f}.flows`);
      if (o.quantum !== undefined) out.quantum = intIn(o.quantum, 0, U32_MAX, `${f}.quantum`);
      if (o.interval !== undefined) out.interval = timeOf(o.interval, `${f}.interval`);
      if (o.target !== undefined) out.target = timeOf(o.target, `${f}.target`);
      if (o.ceThreshold !== undefined) out.ceThreshold = timeOf(o.ceThreshold, `${f}.ceThreshold`);
      if (o.memoryLimit !== undefined) out.memoryLimit = sizeOf(o.memoryLimit, `${f}.memoryLimit`);
      if (o.ecn !== undefined) out.ecn = o.ecn ? 1 : 0;
      return out;
    },
  },
  fq: {
    kind: 'fq',
    data: qdiscOptionCases.fq,
    toAttrs: (o, { field: f }) => {
      const out: Record<string, unknown> = {};
      if (o.limit !== undefined) out.plimit = intIn(o.limit, 0, U32_MAX, `${f}.limit`);
      if (o.flowLimit !== undefined) out.flowPlimit = intIn(o.flowLimit, 0, U32_MAX, `${f}.flowLimit`);
      if (o.quantum !== undefined) out.quantum = sizeOf(o.quantum, `${f}.quantum`);
      if (o.initialQuantum !== undefined) out.initialQuantum = sizeOf(o.initialQuantum, `${f}.initialQuantum`);
      if (o.maxrate !== undefined) {
        const r = rateOf(o.maxrate, `${f}.maxrate`);
        out.flowMaxRate = r > BigInt(U32_MAX) ? U32_MAX : Number(r);
      }
      if (o.buckets !== undefined) out.bucketsLog = Math.ceil(Math.log2(intIn(o.buckets, 1, 1 << 30, `${f}.buckets`)));
      if (o.pacing !== undefined) out.rateEnable = o.pacing ? 1 : 0;
      return out;
    },
  },
  sfq: {
    kind: 'sfq',
    data: qdiscOptionCases.sfq,
    toAttrs: (o, { field: f }) => ({
      quantum: intIn(o.quantum ?? 0, 0, U32_MAX, `${f}.quantum`),
      perturbPeriod: intIn(o.perturb ?? 0, 0, 0x7fffffff, `${f}.perturb`),
      limit: intIn(o.limit ?? 0, 0, U32_MAX, `${f}.limit`),
      divisor: intIn(o.divisor ?? 0, 0, 65536, `${f}.divisor`),
      flows: intIn(o.flows ?? 0, 0, 65536, `${f}.flows`),
      depth: intIn(o.depth ?? 0, 0, U32_MAX, `${f}.depth`),
      ...Object.fromEntries(
        ['headdrop', 'redLimit', 'qthMin', 'qthMax', 'wlog', 'plog', 'scellLog', 'flags', 'maxP']
          .concat(['probDrop', 'forcedDrop', 'probMark', 'forcedMark', 'probMarkHead', 'forcedMarkHead'])
          .map((k) => [k, 0]),
      ),
    }),
  },
  cake: {
    kind: 'cake',
    data: qdiscOptionCases.cake,
    toAttrs: (o, { field: f }) =>
      o.bandwidth === undefined ? {} : { baseRate64: rateOf(o.bandwidth, `${f}.bandwidth`), autorate: 0 },
  },
  red: {
    kind: 'red',
    data: qdiscOptionCases.red,
    toAttrs: (o, { clock: ps, field: f }) => {
      for (const k of ['limit', 'min', 'max', 'avpkt'] as const) need(o[k], `${f}.${k}`);
      const limit = sizeOf(o.limit, `${f}.limit`);
      const qmin = sizeOf(o.min, `${f}.min`);
      const qmax = sizeOf(o.max, `${f}.max`);
      const avpkt = sizeOf(o.avpkt, `${f}.avpkt`);
      if (!limit || !qmin || !qmax || !avpkt)
        throw new ValidationError(`${f}.limit`, 'limit, min, max and avpkt must be above 0', o);
      if (qmax <= qmin) throw new ValidationError(`${f}.max`, 'must be above min', o.max);
      const prob = o.probability ?? 0.02;
      if (typeof prob !== 'number' || !(prob > 0 && prob <= 1))
        throw new ValidationError(`${f}.probability`, 'expected a number above 0, at most 1', prob);
      const rate = rateOf(o.bandwidth ?? '10mbit', `${f}.bandwidth`);
      const burst =
        o.burst === undefined ? Math.floor((2 * qmin + qmax) / (3 * avpkt)) : intIn(o.burst, 1, U32_MAX, `${f}.burst`);
      const wlog = redEwma(qmin, burst, avpkt, f);
      const plog = redP(qmin, qmax, prob, f);
      const { clog, stab } = redIdle(wlog, avpkt, Math.min(U32_MAX, Number(rate)), ps, f);
      const value =
        (o.ecn ? C.TC_RED_ECN : 0) |
        (o.harddrop ? C.TC_RED_HARDDROP : 0) |
        (o.adaptive ? C.TC_RED_ADAPTATIVE : 0) |
        (o.nodrop ? C.TC_RED_NODROP : 0);
      return {
        parms: {
          limit,
          qthMin: qmin,
          qthMax: qmax,
          wlog,
          plog,
          scellLog: clog,
          flags: value & C.TC_RED_HISTORIC_FLAGS,
        },
        stab,
        maxP: Math.min(U32_MAX, Math.floor(prob * 2 ** 32)),
        flags: { value, selector: C.TC_RED_HISTORIC_FLAGS | C.TC_RED_NODROP },
      };
    },
  },
  mq: { kind: 'mq', toAttrs: () => undefined },
  ingress: { kind: 'ingress', toAttrs: () => undefined },
  clsact: { kind: 'clsact', toAttrs: () => undefined },
  noqueue: { kind: 'noqueue', toAttrs: () => undefined },
};

/** htb class options (TCA_OPTIONS of an htb class), with tc's default buffers. */
export function htbClassOptions(o: HtbClassOptions, ps: Psched, f: string): Record<string, unknown> {
  need(o.rate, `${f}.rate`);
  const rate = rateOf(o.rate, `${f}.rate`);
  if (rate === 0n) throw new ValidationError(`${f}.rate`, 'must be above zero', o.rate);
  const ceil = o.ceil === undefined ? rate : rateOf(o.ceil, `${f}.ceil`);
  const mtu = o.mtu === undefined ? 1600 : sizeOf(o.mtu, `${f}.mtu`);
  const mpu = o.mpu === undefined ? 0 : sizeOf(o.mpu, `${f}.mpu`);
  const buffer = o.burst === undefined ? Number(rate) / ps.hz + mtu : sizeOf(o.burst, `${f}.burst`);
  const cbuffer = o.cburst === undefined ? Number(ceil) / ps.hz + mtu : sizeOf(o.cburst, `${f}.cburst`);
  return {
    ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
    ...(ceil > BigInt(U32_MAX) ? { ceil64: ceil } : {}),
    parms: {
      ...ratespec('rate', rate, { mpu, overhead: o.overhead }),
      ...ratespec('ceil', ceil, { mpu, overhead: o.overhead }),
      buffer: xmittime(rate, buffer, ps),
      cbuffer: xmittime(ceil, cbuffer, ps),
      quantum: intIn(o.quantum ?? 0, 0, U32_MAX, `${f}.quantum`),
      level: 0,
      prio: intIn(o.prio ?? 0, 0, 7, `${f}.prio`),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

/** mirred: redirect or mirror to a device. Equivalent to: action mirred (egress|ingress) (redirect|mirror) dev DEV */
export interface MirredAction {
  kind: 'mirred';
  direction?: 'egress' | 'ingress';
  action: 'redirect' | 'mirror';
  /** The target's ifindex (ops resolve names). */
  ifindex: number;
  index?: number;
}
/** gact: a verdict. Equivalent to: action gact (pass|drop|ok|reclassify|pipe|continue|trap) */
export interface GactAction {
  kind: 'gact';
  action: Verdict;
  index?: number;
}
/** police: a token bucket. Equivalent to: action police rate R burst B [mtu M] [conform-exceed (drop|pass|...)] */
export interface PoliceAction {
  kind: 'police';
  rate: number | bigint | string;
  burst: Num;
  mtu?: Num;
  exceed?: Verdict;
  index?: number;
}
export type ActionSpec = MirredAction | GactAction | PoliceAction;
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

const verdict = (v: unknown, field: string): number => {
  const n = VERDICTS[v as Verdict];
  if (n === undefined) throw new ValidationError(field, `expected one of ${Object.keys(VERDICTS).join(', ')}`, v);
  return n;
};

/** One action's TCA_ACT_* value, as tc builds it. */
export function actionAttrsOf(a: ActionSpec, ps: Psched, f: string): ActionAttrs {
  const index = a.index === undefined ? 0 : intIn(a.index, 0, U32_MAX, `${f}.index`);
  switch (a?.kind) {
    case 'mirred': {
      const dir = a.direction ?? 'egress';
      if (dir !== 'egress' && dir !== 'ingress')
        throw new ValidationError(`${f}.direction`, "expected 'egress' or 'ingress'", dir);
      if (a.action !== 'redirect' && a.action !== 'mirror')
        throw new ValidationError(`${f}.action`, "expected 'redirect' or 'mirror'", a.action);
      const eaction =
        dir === 'egress'
          ? a.action === 'redirect'
            ? C.TCA_EGRESS_REDIR
            : C.TCA_EGRESS_MIRROR
          : a.action === 'redirect'
            ? C.TCA_INGRESS_REDIR
            : C.TCA_INGRESS_MIRROR;
      const action = a.action === 'redirect' ? C.TC_ACT_STOLEN : C.TC_ACT_PIPE;
      return {
        kind: 'mirred',
        options: {
          parms: {
            index,
            capab: 0,
            action,
            refcnt: 0,
            bindcnt: 0,
            eaction,
            ifindex: intIn(a.ifindex, 1, 0x7fffffff, `${f}.dev`),
          },
        },
      } as ActionAttrs;
    }
    case 'gact':
      return {
        kind: 'gact',
        options: { parms: { index, capab: 0, action: verdict(a.action, `${f}.action`), refcnt: 0, bindcnt: 0 } },
      } as ActionAttrs;
    case 'police': {
      need(a.rate, `${f}.rate`);
      need(a.burst, `${f}.burst`);
      const rate = rateOf(a.rate, `${f}.rate`);
      const burst = sizeOf(a.burst, `${f}.burst`);
      const mtu = a.mtu === undefined ? 0 : sizeOf(a.mtu, `${f}.mtu`);
      const { table, cellLog } = rateTable(rate, mtu, 0, ps);
      return {
        kind: 'police',
        options: {
          tbf: {
            index,
            action: verdict(a.exceed ?? 'drop', `${f}.exceed`),
            limit: 0,
            burst: xmittime(rate, burst, ps),
            mtu,
            ...ratespec('rate', rate, { cellLog }),
            ...ratespec('peakrate', 0n, { cellLog: 0 }),
            peakrateLinklayer: 0,
            peakrateCellAlign: 0,
            refcnt: 0,
            bindcnt: 0,
            capab: 0,
          },
          rate: table,
          ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
        },
      } as ActionAttrs;
    }
    default:
      throw new ValidationError(`${f}.kind`, "expected 'mirred', 'gact' or 'police'", (a as { kind?: unknown })?.kind);
  }
}

// ---------------------------------------------------------------------------------------------
// u32

/** One `match` of a u32 filter, as tc's `match ip ...`, `match ip6 ...` and `match u32 ...`. */
export type U32Match =
  | { ip: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number; tos?: number } }
  | { ip6: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number } }
  | { u32: [value: number, mask: number, at: number] }
  | { u16: [value: number, mask: number, at: number] }
  | { u8: [value: number, mask: number, at: number] };

/** pack_key: merge a key into the selector the way tc does (same offset: values OR together). */
function packKey(keys: U32Key[], val: number, mask: number, off: number, field: string): void {
  val = (val & mask) >>> 0;
  for (const k of keys) {
    if (k.off === off && k.offmask === 0) {
      if (((val ^ k.val) & mask & k.mask) >>> 0 !== 0)
        throw new ValidationError(field, 'contradicts an earlier match at the same offset', val);
      k.val = (k.val | val) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return;
    }
  }
  if (keys.length >= 128) throw new ValidationError(field, 'too many keys', keys.length);
  keys.push({ mask: mask >>> 0, val, off, offmask: 0 });
}
function packN(keys: U32Key[], bits: 8 | 16 | 32, val: number, mask: number, off: number, field: string): void {
  const max = bits === 32 ? U32_MAX : (1 << bits) - 1;
  intIn(val, 0, max, field);
  intIn(mask, 0, max, field);
  if (bits !== 32) {
    const shift = bits === 16 ? (off % 4 === 0 ? 16 : 0) : 24 - 8 * (off % 4);
    if (bits === 16 && off % 2 !== 0) throw new ValidationError(field, 'a u16 match needs an even offset', off);
    val = (val << shift) >>> 0;
    mask = (mask << shift) >>> 0;
  } else if (off % 4 !== 0)
    throw new ValidationError(field, 'a u32 match needs an offset that is a multiple of 4', off);
  packKey(keys, val, mask, off - (off % 4), field);
}
function packPrefix(keys: U32Key[], prefix: string, off: number, family: 4 | 6, field: string): void {
  const p = parsePrefix(prefix);
  if (!p || p.family !== family) throw new ValidationError(field, `expected an IPv${family} prefix`, prefix);
  const bytes = Buffer.from(family === 4 ? p.address.split('.').map(Number) : ipv6Bytes(p.address));
  let left = p.prefixLen;
  for (let i = 0; i < bytes.length / 4 && left > 0; i++) {
    const bits = Math.min(32, left);
    const mask = bits === 32 ? U32_MAX : ((~(U32_MAX >>> bits) >>> 0) as number);
    packKey(keys, bytes.readUInt32BE(i * 4), mask, off + i * 4, field);
    left -= bits;
  }
}
function ipv6Bytes(addr: string): number[] {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The u32 selector for a list of matches, as tc builds it (sorted into keys by offset as given). */
export function u32Selector(matches: U32Match[], terminal: boolean, f: string): U32Sel {
  const keys: U32Key[] = [];
  matches.forEach((m, i) => {
    const p = `${f}[${i}]`;
    if ('ip' in m) {
      const o = m.ip;
      if (o.src !== undefined) packPrefix(keys, o.src, 12, 4, `${p}.ip.src`);
      if (o.dst !== undefined) packPrefix(keys, o.dst, 16, 4, `${p}.ip.dst`);
      if (o.tos !== undefined) packN(keys, 8, o.tos, 0xff, 1, `${p}.ip.tos`);
      if (o.protocol !== undefined) packN(keys, 8, o.protocol, 0xff, 9, `${p}.ip.protocol`);
      if (o.sport !== undefined) packN(keys, 16, o.sport, 0xffff, 20, `${p}.ip.sport`);
      if (o.dport !== undefined) packN(keys, 16, o.dport, 0xffff, 22, `${p}.ip.dport`);
    } else if ('ip6' in m) {
      const o = m.ip6;
      if (o.src !== undefined) packPrefix(keys, o.src, 8, 6, `${p}.ip6.src`);
      if (o.dst !== undefined) packPrefix(keys, o.dst, 24, 6, `${p}.ip6.dst`);
      if (o.protocol !== undefined) packN(keys, 8, o.protocol, 0xff, 6, `${p}.ip6.protocol`);
      if (o.sport !== undefined) packN(keys, 16, o.sport, 0xffff, 40, `${p}.ip6.sport`);
      if (o.dport !== undefined) packN(keys, 16, o.dport, 0xffff, 42, `${p}.ip6.dport`);
    } else if ('u32' in m) packN(keys, 32, m.u32[0], m.u32[1], m.u32[2], `${p}.u32`);
    else if ('u16' in m) packN(keys, 16, m.u16[0], m.u16[1], m.u16[2], `${p}.u16`);
    else if ('u8' in m) packN(keys, 8, m.u8[0], m.u8[1], m.u8[2], `${p}.u8`);
    else throw new ValidationError(p, "expected one of 'ip', 'ip6', 'u32', 'u16', 'u8'", m);
  });
  return {
    flags: terminal ? C.TC_U32_TERMINAL : 0,
    offshift: 0,
    nkeys: keys.length,
    pad: 0,
    offmask: 0,
    off: 0,
    offoff: 0,
    hoff: 0,
    hmask: 0,
    keys,
  };
}

/** A u32 handle 'HTID:HASH:NODE' (hex; parts may be empty), e.g. '800:', '2:7:', '800::800'. */
export function parseU32Handle(text: string | number, field: string): number {
  if (typeof text === 'number') return intIn(text, 0, U32_MAX, field);
  const m = /^([0-9a-f]{0,3})(?::([0-9a-f]{0,2})(?::([0-9a-f]{0,3}))?)?$/i.exec(text);
  if (!m || text === '')
    throw new ValidationError(field, `expected a u32 handle like '800:', '2:7:' or '800::800', got '${text}'`, text);
  const n = (s: string | undefined) => (s ? Number.parseInt(s, 16) : 0);
  return ((n(m[1]) << 20) | (n(m[2]) << 12) | n(m[3])) >>> 0;
}

/** A class id given as a number or in tc notation. */
export const classidOf = (v: number | string, field: string): number =>
  typeof v === 'number' ? v >>> 0 : parseClassid(v, field);
export { formatHandle };
