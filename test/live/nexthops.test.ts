// Live nexthop tests: each runs in its own namespace and compares with `ip -j -d -n NS nexthop`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { nexthopBucketJson, nexthopJson } from '../../src/cli/format-nexthop.js';
import { namesFrom } from '../../src/cli/format-util.js';
import { NetlinkError, ValidationError, type MonitorEvent, type Rtnl } from '../../src/index.js';
import { rtnlIn } from '../cli/helpers.js';
import { ip, ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

/** lo and a veth pair up, 192.0.2.1/24 and 2001:db8::1/64 on nh0. */
async function setup(ns: string, nl: Rtnl): Promise<void> {
  await nl.links.set('lo', { up: true });
  await nl.links.add({ name: 'nh0', kind: 'veth', peer: { name: 'nh1' } });
  await nl.links.set('nh0', { up: true });
  await nl.links.set('nh1', { up: true });
  await nl.addresses.add('nh0', '192.0.2.1/24');
  ip('-n', ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'nh0', 'nodad');
}

async function ours(nl: Rtnl, details = 1) {
  const names = namesFrom(await nl.links.list());
  return (await nl.nexthops.list()).map((n) => nexthopJson(n, names, { details }));
}

test('nexthops of every shape: add, list and get match ip -j -d nexthop', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await setup(ns, nl);
    await nl.nexthops.add({ id: 1, gateway: '192.0.2.2', dev: 'nh0' });
    await nl.nexthops.add({ id: 2, gateway: '2001:db8::2', dev: 'nh0', protocol: 'static' });
    await nl.nexthops.add({ id: 3, dev: 'nh0' });
    await nl.nexthops.add({ id: 4, blackhole: true });
    await nl.nexthops.add({ id: 5, gateway: '198.51.100.1', dev: 'nh0', onlink: true });
    await nl.nexthops.add({ id: 6, gateway: '192.0.2.3', fdb: true });
    await nl.nexthops.add({ id: 7, gateway: '192.0.2.5', fdb: true });
    const g = await nl.nexthops.add({
      id: 10,
      group: [
        { id: 1, weight: 10 },
        { id: 3, weight: 200 },
      ],
    });
    assert.deepEqual(g.group, [
      { id: 1, weight: 10 },
      { id: 3, weight: 200 },
    ]);
    const r = await nl.nexthops.add({
      id: 11,
      group: [{ id: 1 }, { id: 3 }],
      type: 'resilient',
      resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 30 },
    });
    assert.deepEqual(r.resilient, { buckets: 8, idleTimer: 60, unbalancedTimer: 30, unbalancedTime: 0 });
    await nl.nexthops.add({ id: 12, group: [{ id: 6 }, { id: 7 }], fdb: true });
    // No id: the kernel picks one, and add() reports it (NLM_F_ECHO).
    const auto = await nl.nexthops.add({ gateway: '192.0.2.9', dev: 'nh0' });
    assert.ok(auto.id > 0);

    assert.deepEqual(await ours(nl), ipJson(ns, 'nexthop', 'show'));
    const names = namesFrom(await nl.links.list());
    assert.deepEqual(
      [nexthopJson(await nl.nexthops.get(11), names, { details: 1 })],
      ipJson(ns, 'nexthop', 'get', 'id', '11'),
    );
    // Kernel-side filters.
    const pick = (l: { id: number }[]) => l.map((n) => n.id);
    assert.deepEqual(pick(await nl.nexthops.list({ groups: true })), [10, 11, 12]);
    assert.deepEqual(pick(await nl.nexthops.list({ fdb: true })), [6, 7, 12]);
    assert.deepEqual(pick(await nl.nexthops.list({ dev: 'nh0' })), [1, 2, 3, 5, auto.id]);
    assert.deepEqual(pick(await nl.nexthops.list({ protocol: 'static' })), [2]);

    // Buckets of the resilient group (idle times move between two reads).
    const idle = (l: any[]) => l.map((b) => ({ ...b, bucket: { ...b.bucket, idle_time: 0 } }));
    const buckets = await nl.nexthops.buckets({ id: 11 });
    assert.equal(buckets.length, 8);
    assert.deepEqual(
      idle(buckets.map((b) => nexthopBucketJson(b))),
      idle(ipJson(ns, 'nexthop', 'bucket', 'show', 'id', '11')),
    );
    const b3 = await nl.nexthops.bucket(11, 3);
    assert.equal(b3.index, 3);
    assert.ok(b3.nhId === 1 || b3.nhId === 3);

    // replace keeps the id and changes the gateway; routes can use the group.
    await nl.nexthops.replace({ id: 1, gateway: '192.0.2.4', dev: 'nh0' });
    assert.equal((await nl.nexthops.get(1)).gateway, '192.0.2.4');
    await nl.routes.add({ dst: '203.0.113.0/24', nhid: 10 });
    const [route] = ipJson(ns, 'route', 'show', '203.0.113.0/24');
    assert.equal(route.nhid, 10);
    const rt = (await nl.routes.list({ table: 'main', family: 4 })).find((x) => x.dst === '203.0.113.0/24');
    assert.equal(rt?.nhid, 10);

    // A VXLAN FDB entry pointing to the fdb group.
    await nl.links.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 10, port: 4789, local: '192.0.2.1' } } as never);
    await nl.links.set('vx0', { up: true });
    await nl.neighbours.add({ family: 'bridge', dev: 'vx0', lladdr: '00:11:22:33:44:55', self: true, nhid: 12 });
    const fdb = (await nl.neighbours.list({ family: 'bridge', link: 'vx0' })).find(
      (n) => n.lladdr === '00:11:22:33:44:55',
    );
    assert.equal(fdb?.nhid, 12);
    const bridgeJson = JSON.parse(
      execFileSync('bridge', ['-n', ns, '-j', 'fdb', 'show', 'dev', 'vx0'], { encoding: 'utf8' }),
    );
    assert.equal(bridgeJson.find((e: any) => e.mac === '00:11:22:33:44:55').nhid, 12);

    // delete, ifExists, flush with a filter.
    assert.equal(await nl.nexthops.delete(5), true);
    assert.equal(await nl.nexthops.delete(5, { ifExists: true }), false);
    await assert.rejects(nl.nexthops.delete(5), (e) => e instanceof NetlinkError && e.code === 'ENOENT');
    await assert.rejects(nl.nexthops.get(5), (e) => e instanceof NetlinkError && e.code === 'ENOENT');
    await nl.neighbours.delete({ family: 'bridge', dev: 'vx0', lladdr: '00:11:22:33:44:55', self: true });
    assert.equal(await nl.nexthops.flush({ fdb: true }), 3);
    assert.deepEqual(await nl.nexthops.list({ fdb: true }), []);
    assert.deepEqual(
      ipJson(ns, 'nexthop', 'show').map((n: { id: number }) => n.id),
      [1, 2, 3, 4, 10, 11, auto.id].sort((a, b) => a - b),
    );
    await nl.nexthops.flush();
    assert.deepEqual(ipJson(ns, 'nexthop', 'show'), []);
  }),
);

