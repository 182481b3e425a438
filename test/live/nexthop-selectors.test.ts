// Live: bridge FDB entries through fdb nexthop groups by the CLI (`bridge fdb add ... nhid N`),
// and the nexthop dump selector `master DEV` (and ip's `vrf NAME` words), compared with
// `bridge -j fdb show` and `ip -j nexthop show master`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { rtnl, rtnlIn } from '../cli/helpers.js';
import { ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);

test('bridge fdb add/show/del with nhid, and nexthop show master|vrf, as bridge and ip', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    const run = rtnlIn(ns);
    await nl.links.add({ name: 'br0', kind: 'bridge', up: true });
    await nl.links.add({ name: 'p0', kind: 'veth', peer: { name: 'p1' }, master: 'br0', up: true });
    await nl.links.add({ name: 'nh0', kind: 'veth', peer: { name: 'nh1' }, up: true });
    for (const peer of ['p1', 'nh1']) await nl.links.set(peer, { up: true });
    await nl.addresses.add('nh0', '192.0.2.1/24');
    await nl.links.add({
      name: 'vx0',
      kind: 'vxlan',
      vxlan: { id: 10, port: 4789, local: '192.0.2.1', learning: false },
      up: true,
    });
    await nl.nexthops.add({ id: 1, gateway: '192.0.2.2', fdb: true });
    await nl.nexthops.add({ id: 2, gateway: '192.0.2.3', fdb: true });
    await nl.nexthops.add({ id: 5, group: [{ id: 1 }, { id: 2 }], fdb: true });
    await nl.nexthops.add({ id: 20, dev: 'p0' });
    await nl.nexthops.add({ id: 21, dev: 'nh0' });

    // bridge fdb ... nhid: in through the CLI, out as bridge prints it.
    await run('bridge', 'fdb', 'add', '02:00:00:00:00:05', 'dev', 'vx0', 'nhid', '5', 'self');
    const [entry] = (await nl.neighbours.list({ family: 'bridge', link: 'vx0' })).filter(
      (n) => n.lladdr === '02:00:00:00:00:05',
    );
    assert.equal(entry?.nhid, 5);
    const bridge = (...args: string[]) => execFileSync('bridge', ['-n', ns, ...args], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(await run('-j', 'bridge', 'fdb', 'show')), JSON.parse(bridge('-j', 'fdb', 'show')));
    assert.deepEqual(
      lines(await run('bridge', 'fdb', 'show', 'dev', 'vx0')),
      lines(bridge('fdb', 'show', 'dev', 'vx0')),
    );
    assert.match(await run('bridge', 'fdb', 'show', 'dev', 'vx0'), /02:00:00:00:00:05 nhid 5 self permanent/);
    await run('bridge', 'fdb', 'del', '02:00:00:00:00:05', 'dev', 'vx0', 'nhid', '5', 'self');
    assert.deepEqual(JSON.parse(bridge('-j', 'fdb', 'show', 'dev', 'vx0')), []);

    // master DEV: only nexthops whose device is enslaved to it (a bridge stands in for a VRF).
    const ip = ipJson(ns, 'nexthop', 'show', 'master', 'br0');
    assert.deepEqual(
      ip.map((n: { id: number }) => n.id),
      [20],
    );
    assert.deepEqual(
      (await nl.nexthops.list({ master: 'br0' })).map((n) => n.id),
      [20],
    );
    assert.deepEqual(
      JSON.parse(await run('-j', 'nexthop', 'show', 'master', 'br0')),
      JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'nexthop', 'show', 'master', 'br0'], { encoding: 'utf8' })),
    );
    // vrf NAME: ip's words, and ip's answer when NAME is no VRF.
    const notVrf = await rtnl(['-n', ns, 'nexthop', 'show', 'vrf', 'br0']);
    assert.notEqual(notVrf.status, 0);
    assert.equal(notVrf.stderr.trim(), 'Error: argument "br0" is wrong: Invalid VRF');
    const flush = await rtnl(['-n', ns, 'nexthop', 'flush', 'vrf', 'nosuch']);
    assert.match(flush.stderr, /Invalid VRF/);
    assert.equal((await nl.nexthops.list()).length, 5);

    // Group statistics (Linux 6.10+; iproute2 6.1 cannot show them, the layout follows upstream).
    await run('nexthop', 'add', 'id', '30', 'group', '20/21', 'hw_stats', 'off');
    const g = await nl.nexthops.get(30, { stats: true });
    assert.deepEqual(
      g.groupStats?.map((m) => m.id),
      [20, 21],
    );
    for (const m of g.groupStats ?? []) assert.ok(Number.isInteger(m.packets) && m.packets >= 0);
    assert.deepEqual(g.hwStats, { enabled: false });
    assert.equal((await nl.nexthops.get(30)).groupStats, undefined);
    const hw = (await nl.nexthops.list({ groups: true, stats: 'hw' })).find((n) => n.id === 30);
    for (const m of hw?.groupStats ?? []) assert.equal(typeof m.packetsHw, 'number');
    // NHA_HW_STATS_USED comes only for a group with hw_stats on.
    assert.deepEqual(hw?.hwStats, { enabled: false });
    const [j] = JSON.parse(await run('-s', '-s', '-j', 'nexthop', 'show', 'id', '30'));
    assert.deepEqual(j.group_stats, [
      { id: 20, packets: g.groupStats![0]!.packets, packets_hw: 0 },
      { id: 21, packets: g.groupStats![1]!.packets, packets_hw: 0 },
    ]);
    assert.match(
      await run('-s', 'nexthop', 'show', 'groups'),
      /^id 30 group 20\/21 hw_stats off used off\n {2}stats:\n {4}id 20 packets \d+\n {4}id 21 packets \d+$/m,
    );
  }),
);

