/** The sit link kind: IPv6 in IPv4, with ipip's data (see ipip.ts). Decoding only. */
import { iptunData } from './ipip.js';
import { defineLinkKind } from './kind.js';

export default defineLinkKind<never>()({ kind: 'sit', data: iptunData });