test(
  'group weights above 256 (weight_high): rtnl reads them; iproute2 6.1 prints the low byte only',
  { skip: needsRoot },
  () =>
    withTestNetns(async (ns, nl) => {
      await setup(ns, nl);
      await nl.nexthops.add({ id: 1, gateway: '192.0.2.2', dev: 'nh0' });
      await nl.nexthops.add({ id: 2, gateway: '192.0.2.3', dev: 'nh0' });
      const g = await nl.nexthops.add({
        id: 20,
        group: [
          { id: 1, weight: 300 },
          { id: 2, weight: 65535 },
        ],
      });
      assert.deepEqual(g.group, [
        { id: 1, weight: 300 },
        { id: 2, weight: 65535 },
      ]);
      assert.deepEqual(g.attrs.group?.[0], { id: 1, weight: 43, weightHigh: 1, resvd2: 0 });
      const [theirs] = ipJson(ns, 'nexthop', 'get', 'id', '20');
      const [mine] = (await ours(nl)).filter((n) => n.id === 20);
      // ip 6.1: (weight & 0xff) + 1.
      assert.deepEqual(theirs.group, [
        { id: 1, weight: 44 },
        { id: 2, weight: 255 },
      ]);
      assert.deepEqual({ ...mine, group: undefined }, { ...theirs, group: undefined });
    }),
);

test('nexthop specs are checked before anything is sent', { skip: needsRoot }, () =>
  withTestNetns(async (_ns, nl) => {
    const bad: unknown[] = [
      {},
      { id: 1, blackhole: true, gateway: '192.0.2.1' },
      { id: 1, group: [{ id: 2 }], dev: 'lo' },
      { id: 1, group: [{ id: 2, weight: 65537 }] },
      { id: 1, gateway: '192.0.2.1', family: 6 },
      { id: 1, gateway: '192.0.2.1', type: 'resilient' },
    ];
    for (const spec of bad) await assert.rejects(nl.nexthops.add(spec as never), ValidationError, JSON.stringify(spec));
  }),
);

test('rtnl nexthop: ip syntax in, ip -j out', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await setup(ns, nl);
    const run = rtnlIn(ns);
    await run('nexthop', 'add', 'id', '1', 'via', '192.0.2.2', 'dev', 'nh0');
    await run('nexthop', 'add', 'id', '2', 'dev', 'nh0', 'proto', 'static');
    await run('nexthop', 'add', 'id', '3', 'blackhole');
    await run(
      'nexthop',
      'add',
      'id',
      '10',
      'group',
      '1,5/2,7',
      'type',
      'resilient',
      'buckets',
      '4',
      'idle_timer',
      '10',
    );
    await run('nexthop', 'replace', 'id', '1', 'via', '192.0.2.3', 'dev', 'nh0', 'onlink');
    const json = await run('-j', 'nexthop', 'show');
    assert.deepEqual(
      JSON.parse(json),
      JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'nexthop', 'show'], { encoding: 'utf8' })),
    );
    const text = await run('nexthop', 'show');
    const ipText = execFileSync('ip', ['-n', ns, 'nexthop', 'show'], { encoding: 'utf8' });
    // ip ends some lines with a space; rtnl does not.
    assert.equal(
      text,
      ipText
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n'),
    );
    await run('nexthop', 'del', 'id', '3');
    assert.equal((await run('nexthop', 'flush', 'dev', 'nh0')).trim(), 'Flushed 2 nexthops');
    assert.deepEqual(ipJson(ns, 'nexthop', 'show'), []);
  }),
);

