/** The vti6 link kind (see vti.ts). Decoding only. */
import { defineLinkKind } from './kind.js';
import { vti6Data } from './vti.js';

export default defineLinkKind<never>()({ kind: 'vti6', data: vti6Data });
