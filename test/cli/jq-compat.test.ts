// Live (root): `rtnl -j` against `ip -j` on a real topology in a fresh namespace, built with the
// CLI itself. Every key rtnl prints must exist in ip's output with the same value, the keys
// jq filters rely on must be in both, and jq-style filters give the same answers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sysctl } from '../../src/index.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { ipJsonAsync, jqSelect, rtnl, subsetDiff } from './helpers.js';

/** Run CLI commands in order, in one process (`rtnl -n NS -batch -`); each must succeed. */
async function cli(ns: string, ...lines: string[]): Promise<string[]> {
  const r = await rtnl(['-n', ns, '-batch', '-'], lines.join('\n'));
  assert.equal(r.status, 0, `rtnl -batch: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter(Boolean);
}

/** The show commands compared, and the keys that must be in rtnl's objects wherever ip has them. */
const SHOWS: Array<[string, string[]]> = [
  [
    'link show',
    [
      'ifindex',
      'ifname',
      'flags',
      'mtu',
      'qdisc',
      'operstate',
      'linkmode',
      'group',
      'txqlen',
      'link_type',
      'address',
      'broadcast',
      'master',
      'link',
      'ifalias',
    ],
  ],
  [
    '-d link show',
    ['ifindex', 'ifname', 'flags', 'master', 'link', 'linkinfo', 'promiscuity', 'min_mtu', 'max_mtu', 'num_tx_queues'],
  ],
  ['address show', ['ifindex', 'ifname', 'flags', 'mtu', 'operstate', 'address', 'addr_info']],
  ['-d address show', ['ifindex', 'ifname', 'linkinfo', 'addr_info']],
  ['-4 address show', ['ifindex', 'ifname', 'addr_info']],
  ['-6 address show', ['ifindex', 'ifname', 'addr_info']],
  [
    'route show',
    ['type', 'dst', 'gateway', 'dev', 'protocol', 'scope', 'prefsrc', 'metric', 'flags', 'nexthops', 'metrics'],
  ],
  ['-d route show', ['type', 'dst', 'gateway', 'dev', 'protocol', 'scope', 'flags', 'nexthops']],
  ['route show table 1000', ['dst', 'dev', 'scope', 'prefsrc', 'metric', 'flags']],
  [
    'route show table all',
    ['type', 'dst', 'gateway', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric', 'flags', 'pref', 'nexthops'],
  ],
  ['-6 route show', ['dst', 'gateway', 'dev', 'protocol', 'metric', 'flags', 'pref']],
  ['route get 10.1.2.3', ['dst', 'gateway', 'dev', 'prefsrc', 'flags', 'uid', 'cache']],
  ['neigh show', ['dst', 'dev', 'lladdr', 'state', 'router']],
  ['neigh show nud all', ['dst', 'dev', 'lladdr', 'state']],
  [
    'rule show',
    ['priority', 'src', 'srclen', 'dst', 'dstlen', 'table', 'fwmark', 'fwmask', 'iif', 'oif', 'not', 'action'],
  ],
  ['-d rule show', ['priority', 'src', 'table', 'protocol']],
  ['-6 rule show', ['priority', 'src', 'srclen', 'table']],
];

describe('rtnl -j matches ip -j, field by field', { skip: needsRoot }, () => {
  test('a bridge, a veth port, v4/v6 addresses, routes (gateway, table 1000, multipath, metrics), a neighbour and rules', async () => {
    await withTestNetns(async (ns, nl) => {
      // No DAD: addresses must not change state between the two reads.
      await sysctl.set('net.ipv6.conf.all.accept_dad', '0', { netns: ns });
      await sysctl.set('net.ipv6.conf.default.accept_dad', '0', { netns: ns });

      await cli(
        ns,
        'link add br0 type bridge stp_state 0',
        'link add vh type veth peer name vc',
        'link set dev vh up master br0',
        'link set br0 up',
        'link set dev vc up alias uplink',
        'link set lo up',
        'address add 192.0.2.1/24 dev br0',
        'address add 2001:db8::1/64 dev br0 nodad',
        'address add 198.51.100.1/24 dev vc',
        'address add 203.0.113.5/24 brd + dev br0 label br0:1',
        'route add default via 192.0.2.254',
        'route add 203.0.113.128/25 dev vc src 198.51.100.1 metric 10 table 1000',
        'route add 10.1.0.0/16 nexthop via 192.0.2.2 weight 1 nexthop via 198.51.100.2 dev vc weight 2',
        'route add 10.20.0.0/16 via 192.0.2.3 mtu lock 1400 advmss 1300',
        'route add blackhole 10.30.0.0/16',
        '-6 route add 2001:db8:9::/48 via 2001:db8::2',
        'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev br0 nud permanent',
        'neigh add 2001:db8::9 lladdr 02:00:00:00:00:0a dev br0 router nud reachable',
        'rule add from 192.0.2.0/24 table 100 priority 100',
        'rule add not from 198.51.100.0/24 to 203.0.113.0/24 fwmark 0x10/0xff iif br0 oif vc table 200 pref 200',
        'rule add pref 40000 unreachable',
        '-6 rule add from 2001:db8::/32 table 300 pref 100',
      );

      // Carrier and operstate settle asynchronously (linkwatch); compare a settled state.
      for (let i = 0; i < 50; i++) {
        const links = await nl.links.list();
        if (links.filter((l) => l.name !== 'lo').every((l) => l.operstate === 'UP' && l.flags.includes('LOWER_UP')))
          break;
        await new Promise((r) => setTimeout(r, 100));
      }

      // One rtnl process answers every show (one JSON line each), plus one plain invocation.
      const [lines, single, ...theirs] = await Promise.all([
        rtnl(['-n', ns, '-j', '-batch', '-'], SHOWS.map(([cmd]) => cmd).join('\n')),
        rtnl(['-n', ns, '-j', '-d', 'link', 'show']),
        ...SHOWS.map(([cmd]) => ipJsonAsync(['-n', ns, '-j', ...cmd.split(' ')])),
      ]);
      assert.equal(lines.status, 0, lines.stderr);
      assert.equal(single.status, 0, single.stderr);
      const ours = lines.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as any[]);
      assert.equal(ours.length, SHOWS.length);
      const out = new Map(SHOWS.map(([cmd], i) => [cmd, { rtnl: ours[i]!, ip: theirs[i] as any[] }]));
      assert.deepEqual(subsetDiff(JSON.parse(single.stdout), out.get('-d link show')!.ip, 'single'), []);

      for (const [cmd, important] of SHOWS) {
        const { rtnl: a, ip: b } = out.get(cmd)!;
        assert.deepEqual(subsetDiff(a, b, cmd), [], `rtnl -j ${cmd} prints something ip -j does not`);
        for (const [i, o] of b.entries()) {
          for (const k of important) if (k in o) assert.ok(k in a[i], `${cmd}[${i}].${k}: ip has it, rtnl does not`);
        }
        for (const [i, o] of a.entries()) {
          const objs = [o, ...((o.addr_info as any[]) ?? []), ...((o.nexthops as any[]) ?? [])];
          for (const x of objs)
            for (const k of Object.keys(x)) assert.ok(!/[A-Z]/.test(k), `${cmd}[${i}].${k}: not an ip key`);
        }
      }

      // The jq filters users keep, with the same answers from both.
      const same = (cmd: string, key: string, value: unknown, path: string[], expected: unknown[]) => {
        const { rtnl: a, ip: b } = out.get(cmd)!;
        assert.deepEqual(
          jqSelect(a, key, value, path),
          expected,
          `rtnl: ${cmd} | select(.${key}==${JSON.stringify(value)}) | .${path.join('.')}`,
        );
        assert.deepEqual(
          jqSelect(b, key, value, path),
          expected,
          `ip: ${cmd} | select(.${key}==${JSON.stringify(value)}) | .${path.join('.')}`,
        );
      };
      same('-d link show', 'ifname', 'br0', ['linkinfo', 'info_kind'], ['bridge']);
      same('-d link show', 'ifname', 'br0', ['linkinfo', 'info_data', 'stp_state'], [0]);
      same('-d link show', 'ifname', 'vh', ['linkinfo', 'info_slave_kind'], ['bridge']);
      same('-d link show', 'ifname', 'vh', ['linkinfo', 'info_slave_data', 'state'], ['forwarding']);
      same('link show', 'ifname', 'vh', ['master'], ['br0']);
      same('link show', 'ifname', 'vc', ['link'], ['vh']);
      same('link show', 'ifname', 'vc', ['ifalias'], ['uplink']);
      same('address show', 'ifname', 'vc', ['addr_info', '0', 'local'], ['198.51.100.1']);
      same('address show', 'ifname', 'br0', ['addr_info', '1', 'label'], ['br0:1']);
      same('address show', 'ifname', 'br0', ['addr_info', '1', 'broadcast'], ['203.0.113.255']);
      same('route show', 'dst', 'default', ['gateway'], ['192.0.2.254']);
      same('route show', 'dst', '10.1.0.0/16', ['nexthops', '1', 'weight'], [2]);
      same('route show', 'dst', '10.20.0.0/16', ['metrics', '0', 'mtu'], [1400]);
      same('route show', 'dst', '10.30.0.0/16', ['type'], ['blackhole']);
      same('route show table all', 'dst', '203.0.113.128/25', ['table'], ['1000']);
      same('route show table 1000', 'dst', '203.0.113.128/25', ['metric'], [10]);
      same('neigh show', 'dst', '192.0.2.9', ['state'], [['PERMANENT']]);
      same('rule show', 'priority', 100, ['table'], ['100']);
      same('rule show', 'priority', 200, ['fwmask'], ['0xff']);
      same('rule show', 'priority', 40000, ['action'], ['unreachable']);
      same('-6 rule show', 'priority', 100, ['srclen'], [32]);
    });
  });
});
