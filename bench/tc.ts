/**
 * tc bench (not part of npm test): 10,000 u32 filters added one request at a time and dumped.
 *
 *   npx tsx bench/tc.ts [--count N] [--runs N]
 *
 * In a throwaway namespace (veth t0/t1, htb 1: on t0), it times:
 *   - rtnl: nl.tc.filters.add() awaited one by one (each its own request and ACK);
 *   - tc -batch: the same filters from one file, one tc process;
 *   - the dump: nl.tc.filters.list() against the C floor (bench/floor.c dump-filter), which sends
 *     the same RTM_GETTFILTER and only walks the replies' headers.
 * Each filter matches one IPv4 destination (10.x.y.z/32) and sends it to class 1:10, at one
 * priority, as `tc filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dst A/32 flowid 1:10`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rtnl } from '../src/index.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const COUNT = arg('--count', 10_000);
const RUNS = arg('--runs', 5);
const NS = `rtnl-bench-tc-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'rtnl-bench-tc-'));
const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const addr = (i: number) => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: number) => performance.now() - t0;

function resetFilters(): void {
  spawnSync('tc', ['-n', NS, 'filter', 'del', 'dev', 't0', 'parent', '1:', 'prio', '1']);
}

async function main(): Promise<void> {
  sh('ip', 'netns', 'add', NS);
  try {
    sh('ip', '-n', NS, 'link', 'add', 't0', 'type', 'veth', 'peer', 'name', 't1');
    sh('tc', '-n', NS, 'qdisc', 'add', 'dev', 't0', 'root', 'handle', '1:', 'htb', 'default', '10');
    sh('tc', '-n', NS, 'class', 'add', 'dev', 't0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1gbit');
    const nl = await Rtnl.open({ netns: NS, onWarning: () => undefined });
    const ifindex = (await nl.links.get('t0')).index;

    // rtnl: one request at a time
    const addRuns: number[] = [];
    for (let r = 0; r < Math.max(1, Math.min(RUNS, 3)); r++) {
      resetFilters();
      const t0 = performance.now();
      for (let i = 0; i < COUNT; i++) {
        await nl.tc.filters.add({
          dev: ifindex,
          parent: '1:',
          protocol: 'ip',
          pref: 1,
          kind: 'u32',
          u32: { match: [{ ip: { dst: `${addr(i)}/32` } }], classid: '1:10' },
        });
      }
      addRuns.push(ms(t0));
    }

    // the dump, rtnl and the C floor, with COUNT filters in place
    const dumpRuns: number[] = [];
    let listed = 0;
    for (let r = 0; r < 3; r++) await nl.tc.filters.list({ dev: ifindex, parent: '1:' }); // warm-up
    for (let r = 0; r < Math.max(RUNS, 10); r++) {
      const t0 = performance.now();
      listed = (await nl.tc.filters.list({ dev: ifindex, parent: '1:' })).length;
      dumpRuns.push(ms(t0));
    }
    const floorBin = join(dir, 'floor');
    sh('gcc', '-O2', '-Wall', '-o', floorBin, join(import.meta.dirname, 'floor.c'));
    const floor = JSON.parse(
      sh('ip', 'netns', 'exec', NS, floorBin, 'dump-filter', String(ifindex), String(Math.max(RUNS, 10)), '60000'),
    ) as {
      count: number;
      runs: number[];
    };
    const tcShow: number[] = [];
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      const t0 = performance.now();
      spawnSync('tc', ['-n', NS, 'filter', 'show', 'dev', 't0', 'parent', '1:'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      tcShow.push(ms(t0));
    }

    // tc -batch: one process, one file
    const file = join(dir, 'filters.batch');
    writeFileSync(
      file,
      Array.from(
        { length: COUNT },
        (_, i) => `filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dst ${addr(i)}/32 flowid 1:10`,
      ).join('\n') + '\n',
    );
    const batchRuns: number[] = [];
    for (let r = 0; r < Math.max(1, Math.min(RUNS, 3)); r++) {
      resetFilters();
      const t0 = performance.now();
      sh('tc', '-n', NS, '-batch', file);
      batchRuns.push(ms(t0));
    }
    await nl.close();

    const row = (what: string, v: number, per = COUNT) =>
      `| ${what} | ${v.toFixed(1)} ms | ${((v * 1000) / per).toFixed(1)} µs |`;
    console.log(`tc bench: ${COUNT.toLocaleString('en')} u32 filters on one htb qdisc (${listed} messages listed)`);
    console.log('| what | median | per filter |\n|---|---|---|');
    console.log(row('rtnl: filters.add(), one request at a time', median(addRuns)));
    console.log(row('tc -batch (one process, whole file)', median(batchRuns)));
    console.log(row('rtnl: filters.list() dump', median(dumpRuns)));
    console.log(row(`C floor: dump-filter (${floor.count} messages)`, median(floor.runs)));
    console.log(row('tc filter show (process, text)', median(tcShow)));
    console.log(
      `runs: add ${addRuns.map((x) => x.toFixed(0)).join(', ')}; batch ${batchRuns.map((x) => x.toFixed(0)).join(', ')}; dump ${dumpRuns.map((x) => x.toFixed(1)).join(', ')}; floor ${floor.runs.map((x) => x.toFixed(1)).join(', ')}`,
    );
  } finally {
    spawnSync('ip', ['netns', 'del', NS]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
