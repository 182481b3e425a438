/** The prio qdisc. Equivalent to: tc qdisc ... prio [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { ValidationError } from '../../errors.js';
import { defineTcKind, DEFAULT_PRIOMAP, intIn, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['prio']>({
  kind: 'prio',
  keys: ['bands', 'priomap'],
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
  json: (o) => {
    const h = o.header ? o.header : o;
    return { bands: h.bands, priomap: Array.from((h.priomap as Uint8Array | undefined) ?? []), multiqueue: false };
  },
  text: (j) => `bands ${j.bands} priomap ${(j.priomap as number[]).join(' ')}`,
  parseArgs: (w) => {
    const o: Record<string, unknown> = {};
    while (!w.done) {
      const k = w.shift();
      if (k === 'bands') o.bands = w.uint(k, w.value(k), 16);
      else if (k === 'priomap') {
        const map: number[] = [];
        while (!w.done && /^\d+$/.test(w.peek()!)) map.push(w.uint(k, w.shift(), 15));
        o.priomap = map;
      } else throw w.usage(`what is "${k}"? (an option of prio)`);
    }
    return o;
  },
});
