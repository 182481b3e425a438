/** The fq_codel qdisc. Equivalent to: tc qdisc ... fq_codel [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { sizeOf, timeOf } from '../../codec/tc/parse.js';
import { defineTcKind, U32_MAX, intIn, camelKeys, keywordOptions, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['fq_codel']>({
  kind: 'fq_codel',
  keys: ['limit', 'flows', 'target', 'interval', 'quantum', 'ceThreshold', 'memoryLimit', 'ecn'],
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
  parseArgs: (w) => {
    const o = keywordOptions(w, 'fq_codel', {
      limit: 'num',
      flows: 'num',
      target: 'str',
      interval: 'str',
      quantum: 'num',
      ce_threshold: 'str',
      memory_limit: 'str',
      ecn: 'flag',
      noecn: 'flag',
    });
    if (o.noecn) o.ecn = false;
    delete o.noecn;
    return camelKeys(o);
  },
});
