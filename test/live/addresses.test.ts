// Live address tests: each runs in its own namespace and cross-checks with `ip -j -d -n NS address`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkError, Rtnl, ValidationError, type Address, type Rtnl as RtnlT } from '../../src/index.js';
import { faults } from '../../src/ffi/libc.js';
import { contextOf } from '../../src/ops/context.js';
import { ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

async function veth(nl: RtnlT): Promise<void> {
  await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true });
  await nl.links.set('v1', { up: true });
}

/** `ip -j address show dev DEV` entries, keyed by their local address. */
function ipAddrs(ns: string, dev: string, ...family: string[]): Map<string, any> {
  const [link] = ipJson(ns, ...family, 'address', 'show', 'dev', dev);
  return new Map((link?.addr_info ?? []).map((a: any) => [a.local, a]));
}

const life = (v: number | 'forever') => (v === 'forever' ? 4294967295 : v);

/** rtnl's view of an address agrees with ip's. */
function assertSame(ours: Address, theirs: any): void {
  assert.ok(theirs, `ip does not show ${ours.address}`);
  assert.equal(ours.family === 4 ? 'inet' : 'inet6', theirs.family);
  assert.equal(ours.prefixLen, theirs.prefixlen);
  assert.equal(ours.scope, theirs.scope);
  assert.equal(ours.peer, theirs.address);
  assert.equal(ours.broadcast, theirs.broadcast);
  assert.equal(ours.label, theirs.label);
  assert.equal(ours.metric, theirs.metric);
  assert.equal(life(ours.validLft), theirs.valid_life_time);
  // The kernel counts preferred time down from when it was set; allow a second of drift.
  assert.ok(Math.abs(life(ours.preferredLft) - theirs.preferred_life_time) <= 1);
  for (const flag of ['nodad', 'noprefixroute', 'home', 'mngtmpaddr', 'secondary', 'tentative']) {
    assert.equal(ours.flags.includes(flag), theirs[flag] === true, `flag ${flag} of ${ours.address}`);
  }
}

/**
 * Wait until `dev`'s IPv6 addresses have settled: its link-local address exists (the kernel adds it
 * once the link has carrier, which veth reports asynchronously) and no address is tentative (DAD
 * ends in a work item after the add returns, even with nodad). Until then rtnl and ip could read
 * different states. Listens for address events first, then lists, so no change is missed.
 */
async function settled(nl: RtnlT, dev: string, ms = 10_000): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  let last: Address[] = [];
  try {
    for await (const ev of nl.monitor('address6', { initial: true, signal: ac.signal })) {
      if (ev.type === 'address.new' && ev.initial) continue;
      last = await nl.addresses.list({ link: dev, family: 6 });
      if (last.some((a) => a.scope === 'link') && !last.some((a) => a.flags.includes('tentative'))) return;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  assert.fail(`IPv6 addresses of ${dev} not settled after ${ms} ms: ${JSON.stringify(last)}`);
}

async function assertMatchesIp(ns: string, nl: RtnlT, dev: string): Promise<Address[]> {
  await settled(nl, dev);
  const ours = await nl.addresses.list({ link: dev });
  const theirs = ipAddrs(ns, dev);
  assert.deepEqual(ours.map((a) => a.address).sort(), [...theirs.keys()].sort());
  for (const a of ours) assertSame(a, theirs.get(a.address));
  return ours;
}

test('IPv4 add with label, broadcast (+ and explicit), lifetimes, scope, metric; a second address is secondary', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    await nl.addresses.add('v0', '192.0.2.1/24', { broadcast: '+', label: 'v0:web', validLft: 300, preferredLft: 100 });
    await nl.addresses.add('v0', '192.0.2.2/24');
    await nl.addresses.add('v0', '198.51.100.1/24', { broadcast: '198.51.100.200', scope: 'link', metric: 50 });
    await nl.addresses.add('v0', '10.9.0.1', { peer: '10.9.0.2/32' });
    const ours = await assertMatchesIp(ns, nl, 'v0');
    const by = new Map(ours.map((a) => [a.address, a]));
    assert.deepEqual(
      [by.get('192.0.2.1')?.broadcast, by.get('192.0.2.1')?.label, by.get('192.0.2.1')?.validLft],
      ['192.0.2.255', 'v0:web', 300],
    );
    assert.ok(by.get('192.0.2.2')?.flags.includes('secondary'));
    assert.deepEqual(
      [by.get('198.51.100.1')?.scope, by.get('198.51.100.1')?.metric, by.get('198.51.100.1')?.broadcast],
      ['link', 50, '198.51.100.200'],
    );
    assert.deepEqual([by.get('10.9.0.1')?.peer, by.get('10.9.0.1')?.prefixLen], ['10.9.0.2', 32]);
    // The prefix route carries the metric.
    assert.equal(ipJson(ns, 'route', 'show', '198.51.100.0/24')[0].metric, 50);
    await assert.rejects(
      nl.addresses.add('v0', '192.0.2.1/24'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
    );
  });
});

