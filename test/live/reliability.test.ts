// Live (root): hostile conditions. Injected failures while switching namespaces, spoofed
// netlink senders, leaks over many cycles, and dumps interrupted by concurrent changes.
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, test } from 'node:test';
import { encode } from '../../src/codec/index.js';
import { NLM_F_DUMP_INTR } from '../../src/codec/constants/index.js';
import { DumpInterruptedError, netns, Rtnl, RtnlError, SysError } from '../../src/index.js';
import { faults } from '../../src/ffi/libc.js';
import { currentNetnsInode, NetnsRestoreError, SELF_NETNS } from '../../src/ffi/netns.js';
import { NetlinkSocket } from '../../src/ffi/socket.js';
import { libc } from '../../src/ffi/libc.js';
import { CLONE_NEWNET, O_RDONLY } from '../../src/ffi/constants.js';
import { poller } from '../../src/ffi/poller.js';
import { needsRoot, openFds, threadCount, withTestNetns } from '../helpers/netns.js';

/** A full garbage collection, for heap figures (node --test does not pass --expose-gc). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

/** Make the n-th call (1-based) of `syscall` fail with EIO, once. */
function failNth(syscall: string, n: number): () => number {
  let seen = 0;
  let fired = 0;
  faults.before = (name) => {
    if (name !== syscall) return;
    seen++;
    if (seen === n) {
      fired++;
      throw new SysError(name, 5, 'EIO', 'injected');
    }
  };
  return () => fired;
}

describe('namespace switching under injected failures', { skip: needsRoot }, () => {
  test('after a failure at each step, the thread is home and no fd is leaked', async (t) => {
    const home = currentNetnsInode();
    await withTestNetns(async (ns) => {
      // The steps of Rtnl.open({ netns }): open(target), open(self), setns(target), socket, setns(back).
      const points: Array<[string, number]> = [
        ['open', 1],
        ['open', 2],
        ['setns', 1],
        ['socket', 1],
        ['setns', 2],
      ];
      let tried = 0;
      let wrongNamespace = 0;
      await (await Rtnl.open({ netns: ns })).close(); // warm up
      for (const [syscall, n] of points) {
        const fds = openFds();
        const fired = failNth(syscall, n);
        let client: Rtnl | undefined;
        try {
          client = await Rtnl.open({ netns: ns });
        } catch (err) {
          assert.ok(err instanceof SysError, `${syscall}#${n}: ${err}`);
        } finally {
          faults.before = undefined;
        }
        await client?.close();
        assert.equal(fired(), 1, `${syscall}#${n} was not reached`);
        tried++;
        if (currentNetnsInode() !== home) wrongNamespace++;
        assert.equal(openFds(), fds, `fd leaked after a failure at ${syscall}#${n}`);
      }
      assert.equal(tried, points.length);
      assert.equal(wrongNamespace, 0);
      t.diagnostic(
        `namespace faults: ${tried} failure points tried (${points.map(([s, n]) => `${s}#${n}`).join(', ')}), ${wrongNamespace} wrong-namespace outcomes, 0 fds leaked`,
      );
    });
    assert.equal(currentNetnsInode(), home);
  });

  test('if switching back fails twice, NetnsRestoreError says so (and the caller can recover)', async (t) => {
    const home = currentNetnsInode();
    await withTestNetns(async (ns) => {
      let calls = 0;
      faults.before = (name) => {
        if (name === 'setns' && ++calls >= 2) throw new SysError(name, 5, 'EIO', 'injected');
      };
      const self = libc.open(SELF_NETNS, O_RDONLY);
      try {
        assert.throws(() => netns.runSync(ns, () => 1), NetnsRestoreError);
      } finally {
        faults.before = undefined;
        libc.setns(self, CLONE_NEWNET); // recover this thread for the rest of the suite
        libc.close(self);
      }
    });
    assert.equal(currentNetnsInode(), home);
    t.diagnostic('namespace faults: a failed restore (setns back failing twice) raises NetnsRestoreError');
  });
});

