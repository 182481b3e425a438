// Live (root): fault injection on the paths added in round two. Every libc call of tun/tap
// creation and of the ethtool ioctls fails once in turn (the `faults` seam); a generic netlink
// family is missing; a client closes while its queue fds are being opened. Each time: the
// injected error (or the right one) reaches the caller, no half-made device stays, no fd leaks,
// and the next call works. (The ethtool counter count changing between GSSET_INFO, GSTRINGS and
// GSTATS is covered call by call in test/ops/ethtool-ioctl.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveFamily, RtnlError } from '../../src/index.js';
import { faults } from '../../src/ffi/libc.js';
import { poller } from '../../src/ffi/poller.js';
import { needsRoot, openFds, withTestNetns, withTestNetnses } from '../helpers/netns.js';
import { repoRoot } from '../helpers/sandbox.js';

/** Make the n-th call (1-based) of any of `syscalls` fail with an injected EIO; count the calls. */
function failNth(syscalls: string[], n: number): { calls: () => number; fired: () => boolean } {
  let seen = 0;
  let fired = false;
  faults.before = (s) => {
    if (!syscalls.includes(s)) return;
    if (++seen === n) {
      fired = true;
      throw new RtnlError(`injected failure of ${s}`, 'EIO');
    }
  };
  return { calls: () => seen, fired: () => fired };
}

