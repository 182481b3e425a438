/**
 * rtnl's benchmarks: `npm run bench [-- --write] [-- --only W1,W5] [-- --quick]`.
 *
 * Each workload builds its own throwaway namespace (rtnl-bench-<random>), fills it with `ip -batch`,
 * runs every peer on the same data in this one run, and deletes the namespace even on failure or
 * SIGINT. Peers: rtnl (its own node process, built to plain JS), pyroute2 (bench/py/), iproute2
 * (`ip -j ... show`, one `ip` per operation from Node and from a shell loop, `ip -batch`) and the C
 * floor (bench/floor.c). Tables give medians and ratios; --write puts them in docs/PERFORMANCE.md
 * below the generated marker. See docs/PERFORMANCE.md for the method.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import {
  basicLinks,
  buildFloor,
  buildPackage,
  buildRtnl,
  cleanupAll,
  ensurePyroute2,
  execFileP,
  floorPeer,
  nodeFloorPeer,
  ipBatch,
  machine,
  median,
  profileDir,
  pyPeer,
  repeat,
  rtnlPeer,
  NODE,
  summarize,
  summarizeProfile,
  timeProcess,
  tmpDir,
  withNs,
  type PeerOutput,
  type RtnlArgs,
} from './lib.js';
import { atMost, fmtMs, fmtX, goal, ratio, renderSection, row, writeDoc, type Row, type Section } from './report.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const QUICK = flag('quick');
const RUNS = Number(opt('runs') ?? 5);
const ONLY = opt('only')?.split(',');
/** Per-peer time budget for repeated runs (ms): a peer stops repeating once past it (>= 1 run). */
const BUDGET = Number(opt('budget') ?? 15000);
const scale = (n: number) => (QUICK ? Math.max(1, Math.round(n / 10)) : n);

const SIZES = {
  routes: [scale(10_000), scale(100_000)],
  stream: scale(1_000_000),
  pairs: scale(2000),
  addrs: scale(10_000),
  ops: scale(2000),
  veths: scale(1000),
};

let BUILD = '';
let FLOOR = '';
let PYROUTE2: string | undefined;
const sections: Section[] = [];
const log = (s: string) => process.stderr.write(s + '\n');

