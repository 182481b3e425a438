// ethtool generic netlink: the attribute sets against ethtool 6.1's own requests and the kernel's
// replies (fixtures/ethtool, captured with strace; each records the family id it used), and the
// SIOCETHTOOL structs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileSet } from '../../src/codec/compile.js';
import { constants as C, decode, keyOf } from '../../src/codec/index.js';
import * as A from '../../src/codec/ethtool/attrs.js';
import {
  decodeDrvinfo,
  decodeGstrings,
  decodeSsetInfo,
  DRVINFO_SIZE,
  gstringsRequest,
  ssetInfoRequest,
  statsRequest,
} from '../../src/codec/ethtool/ioctl.js';
import { ethtoolCmds, ethtoolFamily, ethtoolReplies, ethtoolRequests } from '../../src/codec/ethtool/messages.js';
import { genlMessageDef, nlctrl } from '../../src/codec/genl/index.js';
import { MessageTable } from '../../src/codec/nlmsg.js';
import { beginMessage } from '../../src/codec/primitives.js';
import type { AttrSetDef } from '../../src/codec/schema.js';
import { Writer } from '../../src/codec/writer.js';
import { EINVAL, EOPNOTSUPP } from '../../src/errno.js';
import { DecodeError } from '../../src/errors.js';
import { allFixtures, type Fixture } from '../helpers/fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const GENL_ID_CTRL = C.GENL_ID_CTRL;
const NLMSG_ERROR = 2;

interface Genl {
  type: number;
  cmd: number;
  version: number;
  name: string;
  attrs: Record<string, any>;
  /** The attribute bytes as they came, and as they re-encode. */
  bytes: Uint8Array;
  again: Uint8Array;
}

/** Zero the padding after each attribute, descending into NLA_F_NESTED ones (ethtool does not zero it). */
function zeroPadding(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const walk = (at: number, end: number) => {
    const v = new DataView(out.buffer, out.byteOffset);
    while (at + 4 <= end) {
      const len = v.getUint16(at, true);
      const type = v.getUint16(at + 2, true);
      if (len < 4 || at + len > end) return;
      if (type & 0x8000) walk(at + 4, at + len);
      const next = Math.min((at + len + 3) & ~3, end);
      out.fill(0, at + len, next);
      at = next;
    }
  };
  walk(0, out.length);
  return out;
}

/** The ethtool messages of a fixture, each decoded with its direction's table and re-encoded. */
function ethtoolMessages(f: Fixture): Genl[] {
  const id = Number(/ethtool id (\d+)/.exec(f.meta.family ?? '')?.[1]);
  assert.ok(id >= 16, `${f.name}: no '# family: ethtool id N' line`);
  const table = f.meta.direction === 'request' ? ethtoolRequests : ethtoolReplies;
  const out: Genl[] = [];
  const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  for (let at = 0; at < f.bytes.length; ) {
    const len = view.getUint32(at, true);
    const type = view.getUint16(at + 4, true);
    if (type === id) {
      const cmd = f.bytes[at + 16]!;
      const c = table[cmd];
      assert.ok(c, `${f.name}: cmd ${cmd} has no table`);
      const set = compileSet(c.attrs);
      beginMessage(f.bytes, at, at + len);
      const attrs = set.decode(f.bytes, view, at + 20, at + len, c.name);
      const w = new Writer();
      set.encode(w, attrs, '');
      out.push({
        type,
        cmd,
        version: f.bytes[at + 17]!,
        name: c.name,
        attrs,
        bytes: f.bytes.slice(at + 20, at + len),
        again: w.buf.slice(0, w.pos),
      });
    } else assert.ok(type === NLMSG_ERROR || type === GENL_ID_CTRL, `${f.name}: message type ${type}`);
    at += (len + 3) & ~3;
  }
  return out;
}

const fixtures = allFixtures('ethtool');
const one = (name: string): Genl => {
  const f = fixtures.find((x) => x.name === `ethtool/${name}.hex`);
  assert.ok(f, name);
  const [m] = ethtoolMessages(f);
  assert.ok(m, `${name}: no ethtool message`);
  return m;
};
const bits = (bs: any) => (bs?.bits?.bit ?? []).map((b: any) => [b.index, b.name, b.value === true]);

