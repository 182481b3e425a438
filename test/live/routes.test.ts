// Live route tests: each runs in its own namespace and cross-checks with `ip -j -d -n NS route`.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, test } from 'node:test';
import { NetlinkError, Rtnl, ValidationError, type Route, type Rtnl as RtnlT } from '../../src/index.js';
import { ip, ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

const TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };

/** A veth pair v0/v1, both up, with 192.0.2.1/24 and 2001:db8::1/64 (nodad) on v0. */
async function setup(nl: RtnlT): Promise<void> {
  await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true });
  await nl.links.set('v1', { up: true });
  await nl.addresses.add('v0', '192.0.2.1/24');
  await nl.addresses.add('v0', '2001:db8::1/64', { flags: ['nodad'] });
}

/** One line per route, the way both sides can spell it. */
function ipLine(r: any): string {
  const table = TABLES[r.table] ?? Number(r.table);
  const hops = (r.nexthops ?? []).map((h: any) => `${h.gateway ?? '-'}@${h.dev ?? '-'}*${h.weight ?? 1}`).join(',');
  const metrics = r.metrics ? JSON.stringify(Object.assign({}, ...r.metrics)) : '';
  return [
    r.type,
    r.dst,
    r.gateway ?? '',
    r.dev ?? '',
    table,
    r.protocol,
    r.scope,
    r.metric ?? '',
    r.prefsrc ?? '',
    r.pref ?? '',
    hops,
    metrics,
  ].join(' ');
}

function rtnlLine(r: Route, names: Map<number, string>): string {
  const hops = (r.multipath ?? []).map((h) => `${h.gateway ?? '-'}@${names.get(h.oif) ?? '-'}*${h.weight}`).join(',');
  const metrics = r.metrics ? JSON.stringify(r.metrics) : '';
  const dev = r.oif === undefined ? '' : names.get(r.oif);
  return [
    r.type,
    r.dst,
    r.gateway ?? '',
    dev,
    r.table,
    r.protocol,
    r.scope,
    r.metric ?? '',
    r.prefsrc ?? '',
    r.pref ?? '',
    hops,
    metrics,
  ].join(' ');
}

/**
 * rtnl's list() and `ip route show table all` agree, route for route. The kernel adds some routes
 * asynchronously (IPv6 link-local and local routes once a veth has carrier and DAD ends), so the
 * two reads are compared only when rtnl read the same table before and after ip did: a table still
 * changing is read again, for up to 10 s.
 */
async function assertMatchesIp(ns: string, nl: RtnlT, family: 4 | 6): Promise<Route[]> {
  const names = new Map((await nl.links.list()).map((l) => [l.index, l.name]));
  const read = async () => {
    const routes = await nl.routes.list({ family });
    return { routes, lines: routes.map((r) => rtnlLine(r, names)).sort() };
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const before = await read();
    const theirs = ipJson(ns, `-${family}`, 'route', 'show', 'table', 'all').map(ipLine).sort();
    const after = await read();
    if (isDeepStrictEqual(before.lines, after.lines) || Date.now() > deadline) {
      assert.deepEqual(after.lines, theirs);
      return after.routes;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const find = (routes: Route[], dst: string, table = 254) => routes.filter((r) => r.dst === dst && r.table === table);

test('IPv4: default via device (link scope), gateway with preferred source and metric, table 1000, protocol, host route', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({ dst: 'default', dev: 'v0' });
    await nl.routes.add({ dst: '198.51.100.0/24', gateway: '192.0.2.254', src: '192.0.2.1', metric: 7 });
    await nl.routes.add({ dst: '203.0.113.0/24', gateway: '192.0.2.254', table: 1000, protocol: 'static' });
    await nl.routes.add({ dst: '203.0.113.5', dev: 'v0', protocol: 99 });
    const routes = await assertMatchesIp(ns, nl, 4);

    const [def] = find(routes, 'default');
    assert.equal(def?.scope, 'link');
    assert.equal(def?.protocol, 'boot');
    assert.equal(def?.gateway, undefined);
    const [gw] = find(routes, '198.51.100.0/24');
    assert.deepEqual([gw?.gateway, gw?.prefsrc, gw?.metric, gw?.scope], ['192.0.2.254', '192.0.2.1', 7, 'global']);
    const t1000 = await nl.routes.list({ table: 1000 });
    assert.deepEqual(
      t1000.map((r) => [r.dst, r.table, r.protocol]),
      [['203.0.113.0/24', 1000, 'static']],
    );
    assert.equal(ipJson(ns, 'route', 'show', 'table', '1000')[0].protocol, 'static');
    const [host] = find(routes, '203.0.113.5');
    assert.deepEqual([host?.dstLen, host?.protocol], [32, 'openr']);
  });
});

