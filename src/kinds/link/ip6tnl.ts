/** The ip6tnl link kind: IPv6 endpoints, 32-bit flags (see ipip.ts). Decoding only. */
import { ip6tnlData } from './ipip.js';
import { defineLinkKind } from './kind.js';

export default defineLinkKind<never>()({ kind: 'ip6tnl', data: ip6tnlData });