describe('spoofing', { skip: needsRoot }, () => {
  test('messages from a sender that is not the kernel are dropped, and the real reply wins', async (t) => {
    await withTestNetns(async (ns, nl) => {
      const victim = nl.engine.sock as NetlinkSocket;
      const attacker = netns.runSync(ns, () => NetlinkSocket.open());
      try {
        // Forge failures for the next sequence numbers the client will use.
        const seq0 = (nl.engine as any).seq as number;
        for (let i = 1; i <= 5; i++) {
          const forged = encode({
            type: 'NLMSG_ERROR',
            header: { len: 0, type: 2, flags: 0x100, seq: seq0 + i, pid: 0 },
            body: { error: -1, request: { len: 16, type: 18, flags: 5, seq: seq0 + i, pid: 0 } },
            attrs: {},
          });
          attacker.sendTo(forged, victim.port);
        }
        const lo = await nl.links.get('lo');
        assert.equal(lo.name, 'lo');
        assert.ok(victim.spoofedDropped >= 1, `dropped ${victim.spoofedDropped}`);
        t.diagnostic(
          `spoofing: 5 forged NLMSG_ERROR replies sent from port ${attacker.port}, ${victim.spoofedDropped} dropped, the real reply resolved the request`,
        );
      } finally {
        attacker.close();
      }
    });
  });
});

describe('resources', { skip: needsRoot }, () => {
  test('1,000 monitors started and aborted, and 1,000 failed requests, leak no fd or thread', async (t) => {
    await withTestNetns(async (_ns, nl) => {
      const warm = new AbortController();
      const w = nl.monitor('link', { signal: warm.signal, track: false })[Symbol.asyncIterator]();
      const wp = w.next();
      await new Promise((r) => setTimeout(r, 20));
      warm.abort();
      await wp;
      // Counts are taken with the poller thread stopped (it stops when nothing waits).
      await poller.whenStopped();
      // Warm up the failure path too (lazy tables, JIT), so the heap figure is steady state.
      await Promise.allSettled(Array.from({ length: 100 }, (_, i) => nl.links.get(`warm${i}`)));
      const fds = openFds();
      const threads = threadCount();
      const heap0 = heapUsed();
      for (let i = 0; i < 1000; i += 50) {
        const ac = new AbortController();
        setMaxListeners(100, ac.signal);
        const its = Array.from({ length: 50 }, () =>
          nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator](),
        );
        const ps = its.map((it) => it.next());
        await new Promise((r) => setImmediate(r));
        ac.abort();
        await Promise.all(ps);
      }
      await poller.whenStopped();
      const fds1 = openFds();
      const threads1 = threadCount();
      const heap1 = heapUsed();
      const failed = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => nl.links.get(`nope${i}`)));
      assert.ok(failed.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'ENODEV'));
      const heap2 = heapUsed();
      // More rounds show whether the first round's growth is one-off (pools, code) or a leak.
      const more: number[] = [];
      for (let round = 0, h = heap2; round < 3; round++) {
        await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => nl.links.get(`nope${i}`)));
        const now = heapUsed();
        more.push(now - h);
        h = now;
      }
      await poller.whenStopped();
      assert.equal(openFds(), fds);
      assert.equal(threadCount(), threads);
      const growth = heap2 - heap0;
      assert.ok(growth < 64 << 20, `heap grew ${growth} bytes`);
      const later = more[1]! + more[2]!;
      assert.ok(later < 2 << 20, `failed requests keep growing the heap: ${more.map(mib).join(', ')}`);
      t.diagnostic(
        `leaks: 1,000 monitors: fd delta ${fds1 - fds}, thread delta ${threads1 - threads}, heap growth ${mib(heap1 - heap0)}`,
      );
      t.diagnostic(
        `leaks: 1,000 failed requests (ENODEV): fd delta ${openFds() - fds1}, thread delta ${threadCount() - threads1}, ` +
          `heap growth ${mib(heap2 - heap1)}; three more rounds of 1,000: ${more.map(mib).join(', ')}`,
      );
    });
  });
});

