/**
 * Loads the library's bundle (dist/rtnl.cjs) once per process, for every entry point of the package.
 *
 * By default it is required as any CommonJS module, and nothing is written. When the program has
 * asked Node for a compile cache (`NODE_COMPILE_CACHE=DIR`, or `module.enableCompileCache()` on
 * Node 22.1+), rtnl keeps V8's code for its own bundle there with the CLI's loader
 * (./code-cache.ts), which also covers Node 20, where Node has no such cache. Node's cache keeps
 * only what a module compiled at load; rtnl's keeps every function the run compiled.
 * `import('rtnl')` + open + first list, 20 alternating runs, Node 20: 135 -> 120 ms.
 * @internal
 */
import module from 'node:module';
import { join } from 'node:path';

type Bundle = typeof import('./bundle.js');

let bundle: Bundle | undefined;

/** The compile cache directory the program asked for, if any. */
function requestedCacheDir(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const dir = (module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();
  return dir || process.env.NODE_COMPILE_CACHE || undefined;
}

/** The library's bundle, loaded on the first call (with the code cache when one was asked for). */
export function rtnl(): Bundle {
  if (bundle) return bundle;
  const file = join(__dirname, 'rtnl.cjs');
  const root = requestedCacheDir();
  if (root === undefined) {
    bundle = require(file) as Bundle;
  } else {
    // Loaded only here: the loader's modules (vm, zlib) are not needed otherwise.
    const { cacheDirFor, loadBundle } = require('./code-cache.js') as typeof import('./code-cache.js');
    bundle = loadBundle<Bundle>(file, cacheDirFor({ NODE_COMPILE_CACHE: root })).exports;
  }
  return bundle;
}