test('IPv6: default via gateway with pref and metric, device route, family inferred from the gateway', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({ dst: 'default', gateway: '2001:db8::ff', pref: 'high', metric: 100 });
    await nl.routes.add({ dst: '2001:db8:1::/48', dev: 'v0' });
    await nl.routes.add({ dst: '2001:db8:2::/48', gateway: '2001:db8::2', src: '2001:db8::1', table: 1000 });
    const routes = await assertMatchesIp(ns, nl, 6);
    const [def] = find(routes, 'default');
    assert.deepEqual(
      [def?.family, def?.gateway, def?.pref, def?.metric, def?.scope],
      [6, '2001:db8::ff', 'high', 100, 'global'],
    );
    const [dev] = find(routes, '2001:db8:1::/48');
    assert.equal(dev?.metric, 1024); // the kernel's default IPv6 metric
    assert.equal(find(routes, '2001:db8:2::/48', 1000)[0]?.prefsrc, '2001:db8::1');
    // A 'default' route with an explicit family and no address at all.
    await nl.routes.add({ dst: 'default', family: 6, type: 'unreachable', table: 1001 });
    assert.equal((await nl.routes.list({ table: 1001, family: 6 }))[0]?.type, 'unreachable');
  });
});

test('route types: blackhole, unreachable, prohibit, throw, local', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({ dst: '10.1.0.0/16', type: 'blackhole' });
    await nl.routes.add({ dst: '10.2.0.0/16', type: 'unreachable' });
    await nl.routes.add({ dst: '10.3.0.0/16', type: 'prohibit' });
    await nl.routes.add({ dst: '10.4.0.0/16', type: 'throw', table: 1000 });
    await nl.routes.add({ dst: '2001:db8:dead::/48', type: 'blackhole' });
    await nl.routes.add({ dst: '192.0.2.77', type: 'local', dev: 'v0' });
    const v4 = await assertMatchesIp(ns, nl, 4);
    await assertMatchesIp(ns, nl, 6);
    assert.equal(find(v4, '10.1.0.0/16')[0]?.type, 'blackhole');
    assert.equal(find(v4, '10.2.0.0/16')[0]?.type, 'unreachable');
    assert.equal(find(v4, '10.3.0.0/16')[0]?.type, 'prohibit');
    assert.equal(find(v4, '10.4.0.0/16', 1000)[0]?.type, 'throw');
    const [local] = find(v4, '192.0.2.77', 255);
    assert.deepEqual([local?.type, local?.scope, local?.table], ['local', 'host', 255]);
    // The type filter runs in the kernel.
    const bh = await nl.routes.list({ type: 'blackhole' });
    assert.deepEqual(bh.map((r) => r.dst).sort(), ['10.1.0.0/16', '2001:db8:dead::/48']);
  });
});

test('multipath with weights, metrics (mtu, advmss), onlink', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({
      dst: '10.2.0.0/16',
      multipath: [
        { gateway: '192.0.2.2', dev: 'v0', weight: 2 },
        { gateway: '192.0.2.3', weight: 3 },
        { gateway: '192.0.2.4', dev: 'v0' },
      ],
    });
    await nl.routes.add({ dst: '10.3.0.0/16', gateway: '192.0.2.2', metrics: { mtu: 1400, advmss: 1360 } });
    await nl.routes.add({ dst: '10.5.0.0/16', gateway: '10.99.0.1', dev: 'v0', onlink: true });
    await nl.routes.add({
      dst: '2001:db8:3::/48',
      multipath: [
        { gateway: '2001:db8::2', dev: 'v0' },
        { gateway: '2001:db8::3', dev: 'v0', weight: 5 },
      ],
    });
    const v4 = await assertMatchesIp(ns, nl, 4);
    await assertMatchesIp(ns, nl, 6);
    const [mp] = find(v4, '10.2.0.0/16');
    assert.deepEqual(
      mp?.multipath?.map((h) => [h.gateway, h.weight]),
      [
        ['192.0.2.2', 2],
        ['192.0.2.3', 3],
        ['192.0.2.4', 1],
      ],
    );
    assert.deepEqual(
      ipJson(ns, 'route', 'show', '10.2.0.0/16')[0].nexthops.map((h: any) => h.weight),
      [2, 3, 1],
    );
    assert.deepEqual(find(v4, '10.3.0.0/16')[0]?.metrics, { mtu: 1400, advmss: 1360 });
    assert.deepEqual(ipJson(ns, 'route', 'show', '10.3.0.0/16')[0].metrics, [{ mtu: 1400, advmss: 1360 }]);
    const [onlink] = find(v4, '10.5.0.0/16');
    assert.ok(onlink?.flags.includes('onlink'));
    assert.deepEqual(ipJson(ns, 'route', 'show', '10.5.0.0/16')[0].flags, ['onlink']);
  });
});

