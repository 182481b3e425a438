/**
 * The soak: what a busy host does all day (taps and veths created, attached to a bridge, moved
 * into namespaces and deleted; namespaces created and deleted; addresses and routes; nexthops and
 * groups with a route using them; an htb qdisc, class and u32 filter with a mirred action; an
 * ethtool statistics poller; generic netlink), with 8
 * monitors open throughout. After every cycle it checks that no namespace, link, fd or thread
 * leaked, and it samples RSS and heap. Used by scripts/soak.ts (`npm run soak -- --minutes N`)
 * and by test/live/soak.test.ts (one minute).
 *
 * Everything happens inside namespaces the soak makes; the host namespace is never touched.
 * Each step is one entry of STEPS: a new family adds one entry (and its cleanup check).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { mallocStats, mallocTrim0, type MallocStats } from './malloc.js';
import { netns, resolveFamily, Rtnl, sysctl, type MonitorEvent, type MonitorGroup } from '../../src/index.js';

/** What one cycle's steps share. */
export interface SoakContext {
  /** The soak's main namespace (holds the bridge `sbr0`). */
  ns: string;
  /** A client in `ns`. */
  nl: Rtnl;
  /** Name a namespace the soak makes (the prefix lets a host check find leftovers). */
  nsName: (tag: string) => string;
  cycle: number;
}

/** One thing a busy host does; run once per cycle. It must undo everything it made. */
export interface SoakStep {
  name: string;
  run: (ctx: SoakContext) => Promise<void>;
}

const octet = (cycle: number) => 1 + (cycle % 250);
let lastEthtoolPoll = Number.NEGATIVE_INFINITY;

/** The veth pair the soak keeps (skeep0, up with its peer: it has carrier), made on first use. */
async function keptVeth(nl: Rtnl): Promise<void> {
  if (await nl.links.get('skeep0').catch(() => undefined)) return;
  await nl.links.add({ name: 'skeep0', kind: 'veth', peer: { name: 'skeep1' }, up: true });
  await nl.links.set('skeep1', { up: true });
}

