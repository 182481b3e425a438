// Live (root): link operations in fresh namespaces, each cross-checked with `ip -j -d`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, test } from 'node:test';
import { NetlinkError, ValidationError, type LinkAddOptions } from '../../src/index.js';
import { netnsInode } from '../../src/ffi/netns.js';
import { ipJson, kernelHasKind, needsRoot, withTestNetns, withTestNetnses } from '../helpers/netns.js';

const show = (ns: string, dev: string) => ipJson(ns, 'link', 'show', 'dev', dev)[0];

describe('links', { skip: needsRoot }, () => {
  test('list and get agree with ip -j -d; a missing link is ENODEV', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, mtu: 1400, address: '02:00:00:00:00:0a' });
      const ip = ipJson(ns, 'link', 'show');
      const links = await nl.links.list();
      assert.deepEqual(
        links.map((l) => [l.index, l.name]),
        ip.map((l: any) => [l.ifindex, l.ifname]),
      );
      for (const l of links) {
        const j = ip.find((x: any) => x.ifindex === l.index);
        assert.equal(l.mtu, j.mtu);
        assert.deepEqual(
          l.flags,
          j.flags.filter((f: string) => f !== 'M-DOWN'),
        ); // M-DOWN is ip's note on the peer, not an IFF flag
        assert.equal(l.operstate, j.operstate);
        assert.equal(l.kind, j.linkinfo?.info_kind);
      }
      const v0 = await nl.links.get('v0');
      assert.equal(v0.address, '02:00:00:00:00:0a');
      assert.equal((await nl.links.get(v0.index)).name, 'v0');
      const err = await nl.links.get('nosuch0').catch((e) => e);
      assert.ok(err instanceof NetlinkError);
      assert.equal(err.code, 'ENODEV');
      assert.equal((await nl.links.list({ kind: 'veth' })).length, 2);
    });
  });

  test('add bridge (STP off), macvlan, vxlan, ifb; each as ip sees it', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0, forwardDelay: 400 } });
      assert.equal(show(ns, 'br0').linkinfo.info_data.stp_state, 0);
      assert.equal(show(ns, 'br0').linkinfo.info_data.forward_delay, 400);
      await nl.links.add({ name: 'up0', kind: 'veth', peer: { name: 'up1' } });
      await nl.links.add({ name: 'mv0', kind: 'macvlan', link: 'up0', macvlan: { mode: 'bridge' } });
      assert.equal(show(ns, 'mv0').linkinfo.info_data.mode, 'bridge');
      await nl.links.add({
        name: 'vx0',
        kind: 'vxlan',
        vxlan: { id: 42, port: 4789, local: '192.0.2.1', remote: '192.0.2.2', dev: 'up0', ttl: 16, learning: false },
      });
      const vx = show(ns, 'vx0').linkinfo.info_data;
      assert.deepEqual(
        [vx.id, vx.port, vx.local, vx.remote, vx.ttl, vx.learning],
        [42, 4789, '192.0.2.1', '192.0.2.2', 16, false],
      );
      await nl.links.add({ name: 'ifb9', kind: 'ifb' });
      assert.equal(show(ns, 'ifb9').linkinfo.info_kind, 'ifb');
    });
  });

  test('kinds this kernel lacks still build the request; the refusal is a clean NetlinkError', async (t) => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'low0', kind: 'veth', peer: { name: 'low1' } });
      const specs: LinkAddOptions[] = [
        { name: 'd0', kind: 'dummy' },
        { name: 'vl0', kind: 'vlan', link: 'low0', vlan: { id: 5, protocol: '802.1Q' as const } },
        { name: 'bo0', kind: 'bond', bond: { mode: 'active-backup' as const } },
        { name: 'vr0', kind: 'vrf', vrf: { table: 10 } },
      ];
      for (const spec of specs) {
        if (await kernelHasKind(spec.kind)) {
          t.diagnostic(`${spec.kind} exists on this kernel: created it`);
          await nl.links.add(spec);
          assert.equal((await nl.links.get(spec.name)).kind, spec.kind);
          continue;
        }
        const err = await nl.links.add(spec).catch((e) => e);
        assert.ok(err instanceof NetlinkError, `${spec.kind}: ${err}`);
        assert.equal(err.code, 'EOPNOTSUPP');
        assert.match(err.message, /Unknown device type/);
      }
    });
  });

  test('set: up/down, mtu, name, address, alias, txqlen, master and nomaster, STP after creation', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0 } });
      await nl.links.add({ name: 'a0', kind: 'veth', peer: { name: 'a1' } });
      await nl.links.set('a0', {
        up: true,
        mtu: 1300,
        address: '02:00:00:00:00:01',
        alias: 'uplink',
        txqlen: 500,
        master: 'br0',
      });
      let j = show(ns, 'a0');
      assert.ok(j.flags.includes('UP'));
      assert.deepEqual(
        [j.mtu, j.address, j.ifalias, j.txqlen, j.master],
        [1300, '02:00:00:00:00:01', 'uplink', 500, 'br0'],
      );
      await nl.links.set('a0', { up: false, master: null, alias: '', name: 'renamed0' });
      j = show(ns, 'renamed0');
      assert.ok(!j.flags.includes('UP'));
      assert.equal(j.master, undefined);
      assert.equal(j.ifalias, undefined);
      await nl.links.set('br0', { bridge: { stpState: 1 } });
      assert.equal(show(ns, 'br0').linkinfo.info_data.stp_state, 1);
      await nl.links.set('br0', { bridge: { stpState: 0 } });
      assert.equal(show(ns, 'br0').linkinfo.info_data.stp_state, 0);
      await assert.rejects(nl.links.set('br0', { vxlan: { id: 1 } }), ValidationError);
    });
  });

  test('delete with ifExists; a delete request carries neither NLM_F_CREATE nor NLM_F_EXCL', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'x0', kind: 'veth', peer: { name: 'x1' } });
      const sent: number[] = [];
      const orig = nl.engine.request.bind(nl.engine);
      nl.engine.request = (msg, flags = 0) => {
        if (msg.type === 'RTM_DELLINK') sent.push(flags);
        return orig(msg, flags);
      };
      assert.equal(await nl.links.delete('x0'), true);
      assert.equal(await nl.links.delete('x0', { ifExists: true }), false);
      assert.equal((await nl.links.delete('x0').catch((e) => e)).code, 'ENODEV');
      assert.deepEqual(
        sent.map((f) => f & 0x600),
        [0, 0, 0],
      );
      assert.deepEqual(
        ipJson(ns, 'link', 'show').map((l: any) => l.ifname),
        ['lo'],
      );
    });
  });

  test("idempotent create: exist 'ok' returns the existing link of the same kind, and not of another", async () => {
    await withTestNetns(async (_ns, nl) => {
      const a = await nl.links.add({ name: 'br0', kind: 'bridge', exist: 'ok' });
      const b = await nl.links.add({ name: 'br0', kind: 'bridge', exist: 'ok' });
      assert.equal(a.index, b.index);
      assert.equal((await nl.links.add({ name: 'br0', kind: 'bridge' }).catch((e) => e)).code, 'EEXIST');
      assert.equal((await nl.links.add({ name: 'br0', kind: 'ifb', exist: 'ok' }).catch((e) => e)).code, 'EEXIST');
    });
  });

  test('move into another namespace and rename, atomically, by name, path, fd and pid', async () => {
    await withTestNetnses(2, async ([a, b], [na, nb]) => {
      const child = spawn('ip', ['netns', 'exec', b!, 'sleep', '30'], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 100 && netnsInode({ pid: child.pid! }) !== netnsInode(b!); i++)
          await new Promise((r) => setTimeout(r, 20));
        const fd = openSync(`/run/netns/${b}`, 'r');
        try {
          const targets = [b!, { path: `/run/netns/${b}` }, { fd }, { pid: child.pid! }];
          for (const [i, target] of targets.entries()) {
            await na!.links.add({ name: `m${i}`, kind: 'veth', peer: { name: `p${i}` } });
            await na!.links.set(`m${i}`, { netns: target, name: `eth${i}` });
            assert.ok(!(await na!.links.exists(`m${i}`)));
            assert.equal((await nb!.links.get(`eth${i}`)).kind, 'veth', JSON.stringify(target));
          }
        } finally {
          closeSync(fd);
        }
      } finally {
        child.kill();
      }
      // The peer of each moved link is still in `a`, pointing at `b` by nsid.
      const p0 = ipJson(a!, 'link', 'show', 'dev', 'p0')[0];
      assert.equal(typeof p0.link_netnsid, 'number');
    });
  });

  test('a veth peer can be created directly inside another namespace', async () => {
    await withTestNetnses(2, async ([, b], [na, nb]) => {
      await na!.links.add({ name: 'host0', kind: 'veth', peer: { name: 'ctr0', netns: b! } });
      assert.ok(await na!.links.exists('host0'));
      assert.ok(!(await na!.links.exists('ctr0')));
      assert.equal((await nb!.links.get('ctr0')).kind, 'veth');
    });
  });

  test('invalid names are refused before anything is sent, naming the field', async () => {
    await withTestNetns(async (_ns, nl) => {
      for (const name of ['', 'a'.repeat(16), 'a/b', 'a b', '.', '..', 'x:y']) {
        const err = await nl.links.add({ name, kind: 'veth' }).catch((e) => e);
        assert.ok(err instanceof ValidationError, `${JSON.stringify(name)}: ${err}`);
        assert.equal(err.field, 'link.name');
      }
    });
  });
});

describe('links in other namespaces', { skip: needsRoot }, () => {
  test('add with netns creates the link there and returns it as read from there', async () => {
    await withTestNetnses(2, async ([, b], [na, nb]) => {
      const made = await na!.links.add({ name: 'far0', kind: 'bridge', netns: b! });
      const there = await nb!.links.get('far0');
      assert.equal(made.index, there.index);
      assert.equal(made.kind, 'bridge');
      assert.ok(!(await na!.links.exists('far0')));
    });
  });
});
