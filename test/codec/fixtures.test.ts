// Every golden fixture under fixtures/: captured from this machine's kernel (replies) and from
// iproute2 (requests, with strace). Each decodes, re-encodes byte-exact, fails cleanly when cut
// short, and keeps an unknown attribute spliced into it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, LAYOUT, type NetlinkMessage } from '../../src/codec/index.js';
import { messages } from '../../src/codec/messages.js';
import type { MessageTable } from '../../src/codec/nlmsg.js';
import { AF_BRIDGE } from '../../src/codec/constants/index.js';
import { allFixtures, loadFixture, tableOf } from '../helpers/fixtures.js';
import { assertEveryTruncationThrows, assertRoundTrip } from '../helpers/round-trip.js';

// Generic netlink fixtures (ethtool/) carry a family id assigned at boot, not an rtnetlink
// message type: test/codec/ethtool.test.ts decodes them with the family's own tables.
const GENL_DIRS = ['ethtool/'];
const fixtures = allFixtures().filter((f) => !GENL_DIRS.some((d) => f.name.startsWith(d)));

test('there are at least 80 fixtures, covering every family', () => {
  assert.ok(fixtures.length >= 80, `only ${fixtures.length} fixtures`);
  for (const family of [
    'link',
    'address',
    'route',
    'neighbour',
    'rule',
    'nsid',
    'nexthop',
    'tc',
    'error',
    'done',
    'genl',
  ]) {
    assert.ok(
      fixtures.some((f) => f.name.startsWith(`${family}/`)),
      `no ${family} fixture`,
    );
  }
});

test('every fixture records its command, kernel, direction and origin', () => {
  for (const f of fixtures) {
    for (const key of ['command', 'kernel', 'direction', 'origin'])
      assert.ok(f.meta[key], `${f.name} has no '# ${key}:' line`);
  }
});

describe('each fixture', () => {
  for (const f of fixtures) {
    test(`${f.name} decodes, re-encodes byte-exact, and every truncation raises DecodeError`, () => {
      const table = tableOf(f);
      const msgs = table.decode(f.bytes);
      assert.ok(msgs.length > 0);
      for (const m of msgs)
        assert.doesNotMatch(m.type, /^UNKNOWN/, `${f.name}: message type ${m.header.type} has no codec`);
      assertRoundTrip(f.bytes, table);
      assertEveryTruncationThrows(f.bytes, table);
    });
  }
});

/** Offset of the first attribute of the first family message, or undefined. */
function firstAttrOffset(bytes: Uint8Array, table: MessageTable): number | undefined {
  const [m] = table.decode(bytes) as NetlinkMessage[];
  if (!m || m.type.startsWith('NLMSG_') || Object.keys(m.attrs).length === 0) return undefined;
  // The family header's size: encode the message without attributes.
  const bare = table.encode({ ...m, attrs: {} });
  return (bare.length + 3) & ~3;
}

test('an unknown attribute spliced into each fixture survives a round trip in place', () => {
  let spliced = 0;
  for (const f of fixtures) {
    const table = tableOf(f);
    const at = firstAttrOffset(f.bytes, table);
    if (at === undefined) continue;
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    const len = view.getUint32(0, true);
    const extra = Uint8Array.from([7, 0, 0xf0, 0x3f, 0xde, 0xad, 0xbe, 0]); // type 0x3ff0, 3 bytes + pad
    const out = new Uint8Array(f.bytes.length + extra.length);
    out.set(f.bytes.subarray(0, at), 0);
    out.set(extra, at);
    out.set(f.bytes.subarray(at), at + extra.length);
    new DataView(out.buffer).setUint32(0, len + extra.length, true);
    const [m] = table.decode(out);
    const unknown = m!.attrs.$unknown as Array<{ type: number; bytes: Uint8Array }>;
    assert.ok(
      unknown?.some((u) => u.type === 0x3ff0 && Buffer.from(u.bytes).equals(Buffer.from([0xde, 0xad, 0xbe]))),
      f.name,
    );
    assertRoundTrip(out, table);
    spliced++;
  }
  assert.ok(spliced >= 50, `only ${spliced} fixtures had attributes to splice into`);
});

// The decoders' fast path records no layout; an attribute whose NLA_F_* bits differ from the
// schema's sends every object of a dump down the slow path (a layout record each). Link, address
// and route replies of this kernel must decode without one: IFLA_DEVLINK_PORT and IFLA_DPLL_PIN,
// sent NESTED by every device, once cost a link dump 1.4x.
test("this kernel's link, address and route replies decode on the fast path (no layout record)", () => {
  const slow: string[] = [];
  const walk = (o: unknown, name: string): void => {
    if (o === null || typeof o !== 'object' || o instanceof Uint8Array) return;
    if ((o as Record<symbol, unknown>)[LAYOUT] !== undefined) slow.push(name);
    for (const [k, v] of Object.entries(o)) walk(v, `${name}.${k}`);
  };
  let n = 0;
  for (const family of ['link', 'address', 'route']) {
    for (const f of allFixtures(family)) {
      if (!f.name.endsWith('-reply.hex') || !f.meta.kernel?.startsWith('Linux 6.18')) continue;
      decode(f.bytes).forEach((m, i) => walk(m, `${f.name}#${i}`));
      n++;
    }
  }
  assert.ok(n >= 10, `only ${n} reply fixtures`);
  assert.deepEqual(slow, []);
});

