// Live: route change/append, tos, realms, expires, RTA_VIA, get selectors, flush and show
// selectors, NLM_F_ECHO; compared with `ip -j -d -n NS route`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namesFrom } from '../../src/cli/format-util.js';
import { routeJson } from '../../src/cli/format-route.js';
import { NetlinkError, type Rtnl } from '../../src/index.js';
import { rtnlIn } from '../cli/helpers.js';
import { ip, ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

async function setup(ns: string, nl: Rtnl): Promise<void> {
  await nl.links.set('lo', { up: true });
  await nl.links.add({ name: 'r0', kind: 'veth', peer: { name: 'r1' }, up: true });
  await nl.links.set('r1', { up: true });
  await nl.addresses.add('r0', '192.0.2.1/24');
  ip('-n', ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'r0', 'nodad');
}

/** rtnl's ip-JSON of the main table's routes of a family, next to ip's. */
async function both(ns: string, nl: Rtnl, fam: 4 | 6, ...sel: string[]) {
  const names = namesFrom(await nl.links.list());
  const ours = (await nl.routes.list({ table: 'main', family: fam })).map((r) =>
    routeJson(r, names, { details: 1, tableFiltered: true }),
  );
  return { ours, theirs: ipJson(ns, `-${fam}`, 'route', 'show', 'table', 'main', ...sel) };
}

test('routes: change, append, tos, realms, RTA_VIA, expires and echo match ip', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await setup(ns, nl);
    // echo: the route as the kernel stored it.
    const r = await nl.routes.add(
      { dst: '198.51.100.0/24', gateway: '192.0.2.2', tos: 0x10, realms: { from: 3, to: 7 } },
      { echo: true },
    );
    assert.equal(r.dst, '198.51.100.0/24');
    assert.equal(r.tos, 0x10);
    assert.deepEqual(r.realms, { from: 3, to: 7 });
    // change: replace without create.
    await nl.routes.change({ dst: '198.51.100.0/24', gateway: '192.0.2.3', tos: 0x10, realms: { to: 9 } });
    await assert.rejects(
      nl.routes.change({ dst: '203.0.113.0/24', gateway: '192.0.2.3' }),
      (e) => e instanceof NetlinkError && (e.code === 'ENOENT' || e.code === 'ESRCH'),
    );
    // append: a second route of the same key, after the first.
    await nl.routes.add({ dst: '203.0.113.0/24', gateway: '192.0.2.4' });
    await nl.routes.append({ dst: '203.0.113.0/24', gateway: '192.0.2.5' });
    const appended = (await nl.routes.list({ table: 'main', family: 4, exact: '203.0.113.0/24' })).map(
      (x) => x.gateway,
    );
    assert.deepEqual(appended, ['192.0.2.4', '192.0.2.5']);
    // An IPv4 route through an IPv6 gateway (RTA_VIA).
    await nl.routes.add({ dst: '10.9.0.0/16', via: '2001:db8::2', dev: 'r0' });
    const v4 = await both(ns, nl, 4);
    assert.deepEqual(v4.ours, v4.theirs);
    // IPv6 with expires.
    await nl.routes.add({ dst: '2001:db8:5::/64', gateway: '2001:db8::9', expires: 300 });
    const [six] = (await nl.routes.list({ table: 'main', family: 6, exact: '2001:db8:5::/64' })) as any[];
    assert.ok(six.expires > 290 && six.expires <= 300, `expires ${six.expires}`);
    const v6 = await both(ns, nl, 6);
    const noExp = (l: any[]) => l.map(({ expires, ...x }) => x);
    assert.deepEqual(noExp(v6.ours), noExp(v6.theirs));
  }),
);

