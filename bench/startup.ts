/**
 * W0: what a program pays to start using rtnl: import it, open a client, list the links, close.
 * run.ts times this whole process from spawn to exit against `node -e ''`. The process also
 * reports its own split (ms since the process started) to show where the time goes.
 */
const t0 = performance.now();
const { Rtnl } = await import('../src/index.js');
const t1 = performance.now();
const nl = await Rtnl.open({ netns: process.argv[2]! });
const t2 = performance.now();
const links = await nl.links.list();
const t3 = performance.now();
await nl.close();
process.stdout.write(JSON.stringify({ count: links.length, boot: t0, import: t1 - t0, open: t2 - t1, list: t3 - t2 }) + '\n');
