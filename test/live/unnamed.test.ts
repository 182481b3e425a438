// Live (root): a namespace with every link kind this kernel can create, addresses, routes,
// neighbours and rules; every dump of it decodes with no attribute kept raw ($unknown / $raw).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { constants as C, type NetlinkMessage } from '../../src/codec/index.js';
import { sysctl } from '../../src/index.js';
import { req } from '../../src/ops/common.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

/** Byte values that are opaque by nature, not for want of a name: struct padding. */
const OPAQUE = new Set(['pad']);

/**
 * Paths of everything kept as bytes: unknown attributes ($unknown), unknown kinds' data ($raw),
 * and attributes declared as plain bytes although the kernel gives them structure.
 */
function rawPaths(value: unknown, path: string, out: string[] = []): string[] {
  if (value instanceof Uint8Array && !OPAQUE.has(path.slice(path.lastIndexOf('.') + 1))) out.push(`${path}: bytes`);
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => rawPaths(v, `${path}[${i}]`, out));
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === '$unknown') for (const u of v as Array<{ type: number }>) out.push(`${path}: attribute ${u.type}`);
    else if (k === '$raw') out.push(`${path}: kept raw`);
    else rawPaths(v, `${path}.${k}`, out);
  }
  return out;
}

const run = (ns: string, cmd: string) => {
  const [bin, ...args] = cmd.split(' ');
  execFileSync(bin!, ['-n', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
};

test('a namespace with every kind, address, route, neighbour and rule dumps with nothing unnamed', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    // Forwarding gives each IPv6 prefix its subnet-router anycast address.
    await sysctl.set('net.ipv6.conf.all.forwarding', '1', { netns: ns });
    for (const cmd of [
      'ip link set lo up',
      'ip link add v0 type veth peer name v1',
      'ip link add br0 type bridge stp_state 1',
      'ip link set v0 master br0',
      'ip link add mv0 link v1 type macvlan mode bridge',
      'ip link add mvt0 link v1 type macvtap mode vepa',
      'ip link add vx4 type vxlan id 4 local 192.0.2.1 remote 192.0.2.9 dstport 4789 dev v1',
      'ip link add vx6 type vxlan id 6 local 2001:db8::1 group ff05::100 dstport 4790 dev v1',
      'ip link add ifb0 type ifb',
      'ip tuntap add dev tun0 mode tun',
      'ip tuntap add dev tap0 mode tap multi_queue',
      'ip link set tap0 master br0',
      ...['v0', 'v1', 'br0', 'mv0', 'mvt0', 'vx4', 'vx6', 'ifb0', 'tun0', 'tap0'].map((d) => `ip link set ${d} up`),
      'ip addr add 192.0.2.1/24 dev v1',
      'ip addr add 2001:db8::1/64 dev v1 nodad',
      'ip addr add 198.51.100.1/24 dev br0 label br0:a',
      'ip addr add 2001:db8:1::1/64 dev br0 nodad',
      'ip route add 203.0.113.0/24 via 192.0.2.2 metric 5',
      'ip route add 10.1.0.0/16 dev v1 table 100 mtu 1400',
      'ip route add blackhole 10.2.0.0/16',
      'ip route add 10.3.0.0/16 nexthop via 192.0.2.3 weight 1 nexthop via 192.0.2.4 weight 2',
      'ip -6 route add 2001:db8:2::/48 via 2001:db8::2',
      'ip neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev v1 nud permanent',
      'ip neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev v1 nud reachable',
      'bridge fdb add 02:00:00:00:00:04 dev v0 master static',
      'bridge fdb append 00:00:00:00:00:00 dev vx4 dst 192.0.2.10',
      'ip rule add from 192.0.2.0/24 table 100 pref 100',
      'ip rule add ipproto tcp dport 80-90 table 100 pref 101',
      'ip -6 rule add from 2001:db8::/32 table 100 pref 102',
    ])
      run(ns, cmd);

    const dumps: Array<[string, NetlinkMessage]> = [
      // What `ip -d link` asks for; the AF_INET6 view (IFLA_PROTINFO: IFLA_INET6_*); what
      // `bridge -d link` and `bridge vlan` ask for (IFLA_PROTINFO: IFLA_BRPORT_*).
      ['links', req('RTM_GETLINK', { family: C.AF_UNSPEC }, { extMask: C.RTEXT_FILTER_VF })],
      ['inet6 links', req('RTM_GETLINK', { family: C.AF_INET6 })],
      ['bridge links', req('RTM_GETLINK', { family: C.AF_BRIDGE }, { extMask: C.RTEXT_FILTER_BRVLAN })],
      ['addresses', req('RTM_GETADDR', { family: C.AF_UNSPEC })],
      ['multicast addresses', req('RTM_GETMULTICAST', { family: C.AF_INET6 })],
      ['anycast addresses', req('RTM_GETANYCAST', { family: C.AF_INET6 })],
      ['IPv4 routes', req('RTM_GETROUTE', { family: C.AF_INET })],
      ['IPv6 routes', req('RTM_GETROUTE', { family: C.AF_INET6 })],
      ['neighbours', req('RTM_GETNEIGH', { family: C.AF_UNSPEC })],
      ['bridge fdb', req('RTM_GETNEIGH', { family: C.AF_BRIDGE })],
      ['IPv4 rules', req('RTM_GETRULE', { family: C.AF_INET })],
      ['IPv6 rules', req('RTM_GETRULE', { family: C.AF_INET6 })],
      ['neighbour tables', req('RTM_GETNEIGHTBL', { family: C.AF_UNSPEC })],
      // Every statistics group: IFLA_STATS_FILTER_BIT(1 .. IFLA_STATS_MAX).
      [
        'link statistics',
        req('RTM_GETSTATS', { family: C.AF_UNSPEC, ifindex: 0, filterMask: (1 << C.IFLA_STATS_MAX) - 1 }),
      ],
    ];
    const kinds = new Set<string>();
    const found: string[] = [];
    const seen = new Set<string>();
    for (const [what, msg] of dumps) {
      const msgs = await nl.engine.dump(msg);
      assert.ok(msgs.length > 0, `${what}: nothing dumped`);
      for (const m of msgs) {
        const protinfo = (m.attrs as { protinfo?: Record<string, unknown> }).protinfo;
        if (protinfo?.conf) seen.add('IFLA_PROTINFO with IFLA_INET6_CONF');
        if (protinfo?.state !== undefined) seen.add('IFLA_PROTINFO with IFLA_BRPORT_STATE');
        const kind = (m.attrs as { linkinfo?: { kind?: string } }).linkinfo?.kind;
        if (kind) kinds.add(kind);
        rawPaths(m, `${what} ${m.type}`, found);
      }
    }
    assert.deepEqual([...kinds].sort(), ['bridge', 'ifb', 'macvlan', 'macvtap', 'tun', 'veth', 'vxlan']);
    assert.deepEqual([...seen].sort(), ['IFLA_PROTINFO with IFLA_BRPORT_STATE', 'IFLA_PROTINFO with IFLA_INET6_CONF']);
    assert.deepEqual([...new Set(found)], []);
  });
});
