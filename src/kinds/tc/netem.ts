/** The netem qdisc. Equivalent to: tc qdisc ... netem [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, timeOf } from '../../codec/tc/parse.js';
import type { Json } from '../json.js';
import {
  defineTcKind,
  U32_MAX,
  gText,
  intIn,
  percent,
  rateText,
  tick2time,
  time64Text,
  timeText,
  type Num,
  type QdiscKindOptions,
} from './common.js';

/*
 * Printing follows upstream tc/q_netem.c's netem_print_opt of the iproute2 5.x/6.x series (JSON
 * output, slots; no seed), whose format strings the tc 6.1 binary carries: delay and jitter in
 * scheduler ticks (text: tc's time; JSON: seconds), percentages (text: percent points as %g;
 * JSON: the fraction, and always a correlation), the rate with its overheads (JSON: always; text:
 * when not zero), slot, ecn and gap (JSON: always). JSON numbers are %g, as tc's JSON writer
 * prints doubles. The Gilbert-Elliott and 4-state loss models (TCA_NETEM_LOSS) stay bytes in the
 * codec and are not printed.
 */
const g = (v: number): number => Number(gText(v));
const frac = (p: number): number => g(p / U32_MAX);
const pctText = (p: number): string => ` ${gText((100 * p) / U32_MAX)}%`;

export default defineTcKind<QdiscKindOptions['netem']>({
  kind: 'netem',
  keys: ['limit', 'delay', 'jitter', 'loss', 'duplicate', 'corrupt', 'reorder', 'gap', 'rate'],
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
  json: (o, { clock: ps }) => {
    const q = o.header ?? {};
    const a = o.attrs ?? {};
    const cor = a.corr;
    const j: Json = { limit: q.limit ?? 0 };
    if (q.latency) {
      const d: Json = { delay: g(tick2time(q.latency, ps) / 1e6), jitter: g(tick2time(q.jitter ?? 0, ps) / 1e6) };
      d.correlation = frac(cor?.delayCorr ?? 0);
      // For the text: whether tc prints the correlation (only with a jitter and a non-zero value).
      Object.defineProperty(d, 'show', { value: !!(q.jitter && cor?.delayCorr), enumerable: false });
      Object.defineProperty(d, 'text', {
        value: ` delay ${timeText(tick2time(q.latency, ps))}${q.jitter ? `  ${timeText(tick2time(q.jitter, ps))}` : ''}`,
        enumerable: false,
      });
      Object.defineProperty(d, 'raw', { value: cor?.delayCorr ?? 0, enumerable: false });
      j.delay = d;
    }
    const pc = (key: string, per: number, corr: number, show: boolean): Json => {
      const x: Json = { [key]: frac(per), correlation: frac(corr) };
      Object.defineProperty(x, 'text', {
        value: ` ${key}${pctText(per)}${show ? pctText(corr) : ''}`,
        enumerable: false,
      });
      return x;
    };
    if (q.loss) j['loss-random'] = pc('loss', q.loss, cor?.lossCorr ?? 0, !!cor?.lossCorr);
    if (q.duplicate) j.duplicate = pc('duplicate', q.duplicate, cor?.dupCorr ?? 0, !!cor?.dupCorr);
    if (a.reorder?.probability)
      j.reorder = pc('reorder', a.reorder.probability, a.reorder.correlation ?? 0, !!a.reorder.correlation);
    if (a.corrupt?.probability)
      j.corrupt = pc('corrupt', a.corrupt.probability, a.corrupt.correlation ?? 0, !!a.corrupt.correlation);
    if (a.rate?.rate) {
      const r = a.rate;
      j.rate = {
        rate: a.rate64 ? Number(a.rate64) : r.rate,
        packetoverhead: r.packetOverhead ?? 0,
        cellsize: r.cellSize ?? 0,
        celloverhead: r.cellOverhead ?? 0,
      };
    }
    if (a.slot) {
      const sl = a.slot;
      const t = (v: unknown) => Number(v ?? 0);
      j.slot =
        t(sl.distJitter) > 0
          ? { distribution: g(t(sl.distDelay) / 1e9), jitter: g(t(sl.distJitter) / 1e9) }
          : { 'min-delay': g(t(sl.minDelay) / 1e9), 'max-delay': g(t(sl.maxDelay) / 1e9) };
      Object.assign(j.slot as Json, { packets: sl.maxPackets ?? 0, bytes: sl.maxBytes ?? 0 });
      Object.defineProperty(j.slot, 'text', {
        value:
          t(sl.distJitter) > 0
            ? ` slot distribution ${time64Text(t(sl.distDelay))} ${time64Text(t(sl.distJitter))}`
            : ` slot ${time64Text(t(sl.minDelay))} ${time64Text(t(sl.maxDelay))}`,
        enumerable: false,
      });
    }
    j.ecn = a.ecn !== undefined;
    j.gap = q.gap ?? 0;
    return j;
  },
  text: (j) => {
    let s = `limit ${j.limit}`;
    const d = j.delay as (Json & { text?: string; show?: boolean; raw?: number }) | undefined;
    if (d) s += `${d.text}${d.show ? pctText(d.raw ?? 0) : ''}`;
    for (const k of ['loss-random', 'duplicate', 'reorder', 'corrupt']) if (j[k]) s += (j[k] as { text: string }).text;
    const r = j.rate as Json | undefined;
    if (r) {
      s += ` rate ${rateText(r.rate as number)}`;
      if (r.packetoverhead) s += ` packetoverhead ${r.packetoverhead}`;
      if (r.cellsize) s += ` cellsize ${r.cellsize}`;
      if (r.celloverhead) s += ` celloverhead ${r.celloverhead}`;
    }
    const sl = j.slot as (Json & { text: string }) | undefined;
    if (sl) {
      s += sl.text;
      if (sl.packets) s += ` packets ${sl.packets}`;
      if (sl.bytes) s += ` bytes ${sl.bytes}`;
    }
    if (j.ecn) s += ' ecn ';
    if (j.gap) s += ` gap ${j.gap}`;
    return s;
  },
  parseArgs: (w) => {
    const o: Record<string, unknown> = {};
    const pc = (k: string, v: string): number => {
      const m = /^(\d+(?:\.\d+)?)%?$/.exec(v);
      if (!m) throw w.invalid(k, v, 'expected a percentage');
      return Number(m[1]);
    };
    while (!w.done) {
      const k = w.shift();
      if (k === 'limit' || k === 'gap') o[k] = w.uint(k, w.value(k));
      else if (k === 'delay' || k === 'latency') {
        o.delay = w.value(k);
        if (!w.done && /^\d/.test(w.peek()!)) o.jitter = w.shift();
      } else if (k === 'loss' || k === 'drop') {
        if (w.peek() === 'random') w.shift();
        o.loss = pc(k, w.value(k));
      } else if (k === 'duplicate' || k === 'corrupt' || k === 'reorder') o[k] = pc(k, w.value(k));
      else if (k === 'rate') o.rate = w.value(k);
      else throw w.usage(`what is "${k}"? (an option of netem)`);
    }
    return o;
  },
});
