// Live (root): the socket profile, namespaces, pipelining and the event-loop design, each in
// fresh namespaces, never touching the host's.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFile, readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { netns, NetlinkError, Rtnl } from '../../src/index.js';
import { RTNLGRP_LINK } from '../../src/codec/constants/index.js';
import { currentNetnsInode, netnsInode } from '../../src/ffi/netns.js';
import { NetlinkSocket, TruncatedError } from '../../src/ffi/socket.js';
import { poller } from '../../src/ffi/poller.js';
import { ip, ipJson, needsRoot, openFds, testNsName, withTestNetns } from '../helpers/netns.js';

const threads = async () => (await readdir('/proc/self/task')).length;

describe('socket profile', { skip: needsRoot }, () => {
  test('the kernel confirms EXT_ACK, CAP_ACK, GET_STRICT_CHK and a 1 MiB receive buffer', () => {
    const s = NetlinkSocket.open();
    try {
      assert.deepEqual(
        { ...s.profile, rcvbuf: undefined },
        { extAck: true, capAck: true, strict: true, rcvbuf: undefined },
      );
      assert.ok(s.profile.rcvbuf >= 1 << 20, `rcvbuf ${s.profile.rcvbuf}`);
      assert.ok(s.port > 0, 'kernel-assigned port read back');
    } finally {
      s.close();
    }
  });

  test('an extended-ACK error carries the kernel text and the attribute path in our request', async () => {
    await withTestNetns(async (_ns, nl) => {
      // vxlan refuses a VNI of 2^24 with NL_SET_ERR_MSG_ATTR, which points OFFS at IFLA_VXLAN_ID.
      const err = await nl.engine
        .request(
          {
            type: 'RTM_NEWLINK',
            header: {} as never,
            body: {},
            attrs: { ifname: 'vx0', linkinfo: { kind: 'vxlan', data: { id: 1 << 24 } } },
          },
          0x600,
        )
        .catch((e) => e);
      assert.ok(err instanceof NetlinkError, String(err));
      assert.equal(err.code, 'ERANGE');
      assert.match(err.extack.msg ?? '', /VXLAN ID/i);
      assert.equal(err.attrPath, 'linkinfo.data.id');
    });
  });

  test('a datagram larger than the allowed size is reported as truncated, never silently cut', async () => {
    await withTestNetns(async (ns) => {
      const s = netns.runSync(ns, () => NetlinkSocket.open({ maxDatagram: 64 }));
      try {
        const req = new Uint8Array(32);
        const v = new DataView(req.buffer);
        v.setUint32(0, 32, true);
        v.setUint16(4, 18, true); // RTM_GETLINK
        v.setUint16(6, 0x301, true); // REQUEST|DUMP
        s.send(req);
        assert.throws(() => s.recv(), TruncatedError);
      } finally {
        s.close();
      }
    });
  });
});

describe('namespaces', { skip: needsRoot }, () => {
  test('a client opened by name, path, pid and fd sees only that namespace', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'only-here', kind: 'veth', peer: { name: 'only-peer' } });
      const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '30'], { stdio: 'ignore' });
      try {
        // `ip netns exec` execs sleep in the namespace; wait until the pid's namespace is the target.
        for (let i = 0; i < 100 && netnsInode({ pid: child.pid! }) !== netnsInode(ns); i++)
          await new Promise((r) => setTimeout(r, 20));
        const fd = (await import('node:fs')).openSync(`/run/netns/${ns}`, 'r');
        try {
          for (const spec of [ns, { name: ns }, { path: `/run/netns/${ns}` }, { pid: child.pid! }, { fd }]) {
            const c = await Rtnl.open({ netns: spec });
            try {
              const names = (await c.links.list()).map((l) => l.name).sort();
              assert.deepEqual(names, ['lo', 'only-here', 'only-peer'], JSON.stringify(spec));
            } finally {
              await c.close();
            }
          }
        } finally {
          (await import('node:fs')).closeSync(fd);
        }
      } finally {
        child.kill();
      }
      assert.equal(
        await Rtnl.open().then(async (h) => {
          try {
            return await h.links.exists('only-here');
          } finally {
            await h.close();
          }
        }),
        false,
      );
    });
  });

  test('the thread is back in its namespace after every switch, even when the work throws', async () => {
    const before = currentNetnsInode();
    await withTestNetns(async (ns) => {
      assert.throws(
        () =>
          netns.runSync(ns, () => {
            throw new Error('boom');
          }),
        /boom/,
      );
      assert.equal(currentNetnsInode(), before);
      const inside = netns.runSync(ns, () => currentNetnsInode());
      assert.equal(inside, netnsInode(ns));
      assert.notEqual(inside, before);
      await assert.rejects(Rtnl.open({ netns: 'rtnl-no-such-ns' }), /ENOENT/);
      assert.equal(currentNetnsInode(), before);
    });
    assert.equal(currentNetnsInode(), before);
  });

  test('ip netns sees namespaces rtnl creates, and rtnl sees those ip creates', async () => {
    const a = testNsName('a');
    const b = testNsName('b');
    await netns.create(a);
    try {
      assert.ok(ip('netns', 'list').includes(a));
      assert.deepEqual(
        ipJson(a, 'link', 'show').map((l: any) => l.ifname),
        ['lo'],
      );
      ip('netns', 'add', b);
      try {
        assert.ok((await netns.list()).includes(b));
        assert.ok(await netns.exists(b));
        const c = await Rtnl.open({ netns: b });
        await c.links.add({ name: 'made-by-rtnl', kind: 'veth', peer: { name: 'p' } });
        await c.close();
        assert.ok(ipJson(b, 'link', 'show').some((l: any) => l.ifname === 'made-by-rtnl'));
        await assert.rejects(netns.create(a), /already exists/);
      } finally {
        await netns.delete(b);
      }
      assert.ok(!ip('netns', 'list').includes(b));
    } finally {
      await netns.delete(a, { ifExists: true });
    }
    assert.ok(!ip('netns', 'list').includes(a));
    assert.equal(await netns.delete(a, { ifExists: true }), false);
  });
});