test('replace twice leaves one route with the last values; add of an existing route is EEXIST', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.replace({ dst: '198.51.100.0/24', gateway: '192.0.2.2' });
    await nl.routes.replace({ dst: '198.51.100.0/24', gateway: '192.0.2.3' });
    const got = ipJson(ns, 'route', 'show', '198.51.100.0/24');
    assert.equal(got.length, 1);
    assert.equal(got[0].gateway, '192.0.2.3');
    await assert.rejects(
      nl.routes.add({ dst: '198.51.100.0/24', gateway: '192.0.2.4' }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
    );
    await nl.routes.replace({ dst: 'default', gateway: '2001:db8::2' });
    await nl.routes.replace({ dst: 'default', gateway: '2001:db8::3' });
    const v6 = ipJson(ns, '-6', 'route', 'show', 'default');
    assert.deepEqual(
      v6.map((r: any) => r.gateway),
      ['2001:db8::3'],
    );
    await assertMatchesIp(ns, nl, 4);
  });
});

test('delete, and delete with ifExists; ESRCH keeps its code', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({ dst: '198.51.100.0/24', gateway: '192.0.2.2', table: 1000 });
    await nl.routes.add({ dst: '2001:db8:5::/48', gateway: '2001:db8::2' });
    await nl.routes.add({ dst: '10.1.0.0/16', type: 'blackhole' });
    assert.equal(await nl.routes.delete({ dst: '198.51.100.0/24', table: 1000 }), true);
    assert.equal(await nl.routes.delete({ dst: '2001:db8:5::/48', gateway: '2001:db8::2' }), true);
    assert.equal(await nl.routes.delete({ dst: '10.1.0.0/16' }), true);
    assert.deepEqual(ipJson(ns, 'route', 'show', 'table', '1000'), []);
    assert.deepEqual(ipJson(ns, '-6', 'route', 'show', '2001:db8:5::/48'), []);
    assert.deepEqual(ipJson(ns, 'route', 'show', '10.1.0.0/16'), []);
    assert.equal(await nl.routes.delete({ dst: '198.51.100.0/24', table: 1000 }, { ifExists: true }), false);
    assert.equal(await nl.routes.delete({ dst: '2001:db8:5::/48' }, { ifExists: true }), false);
    await assert.rejects(
      nl.routes.delete({ dst: '198.51.100.0/24' }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ESRCH' && e.errno === 3,
    );
  });
});

test('get asks the kernel: gateway, oif, source; unreachable is ENETUNREACH', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    await nl.routes.add({ dst: '198.51.100.0/24', gateway: '192.0.2.254' });
    const v0 = (await nl.links.get('v0')).index;
    const r = await nl.routes.get('198.51.100.9');
    const theirs = ipJson(ns, 'route', 'get', '198.51.100.9')[0];
    assert.deepEqual(
      [r.dst, r.gateway, r.oif, r.prefsrc, r.table],
      [theirs.dst, theirs.gateway, v0, theirs.prefsrc, 254],
    );
    const withOpts = await nl.routes.get('198.51.100.9/32', { from: '192.0.2.1', oif: 'v0', mark: 7 });
    assert.equal(withOpts.gateway, '192.0.2.254');
    const fib = await nl.routes.get('198.51.100.9', { fibMatch: true });
    assert.equal(fib.dst, '198.51.100.0/24');
    const r6 = await nl.routes.get('2001:db8::99');
    assert.deepEqual([r6.family, r6.oif], [6, v0]);
    await assert.rejects(
      nl.routes.get('203.0.113.1'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENETUNREACH',
    );
    await assert.rejects(
      nl.routes.get('203.0.113.1', { from: '2001:db8::1' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'options.from',
    );
  });
});

test('list filters run in the kernel: table, family, oif, protocol', { skip: needsRoot }, async () => {
  await withTestNetns(async (_ns, nl) => {
    await setup(nl);
    await nl.links.add({ name: 'w0', kind: 'veth', peer: { name: 'w1' }, up: true });
    await nl.addresses.add('w0', '198.51.100.1/24');
    await nl.routes.add({ dst: '203.0.113.0/24', gateway: '198.51.100.2', protocol: 'static' });
    await nl.routes.add({ dst: '10.7.0.0/16', dev: 'w0', table: 1000 });
    const all = await nl.routes.list();
    const w0 = (await nl.links.get('w0')).index;
    const same = (a: Route[], b: Route[]) =>
      assert.deepEqual(
        a.map((r) => `${r.family}${r.dst}${r.table}`).sort(),
        b.map((r) => `${r.family}${r.dst}${r.table}`).sort(),
      );
    same(
      await nl.routes.list({ oif: 'w0' }),
      all.filter((r) => r.oif === w0),
    );
    same(
      await nl.routes.list({ protocol: 'static' }),
      all.filter((r) => r.protocol === 'static'),
    );
    same(
      await nl.routes.list({ table: 'local', family: 4 }),
      all.filter((r) => r.table === 255 && r.family === 4),
    );
    same(
      await nl.routes.list({ table: 1000 }),
      all.filter((r) => r.table === 1000),
    );
    same(
      await nl.routes.list({ family: 6 }),
      all.filter((r) => r.family === 6),
    );
    assert.deepEqual(await nl.routes.list({ table: 4242, family: 4 }), []);
  });
});