test('there are ethtool fixtures, each with its command, family id, direction and origin', () => {
  assert.ok(fixtures.length >= 60, `only ${fixtures.length}`);
  for (const f of fixtures)
    for (const k of ['command', 'kernel', 'ethtool', 'family', 'direction', 'origin'])
      assert.ok(f.meta[k], `${f.name}: no '# ${k}:' line`);
});

describe('each ethtool fixture decodes and re-encodes byte-exact', () => {
  for (const f of fixtures) {
    test(f.name, () => {
      for (const m of ethtoolMessages(f)) {
        assert.equal(m.version, 1);
        assert.equal(m.attrs.$unknown, undefined, `${f.name}: unknown attributes in ${m.name}`);
        // ethtool leaves stale bytes in attribute padding; the kernel zeroes it. The values are
        // what must survive: compare with the padding zeroed on the request side only.
        const want = f.meta.direction === 'request' ? zeroPadding(m.bytes) : m.bytes;
        assert.equal(hex(m.again), hex(want), `${f.name}: ${m.name}`);
      }
      // NLMSG_ERROR (ACKs, refusals with extack) decode with the generic codec.
      for (const msg of decode(f.bytes).filter((m) => m.type === 'NLMSG_ERROR'))
        assert.equal(typeof (msg.body as any).error, 'number');
    });
  }
});

test('features: the kernel answer for a veth, hw/wanted/active/nochange as compact bitsets', () => {
  const m = one('features-veth-reply');
  assert.equal(m.name, 'ETHTOOL_MSG_FEATURES_GET_REPLY');
  assert.equal(m.attrs.header.devName, 'v0');
  for (const k of ['hw', 'wanted', 'active', 'nochange']) assert.equal(m.attrs[k].size, 64, k);
  assert.equal(m.attrs.hw.mask.length, 8);
  assert.equal(m.attrs.wanted.nomask, true);
  // The request asks for compact bitsets by header flag.
  assert.equal(one('features-veth-request').attrs.header.flags, C.ETHTOOL_FLAG_COMPACT_BITSETS);
});

test('features set: ethtool -K sends named bits; the kernel answers with what it did not do', () => {
  const req = one('features-set-veth-request');
  assert.equal(req.name, 'ETHTOOL_MSG_FEATURES_SET');
  const named = bits(req.attrs.wanted);
  assert.ok(named.some(([, n, on]: any) => n === 'rx-gro' && on === false));
  assert.ok(named.some(([, n]: any) => n === 'tx-checksum-ip-generic'));
  const rep = one('features-set-veth-reply');
  assert.equal(rep.name, 'ETHTOOL_MSG_FEATURES_SET_REPLY');
  assert.deepEqual(Object.keys(rep.attrs), ['header', 'wanted', 'active']);
});

test('string sets: the netdev-features names, by index', () => {
  const req = one('strset-features-request');
  assert.equal(req.attrs.stringsets.stringset[0].id, C.ETH_SS_FEATURES);
  const m = one('strset-features-reply');
  const set = m.attrs.stringsets.stringset[0];
  assert.equal(set.id, C.ETH_SS_FEATURES);
  assert.equal(set.count, set.strings.string.length);
  assert.deepEqual(set.strings.string[0], { index: 0, value: 'tx-scatter-gather' });
});

test('channels, link modes, link state, coalesce, tsinfo: values as ethtool printed them', () => {
  const ch = one('channels-veth-reply').attrs;
  assert.deepEqual([ch.rxMax, ch.txMax, ch.rxCount, ch.txCount], [2, 2, 2, 2]); // numrx/numtxqueues 2
  assert.equal(one('channels-set-veth-request').attrs.rxCount, 2);
  const lm = one('linkmodes-veth-reply').attrs;
  assert.deepEqual([lm.speed, lm.duplex, lm.autoneg], [10000, 1, 0]);
  assert.ok(lm.ours.size > 100); // the kernel's link-mode count: no mode set, none listed
  assert.equal(one('linkstate-veth-reply').attrs.link, 0); // down: the namespace has not raised it
  assert.equal(one('coalesce-tun-reply').attrs.rxMaxFrames, 0);
  assert.equal(one('coalesce-set-tun-request').attrs.rxMaxFrames, 8);
  const ts = one('tsinfo-veth-reply').attrs;
  assert.ok(ts.timestamping.size > 0);
});

