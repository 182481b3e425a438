/** The ifb link kind (intermediate functional block): no data, no options. Equivalent to: ip link add NAME type ifb */
import { defineLinkKind } from './kind.js';

export default defineLinkKind<never>()({ kind: 'ifb' });
