/** The noqueue qdisc. Equivalent to: tc qdisc ... noqueue [OPTIONS] */
import { defineTcKind, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['noqueue']>({ kind: 'noqueue', keys: [], toAttrs: () => undefined });
