/**
 * Loads the library's bundle (dist/rtnl.cjs) once per process, for every entry point of the package.
 *
 * By default it is required as any CommonJS module. When the program asks Node for a compile cache
 * through the environment (`NODE_COMPILE_CACHE=DIR`), Node 22.1+ caches the bundle itself; on Node
 * 20, which lacks that cache, rtnl keeps V8's code for its own bundle under DIR with the CLI's loader
 * (./code-cache.ts): `import('rtnl')` + open + first list, 20 alternating runs, 135 -> 116 ms. The
 * library never writes a cache unless the program set that variable.
 * @internal
 */
import module from 'node:module';
import { join } from 'node:path';

type Bundle = typeof import('./bundle.js');

let bundle: Bundle | undefined;

export function rtnl(): Bundle {
  if (bundle) return bundle;
  const file = join(__dirname, 'rtnl.cjs');
  const nodeCaches = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  if (nodeCaches || !process.env.NODE_COMPILE_CACHE) {
    bundle = require(file) as Bundle;
  } else {
    // Loaded only here: the loader's modules (vm, zlib) are not needed otherwise.
    const { cacheDirFor, loadBundle } = require('./code-cache.js') as typeof import('./code-cache.js');
    bundle = loadBundle<Bundle>(file, cacheDirFor()).exports;
  }
  return bundle;
}
