/** The prio qdisc. Equivalent to: tc qdisc ... prio [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { ValidationError } from '../../errors.js';
import { defineTcKind, DEFAULT_PRIOMAP, intIn, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['prio']>({
  kind: 'prio',
  data: qdiscOptionCases.prio,
  toAttrs: (o, { field: f }) => {
    const bands = intIn(o.bands ?? 3, 2, 16, `${f}.bands`);
    const map = o.priomap ?? DEFAULT_PRIOMAP;
    if (!Array.isArray(map) || map.length > 16)
      throw new ValidationError(`${f}.priomap`, 'expected up to 16 bands', map);
    const priomap = new Uint8Array(16);
    map.forEach((b, i) => {
      priomap[i] = intIn(b, 0, bands - 1, `${f}.priomap[${i}]`);
    });
    return { header: { bands, priomap }, attrs: { options: {} } };
  },
});
