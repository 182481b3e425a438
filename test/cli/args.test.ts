// Command lines shaped like ip's, and the ops calls they turn into. No root, no kernel: parsing
// is pure. Bad input is one `Error: ...` line and a non-zero exit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine } from '../../src/cli/main.js';
import { UsageError } from '../../src/cli/args.js';
import { rtnl } from './helpers.js';

const plan = (line: string) => parseCommandLine(line.split(/\s+/).filter(Boolean)).plan;

const CASES: Array<[string, string, unknown[]]> = [
  // link
  ['link add br0 type bridge stp_state 0', 'links.add', [{ name: 'br0', kind: 'bridge', bridge: { stpState: 0 } }]],
  [
    'link add name br1 type bridge forward_delay 400 mcast_query_interval 1000 vlan_protocol 802.1ad',
    'links.add',
    [{ name: 'br1', kind: 'bridge', bridge: { forwardDelay: 400, mcastQueryIntvl: 1000, vlanProtocol: '802.1ad' } }],
  ],
  [
    'link add vh type veth peer name vc netns blue',
    'links.add',
    [{ name: 'vh', kind: 'veth', peer: { name: 'vc', netns: 'blue' } }],
  ],
  [
    'link add vh mtu 1400 address 02:00:00:00:00:01 up type veth peer vc mtu 1300',
    'links.add',
    [{ name: 'vh', kind: 'veth', mtu: 1400, address: '02:00:00:00:00:01', up: true, peer: { name: 'vc', mtu: 1300 } }],
  ],
  [
    'link add vx0 type vxlan id 42 dstport 4789 remote 192.0.2.77 local 192.0.2.1 dev eth0 nolearning',
    'links.add',
    [
      {
        name: 'vx0',
        kind: 'vxlan',
        vxlan: { id: 42, port: 4789, remote: '192.0.2.77', local: '192.0.2.1', dev: 'eth0', learning: false },
      },
    ],
  ],
  [
    'link add mv0 link eth0 type macvlan mode bridge',
    'links.add',
    [{ name: 'mv0', kind: 'macvlan', link: 'eth0', macvlan: { mode: 'bridge' } }],
  ],
  [
    'link add link eth0 name eth0.10 type vlan id 10',
    'links.add',
    [{ name: 'eth0.10', kind: 'vlan', link: 'eth0', vlan: { id: 10 } }],
  ],
  ['link add vrf0 type vrf table 10', 'links.add', [{ name: 'vrf0', kind: 'vrf', vrf: { table: 10 } }]],
  // Each kind's words come from its plugin (src/kinds/link).
  [
    'link add vx1 type vxlan id 5 srcport 5000 6000 df set ttl inherit external maxaddress unlimited',
    'links.add',
    [
      {
        name: 'vx1',
        kind: 'vxlan',
        vxlan: {
          id: 5,
          portRange: { low: 5000, high: 6000 },
          df: 'set',
          ttl: 'inherit',
          collectMetadata: true,
          limit: 0,
        },
      },
    ],
  ],
  [
    'link add b0 type bond mode 802.3ad xmit_hash_policy layer3+4 arp_ip_target 10.0.0.1,10.0.0.2 min_links 2',
    'links.add',
    [
      {
        name: 'b0',
        kind: 'bond',
        bond: { mode: '802.3ad', xmitHashPolicy: 'layer3+4', arpIpTarget: ['10.0.0.1', '10.0.0.2'], minLinks: 2 },
      },
    ],
  ],
  [
    'link add link eth0 name vl5 type vlan id 5 egress-qos-map 1:2 3:4 protocol 802.1ad',
    'links.add',
    [
      {
        name: 'vl5',
        kind: 'vlan',
        link: 'eth0',
        vlan: {
          id: 5,
          egressQos: [
            { from: 1, to: 2 },
            { from: 3, to: 4 },
          ],
          protocol: '802.1ad',
        },
      },
    ],
  ],
  [
    'link add iv0 link eth0 type ipvlan mode l3s private',
    'links.add',
    [{ name: 'iv0', kind: 'ipvlan', link: 'eth0', ipvlan: { mode: 'l3s', isolation: 'private' } }],
  ],
  [
    'link add mt0 link eth0 type macvtap mode vepa',
    'links.add',
    [{ name: 'mt0', kind: 'macvtap', link: 'eth0', macvlan: { mode: 'vepa' } }],
  ],
  ['link add d0 type dummy', 'links.add', [{ name: 'd0', kind: 'dummy' }]],
  ['link set dev vh up mtu 1400 master br0', 'links.set', ['vh', { up: true, mtu: 1400, master: 'br0' }]],
  ['link set vc netns blue name eth0', 'links.set', ['vc', { netns: 'blue', name: 'eth0' }]],
  ['link set vc netns 1234', 'links.set', ['vc', { netns: { pid: 1234 } }]],
  ['l s vh down nomaster', 'links.set', ['vh', { up: false, master: null }]],
  ['link set dev br0 type bridge stp_state 1', 'links.set', ['br0', { bridge: { stpState: 1 } }]],
  [
    'link set eth0 alias uplink txqueuelen 500 group 3 address 02:00:00:00:00:02',
    'links.set',
    ['eth0', { alias: 'uplink', txqlen: 500, group: 3, address: '02:00:00:00:00:02' }],
  ],
  ['link del vh', 'links.delete', ['vh']],
  ['link delete dev vh type veth', 'links.delete', ['vh']],
  ['link', 'link.show', [{}]],
  ['link show dev eth0', 'link.show', [{ dev: 'eth0' }]],
  ['l sh up master br0 type veth', 'link.show', [{ up: true, master: 'br0', kind: 'veth' }]],
  // address
  ['addr add 10.0.0.2/24 dev eth0', 'addresses.add', ['eth0', '10.0.0.2/24', {}]],
  [
    'a add 192.0.2.5/24 brd + dev eth0 label eth0:1 valid_lft 100 preferred_lft 50 noprefixroute metric 7',
    'addresses.add',
    [
      'eth0',
      '192.0.2.5/24',
      { broadcast: '+', label: 'eth0:1', validLft: 100, preferredLft: 50, flags: ['noprefixroute'], metric: 7 },
    ],
  ],
  [
    'address add 2001:db8::1/64 dev eth0 nodad scope link',
    'addresses.add',
    ['eth0', '2001:db8::1/64', { flags: ['nodad'], scope: 'link' }],
  ],
  ['addr add 10.9.0.1 peer 10.9.0.2/32 dev eth0', 'addresses.add', ['eth0', '10.9.0.1', { peer: '10.9.0.2/32' }]],
  [
    'addr replace 10.0.0.2/24 dev eth0 valid_lft forever',
    'addresses.replace',
    ['eth0', '10.0.0.2/24', { validLft: 'forever' }],
  ],
  ['addr del 10.0.0.2/24 dev eth0', 'addresses.delete', ['eth0', '10.0.0.2/24']],
  ['-6 addr flush dev eth0', 'addresses.flush', ['eth0', { family: 6 }]],
  ['addr flush eth0', 'addresses.flush', ['eth0']],
  ['addr', 'address.show', [{}]],
  ['-4 a s dev eth0 up', 'address.show', [{ family: 4, dev: 'eth0', up: true }]],
  // route
  ['route add default via 10.0.0.1', 'routes.add', [{ dst: 'default', gateway: '10.0.0.1' }]],
  ['-6 route add default via 2001:db8::1', 'routes.add', [{ dst: 'default', gateway: '2001:db8::1', family: 6 }]],
  [
    'route add 192.0.2.0/24 dev eth0 src 192.0.2.1 metric 10 table 1000',
    'routes.add',
    [{ dst: '192.0.2.0/24', dev: 'eth0', src: '192.0.2.1', metric: 10, table: 1000 }],
  ],
  [
    'r add 10.1.0.0/16 nexthop via 192.0.2.2 weight 1 nexthop via 198.51.100.2 dev vc weight 2',
    'routes.add',
    [
      {
        dst: '10.1.0.0/16',
        multipath: [
          { gateway: '192.0.2.2', weight: 1 },
          { gateway: '198.51.100.2', dev: 'vc', weight: 2 },
        ],
      },
    ],
  ],
  ['route add blackhole 10.30.0.0/16', 'routes.add', [{ dst: '10.30.0.0/16', type: 'blackhole' }]],
  [
    'route add unreachable 10.31.0.0/16 metric 5',
    'routes.add',
    [{ dst: '10.31.0.0/16', type: 'unreachable', metric: 5 }],
  ],
  [
    'route add 10.20.0.0/16 via 192.0.2.3 mtu lock 1400 advmss 1300 initcwnd 10',
    'routes.add',
    [{ dst: '10.20.0.0/16', gateway: '192.0.2.3', metrics: { mtu: 1400, advmss: 1300, initcwnd: 10, lock: 1 << 2 } }],
  ],
  [
    'route add 10.40.0.0/16 via 10.99.0.1 dev br0 onlink proto static scope global',
    'routes.add',
    [{ dst: '10.40.0.0/16', gateway: '10.99.0.1', dev: 'br0', onlink: true, protocol: 'static', scope: 'global' }],
  ],
  [
    '-6 route add 2001:db8:9::/48 dev eth0 pref high',
    'routes.add',
    [{ dst: '2001:db8:9::/48', dev: 'eth0', pref: 'high', family: 6 }],
  ],
  [
    'route replace 10.0.0.0/8 dev eth0 table main',
    'routes.replace',
    [{ dst: '10.0.0.0/8', dev: 'eth0', table: 'main' }],
  ],
  ['route del 10.20.0.0/16', 'routes.delete', [{ dst: '10.20.0.0/16' }]],
  ['route del default', 'routes.delete', [{ dst: 'default', family: 4 }]],
  ['route get 10.1.2.3', 'route.get', ['10.1.2.3']],
  [
    'route get 10.1.2.3 from 192.0.2.1 oif eth0 mark 7',
    'route.get',
    ['10.1.2.3', { from: '192.0.2.1', oif: 'eth0', mark: 7 }],
  ],
  ['route', 'route.show', [{ family: 4 }]],
  ['route show table 1000', 'route.show', [{ table: 1000, family: 4 }]],
  ['route show table all', 'route.show', [{ table: 'all' }]],
  ['-6 ro sh dev eth0 proto kernel', 'route.show', [{ dev: 'eth0', protocol: 'kernel', family: 6 }]],
  ['route show 10.20.0.0/16', 'route.show', [{ exact: '10.20.0.0/16', family: 4 }]],
  // neighbour
  [
    'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent',
    'neighbours.add',
    [{ address: '192.0.2.9', lladdr: '02:00:00:00:00:09', dev: 'eth0', state: 'permanent' }],
  ],
  [
    'n replace 2001:db8::9 lladdr 02:00:00:00:00:0a dev eth0 router nud reachable',
    'neighbours.replace',
    [{ address: '2001:db8::9', lladdr: '02:00:00:00:00:0a', dev: 'eth0', router: true, state: 'reachable' }],
  ],
  ['neigh del 192.0.2.9 dev eth0', 'neighbours.delete', [{ address: '192.0.2.9', dev: 'eth0' }]],
  ['neighbour show dev eth0 nud all', 'neigh.show', [{ dev: 'eth0', nud: 'all' }]],
  // rule
  [
    'rule add from 192.0.2.0/24 table 100 priority 100',
    'rules.add',
    [{ from: '192.0.2.0/24', table: 100, priority: 100 }],
  ],
  [
    'ru add not to 203.0.113.0/24 fwmark 0x10/0xff iif eth0 oif eth1 lookup main pref 5 tos 0x10',
    'rules.add',
    [
      {
        not: true,
        to: '203.0.113.0/24',
        fwmark: 16,
        fwmask: 255,
        iif: 'eth0',
        oif: 'eth1',
        table: 'main',
        priority: 5,
        tos: 16,
      },
    ],
  ],
  ['rule add pref 500 blackhole', 'rules.add', [{ priority: 500, action: 'blackhole' }]],
  ['rule add pref 501 realms 1/cosmos table 5', 'rules.add', [{ priority: 501, realms: { from: 1, to: 0 }, table: 5 }]],
  [
    'bridge fdb add 02:00:00:00:00:05 dev vx0 nhid 5 self',
    'neighbours.add',
    [{ family: 'bridge', lladdr: '02:00:00:00:00:05', dev: 'vx0', nhid: 5, self: true }],
  ],
  ['rule add pref 400 goto 500 protocol static', 'rules.add', [{ priority: 400, goto: 500, protocol: 'static' }]],
  [
    '-6 rule add from 2001:db8::/32 table 300 suppress_prefixlength 0',
    'rules.add',
    [{ from: '2001:db8::/32', table: 300, suppressPrefixlen: 0, family: 6 }],
  ],
  ['rule del priority 100', 'rules.delete', [{ priority: 100 }]],
  ['rule', 'rule.show', [{ family: 4 }]],
  ['-6 rule show', 'rule.show', [{ family: 6 }]],
  ['rule show pref 100 table 5', 'rule.show', [{ family: 4, priority: 100, table: 5 }]],
  ['rule flush table main', 'rule.flush', [{ family: 4, table: 'main' }]],
  [
    'rule add from all pref 10 ipproto tcp sport 1000-2000 dport 443 uidrange 5-9 table 10',
    'rules.add',
    [
      {
        priority: 10,
        ipproto: 'tcp',
        sport: { start: 1000, end: 2000 },
        dport: 443,
        uidRange: { start: 5, end: 9 },
        table: 10,
      },
    ],
  ],
  ['route change 10.0.0.0/8 via 192.0.2.1', 'routes.change', [{ dst: '10.0.0.0/8', gateway: '192.0.2.1' }]],
  ['route append 10.0.0.0/8 dev eth0', 'routes.append', [{ dst: '10.0.0.0/8', dev: 'eth0' }]],
  [
    'route add 10.0.0.0/8 tos 0x10 via inet6 2001:db8::1 dev eth0 realms 2/3',
    'routes.add',
    [{ dst: '10.0.0.0/8', tos: 16, via: '2001:db8::1', dev: 'eth0', realms: { from: 2, to: 3 } }],
  ],
  [
    '-6 route add 2001:db8:1::/64 dev eth0 expires 60',
    'routes.add',
    [{ dst: '2001:db8:1::/64', dev: 'eth0', expires: 60, family: 6 }],
  ],
  [
    'route get 10.1.2.3 uid 5 ipproto udp sport 53 dport 5353',
    'route.get',
    ['10.1.2.3', { uid: 5, ipproto: 'udp', sport: 53, dport: 5353 }],
  ],
  [
    'route show root 10.0.0.0/8 match 10.1.0.0/16 via 192.0.2.1 scope link proto static type unicast',
    'route.show',
    [
      {
        root: '10.0.0.0/8',
        match: '10.1.0.0/16',
        via: '192.0.2.1',
        scope: 'link',
        protocol: 'static',
        type: 'unicast',
        family: 4,
      },
    ],
  ],
  ['route flush table 100 proto static', 'route.flush', [{ table: 100, protocol: 'static', family: 4 }]],
  // netns, monitor, decode
  ['netns add blue', 'netns.create', ['blue']],
  ['netns del blue', 'netns.delete', ['blue']],
  ['netns', 'netns.list', []],
  ['netns list', 'netns.list', []],
  ['netns set blue 5', 'netns.set', ['blue', 5]],
  ['netns set blue auto', 'netns.set', ['blue', 'auto']],
  ['netns list-id', 'netns.list-id', []],
  ['netns exec blue ip -br link', 'netns.exec', ['blue', ['ip', '-br', 'link']]],
  ['link property add dev v0 altname a1 altname a2', 'links.addAltNames', ['v0', ['a1', 'a2']]],
  [
    'link set v0 arp off multicast on allmulticast on promisc off',
    'links.set',
    ['v0', { arp: false, multicast: true, allmulticast: true, promisc: false }],
  ],
  [
    'link set v0 gso_max_size 1000 gro_ipv4_max_size 2000 addrgenmode none',
    'links.set',
    ['v0', { gsoMaxSize: 1000, groIpv4MaxSize: 2000, addrGenMode: 'none' }],
  ],
  [
    'link set v0 type bridge_slave hairpin on cost 5 state forwarding',
    'links.set',
    ['v0', { bridgePort: { hairpin: true, cost: 5, state: 'forwarding' } }],
  ],
  [
    'bridge link set dev v0 isolated on group_fwd_mask 0x8',
    'bridge.setPort',
    ['v0', { isolated: true, groupFwdMask: 8 }],
  ],
  ['address flush label v0:*', 'addresses.flush', [undefined, { label: 'v0:*' }]],
  ['neigh flush dev v0 nud stale', 'neighbours.flush', [{ link: 'v0', nud: 'stale' }]],
  ['monitor', 'monitor', [['link', 'address', 'route', 'neighbour', 'rule', 'nsid', 'nexthop']]],
  ['monitor nexthop', 'monitor', [['nexthop']]],
  [
    'nexthop add id 1 via 192.0.2.1 dev eth0 onlink',
    'nexthops.add',
    [{ id: 1, gateway: '192.0.2.1', dev: 'eth0', onlink: true }],
  ],
  ['nexthop add id 2 blackhole proto static', 'nexthops.add', [{ id: 2, blackhole: true, protocol: 'static' }]],
  [
    'nexthop replace id 10 group 1,300/2 type resilient buckets 16 idle_timer 1.5',
    'nexthops.replace',
    [
      {
        id: 10,
        group: [{ id: 1, weight: 300 }, { id: 2 }],
        type: 'resilient',
        resilient: { buckets: 16, idleTimer: 1.5 },
      },
    ],
  ],
  ['nexthop del id 3', 'nexthops.delete', [3]],
  ['nexthop show dev eth0 groups', 'nexthop.show', [{ filter: { dev: 'eth0', groups: true } }]],
  ['nexthop get id 7', 'nexthop.show', [{ id: 7, filter: {} }]],
  ['nexthop flush fdb', 'nexthop.flush', [{ fdb: true }]],
  ['nexthop flush vrf blue', 'nexthop.flush', [{}, 'blue']],
  ['nexthop show vrf blue', 'nexthop.show', [{ vrf: 'blue', filter: {} }]],
  [
    'nexthop add id 7 encap mpls 100/200 ttl 9 via 192.0.2.2 dev eth0',
    'nexthops.add',
    [{ id: 7, encap: { type: 'mpls', labels: [100, 200], ttl: 9 }, gateway: '192.0.2.2', dev: 'eth0' }],
  ],
  [
    'nexthop add id 8 encap ip id 5 dst 198.51.100.9 tos 16 dev vx0',
    'nexthops.add',
    [{ id: 8, encap: { type: 'ip', id: 5n, dst: '198.51.100.9', tos: 16 }, dev: 'vx0' }],
  ],
  ['nexthop add id 9 group 1/2 hw_stats on', 'nexthops.add', [{ id: 9, group: [{ id: 1 }, { id: 2 }], hwStats: true }]],
  ['nexthop bucket show id 10 nhid 2', 'nexthop.buckets', [{ nhid: 2, id: 10 }]],
  ['nexthop bucket get id 10 index 3', 'nexthop.bucket', [10, 3]],
  ['route add 203.0.113.0/24 nhid 10', 'routes.add', [{ dst: '203.0.113.0/24', nhid: 10 }]],
  [
    'route add 203.0.113.0/24 encap ip id 7 dst 192.0.2.9 src 192.0.2.1 ttl 3 tos 8 dev vx0',
    'routes.add',
    [
      {
        dst: '203.0.113.0/24',
        encap: { type: 'ip', id: 7n, dst: '192.0.2.9', src: '192.0.2.1', ttl: 3, tos: 8 },
        dev: 'vx0',
      },
    ],
  ],
  [
    'route replace 10.0.0.0/8 encap mpls 100/200 ttl 9 via 192.0.2.2',
    'routes.replace',
    [{ dst: '10.0.0.0/8', encap: { type: 'mpls', labels: [100, 200], ttl: 9 }, gateway: '192.0.2.2' }],
  ],
  [
    '-6 route change 2001:db8:9::/64 encap ip6 id 9 dst 2001:db8::9 hoplimit 3 tc 2 dev vx0 src 2001:db8::1',
    'routes.change',
    [
      {
        dst: '2001:db8:9::/64',
        encap: { type: 'ip6', id: 9n, dst: '2001:db8::9', hoplimit: 3, tc: 2 },
        dev: 'vx0',
        // after "dev", "src" is the route's own again (ip's parse_encap_ip6 stops at "dev")
        src: '2001:db8::1',
        family: 6,
      },
    ],
  ],
  ['-6 monitor link addr route', 'monitor', [['link', 'address6', 'route6']]],
  ['monitor neigh rule nsid', 'monitor', [['neighbour', 'rule', 'nsid']]],
  ['decode fixtures/link/veth-reply.hex', 'decode', ['fixtures/link/veth-reply.hex']],
  ['decode', 'decode', ['-']],
];

