/**
 * tun/tap bench: `npm run bench:tuntap [-- --n=1000] [-- --runs=3]` (root). Not part of npm test.
 *
 * Times N tap creations and deletions, one device at a time, in a throwaway namespace (deleted
 * even on failure or SIGINT):
 * - rtnl: links.add({ kind: 'tap' }) then links.delete(), in this process (from the sources);
 * - `ip tuntap add` and `ip tuntap del`, one process per command, as a script would run them;
 * - `ip -batch` with the same 2N lines (one process).
 * Prints a Markdown table of medians over the runs.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rtnl } from '../src/index.js';
import { machine, median, tmpDir, withNs } from './lib.js';

const argv = process.argv.slice(2);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const N = Number(opt('n') ?? 1000);
const RUNS = Number(opt('runs') ?? 3);
const log = (s: string) => process.stderr.write(`${s}\n`);

function ip(ns: string, args: string[]): void {
  const r = spawnSync('ip', ['-n', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${String(r.stderr).trim()}`);
}

async function rtnlRun(ns: string): Promise<{ add: number; del: number }> {
  const nl = await Rtnl.open({ netns: ns });
  try {
    let add = 0;
    let del = 0;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      await nl.links.add({ kind: 'tap', name: `tb${i}` });
      const t1 = performance.now();
      await nl.links.delete(`tb${i}`);
      del += performance.now() - t1;
      add += t1 - t0;
    }
    return { add, del };
  } finally {
    await nl.close();
  }
}

function ipRun(ns: string): { add: number; del: number } {
  let add = 0;
  let del = 0;
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    ip(ns, ['tuntap', 'add', 'dev', `tb${i}`, 'mode', 'tap']);
    const t1 = performance.now();
    ip(ns, ['tuntap', 'del', 'dev', `tb${i}`, 'mode', 'tap']);
    del += performance.now() - t1;
    add += t1 - t0;
  }
  return { add, del };
}

function batchRun(ns: string): { add: number; del: number } {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(`tuntap add dev tb${i} mode tap`, `tuntap del dev tb${i} mode tap`);
  const file = join(tmpDir(), 'tuntap.batch');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const t0 = performance.now();
  ip(ns, ['-batch', file]);
  return { add: performance.now() - t0, del: 0 };
}

const peers: Array<[string, (ns: string) => Promise<{ add: number; del: number }> | { add: number; del: number }]> = [
  ['rtnl links.add + links.delete', rtnlRun],
  ['ip tuntap add + del, one process each', ipRun],
  ['ip -batch (add, del lines)', batchRun],
];

const rows: string[] = [];
for (const [name, fn] of peers) {
  const runs: Array<{ add: number; del: number }> = [];
  for (let r = 0; r < RUNS; r++) runs.push(await withNs(async (ns) => fn(ns)));
  const total = median(runs.map((x) => x.add + x.del));
  const add = median(runs.map((x) => x.add));
  const del = median(runs.map((x) => x.del));
  log(`${name}: ${total.toFixed(0)} ms`);
  rows.push(
    `| ${name} | ${total.toFixed(0)} | ${name.includes('batch') ? '—' : add.toFixed(0)} | ${
      name.includes('batch') ? '—' : del.toFixed(0)
    } | ${((total / N) * 1000).toFixed(0)} |`,
  );
}
console.log(`${N.toLocaleString('en')} taps created and deleted one at a time, median of ${RUNS} runs.`);
console.log(`Machine: ${machine(undefined).replace(/, pyroute2 .*$/, '')}\n`);
console.log('| peer | total ms | add ms | del ms | µs per tap |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
