// Live (root): the overlay attach flow a CNI plugin performs, end to end, in two fresh
// namespaces ("host" and "container"), checked with `ip -j` on both sides; then the same
// ensure-style calls twice; then sysctl inside a namespace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { netns, Rtnl, sysctl, ValidationError } from '../../src/index.js';
import { ipJson, needsRoot, withTestNetnses } from '../helpers/netns.js';

/** The whole flow, written as an ensure: running it twice must give the same state and no error. */
async function attach(host: Rtnl, container: string): Promise<void> {
  // 1. a bridge with STP off, up
  await host.links.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0 }, exist: 'ok' });
  await host.links.set('br0', { up: true, bridge: { stpState: 0 } });
  // 2. a veth pair, the host end on the bridge, up
  const ctr = await Rtnl.open({ netns: container });
  try {
    if (!(await ctr.links.exists('eth0'))) {
      await host.links.add({ name: 'vh0', kind: 'veth', peer: { name: 'vc0' }, exist: 'ok' });
      // 3. the peer into the container, renamed eth0, in one request
      await host.links.set('vc0', { netns: container, name: 'eth0' });
    }
    await host.links.set('vh0', { master: 'br0', up: true });
    // 4. addresses, eth0 and lo up, default routes via the device and via a gateway
    await ctr.addresses.replace('eth0', '10.1.0.2/24');
    await ctr.addresses.replace('eth0', '2001:db8:1::2/64', { flags: ['nodad'] });
    await ctr.links.set('eth0', { up: true });
    await ctr.links.set('lo', { up: true });
    await ctr.routes.replace({ dst: 'default', dev: 'eth0', family: 6 });
    await ctr.routes.replace({ dst: 'default', gateway: '10.1.0.1' });
    // 6. forwarding inside the container
    await sysctl.set('net.ipv4.ip_forward', '1', { netns: container });
  } finally {
    await ctr.close();
  }
  // 5. on the host side, a /32 to the container with a preferred source
  await host.addresses.replace('br0', '10.1.0.1/24');
  await host.routes.replace({ dst: '10.1.0.2/32', dev: 'br0', src: '10.1.0.1' });
}

async function teardown(host: Rtnl, container: string): Promise<void> {
  await host.routes.delete({ dst: '10.1.0.2/32', dev: 'br0' }, { ifExists: true });
  await host.links.delete('vh0', { ifExists: true });
  await host.links.delete('br0', { ifExists: true });
  const ctr = await Rtnl.open({ netns: container });
  try {
    await ctr.links.delete('eth0', { ifExists: true });
  } finally {
    await ctr.close();
  }
}

function snapshot(hostNs: string, ctrNs: string) {
  const strip = (links: any[]): any[] =>
    links.map((l) => ({
      ifname: l.ifname,
      flags: l.flags,
      mtu: l.mtu,
      master: l.master,
      kind: l.linkinfo?.info_kind,
      stp: l.linkinfo?.info_data?.stp_state,
    }));
  const addrs = (ns: string) =>
    ipJson(ns, 'addr', 'show')
      .flatMap((l: any) => l.addr_info.map((a: any) => `${l.ifname} ${a.local}/${a.prefixlen}`))
      .sort();
  const routes = (ns: string, ...f: string[]) =>
    ipJson(ns, ...f, 'route', 'show')
      .map((r: any) => `${r.dst} ${r.gateway ?? ''} ${r.dev} ${r.prefsrc ?? ''}`)
      .sort();
  return {
    hostLinks: strip(ipJson(hostNs, 'link', 'show')),
    ctrLinks: strip(ipJson(ctrNs, 'link', 'show')),
    hostAddrs: addrs(hostNs),
    ctrAddrs: addrs(ctrNs),
    hostRoutes: routes(hostNs),
    ctrRoutes: [...routes(ctrNs), ...routes(ctrNs, '-6')],
  };
}

