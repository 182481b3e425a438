// Live (root): errors point at the caller. A kernel error is made where the engine reads the
// reply; the public call boundary gives it the caller's frames and a message that names the
// operation and its object.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetlinkError } from '../../src/index.js';
import { rtnl } from '../cli/helpers.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

const THIS_FILE = basename(fileURLToPath(import.meta.url));

describe('errors point at the caller', { skip: needsRoot }, () => {
  test("an awaited call's error has this file in its stack and names the operation", async () => {
    await withTestNetns(async (_ns, nl) => {
      let err: unknown;
      try {
        await nl.links.set('nosuch', { up: true });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof NetlinkError);
      assert.equal(err.message, "links.set('nosuch'): no such link (ENODEV)");
      assert.deepEqual([err.code, err.errno, err.request, err.link], ['ENODEV', 19, 'RTM_NEWLINK', 'nosuch']);
      assert.ok(err.stack?.startsWith(`NetlinkError: ${err.message}\n`), err.stack);
      assert.ok(err.stack?.includes(THIS_FILE), `the stack names ${THIS_FILE}:\n${err.stack}`);

      // Through assert.rejects too, and for an error the engine made on a later tick.
      await assert.rejects(nl.addresses.add('nosuch', '192.0.2.1/24'), (e: NetlinkError) => {
        assert.equal(e.message, "addresses.add('nosuch', '192.0.2.1/24'): no such link (ENODEV)");
        assert.ok(e.stack?.includes(THIS_FILE), e.stack);
        return true;
      });
    });
  });

  test('a link the call only refers to is named; the kernel text and attribute stay', async () => {
    await withTestNetns(async (_ns, nl) => {
      const missing = await nl.links.add({ name: 'br1', kind: 'bridge', master: 'nosuch' }).then(
        () => assert.fail('added'),
        (e: NetlinkError) => e,
      );
      assert.equal(missing.message, `links.add('br1'): no such link "nosuch" (ENODEV)`);
      const bad = await nl.links.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 1 }, mtu: 60 }).then(
        () => assert.fail('added'),
        (e: NetlinkError) => e,
      );
      assert.equal(bad.code, 'EINVAL');
      assert.equal(bad.attrPath, 'mtu');
      assert.ok(bad.extack.msg, 'the kernel explained');
      assert.equal(bad.message, `links.add('vx0'): invalid argument (EINVAL): ${bad.extack.msg} (at mtu)`);
      const route = await nl.routes.delete({ dst: '10.9.0.0/16' }).then(
        () => assert.fail('deleted'),
        (e: NetlinkError) => e,
      );
      assert.match(route.message, /^routes\.delete\('10\.9\.0\.0\/16'\): no such route \(ESRCH\)/);
    });
  });

  test('tc calls name the operation and the object, with this file in the stack', async () => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'e0', kind: 'veth', peer: { name: 'e1' } });
      const gone = await nl.tc.qdiscs.delete({ dev: 'e0', parent: 'root', handle: '7:' }).then(
        () => assert.fail('deleted'),
        (e: NetlinkError) => e,
      );
      assert.ok(gone instanceof NetlinkError);
      assert.match(gone.message, /^tc\.qdiscs\.delete\(\{"dev":"e0","parent":"root","handle":"7:"\}\): /);
      assert.ok(gone.stack?.includes(THIS_FILE), gone.stack);
      const nodev = await nl.tc.qdiscs.add({ dev: 'nosuch', kind: 'pfifo' }).then(
        () => assert.fail('added'),
        (e: NetlinkError) => e,
      );
      assert.equal(nodev.message, 'tc.qdiscs.add({"dev":"nosuch","kind":"pfifo"}): no such link "nosuch" (ENODEV)');
      assert.ok(nodev.stack?.includes(THIS_FILE), nodev.stack);
    });
  });

  test('the CLI says Cannot find device "nosuch" as ip does, with its status', async () => {
    await withTestNetns(async (ns) => {
      for (const args of [
        ['link', 'set', 'dev', 'nosuch', 'up'],
        ['address', 'add', '192.0.2.1/24', 'dev', 'nosuch'],
      ]) {
        const ip = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
        const ours = await rtnl(['-n', ns, ...args]);
        assert.equal(ip.stderr.trim(), 'Cannot find device "nosuch"');
        assert.deepEqual([ours.stderr.trim(), ours.status], [ip.stderr.trim(), ip.status]);
      }
    });
  });
});
