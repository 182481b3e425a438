/** The netem qdisc. Equivalent to: tc qdisc ... netem [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, timeOf } from '../../codec/tc/parse.js';
import { defineTcKind, U32_MAX, intIn, percent, type Num, type QdiscKindOptions } from './common.js';

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
