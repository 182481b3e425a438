/** The sfq qdisc. Equivalent to: tc qdisc ... sfq [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { defineTcKind, U32_MAX, intIn, keywordOptions, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['sfq']>({
  kind: 'sfq',
  keys: ['perturb', 'quantum', 'limit', 'divisor', 'flows', 'depth'],
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
  parseArgs: (w) =>
    keywordOptions(w, 'sfq', {
      perturb: 'num',
      quantum: 'num',
      limit: 'num',
      divisor: 'num',
      flows: 'num',
      depth: 'num',
    }),
});