/** Closing happens on a pool thread; wait until the fd count is back (or give up after 2 s). */
async function fdsSettle(want: number): Promise<number> {
  const t0 = performance.now();
  while (openFds() !== want && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
  return openFds();
}

test('fault injection: tap creation, ethtool ioctls, a missing genl family, a client closed mid-open', {
  skip: needsRoot,
}, async (t) => {
  await withTestNetns(async (ns, nl) => {
    // Warm up every path once (lazy sockets, the ioctl socket, the genl engine).
    await nl.links.add({ name: 'warm0', kind: 'tap', tuntap: { vnetHdr: true }, up: true });
    await nl.links.add({ name: 'warm1', kind: 'veth', peer: { name: 'warm2' } });
    await nl.ethtool.stats('warm1');
    await nl.ethtool.driver('warm1');
    await nl.links.delete('warm1');
    await resolveFamily(nl, 'nlctrl');
    await nl.links.delete('warm0');
    await poller.whenStopped();
    const fds = openFds();
    const names = async () => (await nl.links.list()).map((l) => l.name).sort();
    const before = await names();

    // 1. Tap creation with queues kept: each open and ioctl fails once in turn (close is left out:
    // the seam fails it before the call, so the fd would stay open, which a real close(2) never does).
    const tap = ['open', 'ioctl', 'setns'];
    let tapPoints = 0;
    let survived = 0;
    for (let n = 1; ; n++) {
      const f = failNth(tap, n);
      let err: unknown;
      let q: Awaited<ReturnType<typeof nl.tuntap.add>> | undefined;
      try {
        q = await nl.tuntap.add({ name: 'ft0', kind: 'tap', tuntap: { vnetHdr: true, multiQueue: true }, queues: 2 });
      } catch (e) {
        err = e;
      } finally {
        faults.before = undefined;
      }
      if (!f.fired()) {
        assert.equal(err, undefined, String(err));
        await q?.close();
        await nl.links.delete('ft0', { ifExists: true });
        break;
      }
      tapPoints++;
      if (err === undefined) {
        // A failed switch back into our namespace is retried (see reliability.test.ts): the
        // device is then made whole, with both queues.
        assert.equal(q?.fds.length, 2, `tap, failure ${n}: survived but with ${q?.fds.length} queues`);
        await q?.close();
        await nl.links.delete('ft0', { ifExists: true });
        survived++;
      } else {
        assert.match(String((err as Error)?.message), /injected failure/, `tap, failure ${n}: ${String(err)}`);
        assert.deepEqual(await names(), before, `tap, failure ${n}: a half-made device stayed`);
      }
      assert.equal(await fdsSettle(fds), fds, `tap, failure ${n}: fd leaked`);
    }

    // 2. ethtool through the ioctl (driver info and per-driver counters): each ioctl fails once.
    await nl.links.add({ name: 'fe0', kind: 'veth', peer: { name: 'fe1' } });
    const fds2 = openFds();
    let ioctlPoints = 0;
    for (const [what, call] of [
      ['stats', () => nl.ethtool.stats('fe0')],
      ['driver', () => nl.ethtool.driver('fe0')],
    ] as const) {
      for (let n = 1; ; n++) {
        const f = failNth(['ioctl', 'socket'], n);
        let err: unknown;
        try {
          await call();
        } catch (e) {
          err = e;
        } finally {
          faults.before = undefined;
        }
        if (!f.fired()) break;
        ioctlPoints++;
        assert.match(String((err as Error)?.message), /injected failure/, `${what}, failure ${n}`);
        assert.equal(openFds(), fds2, `${what}, failure ${n}: fd leaked`);
        await call(); // and the next call works
      }
    }
    await nl.links.delete('fe0');

    // 3. A generic netlink family this kernel does not have.
    await assert.rejects(resolveFamily(nl, 'rtnl-nosuch'), (e: RtnlError) => e.code === 'ERR_RTNL_NO_GENL_FAMILY');
    await resolveFamily(nl, 'nlctrl'); // the engine still answers

    // 4. The process's own close of the client while queue fds of a new tap are being opened.
    const { Rtnl } = await import('../../src/index.js');
    const other = await Rtnl.open({ netns: ns });
    const adding = other.tuntap
      .add({ name: 'fc0', kind: 'tap', tuntap: { multiQueue: true }, queues: 4 })
      .then((q) => q.close().then(() => 'made'))
      .catch((e: Error) => `refused: ${e.message}`);
    await other.close();
    const outcome = await adding;
    await nl.links.delete('fc0', { ifExists: true });

    await poller.whenStopped();
    assert.equal(await fdsSettle(fds), fds, 'fds after everything');
    assert.deepEqual(await names(), before);
    t.diagnostic(
      `faults: tap creation failed at each of ${tapPoints} libc calls in turn (${survived} retried switches back), ethtool ioctls at ${ioctlPoints}: ` +
        `each the injected error, no device left, no fd leaked; a missing genl family: ERR_RTNL_NO_GENL_FAMILY; ` +
        `a client closed while opening 4 queues: ${outcome.slice(0, 60)}, fd delta 0`,
    );
  });
});

test('fault injection: a tap made in another namespace is removed when the client there cannot be opened', {
  skip: needsRoot,
}, async (t) => {
  await withTestNetnses(2, async ([, target], [nl, there]) => {
    const tapThere = async () => (await there.links.list()).some((l) => l.name === 'fx0');
    // Warm up: one tap made in the target namespace and deleted.
    await nl.links.add({ name: 'fx0', kind: 'tap', netns: target!, up: true });
    await there!.links.delete('fx0');
    await poller.whenStopped();
    const fds = openFds();
    // Each libc call of the add fails once in turn: the ioctls and setns that make the tap there,
    // and the open, setns and socket of the client in the target namespace that sets it up and
    // reads it back.
    let points = 0;
    let survived = 0;
    for (let n = 1; ; n++) {
      const f = failNth(['open', 'ioctl', 'setns', 'socket'], n);
      let err: unknown;
      try {
        await nl.links.add({ name: 'fx0', kind: 'tap', netns: target!, up: true });
      } catch (e) {
        err = e;
      } finally {
        faults.before = undefined;
      }
      if (!f.fired()) {
        assert.equal(err, undefined, String(err));
        await there!.links.delete('fx0');
        break;
      }
      points++;
      if (err === undefined) {
        survived++; // a failed switch back is retried, and the tap is then whole
        await there!.links.delete('fx0');
      } else {
        assert.match(String((err as Error)?.message), /injected failure/, `failure ${n}: ${String(err)}`);
        assert.equal(await tapThere(), false, `failure ${n}: the tap stayed behind in the target namespace`);
      }
      assert.equal(await fdsSettle(fds), fds, `failure ${n}: fd leaked`);
    }
    t.diagnostic(`tap in another namespace: ${points} failure points (${survived} retried), no tap left, no fd leaked`);
  });
});

test('fault injection: the CNI plugin closes its host client when the container client fails to open', {
  skip: needsRoot,
}, async (t) => {
  const rtnl = await import('../../src/index.js');
  const { add } = await import(pathToFileURL(join(repoRoot, 'examples/cni-bridge/bridge.mjs')).href);
  const { parseInvocation } = await import(pathToFileURL(join(repoRoot, 'examples/cni-bridge/config.mjs')).href);
  await withTestNetnses(2, async ([host, ctr]) => {
    const conf = { cniVersion: '1.0.0', name: 'n', type: 'rtnl-bridge', bridge: 'cnifx0' };
    const env = {
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'c1',
      CNI_NETNS: `/run/netns/${ctr}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH: '/nonexistent',
    };
    const { n, args } = parseInvocation(env, Buffer.from(JSON.stringify(conf)));
    // The plugin's "host" client opens in a test namespace (never the real host's); the second
    // open, of the container's namespace, fails at its first libc call.
    const opened: Array<{ closed: boolean }> = [];
    const Rtnl = {
      open: async (o?: Parameters<typeof rtnl.Rtnl.open>[0]) => {
        if (opened.length > 0) failNth(['open', 'setns', 'socket'], 1);
        try {
          const c = await rtnl.Rtnl.open(o ?? { netns: host! });
          opened.push(c);
          return c;
        } finally {
          faults.before = undefined;
        }
      },
    };
    await poller.whenStopped();
    const fds = openFds();
    await assert.rejects(add({ Rtnl, sysctl: rtnl.sysctl }, n, args, Buffer.alloc(0)), /injected failure/);
    assert.equal(opened.length, 1, 'the host client was opened, the container one failed');
    assert.equal(opened[0]!.closed, true, 'the host client was left open');
    assert.equal(await fdsSettle(fds), fds, 'fd leaked');
    t.diagnostic(
      'CNI ADD with the container client failing to open: the injected error, host client closed, fd delta 0',
    );
  });
});