test('stats groups: one grp per standard group, with its string set', () => {
  const req = one('stats-groups-veth-request').attrs;
  assert.equal(req.groups.nomask, true);
  const m = one('stats-groups-veth-reply').attrs;
  assert.deepEqual(
    m.grp.map((g: any) => [g.id, g.ssId]),
    [
      [C.ETHTOOL_STATS_ETH_PHY, C.ETH_SS_STATS_ETH_PHY],
      [C.ETHTOOL_STATS_ETH_MAC, C.ETH_SS_STATS_ETH_MAC],
      [C.ETHTOOL_STATS_ETH_CTRL, C.ETH_SS_STATS_ETH_CTRL],
      [C.ETHTOOL_STATS_RMON, C.ETH_SS_STATS_RMON],
      [4, 21], // a group newer than this table's names (phy), kept by number
    ],
  );
});

test('a stats group counter (one u64 in a nest) round-trips, and a nest of another shape is kept', () => {
  const set = compileSet(A.statsGrpAttrs);
  const w = new Writer();
  set.encode(w, { id: 0, ssId: 17, stat: [{ id: C.ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR, value: 5n }] }, '');
  const b = w.buf.slice(0, w.pos);
  beginMessage(b, 0, b.length);
  const back = set.decode(b, new DataView(b.buffer), 0, b.length, '');
  assert.equal(back.stat[0].value, 5n);
  assert.equal(new DataView(b.buffer).getUint16(16 + 2, true), C.ETHTOOL_A_STATS_GRP_STAT | 0x8000);
});

test('refusals: EOPNOTSUPP for what virtual devices lack, EINVAL with extack for too many channels', () => {
  for (const name of ['rings-veth', 'pause-veth', 'eee-veth', 'fec-veth', 'privflags-veth', 'coalesce-veth']) {
    const [err] = decode(fixtures.find((f) => f.name === `ethtool/${name}-refused-reply.hex`)!.bytes);
    assert.equal((err!.body as any).error, -EOPNOTSUPP, name);
  }
  const [err] = decode(fixtures.find((f) => f.name === 'ethtool/channels-set-too-many-reply.hex')!.bytes);
  assert.equal((err!.body as any).error, -EINVAL);
  assert.equal((err!.attrs as any).msg, 'requested channel count exceeds maximum');
});

test('every key is the kernel name minus its prefix, and every kernel attribute has a key', () => {
  const all = C as unknown as Record<string, number>;
  const sets: AttrSetDef[] = Object.values(A).filter((v: any) => v?.tag === 'attrs') as AttrSetDef[];
  const prefixes = sets.map((s) => s.prefix);
  for (const set of sets) {
    if (set === A.statsGrpHistAttrs) continue; // a subset view of ETHTOOL_A_STATS_GRP
    const longer = prefixes.filter((p) => p.startsWith(`${set.prefix}_`));
    const want = new Map<string, number>();
    for (const [name, value] of Object.entries(all)) {
      if (!name.startsWith(`${set.prefix}_`)) continue;
      if ([`${set.prefix}_UNSPEC`, `${set.prefix}_MAX`, `${set.prefix}_CNT`].includes(name)) continue;
      if (longer.some((p) => name.startsWith(`${p}_`))) continue;
      // ETHTOOL_A_STATS_<GROUP>_* name counters inside a group, not attributes of ETHTOOL_A_STATS.
      if (set.prefix === 'ETHTOOL_A_STATS' && /^ETHTOOL_A_STATS_(ETH_|RMON_|PHY_)/.test(name)) continue;
      want.set(keyOf(name, set.prefix), value);
    }
    const got = new Map(Object.entries(set.spec).map(([k, [n]]) => [k, n]));
    assert.deepEqual(got, want, set.prefix);
  }
});

test('every request and reply command names its own kernel constant', () => {
  const all = C as unknown as Record<string, number>;
  for (const [n, c] of Object.entries(ethtoolRequests)) assert.equal(all[c.name], Number(n), c.name);
  for (const [n, c] of Object.entries(ethtoolReplies)) assert.equal(all[c.name], Number(n), c.name);
});

