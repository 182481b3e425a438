// Live (root): nl.ethtool on veth, tun, bridge and lo in a fresh namespace, field by field
// against the `ethtool` command run in the same namespace.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { ip, needsRoot, withTestNetns } from '../helpers/netns.js';

const hasEthtool = spawnSync('ethtool', ['--version']).status === 0;
const skip = needsRoot ?? (hasEthtool ? undefined : 'the ethtool command is not installed');

/** `ethtool ARGS` inside NS: { ok, out } (ethtool exits non-zero on refusals). */
function ethtool(ns: string, ...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ethtool', ...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

/** `key: value` lines of `ethtool -i` / `ethtool -S` (values trimmed). */
function keyValues(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const at = line.indexOf(': ');
    const key = at < 0 ? line.replace(/:$/, '').trim() : line.slice(0, at).trim();
    if (key) m.set(key, at < 0 ? '' : line.slice(at + 2).trim());
  }
  return m;
}

const setup = (ns: string) => {
  ip('-n', ns, 'link', 'add', 'v0', 'numtxqueues', '2', 'numrxqueues', '2', 'type', 'veth', 'peer', 'name', 'v1');
  ip('-n', ns, 'tuntap', 'add', 'tun0', 'mode', 'tun');
  ip('-n', ns, 'link', 'add', 'br0', 'type', 'bridge');
};
const DEVICES = ['v0', 'v1', 'tun0', 'br0', 'lo'];

describe('ethtool (ioctl half)', { skip }, () => {
  test('driver() matches ethtool -i; refusals are SysError EOPNOTSUPP', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      let compared = 0;
      for (const dev of DEVICES) {
        const want = ethtool(ns, '-i', dev);
        const got = await nl.ethtool.driver(dev).catch((e) => e);
        if (!want.ok) {
          assert.match(want.out, /Operation not supported/);
          assert.equal(got.code, 'EOPNOTSUPP', dev);
          continue;
        }
        const kv = keyValues(want.out);
        assert.equal(got.driver, kv.get('driver'), dev);
        assert.equal(got.version, kv.get('version'), dev);
        assert.equal(got.firmwareVersion, kv.get('firmware-version'), dev);
        assert.equal(got.expansionRomVersion, kv.get('expansion-rom-version'), dev);
        assert.equal(got.busInfo, kv.get('bus-info'), dev);
        assert.equal(got.nStats > 0 ? 'yes' : 'no', kv.get('supports-statistics'), dev);
        assert.equal(got.testinfoLen > 0 ? 'yes' : 'no', kv.get('supports-test'), dev);
        assert.equal(got.eedumpLen > 0 ? 'yes' : 'no', kv.get('supports-eeprom-access'), dev);
        assert.equal(got.regdumpLen > 0 ? 'yes' : 'no', kv.get('supports-register-dump'), dev);
        assert.equal(got.nPrivFlags > 0 ? 'yes' : 'no', kv.get('supports-priv-flags'), dev);
        compared++;
      }
      assert.equal(compared, 4); // v0, v1, tun0, br0 (lo has no driver callback)
      const idx = Number(
        execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'v0'], { encoding: 'utf8' }).match(/"ifindex":(\d+)/)![1],
      );
      assert.equal((await nl.ethtool.driver(idx)).driver, 'veth');
      assert.equal((await nl.ethtool.driver('nosuch0').catch((e) => e)).code, 'ENODEV');
    });
  });

  test('stats() matches ethtool -S name by name; devices without counters refuse cleanly', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      for (const dev of DEVICES) {
        const want = ethtool(ns, '-S', dev);
        const got = await nl.ethtool.stats(dev).catch((e) => e);
        if (!want.ok) {
          assert.match(want.out, /no stats available/);
          assert.equal(got.code, 'EOPNOTSUPP', dev);
          continue;
        }
        const kv = keyValues(want.out);
        kv.delete('NIC statistics');
        assert.deepEqual(Object.keys(got), [...kv.keys()], dev);
        for (const [k, v] of kv) assert.equal(got[k], BigInt(v), `${dev} ${k}`);
        assert.equal(Object.keys(got).length, (await nl.ethtool.driver(dev)).nStats);
      }
      const nums = await nl.ethtool.stats('v0', { numbers: true });
      assert.equal(typeof nums.peer_ifindex, 'number');
      // veth: peer_ifindex, 7 per rx queue, 2 per tx queue; two queues each way here.
      assert.equal(Object.keys(nums).length, 1 + 2 * 7 + 2 * 2);
    });
  });

  test('rtnl ethtool -i / -S print what ethtool -i / -S print', async () => {
    await withTestNetns(async (ns) => {
      setup(ns);
      for (const args of [
        ['-i', 'v0'],
        ['-i', 'br0'],
        ['-S', 'v0'],
      ]) {
        const out: string[] = [];
        const status = await main(['-n', ns, 'ethtool', ...args], { out: (s) => out.push(s), err: () => {} });
        assert.equal(status, 0);
        assert.equal(`${out.join('\n')}\n`, ethtool(ns, ...args).out, args.join(' '));
      }
      const err: string[] = [];
      assert.equal(await main(['-n', ns, 'ethtool', '-S', 'lo'], { out: () => {}, err: (s) => err.push(s) }), 2);
      assert.deepEqual(err, ['Error: no stats available']);
    });
  });
});
