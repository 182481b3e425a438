// Live: routing realm names (rt_realms) in and out of routes, their nexthops and rules, compared
// with ip reading the same file. ip reads only /etc/iproute2, so it runs in a private mount
// namespace (unshare -m) with a temporary directory bind-mounted there: the host's /etc is never
// written, and the mount disappears with ip. rtnl reads the same directory via RTNL_IPROUTE2_DIR.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rtnl } from '../cli/helpers.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

/** `ip -n NS ARGS` with DIR as /etc/iproute2 (output lines, trailing spaces trimmed). */
function ipWith(dir: string, ns: string, ...args: string[]): string[] {
  const out = execFileSync(
    'unshare',
    ['-m', 'sh', '-c', 'mount --bind "$0" /etc/iproute2 && exec ip "$@"', dir, '-n', ns, ...args],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
}

test('realm names from rt_realms: routes, multipath nexthops and rules, in and out, as ip', {
  skip: needsRoot,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-realms-'));
  writeFileSync(join(dir, 'rt_realms'), '0\tcosmos\n1 red\n5 blue\n');
  const saved = process.env.RTNL_IPROUTE2_DIR;
  process.env.RTNL_IPROUTE2_DIR = dir;
  try {
    await withTestNetns(async (ns, nl) => {
      const cli = async (...args: string[]) => {
        const r = await rtnl(['-n', ns, ...args]);
        assert.equal(r.status, 0, `rtnl ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.split('\n').filter(Boolean);
      };
      await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true });
      await nl.addresses.add('v0', '192.0.2.1/24');
      await cli('route', 'add', '198.51.100.0/24', 'via', '192.0.2.2', 'realms', 'red/blue');
      await cli('route', 'add', '203.0.113.0/24', 'dev', 'v0', 'realm', '7', 'metric', '5');
      await cli(
        'route',
        'add',
        '10.1.0.0/16',
        'nexthop',
        'via',
        '192.0.2.2',
        'realms',
        '3/blue',
        'nexthop',
        'via',
        '192.0.2.3',
        'realm',
        'red',
      );
      await nl.routes.add({ dst: '10.2.0.0/16', gateway: '192.0.2.2', realms: { to: 5 } });
      await cli('rule', 'add', 'pref', '10', 'realms', 'red/blue', 'table', '5');
      await cli('rule', 'add', 'pref', '11', 'realms', '6', 'table', '5');
      await nl.rules.add({ priority: 12, realms: { from: 5, to: 1 }, table: 6 });

      assert.deepEqual(await cli('route', 'show'), ipWith(dir, ns, 'route', 'show'));
      assert.deepEqual(
        JSON.parse((await cli('-j', 'route', 'show'))[0]!),
        JSON.parse(ipWith(dir, ns, '-j', 'route', 'show')[0]!),
      );
      assert.deepEqual(await cli('rule', 'show'), ipWith(dir, ns, 'rule', 'show'));
      assert.deepEqual(
        JSON.parse((await cli('-j', 'rule', 'show'))[0]!),
        JSON.parse(ipWith(dir, ns, '-j', 'rule', 'show')[0]!),
      );
      // The names went in as ip's numbers; the API reports numbers.
      const routes = await nl.routes.list({ family: 4 });
      assert.deepEqual(routes.find((r) => r.dst === '198.51.100.0/24')?.realms, { from: 1, to: 5 });
      assert.deepEqual(
        routes.find((r) => r.dst === '10.1.0.0/16')?.multipath?.map((h) => h.realms),
        [
          { from: 3, to: 5 },
          { from: 0, to: 1 },
        ],
      );
      assert.deepEqual((await nl.rules.list({ family: 4, priority: 10 }))[0]?.realms, { from: 1, to: 5 });
      // A name the file lacks is refused before anything is sent.
      const bad = await rtnl(['-n', ns, 'route', 'add', '10.3.0.0/16', 'dev', 'v0', 'realm', 'green']);
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /realm/);
    });
  } finally {
    if (saved === undefined) delete process.env.RTNL_IPROUTE2_DIR;
    else process.env.RTNL_IPROUTE2_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});