test(
  'route get by uid, mark, oif, ipproto, sport and dport: rules pick the table that answers',
  { skip: needsRoot },
  () =>
    withTestNetns(async (ns, nl) => {
      await setup(ns, nl);
      // Each selector has a rule that sends the lookup to a table of its own.
      const tables: [object, number][] = [
        [{ ipproto: 'tcp', dport: 2000 }, 101],
        [{ ipproto: 'udp', sport: { start: 1000, end: 1010 } }, 102],
        [{ uidRange: { start: 1234, end: 1234 } }, 103],
        [{ fwmark: 5 }, 104],
      ];
      let prio = 100;
      for (const [sel, table] of tables) {
        await nl.rules.add({ ...sel, table, priority: prio++ });
        await nl.routes.add({ dst: '203.0.113.0/24', gateway: `192.0.2.${table - 90}`, table });
      }
      const via = async (o: object) => (await nl.routes.get('203.0.113.7', o)).gateway;
      assert.equal(await via({ ipproto: 'tcp', dport: 2000 }), '192.0.2.11');
      assert.equal(await via({ ipproto: 'udp', sport: 1005 }), '192.0.2.12');
      assert.equal(await via({ uid: 1234 }), '192.0.2.13');
      assert.equal(await via({ mark: 5, oif: 'r0' }), '192.0.2.14');
      // No rule matches: main has no route.
      await assert.rejects(
        via({ ipproto: 'tcp', dport: 2001 }),
        (e) => e instanceof NetlinkError && e.code === 'ENETUNREACH',
      );
      const [theirs] = ipJson(ns, 'route', 'get', '203.0.113.7', 'ipproto', 'udp', 'sport', '1005');
      assert.equal(theirs.gateway, '192.0.2.12');
      const got = await nl.routes.get('203.0.113.7', { uid: 1234 });
      assert.equal(got.attrs.uid, 1234);
    }),
);

test('route show selectors (root, match, exact, via, scope, proto, type) and flush', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await setup(ns, nl);
    await nl.routes.add({ dst: '10.1.0.0/16', gateway: '192.0.2.2', protocol: 'static' });
    await nl.routes.add({ dst: '10.1.2.0/24', gateway: '192.0.2.3' });
    await nl.routes.add({ dst: '10.2.0.0/16', dev: 'r0', scope: 'link' });
    await nl.routes.add({ dst: '10.3.0.0/16', type: 'blackhole' });
    const ids = async (f: object) =>
      (await nl.routes.list({ table: 'main', family: 4, ...f })).map((r) => r.dst).sort();
    const ipIds = (...sel: string[]) =>
      ipJson(ns, '-4', 'route', 'show', ...sel)
        .map((r: any) => r.dst)
        .sort();
    const cases: [object, string[]][] = [
      [{ root: '10.1.0.0/16' }, ['root', '10.1.0.0/16']],
      [{ match: '10.1.2.3/32' }, ['match', '10.1.2.3/32']],
      [{ exact: '10.1.0.0/16' }, ['exact', '10.1.0.0/16']],
      [{ gateway: '192.0.2.3' }, ['via', '192.0.2.3']],
      [{ scope: 'link' }, ['scope', 'link']],
      [{ protocol: 'static' }, ['proto', 'static']],
      [{ type: 'blackhole' }, ['type', 'blackhole']],
    ];
    for (const [f, sel] of cases) assert.deepEqual(await ids(f), ipIds(...sel), JSON.stringify(f));
    assert.equal(await nl.routes.flush({ root: '10.1.0.0/16' }), 2);
    assert.deepEqual(ipIds('root', '10.0.0.0/8'), ['10.2.0.0/16', '10.3.0.0/16']);
    assert.equal(await nl.routes.flush({ type: 'blackhole' }), 1);
    assert.deepEqual(ipIds('root', '10.0.0.0/8'), ['10.2.0.0/16']);
  }),
);

test('rtnl route: change, append, show root/match/via/scope and flush, as ip', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await setup(ns, nl);
    const run = rtnlIn(ns);
    await run('route', 'add', '10.1.0.0/16', 'via', '192.0.2.2', 'proto', 'static');
    await run('route', 'change', '10.1.0.0/16', 'via', '192.0.2.3', 'proto', 'static');
    await run('route', 'append', '10.1.0.0/16', 'via', '192.0.2.4', 'proto', 'static');
    await run('route', 'add', '10.1.2.0/24', 'dev', 'r0', 'tos', '0x10', 'realms', '1/2');
    await run('route', 'add', '10.9.0.0/16', 'via', 'inet6', '2001:db8::2', 'dev', 'r0');
    for (const sel of [
      [],
      ['root', '10.1.0.0/16'],
      ['match', '10.1.2.3'],
      ['via', '192.0.2.4'],
      ['scope', 'link'],
      ['proto', 'static'],
    ]) {
      const ours = JSON.parse(await run('-j', '-d', 'route', 'show', ...sel));
      assert.deepEqual(ours, ipJson(ns, 'route', 'show', ...sel), sel.join(' '));
    }
    await run('route', 'flush', 'root', '10.1.0.0/16');
    assert.deepEqual(
      ipJson(ns, 'route', 'show', 'root', '10.0.0.0/8').map((r: any) => r.dst),
      ['10.9.0.0/16'],
    );
  }),
);