describe('engine', { skip: needsRoot }, () => {
  test('1,000 pipelined requests all resolve with their own replies', async () => {
    await withTestNetns(async (_ns, nl) => {
      for (let i = 0; i < 10; i++) await nl.links.add({ name: `p${i}`, kind: 'veth', peer: { name: `q${i}` } });
      const links = await nl.links.list();
      const asked = Array.from({ length: 1000 }, (_, i) => links[i % links.length]!);
      const got = await Promise.all(asked.map((l) => nl.links.get(l.index)));
      got.forEach((g, i) => {
        assert.equal(g.index, asked[i]!.index);
        assert.equal(g.name, asked[i]!.name);
      });
    });
  });

  test('10,000 client open/close cycles leak no fd', async () => {
    await (await Rtnl.open()).close(); // warm up lazy state first
    const before = openFds();
    for (let i = 0; i < 10_000; i++) {
      const c = await Rtnl.open();
      await c.close();
    }
    assert.equal(openFds(), before);
  });

  test('a client dropped without close() is released by the garbage collector', () => {
    const script = `
      const { Rtnl } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
      const { readdirSync } = await import('node:fs');
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      for (let i = 0; i < 50; i++) await Rtnl.open();
      const opened = fds();
      for (let i = 0; i < 5; i++) { global.gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log(JSON.stringify({ before, opened, after: fds() }));`;
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const { before, opened, after } = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.ok(opened >= before + 50, `opened ${opened} before ${before}`);
    assert.ok(after <= before + 1, `after gc ${after}, before ${before}`);
  });
});

describe('event loop', { skip: needsRoot }, () => {
  test('16 idle waiting sockets hold no threadpool thread: fs and dns stay prompt', async () => {
    const socks = Array.from({ length: 16 }, () => NetlinkSocket.open({ groups: [RTNLGRP_LINK] }));
    const ac = new AbortController();
    const waits = socks.map((s) => s.waitReadable(ac.signal).catch(() => 'aborted'));
    try {
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      // More parallel fs and dns work than the default pool (4 threads) could serve if we held it.
      await Promise.all([
        ...Array.from({ length: 32 }, () => readFile('/proc/self/status')),
        ...Array.from({ length: 8 }, () => lookup('localhost')),
      ]);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `fs and dns took ${ms} ms`);
      assert.ok(poller.running);
    } finally {
      const t1 = performance.now();
      ac.abort();
      assert.deepEqual(await Promise.all(waits), Array(16).fill('aborted'));
      assert.ok(performance.now() - t1 < 100, 'abort ends the waits promptly');
      for (const s of socks) s.close();
    }
  });

  test('any number of waiting sockets costs one poller thread', async () => {
    const socks = [NetlinkSocket.open({ groups: [RTNLGRP_LINK] })];
    const ac = new AbortController();
    const first = socks[0]!.waitReadable(ac.signal).catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    const base = await threads();
    for (let i = 0; i < 63; i++) socks.push(NetlinkSocket.open({ groups: [RTNLGRP_LINK] }));
    const waits = socks.slice(1).map((s) => s.waitReadable(ac.signal).catch(() => {}));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await threads(), base, '63 more waiting sockets added threads');
    ac.abort();
    await Promise.all([first, ...waits]);
    for (const s of socks) s.close();
  });

  test('close() ends a pending wait promptly', async () => {
    const s = NetlinkSocket.open({ groups: [RTNLGRP_LINK] });
    const w = s.waitReadable();
    const t0 = performance.now();
    s.close();
    await assert.rejects(w, /closed/);
    assert.ok(performance.now() - t0 < 100);
  });
});