/** The steps, in order. A step that needs a family the library lacks is simply not listed. */
export const STEPS: SoakStep[] = [
  {
    // A microVM's tap: created, enslaved to the bridge, up, a queue fd opened and closed, deleted.
    name: 'tap',
    async run({ nl }) {
      await nl.links.add({ name: 'stap0', kind: 'tap', tuntap: { vnetHdr: true }, master: 'sbr0', up: true });
      const q = await nl.tuntap.open('stap0');
      await q.close();
      await nl.links.delete('stap0');
    },
  },
  {
    // A container's veth: one end on the bridge, the other moved into a fresh namespace, renamed
    // eth0 there and given an address and a default route; then the namespace is deleted (which
    // takes the peer with it) and the host end disappears.
    name: 'veth+netns',
    async run({ nl, nsName, cycle }) {
      const child = nsName('c');
      await netns.create(child);
      try {
        await nl.links.add({ name: 'sveth0', kind: 'veth', peer: { name: 'sveth1' }, master: 'sbr0', up: true });
        await nl.links.set('sveth1', { netns: child, name: 'eth0' });
        const c = await Rtnl.open({ netns: child });
        try {
          await c.links.set('eth0', { up: true });
          await c.links.set('lo', { up: true });
          await c.addresses.add('eth0', `10.88.0.${octet(cycle) + 1}/16`);
          await c.routes.add({ dst: 'default', gateway: '10.88.0.1' });
          await c.routes.list({ table: 'main' });
        } finally {
          await c.close();
        }
      } finally {
        await netns.delete(child);
      }
      // The host end goes when its peer's namespace does; the kernel does that asynchronously.
      await nl.links.delete('sveth0', { ifExists: true });
    },
  },
  {
    // Addresses and routes on the bridge: add, list, delete.
    name: 'addresses+routes',
    async run({ nl, cycle }) {
      const o = octet(cycle);
      await nl.addresses.add('sbr0', `198.51.100.${o}/32`);
      await nl.addresses.add('sbr0', `2001:db8:5::${o.toString(16)}/128`, { flags: ['nodad'] });
      await nl.routes.add({ dst: `203.0.113.${o}/32`, dev: 'sbr0', metric: 100 });
      await nl.routes.add({ dst: `10.${o}.0.0/16`, type: 'blackhole', table: 1000 });
      await nl.routes.list({ table: 'main', family: 4 });
      await nl.routes.delete({ dst: `203.0.113.${o}/32`, dev: 'sbr0', metric: 100 });
      await nl.routes.delete({ dst: `10.${o}.0.0/16`, type: 'blackhole', table: 1000 });
      await nl.addresses.delete('sbr0', `198.51.100.${o}/32`);
      await nl.addresses.delete('sbr0', `2001:db8:5::${o.toString(16)}/128`);
    },
  },
  {
    // An ethtool statistics poller: once a second, the per-driver counters (ioctl) of every
    // interface that has them, and the channels (generic netlink) of one. The veth pair it reads
    // is made on its first run and kept (links named skeep* are the soak's own).
    name: 'ethtool-stats',
    async run({ nl }) {
      const now = performance.now();
      if (now - lastEthtoolPoll < 1000) return;
      lastEthtoolPoll = now;
      await keptVeth(nl);
      for (const l of await nl.links.list()) {
        if (l.kind !== 'veth') continue; // lo and the bridge have no per-driver counters
        await nl.ethtool.stats(l.index);
      }
      await nl.ethtool.channels('skeep0');
    },
  },
  {
    // Nexthop objects on the kept veth: a device nexthop and an on-link gateway, a weighted group of both, a route
    // using the group by id (nhid); a dump; then route, group and members deleted. None may stay.
    name: 'nexthops',
    async run({ nl, cycle }) {
      const o = octet(cycle);
      const base = 1000 + o * 4;
      await keptVeth(nl); // a nexthop's device needs carrier: the bridge without ports has none
      await nl.nexthops.add({ id: base, dev: 'skeep0' });
      await nl.nexthops.add({ id: base + 1, gateway: `10.99.${o}.1`, dev: 'skeep0', onlink: true });
      await nl.nexthops.add({ id: base + 2, group: [{ id: base }, { id: base + 1, weight: 3 }] });
      await nl.routes.add({ dst: `203.0.113.${o}/32`, nhid: base + 2, table: 1001 });
      await nl.nexthops.list();
      await nl.routes.delete({ dst: `203.0.113.${o}/32`, table: 1001 });
      await nl.nexthops.delete(base + 2);
      await nl.nexthops.delete(base + 1);
      await nl.nexthops.delete(base);
      const left = await nl.nexthops.list();
      if (left.length > 0) throw new Error(`nexthops left behind: ${left.map((n) => n.id).join(', ')}`);
    },
  },
  {
    // Traffic control on the bridge: an htb root qdisc, a class, a u32 filter with a mirred
    // action, each listed; then filter, class and qdisc deleted, and the bridge's default
    // (noqueue) back with no class or filter left.
    name: 'tc',
    async run({ nl, cycle }) {
      const o = octet(cycle);
      await nl.tc.qdiscs.add({ dev: 'sbr0', kind: 'htb', handle: '1:', options: { default: '10' } });
      await nl.tc.classes.add({
        dev: 'sbr0',
        classid: '1:10',
        kind: 'htb',
        options: { rate: `${o}mbit`, quantum: 1514 },
      });
      await nl.tc.filters.add({
        dev: 'sbr0',
        parent: '1:',
        protocol: 'ip',
        pref: 10,
        kind: 'u32',
        u32: { match: [{ ip: { dst: `203.0.113.${o}/32` } }], classid: '1:10' },
        actions: [{ kind: 'mirred', direction: 'egress', action: 'mirror', dev: 'lo' }],
      });
      await nl.tc.qdiscs.list({ dev: 'sbr0' });
      await nl.tc.classes.list({ dev: 'sbr0' });
      await nl.tc.filters.list({ dev: 'sbr0', parent: '1:' });
      await nl.tc.filters.delete({ dev: 'sbr0', parent: '1:', pref: 10, protocol: 'ip' });
      await nl.tc.classes.delete({ dev: 'sbr0', classid: '1:10' });
      await nl.tc.qdiscs.delete({ dev: 'sbr0' });
      const q = await nl.tc.qdiscs.list({ dev: 'sbr0' });
      if (q.some((x) => x.kind !== 'noqueue')) throw new Error(`qdiscs left on sbr0: ${q.map((x) => x.kind)}`);
      const c = await nl.tc.classes.list({ dev: 'sbr0' });
      if (c.length > 0) throw new Error(`classes left on sbr0: ${c.map((x) => x.handle)}`);
    },
  },
  {
    // Generic netlink: a fresh client resolves nlctrl (a genl socket opened and closed).
    name: 'genl',
    async run({ ns }) {
      const c = await Rtnl.open({ netns: ns });
      try {
        await resolveFamily(c, 'nlctrl');
      } finally {
        await c.close();
      }
    },
  },
];

