// `rtnl tuntap`: ip tuntap's syntax (pure parsing, no root) and its output, compared live with ip's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/cli/args.js';
import { parseCommandLine } from '../../src/cli/main.js';
import { ip, ipJson, needsRoot, testNsName } from '../helpers/netns.js';
import { netns } from '../../src/index.js';
import { rtnl } from './helpers.js';

const plan = (line: string) => parseCommandLine(line.split(/\s+/).filter(Boolean)).plan;

describe('rtnl tuntap: parsing', () => {
  test('add, del and show become the ops calls ip tuntap would make', () => {
    assert.deepEqual(plan('tuntap add dev tap0 mode tap'), {
      op: 'tuntap.add',
      args: [{ kind: 'tap', name: 'tap0', tuntap: { persist: true } }],
    });
    assert.deepEqual(plan('tuntap add mode tun pi one_queue vnet_hdr multi_queue user 1000 group kvm name t1'), {
      op: 'tuntap.add',
      args: [
        {
          kind: 'tun',
          name: 't1',
          tuntap: {
            persist: true,
            pi: true,
            oneQueue: true,
            vnetHdr: true,
            multiQueue: true,
            owner: 1000,
            group: 'kvm',
          },
        },
      ],
    });
    // No name: the kernel picks one.
    assert.deepEqual(plan('tuntap add mode tap').args, [{ kind: 'tap', name: 'tap%d', tuntap: { persist: true } }]);
    assert.deepEqual(plan('tap add vm1 mode tap').args[0], { kind: 'tap', name: 'vm1', tuntap: { persist: true } });
    assert.deepEqual(plan('tuntap del dev tap0 mode tap'), { op: 'tuntap.delete', args: ['tap0', { kind: 'tap' }] });
    assert.deepEqual(plan('tuntap'), { op: 'tuntap.show', args: [{}] });
    assert.deepEqual(plan('tuntap list mode tun'), { op: 'tuntap.show', args: [{ mode: 'tun' }] });
    assert.equal(plan('tuntap help').op, 'help');
  });

  test('bad command lines are usage errors', () => {
    for (const [line, re] of [
      ['tuntap add dev tap0', /You failed to specify a tunnel mode/],
      ['tuntap del dev tap0', /You failed to specify a tunnel mode/],
      ['tuntap add dev tap0 mode tup', /unknown tunnel mode/],
      ['tuntap add tap0 tap1 mode tap', /"tap1" is garbage/],
      ['tuntap add mode tap user', /"user" needs a value/],
      ['tuntap frob', /command "frob" is unknown/],
    ] as const)
      assert.throws(
        () => plan(line),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
        line,
      );
  });
});

describe('rtnl tuntap: live', { skip: needsRoot }, () => {
  test('add, show (text and -j) and del agree with ip tuntap', async () => {
    const ns = testNsName();
    await netns.create(ns);
    try {
      const r = (...args: string[]) => rtnl(['-n', ns, ...args]);
      const ok = async (...args: string[]) => {
        const res = await r(...args);
        assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
        return res.stdout;
      };
      await ok('tuntap', 'add', 'dev', 'a0', 'mode', 'tap');
      await ok('tuntap', 'add', 'mode', 'tap'); // the kernel names it tap0
      await ok('tuntap', 'add', 'b0', 'mode', 'tun', 'pi', 'multi_queue', 'user', '4242', 'group', '4343');
      await ok('tuntap', 'add', 'dev', 'c0', 'mode', 'tap', 'vnet_hdr', 'user', 'daemon', 'group', 'bin');
      ip('-n', ns, 'tuntap', 'add', 'dev', 'd0', 'mode', 'tap', 'pi', 'vnet_hdr');
      const ipText = (...a: string[]) =>
        execFileSync('ip', ['-n', ns, ...a, 'tuntap', 'show'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      assert.equal(await ok('tuntap', 'show'), ipText());
      assert.equal(await ok('-d', 'tuntap', 'show'), ipText('-d'));
      assert.deepEqual(JSON.parse(await ok('-j', 'tuntap', 'show')), JSON.parse(ipText('-j')));
      assert.deepEqual(JSON.parse(await ok('-j', '-d', 'tuntap', 'show')), ipJson(ns, 'tuntap', 'show'));
      assert.equal(ipJson(ns, 'link', 'show', 'dev', 'c0')[0].linkinfo.info_data.user, 'daemon');
      // ip -d link show's tun line, ending as ip's does with addrgenmode and the size limits (ip leaves a trailing space).
      for (const dev of ['b0', 'c0']) {
        const ours = (await ok('-d', 'link', 'show', 'dev', dev)).split('\n')[2]!.trim();
        const theirs = execFileSync('ip', ['-n', ns, '-d', 'link', 'show', 'dev', dev], { encoding: 'utf8' }).split(
          '\n',
        )[2]!;
        assert.equal(ours, theirs.trim(), dev);
      }
      // Errors: an existing name, a missing user, the wrong mode on del.
      const dup = await r('tuntap', 'add', 'dev', 'a0', 'mode', 'tap');
      assert.equal(dup.status, 2);
      assert.match(dup.stderr, /^Error: cannot create tap "a0": a tap of that name already exists/);
      const nouser = await r('tuntap', 'add', 'dev', 'e0', 'mode', 'tap', 'user', 'no-such-user-here');
      assert.match(nouser.stderr, /no user named "no-such-user-here"/);
      const wrong = await r('tuntap', 'del', 'dev', 'b0', 'mode', 'tap');
      assert.match(wrong.stderr, /"b0" is a tun, not a tap; not deleted/);
      await ok('tuntap', 'del', 'dev', 'b0', 'mode', 'tun');
      await ok('tuntap', 'del', 'a0', 'mode', 'tap');
      assert.deepEqual(
        ipJson(ns, 'tuntap', 'show').map((d: any) => d.ifname),
        ['tap0', 'c0', 'd0'],
      );
    } finally {
      await netns.delete(ns, { ifExists: true });
    }
  });
});
