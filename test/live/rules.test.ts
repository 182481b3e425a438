// Live rule tests: each runs in its own namespace and cross-checks with `ip -j -d -n NS rule`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkError, Rtnl, ValidationError, type Rule, type Rtnl as RtnlT } from '../../src/index.js';
import { ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

const TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };

/** One line per rule, spelled the same way for ip's JSON and rtnl's objects. */
function ipLine(r: any): string {
  const from = r.src === 'all' || r.src === undefined ? '' : `${r.src}/${r.srclen ?? (r.src.includes(':') ? 128 : 32)}`;
  const to = r.dst === undefined ? '' : `${r.dst}/${r.dstlen ?? (r.dst.includes(':') ? 128 : 32)}`;
  const table = r.table === undefined ? '' : (TABLES[r.table] ?? Number(r.table));
  const action = r.action ?? (r.goto !== undefined ? 'goto' : 'to_tbl');
  const mark = r.fwmark === undefined ? '' : `${Number(r.fwmark)}/${Number(r.fwmask ?? 0xffffffff)}`;
  return [
    r.priority,
    from,
    to,
    table,
    action,
    r.goto ?? '',
    mark,
    r.iif ?? '',
    r.oif ?? '',
    r.suppress_prefixlen ?? '',
    r.protocol === 'unspec' ? '' : (r.protocol ?? ''),
    'not' in r ? 'not' : '',
  ].join(' ');
}

function rtnlLine(r: Rule): string {
  const table = r.action === 'to_tbl' ? r.table : '';
  const mark = r.fwmark === undefined ? '' : `${r.fwmark}/${r.fwmask ?? 0xffffffff}`;
  return [
    r.priority,
    r.from ?? '',
    r.to ?? '',
    table,
    r.action,
    r.goto ?? '',
    mark,
    r.iif ?? '',
    r.oif ?? '',
    r.suppressPrefixlen ?? '',
    r.protocol ?? '',
    r.flags.includes('invert') ? 'not' : '',
  ].join(' ');
}

async function assertMatchesIp(ns: string, nl: RtnlT, family: 4 | 6): Promise<Rule[]> {
  const ours = await nl.rules.list({ family });
  assert.ok(ours.every((r) => r.family === family));
  assert.deepEqual(ours.map(rtnlLine), ipJson(ns, `-${family}`, 'rule', 'show').map(ipLine));
  return ours;
}

test('IPv4 rules: priority, from/to, table 1000, fwmark/mask, iif/oif, not, blackhole and goto', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await nl.rules.add({ priority: 100, from: '192.0.2.0/24', to: '198.51.100.0/24', table: 1000 });
    await nl.rules.add({ priority: 101, fwmark: 0x10, fwmask: 0xff, iif: 'v0', oif: 'v1', table: 5 });
    await nl.rules.add({ priority: 102, action: 'blackhole' });
    await nl.rules.add({ priority: 103, goto: 32766 });
    await nl.rules.add({ priority: 104, from: '203.0.113.0/24', not: true, table: 'main', protocol: 'static' });
    await nl.rules.add({ priority: 105, to: '10.1.0.0/16', action: 'unreachable' });
    const ours = await assertMatchesIp(ns, nl, 4);
    const by = new Map(ours.map((r) => [r.priority, r]));
    assert.deepEqual(
      [by.get(100)?.from, by.get(100)?.to, by.get(100)?.table, by.get(100)?.action],
      ['192.0.2.0/24', '198.51.100.0/24', 1000, 'to_tbl'],
    );
    assert.deepEqual(
      [by.get(101)?.fwmark, by.get(101)?.fwmask, by.get(101)?.iif, by.get(101)?.oif],
      [0x10, 0xff, 'v0', 'v1'],
    );
    assert.equal(by.get(102)?.action, 'blackhole');
    assert.deepEqual([by.get(103)?.action, by.get(103)?.goto], ['goto', 32766]);
    assert.deepEqual([by.get(104)?.protocol, by.get(104)?.flags], ['static', ['invert']]);
    assert.equal(by.get(32766)?.table, 254);
    assert.equal(by.get(0)?.table, 255);
    await assert.rejects(
      nl.rules.add({ priority: 100, from: '192.0.2.0/24', to: '198.51.100.0/24', table: 1000 }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
    );
  });
});