describe('SIOCETHTOOL structs', () => {
  test('drvinfo decodes NUL-padded strings and counts; a short buffer is DecodeError', () => {
    const b = new Uint8Array(DRVINFO_SIZE);
    b.set(new TextEncoder().encode('veth'), 4);
    b.set(new TextEncoder().encode('1.0'), 36);
    new DataView(b.buffer).setUint32(DRVINFO_SIZE - 16, 17, true);
    const d = decodeDrvinfo(b);
    assert.deepEqual([d.driver, d.version, d.nStats, d.busInfo], ['veth', '1.0', 17, '']);
    assert.equal(DRVINFO_SIZE, 196);
    assert.throws(() => decodeDrvinfo(b.subarray(0, 100)), DecodeError);
  });

  test('sset_info asks for one set and reads its count only when the kernel kept the bit', () => {
    const b = ssetInfoRequest(C.ETH_SS_STATS);
    assert.equal(hex(b.subarray(0, 16)), '37000000000000000200000000000000');
    new DataView(b.buffer).setUint32(16, 17, true);
    assert.equal(decodeSsetInfo(b, C.ETH_SS_STATS), 17);
    new DataView(b.buffer).setBigUint64(8, 0n, true);
    assert.equal(decodeSsetInfo(b, C.ETH_SS_STATS), undefined);
  });

  test('gstrings and gstats never ask for 0 and always have the room they claim', () => {
    assert.throws(() => gstringsRequest(C.ETH_SS_STATS, 0, 64), RangeError);
    assert.throws(() => statsRequest(0, 64), RangeError);
    assert.throws(() => statsRequest(10, 5), RangeError);
    const g = gstringsRequest(C.ETH_SS_STATS, 2, 10);
    assert.equal(g.length, 12 + 10 * C.ETH_GSTRING_LEN);
    g.set(new TextEncoder().encode('rx_bytes'), 12);
    assert.deepEqual(decodeGstrings(g, 2), ['rx_bytes', '']);
    assert.equal(statsRequest(3, 7).length, 8 + 7 * 8);
  });
});

test('ethtool request fixtures: the zeroPadding helper only touches padding', () => {
  const f = fixtures.find((x) => x.name === 'ethtool/features-set-veth-request.hex')!;
  const [m] = ethtoolMessages(f);
  assert.notEqual(hex(m!.bytes), hex(zeroPadding(m!.bytes))); // ethtool really left stale bytes
});

test('the one-table-per-cmd view: every reply decodes with its own set; every request encodes as with its own', () => {
  for (const [n, c] of Object.entries(ethtoolReplies)) assert.equal(ethtoolCmds[Number(n)], c.attrs, c.name);
  for (const [n, c] of Object.entries(ethtoolRequests)) {
    const set = ethtoolCmds[Number(n)]!;
    if (set === c.attrs) continue;
    // GETs that carry more than the header (string set ids, statistics groups) must keep their set.
    assert.ok(/_GET$/.test(c.name) && !/_(STRSET|STATS)_GET$/.test(c.name), `${c.name} would encode with another set`);
    assert.equal(set.spec.header?.[0], 1, c.name);
    const a = new Writer();
    compileSet(set).encode(a, { header: { devName: 'eth0', flags: 1 } }, '');
    const b = new Writer();
    compileSet(c.attrs).encode(b, { header: { devName: 'eth0', flags: 1 } }, '');
    assert.equal(hex(a.buf.slice(0, a.pos)), hex(b.buf.slice(0, b.pos)), c.name);
  }
});

test('through the generic netlink table: replies and notifications decode and re-encode byte-exact', () => {
  let checked = 0;
  for (const f of fixtures.filter((x) => x.meta.direction !== 'request')) {
    const id = Number(/ethtool id (\d+)/.exec(f.meta.family ?? '')?.[1]);
    const table = new MessageTable([genlMessageDef(nlctrl, GENL_ID_CTRL), genlMessageDef(ethtoolFamily, id)], {
      protocol: C.NETLINK_GENERIC,
    });
    const msgs = table.decode(f.bytes);
    for (const m of msgs) if (m.type === 'ethtool') assert.equal(m.attrs.$unknown, undefined, f.name);
    assert.equal(hex(table.encode(msgs)), hex(f.bytes), f.name);
    checked++;
  }
  assert.ok(checked >= 35, `only ${checked}`);
});