test('IPv6 add with nodad, noprefixroute and lifetimes; list filters by link and family in the kernel', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    await nl.addresses.add('v0', '2001:db8::1/64', { flags: ['nodad'] });
    await nl.addresses.add('v0', '2001:db8:1::1/64', {
      flags: ['nodad', 'noprefixroute'],
      validLft: 600,
      preferredLft: 300,
    });
    await nl.addresses.add('v0', '192.0.2.1/24');
    await nl.addresses.add('v1', '2001:db8:2::1/64', { flags: ['nodad'] });
    const ours = await assertMatchesIp(ns, nl, 'v0');
    const a = ours.find((x) => x.address === '2001:db8::1');
    assert.deepEqual([a?.family, a?.prefixLen, a?.scope], [6, 64, 'global']);
    assert.ok(a?.flags.includes('nodad'));
    assert.ok(ours.find((x) => x.address === '2001:db8:1::1')?.flags.includes('noprefixroute'));
    assert.deepEqual(ipJson(ns, '-6', 'route', 'show', '2001:db8:1::/64'), []);

    const v6 = await nl.addresses.list({ link: 'v0', family: 6 });
    assert.deepEqual(v6.map((x) => x.address).sort(), [...ipAddrs(ns, 'v0', '-6').keys()].sort());
    assert.ok(v6.every((x) => x.family === 6));
    const v4 = await nl.addresses.list({ family: 'inet' });
    const ipV4 = ipJson(ns, '-4', 'address', 'show').flatMap((l: any) => (l.addr_info ?? []).map((a: any) => a.local));
    assert.deepEqual(v4.map((x) => x.address).sort(), ipV4.sort());
    assert.deepEqual(ipV4, ['192.0.2.1']);
    const v1 = (await nl.links.get('v1')).index;
    assert.ok((await nl.addresses.list({ link: v1 })).every((x) => x.index === v1));
  });
});

test('replace updates lifetimes in place and creates when missing', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    await nl.addresses.add('v0', '192.0.2.1/24', { validLft: 100 });
    await nl.addresses.replace('v0', '192.0.2.1/24', { validLft: 900, preferredLft: 800 });
    await nl.addresses.replace('v0', '192.0.2.1/24', { validLft: 'forever' });
    await nl.addresses.replace('v0', '2001:db8::1/64', { flags: ['nodad'], validLft: 500 });
    await nl.addresses.replace('v0', '2001:db8::1/64', { flags: ['nodad'], validLft: 700 });
    const ours = await assertMatchesIp(ns, nl, 'v0');
    assert.equal(ours.filter((a) => a.address === '192.0.2.1').length, 1);
    assert.deepEqual(
      ours.filter((a) => a.address === '192.0.2.1').map((a) => [a.validLft, a.preferredLft]),
      [['forever', 'forever']],
    );
    assert.equal(ours.find((a) => a.address === '2001:db8::1')?.validLft, 700);
  });
});

