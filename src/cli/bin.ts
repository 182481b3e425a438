#!/usr/bin/env node
/**
 * The `rtnl` command's entry point (package.json "bin"), built as CommonJS next to the CLI's one
 * CommonJS bundle (main.cjs). It loads the CLI with V8's code from an earlier run
 * (../boot/code-cache.ts), which is most of the command's start-up. The cache is rtnl's own on
 * every Node version: Node 22's compile cache keeps only what a module compiled when it was
 * loaded, rtnl's keeps every function the run compiled, and `rtnl link show` was 0.86x as long
 * with it as with Node's (Node 22.23, 20 alternating runs). It follows Node's variables
 * (NODE_COMPILE_CACHE, NODE_DISABLE_COMPILE_CACHE). docs/PERFORMANCE.md has the figures.
 */
import { join } from 'node:path';
import { cacheDirFor, loadBundle } from '../boot/code-cache.js';

type Cli = typeof import('./main.js');

void loadBundle<Cli>(join(__dirname, 'main.cjs'), cacheDirFor()).exports.runAsProgram();
