// Live: `rtnl route add|replace|change ... encap` on a collect_md (vxlan external) device, and
// `rtnl route show` text and -j against ip's; MPLS refused with the kernel's words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { rtnl } from '../cli/helpers.js';
import { ip, needsRoot, withTestNetns } from '../helpers/netns.js';

/** ip's text without its trailing spaces (rtnl prints none). */
const ipText = (...args: string[]) => ip(...args).replace(/ +$/gm, '');

/**
 * ip's -j with lwt_print_encap's keys renamed as rtnl names them in a route (encap_id,
 * encap_dst, ...): ip prints them right after "encap", beside the route's own "dst", so a JSON
 * parser would drop one of the two. Each key once, in lwt_print_encap's order (a route's own
 * "tos" may follow the encap's).
 */
const ENCAP_KEYS = ['id', 'src', 'dst', 'ttl', 'tos', 'hoplimit', 'tc'].map((k) => `(?:"${k}":[^,}]+,)?`).join('');
const ipJsonEncapRenamed = (...args: string[]) =>
  JSON.parse(
    ip(...args).replace(
      new RegExp(`("encap":"\\w+",)(${ENCAP_KEYS})`, 'g'),
      (_m, head: string, keys: string) => head + keys.replace(/"(\w+)":/g, '"encap_$1":'),
    ),
  );

/** `rtnl -n NS LINE`, which must succeed: its stdout. */
async function ok(ns: string, line: string): Promise<string> {
  const r = await rtnl(['-n', ns, ...line.split(' ')]);
  assert.equal(r.status, 0, `${line}: ${r.stderr}`);
  return r.stdout;
}

test('route encap: add, replace, change through the CLI; show text and -j as ip', { skip: needsRoot }, () =>
  withTestNetns(async (ns) => {
    const ipLine = (line: string) => ip('-n', ns, ...line.split(' '));
    ipLine('link add vx0 type vxlan external dstport 4789');
    ipLine('link set vx0 up');
    ipLine('addr add 10.1.0.1/24 dev vx0');
    await ok(ns, 'route add 203.0.113.0/24 encap ip id 7 dst 192.0.2.9 dev vx0');
    await ok(
      ns,
      'route replace 198.51.100.0/24 encap ip id 8 dst 192.0.2.10 src 192.0.2.1 ttl 5 tos 4 dev vx0 metric 10',
    );
    await ok(ns, '-6 route add 2001:db8:9::/64 encap ip6 id 9 dst 2001:db8::9 hoplimit 3 tc 2 dev vx0');
    await ok(ns, 'route change 203.0.113.0/24 encap ip id 17 dst 192.0.2.19 dev vx0');
    // A multipath nexthop's encap (rtnl shows it; only ip adds it), and a route with tos and a gateway.
    ipLine(
      'route add 10.9.6.0/24 nexthop via 10.1.0.2 dev vx0 encap ip id 3 dst 192.0.2.3 nexthop via 10.1.0.3 dev vx0',
    );
    ipLine('route add 10.9.3.0/24 tos 0x10 encap ip id 1 dst 192.0.2.1 via 10.1.0.2 dev vx0 src 10.1.0.1');
    for (const sel of [[], ['-6'], ['-d'], ['-d', '-6']]) {
      const ours = await ok(ns, [...sel, 'route', 'show'].join(' '));
      assert.equal(ours, ipText('-n', ns, ...sel, 'route', 'show'), `route show ${sel.join(' ')}`);
      assert.match(ours, sel.includes('-6') ? /encap ip6 id 9 src :: dst 2001:db8::9/ : /encap ip id 17 /);
    }
    for (const fam of ['-4', '-6']) {
      assert.deepEqual(
        JSON.parse(await ok(ns, `${fam} -j route show`)),
        ipJsonEncapRenamed('-n', ns, fam, '-j', 'route', 'show'),
      );
    }
    const [changed] = JSON.parse(await ok(ns, '-j route show 203.0.113.0/24'));
    assert.equal(changed.dst, '203.0.113.0/24');
    assert.equal(changed.encap_dst, '192.0.2.19');
    assert.equal(changed.encap_id, 17);
    // This kernel has no MPLS: refused by the kernel, in its words, as ip is.
    const mpls = 'route add 10.9.2.0/24 encap mpls 100/200 dev vx0'.split(' ');
    const r = await rtnl(['-n', ns, ...mpls]);
    const theirs = spawnSync('ip', ['-n', ns, ...mpls], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.equal(theirs.stderr.trim(), 'Error: lwt encapsulation type not supported.');
    assert.match(r.stderr, /lwt encapsulation type not supported/);
    assert.equal(r.stderr.trim(), theirs.stderr.trim());
  }),
);
