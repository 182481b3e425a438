// Live (root): tun/tap devices made by ioctl in fresh namespaces, cross-checked with `ip -d -j`.
import assert from 'node:assert/strict';
import { readdirSync, writeSync } from 'node:fs';
import { describe, test } from 'node:test';
import { linkJson, namesFrom } from '../../src/cli/format.js';
import { faults } from '../../src/ffi/libc.js';
import { RtnlError, ValidationError } from '../../src/index.js';
import { ipJson, needsRoot, withTestNetns, withTestNetnses } from '../helpers/netns.js';

const show = (ns: string, dev: string) => ipJson(ns, 'link', 'show', 'dev', dev)[0];
const fdCount = () => readdirSync('/proc/self/fd').length;
const tunNames = (ns: string) =>
  ipJson(ns, 'link', 'show')
    .filter((l: any) => l.linkinfo?.info_kind === 'tun')
    .map((l: any) => l.ifname);

/** Run fn and check that it leaves the process's fd count and the namespace's tun devices as they were. */
async function leavesNothing(ns: string, fn: () => Promise<unknown>): Promise<unknown> {
  const fds = fdCount();
  const devices = tunNames(ns);
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.equal(fdCount(), fds, 'an fd was left open');
  assert.deepEqual(tunNames(ns), devices, 'a device was left behind');
  return err;
}

