// rtnl's tc -j output against tc's own, printed from the very same bytes (fixtures/tc/*.json):
// each reply fixture is decoded, formatted, and compared with what tc printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, type NetlinkMessage } from '../../src/codec/index.js';
import * as C from '../../src/codec/constants/index.js';
import {
  actionJson,
  actionOrder,
  filterJson,
  filterText,
  qdiscJson,
  rateText,
  sizeText,
  timeText,
} from '../../src/cli/tc-format.js';
import type { ActionAttrs } from '../../src/codec/tc/act.js';
import { toFilter, toTcObject } from '../../src/ops/tc.js';
import { parsePsched } from '../../src/ops/tc-kinds.js';
import { loadFixture } from '../helpers/fixtures.js';

const ps = parsePsched('000003e8 00000040 000f4240 3b9aca00');
// The fixture namespace's devices, in the order capture-tc.sh made them.
const names = new Map([
  [1, 'lo'],
  [2, 't1'],
  [3, 't0'],
  [4, 'm1'],
  [5, 'm0'],
  [6, 'ifb0'],
]);
const byName = new Map([...names].map(([i, n]) => [n, i]));

/** The qdiscs tc printed for `tc -j -s qdisc show [dev X]`: rtnl keeps those of X. */
function qdiscs(fixture: string): { ours: unknown[]; theirs: unknown[] } {
  const f = loadFixture(`tc/${fixture}`);
  const dev = /qdisc show dev (\S+)/.exec(f.meta.command!)?.[1];
  const ifindex = dev === undefined ? undefined : byName.get(dev);
  const ours = decode(f.bytes)
    .filter((m) => m.type === 'RTM_NEWQDISC' && (ifindex === undefined || m.body.ifindex === ifindex))
    .map((m) => qdiscJson(toTcObject(m, names), { dev: dev === undefined, stats: true, ps }));
  return { ours, theirs: f.json as unknown[] };
}

test('qdisc -j equals tc -j -s for every qdisc reply fixture', () => {
  for (const name of [
    'pfifo-reply.hex',
    'bfifo-reply.hex',
    'pfifo_fast-reply.hex',
    'tbf-reply.hex',
    'tbf-rate64-reply.hex',
    'htb-reply.hex',
    'mq-reply.hex',
    'ingress-clsact-reply.hex',
  ]) {
    const { ours, theirs } = qdiscs(name);
    assert.deepEqual(ours, theirs, name);
  }
});

test('filter -j equals tc -j -s: u32 (keys, hash tables, links, flowid), mirred actions, bpf, blocks', () => {
  for (const [name, o] of [
    ['u32-reply.hex', {}],
    ['clsact-filters-reply.hex', {}],
    ['bpf-cbpf-reply.hex', {}],
    ['block-reply.hex', { block: false }],
  ] as const) {
    const f = loadFixture(`tc/${name}`);
    const ours = decode(f.bytes)
      .filter((m) => m.type === 'RTM_NEWTFILTER')
      .map((m) =>
        filterJson(toFilter(m, names), { dev: false, block: false, stats: true, names, ...o, parent: false }),
      );
    assert.deepEqual(ours, f.json, name);
  }
});

test("tc's units: rates, sizes, times", () => {
  assert.equal(rateText(12_500_000), '100Mbit');
  assert.equal(rateText(125_000_000), '1Gbit');
  assert.equal(rateText(187_500), '1500Kbit');
  assert.equal(rateText(6_250_000_000n), '50Gbit');
  assert.equal(rateText(100), '800bit');
  assert.equal(sizeText(1600), '1600b');
  assert.equal(sizeText(65536), '64Kb');
  assert.equal(sizeText(1048576), '1Mb');
  assert.equal(timeText(10000), '10ms');
  // %.3g, as tc 6.1 prints it (a tbf latency of 1496us shows as "lat 1.5ms").
  assert.equal(timeText(1496), '1.5ms');
  assert.equal(timeText(4999), '5ms');
  assert.equal(timeText(1_500_000), '1.5s');
  assert.equal(timeText(139), '139us');
});

test('actions -j equals tc -j -s actions list (order from 0, in_hw for standalone actions)', () => {
  const f = loadFixture('tc/mirred-actions-reply.hex');
  const [m] = decode(f.bytes).filter((x) => x.type === 'RTM_GETACTION');
  const tab = m!.attrs.tab as ActionAttrs[];
  const ours = [
    { 'total acts': m!.attrs.count },
    { actions: tab.map((a, i) => actionJson(a, actionOrder(a, i), names, true, true)) },
  ];
  assert.deepEqual(ours, f.json);
});

test('u32 perf counters with -s, as f_u32.c prints them (rule hit / success, per key)', () => {
  // CONFIG_CLS_U32_PERF is off in this kernel: tc's own u32 reply with TCA_U32_PCNT added by
  // rtnl's encoder (struct tc_u32_pcnt), then printed.
  const f = loadFixture('tc/u32-reply.hex');
  const m = decode(f.bytes).find((x) => x.type === 'RTM_NEWTFILTER' && (x.attrs.options as any)?.sel?.nkeys === 2)!;
  const opts = m.attrs.options as any;
  opts.pcnt = { rcnt: 10n, rhit: 4n, kcnts: [7n, 4n] };
  const [back] = decode(encode(m));
  const fl = toFilter(back!, names);
  const o = { dev: false, block: false, parent: false, names };
  const j = filterJson(fl, { ...o, stats: true }).options as any;
  assert.equal(j.rule_hit, 10);
  assert.equal(j.success, 4, 'the last key count stands, as in tc -j');
  assert.equal((filterJson(fl, { ...o, stats: false }).options as any).rule_hit, undefined);
  const text = filterText(fl, { ...o, stats: true }).split('\n');
  assert.match(text[0]!, /\(rule hit 10 success 4\)$/);
  assert.match(text[1]!, /^ {2}match \S+ at \d+ \(success 7 \) $/);
  assert.match(text[2]!, /^ {2}match \S+ at \d+ \(success 4 \) $/);
  assert.doesNotMatch(filterText(fl, { ...o, stats: false }), /success/);
});

test('matchall hit counter with -s, as f_matchall.c prints it', () => {
  // matchall is missing from this kernel: the filter is made by rtnl's encoder, its counter
  // (struct tc_matchall_pcnt) included.
  const m = {
    type: 'RTM_NEWTFILTER',
    header: { len: 0, type: C.RTM_NEWTFILTER, flags: 0, seq: 0, pid: 0 },
    body: { family: 0, ifindex: 2, handle: 1, parent: 0xfffffff2, info: (1 << 16) | 0x0300 },
    attrs: { kind: 'matchall', chain: 0, options: { flags: C.TCA_CLS_FLAGS_NOT_IN_HW, pcnt: { rhit: 5n } } },
  } as NetlinkMessage;
  const fl = toFilter(decode(encode(m))[0]!, names);
  const o = { dev: false, block: false, parent: false, names };
  assert.equal((filterJson(fl, { ...o, stats: true }).options as any).rule_hit, 5);
  assert.equal((filterJson(fl, { ...o, stats: false }).options as any).rule_hit, undefined);
  assert.match(filterText(fl, { ...o, stats: true }), / \(rule hit 5\)$/);
});
