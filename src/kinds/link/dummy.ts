/** The dummy link kind: no data, no options. Equivalent to: ip link add NAME type dummy */
import { defineLinkKind } from './kind.js';

export default defineLinkKind<never>()({ kind: 'dummy' });
