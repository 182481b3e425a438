/**
 * Plumbing for bench/run.ts: throwaway namespaces (always deleted), the build of rtnl and the C
 * floor into a temp dir, the peer launchers, statistics and the CPU-profile summary.
 */
import { execFile, execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PY = '/usr/bin/python3';
export const execFileP = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Namespaces: created with `ip netns add rtnl-bench-<random>`, deleted even on failure or SIGINT.

const live = new Set<string>();

export function nsCreate(): string {
  const ns = `rtnl-bench-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  live.add(ns);
  return ns;
}

export function nsDelete(ns: string): void {
  if (!live.has(ns)) return;
  spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  live.delete(ns);
}

/** Create a namespace, run fn in it, and always delete it. */
export async function withNs<T>(fn: (ns: string) => Promise<T>): Promise<T> {
  const ns = nsCreate();
  try {
    return await fn(ns);
  } finally {
    nsDelete(ns);
  }
}

let tmp: string | undefined;
let cleaned = false;
/** Delete every namespace still alive and the temp dir. Synchronous, so it runs on signals and exit. */
export function cleanupAll(): void {
  if (cleaned) return;
  cleaned = true;
  for (const ns of [...live]) nsDelete(ns);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`\n${sig}: deleting the bench namespaces\n`);
    cleanupAll();
    process.exit(130);
  });
}
process.on('exit', cleanupAll);

export function tmpDir(): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'rtnl-bench-'));
  return tmp;
}

// ---------------------------------------------------------------------------------------------
// Setup helpers.

/** Run `ip -n NS -batch FILE` with these lines (setup, not measured). */
export function ipBatch(ns: string, lines: string[], name = 'setup'): void {
  const file = join(tmpDir(), `${name}-${randomBytes(3).toString('hex')}.batch`);
  writeFileSync(file, lines.join('\n') + '\n');
  try {
    execFileSync('ip', ['-n', ns, '-batch', file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  } finally {
    rmSync(file, { force: true });
  }
}

export function ifindex(ns: string, dev: string): number {
  return JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'dev', dev], { encoding: 'utf8' }))[0].ifindex;
}

/** The standard link pair of a workload namespace: v0 (up) and its veth peer v1 (up). */
export function basicLinks(ns: string): number {
  ipBatch(ns, [
    'link set lo up',
    'link add v0 type veth peer name v1',
    'link set v0 up',
    'link set v1 up',
    'addr add 10.0.0.1/16 dev v0',
  ]);
  return ifindex(ns, 'v0');
}

/** Build rtnl (src/) and the node peers to plain JS with esbuild, one file per module as tsc would. */
export async function buildRtnl(): Promise<string> {
  const { build } = await import('esbuild');
  const out = join(tmpDir(), 'build');
  const entries: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) entries.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  entries.push(
    join(ROOT, 'bench/rtnl-peer.ts'),
    join(ROOT, 'bench/startup.ts'),
    join(ROOT, 'bench/oneshot-warm.ts'),
    join(ROOT, 'bench/koffi-floor.ts'),
  );
  await build({
    entryPoints: entries,
    outdir: out,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  return out;
}

/**
 * Build the package as it ships (`npm run build`: the bundled dist/ that `import 'rtnl'` loads)
 * and return the path of its main entry. W0 measures this, since start-up is what the package's
 * own layout costs.
 */
export function buildPackage(): string {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(ROOT, 'dist/index.js');
}

export function buildFloor(): string {
  const bin = join(tmpDir(), 'floor');
  execFileSync('gcc', ['-O2', '-Wall', '-o', bin, join(ROOT, 'bench/floor.c')], { stdio: 'inherit' });
  return bin;
}

/** pyroute2 is never a dependency: install the Debian package only if it is missing. */
export function ensurePyroute2(): string | undefined {
  const probe = () =>
    spawnSync(PY, ['-c', 'import importlib.metadata as m; print(m.version("pyroute2"))'], { encoding: 'utf8' });
  let r = probe();
  if (r.status !== 0) {
    process.stderr.write('pyroute2 missing: apt-get install -y python3-pyroute2\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-pyroute2'], { stdio: 'inherit', env });
    r = probe();
  }
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The node binary every rtnl process of the bench runs under (the peers, W0's processes and its
 * empty-node baseline, the monitor, the CNI plugin): this process's own, or RTNL_BENCH_NODE, to
 * measure rtnl under another Node version. The harness itself stays on this one.
 */
export const NODE = process.env.RTNL_BENCH_NODE || process.execPath;

/** `vX.Y.Z` of NODE. */
export const nodeVersion = (): string =>
  NODE === process.execPath ? process.version : execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();

export function machine(pyroute2: string | undefined): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const ipv = /iproute2-([\w.-]+)/.exec(execFileSync('ip', ['-V'], { encoding: 'utf8' }))?.[1] ?? '?';
  const gcc = execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  return `${cpu}, ${cpus().length} cores, Linux ${release()}, node ${nodeVersion()}, iproute2 ${ipv}, pyroute2 ${pyroute2 ?? 'absent'}, gcc ${gcc}`;
}

// ---------------------------------------------------------------------------------------------
// Running peers. Each in-process peer prints one JSON line: { count, runs: number[] | {add,del}[] }.

export interface PeerOutput {
  count?: number;
  runs: Array<number | { add: number; del: number }>;
  [k: string]: unknown;
}

function runJson(cmd: string, args: string[], opts: SpawnSyncOptions = {}): PeerOutput {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 4).join(' ')} failed (${r.status ?? r.signal}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}`,
    );
  const line = String(r.stdout).trim().split('\n').pop()!;
  return JSON.parse(line) as PeerOutput;
}

