// `rtnl tc`: tc's syntax parsed into ops calls (no root), and, live, rtnl's output compared with
// tc's own: -j for qdiscs and filters, text for classes (tc 6.1 prints classes as text even with -j).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { UsageError, defaultGlobals } from '../../src/cli/args.js';
import { parseTc } from '../../src/cli/tc.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { batchWords } from '../../src/cli/main.js';
import { rtnl } from './helpers.js';
import { decode } from '../../src/codec/index.js';
import { filterOptionsOf, type FilterSpec } from '../../src/ops/tc.js';
import {
  htbClassOptions,
  parsePsched,
  qdiscOptions,
  tcKindContext,
  type HtbClassOptions,
  type qdiscKinds,
} from '../../src/ops/tc-kinds.js';
import { loadFixture } from '../helpers/fixtures.js';

const parse = (line: string) => parseTc(line.split(' '), defaultGlobals());

test('tc syntax becomes ops calls', () => {
  assert.deepEqual(parse('qdisc add dev t0 root handle 1: tbf rate 100mbit burst 64kb latency 10ms'), {
    op: 'tc.qdiscs.add',
    args: [
      {
        dev: 't0',
        parent: 'root',
        handle: '1:',
        kind: 'tbf',
        options: { rate: '100mbit', burst: '64kb', latency: '10ms' },
      },
    ],
  });
  assert.deepEqual(parse('qdisc add dev t1 clsact').args[0], { dev: 't1', kind: 'clsact' });
  assert.deepEqual(parse('qdisc del dev t1 clsact'), { op: 'tc.qdiscs.delete', args: [{ dev: 't1', kind: 'clsact' }] });
  assert.deepEqual(parse('qdisc del dev t0 root'), { op: 'tc.qdiscs.delete', args: [{ dev: 't0', parent: 'root' }] });
  assert.deepEqual(parse('qdisc replace dev t0 root htb default 10 r2q 5').args[0], {
    dev: 't0',
    parent: 'root',
    kind: 'htb',
    options: { default: '10', r2q: 5 },
  });
  assert.deepEqual(parse('class add dev t0 parent 1: classid 1:10 htb rate 100mbit ceil 1gbit burst 15k'), {
    op: 'tc.classes.add',
    args: [
      {
        dev: 't0',
        parent: '1:',
        classid: '1:10',
        kind: 'htb',
        options: { rate: '100mbit', ceil: '1gbit', burst: '15k' },
      },
    ],
  });
  assert.deepEqual(
    parse(
      'filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dst 192.0.2.0/24 match ip dport 80 0xffff flowid 1:10',
    ),
    {
      op: 'tc.filters.add',
      args: [
        {
          dev: 't0',
          parent: '1:',
          protocol: 'ip',
          pref: 1,
          kind: 'u32',
          u32: { classid: '1:10', match: [{ ip: { dst: '192.0.2.0/24' } }, { ip: { dport: 80 } }] },
        },
      ],
    },
  );
  assert.deepEqual(
    parse(
      'filter add dev t1 ingress protocol all prio 10 u32 match u32 0 0 at 0 action mirred egress redirect dev ifb0',
    ).args[0],
    {
      dev: 't1',
      parent: 'ingress',
      protocol: 'all',
      pref: 10,
      kind: 'u32',
      u32: { match: [{ u32: [0, 0, 0] }] },
      actions: [{ kind: 'mirred', direction: 'egress', action: 'redirect', dev: 'ifb0' }],
    },
  );
  assert.deepEqual(parse('filter add block 22 prio 1 matchall action drop').args[0], {
    block: 22,
    pref: 1,
    kind: 'matchall',
    matchall: {},
    actions: [{ kind: 'gact', action: 'drop' }],
  });
  assert.deepEqual(parse('actions add action police rate 1mbit burst 100k conform-exceed drop index 6'), {
    op: 'tc.actions.add',
    args: [[{ kind: 'police', rate: '1mbit', burst: '100k', exceed: 'drop', index: 6 }]],
  });
  assert.deepEqual(
    parse('qdisc add dev t0 root red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 ecn').args[0],
    {
      dev: 't0',
      parent: 'root',
      kind: 'red',
      options: { limit: '400000', min: '30000', max: '90000', avpkt: '1000', burst: 55, ecn: true },
    },
  );
  assert.deepEqual(parse('filter show dev t1 ingress chain 3'), {
    op: 'tc.show',
    args: [{ what: 'filter', filter: { dev: 't1', parent: 'ingress', chain: 3 } }],
  });
  for (const bad of [
    'qdisc add dev t0 root tbf speed 1',
    'qdisc add root pfifo',
    'filter add dev t0 u32 match ip nowhere 1',
    'bogus',
  ])
    assert.throws(() => parse(bad), UsageError, bad);
});

