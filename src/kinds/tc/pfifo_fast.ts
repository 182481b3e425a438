/** The pfifo_fast qdisc. Equivalent to: tc qdisc ... pfifo_fast [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { defineTcKind, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['pfifo_fast']>({
  kind: 'pfifo_fast',
  keys: [],
  data: qdiscOptionCases.pfifo_fast,
  toAttrs: () => undefined,
  json: (o) => ({
    bands: o.bands,
    priomap: Array.from((o.priomap as Uint8Array | undefined) ?? []),
    multiqueue: false,
  }),
  text: (j) => `bands ${j.bands} priomap ${(j.priomap as number[]).join(' ')}`,
});