/** Measure one peer; a failure is recorded in its row instead of ending the run. */
async function peer(
  sec: Section,
  key: string,
  name: string,
  fn: () => Promise<PeerOutput['runs']> | PeerOutput['runs'],
  extra: Partial<Row> = {},
): Promise<Row> {
  const r: Row = { key, peer: name, ...extra };
  sec.rows.push(r);
  const t = performance.now();
  try {
    r.s = summarize(await fn());
    log(`  ${name}: ${fmtMs(r.s.ms)} ms median of ${r.s.n} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } catch (err) {
    r.error = (err as Error).message;
    log(`  ${name}: FAILED ${r.error}`);
  }
  return r;
}

/**
 * A larger young generation for the process, which the program (not a library) can choose: a
 * list of 100,000 routes or 4,000 links keeps 15 MB or more of objects alive, which V8's
 * scavenger copies and promotes when the young generation (16 MB semi-spaces by default) is
 * smaller. Shown beside the default rows, never instead of them.
 */
const SEMI = ['--max-semi-space-size=64'];
const SEMI_LABEL = 'the program run with `node --max-semi-space-size=64`';

/** The cold passes of the last rtnl peer run: its first pass and the passes right after it. */
let lastCold: { first?: number; early: Array<number | { add: number; del: number }> } | undefined;

/** The Node floor (bench/koffi-floor.ts) in namespace `ns`. */
const nodeFloor = (ns: string, args: Array<string | number>): PeerOutput => nodeFloorPeer(BUILD, ns, args);

function rtnl(a: Omit<RtnlArgs, 'runs' | 'budget'> & Partial<RtnlArgs>, nodeFlags: string[] = []): PeerOutput {
  const o = rtnlPeer(BUILD, { runs: RUNS, budget: BUDGET, ...a } as RtnlArgs, nodeFlags);
  lastCold = o.cold as typeof lastCold;
  return o;
}

/**
 * A note on what rtnl cost before it was warm: its first pass, and the median of the passes right
 * after it (what a single warm-up pass, the bench's earlier rule, would have timed), against the
 * floor's warm median.
 */
function coldNote(sec: Section, rtnlKey: string, floorKey: string): void {
  const floor = row(sec, floorKey)?.s?.ms;
  if (!lastCold || lastCold.first === undefined || lastCold.early.length === 0 || !floor) return;
  const early = summarize(lastCold.early).ms;
  sec.notes.push(
    `Cold rtnl (${rtnlKey}): the first pass in a fresh process took ${fmtMs(lastCold.first)} ms (${fmtX(lastCold.first / floor)} the floor); ` +
      `the ${lastCold.early.length} passes after it, what one warm-up pass would have left to time, ${fmtMs(early)} ms median (${fmtX(early / floor)}). ` +
      'The table times rtnl warm, as every in-process peer: after warm-up passes filling 500 ms.',
  );
}

/**
 * Profile the rtnl side of a workload and attach the summary. The V8 CPU profiler (the one
 * `node --cpu-prof` drives) is started through node:inspector around the timed runs only, at
 * 100 µs, repeating for at least `minMs`, so start-up and warm-up do not drown the steady state.
 */
function profile(sec: Section, what: string, a: RtnlArgs, minMs = 2000): void {
  const dir = profileDir(sec.id.replace(/\W/g, ''));
  const file = join(dir, 'rtnl.cpuprofile');
  try {
    rtnlPeer(BUILD, { ...a, profile: file, minMs });
    sec.profile = { what, summary: summarizeProfile(file, BUILD) };
  } catch (err) {
    sec.notes.push(`(profiling failed: ${(err as Error).message})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function newSection(id: string, title: string, setup: string, more: Partial<Section> = {}): Section {
  const s: Section = { id, title, setup, rows: [], goals: [], notes: [], ...more };
  sections.push(s);
  log(`\n== ${title}`);
  return s;
}

function done(sec: Section): void {
  process.stdout.write('\n' + renderSection(sec) + '\n');
}

/** `ip -j ... show` from Node as a Node user runs it: child_process, then JSON.parse. And plain `ip` to /dev/null. */
async function ipDumpPeers(sec: Section, ns: string, args: string[], label: string): Promise<void> {
  await peer(sec, 'ipj', `\`ip -j ${label}\` + JSON.parse (child_process)`, () =>
    repeat(RUNS, BUDGET, () => {
      const t = performance.now();
      const { stdout } = timeProcess('ip', ['-n', ns, '-j', ...args]);
      JSON.parse(stdout);
      return performance.now() - t;
    }),
  );
  await peer(sec, 'ip', `\`ip ${label}\` > /dev/null`, () =>
    repeat(RUNS, BUDGET, () => timeProcess('ip', ['-n', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }).ms),
  );
}

// ---------------------------------------------------------------------------------------------

async function w0(): Promise<void> {
  const sec = newSection(
    'W0',
    'W0 start-up: import rtnl, open a client, list links',
    "A fresh `node` process per run, started inside the workload namespace with `nsenter --net=` and timed from spawn to exit; the baseline is an empty node process running an empty module file (`node empty.mjs`), started the same way, since a program that imports rtnl is itself a module (`node -e ''`, which loads no file, is shown too). rtnl is the package as it ships: `npm run build`, whose dist/ holds one CommonJS bundle of the library behind small ES module and CommonJS entry files, and `import(dist/index.js)`, `Rtnl.open()`, `links.list()`, `close()`. The processes of one round run back to back; the first round is discarded (page cache). The dependency-only rows show what part of the import each piece costs.",
    { floor: 'empty', floorLabel: 'empty node' },
  );
  const entry = buildPackage();
  const codecEntry = join(dirname(entry), 'codec/index.js');
  await withNs(async (ns) => {
    basicLinks(ns);
    // Ten links in all (lo, v0/v1, three more veth pairs, a bridge): what `rtnl link show` lists.
    ipBatch(ns, [
      ...[2, 3, 4].map((i) => `link add v${2 * i} type veth peer name v${2 * i + 1}`),
      'link add br0 type bridge',
    ]);
    const cliEntry = join(dirname(entry), 'cli/bin.cjs');
    const n = QUICK ? 5 : 20;
    const inNs = (args: string[]) => ['--net=' + join('/run/netns', ns), NODE, ...args];
    // CPU time of each kind of process, summed over the counted rounds (the children's utime +
    // stime, 10 ms ticks, read around each spawn): a mean per process that load moves less than wall time.
    const cpuSum = new Map<string, number>();
    let counting = false;
    const timeNode = (args: string[], opts = {}, what = '') => {
      const c0 = childCpuMs();
      const r = timeProcess('nsenter', inNs(args), opts);
      if (counting && what) cpuSum.set(what, (cpuSum.get(what) ?? 0) + childCpuMs() - c0);
      return r;
    };
    // The baseline is an empty ES module: a program is a script file, and loading one costs Node
    // a few ms that `node -e ''` skips and rtnl does not add. `node -e ''` is shown as well.
    const emptyModule = join(BUILD, 'bench/empty.mjs');
    writeFileSync(emptyModule, '');
    const empty: number[] = [];
    const emptyEval: number[] = [];
    const full: number[] = [];
    const cached: number[] = [];
    const cacheDir = join(BUILD, 'bench/compile-cache');
    const withOption: number[] = [];
    const splits: Array<{ import: number; open: number; list: number; boot: number }> = [];
    // The dependencies alone, to show what part of the import they are (resolved from the build dir).
    const dep = (what: string) => ['--input-type=module', '-e', `await import(${JSON.stringify(what)})`];
    const zod: number[] = [];
    const koffi: number[] = [];
    const codecOnly: number[] = [];
    const cli: number[] = [];
    const ipShow: number[] = [];
    for (let i = 0; i < n + 1; i++) {
      counting = i > 0;
      const l = timeNode([cliEntry, 'link', 'show'], { stdio: ['ignore', 'ignore', 'pipe'] }, 'cli').ms;
      const is = timeProcess('nsenter', ['--net=' + join('/run/netns', ns), 'ip', 'link', 'show'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }).ms;
      const e = timeNode([emptyModule], {}, 'empty').ms;
      const ee = timeNode(['-e', '']).ms;
      const f = timeNode([join(BUILD, 'bench/startup.js'), entry], {}, 'w0');
      const fc = timeNode(
        [join(BUILD, 'bench/startup.js'), entry],
        { env: { ...process.env, NODE_COMPILE_CACHE: cacheDir } },
        'w0cc',
      ).ms;
      const o = timeNode([join(BUILD, 'bench/startup.js'), entry, ns]).ms;
      const z = timeNode(dep('zod'), { cwd: BUILD }).ms;
      const k = timeNode(dep('koffi'), { cwd: BUILD }).ms;
      const c = timeNode(dep(codecEntry), { cwd: BUILD }).ms;
      if (i === 0) continue; // page cache warm-up
      cli.push(l);
      ipShow.push(is);
      empty.push(e);
      emptyEval.push(ee);
      full.push(f.ms);
      cached.push(fc);
      withOption.push(o);
      zod.push(z);
      koffi.push(k);
      codecOnly.push(c);
      splits.push(JSON.parse(f.stdout));
    }
    sec.rows.push({ key: 'empty', peer: 'node: an empty module (`node empty.mjs`)', s: { ms: median(empty), n } });
    sec.rows.push({ key: 'empty-eval', peer: "(for comparison) `node -e ''`", s: { ms: median(emptyEval), n } });
    sec.rows.push({
      key: 'rtnl',
      peer: 'node: import rtnl + Rtnl.open() + links.list() + close',
      s: { ms: median(full), n },
    });
    sec.rows.push({
      key: 'rtnl-cc',
      peer: 'the same, run with `NODE_COMPILE_CACHE=DIR` (Node 22.1+: Node caches every module; Node 20: rtnl caches its bundle)',
      s: { ms: median(cached), n },
    });
    sec.rows.push({
      key: 'cli',
      peer: '`rtnl link show` (the CLI as it ships, 10 links; it turns the compile cache on itself)',
      s: { ms: median(cli), n },
    });
    sec.rows.push({ key: 'ip-show', peer: '(for comparison) `ip link show`', s: { ms: median(ipShow), n } });
    sec.rows.push({
      key: 'rtnl-netns',
      peer: '(for comparison) the same with `Rtnl.open({ netns })`: the option is validated, which loads zod',
      s: { ms: median(withOption), n },
    });
    sec.rows.push({ key: 'zod', peer: "(for comparison) node: `import('zod')` only", s: { ms: median(zod), n } });
    sec.rows.push({ key: 'koffi', peer: "(for comparison) node: `import('koffi')` only", s: { ms: median(koffi), n } });
    sec.rows.push({
      key: 'codec',
      peer: "(for comparison) node: `import('rtnl/codec')` only",
      s: { ms: median(codecOnly), n },
    });
    const delta = median(full) - median(empty);
    const plus = (d: number, limit: number) =>
      d <= limit ? `+${fmtMs(d)} ms` : `+${fmtMs(d)} ms: missed by ${fmtMs(d - limit)} ms`;
    sec.goals.push(
      goal('import plus first dump costs at most 20 ms more than an empty node process', delta <= 20, plus(delta, 20)),
    );
    const cpu = (k: string) => (cpuSum.get(k) ?? 0) / n;
    sec.notes.push(
      `CPU time per process (user + system, mean of ${n}): empty node ${fmtMs(cpu('empty'))} ms, import + open + list ${fmtMs(cpu('w0'))} ms (+${fmtMs(cpu('w0') - cpu('empty'))}), the same with the compile cache ${fmtMs(cpu('w0cc'))} ms (+${fmtMs(cpu('w0cc') - cpu('empty'))}), \`rtnl link show\` ${fmtMs(cpu('cli'))} ms (+${fmtMs(cpu('cli') - cpu('empty'))}).`,
    );
    const cliDelta = median(cli) - median(empty);
    sec.goals.push(
      goal('`rtnl link show` on 10 links: at most an empty node process + 25 ms', cliDelta <= 25, plus(cliDelta, 25)),
    );
    try {
      // One process per part, so each part's first call is cold: the CLI is bundled apart from
      // the library, and a second part in the same process would find koffi and libc warm.
      const part = (which: 'cli' | 'w0') =>
        JSON.parse(
          timeNode([join(BUILD, 'bench/oneshot-warm.js'), dirname(entry), which], { stdio: ['ignore', 'pipe', 'pipe'] })
            .stdout,
        ) as Record<'cli' | 'w0', { first: number; warm: number }>;
      const w = { ...part('cli'), ...part('w0') };
      sec.notes.push(
        `Warm, the same work repeated in one long-lived process (first pass / median after 500 ms of warm-up): \`rtnl link show\` through the CLI's main() ${fmtMs(w.cli.first)} / ${fmtMs(w.cli.warm)} ms; \`Rtnl.open()\` + \`links.list()\` + \`close()\` ${fmtMs(w.w0.first)} / ${fmtMs(w.w0.warm)} ms. Cold is the rows above: a whole process, of which an empty node is the floor.`,
      );
    } catch (err) {
      sec.notes.push(`(warm pass failed: ${(err as Error).message})`);
    }
    const m = (k: 'import' | 'open' | 'list' | 'boot') => fmtMs(median(splits.map((s) => s[k])));
    sec.notes.push(
      `Inside the rtnl process (medians): node boot to first line ${m('boot')} ms, \`import('rtnl')\` ${m('import')} ms, \`Rtnl.open()\` ${m('open')} ms, first \`links.list()\` ${m('list')} ms.`,
    );
    if (delta > 20) {
      // Start-up is the subject here, so the whole process is profiled, as `node --cpu-prof` does.
      const dir = profileDir('w0');
      try {
        timeNode([
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          '--cpu-prof-interval=100',
          join(BUILD, 'bench/startup.js'),
          entry,
        ]);
        sec.profile = {
          what: 'one start-up process (`node --cpu-prof --cpu-prof-interval=100 startup.js`)',
          summary: summarizeProfile(dir, BUILD),
        };
      } catch (err) {
        sec.notes.push(`(profiling failed: ${(err as Error).message})`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
  done(sec);
}

async function w1(): Promise<void> {
  const table = 100;
  const route = (i: number) =>
    `route add 10.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.0.2 dev v0 table ${table}`;
  await withNs(async (ns) => {
    basicLinks(ns);
    let have = 0;
    const fill = (n: number) => {
      const t = performance.now();
      const lines: string[] = [];
      for (; have < n; have++) lines.push(route(have));
      ipBatch(ns, lines, 'routes');
      log(`  (setup: ${n} routes in table ${table}, ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    };
    let prev: Section | undefined;
    for (const size of SIZES.routes) {
      fill(size);
      const sec = newSection(
        `W1-${size}`,
        `W1 route dump: ${size.toLocaleString('en')} IPv4 routes, decoded`,
        `Table ${table} holds ${size.toLocaleString('en')} /32 routes via 10.0.0.2 dev v0. rtnl: \`nl.routes.list({ table: ${table} })\` (typed Route objects). pyroute2: \`IPRoute().get_routes(table=${table})\`. Floor: the same RTM_GETROUTE dump, replies counted, not decoded.`,
        { floor: 'floor', ip: 'ipj', ipLabel: 'ip -j' },
      );
      // A slow peer skips its warm-up at the larger size (estimated from the smaller one).
      const warm = (key: string) => !prev || (row(prev, key)?.s?.ms ?? 0) * (size / SIZES.routes[0]!) < 3000;
      await peer(sec, 'floor', 'C floor', () => floorPeer(FLOOR, ns, ['dump-route', table, RUNS, BUDGET]).runs);
      await peer(
        sec,
        'nodeFloor',
        'Node floor: the same through koffi, not decoded',
        () => nodeFloor(ns, ['dump-route', table, RUNS, BUDGET]).runs,
      );
      await peer(sec, 'rtnl', 'rtnl `routes.list()`', () => rtnl({ w: 'routes', ns, table, warm: warm('rtnl') }).runs);
      coldNote(sec, 'routes.list()', 'floor');
      if (size === SIZES.routes[SIZES.routes.length - 1])
        await peer(
          sec,
          'rtnlSemi',
          `rtnl \`routes.list()\`, ${SEMI_LABEL}`,
          () => rtnl({ w: 'routes', ns, table }, SEMI).runs,
        );
      if (size === SIZES.routes[SIZES.routes.length - 1])
        await peer(sec, 'rtnlIter', 'rtnl `routes.stream()`: each route converted, none kept', () => {
          const o = rtnl({ w: 'routes-iter', ns, table, warm: warm('rtnl') });
          if (o.count !== size) throw new Error(`counted ${o.count} routes, expected ${size}`);
          return o.runs;
        });
      await peer(
        sec,
        'py',
        'pyroute2 `get_routes()`',
        () => pyPeer(ns, 'routes.py', { table, runs: RUNS, budget: BUDGET, warm: warm('py') }).runs,
      );
      await ipDumpPeers(sec, ns, ['route', 'show', 'table', String(table)], `route show table ${table}`);
      if (size === SIZES.routes[SIZES.routes.length - 1]) {
        // One-shot: every table of one family, as a program lists "all IPv4 routes", in a fresh
        // process; its first pass against the floor's dump of every table.
        await peer(
          sec,
          'floorAll',
          'C floor, every table (RTM_GETROUTE AF_INET, table 0)',
          () => floorPeer(FLOOR, ns, ['dump-route', 0, RUNS, BUDGET]).runs,
        );
        await peer(
          sec,
          'nodeFloorAll',
          'Node floor, every table',
          () => nodeFloor(ns, ['dump-route', 0, RUNS, BUDGET]).runs,
          { floor: 'floorAll' },
        );
        let allCold: number | undefined;
        await peer(
          sec,
          'rtnlAll',
          'rtnl `routes.list({ family: 4 })`, every table (warm)',
          () => {
            const o = rtnl({ w: 'routes-all', ns, warm: true });
            allCold = lastCold?.first;
            return o.runs;
          },
          { floor: 'floorAll' },
        );
        if (allCold !== undefined) {
          sec.rows.push({
            key: 'rtnlAllCold',
            peer: 'rtnl `routes.list({ family: 4 })`, every table: first pass in a fresh process (cold)',
            s: { ms: allCold, n: 1 },
            floor: 'floorAll',
          });
          sec.goals.push(
            atMost(
              sec,
              `one-shot: every table (${size.toLocaleString('en')} routes), first pass in a fresh process, at most 3× the C floor`,
              'rtnlAllCold',
              'floorAll',
              3,
            ),
          );
        }
        sec.goals.push(
          atMost(sec, `${size.toLocaleString('en')} routes decoded (warm): at most 2× the C floor`, 'rtnl', 'floor', 2),
        );
        if (sec.goals[0]!.met === false) {
          // Profile the 100k dump itself when it is affordable, else the smaller size (same code path).
          const slow = (row(sec, 'rtnl')?.s?.ms ?? 0) > 10_000;
          log('  (profiling the rtnl side)');
          profile(
            sec,
            `\`routes.list()\` of ${size.toLocaleString('en')} routes${slow ? ' (one run, no warm-up)' : ' (after a warm-up)'}`,
            { w: 'routes', ns, table, runs: 1, budget: BUDGET, warm: !slow },
            slow ? 0 : 2000,
          );
        }
      }
      done(sec);
      prev = sec;
    }
    await codec(ns, table, have);
    fill(SIZES.stream);
    await stream(ns, table);
  });
}

async function codec(ns: string, table: number, n: number): Promise<void> {
  log(`\n== codec micro-benchmarks over the captured ${n}-route dump`);
  try {
    const r = rtnlPeer(BUILD, { w: 'codec', ns, table, runs: RUNS, budget: BUDGET }) as unknown as {
      count: number;
      bytes: number;
      decodeEach: number[];
      decodeAll: number[];
      encodeVeth: number[];
      encodeGet: number[];
    };
    const f = (xs: number[]) => `${(median(xs) / 1e6).toFixed(2)} M/s`;
    const text = [
      `### Codec micro-benchmarks`,
      '',
      `A ${r.count.toLocaleString('en')}-message RTM_NEWROUTE dump (${(r.bytes / 1e6).toFixed(1)} MB) captured once from the kernel in the W1 namespace, in memory; pure codec, no I/O. Medians over repeated passes.`,
      '',
      '| operation | median rate |',
      '|---|---:|',
      `| decode: \`messages.each()\` (typed messages, not collected) | ${f(r.decodeEach)} messages |`,
      `| decode: \`decode()\` (typed messages, collected in an array) | ${f(r.decodeAll)} messages |`,
      `| encode: \`encode()\` RTM_NEWLINK veth with peer (ifname, linkinfo/kind/data/peer) | ${f(r.encodeVeth)} requests |`,
      `| encode: \`encode()\` RTM_GETLINK by name (ifname, ext mask) | ${f(r.encodeGet)} requests |`,
    ].join('\n');
    codecText = text;
    process.stdout.write('\n' + text + '\n');
  } catch (err) {
    codecText = `### Codec micro-benchmarks\n\nfailed: ${(err as Error).message}`;
    log(codecText);
  }
}
let codecText = '';

async function stream(ns: string, table: number): Promise<void> {
  const n = SIZES.stream;
  const sec = newSection(
    'W1-stream',
    `W1 streaming pass: ${n.toLocaleString('en')} routes counted, not collected`,
    `The same table grown to ${n.toLocaleString('en')} routes. rtnl: \`for await (const m of nl.engine.dumpStream(RTM_GETROUTE))\` counting RTM_NEWROUTE (each message decoded, none kept), in its own process; peak RSS is that process's VmHWM. Floor: the same dump, counted.`,
    { floor: 'floor', ip: 'ip', ipLabel: 'ip' },
  );
  const runs = Math.min(RUNS, 3);
  let floorHwm = 0;
  let rtnlHwm = 0;
  let rtnlBase = 0;
  await peer(sec, 'floor', 'C floor', () => {
    const o = floorPeer(FLOOR, ns, ['dump-route', table, runs, BUDGET]);
    floorHwm = Number(o.hwmKb);
    return o.runs;
  });
  await peer(sec, 'rtnl', 'rtnl `engine.dumpStream()`', () => {
    const o = rtnl({ w: 'routes-stream', ns, table, runs });
    rtnlHwm = Number(o.hwmKb);
    rtnlBase = Number(o.baseKb);
    if (o.count !== n) throw new Error(`counted ${o.count} routes, expected ${n}`);
    return o.runs;
  });
  await peer(sec, 'ip', `\`ip route show table ${table}\` > /dev/null`, () =>
    repeat(
      runs,
      BUDGET,
      () =>
        timeProcess('ip', ['-n', ns, 'route', 'show', 'table', String(table)], { stdio: ['ignore', 'ignore', 'pipe'] })
          .ms,
    ),
  );
  const mb = rtnlHwm / 1024;
  sec.goals.push(
    goal(
      `the ${n.toLocaleString('en')}-route streaming pass keeps peak RSS under 100 MB`,
      rtnlHwm > 0 ? mb < 100 : undefined,
      rtnlHwm > 0 ? `${mb.toFixed(1)} MB${mb < 100 ? '' : `: missed by ${(mb - 100).toFixed(1)} MB`}` : 'not measured',
    ),
  );
  sec.notes.push(
    `Peak RSS (VmHWM): rtnl process ${(rtnlHwm / 1024).toFixed(1)} MB (${(rtnlBase / 1024).toFixed(1)} MB after opening the client, before the dump); C floor ${(floorHwm / 1024).toFixed(1)} MB.`,
  );
  if (sec.goals[0]!.met === false)
    profile(
      sec,
      `the ${n.toLocaleString('en')}-route stream`,
      { w: 'routes-stream', ns, table, runs: 1, budget: BUDGET, warm: false },
      0,
    );
  done(sec);
}

async function w2(): Promise<void> {
  const pairs = SIZES.pairs;
  const sec = newSection(
    'W2',
    `W2 link dump: ${pairs.toLocaleString('en')} veth pairs (${(2 * pairs).toLocaleString('en')} links)`,
    `rtnl: \`nl.links.list()\` (every IFLA attribute decoded, IFLA_EXT_MASK RTEXT_FILTER_VF as ip sends). pyroute2: \`IPRoute().get_links()\`. Floor: the same RTM_GETLINK dump, counted.`,
    { floor: 'floor', ip: 'ipj', ipLabel: 'ip -j' },
  );
  await withNs(async (ns) => {
    const t = performance.now();
    ipBatch(
      ns,
      Array.from({ length: pairs }, (_, i) => `link add va${i} type veth peer name vb${i}`),
      'veths',
    );
    log(`  (setup: ${pairs} veth pairs, ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    await peer(sec, 'floor', 'C floor', () => floorPeer(FLOOR, ns, ['dump-link', RUNS, BUDGET]).runs);
    await peer(
      sec,
      'nodeFloor',
      'Node floor: the same through koffi, not decoded',
      () => nodeFloor(ns, ['dump-link', RUNS, BUDGET]).runs,
    );
    await peer(sec, 'rtnl', 'rtnl `links.list()`', () => rtnl({ w: 'links', ns }).runs);
    coldNote(sec, 'links.list()', 'floor');
    await peer(sec, 'rtnlSemi', `rtnl \`links.list()\`, ${SEMI_LABEL}`, () => rtnl({ w: 'links', ns }, SEMI).runs);
    await peer(sec, 'py', 'pyroute2 `get_links()`', () => pyPeer(ns, 'links.py', { runs: RUNS, budget: BUDGET }).runs);
    await ipDumpPeers(sec, ns, ['-d', 'link', 'show'], '-d link show');
    sec.goals.push(atMost(sec, 'link dump (warm): at most 2× the C floor', 'rtnl', 'floor', 2));
    if (sec.goals[0]!.met === false)
      profile(sec, `\`links.list()\` of ${2 * pairs} links (repeated after a warm-up)`, {
        w: 'links',
        ns,
        runs: 1,
        budget: BUDGET,
      });
  });
  done(sec);
}

async function w4(): Promise<void> {
  const n = SIZES.addrs;
  const sec = newSection(
    'W4',
    `W4 address dump: ${n.toLocaleString('en')} IPv4 addresses on one link`,
    `v0 carries 10.0.0.1/16 plus ${n.toLocaleString('en')} /32 addresses. rtnl: \`nl.addresses.list({ link: 'v0', family: 4 })\` (the name costs one RTM_GETLINK). pyroute2: \`link_lookup\` then \`get_addr(index=, family=AF_INET)\`. Floor: the RTM_GETADDR dump filtered by index, counted.`,
    { floor: 'floor', ip: 'ipj', ipLabel: 'ip -j' },
  );
  await withNs(async (ns) => {
    const idx = basicLinks(ns);
    ipBatch(
      ns,
      Array.from({ length: n }, (_, k) => `addr add 10.1.${(k + 1) >> 8}.${(k + 1) & 255}/32 dev v0`),
      'addrs',
    );
    await peer(sec, 'floor', 'C floor', () => floorPeer(FLOOR, ns, ['dump-addr', idx, RUNS, BUDGET]).runs);
    await peer(
      sec,
      'nodeFloor',
      'Node floor: the same through koffi, not decoded',
      () => nodeFloor(ns, ['dump-addr', idx, RUNS, BUDGET]).runs,
    );
    await peer(sec, 'rtnl', "rtnl `addresses.list({ link: 'v0' })`", () => rtnl({ w: 'addrs', ns, dev: 'v0' }).runs);
    coldNote(sec, 'addresses.list()', 'floor');
    await peer(
      sec,
      'py',
      'pyroute2 `get_addr()`',
      () => pyPeer(ns, 'addrs.py', { dev: 'v0', runs: RUNS, budget: BUDGET }).runs,
    );
    await ipDumpPeers(sec, ns, ['-4', 'addr', 'show', 'dev', 'v0'], '-4 addr show dev v0');
    sec.goals.push(atMost(sec, 'address dump (warm): at most 2× the C floor', 'rtnl', 'floor', 2));
    if (sec.goals[0]!.met === false)
      profile(sec, `\`addresses.list()\` of ${n} addresses (repeated after a warm-up)`, {
        w: 'addrs',
        ns,
        dev: 'v0',
        runs: 1,
        budget: BUDGET,
      });
  });
  done(sec);
}

/** Write a bash script that runs one `ip` per input line, and time it. */
function shellLoop(ns: string, cmd: string, items: string[]): number {
  const dir = tmpDir();
  const list = join(dir, 'items.txt');
  const script = join(dir, 'loop.sh');
  writeFileSync(list, items.join('\n') + '\n');
  writeFileSync(script, `#!/bin/bash\nset -e\nwhile read -r x; do ip -n "$1" ${cmd}; done < "$2"\n`);
  return timeProcess('bash', [script, ns, list]).ms;
}

interface IpOps {
  ns: string;
  items: string[];
  add: (x: string) => string[];
  del: (x: string) => string[];
  /** The same commands for the shell loop, with the item in "$x". */
  shellAdd: string;
  shellDel: string;
  runs: number;
  budget: number;
}

function ipBatchPeer(sec: Section, o: IpOps): Promise<Row> {
  return peer(sec, 'batch', '`ip -batch` (one process, one request per line)', () =>
    repeat(o.runs, o.budget, () => {
      const dir = tmpDir();
      writeFileSync(join(dir, 'add.batch'), o.items.map((x) => o.add(x).join(' ')).join('\n') + '\n');
      writeFileSync(join(dir, 'del.batch'), o.items.map((x) => o.del(x).join(' ')).join('\n') + '\n');
      const add = timeProcess('ip', ['-n', o.ns, '-batch', join(dir, 'add.batch')]).ms;
      const del = timeProcess('ip', ['-n', o.ns, '-batch', join(dir, 'del.batch')]).ms;
      return { add, del };
    }),
  );
}

async function ipSpawnPeers(sec: Section, o: IpOps): Promise<void> {
  await peer(sec, 'shell', 'one `ip` per op, shell loop', () =>
    repeat(o.runs, o.budget, () => ({
      add: shellLoop(o.ns, o.shellAdd, o.items),
      del: shellLoop(o.ns, o.shellDel, o.items),
    })),
  );
  await peer(sec, 'node', 'one `ip` per op, Node `await execFile()`', () =>
    repeat(o.runs, o.budget, async () => {
      const t0 = performance.now();
      for (const x of o.items) await execFileP('ip', ['-n', o.ns, ...o.add(x)]);
      const t1 = performance.now();
      for (const x of o.items) await execFileP('ip', ['-n', o.ns, ...o.del(x)]);
      return { add: t1 - t0, del: performance.now() - t1 };
    }),
  );
}

async function w5(): Promise<void> {
  const n = SIZES.ops;
  const sec = newSection(
    'W5',
    `W5 address ops: ${n.toLocaleString('en')} addresses added, then deleted, one request each`,
    `/32 addresses 10.2.x.y on v0, each added then deleted with its own request (median ms is add + delete). rtnl gets the link by index; "pipelined" is \`Promise.all\` over \`addresses.add()\` (the engine packs requests of one tick into shared sendto() calls, up to 128), "one at a time" awaits each. The floor rows do the same in C: one request per sendto() waiting for its ACK, or 128 per sendto(). "× floor" compares pipelined rows with the batched floor and the rest with the one-at-a-time floor.`,
    { floor: 'floorSeq', ip: 'node', ipLabel: 'ip per op (Node)' },
  );
  await withNs(async (ns) => {
    const idx = basicLinks(ns);
    const items = Array.from({ length: n }, (_, i) => `10.2.${(i + 1) >> 8}.${(i + 1) & 255}/32`);
    const flush = () => timeProcess('ip', ['-n', ns, 'addr', 'flush', 'dev', 'v0', 'to', '10.2.0.0/16']);
    const spawnRuns = Math.min(RUNS, 3);
    await peer(
      sec,
      'floorSeq',
      'C floor, one at a time',
      () => floorPeer(FLOOR, ns, ['addr', idx, n, 'seq', RUNS, BUDGET]).runs,
    );
    flush();
    await peer(
      sec,
      'nodeFloorSeq',
      'Node floor: the same through koffi, one at a time',
      () => nodeFloor(ns, ['addr', idx, n, 'seq', RUNS, BUDGET]).runs,
    );
    flush();
    await peer(
      sec,
      'floorBatch',
      'C floor, 128 per sendto()',
      () => floorPeer(FLOOR, ns, ['addr', idx, n, 'batch', RUNS, BUDGET]).runs,
    );
    flush();
    await peer(
      sec,
      'rtnlSeq',
      'rtnl, one at a time (`await` each)',
      () => rtnl({ w: 'addr-ops', ns, ifindex: idx, count: n, mode: 'seq' }).runs,
    );
    coldNote(sec, 'one at a time', 'floorSeq');
    flush();
    // One-shot: the link by name, as a program names it; the first pass of a fresh process is the
    // one-shot figure, the warm median is beside it.
    let nameCold: { add: number; del: number } | undefined;
    await peer(sec, 'rtnlName', 'rtnl, one at a time, link by name (warm)', () => {
      const o = rtnl({ w: 'addr-ops', ns, dev: 'v0', count: n, mode: 'seq' });
      nameCold = (o as { firstOps?: { add: number; del: number } }).firstOps;
      return o.runs;
    });
    if (nameCold)
      sec.rows.push({
        key: 'rtnlNameCold',
        peer: 'rtnl, one at a time, link by name: first pass in a fresh process (cold)',
        s: { ms: nameCold.add + nameCold.del, add: nameCold.add, del: nameCold.del, n: 1 },
      });
    flush();
    await peer(
      sec,
      'rtnlPipe',
      'rtnl, pipelined (`Promise.all`)',
      () => rtnl({ w: 'addr-ops', ns, ifindex: idx, count: n, mode: 'pipe' }).runs,
      { floor: 'floorBatch' },
    );
    flush();
    await peer(
      sec,
      'py',
      'pyroute2 `addr()`, one at a time',
      () => pyPeer(ns, 'addr_ops.py', { ifindex: idx, count: n, runs: RUNS, budget: BUDGET }).runs,
    );
    flush();
    const o: IpOps = {
      ns,
      items,
      add: (x) => ['addr', 'add', x, 'dev', 'v0'],
      del: (x) => ['addr', 'del', x, 'dev', 'v0'],
      shellAdd: 'addr add "$x" dev v0',
      shellDel: 'addr del "$x" dev v0',
      runs: RUNS,
      budget: BUDGET,
    };
    await ipBatchPeer(sec, o);
    flush();
    await ipSpawnPeers(sec, { ...o, runs: spawnRuns, budget: 30_000 });
    flush();
    sec.goals.push(
      atMost(sec, 'one-at-a-time requests (warm, by index): at most 1.25× the C floor', 'rtnlSeq', 'floorSeq', 1.25),
    );
    const named = row(sec, 'rtnlNameCold')?.s?.ms;
    if (named !== undefined) {
      sec.goals.push(
        atMost(
          sec,
          'one-shot: by name, first pass in a fresh process, at most 2× the C floor',
          'rtnlNameCold',
          'floorSeq',
          2,
        ),
      );
      const x = ratio(sec, 'node', 'rtnlNameCold');
      sec.goals.push(
        goal(
          'one-shot: by name, first pass, at least 50× faster than one `ip` process per op spawned from Node',
          x === undefined ? undefined : x >= 50,
          x === undefined ? 'not measured' : `${fmtX(x)} faster${x >= 50 ? '' : ` (missed by ${fmtX(50 / x)})`}`,
        ),
      );
    }
    const sp = (k: string) => {
      const x = ratio(sec, 'node', k);
      return x === undefined ? undefined : x;
    };
    const pipe = sp('rtnlPipe');
    const seq = sp('rtnlSeq');
    sec.goals.push(
      goal(
        'at least 50× faster than one `ip` process per op spawned from Node',
        pipe === undefined ? undefined : pipe >= 50,
        pipe === undefined
          ? 'not measured'
          : `pipelined ${fmtX(pipe)} faster${pipe >= 50 ? '' : ` (missed by ${fmtX(50 / pipe)})`}; one at a time ${fmtX(seq)} faster`,
      ),
    );
    if (sec.goals.some((g) => g.met === false)) {
      log('  (profiling the rtnl side)');
      profile(sec, `rtnl one at a time, ${n} adds + ${n} deletes (repeated after a warm-up)`, {
        w: 'addr-ops',
        ns,
        ifindex: idx,
        count: n,
        mode: 'seq',
        runs: 1,
        budget: BUDGET,
      });
      flush();
    }
  });
  done(sec);
}

async function w3(): Promise<void> {
  const n = SIZES.veths;
  const runs = Number(opt('w3-runs') ?? 1);
  const sec = newSection(
    'W3',
    `W3 link ops: ${n.toLocaleString('en')} veth pairs created, then deleted`,
    `Each pair is created with one RTM_NEWLINK (kind veth, peer inside) and deleted with one RTM_DELLINK by name. rtnl: \`links.add({ name, kind: 'veth', peer: { name } })\` (which also reads the new link back, as its API returns it) and \`links.delete(name)\`. The kernel dominates: each veth deletion waits for RCU grace periods inside sendmsg. ${runs} run${runs > 1 ? 's' : ''} per peer (\`--w3-runs=N\`), since one run of one peer takes tens of seconds.`,
    { floor: 'floor', ip: 'batch', ipLabel: 'ip -batch' },
  );
  await withNs(async (ns) => {
    ipBatch(ns, ['link set lo up']);
    const items = Array.from({ length: n }, (_, i) => String(i));
    const once = 1e9; // exactly `runs` runs
    const o: IpOps = {
      ns,
      items,
      add: (i) => ['link', 'add', `ia${i}`, 'type', 'veth', 'peer', 'name', `ib${i}`],
      del: (i) => ['link', 'del', `ia${i}`],
      shellAdd: 'link add "ia$x" type veth peer name "ib$x"',
      shellDel: 'link del "ia$x"',
      runs,
      budget: once,
    };
    await peer(sec, 'floor', 'C floor, one at a time', () => floorPeer(FLOOR, ns, ['veth', n, 'seq', runs, once]).runs);
    // ip -batch and rtnl back to back: the goal compares the two.
    await ipBatchPeer(sec, o);
    await peer(
      sec,
      'rtnlSeq',
      'rtnl, one at a time',
      () => rtnl({ w: 'veth-ops', ns, count: n, mode: 'seq', runs, budget: once, warm: false }).runs,
    );
    await peer(
      sec,
      'rtnlPipe',
      'rtnl, pipelined (`Promise.all`)',
      () => rtnl({ w: 'veth-ops', ns, count: n, mode: 'pipe', runs, budget: once, warm: false }).runs,
    );
    await peer(
      sec,
      'py',
      'pyroute2 `link()`, one at a time',
      () => pyPeer(ns, 'veth_ops.py', { count: n, runs, budget: once }).runs,
    );
    await ipSpawnPeers(sec, o);
    sec.goals.push(atMost(sec, 'within 1.05× of `ip -batch` (rtnl one at a time)', 'rtnlSeq', 'batch', 1.05));
    const pipe = ratio(sec, 'rtnlPipe', 'batch');
    sec.notes.push(`rtnl pipelined: ${fmtX(pipe)} of \`ip -batch\`.`);
    if (sec.goals[0]!.met === false) {
      log('  (profiling the rtnl side)');
      profile(
        sec,
        `rtnl one at a time, ${n} veth pairs created and deleted`,
        { w: 'veth-ops', ns, count: n, mode: 'seq', runs: 1, budget: once, warm: false },
        0,
      );
    }
  });
  done(sec);
}

/** Utime + stime of this process's waited-for children so far, in ms (10 ms ticks). */
function childCpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) * 10;
}

/** Utime + stime of a process, in ms (from /proc/PID/stat, in clock ticks of 10 ms). */
/** CPU time of process `pid` so far, in ms, from its CPU-time clock (floor cputime): precise, where /proc/PID/stat counts 10 ms ticks. */
function cpuOf(pid: number): number {
  return Number(execFileSync(FLOOR, ['cputime', String(pid)], { encoding: 'utf8' }).trim()) / 1e6;
}

async function w6(): Promise<void> {
  const n = SIZES.veths;
  const sec = newSection(
    'W6',
    `W6 monitor under a burst: ${n.toLocaleString('en')} veth pairs created, then deleted`,
    `Two monitors watch the same burst (\`ip -batch\` creating ${n.toLocaleString('en')} veth pairs, then deleting them): rtnl's \`nl.monitor('link', { initial: true })\` in its own node process, and \`ip -rcvbuf 8388608 -o monitor link\` (ip sets SO_RCVBUF, which the kernel caps at net.core.rmem_max; with its default buffer ip overflowed and exited during the burst, with this one it may lose a few events and goes on; rtnl's buffer is 1 MiB, forced). Each counts the events of the burst's links (RTM_NEWLINK and RTM_DELLINK of ba*/bb*). "CPU ms" is the monitor process's user + system time from the moment it was listening to its last event (rtnl: process.cpuUsage(); ip: its CPU-time clock, clock_getcpuclockid()), so the cost per event is CPU ms / events.`,
    { floor: 'ip', floorLabel: 'ip monitor' },
  );
  await withNs(async (ns) => {
    ipBatch(ns, ['link set lo up']);
    // ip monitor: ready once it printed a probe link's creation.
    // stdbuf -oL: ip's stdout is a pipe, which stdio would buffer in 4 KiB blocks.
    const ipMon = spawn('stdbuf', ['-oL', 'ip', '-n', ns, '-rcvbuf', '8388608', '-o', 'monitor', 'link'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ipErr = '';
    ipMon.stderr.setEncoding('utf8');
    ipMon.stderr.on('data', (d: string) => (ipErr += d));
    let ipText = '';
    ipMon.stdout.setEncoding('utf8');
    ipMon.stdout.on('data', (d: string) => (ipText += d));
    const rt = spawn(
      NODE,
      [join(BUILD, 'bench/rtnl-peer.js'), JSON.stringify({ w: 'monitor', ns, count: 2 * n, runs: 1, budget: 0 })],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let rtText = '';
    rt.stdout.setEncoding('utf8');
    rt.stdout.on('data', (d: string) => (rtText += d));
    const rtDone = new Promise<void>((resolve) => rt.on('exit', () => resolve()));
    const until = async (what: string, ok: () => boolean, ms = 20_000) => {
      const t = Date.now();
      while (!ok()) {
        if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until('rtnl monitor', () => rtText.includes('"ready"'));
      for (let k = 0; !/ probe0[@:]/.test(ipText); k++) {
        if (k > 100) throw new Error('ip monitor never showed the probe link');
        ipBatch(ns, ['link add probe0 type veth peer name probe1']);
        await new Promise((r) => setTimeout(r, 50));
        ipBatch(ns, ['link del probe0']);
      }
      const ipStart = ipText.length;
      const ipCpu0 = cpuOf(ipMon.pid!);
      const t0 = performance.now();
      ipBatch(
        ns,
        Array.from({ length: n }, (_, i) => `link add ba${i} type veth peer name bb${i}`),
        'burst-add',
      );
      ipBatch(
        ns,
        Array.from({ length: n }, (_, i) => `link del ba${i}`),
        'burst-del',
      );
      const burstMs = performance.now() - t0;
      const ipLines = () =>
        ipText
          .slice(ipStart)
          .split('\n')
          .filter((l) => /: b[ab]\d+[@:]/.test(l));
      const ipDels = () => ipLines().filter((l) => l.startsWith('Deleted')).length;
      await until('rtnl monitor to see every deletion', () => rt.exitCode !== null, 60_000).catch(() => {});
      await until('ip monitor to see every deletion', () => ipDels() >= 2 * n, 10_000).catch(() => {});
      // ip monitor may have exited (an overflow ends it): then its CPU is no longer readable.
      const ipExited = ipMon.exitCode !== null || ipMon.signalCode !== null;
      const ipCpu = ipExited ? Number.NaN : cpuOf(ipMon.pid!) - ipCpu0;
      const lines = ipLines();
      const r = JSON.parse(rtText.trim().split('\n').pop()!) as {
        count?: number;
        counts?: Record<string, number>;
        resyncs?: number;
        cpuMs?: number;
      };
      const ipNew = lines.length - ipDels();
      sec.rows.push({
        key: 'ip',
        peer: `\`ip -rcvbuf 8388608 -o monitor link\`: ${lines.length} events (${ipNew} new, ${ipDels()} deleted)`,
        s: { ms: ipCpu, n: 1 },
        note: `${fmtMs((ipCpu * 1000) / Math.max(1, lines.length))} µs CPU per event`,
      });
      if (r.count !== undefined)
        sec.rows.push({
          key: 'rtnl',
          peer: `rtnl \`nl.monitor('link')\`: ${r.count} events (${r.counts?.['link.new'] ?? 0} new, ${r.counts?.['link.del'] ?? 0} deleted, ${r.resyncs ?? 0} resyncs)`,
          s: { ms: r.cpuMs!, n: 1 },
          note: `${fmtMs((r.cpuMs! * 1000) / Math.max(1, r.count))} µs CPU per event`,
        });
      else sec.rows.push({ key: 'rtnl', peer: 'rtnl monitor', error: 'did not finish' });
      const all = r.count !== undefined && r.count >= lines.length && (r.counts?.['link.del'] ?? 0) >= 2 * n;
      sec.goals.push(
        goal(
          'every event of the burst delivered to the rtnl monitor (as many as ip monitor saw, every deletion)',
          r.count === undefined ? undefined : all && (r.resyncs ?? 0) === 0,
          `rtnl ${r.count ?? '—'} events, ip ${lines.length}; ${r.resyncs ?? 0} overflows; burst ${fmtMs(burstMs)} ms`,
        ),
      );
      sec.notes.push('The "median ms" column is CPU time of the monitor process, not wall time.');
      if (ipExited || ipErr.trim())
        sec.notes.push(
          `\`ip monitor\` ${ipExited ? `exited (status ${ipMon.exitCode ?? ipMon.signalCode}) during the burst` : 'kept running'}; it printed on stderr: ${ipErr.trim().split('\n').slice(0, 2).join(' / ') || '(nothing)'}.`,
        );
    } finally {
      ipMon.kill();
      rt.kill();
      await rtDone;
    }
  });
  done(sec);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmarks need root (they create network namespaces)');
  const started = Date.now();
  // Other processes on a small machine move every figure: the load is part of the result.
  const loadAtStart = loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  log('building rtnl (esbuild, one file per module) and the C floor (gcc -O2)');
  BUILD = await buildRtnl();
  FLOOR = buildFloor();
  PYROUTE2 = ensurePyroute2();
  const line = machine(PYROUTE2);
  log(line);
  const all: Array<[string, () => Promise<void>]> = [
    ['W0', w0],
    ['W1', w1],
    ['W2', w2],
    ['W4', w4],
    ['W5', w5],
    ['W3', w3],
    ['W6', w6],
  ];
  for (const [id, fn] of all) if (!ONLY || ONLY.includes(id)) await fn();
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const loadAtEnd = loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

  const goals = sections.flatMap((s) =>
    s.goals.map(
      (g) => `| ${s.id} | ${g.text} | ${g.met === undefined ? 'n/a' : g.met ? 'met' : '**missed**'} | ${g.detail} |`,
    ),
  );
  const order = ['W0', 'W1', 'W2', 'W4', 'W5', 'W3', 'W6'];
  const sorted = [...sections].sort((x, y) => order.indexOf(x.id.slice(0, 2)) - order.indexOf(y.id.slice(0, 2)));
  const out = [
    '## Results',
    '',
    `Machine: ${line}.`,
    '',
    `Run: \`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, ${minutes} min in all; up to ${RUNS} runs per peer within a ${BUDGET / 1000} s budget per peer (the "runs" column), median reported.${QUICK ? ' **--quick: every size divided by 10.**' : ''} Load average (1 / 5 / 15 min): ${loadAtStart} at the start, ${loadAtEnd} at the end.`,
    '',
    '### Goals',
    '',
    '| workload | goal | status | measured |',
    '|---|---|---|---|',
    ...goals,
    '',
    ...sorted.flatMap((s) => [renderSection(s), '']),
    codecText,
  ].join('\n');
  process.stdout.write(
    `\n## Goals\n\n${goals.join('\n')}\n\n(${minutes} min; load average ${loadAtStart} at the start, ${loadAtEnd} at the end)\n`,
  );
  if (flag('write')) log(`wrote ${writeDoc(out)}`);
}

main()
  .catch((err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(cleanupAll);
