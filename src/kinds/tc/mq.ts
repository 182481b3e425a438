/** The mq qdisc. Equivalent to: tc qdisc ... mq [OPTIONS] */
import { defineTcKind, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['mq']>({ kind: 'mq', keys: [], toAttrs: () => undefined });