type Iter = AsyncIterator<MonitorEvent>;

/** Pull events until `done` says so, or fail after `ms`. */
async function until(it: Iter, done: (seen: MonitorEvent[]) => boolean, ms = 10_000): Promise<MonitorEvent[]> {
  const seen: MonitorEvent[] = [];
  const deadline = Date.now() + ms;
  while (!done(seen)) {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      it.next(),
      new Promise<never>(
        (_, rej) =>
          (timer = setTimeout(
            () => rej(new Error(`timed out after ${seen.map((e) => e.type).join(', ')}`)),
            Math.max(1, deadline - Date.now()),
          )),
      ),
    ]);
    clearTimeout(timer);
    if (r.done) break;
    seen.push(r.value);
  }
  return seen;
}

const nhEvents = (seen: MonitorEvent[]) =>
  seen.flatMap((e) =>
    e.type === 'nexthop.new' || e.type === 'nexthop.del'
      ? [`${e.type} ${(e.object as { id: number }).id}${e.synthetic ? ' synthetic' : ''}`]
      : [],
  );

test(
  'monitor: nexthop events, and the deletes the kernel does not announce on link down and delete',
  { skip: needsRoot },
  () =>
    withTestNetns(async (ns, nl) => {
      await setup(ns, nl);
      await nl.links.add({ name: 'nh2', kind: 'veth', peer: { name: 'nh3' } });
      await nl.links.set('nh2', { up: true });
      await nl.links.set('nh3', { up: true });
      const ac = new AbortController();
      const it = nl.monitor('nexthop', { signal: ac.signal, initial: true })[Symbol.asyncIterator]();
      try {
        await until(it, (s) => s.some((e) => e.type === 'synced'));
        ip('-n', ns, 'nexthop', 'add', 'id', '1', 'via', '192.0.2.2', 'dev', 'nh0');
        ip('-n', ns, 'nexthop', 'add', 'id', '2', 'dev', 'nh0');
        ip('-n', ns, 'nexthop', 'add', 'id', '3', 'dev', 'nh2');
        ip('-n', ns, 'nexthop', 'add', 'id', '4', 'blackhole');
        ip('-n', ns, 'nexthop', 'add', 'id', '10', 'group', '1/2/3');
        ip('-n', ns, 'nexthop', 'del', 'id', '4');
        let seen = await until(it, (s) => nhEvents(s).length >= 6);
        assert.deepEqual(nhEvents(seen), [
          'nexthop.new 1',
          'nexthop.new 2',
          'nexthop.new 3',
          'nexthop.new 4',
          'nexthop.new 10',
          'nexthop.del 4',
        ]);
        // Down: the kernel drops 1 and 2 and shrinks group 10, and sends no nexthop message.
        ip('-n', ns, 'link', 'set', 'nh0', 'down');
        seen = await until(it, (s) => nhEvents(s).length >= 3);
        assert.deepEqual(nhEvents(seen).sort(), [
          'nexthop.del 1 synthetic',
          'nexthop.del 2 synthetic',
          'nexthop.new 10 synthetic',
        ]);
        const g = seen.find((e) => e.type === 'nexthop.new')!;
        assert.deepEqual((g as { object: { group: unknown } }).object.group, [{ id: 3, weight: 1 }]);
        // Delete: 3 goes, and with it the group it was the last member of.
        ip('-n', ns, 'link', 'del', 'nh2');
        seen = await until(it, (s) => nhEvents(s).length >= 2);
        assert.deepEqual(nhEvents(seen).sort(), ['nexthop.del 10 synthetic', 'nexthop.del 3 synthetic']);
        assert.deepEqual(ipJson(ns, 'nexthop', 'show'), []);
        // Link events were used, not reported: the monitor asked for nexthops only.
        assert.ok(seen.every((e) => e.type.startsWith('nexthop.')));
        // Carrier loss: nh0 stays up, its peer goes down.
        ip('-n', ns, 'link', 'set', 'nh0', 'up');
        await nl.nexthops.add({ id: 20, dev: 'nh0' });
        seen = await until(it, (s) => nhEvents(s).length >= 1);
        assert.deepEqual(nhEvents(seen), ['nexthop.new 20']);
        ip('-n', ns, 'link', 'set', 'nh1', 'down');
        seen = await until(it, (s) => nhEvents(s).length >= 1);
        assert.deepEqual(nhEvents(seen), ['nexthop.del 20 synthetic']);
      } finally {
        ac.abort();
        await it.return?.();
      }
    }),
);
