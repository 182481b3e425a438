/** The ingress qdisc. Equivalent to: tc qdisc ... ingress [OPTIONS] */
import { defineTcKind, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['ingress']>({ kind: 'ingress', keys: [], toAttrs: () => undefined });