describe('ip-shaped command lines become ops calls', () => {
  for (const [line, op, args] of CASES) {
    test(`rtnl ${line}`, () => {
      assert.deepEqual(plan(line), { op, args });
    });
  }

  test('global options: -n NETNS -j -p -d -4, long forms and --double-dash forms', () => {
    const { g, plan: p } = parseCommandLine(['-n', 'blue', '-j', '-p', '-d', '-4', 'link', 'show', 'dev', 'eth0']);
    assert.deepEqual(g, { netns: 'blue', json: true, pretty: true, details: 1, family: 4, stats: 0 });
    assert.deepEqual(p, { op: 'link.show', args: [{ dev: 'eth0' }] });
    const long = parseCommandLine(['-netns', 'blue', '--json', '-details', '-details', '-family', 'inet6', 'route']);
    assert.deepEqual(long.g, { netns: 'blue', json: true, pretty: false, details: 2, family: 6, stats: 0 });
  });

  test('help: top level, per object, and -h/--help', () => {
    for (const line of [[], ['help'], ['--help'], ['-h']])
      assert.match(String(parseCommandLine(line).plan.args[0]), /^Usage: rtnl \[OPTIONS\] OBJECT/);
    for (const obj of ['link', 'address', 'route', 'neigh', 'rule', 'netns', 'monitor', 'decode']) {
      const p = parseCommandLine([obj, 'help']).plan;
      assert.equal(p.op, 'help');
      assert.match(String(p.args[0]), /^Usage: rtnl /);
      assert.deepEqual(parseCommandLine([obj, '--help']).plan, p);
    }
  });
});