test('IPv6 rules: from, table, protocol, suppress_prefixlength; family filter', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await nl.rules.add({ priority: 200, from: '2001:db8::/32', table: 7, protocol: 'static', suppressPrefixlen: 0 });
    await nl.rules.add({ family: 6, priority: 201, fwmark: 3, table: 1000 });
    const ours = await assertMatchesIp(ns, nl, 6);
    const r = ours.find((x) => x.priority === 200);
    assert.deepEqual(
      [r?.family, r?.from, r?.table, r?.protocol, r?.suppressPrefixlen],
      [6, '2001:db8::/32', 7, 'static', 0],
    );
    assert.equal(ours.find((x) => x.priority === 201)?.table, 1000);
    await assertMatchesIp(ns, nl, 4);
    const all = await nl.rules.list();
    assert.ok(all.some((x) => x.family === 4) && all.some((x) => x.family === 6));
  });
});

test('delete by any selector, delete with ifExists, ENOENT', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await nl.rules.add({ priority: 100, from: '192.0.2.0/24', table: 1000 });
    await nl.rules.add({ priority: 101, fwmark: 7, table: 1001 });
    await nl.rules.add({ priority: 300, to: '2001:db8::/48', table: 9 });
    assert.equal(await nl.rules.delete({ priority: 100 }), true);
    assert.equal(await nl.rules.delete({ fwmark: 7, table: 1001 }), true);
    assert.equal(await nl.rules.delete({ family: 6, priority: 300, to: '2001:db8::/48' }), true);
    assert.ok(!ipJson(ns, 'rule', 'show').some((r: any) => [100, 101].includes(r.priority)));
    assert.ok(!ipJson(ns, '-6', 'rule', 'show').some((r: any) => r.priority === 300));
    assert.equal(await nl.rules.delete({ priority: 100 }, { ifExists: true }), false);
    await assert.rejects(
      nl.rules.delete({ priority: 100, table: 1000 }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT',
    );
    // The default rules are still there.
    await assertMatchesIp(ns, nl, 4);
    assert.deepEqual(
      (await nl.rules.list({ family: 4 })).map((r) => r.priority),
      [0, 32766, 32767],
    );
  });
});

test('invalid input is a ValidationError naming the field, before anything is sent', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns) => {
    const closed = await Rtnl.open({ netns: ns });
    await closed.close();
    const bad = async (p: Promise<unknown>, field: string) =>
      assert.rejects(p, (e: unknown) => e instanceof ValidationError && e.field === field);
    await bad(closed.rules.add({ from: '192.0.2.0/24', to: '2001:db8::/32' }), 'rule.to');
    await bad(closed.rules.add({ family: 6, from: '192.0.2.0/24' }), 'rule.from');
    await bad(closed.rules.add({ priority: -1 }), 'rule.priority');
    await bad(closed.rules.add({ table: 0 }), 'rule.table');
    await bad(closed.rules.add({ iif: 'way-too-long-name0' }), 'rule.iif');
    await bad(closed.rules.add({ action: 'blackhole', goto: 5 }), 'rule.goto');
    await bad(closed.rules.add({ action: 'goto' }), 'rule.goto');
    await bad(closed.rules.add({ fwmask: 0xff }), 'rule.fwmask');
    await bad(closed.rules.delete({}), 'rule');
    await bad(closed.rules.delete({ family: 6 }), 'rule');
    await bad(closed.rules.list({ family: 'ipx' as any }), 'filter.family');
  });
});
