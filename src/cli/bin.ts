#!/usr/bin/env node
/**
 * The `rtnl` command's entry point (package.json "bin"), built as CommonJS next to the CLI's one
 * CommonJS bundle (main.cjs). Before loading the CLI it arranges for V8 to reuse the code it
 * compiled on an earlier run, which is most of the command's start-up:
 *
 * - Node 22.1 and later: Node's compile cache (`module.enableCompileCache()`), in its default
 *   directory under the OS temp dir, off when NODE_DISABLE_COMPILE_CACHE is set.
 * - Node 20: rtnl's own loader (../boot/code-cache.ts), which follows the same variables and keeps
 *   each user's cache apart.
 *
 * Measured with 20 alternating runs of `rtnl link show` (docs/PERFORMANCE.md has the figures).
 */
import module from 'node:module';
import { join } from 'node:path';
import { cacheDirFor, loadBundle } from '../boot/code-cache.js';

type Cli = typeof import('./main.js');

const file = join(__dirname, 'main.cjs');
const node = module as { enableCompileCache?: () => unknown };
let cli: Cli;
if (node.enableCompileCache) {
  node.enableCompileCache();
  cli = require(file) as Cli;
} else {
  cli = loadBundle<Cli>(file, cacheDirFor()).exports;
}
void cli.runAsProgram();