const BAD: Array<[string, RegExp]> = [
  ['frobnicate', /object "frobnicate" is unknown/],
  ['link frob', /command "frob" is unknown/],
  ['-x link', /option "-x" is unknown/],
  ['-n', /needs a namespace name/],
  ['link add br0', /"type" argument is required/],
  ['link add type bridge', /"dev" argument is required/],
  ['link set', /"dev" argument is required/],
  ['link set eth0 mtu', /"mtu" needs a value/],
  ['link set eth0 mtu big', /argument "big" is wrong: mtu/],
  ['link add br0 type bridge bogus_opt 1', /unknown bridge option "bogus_opt"/],
  ['link add br0 type bridge stp_state', /"stp_state" needs a value/],
  ['link add vh type veth peer', /veth peer needs a name/],
  ['link set vh type veth peer name x', /can only be given when the link is created/],
  ['link add vx type vxlan id 5 df maybe', /argument "maybe" is wrong: df/],
  ['link add g0 type gtp role sgsn', /rtnl does not know the options of gtp links/],
  ['link set eth0 eth1', /"dev" is duplicate, or "eth1" is garbage/],
  ['addr add 10.0.0.300/24 dev eth0', /argument "10.0.0.300\/24" is wrong/],
  ['addr add 10.0.0.2/24', /"dev" argument is required/],
  ['addr flush', /flush requires arguments/],
  ['route add', /destination PREFIX/],
  ['route add 10.0.0.0/8 metric abc', /argument "abc" is wrong: metric/],
  ['route add 10.0.0.0/8 table all', /argument "all" is wrong: table/],
  ['route add 10.0.0.0/8 via 10.0.0.1 via 10.0.0.2', /"via" is duplicate/],
  ['route add 10.0.0.0/8 encap seg6 mode encap segs 2001:db8::1 dev vx0', /"encap seg6" is not supported by rtnl/],
  ['route add 10.0.0.0/8 encap ip id x dst 192.0.2.9 dev vx0', /argument "x" is wrong: id/],
  ['route add 10.0.0.0/8 nexthop via 192.0.2.2 encap ip id 1', /"encap" inside "nexthop" is not supported by rtnl/],
  ['route prepend 10.0.0.0/8 dev eth0', /not supported by rtnl/],
  ['route flush', /requires arguments/],
  ['route get', /destination address/],
  ['neigh add 192.0.2.9 dev eth0 nud bogus', /argument "bogus" is wrong: nud/],
  ['neigh add dev eth0', /neighbour address is required/],
  ['rule add fwmark zz', /argument "zz" is wrong: fwmark/],
  ['rule del', /requires arguments/],
  ['rule add l3mdev', /not supported/],
  ['rule add dport 90-80', /ends before it starts/],
  ['netns add', /no netns name/],
  ['netns exec blue', /needs a command/],
  ['netns attach blue 1', /not supported by rtnl/],
  ['link set v0 protodown on', /"protodown" is not supported by rtnl/],
  ['link set v0 arp maybe', /argument "maybe" is wrong: arp/],
  ['address show scope host dynamic', /"dynamic" is not supported by rtnl/],
  ['bridge mdb show', /"bridge mdb" is not supported by rtnl/],
  ['bridge link set dev v0 learning_sync on', /"learning_sync" is not supported by rtnl/],
  ['monitor bogus', /monitor object must be one of/],
  ['decode a b', /takes one FILE/],
];

describe('bad input is one usage error', () => {
  for (const [line, re] of BAD) {
    test(`rtnl ${line}`, () => {
      assert.throws(
        () => plan(line),
        (err: unknown) => err instanceof UsageError && re.test(err.message) && !err.message.includes('\n'),
      );
    });
  }

  test('the program prints one Error: line, no stack, and exits 2; help exits 0', async () => {
    const [bad, val, help, top] = await Promise.all([
      rtnl(['link', 'frob']),
      rtnl(['route', 'add', '10.0.0.0/8', 'metric', 'abc']),
      rtnl(['link', 'help']),
      rtnl(['--help']),
    ]);
    for (const r of [bad, val]) {
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^Error: [^\n]+\n$/);
    }
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: rtnl link add/);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /OBJECT := \{ link \| address \| route/);
  });
});
