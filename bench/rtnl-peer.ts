/**
 * The rtnl side of each workload, run as its own node process (built to plain JS by run.ts, so
 * no TypeScript loader is in the measurement). Prints one JSON line: { count, runs, ... }.
 *
 *   node rtnl-peer.js '{"w":"routes","ns":"rtnl-bench-x","table":100,"runs":5,"budget":20000}'
 *
 * Dumps get one untimed warm-up pass first (skipped when `warm` is false), as every in-process
 * peer does. A run stops early once `budget` ms have been spent, after at least one run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Rtnl } from '../src/index.js';
import { decode, encode, messages, Writer } from '../src/codec/index.js';
import * as C from '../src/codec/constants/index.js';
import type { NetlinkMessage } from '../src/codec/nlmsg.js';
import { req } from '../src/ops/common.js';
import { openSocketIn } from '../src/ops/client.js';
import { openNetns } from '../src/ffi/netns.js';
import { libc } from '../src/ffi/libc.js';

interface Args {
  w: string;
  ns: string;
  runs: number;
  budget: number;
  warm?: boolean;
  table?: number;
  dev?: string;
  ifindex?: number;
  count?: number;
  mode?: 'seq' | 'pipe';
  /** Write a CPU profile of the timed runs only (not start-up, not the warm-up) to this path. */
  profile?: string;
  /** With `profile`: keep repeating until this many ms are sampled. */
  minMs?: number;
}

const a = JSON.parse(process.argv[2]!) as Args;

function hwmKb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}
function rssKb(): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

/** Warm-up: untimed passes until this many ms were spent in them (at least one, at most WARM_MAX). */
const WARM_MS = 500;
const WARM_MAX = 20;

/** What the process saw before it was warm: the first pass, and the `runs` passes right after it. */
const cold: { first?: number; early: number[] } = { early: [] };
/** Whether timed() is in its timed runs (not the warm-up). */
let timing = false;

/**
 * Time `fn` up to `runs` times within the budget, after the warm-up (skipped when `warm` is
 * false). The same rule holds for the C and pyroute2 peers: warm-up passes until 500 ms were
 * spent, at least one and at most 20. V8 needs several passes before a dump's code is optimized
 * and its allocation sites are tenured; the first passes are reported apart (`cold`), so what a
 * short-lived program pays is not hidden. With `profile`, the timed runs (and only they) are
 * sampled by the inspector's CPU profiler at 100 µs.
 */
async function timed<T>(fn: () => Promise<T>, warm = a.warm !== false): Promise<{ runs: number[]; last: T }> {
  let last = undefined as T;
  if (warm) {
    const w0 = performance.now();
    for (let i = 0; i < WARM_MAX && (i === 0 || performance.now() - w0 < WARM_MS); i++) {
      const t = performance.now();
      last = await fn();
      const ms = performance.now() - t;
      if (i === 0) cold.first = ms;
      else if (i <= a.runs) cold.early.push(ms);
    }
  }
  const runs: number[] = [];
  const session = a.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const start = performance.now();
  timing = true;
  for (let i = 0; ; i++) {
    const elapsed = performance.now() - start;
    const sampling = a.minMs !== undefined && elapsed < a.minMs && i < 500;
    if (!sampling && (i >= a.runs || (i >= 1 && elapsed > a.budget))) break;
    const t = performance.now();
    last = await fn();
    runs.push(performance.now() - t);
  }
  timing = false;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(a.profile!, JSON.stringify(profile));
    session.disconnect();
  }
  return { runs, last };
}

/** timed() for passes that report their add and delete halves. */
async function timedOps(
  pass: () => Promise<{ add: number; del: number }>,
): Promise<{ runs: Array<{ add: number; del: number }> }> {
  const halves: Array<{ add: number; del: number }> = [];
  await timed(async () => {
    const r = await pass();
    if (timing) halves.push(r);
    else firstOps ??= r;
    return r;
  });
  return { runs: halves };
}
/** The add and delete halves of the first (cold) pass of timedOps. */
let firstOps: { add: number; del: number } | undefined;

const out = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify({ ...o, cold, firstOps }) + '\n');