export interface SoakOptions {
  /** How long to churn. */
  ms: number;
  /** Namespace name prefix (a host check looks for leftovers by it). */
  prefix: string;
  /** Fraction of the run that counts as warm-up for the RSS slope (default 0.25). */
  warmup?: number;
  steps?: SoakStep[];
  /**
   * Also break RSS down by mapping kind (/proc/self/smaps) in each sample, and report the
   * mappings whose resident size grew most between the baseline and the end.
   */
  smaps?: boolean;
  /** Diagnostic: malloc_trim(0) before each sample, so RSS leaves out free memory glibc keeps. */
  trim?: boolean;
  /** Ends the churn early (Ctrl-C): the report then covers the cycles done so far. */
  signal?: AbortSignal;
  /**
   * Called with each sample (one per 10 cycles) for a closer look at where memory goes. The soak
   * itself keeps only time, RSS and heap of each, in typed arrays (24 bytes a sample): keeping
   * whole sample objects would grow the very heap it measures, by about 1 MB an hour.
   */
  onSample?: (s: SoakSample) => void;
  /** Called after every sample with a one-line progress note (the script prints it now and then). */
  progress?: (s: SoakSample, cycles: number, so: SoakSoFar) => void;
}

export interface SoakSample {
  /** Seconds since the baseline. */
  t: number;
  /** Cycles done when the sample was taken. */
  cycles: number;
  /** VmRSS. */
  rss: number;
  /** The machine's one-minute load average (other processes slow the churn and shift the figures). */
  load: number;
  /** V8 heap in use after a full GC (heapUsed). */
  heap: number;
  /** The rest of process.memoryUsage(): V8 heap reserved, memory held outside it by JS objects, and ArrayBuffers. */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /**
   * Each V8 heap space's committed bytes (space_size), resident bytes (physical_space_size: on
   * Linux, how far into each page allocation has ever reached) and bytes in use; main thread only.
   */
  spaces: Record<string, { size: number; physical: number; used: number }>;
  /** glibc's allocator: bytes in use and bytes kept free (all arenas). */
  malloc: MallocStats;
  /** Where the resident memory is (from /proc/self/smaps), when the run asked for it (`smaps`). */
  smaps?: SmapsSummary;
}

/** Resident bytes by kind of mapping. */
export interface SmapsSummary {
  /** The brk heap: the main thread's malloc arena. */
  brk: number;
  /** Anonymous mappings: other threads' malloc arenas, large mallocs, the V8 heap's pages. */
  anon: number;
  /** Mapped files (node, libraries). */
  file: number;
  /** Stacks and the rest ([stack], [vdso], ...). */
  other: number;
  /** Number of anonymous mappings. */
  anonMaps: number;
}

/** The figures so far, for progress lines (a long run may be cut short). */
export interface SoakSoFar {
  fdDelta: number;
  threadDelta: number;
  netnsDelta: number;
  linkDelta: number;
  leaks: number;
  rssSlopeMBh: number;
}

export interface SoakReport {
  cycles: number;
  steps: string[];
  seconds: number;
  rssStartMiB: number;
  rssEndMiB: number;
  heapStartMiB: number;
  heapEndMiB: number;
  /** Least-squares slope of RSS over the samples after warm-up, in MB (10^6 bytes) per hour. */
  rssSlopeMBh: number;
  heapSlopeMBh: number;
  fdDelta: number;
  threadDelta: number;
  netnsDelta: number;
  linkDelta: number;
  /** Monitor events received, all monitors together, and how many were 'undecodable'. */
  events: number;
  undecodable: number;
  /** Leaks seen after some cycle (empty when clean): what, and after which cycle. */
  leaks: string[];
  /** With `smaps`: the mappings whose resident size grew most from the baseline to the end. */
  grown?: string[];
}

