// The tc kind plugins build what tc builds: each case compares rtnl's TCA_OPTIONS with tc's own
// request in fixtures/tc/ (decoded), given the scheduler clock tc saw (/proc/net/psched here).
// Rate tables are the one deliberate difference (rtnl sends none; see docs/tc.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../src/codec/index.js';
import {
  actionAttrsOf,
  htbClassOptions,
  parsePsched,
  parseU32Handle,
  qdiscKinds,
  qdiscOptions,
  tcKindContext,
  u32Selector,
  xmittime,
} from '../../src/ops/tc-kinds.js';
import { ValidationError } from '../../src/errors.js';
import { loadFixture } from '../helpers/fixtures.js';

const ps = parsePsched('000003e8 00000040 000f4240 3b9aca00');
const req = (name: string) => decode(loadFixture(`tc/${name}-request.hex`).bytes)[0]!;
const without = (o: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

test('psched: 64 ns ticks and tc truncation', () => {
  assert.equal(ps.tickInUsec, 15.625);
  assert.equal(ps.hz, 1e9);
  assert.equal(xmittime(12_500_000n, 65536, ps), 81906);
});

test('qdisc kinds match tc requests (tbf without rate tables)', () => {
  const tbf = qdiscKinds.tbf.toAttrs({ rate: '100mbit', burst: '64kb', latency: '10ms' }, tcKindContext(ps, 'tbf'));
  assert.deepEqual(tbf, without(req('tbf-add').attrs.options, 'rtab'));
  const tbf200 = qdiscKinds.tbf.toAttrs({ rate: '200mbit', burst: '64kb', latency: '10ms' }, tcKindContext(ps, 'tbf'));
  assert.deepEqual(tbf200, without(req('tbf-change').attrs.options, 'rtab'));
  const cases: Array<[keyof typeof qdiscKinds, object, string]> = [
    ['pfifo', { limit: 100 }, 'pfifo-add'],
    ['bfifo', { limit: '64kb' }, 'bfifo-replace'],
    ['htb', { default: '10' }, 'htb-add'],
    ['prio', { bands: 3 }, 'prio-add'],
    ['netem', { delay: '10ms', jitter: '1ms', loss: 0.5, rate: '10mbit' }, 'netem-add'],
    ['fq_codel', { limit: 1000, target: '5ms', interval: '100ms', ecn: true }, 'fq_codel-add'],
    ['fq', { maxrate: '1gbit', flowLimit: 100 }, 'fq-add'],
    ['sfq', { perturb: 10 }, 'sfq-add'],
    ['cake', { bandwidth: '100mbit' }, 'cake-add'],
    ['red', { limit: 400000, min: 30000, max: 90000, avpkt: 1000, burst: 55, bandwidth: '10mbit' }, 'red-add'],
  ];
  for (const [kind, opts, fixture] of cases) {
    const ours = qdiscOptions(kind, opts, tcKindContext(ps, kind));
    assert.deepEqual(ours, req(fixture).attrs.options, kind);
  }
  assert.equal(qdiscKinds.pfifo_fast.toAttrs({}, tcKindContext(ps, 'x')), req('pfifo_fast-add').attrs.options);
});

test('htb classes match tc, including 64-bit rates', () => {
  const strip = (name: string) => without(req(name).attrs.options, 'rtab', 'ctab');
  assert.deepEqual(htbClassOptions({ rate: '100mbit', ceil: '1gbit' }, ps, 'htb'), strip('htb-class-add'));
  assert.deepEqual(
    htbClassOptions({ rate: '150mbit', ceil: '1gbit', burst: '15k' }, ps, 'htb'),
    strip('htb-class-change'),
  );
  assert.deepEqual(
    htbClassOptions({ rate: '50gbit', ceil: '60gbit', prio: 2 }, ps, 'htb'),
    strip('htb-class-rate64-add'),
  );
});

test('actions match tc: mirred, gact, and police with its rate table', () => {
  const tab = (name: string) => req(name).attrs.tab[0];
  assert.deepEqual(
    actionAttrsOf({ kind: 'mirred', direction: 'egress', action: 'mirror', ifindex: 6, index: 7 }, ps, 'a'),
    tab('mirred-action-add'),
  );
  assert.deepEqual(actionAttrsOf({ kind: 'gact', action: 'drop', index: 5 }, ps, 'a'), tab('gact-action-add'));
  assert.deepEqual(
    actionAttrsOf({ kind: 'police', rate: '1mbit', burst: '100k', exceed: 'drop', index: 6 }, ps, 'a'),
    tab('police-action-add'),
  );
  const inFilter = req('u32-mirred-add').attrs.options.act[0];
  assert.deepEqual(actionAttrsOf({ kind: 'mirred', action: 'redirect', ifindex: 6 }, ps, 'a'), inFilter);
  assert.throws(() => actionAttrsOf({ kind: 'gact', action: 'explode' as 'drop' }, ps, 'a'), ValidationError);
});

test('u32 selectors match tc: IPv4 and IPv6 prefixes, protocols, ports, raw u32', () => {
  const sel = (name: string) => req(name).attrs.options.sel;
  assert.deepEqual(
    u32Selector([{ ip: { dst: '192.0.2.0/24' } }, { u16: [80, 0xffff, 22] }], true, 'm'),
    sel('u32-add'),
  );
  assert.deepEqual(u32Selector([{ ip: { dst: '192.0.2.0/24', dport: 80 } }], true, 'm'), sel('u32-add'));
  assert.deepEqual(u32Selector([{ ip6: { src: '2001:db8::/32', protocol: 6 } }], true, 'm'), sel('u32-ip6-add'));
  assert.deepEqual(u32Selector([{ ip: { protocol: 17 } }], true, 'm'), sel('u32-chain-add'));
  assert.deepEqual(u32Selector([{ u32: [0, 0, 0] }], true, 'm'), sel('u32-mirred-add'));
  assert.deepEqual(u32Selector([{ ip: { src: '198.51.100.7/32' } }], true, 'm'), sel('u32-ht-add'));
  assert.throws(
    () => u32Selector([{ ip: { dst: '192.0.2.0/24' } }, { ip: { dst: '198.51.100.0/24' } }], true, 'm'),
    /contradicts/,
  );
  assert.throws(() => u32Selector([{ ip: { src: '2001:db8::/32' } }], true, 'm'), /IPv4 prefix/);
  assert.equal(parseU32Handle('800:', 'ht'), 0x80000000);
  assert.equal(parseU32Handle('2:7:', 'ht'), req('u32-ht-add').attrs.options.hash);
  assert.equal(parseU32Handle('800::800', 'h'), 0x80000800);
  assert.throws(() => parseU32Handle('x:', 'ht'), ValidationError);
});

test('each qdisc kind is a file of src/kinds/tc named after its TCA_KIND, with the codec data of its TCA_OPTIONS', async () => {
  const { readdirSync } = await import('node:fs');
  const { qdiscOptionCases } = await import('../../src/codec/tc/qdisc.js');
  const dir = new URL('../../src/kinds/tc/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'common.ts' && f !== 'registry.ts')
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(Object.keys(qdiscKinds).sort(), files, 'the registry lists every kind file');
  for (const name of files) {
    const plugin = (await import(new URL(`${name}.ts`, dir).href)).default;
    assert.equal(plugin.kind, name);
    assert.equal(plugin, qdiscKinds[name as keyof typeof qdiscKinds]);
    assert.equal(typeof plugin.toAttrs, 'function', name);
    assert.equal(
      plugin.data,
      (qdiscOptionCases as Record<string, unknown>)[name],
      `${name}: data is the codec's TCA_OPTIONS`,
    );
  }
});

test('class, filter and action kinds: each file of src/kinds/tc/{class,filter,action} is in the registry, and each entry is such a file', async () => {
  const { readdirSync } = await import('node:fs');
  const { qdiscOptionCases } = await import('../../src/codec/tc/qdisc.js');
  const { filterOptionCases } = await import('../../src/codec/tc/cls.js');
  const { actionOptionCases } = await import('../../src/codec/tc/act.js');
  const { classKinds, filterKinds, actionKinds } = await import('../../src/kinds/tc/registry.js');
  const groups: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
    class: [classKinds, qdiscOptionCases],
    filter: [filterKinds, filterOptionCases],
    action: [actionKinds, actionOptionCases],
  };
  const root = new URL('../../src/kinds/tc/', import.meta.url);
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(dirs, Object.keys(groups).sort(), 'every directory of tc kinds has a registry');
  for (const [group, [registry, cases]] of Object.entries(groups)) {
    const dir = new URL(`${group}/`, root);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'common.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(
      Object.keys(registry).sort(),
      files,
      `the ${group} registry lists exactly the ${group} kind files`,
    );
    for (const name of files) {
      const plugin = (await import(new URL(`${name}.ts`, dir).href)).default as { kind: string; data: unknown };
      assert.equal(plugin.kind, name, `${group}/${name}.ts names its kind`);
      assert.equal(plugin, registry[name], `${group}/${name}: the registry holds the file's plugin`);
      assert.equal(typeof (plugin as { toAttrs?: unknown }).toAttrs, 'function', `${group}/${name}`);
      assert.equal(plugin.data, cases[name], `${group}/${name}: data is the codec's options`);
    }
  }
});

test('every tc kind rtnl ships lists its option keys (flower, keyed by the codec, checks its own)', async () => {
  const { qdiscKinds, classKinds, filterKinds, actionKinds } = await import('../../src/kinds/tc/registry.js');
  const all = { ...qdiscKinds, ...prefixed('class', classKinds), ...prefixed('filter', filterKinds) };
  const missing = Object.entries({ ...all, ...prefixed('action', actionKinds) })
    .filter(([name, p]) => name !== 'filter/flower' && !Array.isArray((p as { keys?: unknown }).keys))
    .map(([name]) => name);
  assert.deepEqual(missing, []);
});
const prefixed = (group: string, o: object) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`${group}/${k}`, v]));