describe('dump and request failures before the kernel', () => {
  /** Settle `p` or give up after `ms`: 'pending' means it would hang. */
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([
      p.then(
        (v) => ({ ok: v }),
        (e: unknown) => ({ err: e }),
      ),
      new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms)),
    ]);

  test('a request whose sendto fails rejects with the SysError', async () => {
    const nl = await Rtnl.open();
    try {
      const sock = nl.engine.sock as { send(b: Uint8Array): void };
      const send = sock.send;
      sock.send = () => {
        throw new SysError('sendto', 105, 'ENOBUFS', 'injected');
      };
      const r = await within(nl.links.get(1), 1000);
      sock.send = send;
      assert.ok(r !== 'pending' && 'err' in r && r.err instanceof SysError && r.err.code === 'ENOBUFS', String(r));
      assert.equal((await nl.links.get(1)).index, 1, 'the client still works');
    } finally {
      await nl.close();
    }
  });

  // Finding: Engine.dumpStream sends with sock.send() inside its try; when that throws, the
  // finally block waits for a DONE that was never asked for, so the dump never settles and holds
  // the dump lock: every later dump on the client hangs too, until close().
  test('a dump whose sendto fails rejects with the SysError, and the next dump works', async () => {
    const nl = await Rtnl.open();
    try {
      const sock = nl.engine.sock as { send(b: Uint8Array): void };
      const send = sock.send;
      sock.send = () => {
        throw new SysError('sendto', 105, 'ENOBUFS', 'injected');
      };
      const r = await within(nl.links.list(), 1000);
      sock.send = send;
      assert.notEqual(r, 'pending', 'the dump never settled');
      assert.ok(r !== 'pending' && 'err' in r && r.err instanceof SysError, String(r));
      const next = await within(nl.links.list(), 1000);
      assert.ok(next !== 'pending' && 'ok' in next, 'the next dump hung');
    } finally {
      await nl.close();
    }
  });

  // Finding, same cause: an EncodeError thrown inside the dump's try (here from the public API:
  // links.list's kind filter lets NUL through to the codec) hangs the dump the same way.
  test('a dump whose request cannot be encoded rejects with EncodeError, and the next dump works', async () => {
    const nl = await Rtnl.open();
    try {
      const r = await within(nl.links.list({ kind: 'veth\0' }), 1000);
      assert.notEqual(r, 'pending', 'the dump never settled');
      assert.ok(r !== 'pending' && 'err' in r && r.err instanceof RtnlError, String(r));
      const next = await within(nl.links.list(), 1000);
      assert.ok(next !== 'pending' && 'ok' in next, 'the next dump hung');
    } finally {
      await nl.close();
    }
  });
});

describe('client cycles', { skip: needsRoot }, () => {
  /** Open and close `n` clients; fd and thread counts and heap before and after. */
  async function cycles(n: number, netns?: string) {
    await (await Rtnl.open(netns ? { netns } : {})).close(); // warm up lazy state first
    const fds = openFds();
    const threads = threadCount();
    const heap = heapUsed();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const c = await Rtnl.open(netns ? { netns } : {});
      await c.close();
    }
    const ms = performance.now() - t0;
    return { fdDelta: openFds() - fds, threadDelta: threadCount() - threads, heapGrowth: heapUsed() - heap, ms };
  }

  test('10,000 open/close cycles in the current namespace and 10,000 in a named one leak no fd or thread', async (t) => {
    const home = currentNetnsInode();
    const here = await cycles(10_000);
    const named = await withTestNetns(async (ns) => cycles(10_000, ns));
    for (const [where, r] of [
      ['current namespace', here],
      ['named namespace', named],
    ] as const) {
      t.diagnostic(
        `leaks: 10,000 client cycles in the ${where}: fd delta ${r.fdDelta}, thread delta ${r.threadDelta}, heap growth ${mib(r.heapGrowth)}, ${Math.round(r.ms)} ms`,
      );
      assert.equal(r.fdDelta, 0, `${where}: fds`);
      assert.equal(r.threadDelta, 0, `${where}: threads`);
      assert.ok(r.heapGrowth < 16 << 20, `${where}: heap grew ${mib(r.heapGrowth)}`);
    }
    assert.equal(currentNetnsInode(), home);
  });
});

