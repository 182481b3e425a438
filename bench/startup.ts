/**
 * W0: what a program pays to start using rtnl: import it, open a client, list the links, close.
 * run.ts times this whole process from spawn to exit against an empty module (`node empty.mjs`)
 * and `node -e ''`, all started inside
 * the workload's namespace (nsenter), so `Rtnl.open()` takes no options, as a program that works
 * in its own namespace calls it. The process also reports its own split (ms since the process
 * started) to show where the time goes.
 *
 *   node startup.js ENTRY [NETNS]
 *
 * ENTRY is the module to import (the package's dist/index.js). With NETNS, the client is opened
 * with `{ netns: NETNS }` instead, which is validated and so loads zod.
 */
import { writeSync } from 'node:fs';

// run.ts also starts this program with NODE_COMPILE_CACHE=DIR, the variable a program that wants
// fast starts sets: Node 22.1+ then caches every module's compiled code, and on Node 20 rtnl caches
// its own bundle's (src/boot/library.ts).
const t0 = performance.now();
const { Rtnl } = (await import(process.argv[2]!)) as typeof import('../src/index.js');
const t1 = performance.now();
const ns = process.argv[3];
const nl = ns === undefined ? await Rtnl.open() : await Rtnl.open({ netns: ns });
const t2 = performance.now();
const links = await nl.links.list();
const t3 = performance.now();
await nl.close();
// fs.writeSync, not process.stdout: creating the stdout stream costs about 1 ms, which the empty
// process it is compared with does not pay.
writeSync(1, JSON.stringify({ count: links.length, boot: t0, import: t1 - t0, open: t2 - t1, list: t3 - t2 }) + '\n');