describe('overlay attach flow', { skip: needsRoot }, () => {
  test('bridge, veth, move+rename, addresses, routes, sysctl, teardown: checked with ip -j on both sides', async () => {
    await withTestNetnses(2, async ([hostNs, ctrNs], [host]) => {
      await attach(host!, ctrNs!);
      const s = snapshot(hostNs!, ctrNs!);
      const br = s.hostLinks.find((l: any) => l.ifname === 'br0');
      assert.equal(br.kind, 'bridge');
      assert.equal(br.stp, 0);
      assert.ok(br.flags.includes('UP'));
      const vh = s.hostLinks.find((l: any) => l.ifname === 'vh0');
      assert.equal(vh.master, 'br0');
      assert.ok(vh.flags.includes('UP'));
      assert.ok(!s.hostLinks.some((l: any) => l.ifname === 'vc0'), 'the peer left the host');
      const eth0 = s.ctrLinks.find((l: any) => l.ifname === 'eth0');
      assert.equal(eth0.kind, 'veth');
      assert.ok(eth0.flags.includes('UP') && eth0.flags.includes('LOWER_UP'));
      assert.ok(s.ctrLinks.find((l: any) => l.ifname === 'lo').flags.includes('UP'));
      assert.ok(s.ctrAddrs.includes('eth0 10.1.0.2/24') && s.ctrAddrs.includes('eth0 2001:db8:1::2/64'));
      assert.ok(s.ctrRoutes.includes('default 10.1.0.1 eth0 '));
      assert.ok(
        s.ctrRoutes.some((r: string) => r.startsWith('default  eth0')),
        `IPv6 default via eth0: ${s.ctrRoutes}`,
      );
      assert.ok(s.hostRoutes.includes('10.1.0.2  br0 10.1.0.1'));
      assert.equal(await sysctl.get('net.ipv4.ip_forward', { netns: ctrNs! }), '1');

      await teardown(host!, ctrNs!);
      await teardown(host!, ctrNs!); // idempotent: a second teardown is no error
      assert.deepEqual(
        ipJson(hostNs!, 'link', 'show').map((l: any) => l.ifname),
        ['lo'],
      );
      assert.deepEqual(
        ipJson(ctrNs!, 'link', 'show').map((l: any) => l.ifname),
        ['lo'],
      );
    });
  });

  test('running the same ensure-style calls twice gives the same state, and no error', async () => {
    await withTestNetnses(2, async ([hostNs, ctrNs], [host]) => {
      await attach(host!, ctrNs!);
      const first = snapshot(hostNs!, ctrNs!);
      await attach(host!, ctrNs!);
      assert.deepEqual(snapshot(hostNs!, ctrNs!), first);
    });
  });
});

describe('sysctl', { skip: needsRoot }, () => {
  test('set and get inside a namespace leave the host value alone', async () => {
    const hostValue = readFileSync('/proc/sys/net/ipv4/conf/all/forwarding', 'utf8').trim();
    await withTestNetnses(1, async ([ns]) => {
      const before = await sysctl.get('net.ipv4.conf.all.forwarding', { netns: ns! });
      await sysctl.set('net.ipv4.conf.all.forwarding', before === '1' ? '0' : '1', { netns: ns! });
      assert.notEqual(await sysctl.get('net.ipv4.conf.all.forwarding', { netns: ns! }), before);
      assert.equal(
        netns.runSync(ns!, () => readFileSync('/proc/sys/net/ipv4/conf/all/forwarding', 'utf8').trim()),
        before === '1' ? '0' : '1',
      );
    });
    assert.equal(readFileSync('/proc/sys/net/ipv4/conf/all/forwarding', 'utf8').trim(), hostValue);
  });

  test("keys outside /proc/sys, or with '..', are refused", async () => {
    for (const key of [
      '../../etc/passwd',
      '/etc/passwd',
      'net/../../../etc/shadow',
      'net..ipv4',
      '',
      'net.ipv4.ip_forward\0x',
    ]) {
      await assert.rejects(sysctl.get(key), ValidationError, JSON.stringify(key));
    }
  });
});