async function main(): Promise<void> {
  if (a.w === 'codec') return codec();
  const nl = await Rtnl.open({ netns: a.ns });
  try {
    switch (a.w) {
      case 'routes': {
        const { runs, last } = await timed(() => nl.routes.list({ table: a.table! }));
        out({ count: last.length, runs });
        break;
      }
      case 'routes-stream': {
        // Count a dump without collecting it: the engine's streaming iterator, one datagram decoded at a time.
        const baseKb = rssKb();
        const msg = req(
          'RTM_GETROUTE',
          { family: C.AF_INET, table: a.table! < 256 ? a.table! : 0 },
          { table: a.table! },
        );
        const { runs, last } = await timed(async () => {
          let n = 0;
          for await (const m of nl.engine.dumpStream(msg)) if (m.type === 'RTM_NEWROUTE') n++;
          return n;
        });
        out({ count: last, runs, hwmKb: hwmKb(), baseKb });
        break;
      }
      case 'routes-iter': {
        // routes.stream(): every route converted to a Route, as list() does, but none kept. Beside
        // list(), it shows what keeping 100,000 Route objects alive costs (the garbage collector
        // copies survivors; these die young).
        const { runs, last } = await timed(async () => {
          let n = 0;
          for await (const r of nl.routes.stream({ table: a.table! })) if (r.dstLen === 32) n++;
          return n;
        });
        out({ count: last, runs });
        break;
      }
      case 'routes-all': {
        // Every table, one family: what a program asks to see all IPv4 routes (ip -4 route show table all).
        const { runs, last } = await timed(() => nl.routes.list({ family: 4 }));
        out({ count: last.length, runs });
        break;
      }
      case 'monitor': {
        // A monitor as a program opens it (initial state, then changes). Once its initial dump is
        // through ('synced'), the subscription is live: print a ready line, then count the events
        // of the burst's links (names ba*, bb*) until `count` of them were deleted, and report the
        // process's CPU time from ready on.
        const counts: Record<string, number> = {};
        let cpu0 = process.cpuUsage();
        let dels = 0;
        let resyncs = 0;
        for await (const ev of nl.monitor('link', { initial: true })) {
          if (ev.type === 'synced') {
            process.stdout.write(JSON.stringify({ ready: true }) + '\n');
            cpu0 = process.cpuUsage();
            continue;
          }
          if (ev.type === 'resync') resyncs++;
          if (ev.type !== 'link.new' && ev.type !== 'link.del') continue;
          if (!/^b[ab]\d/.test(ev.object.name ?? '')) continue;
          counts[ev.type] = (counts[ev.type] ?? 0) + 1;
          if (ev.type === 'link.del' && ++dels >= a.count!) break;
        }
        const c = process.cpuUsage(cpu0);
        const count = Object.values(counts).reduce((x, y) => x + y, 0);
        out({ count, counts, resyncs, cpuMs: (c.user + c.system) / 1000, runs: [] });
        break;
      }
      case 'links': {
        const { runs, last } = await timed(() => nl.links.list());
        out({ count: last.length, runs });
        break;
      }
      case 'addrs': {
        const { runs, last } = await timed(() => nl.addresses.list({ link: a.dev!, family: 4 }));
        out({ count: last.length, runs });
        break;
      }
      case 'addr-ops': {
        // One request per address; the link is given by index, or by name with `dev` (as a program
        // that names its links calls it).
        const addrs = Array.from({ length: a.count! }, (_, i) => `10.2.${(i + 1) >> 8}.${(i + 1) & 255}/32`);
        const idx: number | string = a.dev ?? a.ifindex!;
        const { runs } = await timedOps(async () => {
          const t0 = performance.now();
          if (a.mode === 'pipe') await Promise.all(addrs.map((x) => nl.addresses.add(idx, x)));
          else for (const x of addrs) await nl.addresses.add(idx, x);
          const t1 = performance.now();
          if (a.mode === 'pipe') await Promise.all(addrs.map((x) => nl.addresses.delete(idx, x)));
          else for (const x of addrs) await nl.addresses.delete(idx, x);
          return { add: t1 - t0, del: performance.now() - t1 };
        });
        out({ count: addrs.length, runs });
        break;
      }
      case 'veth-ops': {
        const n = a.count!;
        const { runs } = await timedOps(async () => {
          const t0 = performance.now();
          if (a.mode === 'pipe')
            await Promise.all(
              Array.from({ length: n }, (_, k) =>
                nl.links.add({ name: `ra${k}`, kind: 'veth', peer: { name: `rb${k}` } }),
              ),
            );
          else
            for (let k = 0; k < n; k++) await nl.links.add({ name: `ra${k}`, kind: 'veth', peer: { name: `rb${k}` } });
          const t1 = performance.now();
          if (a.mode === 'pipe') await Promise.all(Array.from({ length: n }, (_, k) => nl.links.delete(`ra${k}`)));
          else for (let k = 0; k < n; k++) await nl.links.delete(`ra${k}`);
          return { add: t1 - t0, del: performance.now() - t1 };
        });
        out({ count: n, runs });
        break;
      }
      default:
        throw new Error(`unknown workload ${a.w}`);
    }
  } finally {
    await nl.close();
  }
}

