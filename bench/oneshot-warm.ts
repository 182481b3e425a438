/**
 * The warm side of the one-shot rows: in ONE long-lived process (started inside the workload's
 * namespace), the same work as the one-shot processes, repeated. `rtnl link show` through the
 * CLI's exported main() with its output collected, and W0's open + first list + close. Prints
 * the first pass of each and the median of the passes after a warm-up of 500 ms.
 *
 *   node oneshot-warm.js DIST_DIR
 */
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';

const dist = process.argv[2]!;
/** 'cli' or 'w0' (default both). The bench runs one per process, so that each part's first call is cold. */
const which = process.argv[3];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function measure(fn: () => Promise<unknown>): Promise<{ first: number; warm: number }> {
  let t = performance.now();
  await fn();
  const first = performance.now() - t;
  const w0 = performance.now();
  for (let i = 0; i < 200 && performance.now() - w0 < 500; i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < 21; i++) {
    t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return { first, warm: median(runs) };
}

const sink = { out: () => {}, err: (s: string) => void process.stderr.write(`${s}\n`) };
const out: Record<string, unknown> = {};
if (which !== 'w0') {
  // The CLI ships as one CommonJS bundle (bin.cjs loads it).
  const { main } = createRequire(import.meta.url)(`${dist}/cli/main.cjs`) as typeof import('../src/cli/main.js');
  out.cli = await measure(async () => {
    if ((await main(['link', 'show'], sink)) !== 0) throw new Error('rtnl link show failed');
  });
}
if (which !== 'cli') {
  const { Rtnl } = (await import(`${dist}/index.js`)) as typeof import('../src/index.js');
  out.w0 = await measure(async () => {
    const nl = await Rtnl.open();
    await nl.links.list();
    await nl.close();
  });
}
writeSync(1, `${JSON.stringify(out)}\n`);
