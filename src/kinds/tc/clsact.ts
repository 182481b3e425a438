/** The clsact qdisc. Equivalent to: tc qdisc ... clsact [OPTIONS] */
import { defineTcKind, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['clsact']>({ kind: 'clsact', keys: [], toAttrs: () => undefined });