test('delete, delete with ifExists, and EADDRNOTAVAIL', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    await nl.addresses.add('v0', '192.0.2.1/24');
    await nl.addresses.add('v0', '2001:db8::1/64', { flags: ['nodad'] });
    assert.equal(await nl.addresses.delete('v0', '192.0.2.1/24'), true);
    assert.equal(await nl.addresses.delete('v0', '2001:db8::1/64'), true);
    assert.equal(ipAddrs(ns, 'v0').has('192.0.2.1'), false);
    assert.equal(ipAddrs(ns, 'v0').has('2001:db8::1'), false);
    assert.equal(await nl.addresses.delete('v0', '192.0.2.1/24', { ifExists: true }), false);
    assert.equal(await nl.addresses.delete('v0', '2001:db8::1/64', { ifExists: true }), false);
    await assert.rejects(
      nl.addresses.delete('v0', '192.0.2.1/24'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL' && /not found/i.test(e.extack.msg ?? ''),
    );
    await assert.rejects(
      nl.addresses.delete('nosuch0', '192.0.2.1/24'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
  });
});

test("a link named by the caller is found with one ioctl in the client's namespace, and a rename is seen at once", {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    const [v0] = ipJson(ns, 'link', 'show', 'dev', 'v0');
    const ctx = contextOf(nl);
    assert.equal(await ctx.linkIndex('v0'), v0.ifindex);
    const calls: string[] = [];
    faults.before = (name) => void calls.push(name);
    try {
      await nl.addresses.add('v0', '192.0.2.1/24');
    } finally {
      faults.before = undefined;
    }
    assert.ok(calls.includes('ioctl'), `syscalls: ${calls.join(' ')}`);
    await nl.links.set('v0', { name: 'v9' });
    await assert.rejects(ctx.linkIndex('v0'), (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV');
    assert.equal(await ctx.linkIndex('v9'), v0.ifindex);
    assert.equal(await nl.addresses.delete('v9', '192.0.2.1/24'), true);
    await assert.rejects(
      nl.addresses.add('v0', '192.0.2.1/24'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
    await nl.close();
    await assert.rejects(ctx.linkIndex('v9'));
  });
});

test('flush removes every address of a link, or one family', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await veth(nl);
    await nl.addresses.add('v0', '192.0.2.1/24');
    await nl.addresses.add('v0', '192.0.2.2/24');
    await nl.addresses.add('v0', '198.51.100.1/24');
    await nl.addresses.add('v0', '2001:db8::1/64', { flags: ['nodad'] });
    await nl.addresses.add('v1', '203.0.113.1/24');
    assert.equal(await nl.addresses.flush('v0', { family: 4 }), 3);
    assert.deepEqual([...ipAddrs(ns, 'v0', '-4').keys()], []);
    assert.ok(ipAddrs(ns, 'v0', '-6').has('2001:db8::1'));
    await nl.addresses.flush('v0');
    assert.deepEqual([...ipAddrs(ns, 'v0').keys()], []);
    assert.deepEqual([...ipAddrs(ns, 'v1', '-4').keys()], ['203.0.113.1']);
  });
});

test('invalid input is a ValidationError naming the field, before anything is sent', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns) => {
    const closed = await Rtnl.open({ netns: ns });
    await closed.close();
    const bad = async (p: Promise<unknown>, field: string) =>
      assert.rejects(p, (e: unknown) => e instanceof ValidationError && e.field === field);
    await bad(closed.addresses.add('v0', '192.0.2.1/33'), 'address');
    await bad(closed.addresses.add('v0', '192.0.2.300/24'), 'address');
    await bad(closed.addresses.add('v0', '2001:db8::1/64', { label: 'v0:1' }), 'options.label');
    await bad(closed.addresses.add('v0', '2001:db8::1/64', { broadcast: '+' }), 'options.broadcast');
    await bad(closed.addresses.add('v0', '192.0.2.1/24', { peer: '2001:db8::2' }), 'options.peer');
    await bad(closed.addresses.add('v0', '192.0.2.1/24', { validLft: 10, preferredLft: 20 }), 'options.preferredLft');
    await bad(closed.addresses.add('v0', '192.0.2.1/24', { flags: ['bogus' as 'nodad'] }), 'options.flags.0');
    await bad(closed.addresses.add('v0', '192.0.2.1/24', { scope: 'planet' as 'link' }), 'options.scope');
    await bad(closed.addresses.add('v0', '192.0.2.1/24', { colour: 'red' } as object), 'options.colour');
    await bad(closed.addresses.add('a/b', '192.0.2.1/24'), 'link');
    await bad(closed.addresses.list({ family: 5 as 4 }), 'filter.family');
  });
});
