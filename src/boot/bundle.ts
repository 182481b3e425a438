/**
 * The library's one CommonJS bundle (dist/rtnl.cjs): both public entry points in one copy of the
 * code, so `rtnl` and `rtnl/codec` share their classes (`DecodeError` is one class). The entry
 * files of the package (dist/index.js, dist/codec/index.js and their .cjs twins, written by
 * scripts/build-entries.ts) take their exports from here through ./library.ts.
 *
 * `rtnl/codec` is loaded on first use: its `constants` object is built from every name table when
 * the module runs (about 10 ms), which `import('rtnl')` alone must not pay.
 * @internal
 */
export * as main from '../index.js';

type Codec = typeof import('../codec/index.js');
let codecModule: Codec | undefined;
export const codec = (): Codec => {
  codecModule ??= require('../codec/index.js') as Codec;
  return codecModule;
};
