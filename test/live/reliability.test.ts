// Live (root): hostile conditions. Injected failures while switching namespaces, spoofed
// netlink senders, leaks over many cycles, and dumps interrupted by concurrent changes.
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { describe, test } from 'node:test';
import { encode } from '../../src/codec/index.js';
import { DumpInterruptedError, netns, Rtnl, SysError } from '../../src/index.js';
import { faults } from '../../src/ffi/libc.js';
import { currentNetnsInode, NetnsRestoreError, SELF_NETNS } from '../../src/ffi/netns.js';
import { NetlinkSocket } from '../../src/ffi/socket.js';
import { libc } from '../../src/ffi/libc.js';
import { CLONE_NEWNET, O_RDONLY } from '../../src/ffi/constants.js';
import { poller } from '../../src/ffi/poller.js';
import { needsRoot, openFds, threadCount, withTestNetns } from '../helpers/netns.js';

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
  test('after a failure at each step, the thread is home and no fd is leaked', async () => {
    const home = currentNetnsInode();
    await withTestNetns(async (ns) => {
      // The steps of Rtnl.open({ netns }): open(target), open(self), setns(target), socket, setns(back).
      const points: Array<[string, number]> = [['open', 1], ['open', 2], ['setns', 1], ['socket', 1], ['setns', 2]];
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
    });
    assert.equal(currentNetnsInode(), home);
  });

  test('if switching back fails twice, NetnsRestoreError says so (and the caller can recover)', async () => {
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
  });
});

describe('spoofing', { skip: needsRoot }, () => {
  test('messages from a sender that is not the kernel are dropped, and the real reply wins', async () => {
    await withTestNetns(async (ns, nl) => {
      const victim = nl.engine.sock as NetlinkSocket;
      const attacker = netns.runSync(ns, () => NetlinkSocket.open());
      try {
        // Forge failures for the next sequence numbers the client will use.
        const seq0 = (nl.engine as any).seq as number;
        for (let i = 1; i <= 5; i++) {
          const forged = encode({ type: 'NLMSG_ERROR', header: { len: 0, type: 2, flags: 0x100, seq: seq0 + i, pid: 0 }, body: { error: -1, request: { len: 16, type: 18, flags: 5, seq: seq0 + i, pid: 0 } }, attrs: {} });
          attacker.sendTo(forged, victim.port);
        }
        const lo = await nl.links.get('lo');
        assert.equal(lo.name, 'lo');
        assert.ok(victim.spoofedDropped >= 1, `dropped ${victim.spoofedDropped}`);
      } finally {
        attacker.close();
      }
    });
  });
});

describe('resources', { skip: needsRoot }, () => {
  test('1,000 monitors started and aborted, and 1,000 failed requests, leak no fd or thread', async () => {
    await withTestNetns(async (_ns, nl) => {
      const warm = new AbortController();
      const w = nl.monitor('link', { signal: warm.signal, track: false })[Symbol.asyncIterator]();
      const wp = w.next();
      await new Promise((r) => setTimeout(r, 20));
      warm.abort();
      await wp;
      await poller.whenOnline();
      await new Promise((r) => setTimeout(r, 100)); // let the poller thread finish starting
      const fds = openFds();
      const threads = threadCount();
      const heap0 = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1000; i += 50) {
        const ac = new AbortController();
        setMaxListeners(100, ac.signal);
        const its = Array.from({ length: 50 }, () => nl.monitor('link', { signal: ac.signal, track: false })[Symbol.asyncIterator]());
        const ps = its.map((it) => it.next());
        await new Promise((r) => setImmediate(r));
        ac.abort();
        await Promise.all(ps);
      }
      const failed = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => nl.links.get(`nope${i}`)));
      assert.ok(failed.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'ENODEV'));
      assert.equal(openFds(), fds);
      assert.equal(threadCount(), threads);
      (globalThis as { gc?: () => void }).gc?.();
      const growth = process.memoryUsage().heapUsed - heap0;
      assert.ok(growth < 64 << 20, `heap grew ${growth} bytes`);
    });
  });
});

describe('interrupted dumps', { skip: needsRoot }, () => {
  test('a link dump raced by link changes is detected: retried, flagged, or thrown, never silent', async () => {
    await withTestNetns(async (_ns, nl) => {
      for (let i = 0; i < 200; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => nl.links.add({ name: `d${i + j}`, kind: 'veth', peer: { name: `e${i + j}` } })));
      // A second client changes links while the first dumps; the dump is slowed by a tiny read
      // size, so changes land between its parts.
      const other = await Rtnl.open({ netns: _ns });
      let interrupted = 0;
      let thrown = 0;
      let complete = 0;
      try {
        for (let round = 0; round < 6 && interrupted === 0; round++) {
          let stop = false;
          const churn = (async () => {
            for (let i = 0; !stop; i++) {
              await other.links.add({ name: `c${i}`, kind: 'veth', peer: { name: `k${i}` } });
              await other.links.delete(`c${i}`);
            }
          })();
          const state = { interrupted: false };
          try {
            let n = 0;
            for await (const m of nl.engine.dumpStream({ type: 'RTM_GETLINK', header: {} as never, body: { family: 0 }, attrs: {} }, { onInterrupted: 'partial', state })) {
              void m;
              if (++n % 10 === 0) await new Promise((r) => setImmediate(r));
            }
            if (state.interrupted) interrupted++;
            else complete++;
          } finally {
            stop = true;
            await churn;
          }
          // The same race under the default policy is retried to a clean result, or thrown.
          try {
            const links = await nl.links.list();
            assert.ok(links.length >= 401);
          } catch (err) {
            assert.ok(err instanceof DumpInterruptedError);
            thrown++;
          }
        }
      } finally {
        await other.close();
      }
      assert.ok(interrupted > 0, `no interruption seen in ${complete} raced dumps`);
      void thrown;
    });
  });
});