test('zero padding after the last message is accepted, as the kernel accepts it', () => {
  const f = loadFixture('link/lo-reply.hex');
  for (const pad of [1, 4, 15, 16, 64]) {
    const out = new Uint8Array(f.bytes.length + pad);
    out.set(f.bytes);
    assert.equal(decode(out).length, decode(f.bytes).length);
  }
});

test('link fixtures agree with what ip -j -d printed for the same link', () => {
  let checked = 0;
  for (const f of allFixtures('link')) {
    if (!Array.isArray(f.json) || f.meta.direction !== 'reply') continue;
    const msgs = decode(f.bytes).filter((m) => m.type === 'RTM_NEWLINK');
    // `bridge -j` prints AF_BRIDGE messages in its own shape (test/codec/bridge-af.test.ts).
    if (msgs.some((m) => m.body.family === AF_BRIDGE)) continue;
    assert.equal(msgs.length, f.json.length, f.name);
    msgs.forEach((m, i) => {
      const ip = (f.json as any[])[i];
      assert.equal(m.body.index, ip.ifindex, `${f.name} ifindex`);
      assert.equal(m.attrs.ifname, ip.ifname, `${f.name} ifname`);
      assert.equal(m.attrs.mtu, ip.mtu, `${f.name} mtu`);
      assert.equal(m.attrs.operstate, ip.operstate, `${f.name} operstate`);
      if (ip.address !== undefined && ip.link_type === 'ether')
        assert.equal(m.attrs.address, ip.address, `${f.name} address`);
      if (ip.txqlen !== undefined) assert.equal(m.attrs.txqlen, ip.txqlen, `${f.name} txqlen`);
      if (ip.linkinfo?.info_kind !== undefined)
        assert.equal(m.attrs.linkinfo?.kind, ip.linkinfo.info_kind, `${f.name} kind`);
      if (ip.ifalias !== undefined) assert.equal(m.attrs.ifalias, ip.ifalias, `${f.name} alias`);
      if (ip.altnames !== undefined) assert.deepEqual(m.attrs.propList?.altIfname, ip.altnames, `${f.name} altnames`);
      if (ip.min_mtu !== undefined) assert.equal(m.attrs.minMtu, ip.min_mtu, `${f.name} min_mtu`);
      if (ip.num_tx_queues !== undefined)
        assert.equal(m.attrs.numTxQueues, ip.num_tx_queues, `${f.name} num_tx_queues`);
      if (ip.link_netnsid !== undefined) assert.equal(m.attrs.linkNetnsid, ip.link_netnsid, `${f.name} link_netnsid`);
      checked++;
    });
  }
  assert.ok(checked >= 15, `only ${checked} links checked`);
});

describe('errors and extended ACKs', () => {
  test('an unknown link kind: NLMSG_ERROR with the kernel text, request echoed', () => {
    const [m] = decode(loadFixture('error/unknown-kind-reply.hex').bytes);
    assert.equal(m!.type, 'NLMSG_ERROR');
    assert.ok((m!.body.error as number) < 0);
    assert.equal(typeof m!.attrs.msg, 'string');
    assert.ok((m!.attrs.msg as string).length > 0);
  });

  test('OFFS and POLICY are decoded, capped and uncapped alike', () => {
    for (const name of ['error/policy-offs-capped-reply.hex', 'error/policy-offs-uncapped-reply.hex']) {
      const [m] = decode(loadFixture(name).bytes);
      assert.equal(typeof m!.attrs.offs, 'number', name);
      assert.ok(m!.attrs.policy instanceof Uint8Array, name);
      const capped = (m!.header.flags & 0x100) !== 0;
      assert.equal(m!.body.request.payload === undefined, capped, `${name}: payload present iff not capped`);
    }
  });

  test('a plain ACK has error 0', () => {
    const [m] = decode(loadFixture('error/ack-reply.hex').bytes);
    assert.equal(m!.type, 'NLMSG_ERROR');
    assert.equal(m!.body.error, 0);
  });

  test('NLMSG_DONE carries a dump error with its extended ACK', () => {
    const msgs = decode(loadFixture('done/route-dump-missing-table-reply.hex').bytes);
    const done = msgs.find((m) => m.type === 'NLMSG_DONE')!;
    assert.ok((done.body.error as number) < 0);
    assert.ok((done.attrs.msg as string).length > 0);
  });

  test('a multipart dump ends in NLMSG_DONE and every part is flagged NLM_F_MULTI', () => {
    const msgs = decode(loadFixture('done/link-dump-reply.hex').bytes);
    assert.ok(msgs.length > 2);
    assert.equal(msgs.at(-1)!.type, 'NLMSG_DONE');
    for (const m of msgs) assert.ok(m.header.flags & 0x2, 'NLM_F_MULTI');
  });
});

test('message type names cover every family in the table', () => {
  for (const [name, num] of [
    ['RTM_NEWLINK', 16],
    ['RTM_NEWADDR', 20],
    ['RTM_NEWROUTE', 24],
    ['RTM_NEWNEIGH', 28],
    ['RTM_NEWRULE', 32],
    ['RTM_NEWNSID', 88],
  ] as const) {
    assert.equal(messages.typeName(num), name);
    assert.equal(messages.typeNumber(name), num);
  }
});
