/** The ip6gre link kind: GRE data with IPv6 endpoints (see gre.ts). Decoding only. */
import { gre6Kind } from './gre.js';

export default gre6Kind('ip6gre');