const tc = (ns: string, ...args: string[]) => execFileSync('tc', ['-n', ns, ...args], { encoding: 'utf8' });

test('rtnl tc against tc: -j qdisc and filter show, class text, adds that tc reads back', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    // Links stay down: no traffic, so counters cannot move between rtnl's read and tc's.
    await nl.links.add({ name: 't0', kind: 'veth', peer: { name: 't1' } });
    await nl.links.add({ name: 'ifb0', kind: 'ifb' });
    const run = async (line: string) => {
      const r = await rtnl(['-n', ns, ...line.split(' ')]);
      assert.equal(r.status, 0, `${line}: ${r.stderr}`);
      return r.stdout;
    };
    // The changes in one batch (one process), then each show as its own command.
    const batch = await rtnl(
      ['-n', ns, '-batch', '-'],
      [
        'tc qdisc add dev t0 root handle 1: htb default 10',
        'tc class add dev t0 parent 1: classid 1:10 htb rate 100mbit ceil 1gbit',
        'tc class add dev t0 parent 1:10 classid 1:11 htb rate 10mbit burst 15k',
        'tc filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dst 192.0.2.0/24 match ip dport 80 0xffff flowid 1:10',
        'tc qdisc add dev t1 clsact',
        'tc filter add dev t1 ingress protocol all prio 10 u32 match u32 0 0 at 0 action mirred egress redirect dev ifb0',
        'tc qdisc add dev ifb0 root tbf rate 50gbit burst 1mb limit 1mb',
        'tc actions add action mirred egress mirror dev ifb0 index 7',
        'tc filter add dev t0 parent 1: prio 2 handle 2: protocol ip u32 divisor 256',
        'tc filter add dev t0 parent 1: prio 2 protocol ip u32 ht 800:: match ip src 198.51.100.0/24 hashkey mask 0x000000ff at 12 link 2:',
      ].join('\n'),
    );
    assert.equal(batch.status, 0, batch.stderr);
    for (const args of ['-s qdisc show', '-s qdisc show dev t0', 'qdisc show dev ifb0']) {
      const ours = JSON.parse(await run(`-j tc ${args}`));
      assert.deepEqual(ours, JSON.parse(tc(ns, '-j', ...args.split(' '))), args);
    }
    // Action ages are whole seconds since creation: they can tick between rtnl's read and tc's.
    const ageless = (text: string) =>
      JSON.parse(text, (k, v) => (k === 'installed' || k === 'last_used' || k === 'first_used' ? undefined : v));
    for (const args of [
      '-s filter show dev t0 parent 1:',
      '-s filter show dev t1 ingress',
      'filter show dev t1 ingress',
    ]) {
      const ours = ageless(await run(`-j tc ${args}`));
      assert.deepEqual(ours, ageless(tc(ns, '-j', ...args.split(' '))), args);
    }
    // Text: classes (tc prints them as text even with -j), and qdiscs and filters too.
    for (const args of [
      'class show dev t0',
      'qdisc show',
      '-s qdisc show',
      'filter show dev t0 parent 1:',
      'filter show dev t1 ingress',
    ])
      assert.equal(await run(`tc ${args}`), tc(ns, ...args.split(' ')), args);
    assert.equal(await run('-s tc class show dev t0'), tc(ns, '-s', 'class', 'show', 'dev', 't0'));

    // Standalone actions: tc's -j list, and its text for one action.
    assert.deepEqual(
      JSON.parse(await run('-j tc actions list action mirred')),
      JSON.parse(tc(ns, '-j', 'actions', 'list', 'action', 'mirred')),
    );
    assert.equal(
      await run('tc actions get action mirred index 7'),
      tc(ns, 'actions', 'get', 'action', 'mirred', 'index', '7'),
    );

    const bad = await rtnl(['-n', ns, 'tc', 'qdisc', 'add', 'dev', 't0', 'root', 'handle', '1:x', 'pfifo']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /qdisc\.handle/);
    const refused = await rtnl(['-n', ns, 'tc', 'qdisc', 'add', 'dev', 't1', 'root', 'fq_codel']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /Specified qdisc kind is unknown/);
  });
});