describe('interrupted dumps', { skip: needsRoot }, () => {
  test('a link dump raced by link changes is detected: retried, flagged, or thrown, never silent', async (t) => {
    await withTestNetns(async (_ns, nl) => {
      for (let i = 0; i < 200; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            nl.links.add({ name: `d${i + j}`, kind: 'veth', peer: { name: `e${i + j}` } }),
          ),
        );
      // A second client changes links while the first dumps. The dump is slowed at the socket
      // (each datagram read 1 ms late; the engine may read ahead of the consumer, so slowing the
      // consumer alone is not enough), so changes land between its parts.
      const sock = nl.engine.sock as { recv(): Uint8Array | null };
      const recv = sock.recv;
      sock.recv = function (this: unknown) {
        const until = performance.now() + 1;
        while (performance.now() < until);
        return recv.call(sock);
      };
      // Two more clients create and delete links all along. Those requests are sent from pool
      // threads, so the kernel changes the link list while this thread reads a dump. A dump does
      // not yield to the event loop, so the churn's completions are let in between dumps.
      const others = [await Rtnl.open({ netns: _ns }), await Rtnl.open({ netns: _ns })];
      let stop = false;
      const churn = Promise.all(
        others.map(async (other, k) => {
          for (let i = 0; !stop; i++) {
            await other.links.add({ name: `c${k}-${i}`, kind: 'veth', peer: { name: `k${k}-${i}` } });
            await other.links.delete(`c${k}-${i}`);
          }
        }),
      );
      let interrupted = 0;
      let thrown = 0;
      let complete = 0;
      let retriedClean = 0;
      try {
        for (let round = 0; round < 30 && interrupted === 0; round++) {
          await new Promise((r) => setImmediate(r));
          const state = { interrupted: false };
          let n = 0;
          for await (const m of nl.engine.dumpStream(
            { type: 'RTM_GETLINK', header: {} as never, body: { family: 0 }, attrs: {} },
            { onInterrupted: 'partial', state },
          )) {
            void m;
            if (++n % 10 === 0) await new Promise((r) => setImmediate(r));
          }
          if (state.interrupted) interrupted++;
          else complete++;
          await new Promise((r) => setImmediate(r));
          // The same race under the default policy is retried to a clean result, or thrown.
          try {
            const links = await nl.links.list();
            assert.ok(links.length >= 401);
            retriedClean++;
          } catch (err) {
            assert.ok(err instanceof DumpInterruptedError);
            thrown++;
          }
        }
      } finally {
        stop = true;
        await churn;
        for (const o of others) await o.close();
        sock.recv = recv;
      }
      assert.ok(interrupted > 0, `no interruption seen in ${complete} raced dumps`);
      t.diagnostic(
        `interruption: ${interrupted + complete} slowed raced dump(s) with policy 'partial': ${interrupted} flagged interrupted, ${complete} complete; ` +
          `then under 'retry': ${retriedClean} clean results, ${thrown} DumpInterruptedError`,
      );
    });
  });

  test('while links churn on another thread, every policy handles every interruption it meets', async (t) => {
    await withTestNetns(async (ns, nl) => {
      for (let i = 0; i < 200; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            nl.links.add({ name: `d${i + j}`, kind: 'veth', peer: { name: `e${i + j}` } }),
          ),
        );
      const GETLINK = { type: 'RTM_GETLINK', header: {} as never, body: { family: 0 }, attrs: {} };
      // A slow reader: each datagram of the dump is read 1 ms late. The socket is also watched:
      // each dump request sent is one attempt, and the raw headers of what comes back say which
      // dumps (by sequence number) the kernel flagged with NLM_F_DUMP_INTR.
      const sock = nl.engine.sock as { recv(): Uint8Array | null; send(b: Uint8Array): void };
      const recv = sock.recv;
      const send = sock.send;
      let attempts = 0;
      sock.send = function (this: unknown, b: Uint8Array) {
        attempts++;
        return send.call(sock, b);
      };
      const onWire = new Set<number>();
      sock.recv = function (this: unknown) {
        const until = performance.now() + 1;
        while (performance.now() < until);
        const d = recv.call(sock);
        if (d) {
          const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
          for (let at = 0; at + 16 <= d.length; ) {
            const len = v.getUint32(at, true);
            if (len < 16) break;
            if (v.getUint16(at + 6, true) & NLM_F_DUMP_INTR) onWire.add(v.getUint32(at + 8, true));
            at += (len + 3) & ~3;
          }
        }
        return d;
      };
      // Two clients create and delete links. Those requests are sent from pool threads, so the
      // kernel changes the link list while this thread reads the dump.
      const others = [await Rtnl.open({ netns: ns }), await Rtnl.open({ netns: ns })];
      let stop = false;
      const churn = Promise.all(
        others.map(async (other, k) => {
          for (let i = 0; !stop; i++) {
            await other.links.add({ name: `c${k}-${i}`, kind: 'veth', peer: { name: `k${k}-${i}` } });
            await other.links.delete(`c${k}-${i}`);
          }
        }),
      );
      // A dump never yields to the event loop (the kernel fills it inside recvmsg), so the
      // churn's completions are let in between dumps.
      const turn = () => new Promise((r) => setImmediate(r));
      const fig = { rounds: 0, partialFlagged: 0, retries: 0, retryClean: 0, retryGaveUp: 0, thrown: 0, throwClean: 0 };
      try {
        const t0 = performance.now();
        while (fig.rounds < 40 && performance.now() - t0 < 2500) {
          fig.rounds++;
          await turn();
          const partial = await nl.engine.dump(GETLINK, { onInterrupted: 'partial' });
          if (partial.interrupted) fig.partialFlagged++;
          await turn();
          attempts = 0;
          try {
            const all = await nl.engine.dump(GETLINK, { onInterrupted: 'retry' });
            assert.ok(all.length >= 401 && !all.interrupted);
            fig.retryClean++;
          } catch (err) {
            assert.ok(err instanceof DumpInterruptedError, String(err));
            fig.retryGaveUp++;
          }
          fig.retries += attempts - 1;
          await turn();
          try {
            await nl.engine.dump(GETLINK, { onInterrupted: 'throw' });
            fig.throwClean++;
          } catch (err) {
            assert.ok(err instanceof DumpInterruptedError, String(err));
            fig.thrown++;
          }
        }
      } finally {
        stop = true;
        await churn;
        for (const o of others) await o.close();
        sock.send = send;
        sock.recv = recv;
      }
      // Every dump the kernel flagged on the wire was surfaced by its policy: none passed as complete.
      const handled = fig.partialFlagged + fig.retries + fig.retryGaveUp + fig.thrown;
      t.diagnostic(
        `interruption: ${fig.rounds} rounds of 3 raced dumps; ${onWire.size} dumps flagged NLM_F_DUMP_INTR on the wire, ${handled} handled: ` +
          `'partial' flagged ${fig.partialFlagged}/${fig.rounds}; 'retry' retried ${fig.retries} times (${fig.retryClean} clean, ${fig.retryGaveUp} gave up with DumpInterruptedError); ` +
          `'throw' threw ${fig.thrown}/${fig.rounds}; ${onWire.size - handled} returned as if complete`,
      );
      assert.ok(onWire.size > 0, `no interruption in ${fig.rounds} rounds`);
      assert.equal(handled, onWire.size, 'an interrupted dump was returned as if complete');
    });
  });
});