export interface RtnlArgs {
  w: string;
  ns: string;
  runs: number;
  budget: number;
  warm?: boolean;
  [k: string]: unknown;
}

export function rtnlPeer(build: string, args: RtnlArgs, nodeFlags: string[] = []): PeerOutput {
  return runJson(NODE, [...nodeFlags, join(build, 'bench/rtnl-peer.js'), JSON.stringify(args)]);
}

export function pyPeer(ns: string, script: string, args: Record<string, unknown>): PeerOutput {
  return runJson('ip', ['netns', 'exec', ns, PY, '-B', join(ROOT, 'bench/py', script), JSON.stringify(args)]);
}

export function floorPeer(bin: string, ns: string, args: Array<string | number>): PeerOutput {
  return runJson('ip', ['netns', 'exec', ns, bin, ...args.map(String)]);
}

/** The Node floor (bench/koffi-floor.ts): floor.c's work done by Node through koffi. */
export function nodeFloorPeer(build: string, ns: string, args: Array<string | number>): PeerOutput {
  return runJson('ip', ['netns', 'exec', ns, NODE, join(build, 'bench/koffi-floor.js'), ...args.map(String)]);
}

/** Time a process from spawn to exit; throws on failure. */
export function timeProcess(cmd: string, args: string[], opts: SpawnSyncOptions = {}): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  const ms = performance.now() - t;
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 6).join(' ')} failed: ${String(r.stderr ?? '')
        .trim()
        .split('\n')
        .slice(-2)
        .join(' | ')}`,
    );
  return { ms, stdout: String(r.stdout ?? '') };
}

/** Repeat a timed thing up to `runs` times within `budget` ms (at least once). */
export async function repeat<T extends number | { add: number; del: number }>(
  runs: number,
  budget: number,
  fn: () => Promise<T> | T,
): Promise<T[]> {
  const out: T[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    out.push(await fn());
    if (performance.now() - start > budget) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statistics.

export const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Summary {
  ms: number;
  add?: number;
  del?: number;
  n: number;
}

export function summarize(runs: PeerOutput['runs']): Summary {
  if (runs.length > 0 && typeof runs[0] === 'object') {
    const r = runs as Array<{ add: number; del: number }>;
    return {
      ms: median(r.map((x) => x.add + x.del)),
      add: median(r.map((x) => x.add)),
      del: median(r.map((x) => x.del)),
      n: r.length,
    };
  }
  return { ms: median(runs as number[]), n: runs.length };
}

// ---------------------------------------------------------------------------------------------
// CPU profiles (node --cpu-prof): self time by function and by file.

interface ProfNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<{ name: string; ms: number; pct: number }>;
  files: Array<{ name: string; ms: number; pct: number }>;
}

function fileOf(url: string, build: string): string {
  if (!url) return '(native/vm)';
  const p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (p.startsWith(build)) return relative(build, p).replace(/\.js$/, '.ts');
  const nm = p.indexOf('node_modules/');
  if (nm >= 0)
    return (
      p
        .slice(nm + 'node_modules/'.length)
        .split('/')
        .slice(0, 1)
        .join('/') + ' (dependency)'
    );
  return p.startsWith('node:') ? p : p.replace(/^.*\//, '');
}

/** Summarise a .cpuprofile file, or the first one in a directory (as `node --cpu-prof-dir` writes). */
export function summarizeProfile(path: string, build: string, top = 12): ProfileSummary {
  const file = path.endsWith('.cpuprofile')
    ? path
    : readdirSync(path)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))[0];
  if (!file) throw new Error('no .cpuprofile written');
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (cf: ProfNode['callFrame']) =>
    `${cf.functionName || '(anonymous)'}${cf.url ? ` (${fileOf(cf.url, build)})` : ''}`;
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    if (ms === 0) continue;
    const cf = byId.get(id)!.callFrame;
    let name = label(cf);
    let fk = cf.url ? fileOf(cf.url, build) : cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    if (!cf.url && !cf.functionName.startsWith('(')) {
      // A native callback: V8 names every koffi-bound function after one of them (they share a
      // callback), so name it by its JS caller instead: "native, from recvfrom (src/ffi/libc.ts)".
      const p = parent.get(id);
      const pcf = p === undefined ? undefined : byId.get(p)?.callFrame;
      if (pcf?.url) {
        name = `native, from ${label(pcf)}`;
        fk = `native, from ${fileOf(pcf.url, build)}`;
      }
    }
    fn.set(name, (fn.get(name) ?? 0) + ms);
    files.set(fk, (files.get(fk) ?? 0) + ms);
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, pct: (100 * ms) / total }));
  return { totalMs: total, functions: rank(fn), files: rank(files) };
}

export function profileDir(tag: string): string {
  const d = join(tmpDir(), `prof-${tag}`);
  mkdirSync(d, { recursive: true });
  return d;
}
