// Live (root): monitors in fresh namespaces. Events in order, overflow reported as 'resync' and
// ending in the kernel's state, list-then-watch without a race, nsid tagging, clean shutdown.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { Rtnl, type Link, type MonitorEvent, type MonitorGroup, type MonitorOptions } from '../../src/index.js';
import { poller } from '../../src/ffi/poller.js';
import { ip, ipJson, needsRoot, openFds, threadCount, withTestNetns, withTestNetnses } from '../helpers/netns.js';

type Iter = AsyncIterator<MonitorEvent>;

/** Pull events until `done` says so, or fail after `ms`. */
async function until(it: Iter, done: (ev: MonitorEvent) => boolean, ms = 10_000): Promise<MonitorEvent[]> {
  const seen: MonitorEvent[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${seen.length} events`);
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      it.next(),
      new Promise<never>(
        (_, rej) => (timer = setTimeout(() => rej(new Error(`timed out after ${seen.length} events`)), left)),
      ),
    ]);
    clearTimeout(timer);
    if (r.done) return seen;
    seen.push(r.value);
    if (done(r.value)) return seen;
  }
}

/**
 * Open a monitor and wait until it is subscribed: with initial: true it yields its snapshot and then
 * 'synced', after which no change can be missed. (Priming with a short sleep raced the subscription
 * on a loaded machine, and the test then waited for an event it had missed.)
 */
async function subscribed(nl: Rtnl, groups: MonitorGroup | MonitorGroup[], options: MonitorOptions): Promise<Iter> {
  const it = nl.monitor(groups, { ...options, initial: true })[Symbol.asyncIterator]();
  await until(it, (e) => e.type === 'synced');
  return it;
}

/** The link set (index -> name) a consumer reconstructs from events. */
function applyLinks(state: Map<number, string>, ev: MonitorEvent): void {
  if (ev.type === 'resync') {
    for (const o of [...ev.added, ...ev.changed] as Link[]) state.set(o.index, o.name);
    for (const o of ev.removed as Link[]) state.delete(o.index);
  } else if (ev.type === 'link.new') state.set((ev.object as Link).index, (ev.object as Link).name);
  else if (ev.type === 'link.del') state.delete((ev.object as Link).index);
}

/** The monitor's view equals the kernel's, or the difference is shown. */
function assertSameLinks(state: Map<number, string>, ns: string): void {
  const real = ipLinks(ns);
  const missing = [...real].filter(([i, n]) => state.get(i) !== n);
  const extra = [...state].filter(([i, n]) => real.get(i) !== n);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
}

function ipLinks(ns: string): Map<number, string> {
  return new Map(ipJson(ns, 'link', 'show').map((l: any) => [l.ifindex, l.ifname]));
}

describe('monitor', { skip: needsRoot }, () => {
  test('1,000 veth pairs created and deleted: every link.new and link.del, in order, or a resync', async () => {
    await withTestNetns(async (ns, nl) => {
      const ac = new AbortController();
      const it = await subscribed(nl, 'link', { signal: ac.signal });
      await nl.links.add({ name: 'mark0', kind: 'veth', peer: { name: 'mark1' } });
      const [firstEv] = await until(it, () => true);
      assert.equal(firstEv.type, 'link.new');
      const N = 1000;
      const work = (async () => {
        for (let i = 0; i < N; i += 50) {
          await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              nl.links.add({ name: `a${i + j}`, kind: 'veth', peer: { name: `b${i + j}` } }),
            ),
          );
        }
        for (let i = 0; i < N; i += 50)
          await Promise.all(Array.from({ length: 50 }, (_, j) => nl.links.delete(`a${i + j}`)));
        await nl.links.add({ name: 'end0', kind: 'veth', peer: { name: 'end1' } });
      })();
      const firstNew = new Map<string, number>();
      const del = new Map<string, number>();
      let resyncs = 0;
      const state = new Map<number, string>((await nl.links.list()).map((l) => [l.index, l.name]));
      const seenNames = new Set<string>();
      const events = await until(
        it,
        (ev) => {
          if (ev.type === 'link.new') seenNames.add((ev.object as Link).name);
          return seenNames.has('end0') && seenNames.has('end1');
        },
        60_000,
      );
      await work;
      events.forEach((ev, i) => {
        applyLinks(state, ev);
        if (ev.type === 'resync') resyncs++;
        if (ev.type === 'link.new' && !firstNew.has((ev.object as Link).name))
          firstNew.set((ev.object as Link).name, i);
        if (ev.type === 'link.del') del.set((ev.object as Link).name, i);
      });
      if (resyncs === 0) {
        for (let i = 0; i < N; i++) {
          for (const name of [`a${i}`, `b${i}`]) {
            assert.ok(firstNew.has(name), `no link.new for ${name}`);
            assert.ok(del.has(name), `no link.del for ${name}`);
            assert.ok(firstNew.get(name)! < del.get(name)!, `${name}: del before new`);
          }
        }
      }
      ac.abort();
      assertSameLinks(state, ns);
    });
  });

  test('an overflow (tiny receive buffer) yields resync, and the state then equals ip -j', async (t) => {
    await withTestNetns(async (ns, nl) => {
      const ac = new AbortController();
      const it = nl.monitor('link', { signal: ac.signal, rcvbuf: 4096, initial: true })[Symbol.asyncIterator]();
      const state = new Map<number, string>();
      for (const ev of await until(it, (e) => e.type === 'synced')) applyLinks(state, ev);
      // Flood while nobody reads: the kernel must drop events.
      for (let i = 0; i < 200; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            nl.links.add({ name: `f${i + j}`, kind: 'veth', peer: { name: `g${i + j}` } }),
          ),
        );
      await Promise.all(Array.from({ length: 50 }, (_, j) => nl.links.delete(`f${j}`)));
      await nl.links.add({ name: 'last0', kind: 'veth', peer: { name: 'last1' } });
      let resync = 0;
      await until(it, (e) => {
        applyLinks(state, e);
        if (e.type === 'resync') resync++;
        return [...state.values()].includes('last0') && [...state.values()].includes('last1');
      });
      ac.abort();
      assert.ok(resync > 0, 'no resync after an overflow');
      assertSameLinks(state, ns);
      t.diagnostic(
        `overflow: 4 KiB monitor buffer left unread while 200 veth pairs were added, 50 deleted and 1 more added (500+ link events); ${resync} resync event(s), then the monitor's state equals ip -j (${state.size} links)`,
      );
    });
  });

  test('initial: true with changes racing the dump ends equal to ip -j', async () => {
    await withTestNetns(async (ns, nl) => {
      for (let i = 0; i < 20; i++) await nl.links.add({ name: `s${i}`, kind: 'veth', peer: { name: `t${i}` } });
      const ac = new AbortController();
      const racing = (async () => {
        for (let i = 0; i < 60; i++) {
          await nl.links.add({ name: `r${i}`, kind: 'veth', peer: { name: `q${i}` } });
          if (i % 3 === 0) await nl.links.delete(`s${i % 20}`, { ifExists: true });
        }
        await nl.links.add({ name: 'done0', kind: 'veth', peer: { name: 'done1' } });
      })();
      const it = nl.monitor('link', { signal: ac.signal, initial: true })[Symbol.asyncIterator]();
      const state = new Map<number, string>();
      let synced = false;
      await until(
        it,
        (e) => {
          if (e.type === 'synced') synced = true;
          applyLinks(state, e);
          return [...state.values()].includes('done0') && [...state.values()].includes('done1');
        },
        30_000,
      );
      await racing;
      ac.abort();
      assert.ok(synced);
      assertSameLinks(state, ns);
    });
  });

  test('address and route events carry the same objects list() returns', async () => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'm0', kind: 'veth', peer: { name: 'm1' }, up: true });
      await nl.links.set('m1', { up: true });
      const ac = new AbortController();
      const it = await subscribed(nl, ['address', 'route'], { signal: ac.signal });
      await nl.addresses.add('m0', '192.0.2.1/24');
      // Wait for a route of the new address: IPv6 link-local routes and addresses of m0/m1 may
      // still be arriving (the carrier comes up asynchronously), so the first route.new is not ours.
      const ours = (e: MonitorEvent) =>
        'object' in e && String((e.object as any).dst ?? (e.object as any).address).startsWith('192.0.2.');
      const evs = await until(it, (e) => e.type === 'route.new' && ours(e));
      const addr = evs.find((e) => e.type === 'address.new' && ours(e))!;
      assert.ok(addr && addr.type !== 'resync' && addr.type !== 'synced');
      const listed = (await nl.addresses.list({ link: 'm0', family: 4 }))[0];
      assert.deepEqual((addr as any).object.address, listed?.address);
      assert.equal((addr as any).netns, _ns, 'the event names the namespace it came from');
      ac.abort();
    });
  });

  test('allNsid: events from a namespace with an nsid here are tagged with it', async () => {
    await withTestNetnses(2, async ([a, b], [na, nb]) => {
      ip('-n', a!, 'netns', 'set', b!, '5');
      const ac = new AbortController();
      const it = await subscribed(na!, 'link', { signal: ac.signal, allNsid: true, track: false });
      await nb!.links.add({ name: 'far0', kind: 'veth', peer: { name: 'far1' } });
      const named = (e: MonitorEvent, n: string) => e.type === 'link.new' && (e.object as Link).name === n;
      const evs = await until(it, (e) => named(e, 'far0'));
      const far = evs.find((e) => named(e, 'far0')) as any;
      assert.equal(far?.nsid, 5);
      ac.abort();
    });
  });

  test('abort, break and close each close the socket within 100 ms and leave no fd or thread', async () => {
    await withTestNetns(async (_ns, nl) => {
      // Warm up the poller thread and lazy state first.
      {
        const ac = new AbortController();
        const it = nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator]();
        const p = it.next();
        await new Promise((r) => setTimeout(r, 30));
        ac.abort();
        await p;
      }
      // Counts are taken with the poller thread stopped (it stops when nothing waits).
      await poller.whenStopped();
      const fds = openFds();
      const threads = threadCount();
      // abort
      for (let i = 0; i < 20; i++) {
        const ac = new AbortController();
        const it = nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator]();
        const p = it.next();
        await new Promise((r) => setTimeout(r, 5));
        const t0 = performance.now();
        ac.abort();
        assert.equal((await p).done, true);
        assert.ok(performance.now() - t0 < 100);
      }
      // break
      const loop = (async () => {
        for await (const ev of nl.monitor('link', { track: false })) {
          void ev;
          break;
        }
      })();
      await new Promise((r) => setTimeout(r, 30));
      await nl.links.add({ name: 'brk0', kind: 'veth', peer: { name: 'brk1' } });
      await loop;
      await poller.whenStopped();
      assert.equal(openFds(), fds);
      assert.equal(threadCount(), threads);
      // close of the client ends its monitors
      const other = await Rtnl.open();
      const it = other.monitor('link', { track: false })[Symbol.asyncIterator]();
      const p = it.next();
      await new Promise((r) => setTimeout(r, 30));
      const t0 = performance.now();
      await other.close();
      assert.equal((await p).done, true);
      assert.ok(performance.now() - t0 < 100);
      await poller.whenStopped();
      assert.equal(openFds(), fds);
      assert.equal(threadCount(), threads);
    });
  });

  test('while 16 monitors are idle, fs and dns complete promptly', async () => {
    await withTestNetns(async (_ns, nl) => {
      const ac = new AbortController();
      const its = Array.from({ length: 16 }, () =>
        nl.monitor(['link', 'address', 'route'], { signal: ac.signal, track: false })[Symbol.asyncIterator](),
      );
      const pending = its.map((it) => it.next());
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      await Promise.all([
        ...Array.from({ length: 32 }, () => readFile('/proc/self/status')),
        ...Array.from({ length: 8 }, () => lookup('localhost')),
      ]);
      const ms = performance.now() - t0;
      ac.abort();
      await Promise.all(pending);
      assert.ok(ms < 1000, `fs and dns took ${ms} ms with 16 idle monitors`);
    });
  });
});
