// Live (root): `rtnl -j monitor` prints one JSON object per line as changes happen, and stops
// cleanly on SIGTERM and SIGINT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import type { Rtnl } from '../../src/index.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { builtCli, ROOT } from './helpers.js';

function startMonitor(args: string[]) {
  const child = spawn(process.execPath, [builtCli().bin, ...args], {
    cwd: ROOT,
    env: builtCli().env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, lines: () => stdout.split('\n').filter(Boolean), stderr: () => stderr };
}

/** Create veth pairs until the monitor reports one (it subscribes some time after it starts). */
async function awaitLinkNew(m: ReturnType<typeof startMonitor>, nl: Rtnl, tag: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    if (i % 5 === 0) await nl.links.add({ name: `${tag}v${i}`, kind: 'veth', peer: { name: `${tag}p${i}` } });
    await new Promise((r) => setTimeout(r, 100));
    const seen = m
      .lines()
      .map((l) => JSON.parse(l))
      .find((o) => o.event === 'link.new' && o.ifname?.startsWith(tag));
    if (seen) return seen;
  }
  assert.fail(`no link.new line; stdout: ${m.lines().join('\n')} stderr: ${m.stderr()}`);
}

describe('rtnl monitor', { skip: needsRoot }, () => {
  test('-j prints a link.new line when a link is created, and SIGTERM stops it with status 0', async () => {
    await withTestNetns(async (ns, nl) => {
      const m = startMonitor(['-n', ns, '-j', 'monitor', 'link', 'address']);
      try {
        const seen = await awaitLinkNew(m, nl, 'm');
        assert.equal(typeof seen.ifindex, 'number');
        assert.ok(Array.isArray(seen.flags));
        assert.equal(seen.link_type, 'ether');
        for (const l of m.lines()) assert.ok(typeof JSON.parse(l).event === 'string');

        // A deletion is reported too, as ip does ("deleted": true).
        await nl.links.delete(seen.ifname);
        for (let i = 0; i < 30 && !m.lines().some((l) => JSON.parse(l).event === 'link.del'); i++)
          await new Promise((r) => setTimeout(r, 100));
        const del = m
          .lines()
          .map((l) => JSON.parse(l))
          .find((o) => o.event === 'link.del');
        assert.equal(del?.deleted, true);
      } finally {
        m.child.kill('SIGTERM');
      }
      const { code, signal } = await m.exited;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, m.stderr());
      assert.equal(m.stderr(), '');
    });
  });

  test('SIGINT stops it with status 0; without -j the lines look like ip link show', async () => {
    await withTestNetns(async (ns, nl) => {
      const m = startMonitor(['-n', ns, 'monitor', 'link']);
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        if (i % 5 === 0) await nl.links.add({ name: `sv${i}`, kind: 'veth', peer: { name: `sp${i}` } });
        await new Promise((r) => setTimeout(r, 100));
        ready = m.lines().some((l) => /^\d+: s[vp]\d+@s[vp]\d+: <BROADCAST,MULTICAST/.test(l));
      }
      assert.ok(ready, `stdout: ${m.lines().join('\n')} stderr: ${m.stderr()}`);
      m.child.kill('SIGINT');
      const { code, signal } = await m.exited;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, m.stderr());
    });
  });
});
