// The zod-free fast paths of validation (src/ops/validate.ts `plain`, `plainlyAccepted`): what a
// predicate accepts, the schema it stands for accepts and returns unchanged. A predicate that let
// through something the schema refuses (or changes) would skip a check or change a result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAddOptions, type LinkAddOptions } from '../../src/ops/links.js';
import { plain, plainlyAccepted, V } from '../../src/ops/validate.js';

const SAMPLES: unknown[] = [
  0,
  1,
  4,
  6,
  1500,
  65536,
  65537,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  2 ** 32,
  -1,
  1.5,
  Number.NaN,
  Infinity,
  true,
  false,
  null,
  undefined,
  '',
  '.',
  '..',
  'eth0',
  'veth0a@x',
  'a'.repeat(15),
  'a'.repeat(16),
  'a b',
  'a/b',
  'a:b',
  'é',
  'inet',
  'inet6',
  '4',
  '02:00:00:00:00:01',
  '02:00:00:00:00:0A',
  '02:00:00:00:00',
  '10.0.0.1',
  '10.0.0.256',
  '::1',
  'ns-1',
  'n'.repeat(255),
  'n'.repeat(256),
  { path: '/run/netns/x' },
  { path: '' },
  { path: 'a\0b' },
  { name: 'ns1' },
  { name: '..' },
  { path: '/x', name: 'y' },
  { pid: 1 },
  { fd: 3 },
  [],
  {},
];

const PAIRS: Array<[keyof typeof plain, string]> = [
  ['u32', 'u32'],
  ['mtu', 'mtu'],
  ['ifname', 'ifname'],
  ['linkRef', 'linkRef'],
  ['mac', 'mac'],
  ['ipv4', 'ipv4'],
  ['family', 'family'],
  ['netns', 'netnsSpec'],
];

test('what each plain predicate accepts, its schema accepts and returns unchanged', () => {
  const schemas = V() as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  for (const [pred, name] of PAIRS) {
    let accepted = 0;
    for (const v of SAMPLES) {
      if (!plain[pred](v)) continue;
      accepted++;
      const r = schemas[name]!.safeParse(v);
      assert.ok(r.success, `${pred} accepts ${JSON.stringify(v)}, the schema does not`);
      assert.deepEqual(r.data, v, `${pred}: the schema changes ${JSON.stringify(v)}`);
    }
    assert.ok(accepted > 0, `${pred} accepted no sample`);
  }
});

test('plainlyAccepted: only plain objects with known keys and accepted values', () => {
  const fields = { up: plain.bool, mtu: plain.mtu };
  assert.equal(plainlyAccepted({ up: true, mtu: 1500 }, fields), true);
  assert.equal(plainlyAccepted({ up: undefined }, fields), true);
  assert.equal(plainlyAccepted({}, fields), true);
  assert.equal(plainlyAccepted({ up: 1 }, fields), false);
  assert.equal(plainlyAccepted({ up: true, other: 1 }, fields), false);
  assert.equal(plainlyAccepted(JSON.parse('{"__proto__": {"up": true}}'), fields), false);
  assert.equal(plainlyAccepted({ constructor: true }, fields), false);
  assert.equal(plainlyAccepted(Object.assign(Object.create(null), { up: true }), fields), false);
  assert.equal(plainlyAccepted([], fields), false);
  assert.equal(plainlyAccepted(null, fields), false);
});

test("links.add's plain options give what the schema gives", () => {
  const nullProto = (o: object): LinkAddOptions => Object.assign(Object.create(null), o); // not plain: the schema runs
  const cases: object[] = [
    { name: 'cni0', kind: 'bridge' },
    { name: 'cni0', kind: 'bridge', mtu: 9000, up: true },
    { name: 'eth0', kind: 'veth', peer: { name: 'veth0' } },
    {
      name: 'eth0',
      kind: 'veth',
      address: '02:00:00:00:00:01',
      peer: { name: 'veth0', netns: { path: '/proc/self/ns/net' }, mtu: 1500 },
    },
    { name: 'i0', kind: 'ifb', master: 'br0', exist: 'ok' },
  ];
  for (const c of cases) {
    const fast = checkAddOptions(c as LinkAddOptions);
    const slow = checkAddOptions(nullProto(c));
    assert.deepEqual({ ...fast.o }, { ...slow.o }, JSON.stringify(c));
    assert.deepEqual(fast.given, slow.given, JSON.stringify(c));
  }
  // Not plain: each goes to the schema, which refuses it.
  for (const bad of [
    { name: 'eth0', kind: 'veth', peer: {} },
    { name: 'eth0', kind: 'bridge', peer: { name: 'x' } },
    { name: 'eth0' },
    { kind: 'bridge' },
  ])
    assert.throws(() => checkAddOptions(bad as LinkAddOptions), { name: 'ValidationError' }, JSON.stringify(bad));
});