test('a mixed-family route is a ValidationError before anything is sent', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns) => {
    // A closed client: any request would fail with ERR_RTNL_CLOSED, so a ValidationError proves
    // the check came first.
    const closed = await Rtnl.open({ netns: ns });
    await closed.close();
    const bad = async (spec: any, field: string) =>
      assert.rejects(
        closed.routes.add(spec),
        (e: unknown) => e instanceof ValidationError && e.field === field && e.code === 'ERR_RTNL_VALIDATION',
      );
    await bad({ dst: '198.51.100.0/24', gateway: '2001:db8::1' }, 'route.gateway');
    await bad({ dst: '2001:db8::/32', src: '192.0.2.1', dev: 'v0' }, 'route.src');
    await bad({ dst: 'default', family: 4, gateway: '2001:db8::1' }, 'route.gateway');
    await bad(
      { dst: '198.51.100.0/24', multipath: [{ gateway: '192.0.2.1' }, { gateway: '2001:db8::1' }] },
      'route.multipath.1.gateway',
    );
    await bad({ dst: '198.51.100.0/33', dev: 'v0' }, 'route.dst');
    await bad({ dst: '198.51.100.0/24', pref: 'high', dev: 'v0' }, 'route.pref');
    await bad({ dst: '198.51.100.0/24', table: 0, dev: 'v0' }, 'route.table');
    await bad(
      { dst: '198.51.100.0/24', multipath: [{ gateway: '192.0.2.1', weight: 257 }] },
      'route.multipath.0.weight',
    );
    await bad({ dst: '198.51.100.0/24', dev: 'bad name' }, 'route.dev');
    await bad({ dst: '198.51.100.0/24', via: '192.0.2.1' }, 'route.via');
    await assert.rejects(
      closed.routes.delete({ dst: '10.0.0.0/8', gateway: '2001:db8::1' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'route.gateway',
    );
    await assert.rejects(
      closed.routes.list({ family: 5 as any }),
      (e: unknown) => e instanceof ValidationError && e.field === 'filter.family',
    );
  });
});

test("kernel errors keep the kernel's code and text: a gateway that is not reachable is ENETUNREACH", {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await setup(nl);
    const err = await nl.routes.add({ dst: '198.51.100.0/24', gateway: '203.0.113.1' }).then(
      () => assert.fail('expected ENETUNREACH'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.code, 'ENETUNREACH');
    assert.equal(err.errno, 101);
    assert.equal(err.request, 'RTM_NEWROUTE');
    assert.match(err.extack.msg ?? '', /gateway/i);
    assert.ok(err.message.includes(err.extack.msg!));
    // ip sees the same rejection.
    assert.throws(
      () => ip('-n', ns, 'route', 'add', '198.51.100.0/24', 'via', '203.0.113.1'),
      /Network is unreachable|invalid gateway/i,
    );
    await assert.rejects(
      nl.routes.add({ dst: '198.51.100.0/24', dev: 'nosuch0' }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
  });
});

describe('routes.stream', { skip: needsRoot }, () => {
  test('streams the same routes list() returns, one at a time', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 's0', kind: 'veth', peer: { name: 's1' }, up: true });
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => nl.routes.add({ dst: `10.9.${i >> 8}.${i & 255}/32`, dev: 's0' })),
      );
      const streamed: string[] = [];
      for await (const r of nl.routes.stream({ table: 'main', family: 4 })) streamed.push(r.dst);
      const listed = (await nl.routes.list({ table: 'main', family: 4 })).map((r) => r.dst);
      assert.deepEqual(streamed, listed);
      assert.equal(streamed.length, ipJson(ns, '-4', 'route', 'show', 'table', 'main').length);
      // Breaking out early leaves the client usable for the next dump.
      for await (const r of nl.routes.stream({ table: 'main', family: 4 })) {
        void r;
        break;
      }
      assert.equal((await nl.routes.list({ table: 'main', family: 4 })).length, listed.length);
    });
  });
});
