/** The netem qdisc. Equivalent to: tc qdisc ... netem [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, timeOf } from '../../codec/tc/parse.js';
import { defineTcKind, U32_MAX, intIn, percent, type Num, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['netem']>({
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
});
