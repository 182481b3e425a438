// The buffer rules of the SIOCETHTOOL half (`ethtool -S`), against a fake kernel: sized from
// GSSET_INFO, never a count of 0, headroom for kernels that write their own count, and a fresh
// read when the count changes between the calls.
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  ETH_GSTRING_LEN,
  ETH_SS_STATS,
  ETHTOOL_GSSET_INFO,
  ETHTOOL_GSTATS,
  ETHTOOL_GSTRINGS,
} from '../../src/codec/constants/ethtool.js';
import { headroom, MAX_ATTEMPTS, MAX_COUNT, readStats, type EthtoolCall } from '../../src/ops/ethtool/ioctl.js';

/**
 * A fake kernel with a counter set that can change between calls, writing as a pre-fix kernel
 * does: its own current count, whatever the buffer says. `counts` gives the kernel's count at
 * each call in turn (the last one repeats). It checks the caller's buffers for room.
 */
function fakeKernel(counts: number[]) {
  const log: Array<{ cmd: number; asked: number; room: number; wrote: number }> = [];
  let i = 0;
  const call: EthtoolCall = (_ifname, data) => {
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const n = counts[Math.min(i++, counts.length - 1)]!;
    const cmd = v.getUint32(0, true);
    if (cmd === ETHTOOL_GSSET_INFO) {
      assert.equal(v.getBigUint64(8, true), 1n << BigInt(ETH_SS_STATS));
      v.setUint32(16, n, true);
      log.push({ cmd, asked: 0, room: 0, wrote: n });
    } else if (cmd === ETHTOOL_GSTRINGS) {
      const room = (data.length - 12) / ETH_GSTRING_LEN;
      log.push({ cmd, asked: v.getUint32(8, true), room, wrote: n });
      assert.ok(n <= room, `GSTRINGS: the kernel writes ${n} strings into room for ${room}`);
      v.setUint32(8, n, true);
      for (let k = 0; k < n; k++) data.set(new TextEncoder().encode(`c${k}_of_${n}`), 12 + k * ETH_GSTRING_LEN);
    } else if (cmd === ETHTOOL_GSTATS) {
      const room = (data.length - 8) / 8;
      log.push({ cmd, asked: v.getUint32(4, true), room, wrote: n });
      assert.ok(n <= room, `GSTATS: the kernel writes ${n} counters into room for ${room}`);
      v.setUint32(4, n, true);
      for (let k = 0; k < n; k++) v.setBigUint64(8 + k * 8, BigInt(k) * 1000n + BigInt(n), true);
    } else return -95;
    return 0;
  };
  return { call, log };
}

test('stats: names and values line up when the count is stable', () => {
  const k = fakeKernel([3]);
  assert.deepEqual(readStats(k.call, 'v0'), { c0_of_3: 3n, c1_of_3: 1003n, c2_of_3: 2003n });
  assert.deepEqual(
    k.log.map((e) => e.cmd),
    [ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS],
  );
  // Asked with the GSSET_INFO count, with headroom beyond it.
  for (const e of k.log.slice(1)) {
    assert.equal(e.asked, 3);
    assert.equal(e.room, 3 + headroom(3));
  }
});

test('stats: a count that grows between GSSET_INFO and GSTRINGS starts the read again', () => {
  // GSSET_INFO says 3, the kernel then writes 5 strings (fits in the headroom), then all agree on 5.
  const k = fakeKernel([3, 5, 5, 5, 5]);
  const got = readStats(k.call, 'v0', true);
  assert.deepEqual(Object.keys(got), ['c0_of_5', 'c1_of_5', 'c2_of_5', 'c3_of_5', 'c4_of_5']);
  assert.equal(got.c4_of_5, 4005);
  assert.deepEqual(
    k.log.map((e) => [e.cmd, e.asked, e.wrote]),
    [
      [ETHTOOL_GSSET_INFO, 0, 3],
      [ETHTOOL_GSTRINGS, 3, 5],
      [ETHTOOL_GSSET_INFO, 0, 5],
      [ETHTOOL_GSTRINGS, 5, 5],
      [ETHTOOL_GSTATS, 5, 5],
    ],
  );
});

test('stats: a count that shrinks between GSTRINGS and GSTATS starts the read again', () => {
  const k = fakeKernel([4, 4, 2, 2, 2, 2]);
  assert.deepEqual(readStats(k.call, 'v0'), { c0_of_2: 2n, c1_of_2: 1002n });
  assert.equal(k.log.length, 6);
});

test('stats: a count that never settles fails with EAGAIN after a bounded number of reads', () => {
  const counts = Array.from({ length: 40 }, (_, i) => 2 + i);
  const k = fakeKernel(counts);
  assert.throws(() => readStats(k.call, 'v0'), { code: 'EAGAIN' });
  assert.equal(k.log.filter((e) => e.cmd === ETHTOOL_GSSET_INFO).length, MAX_ATTEMPTS);
});

test('stats: a count of 0 returns {} without asking for strings or counters', () => {
  const k = fakeKernel([0]);
  assert.deepEqual(readStats(k.call, 'v0'), {});
  assert.deepEqual(
    k.log.map((e) => e.cmd),
    [ETHTOOL_GSSET_INFO],
  );
});

test('stats: no ETH_SS_STATS set is EOPNOTSUPP; an ioctl error keeps its errno', () => {
  const none: EthtoolCall = (_n, data) => {
    new DataView(data.buffer, data.byteOffset).setBigUint64(8, 0n, true); // mask cleared
    return 0;
  };
  assert.throws(() => readStats(none, 'lo'), { code: 'EOPNOTSUPP' });
  assert.throws(() => readStats(() => -19, 'gone0'), { code: 'ENODEV', syscall: 'ioctl' });
});

test('stats: an absurd count is refused before anything is allocated for it', () => {
  const k = fakeKernel([MAX_COUNT + 1]);
  assert.throws(() => readStats(k.call, 'v0'), { code: 'ERR_RTNL_PROTOCOL' });
  assert.equal(k.log.length, 1);
});

test('stats: headroom covers a doubled count, and at least 64', () => {
  assert.equal(headroom(1), 64);
  assert.equal(headroom(500), 500);
});
