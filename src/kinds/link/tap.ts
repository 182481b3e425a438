/**
 * The tap link kind: a tun device of type IFF_TAP, made by the tun plugin's create hook. The
 * kernel reports taps as IFLA_INFO_KIND 'tun' (with IFLA_TUN_TYPE 'TAP'), so this plugin only
 * creates: reading and printing go through tun.ts. (Annotating it create-only as tun.ts does
 * sends tsc into "excessively deep" instantiation in links.ts; at run time it is create-only.)
 */
import { defineLinkKind } from './kind.js';
import { type TunTapOptions, tunTapParts } from './tun.js';

export default defineLinkKind<TunTapOptions>()({ kind: 'tap', ...tunTapParts('tap') });