test(
  'nexthop encap: ip (collect_md metadata) in through the API and the CLI, out as ip -d prints it; mpls refused by this kernel',
  { skip: needsRoot },
  () =>
    withTestNetns(async (ns, nl) => {
      const run = rtnlIn(ns);
      await nl.links.add({ name: 'nh0', kind: 'veth', peer: { name: 'nh1' }, up: true });
      await nl.links.set('nh1', { up: true });
      await nl.addresses.add('nh0', '192.0.2.1/24');
      const n = await nl.nexthops.add({
        id: 2,
        encap: { type: 'ip', id: 5, dst: '198.51.100.9', ttl: 3 },
        gateway: '192.0.2.2',
        dev: 'nh0',
      });
      assert.deepEqual(n.encap, { type: 'ip', id: 5n, dst: '198.51.100.9', src: '0.0.0.0', ttl: 3, tos: 0, flags: 0 });
      await run(
        'nexthop',
        'add',
        'id',
        '3',
        'encap',
        'ip',
        'id',
        '7',
        'dst',
        '198.51.100.10',
        'tos',
        '16',
        'via',
        '192.0.2.2',
        'dev',
        'nh0',
      );
      await run(
        'nexthop',
        'add',
        'id',
        '4',
        'encap',
        'ip6',
        'id',
        '9',
        'dst',
        '2001:db8::9',
        'hoplimit',
        '5',
        'via',
        '192.0.2.2',
        'dev',
        'nh0',
      );
      assert.deepEqual(
        lines(await run('-d', 'nexthop', 'show')),
        lines(execFileSync('ip', ['-n', ns, '-d', 'nexthop', 'show'], { encoding: 'utf8' })),
      );
      assert.deepEqual((await nl.nexthops.get(4)).encap, {
        type: 'ip6',
        id: 9n,
        dst: '2001:db8::9',
        src: '::',
        hoplimit: 5,
        tc: 0,
        flags: 0,
      });
      // Routes take the same encapsulation (RTA_ENCAP, one codec with NHA_ENCAP).
      await nl.routes.add({
        dst: '203.0.113.0/24',
        encap: { type: 'ip', id: 6, dst: '198.51.100.11' },
        gateway: '192.0.2.2',
        dev: 'nh0',
      });
      const [route] = (await nl.routes.list({ family: 4 })).filter((r) => r.dst === '203.0.113.0/24');
      assert.deepEqual(route?.encap, {
        type: 'ip',
        id: 6n,
        dst: '198.51.100.11',
        src: '0.0.0.0',
        ttl: 0,
        tos: 0,
        flags: 0,
      });
      assert.match(
        execFileSync('ip', ['-n', ns, 'route', 'show', '203.0.113.0/24'], { encoding: 'utf8' }),
        /encap ip id 6 src 0\.0\.0\.0 dst 198\.51\.100\.11 ttl 0 tos 0 via 192\.0\.2\.2/,
      );
      // No MPLS in this kernel: the kernel's own refusal comes back.
      await assert.rejects(
        nl.nexthops.add({ id: 5, encap: { type: 'mpls', labels: [100, 200] }, gateway: '192.0.2.2', dev: 'nh0' }),
        (e: Error & { code?: string }) => e.code === 'EOPNOTSUPP',
      );
    }),
);
