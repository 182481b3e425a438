/** The gretap link kind: GRE data with IPv4 endpoints (see gre.ts). Decoding only. */
import { greKind } from './gre.js';

export default greKind('gretap');