// tc's own requests (fixtures/tc/): the same command line through rtnl's parser and builders
// gives the same TCA_OPTIONS (actions aside: they need device lookups) and header fields.

test('filter requests equal tc requests: u32, bpf, flower, matchall', () => {
  for (const name of [
    'u32-add-request.hex',
    'u32-ip6-add-request.hex',
    'u32-divisor-add-request.hex',
    'u32-link-add-request.hex',
    'u32-ht-add-request.hex',
    'u32-mirred-add-request.hex',
    'bpf-cbpf-add-request.hex',
    'flower-add-request.hex',
    'matchall-add-request.hex',
  ]) {
    const f = loadFixture(`tc/${name}`);
    const [theirs] = decode(f.bytes);
    // "tc -n NS filter add ...": the words after "tc -n NS"
    const words = batchWords(f.meta.command!).slice(3);
    const plan = parseTc(words, defaultGlobals());
    const spec = plan.args[0] as FilterSpec;
    const { options, handle } = filterOptionsOf(spec);
    const { act, ...rest } = theirs!.attrs.options as Record<string, unknown>;
    assert.deepEqual(options, rest, name);
    assert.equal(handle, theirs!.body.handle, name);
    assert.equal(Boolean(spec.actions), act !== undefined, name);
  }
});

test('qdisc and class requests from tc command lines equal tc requests (rate tables aside)', () => {
  const ps = parsePsched('000003e8 00000040 000f4240 3b9aca00');
  const strip = (o: unknown) =>
    o && typeof o === 'object' && !(o instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(o).filter(([k]) => !['rtab', 'ptab', 'ctab'].includes(k)))
      : o;
  for (const name of [
    'pfifo-add',
    'bfifo-replace',
    'pfifo_fast-add',
    'tbf-add',
    'tbf-change',
    'htb-add',
    'mq-add',
    'ingress-add',
    'clsact-add',
    'ingress-block-add',
    'prio-add',
    'netem-add',
    'fq_codel-add',
    'fq-add',
    'sfq-add',
    'cake-add',
    'red-add',
    'htb-class-add',
    'htb-class-change',
    'htb-class-rate64-add',
  ]) {
    const f = loadFixture(`tc/${name}-request.hex`);
    const [theirs] = decode(f.bytes);
    const plan = parseTc(batchWords(f.meta.command!).slice(3), defaultGlobals());
    const spec = plan.args[0] as { kind: string; options?: object; ingressBlock?: number };
    const ours = plan.op.startsWith('tc.classes')
      ? htbClassOptions(spec.options as HtbClassOptions, ps, 'c')
      : qdiscOptions(spec.kind as keyof typeof qdiscKinds, spec.options ?? {}, tcKindContext(ps, 'q'));
    assert.deepEqual(ours, strip(theirs!.attrs.options), name);
    assert.equal(spec.ingressBlock, theirs!.attrs.ingressBlock, name);
  }
});
