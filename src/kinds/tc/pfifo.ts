/** The pfifo qdisc. Equivalent to: tc qdisc ... pfifo [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { defineTcKind, U32_MAX, intIn, camelKeys, keywordOptions, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['pfifo']>({
  kind: 'pfifo',
  keys: ['limit'],
  data: qdiscOptionCases.pfifo,
  toAttrs: (o, { field: f }) =>
    o.limit === undefined ? undefined : { limit: intIn(o.limit, 0, U32_MAX, `${f}.limit`) },
  json: (o) => (o.limit !== undefined ? { limit: o.limit } : {}),
  text: (j) => (j.limit !== undefined ? `limit ${j.limit}p` : ''),
  parseArgs: (w) => camelKeys(keywordOptions(w, 'pfifo', { limit: 'num' })),
});
