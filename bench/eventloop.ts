/**
 * Measures the event-loop design (docs/ARCHITECTURE.md): threads, wake-up latency of a waiting
 * monitor, fs/dns latency with idle monitors, and request latency. Root; works in its own
 * namespace. Run: npx tsx bench/eventloop.ts
 */
import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { netns, Rtnl, type Link } from '../src/index.js';

const threads = () => readdirSync('/proc/self/task').length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;

async function fsDns(): Promise<number> {
  const t0 = performance.now();
  await Promise.all([
    ...Array.from({ length: 32 }, () => readFile('/proc/self/status')),
    ...Array.from({ length: 8 }, () => lookup('localhost')),
  ]);
  return performance.now() - t0;
}

const ns = `rtnl-bench-el-${process.pid}`;
const out: Record<string, string | number> = {};
out.threadsAtStart = threads();
await netns.create(ns);
try {
  const nl = await Rtnl.open({ netns: ns });
  out.threadsAfterOpen = threads();

  // Request latency (one at a time, sync path).
  const lat: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await nl.links.get('lo');
    lat.push((performance.now() - t0) * 1000);
  }
  out.getLinkMedianUs = +median(lat).toFixed(1);
  out.getLinkP99Us = +p99(lat).toFixed(1);

  out.fsDnsMsNoMonitors = +median(await Promise.all([fsDns(), fsDns(), fsDns()])).toFixed(2);

  // 16 idle monitors.
  const ac = new AbortController();
  setMaxListeners(1000, ac.signal);
  const its = Array.from({ length: 16 }, () =>
    nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator](),
  );
  const pend = its.map((it) => it.next());
  await new Promise((r) => setTimeout(r, 300));
  out.threadsWith16IdleMonitors = threads();
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(await fsDns());
  out.fsDnsMsWith16IdleMonitors = +median(samples).toFixed(2);

  // 256 more idle monitors: still the same thread count.
  const more = Array.from({ length: 256 }, () =>
    nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator](),
  );
  const pendMore = more.map((it) => it.next());
  await new Promise((r) => setTimeout(r, 300));
  out.threadsWith272IdleMonitors = threads();
  ac.abort();
  await Promise.all([...pend, ...pendMore]);

  // Wake-up latency: kernel event -> monitor event, through the poller thread.
  const ac2 = new AbortController();
  const it = nl.monitor('link', { signal: ac2.signal, track: false })[Symbol.asyncIterator]();
  const wake: number[] = [];
  let next = it.next();
  await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 2)); // let the monitor park on the poller
    const t0 = performance.now();
    await nl.links.set('lo', { mtu: 65000 + (i % 2) });
    let ev = await next;
    while ((ev.value as { type: string; object?: Link }).type !== 'link.new') ev = await (next = it.next());
    wake.push((performance.now() - t0) * 1000);
    next = it.next();
  }
  ac2.abort();
  await next;
  out.eventWakeMedianUs = +median(wake).toFixed(0);
  out.eventWakeP99Us = +p99(wake).toFixed(0);

  // Abort to closed.
  const closeLat: number[] = [];
  for (let i = 0; i < 50; i++) {
    const ac3 = new AbortController();
    const m = nl.monitor('link', { signal: ac3.signal, track: false })[Symbol.asyncIterator]();
    const p = m.next();
    await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    ac3.abort();
    await p;
    closeLat.push(performance.now() - t0);
  }
  out.abortToClosedMedianMs = +median(closeLat).toFixed(3);
  await nl.close();
} finally {
  await netns.delete(ns, { ifExists: true });
}
console.log(JSON.stringify({ node: process.version, ...out }, null, 2));