/** Read one whole dump off a raw socket into a single buffer (the datagrams back to back). */
function capture(msg: NetlinkMessage): Uint8Array {
  const { fd } = openNetns(a.ns);
  const sock = openSocketIn(fd, {});
  libc.close(fd);
  try {
    const w = new Writer();
    messages.encodeInto(w, { ...msg, header: { flags: C.NLM_F_REQUEST | C.NLM_F_DUMP, seq: 1, pid: 0 } as any });
    sock.send(w.finish());
    const parts: Uint8Array[] = [];
    let done = false;
    while (!done) {
      const d = sock.recv();
      if (d === null) continue; // the kernel fills the next datagram inside recvmsg; null means not yet
      const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let at = 0; at + 16 <= d.length; at += (v.getUint32(at, true) + 3) & ~3) {
        if (v.getUint16(at + 4, true) === C.NLMSG_DONE) {
          parts.push(d.slice(0, at));
          done = true;
          break;
        }
      }
      if (!done) parts.push(d.slice());
    }
    const total = parts.reduce((s, p) => s + p.length, 0);
    const buf = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      buf.set(p, at);
      at += p.length;
    }
    return buf;
  } finally {
    sock.close();
  }
}

/** Codec micro-benchmarks: decode messages/s over a captured route dump, encode requests/s. */
async function codec(): Promise<void> {
  const buf = capture(
    req('RTM_GETROUTE', { family: C.AF_INET, table: a.table! < 256 ? a.table! : 0 }, { table: a.table! }),
  );
  let count = 0;
  messages.each(buf, () => count++);
  const rate = (fn: () => number, minMs = 1500) => {
    fn(); // warm-up
    const rates: number[] = [];
    const start = performance.now();
    while (rates.length < a.runs || performance.now() - start < minMs) {
      const t = performance.now();
      const n = fn();
      rates.push(n / ((performance.now() - t) / 1000));
      if (rates.length >= 50) break;
    }
    return rates;
  };
  const decodeEach = rate(() => {
    let n = 0;
    messages.each(buf, () => n++);
    return n;
  });
  const decodeAll = rate(() => decode(buf).length);
  const veth: NetlinkMessage = {
    type: 'RTM_NEWLINK',
    header: { flags: C.NLM_F_REQUEST | C.NLM_F_ACK | C.NLM_F_CREATE | C.NLM_F_EXCL, seq: 1, pid: 0 } as any,
    body: { family: C.AF_UNSPEC, index: 0, flags: 0, change: 0 },
    attrs: {
      ifname: 'va0',
      linkinfo: { kind: 'veth', data: { peer: { header: { family: C.AF_UNSPEC }, attrs: { ifname: 'vb0' } } } },
    },
  };
  const getLink: NetlinkMessage = {
    type: 'RTM_GETLINK',
    header: { flags: C.NLM_F_REQUEST | C.NLM_F_ACK, seq: 1, pid: 0 } as any,
    body: { family: C.AF_UNSPEC, index: 0 },
    attrs: { ifname: 'eth0', extMask: C.RTEXT_FILTER_VF },
  };
  const N = 20000;
  const encodeVeth = rate(() => {
    for (let i = 0; i < N; i++) encode(veth);
    return N;
  });
  const encodeGet = rate(() => {
    for (let i = 0; i < N; i++) encode(getLink);
    return N;
  });
  out({ count, bytes: buf.length, decodeEach, decodeAll, encodeVeth, encodeGet });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
