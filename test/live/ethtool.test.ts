// Live (root): nl.ethtool on veth, tun, bridge and lo in a fresh namespace, field by field
// against the `ethtool` command run in the same namespace.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { Rtnl } from '../../src/index.js';
import { NetlinkError } from '../../src/errors.js';
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
  ip('-n', ns, 'tuntap', 'add', 'tap0', 'mode', 'tap');
  ip('-n', ns, 'link', 'add', 'br0', 'type', 'bridge');
};
const DEVICES = ['v0', 'v1', 'tun0', 'br0', 'lo'];
const NL_DEVICES = ['v0', 'tun0', 'tap0', 'br0', 'lo'];

/** `ethtool -l`-style "Key:\tvalue" lines after a heading, as numbers (n/a: undefined). */
function section(out: string, heading: string): Record<string, number | undefined> {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith(heading));
  const o: Record<string, number | undefined> = {};
  for (const l of lines.slice(at + 1)) {
    const m = /^([A-Za-z ]+):\s+(\S+)$/.exec(l);
    if (!m) break;
    o[m[1]!] = m[2] === 'n/a' ? undefined : Number(m[2]);
  }
  return o;
}

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

  test('rtnl ethtool DEV prints what ethtool DEV prints, on veth, tun, tap, bridge and lo', async () => {
    await withTestNetns(async (ns) => {
      setup(ns);
      for (const dev of ['v0', 'tun0', 'tap0', 'br0', 'lo']) {
        const out: string[] = [];
        const status = await main(['-n', ns, 'ethtool', dev], { out: (s) => out.push(s), err: () => {} });
        assert.equal(status, 0);
        const want = spawnSync('ip', ['netns', 'exec', ns, 'ethtool', dev], { encoding: 'utf8' }).stdout;
        assert.equal(`${out.join('\n')}\n`, want, dev);
      }
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

describe('ethtool (generic netlink)', { skip }, () => {
  test('features agree with ethtool --json -k on veth, tun, tap, bridge and lo', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      for (const dev of NL_DEVICES) {
        const [want] = JSON.parse(ethtool(ns, '--json', '-k', dev).out);
        const got = await nl.ethtool.features(dev);
        let compared = 0;
        for (const [name, st] of Object.entries(got)) {
          if (!(name in want)) continue; // listed under its legacy name only
          assert.deepEqual(
            { active: st.active, fixed: st.fixed, requested: st.requested },
            want[name],
            `${dev} ${name}`,
          );
          compared++;
        }
        assert.ok(compared > 40, `${dev}: compared only ${compared}`);
      }
    });
  });

  test('features.set and channels.set change what ethtool then reports; the counter set follows', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      const r = await nl.ethtool.features.set('v0', { gro: true, 'tx-checksumming': false });
      assert.equal(r.changed['rx-gro'], true);
      assert.equal(r.changed['tx-checksum-ip-generic'], false);
      const [k] = JSON.parse(ethtool(ns, '--json', '-k', 'v0').out);
      assert.equal(k['generic-receive-offload'].active, true);
      assert.equal(k['tx-checksum-ip-generic'].active, false);
      // A fixed feature: accepted, not applied.
      assert.deepEqual((await nl.ethtool.features.set('lo', { 'rx-checksum': false })).notApplied, {
        'rx-checksum': false,
      });

      const before = Object.keys(await nl.ethtool.stats('v0')).length;
      await nl.ethtool.channels.set('v0', { rxCount: 1 });
      const l = ethtool(ns, '-l', 'v0').out;
      assert.equal(section(l, 'Current hardware settings').RX, 1);
      assert.deepEqual(await nl.ethtool.channels('v0'), {
        rxMax: section(l, 'Pre-set maximums').RX,
        txMax: section(l, 'Pre-set maximums').TX,
        rxCount: 1,
        txCount: section(l, 'Current hardware settings').TX,
      });
      const after = Object.keys(await nl.ethtool.stats('v0')).length;
      assert.equal(before - after, 7); // one rx queue fewer: 7 counters fewer
      const S = ethtool(ns, '-S', 'v0').out.trim().split('\n').length - 1;
      assert.equal(after, S);
      const err = await nl.ethtool.channels.set('v0', { rxCount: 3 }).catch((e) => e);
      assert.ok(err instanceof NetlinkError && err.code === 'EINVAL', String(err));
      assert.match(err.extack.msg ?? '', /exceeds maximum/);
    });
  });

  test('channels and coalesce agree with ethtool -l / -c on every device, or both refuse', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      for (const dev of NL_DEVICES) {
        const l = ethtool(ns, '-l', dev);
        const ch = await nl.ethtool.channels(dev).catch((e) => e);
        if (!l.ok) assert.ok(ch instanceof NetlinkError && ch.code === 'EOPNOTSUPP', `${dev}: ${ch}`);
        else {
          const max = section(l.out, 'Pre-set maximums');
          const cur = section(l.out, 'Current hardware settings');
          assert.deepEqual(
            [ch.rxMax, ch.txMax, ch.otherMax, ch.combinedMax, ch.rxCount, ch.txCount, ch.otherCount, ch.combinedCount],
            [max.RX, max.TX, max.Other, max.Combined, cur.RX, cur.TX, cur.Other, cur.Combined],
            dev,
          );
        }
        const c = ethtool(ns, '-c', dev);
        const co = await nl.ethtool.coalesce(dev).catch((e) => e);
        if (!c.ok) assert.ok(co instanceof NetlinkError && co.code === 'EOPNOTSUPP', `${dev}: ${co}`);
        else {
          const frames = /^rx-frames: (\S+)$/m.exec(c.out)![1];
          assert.equal(co.rxMaxFrames === undefined ? 'n/a' : String(co.rxMaxFrames), frames, dev);
          assert.equal(co.rxUsecs === undefined ? 'n/a' : String(co.rxUsecs), /^rx-usecs: (\S+)$/m.exec(c.out)![1]);
        }
      }
    });
  });

  test('coalesce on tun (get and set), tsinfo and link settings agree with ethtool', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      await nl.ethtool.coalesce.set('tun0', { rxMaxFrames: 8 });
      assert.match(ethtool(ns, '-c', 'tun0').out, /^rx-frames: 8$/m);
      assert.deepEqual(await nl.ethtool.coalesce('tun0'), { rxMaxFrames: 8 });
      for (const dev of NL_DEVICES) {
        const t = ethtool(ns, '-T', dev).out;
        const caps = t.split('Capabilities:')[1]!.split('PTP Hardware Clock')[0]!.trim().split(/\s+/);
        assert.deepEqual((await nl.ethtool.tsinfo(dev)).timestamping, caps, dev);
      }
      const link = await nl.ethtool.link('v0');
      const plain = ethtool(ns, 'v0').out;
      assert.match(plain, new RegExp(`Speed: ${link.speed}Mb/s`));
      assert.match(plain, /Duplex: Full/);
      assert.equal(link.duplex, 'full');
      await nl.ethtool.link.set('tun0', { speed: 100, duplex: 'half', autoneg: false });
      assert.match(ethtool(ns, 'tun0').out, /Speed: 100Mb\/s\s+Duplex: Half/);
      const tun = await nl.ethtool.link('tun0');
      assert.deepEqual([tun.speed, tun.duplex, tun.autoneg], [100, 'half', false]);
      const refused = await nl.ethtool.link.set('v0', { speed: 100 }).catch((e) => e);
      assert.ok(refused instanceof NetlinkError && refused.code === 'EOPNOTSUPP', String(refused));
    });
  });

  test('what a device cannot do fails as ethtool fails: NetlinkError EOPNOTSUPP', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      const cases: Array<[string[], (dev: string) => Promise<unknown>]> = [
        [['-g'], (d) => nl.ethtool.rings(d)],
        [['-a'], (d) => nl.ethtool.pause(d)],
        [['--show-eee'], (d) => nl.ethtool.eee(d)],
        [['--show-fec'], (d) => nl.ethtool.fec(d)],
        [['--show-priv-flags'], (d) => nl.ethtool.privateFlags(d)],
      ];
      let refused = 0;
      for (const dev of NL_DEVICES)
        for (const [args, call] of cases) {
          const want = ethtool(ns, ...args, dev);
          const got = await call(dev).then(
            () => 'ok',
            (e) => e,
          );
          if (want.ok) assert.equal(got, 'ok', `${args[0]} ${dev}`);
          else {
            assert.match(want.out, /Operation not supported/, `${args[0]} ${dev}`);
            assert.ok(got instanceof NetlinkError && got.code === 'EOPNOTSUPP', `${args[0]} ${dev}: ${got}`);
            refused++;
          }
        }
      assert.ok(refused >= 20, `only ${refused} refusals`);
    });
  });

  test('monitor: typed notifications for changes made by ethtool and by rtnl', async () => {
    await withTestNetns(async (ns, nl) => {
      setup(ns);
      const ac = new AbortController();
      const it = nl.ethtool.monitor({ signal: ac.signal, subscribed: true })[Symbol.asyncIterator]();
      assert.deepEqual((await it.next()).value, { type: 'subscribed' });
      assert.ok(ethtool(ns, '-L', 'v0', 'rx', '1').ok);
      const ch = (await it.next()).value as any;
      assert.equal(ch.type, 'channels');
      assert.equal(ch.dev.ifname, 'v0');
      assert.equal(ch.channels.rxCount, 1);
      await nl.ethtool.features.set('v0', { gro: true });
      const f = (await it.next()).value as any;
      assert.equal(f.type, 'features');
      assert.deepEqual(f.features['rx-gro'], { active: true, requested: true, fixed: false });
      await nl.ethtool.coalesce.set('tun0', { rxMaxFrames: 4 });
      const c = (await it.next()).value as any;
      assert.deepEqual([c.type, c.dev.ifname, c.coalesce.rxMaxFrames], ['coalesce', 'tun0', 4]);
      ac.abort();
      assert.equal((await it.next()).done, true);
    });
  });

  test('a client that used the ioctl, the generic netlink engine and a monitor leaves no fd open', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    await withTestNetns(async (ns) => {
      setup(ns);
      const before = fds();
      const nl = await Rtnl.open({ netns: ns });
      await nl.ethtool.stats('v0');
      await nl.ethtool.features('v0');
      const ac = new AbortController();
      const it = nl.ethtool.monitor({ signal: ac.signal, subscribed: true })[Symbol.asyncIterator]();
      await it.next();
      assert.ok(fds() >= before + 4); // netlink, ioctl, genl and monitor sockets
      // A monitor asked for before close() but first iterated after it opens nothing.
      const late = nl.ethtool.monitor({ subscribed: true })[Symbol.asyncIterator]();
      await nl.close();
      assert.equal((await it.next()).done, true);
      await assert.rejects(late.next(), { code: 'ERR_RTNL_CLOSED' });
      assert.equal(fds(), before);
      await assert.rejects(nl.ethtool.stats('v0'), { code: 'ERR_RTNL_CLOSED' });
    });
  });
});