const fds = () => readdirSync('/proc/self/fd').length;
const threads = () => readdirSync('/proc/self/task').length;
const rss = () => {
  // VmRSS from /proc: process.memoryUsage().rss is the same figure.
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
};
/** Resident memory by mapping kind, from /proc/self/smaps. */
export function smapsSummary(): SmapsSummary {
  const out: SmapsSummary = { brk: 0, anon: 0, file: 0, other: 0, anonMaps: 0 };
  let kind: 'brk' | 'anon' | 'file' | 'other' = 'other';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const name = head[2]!;
      kind = name === '[heap]' ? 'brk' : name === '' ? 'anon' : name.startsWith('/') ? 'file' : 'other';
      if (kind === 'anon') out.anonMaps++;
      continue;
    }
    const rssLine = /^Rss:\s+(\d+) kB/.exec(line);
    if (rssLine) out[kind] += Number(rssLine[1]) * 1024;
  }
  return out;
}
/** Each mapping's resident kB and description, keyed by its start address (a brk heap or malloc arena grows in place). */
function smapsByMapping(): Map<string, { kb: number; what: string }> {
  const out = new Map<string, { kb: number; what: string }>();
  let cur: { kb: number; what: string } | undefined;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const size = (Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16)) / 1024;
      cur = { kb: 0, what: `${head[1]}-${head[2]} ${head[3]} ${size}kB ${head[4] || '[anon]'}` };
      out.set(head[1]!, cur);
      continue;
    }
    const rssLine = /^Rss:\s+(\d+) kB/.exec(line);
    if (rssLine && cur) cur.kb = Number(rssLine[1]);
  }
  return out;
}

/** The `n` mappings whose resident size grew most from `before` to now ("+kB resident: mapping"). */
function grownMappings(before: Map<string, { kb: number; what: string }>, n = 8): string[] {
  return [...smapsByMapping()]
    .map(([k, m]) => ({ d: m.kb - (before.get(k)?.kb ?? 0), what: m.what, isNew: !before.has(k) }))
    .filter((x) => x.d > 0)
    .sort((a, b) => b.d - a.d)
    .slice(0, n)
    .map((x) => `+${x.d} kB resident: ${x.what}${x.isNew ? ' (new)' : ''}`);
}
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mib = (n: number) => +(n / 2 ** 20).toFixed(2);

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Time, RSS and heap of every sample, in typed arrays that double as they fill. */
class Series {
  n = 0;
  t = new Float64Array(1024);
  rss = new Float64Array(1024);
  heap = new Float64Array(1024);
  push(s: SoakSample): void {
    if (this.n === this.t.length)
      for (const k of ['t', 'rss', 'heap'] as const) {
        const bigger = new Float64Array(this.n * 2);
        bigger.set(this[k]);
        this[k] = bigger;
      }
    this.t[this.n] = s.t;
    this.rss[this.n] = s.rss;
    this.heap[this.n] = s.heap;
    this.n++;
  }
  first(k: 'rss' | 'heap'): number {
    return this.n ? this[k][0]! : 0;
  }
  last(k: 'rss' | 'heap'): number {
    return this.n ? this[k][this.n - 1]! : 0;
  }
  /**
   * Least-squares slope of `k` over the samples after warm-up (the first `warmup` fraction of the
   * time so far), in MB (10^6 bytes) per hour.
   */
  perHour(k: 'rss' | 'heap', warmup = 0.25): number {
    const from = this.n ? this.t[this.n - 1]! * warmup : 0;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (this.t[i]! < from) continue;
      xs.push(this.t[i]!);
      ys.push(this[k][i]!);
    }
    return +((slope(xs, ys) * 3600) / 1e6).toFixed(2);
  }
}

const MONITORS: Array<MonitorGroup | MonitorGroup[]> = [
  'link',
  'address',
  'route',
  'neighbour',
  'rule',
  'nsid',
  ['link', 'address', 'route'],
  ['address4', 'route6'],
];

