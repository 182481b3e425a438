/** The htb qdisc. Equivalent to: tc qdisc ... htb [OPTIONS] */
import type { Json } from '../json.js';
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { ValidationError } from '../../errors.js';
import { defineTcKind, U32_MAX, intIn, camelKeys, keywordOptions, hex, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['htb']>({
  kind: 'htb',
  keys: ['default', 'r2q', 'directQlen'],
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
  json: (options) => {
    const o: Json = {};
    if (options.init) {
      o.r2q = options.init.rate2quantum;
      o.default = `0x${hex(options.init.defcls ?? 0)}`;
      o.direct_packets_stat = options.init.directPkts;
    }
    if (options.directQlen !== undefined) o.direct_qlen = options.directQlen;
    return o;
  },
  text: (j) =>
    `r2q ${j.r2q} default ${j.default} direct_packets_stat ${j.direct_packets_stat}` +
    (j.direct_qlen !== undefined ? ` direct_qlen ${j.direct_qlen}` : ''),
  parseArgs: (w) => camelKeys(keywordOptions(w, 'htb', { default: 'str', r2q: 'num', direct_qlen: 'num' })),
});
