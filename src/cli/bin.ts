#!/usr/bin/env node
/**
 * The `rtnl` command's entry point (package.json "bin"). It does one thing before loading the CLI:
 * on Node versions that have it (22.1 and later), it turns on Node's compile cache, so the second
 * and later runs load V8's compiled code of rtnl's modules instead of compiling them again
 * (measured on Node 22: `rtnl link show` 69 -> 59 ms). The cache is Node's own: its default directory under the OS temp dir, shared with every
 * program that enables it, and off when NODE_DISABLE_COMPILE_CACHE is set. On Node 20 this is a
 * no-op. It must happen here, before `main.js` and its imports are loaded: a module compiled
 * before the call is not cached.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runAsProgram } = await import('./main.js');
await runAsProgram();