/** Run the soak. Throws nothing for leaks: they are in the report (`leaks`, the deltas). */
export async function soak(opts: SoakOptions): Promise<SoakReport> {
  const steps = opts.steps ?? STEPS;
  const ns = `${opts.prefix}main`;
  let seq = 0;
  const nsName = (tag: string) => `${opts.prefix}${tag}${seq++}`;
  const ours = () => readdirSync('/run/netns').filter((n) => n.startsWith(opts.prefix)).length;
  await netns.create(ns);
  const ac = new AbortController();
  setMaxListeners(64, ac.signal);
  let nl: Rtnl | undefined;
  let events = 0;
  let undecodable = 0;
  const loops: Promise<void>[] = [];
  try {
    for (const k of ['net.ipv6.conf.all.accept_dad', 'net.ipv6.conf.default.accept_dad'])
      await sysctl.set(k, '0', { netns: ns });
    nl = await Rtnl.open({ netns: ns });
    await nl.links.set('lo', { up: true });
    await nl.links.add({ name: 'sbr0', kind: 'bridge', bridge: { stpState: 0 }, up: true });
    for (const groups of MONITORS) {
      const it = nl.monitor(groups, { signal: ac.signal });
      loops.push(
        (async () => {
          for await (const ev of it as AsyncIterable<MonitorEvent>) {
            events++;
            if (ev.type === 'undecodable') undecodable++;
          }
        })(),
      );
    }
    const ctx: SoakContext = { ns, nl, nsName, cycle: 0 };
    // One warm-up cycle (lazy tables, JIT, the poller thread) before the baseline. Every step must
    // run in it, the once-a-second ethtool poller too: its first run makes the veth pair it keeps
    // and opens the client's lazy sockets, which would otherwise count as leaks.
    lastEthtoolPoll = Number.NEGATIVE_INFINITY;
    for (const s of steps) await s.run(ctx);
    await settle(nl);
    gc();
    const base = { fds: fds(), threads: threads(), netns: ours(), links: (await nl.links.list()).length };
    const mappingsBefore = opts.smaps ? smapsByMapping() : undefined;
    const series = new Series();
    const leaks: string[] = [];
    const t0 = performance.now();
    let cycles = 0;
    while (performance.now() - t0 < opts.ms && !opts.signal?.aborted) {
      ctx.cycle = ++cycles;
      for (const s of steps) await s.run(ctx);
      await settle(nl);
      // A daemon's loop turns between its jobs; replies that arrive at once would otherwise let a
      // cycle run in microtasks alone and starve timers and the monitors.
      await new Promise((r) => setImmediate(r));
      const now = { fds: fds(), threads: threads(), netns: ours(), links: (await nl.links.list()).length };
      for (const k of Object.keys(base) as Array<keyof typeof base>)
        if (now[k] !== base[k] && leaks.length < 20) leaks.push(`cycle ${cycles}: ${k} ${base[k]} -> ${now[k]}`);
      // Sample every 10th cycle, right after a full GC (when the process runs with --expose-gc),
      // so the heap figure is live data, not garbage not yet collected.
      if (cycles % 10 !== 1) continue;
      gc();
      if (opts.trim) mallocTrim0();
      const mu = process.memoryUsage();
      const s: SoakSample = {
        t: (performance.now() - t0) / 1000,
        cycles,
        rss: rss(),
        load: loadavg()[0]!,
        heap: mu.heapUsed,
        heapTotal: mu.heapTotal,
        external: mu.external,
        arrayBuffers: mu.arrayBuffers,
        spaces: Object.fromEntries(
          getHeapSpaceStatistics().map((x) => [
            x.space_name,
            { size: x.space_size, physical: x.physical_space_size, used: x.space_used_size },
          ]),
        ),
        malloc: mallocStats(),
        ...(opts.smaps ? { smaps: smapsSummary() } : {}),
      };
      series.push(s);
      opts.onSample?.(s);
      if (opts.progress) {
        opts.progress(s, cycles, {
          fdDelta: now.fds - base.fds,
          threadDelta: now.threads - base.threads,
          netnsDelta: now.netns - base.netns,
          linkDelta: now.links - base.links,
          leaks: leaks.length,
          rssSlopeMBh: series.perHour('rss', opts.warmup),
        });
      }
    }
    await settle(nl);
    gc();
    const end = { fds: fds(), threads: threads(), netns: ours(), links: (await nl.links.list()).length };
    return {
      cycles,
      steps: steps.map((s) => s.name),
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
      rssStartMiB: mib(series.first('rss')),
      rssEndMiB: mib(series.last('rss')),
      heapStartMiB: mib(series.first('heap')),
      heapEndMiB: mib(series.last('heap')),
      rssSlopeMBh: series.perHour('rss', opts.warmup),
      heapSlopeMBh: series.perHour('heap', opts.warmup),
      fdDelta: end.fds - base.fds,
      threadDelta: end.threads - base.threads,
      netnsDelta: end.netns - base.netns,
      linkDelta: end.links - base.links,
      events,
      undecodable,
      leaks,
      ...(mappingsBefore ? { grown: grownMappings(mappingsBefore) } : {}),
    };
  } finally {
    ac.abort();
    await Promise.allSettled(loops);
    await nl?.close();
    await netns.delete(ns, { ifExists: true });
  }
}

/**
 * Wait until the soak namespace holds only lo, the bridge and the links it keeps: a veth whose peer's namespace
 * was deleted is removed by the kernel a moment later (up to 5 s, then it counts as a leak).
 */
async function settle(nl: Rtnl): Promise<void> {
  const kept = (n: string | undefined) => n === 'lo' || n === 'sbr0' || n?.startsWith('skeep');
  for (let i = 0; i < 500; i++) {
    const names = (await nl.links.list()).map((l) => l.name);
    if (names.every(kept)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
