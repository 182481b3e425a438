/** The bfifo qdisc. Equivalent to: tc qdisc ... bfifo [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { sizeOf } from '../../codec/tc/parse.js';
import { defineTcKind, camelKeys, keywordOptions, sizeText, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['bfifo']>({
  kind: 'bfifo',
  keys: ['limit'],
  data: qdiscOptionCases.bfifo,
  toAttrs: (o, { field: f }) => (o.limit === undefined ? undefined : { limit: sizeOf(o.limit, `${f}.limit`) }),
  json: (o) => (o.limit !== undefined ? { limit: o.limit } : {}),
  text: (j) => (j.limit !== undefined ? `limit ${sizeText(j.limit as number)}` : ''),
  parseArgs: (w) => camelKeys(keywordOptions(w, 'bfifo', { limit: 'str' })),
});
