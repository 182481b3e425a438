// rtnl's tc -j output against tc's own, printed from the very same bytes (fixtures/tc/*.json):
// each reply fixture is decoded, formatted, and compared with what tc printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../src/codec/index.js';
import {
  actionJson,
  actionOrder,
  filterJson,
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
  assert.equal(timeText(1496), '1.496ms');
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