describe('tun/tap', { skip: needsRoot }, () => {
  test('each variant, with the usual link options, matches ip -d -j link show', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ kind: 'bridge', name: 'br0' });
      await nl.links.add({ kind: 'tap', name: 't0' });
      await nl.links.add({ kind: 'tun', name: 't1', tuntap: { pi: true } });
      await nl.links.add({ kind: 'tap', name: 't2', tuntap: { vnetHdr: true, multiQueue: true } });
      await nl.links.add({
        kind: 'tap',
        name: 't3',
        mtu: 1400,
        address: '02:00:00:00:00:33',
        master: 'br0',
        up: true,
        tuntap: { vnetHdr: true, owner: 'daemon', group: 2 },
      });
      await nl.links.add({ kind: 'tun', name: 't4', tuntap: { owner: 4242, group: 4343 } });
      // t3 came up while its creating fd was attached (carrier on); linkwatch takes the carrier
      // down after that fd closed, asynchronously. Wait for it before comparing flags.
      for (let i = 0; (await nl.links.get('t3')).operstate !== 'DOWN'; i++) {
        assert.ok(i < 300, 't3 operstate never went DOWN');
        await new Promise((r) => setTimeout(r, 10));
      }
      const all = await nl.links.list();
      const names = namesFrom(all);
      for (const dev of ['t0', 't1', 't2', 't3', 't4']) {
        const ours = linkJson(all.find((l) => l.name === dev)!, names, { details: 1, linkCommand: true }) as any;
        const ip = show(ns, dev);
        assert.equal(ours.linkinfo.info_kind, ip.linkinfo.info_kind, dev);
        assert.deepEqual(ours.linkinfo.info_data, ip.linkinfo.info_data, dev);
        for (const k of ['mtu', 'address', 'master', 'flags', 'ifindex'])
          assert.deepEqual(ours[k], ip[k], `${dev} ${k}`);
      }
      const t3 = show(ns, 't3');
      assert.equal(t3.master, 'br0');
      assert.equal(t3.mtu, 1400);
      assert.ok(t3.flags.includes('UP'));
      assert.deepEqual(show(ns, 't4').linkinfo.info_data.user, 4242);
      // Listed as ip tuntap lists them.
      const list = await nl.tuntap.list();
      assert.deepEqual(
        list.map((l) => [l.name, l.tuntap.kind, l.tuntap.pi, l.tuntap.vnetHdr, l.tuntap.multiQueue, l.tuntap.persist]),
        [
          ['t0', 'tap', false, false, false, true],
          ['t1', 'tun', true, false, false, true],
          ['t2', 'tap', false, true, true, true],
          ['t3', 'tap', false, true, false, true],
          ['t4', 'tun', false, false, false, true],
        ],
      );
      // Delete, rename and the kind check of tuntap.delete.
      await nl.links.set('t0', { name: 't0new' });
      assert.equal(show(ns, 't0new').linkinfo.info_kind, 'tun');
      await assert.rejects(nl.tuntap.delete('br0'), /"br0" is a bridge link, not a tun or tap/);
      await assert.rejects(nl.tuntap.delete('t1', { kind: 'tap' }), /"t1" is a tun, not a tap/);
      assert.equal(await nl.tuntap.delete('t1', { kind: 'tun' }), true);
      assert.equal(await nl.links.delete('t0new'), true);
      assert.equal(await nl.tuntap.delete('t1', { ifExists: true }), false);
      assert.deepEqual(tunNames(ns), ['t2', 't3', 't4']);
    });
  });

  test('the device lands in the client namespace, or directly in `netns`', async () => {
    await withTestNetnses(2, async ([a, b], [nla]) => {
      await nla!.links.add({ kind: 'tap', name: 'here0' });
      assert.deepEqual(tunNames(a!), ['here0']);
      await nla!.links.add({ kind: 'bridge', name: 'brb', netns: b! });
      const link = await nla!.links.add({ kind: 'tap', name: 'there0', netns: b!, master: 'brb', up: true });
      assert.equal(link.name, 'there0');
      assert.deepEqual(tunNames(a!), ['here0']);
      assert.deepEqual(tunNames(b!), ['there0']);
      assert.equal(show(b!, 'there0').master, 'brb');
      // Moved and renamed like any link, in one request; it keeps its tun settings.
      await nla!.links.set('here0', { netns: b!, name: 'moved0' });
      assert.deepEqual(tunNames(a!), []);
      assert.deepEqual(tunNames(b!), ['there0', 'moved0']);
      assert.equal(show(b!, 'moved0').linkinfo.info_data.persist, true);
    });
  });

  test('queue fds: a frame written into a queue moves the tap counters; fds close off the event loop', async () => {
    await withTestNetns(async (ns, nl) => {
      const fds = fdCount();
      const dev = await nl.tuntap.add({ kind: 'tap', name: 'vm0', queues: 2, up: true, tuntap: { multiQueue: true } });
      assert.equal(dev.fds.length, 2);
      assert.equal(fdCount(), fds + 2);
      const before = show(ns, 'vm0');
      assert.equal(before.linkinfo.info_data.numqueues, 2);
      assert.equal(before.linkinfo.info_data.persist, false);
      const rx0 = ipJson(ns, '-s', 'link', 'show', 'dev', 'vm0')[0].stats64.rx;
      // One broadcast Ethernet frame, local experimental EtherType 0x88b5: it enters vm0 and stops there.
      const frame = Buffer.alloc(60);
      frame.fill(0xff, 0, 6);
      Buffer.from([0x02, 0, 0, 0, 0, 0x99, 0x88, 0xb5]).copy(frame, 6);
      assert.equal(writeSync(dev.fds[1]!, frame), 60);
      const rx1 = ipJson(ns, '-s', 'link', 'show', 'dev', 'vm0')[0].stats64.rx;
      assert.equal(rx1.packets, rx0.packets + 1);
      assert.equal(rx1.bytes, rx0.bytes + 60);
      const ours = await nl.links.get('vm0');
      assert.equal(Number(ours.attrs.stats64!.rxPackets), rx1.packets);
      // Not persistent: closing its fds destroys it, ~16 ms or more inside close(), on pool threads.
      const t0 = performance.now();
      const closing = dev.close();
      const blocked = performance.now() - t0;
      await closing;
      const total = performance.now() - t0;
      assert.ok(blocked < total / 2, `close() held the event loop ${blocked.toFixed(1)} of ${total.toFixed(1)} ms`);
      assert.equal(dev.closed, true);
      assert.equal(fdCount(), fds);
      assert.deepEqual(tunNames(ns), []);
    });
  });

  test('persistence: a persistent device stays after its fds close; open() attaches with its flags', async () => {
    await withTestNetns(async (ns, nl) => {
      const fds = fdCount();
      const dev = await nl.tuntap.add({ kind: 'tap', name: 'p0', queues: 1, tuntap: { persist: true, vnetHdr: true } });
      await dev.close();
      await dev.close(); // idempotent
      assert.equal(fdCount(), fds);
      assert.equal(show(ns, 'p0').linkinfo.info_data.persist, true);
      // Reopen with the device's own flags, as a VMM would.
      const q = await nl.tuntap.open('p0');
      assert.equal(q.fds.length, 1);
      assert.equal(show(ns, 'p0').linkinfo.info_data.vnet_hdr, true);
      await q.close();
      // Other flags only with reconfigure, and then for every user of the device.
      const r = await nl.tuntap.open('p0', { vnetHdr: false, reconfigure: true });
      assert.equal(show(ns, 'p0').linkinfo.info_data.vnet_hdr, false);
      await r.close();
      assert.equal(fdCount(), fds);
      assert.deepEqual(tunNames(ns), ['p0']);
      // A device that is neither persistent nor kept open would vanish at once: refused.
      await assert.rejects(
        nl.links.add({ kind: 'tap', name: 'p1', tuntap: { persist: false } }),
        (e: unknown) => e instanceof ValidationError && e.field === 'link.tuntap.persist',
      );
    });
  });

  test('conflicts and bad input fail clearly and leave no device and no fd behind', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ kind: 'tap', name: 'sq0', tuntap: { vnetHdr: true } });
      await nl.links.add({ kind: 'tap', name: 'mq0', tuntap: { multiQueue: true } });
      await nl.links.add({ kind: 'bridge', name: 'br0' });
      // Resolving a name opens the client's SIOCGIFINDEX socket, which lives as long as the client:
      // open it before counting fds.
      await nl.addresses.list({ link: 'br0' });
      const expect = async (fn: () => Promise<unknown>, re: RegExp, code?: string) => {
        const err = (await leavesNothing(ns, fn)) as RtnlError;
        assert.ok(err, `expected ${re}`);
        assert.match(err.message, re);
        if (code) assert.equal(err.code, code);
      };
      await expect(() => nl.links.add({ kind: 'tap', name: 'sixteen-chars-xx' }), /link\.name: must be 1 to 15 bytes/);
      await expect(
        () => nl.links.add({ kind: 'tap', name: 'x0', tuntap: { owner: 'no-such-user-here' } }),
        /link\.tuntap\.owner: no user named "no-such-user-here"/,
      );
      await expect(
        () => nl.links.add({ kind: 'tap', name: 'x0', tuntap: { group: 'no-such-group-here' } }),
        /link\.tuntap\.group: no group named/,
      );
      await expect(
        () => nl.links.add({ kind: 'tap', name: 'sq0' }),
        /cannot create tap "sq0": a link of that name already exists/,
        'EEXIST',
      );
      await expect(
        () => nl.links.add({ kind: 'tun', name: 'br0' }),
        /cannot create tun "br0": a link of that name already exists/,
        'EEXIST',
      );
      // exist: 'ok' accepts only the tap these options would make (the plugin's matches()).
      await expect(() => nl.links.add({ kind: 'tap', name: 'sq0', exist: 'ok' }), /already exists/, 'EEXIST');
      await expect(
        () => nl.links.add({ kind: 'tun', name: 'sq0', exist: 'ok', tuntap: { vnetHdr: true } }),
        /already exists/,
        'EEXIST',
      );
      // nl.tuntap.add (the queues path) says what differs.
      await expect(
        () => nl.tuntap.add({ kind: 'tap', name: 'sq0', exist: 'ok', queues: 0 } as never),
        /tap "sq0" exists with other flags: vnet_hdr off \(it is on\)/,
      );
      assert.equal(
        (await nl.links.add({ kind: 'tap', name: 'sq0', exist: 'ok', tuntap: { vnetHdr: true } })).name,
        'sq0',
      );
      // A failure after the device was made (an unknown master) removes it again.
      await expect(() => nl.links.add({ kind: 'tap', name: 'x1', master: 'nosuch0' }), /ENODEV|No such device/);
      // Queues of an existing device: other type or queue mode, or other flags without reconfigure.
      await expect(() => nl.tuntap.open('sq0', { kind: 'tun' }), /it is a tap, not a tun/, 'EINVAL');
      await expect(() => nl.tuntap.open('sq0', { multiQueue: true }), /multi_queue on \(it is off\)/, 'EINVAL');
      await expect(
        () => nl.tuntap.open('sq0', { vnetHdr: false }),
        /"sq0" with vnet_hdr off \(it is on\).*every user/,
        'EINVAL',
      );
      await expect(() => nl.tuntap.open('sq0', { queues: 2 }), /single-queue/, 'EINVAL');
      await expect(() => nl.tuntap.open('br0'), /"br0" is a bridge link/, 'EINVAL');
      const q = await nl.tuntap.open('sq0');
      await expect(() => nl.tuntap.open('sq0'), /"sq0" is busy: a single-queue device takes one fd/, 'EBUSY');
      await q.close();
      // A multi-queue open that fails part-way (the fault on its third TUNSETIFF) closes what it opened.
      let calls = 0;
      faults.before = (s) => {
        if (s === 'ioctl' && ++calls === 3) throw new RtnlError('injected', 'EFAULT');
      };
      try {
        await expect(() => nl.tuntap.open('mq0', { queues: 4 }), /injected/);
        // Creation failing at TUNSETPERSIST, after TUNSETIFF made the device.
        calls = 0;
        faults.before = (s) => {
          if (s === 'ioctl' && ++calls === 2) throw new RtnlError('injected', 'EFAULT');
        };
        await expect(() => nl.links.add({ kind: 'tap', name: 'x2' }), /injected/);
      } finally {
        faults.before = undefined;
      }
      assert.equal(show(ns, 'mq0').linkinfo.info_data.numqueues, 0);
      assert.deepEqual(tunNames(ns), ['sq0', 'mq0']);
    });
  });
});
