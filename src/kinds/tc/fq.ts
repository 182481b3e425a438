/** The fq qdisc. Equivalent to: tc qdisc ... fq [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, sizeOf } from '../../codec/tc/parse.js';
import { defineTcKind, U32_MAX, intIn, camelKeys, keywordOptions, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['fq']>({
  kind: 'fq',
  keys: ['limit', 'flowLimit', 'quantum', 'initialQuantum', 'maxrate', 'buckets', 'pacing'],
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
  parseArgs: (w) => {
    const o = keywordOptions(w, 'fq', {
      limit: 'num',
      flow_limit: 'num',
      quantum: 'str',
      initial_quantum: 'str',
      maxrate: 'str',
      buckets: 'num',
      pacing: 'flag',
      nopacing: 'flag',
    });
    if (o.nopacing) o.pacing = false;
    delete o.nopacing;
    return camelKeys(o);
  },
});
