/** The cake qdisc. Equivalent to: tc qdisc ... cake [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf } from '../../codec/tc/parse.js';
import { defineTcKind, keywordOptions, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['cake']>({
  kind: 'cake',
  keys: ['bandwidth'],
  data: qdiscOptionCases.cake,
  toAttrs: (o, { field: f }) =>
    o.bandwidth === undefined ? {} : { baseRate64: rateOf(o.bandwidth, `${f}.bandwidth`), autorate: 0 },
  parseArgs: (w) => keywordOptions(w, 'cake', { bandwidth: 'str' }),
});
