// Statistics with -s, with packets counted: a filter's mirred action redirects what t1 receives to
// ifb0, three UDP datagrams are sent from t0 inside the test namespace, and rtnl's `-s` output
// (filters with their action statistics, standalone actions, qdiscs) is compared with tc's, -j
// and text. IPv6 is off and the neighbour is static, so nothing else moves a counter.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { sysctl } from '../../src/index.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { rtnl } from './helpers.js';

const tc = (ns: string, ...args: string[]): string =>
  execFileSync('tc', ['-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// Action ages are whole seconds: they can tick between rtnl's read and tc's.
const AGES = new Set(['installed', 'last_used', 'first_used', 'expires']);
const ageless = (text: string) => JSON.parse(text, (k, v) => (AGES.has(k) ? undefined : v));
const agelessText = (text: string) => text.replace(/ (installed|used|firstused) \d+ sec/g, '');

test('-s: filter and action statistics, and the qdisc that got the packets, as tc -s shows them', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    for (const k of ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.conf.default.disable_ipv6'])
      await sysctl.set(k, '1', { netns: ns });
    await nl.links.add({ name: 't0', kind: 'veth', peer: { name: 't1' }, up: true });
    await nl.links.set('t1', { up: true });
    await nl.links.add({ name: 'ifb0', kind: 'ifb', up: true });
    await nl.addresses.add('t0', '10.9.0.1/24');
    const mac = (await nl.links.get('t1')).address!;
    await nl.neighbours.add({ dev: 't0', address: '10.9.0.2', lladdr: mac, state: 'permanent' });
    const run = async (line: string) => {
      const r = await rtnl(['-n', ns, ...line.split(' ')]);
      assert.equal(r.status, 0, `${line}: ${r.stderr}`);
      return r.stdout;
    };
    await run('tc qdisc add dev t1 clsact');
    await run(
      'tc filter add dev t1 ingress protocol ip prio 1 u32 match u32 0 0 at 0 action mirred egress redirect dev ifb0',
    );

    // Three datagrams from t0 to 10.9.0.2 (t1's side), sent inside the namespace.
    execFileSync('ip', [
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      "const s = require('dgram').createSocket('udp4'); let n = 0;" +
        "const go = () => s.send(Buffer.alloc(32), 9, '10.9.0.2', () => (++n < 3 ? go() : s.close())); go();",
    ]);
    // Wait for the three to be counted (the redirect runs in the receive path, right away).
    const deadline = Date.now() + 5000;
    for (;;) {
      const f = (await nl.tc.filters.list({ dev: 't1', parent: 'ingress' })).find((x) => x.actions);
      const packets = (f?.actions?.[0]?.stats?.basic?.packets as number | undefined) ?? 0;
      if (packets >= 3) {
        assert.equal(packets, 3);
        break;
      }
      assert.ok(Date.now() < deadline, `only ${packets} packets counted`);
      await new Promise((r) => setTimeout(r, 20));
    }

    for (const args of ['-s filter show dev t1 ingress', '-s actions list action mirred']) {
      const ours = ageless(await run(`-j tc ${args}`));
      assert.deepEqual(ours, ageless(tc(ns, '-j', ...args.split(' '))), args);
    }
    const theirs = JSON.parse(tc(ns, '-s', '-j', 'filter', 'show', 'dev', 't1', 'ingress')).find(
      (f: any) => f.options?.actions,
    );
    assert.equal(theirs.options.actions[0].stats.packets, 3, 'tc counted them too');
    assert.equal(
      agelessText(await run('-s tc filter show dev t1 ingress')),
      agelessText(tc(ns, '-s', 'filter', 'show', 'dev', 't1', 'ingress')),
    );
    assert.equal(
      agelessText(await run('-s tc actions list action mirred')),
      agelessText(tc(ns, '-s', 'actions', 'list', 'action', 'mirred')),
    );
    for (const args of ['-s qdisc show dev ifb0', '-s qdisc show dev t1']) {
      assert.deepEqual(JSON.parse(await run(`-j tc ${args}`)), JSON.parse(tc(ns, '-j', ...args.split(' '))), args);
      assert.equal(await run(`tc ${args}`), tc(ns, ...args.split(' ')), args);
    }
  });
});
