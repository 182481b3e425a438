// Each tc kind's statistics (TCA_XSTATS, and TCA_STATS_APP inside TCA_STATS2). htb's come from a
// real capture. The other kinds are missing from this kernel and no capture of theirs exists, so
// their bytes here are made by rtnl's own encoder from the struct and attribute declarations in
// src/codec/tc/xstats.ts (which follow pkt_sched.h field for field): these tests check the union,
// the nesting and the selection by kind, and that a message carrying them decodes back to the same
// values through the same path a kernel reply takes. No byte here is typed by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import { decode, decodeAttrs, encode, encodeAttrs, type NetlinkMessage } from '../../src/codec/index.js';
import {
  cakeStatsAttrs,
  decodeTcXstats,
  tcFqCodelXstats,
  tcXstatsCases,
  u32Attrs,
  type FqCodelXstats,
} from '../../src/codec/tc/index.js';
import { compileStruct } from '../../src/codec/struct.js';
import { Writer } from '../../src/codec/writer.js';
import { toTcObject } from '../../src/ops/tc.js';
import { loadFixture } from '../helpers/fixtures.js';

/** A qdisc (or class) reply as the kernel builds it: TCA_KIND, TCA_STATS2 { basic, app }, TCA_XSTATS. */
function reply(kind: string, xstats: unknown, opts: { xstats?: boolean; class?: boolean } = {}): NetlinkMessage {
  const type = opts.class ? C.RTM_NEWTCLASS : C.RTM_NEWQDISC;
  // The app payload: the same encoder, through a message of its own, cut out of TCA_XSTATS.
  const alone = encode({
    type: opts.class ? 'RTM_NEWTCLASS' : 'RTM_NEWQDISC',
    header: { len: 0, type, flags: 0, seq: 0, pid: 0 },
    body: { family: 0, ifindex: 2, handle: 0x10000, parent: C.TC_H_ROOT, info: 0 },
    attrs: { kind, xstats },
  });
  const back = decode(alone)[0]!;
  const raw = (back.attrs as any).xstats;
  const app = raw && '$raw' in raw ? raw.$raw : appBytes(alone);
  const m = {
    type: opts.class ? 'RTM_NEWTCLASS' : 'RTM_NEWQDISC',
    header: { len: 0, type, flags: 0, seq: 0, pid: 0 },
    body: { family: 0, ifindex: 2, handle: 0x10000, parent: C.TC_H_ROOT, info: 1 },
    attrs: {
      kind,
      stats2: { basic: { bytes: 0n, packets: 0, pad: new Uint8Array(4) }, app },
      ...(opts.xstats === false ? {} : { xstats }),
    },
  } as NetlinkMessage;
  return decode(encode(m))[0]!;
}

/** The payload of the last attribute (TCA_XSTATS) of an encoded tcmsg message. */
function appBytes(msg: Uint8Array): Uint8Array {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  let pos = 16 + 20;
  let last: Uint8Array | undefined;
  while (pos + 4 <= msg.length) {
    const len = v.getUint16(pos, true);
    if ((v.getUint16(pos + 2, true) & 0x3fff) === C.TCA_XSTATS) last = msg.slice(pos + 4, pos + len);
    pos += (len + 3) & ~3;
  }
  return last!;
}

test('htb: a class xstats capture decodes the same from TCA_XSTATS and from TCA_STATS_APP', () => {
  const classes = decode(loadFixture('tc/htb-class-reply.hex').bytes).filter((m) => m.type === 'RTM_NEWTCLASS');
  assert.ok(classes.length >= 2);
  for (const m of classes) {
    const a = m.attrs as any;
    assert.ok(a.stats2.app instanceof Uint8Array, 'the kernel sends both');
    assert.deepEqual(decodeTcXstats('htb', a.stats2.app), a.xstats);
    assert.deepEqual(Object.keys(a.xstats), ['lends', 'borrows', 'giants', 'tokens', 'ctokens']);
    assert.deepEqual(toTcObject(m).xstats, a.xstats);
  }
});

test('fq_codel: the union keyed by type, qdisc and class variants, the struct size of the kernel', () => {
  const qd: FqCodelXstats = {
    type: 'qdisc',
    qdisc: {
      maxpacket: 1514,
      dropOverlimit: 2,
      ecnMark: 3,
      newFlowCount: 4,
      newFlowsLen: 5,
      oldFlowsLen: 6,
      ceMark: 7,
      memoryUsage: 8,
      dropOvermemory: 9,
    },
  };
  const cl: FqCodelXstats = {
    type: 'class',
    class: { deficit: -12, ldelay: 300, count: 1, lastcount: 2, dropping: 1, dropNext: -5 },
  };
  for (const [x, isClass] of [
    [qd, false],
    [cl, true],
  ] as const) {
    const w = new Writer();
    tcFqCodelXstats.encode(w, x, 'x');
    const bytes = w.finish();
    // sizeof(struct tc_fq_codel_xstats): the type word and the larger (qdisc) member
    assert.equal(bytes.length, 4 + 36);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    assert.equal(v.getUint32(0, true), isClass ? C.TCA_FQ_CODEL_XSTATS_CLASS : C.TCA_FQ_CODEL_XSTATS_QDISC);
    // the first member's first field sits right after the type word
    assert.equal(isClass ? v.getInt32(4, true) : v.getUint32(4, true), isClass ? -12 : 1514);
    const m = reply('fq_codel', x, { class: isClass });
    assert.deepEqual((m.attrs as any).xstats, x);
    assert.deepEqual(toTcObject(m).xstats, x);
    assert.deepEqual(decodeTcXstats('fq_codel', (m.attrs as any).stats2.app), x);
  }
  // an unknown type word keeps what follows as bytes
  const w = new Writer();
  tcFqCodelXstats.encode(w, { type: 7, $raw: new Uint8Array([1, 2, 3, 4]) }, 'x');
  assert.deepEqual(decodeTcXstats('fq_codel', w.finish()), { type: 7, $raw: new Uint8Array([1, 2, 3, 4]) });
});

test('cake: nested stats with one nest per tin, only in TCA_STATS_APP; a class flow', () => {
  const tin = (i: number) => ({
    thresholdRate64: 12_500_000n * BigInt(i),
    sentBytes64: 1000n * BigInt(i),
    backlogBytes: 0,
    targetUs: 5000,
    intervalUs: 100000,
    sentPackets: i,
    droppedPackets: 0,
    ecnMarkedPackets: 0,
    acksDroppedPackets: 0,
    peakDelayUs: 10,
    avgDelayUs: 5,
    baseDelayUs: 1,
    wayIndirectHits: 0,
    wayMisses: i,
    wayCollisions: 0,
    sparseFlows: 0,
    bulkFlows: 1,
    unresponsiveFlows: 0,
    maxSkblen: 1514,
    flowQuantum: 1514,
  });
  const qd = {
    capacityEstimate64: 12_500_000n,
    memoryLimit: 4 << 20,
    memoryUsed: 0,
    avgNetoff: 14,
    maxNetlen: 1514,
    maxAdjlen: 1514,
    minNetlen: 42,
    minAdjlen: 42,
    tinStats: [tin(1), tin(2), tin(3), tin(4)],
  };
  // cake_dump_stats writes TCA_STATS_APP only: no TCA_XSTATS beside it
  const m = reply('cake', qd, { xstats: false });
  assert.equal((m.attrs as any).xstats, undefined);
  const o = toTcObject(m);
  assert.deepEqual(o.xstats, qd);
  // tins are numbered from 1 on the wire (nla_nest_start(d->skb, i + 1))
  const chain = encodeAttrs(cakeStatsAttrs, qd);
  const at = [...walk(chain)].find(([type]) => type === C.TCA_CAKE_STATS_TIN_STATS)!;
  assert.deepEqual(
    [...walk(at[1])].map(([type]) => type),
    [1, 2, 3, 4],
  );
  const cl = { deficit: -300, cobaltCount: 2, dropping: 1, dropNextUs: -20, pDrop: 77, blueTimerUs: 0 };
  assert.deepEqual(toTcObject(reply('cake', cl, { xstats: false, class: true })).xstats, cl);
  assert.deepEqual(decodeAttrs(cakeStatsAttrs, encodeAttrs(cakeStatsAttrs, cl)), cl);
});

function* walk(b: Uint8Array): Generator<[number, Uint8Array]> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let pos = 0; pos + 4 <= b.length; ) {
    const len = v.getUint16(pos, true);
    yield [v.getUint16(pos + 2, true) & 0x3fff, b.subarray(pos + 4, pos + len)];
    pos += (len + 3) & ~3;
  }
}

test('every struct-shaped kind: selected by TCA_KIND in TCA_XSTATS and in TCA_STATS_APP', () => {
  const sizes: Record<string, number> = {};
  for (const [kind, def] of Object.entries(tcXstatsCases)) {
    if (typeof def !== 'object' || def.tag !== 'struct') continue;
    // every field set to a distinct value, so a swapped or shifted field shows
    const value: Record<string, number | bigint> = {};
    def.fields.forEach(([name, k], i) => {
      value[name] = k === 'u64' || k === 's64' ? BigInt(1000 + i) : k.startsWith('s') ? -(i + 1) : i + 1;
    });
    const m = reply(kind, value);
    assert.deepEqual((m.attrs as any).xstats, value, kind);
    assert.deepEqual(decodeTcXstats(kind, (m.attrs as any).stats2.app), value, kind);
    assert.deepEqual(toTcObject(m).xstats, value, kind);
    sizes[kind] = compileStruct(def).size;
  }
  // sizeof() of each struct on x86-64, as pkt_sched.h lays them out
  assert.deepEqual(sizes, {
    htb: 20,
    fq: 104,
    red: 16,
    sfq: 4,
    codel: 36,
    pie: 40,
    fq_pie: 36,
    choke: 20,
    sfb: 36,
    hhf: 16,
    drr: 4,
    qfq: 8,
    hfsc: 24,
  });
  // kinds rtnl does not know stay bytes
  assert.deepEqual(decodeTcXstats('nosuch', new Uint8Array([9, 9, 9, 9])), { $raw: new Uint8Array([9, 9, 9, 9]) });
});

test('u32 perf counters: rule lookups, hits, and one count per key (struct tc_u32_pcnt)', () => {
  // CONFIG_CLS_U32_PERF is off in this kernel: bytes from rtnl's encoder
  const pcnt = { rcnt: 10n, rhit: 4n, kcnts: [4n, 6n] };
  const bytes = encodeAttrs(u32Attrs, { pcnt });
  assert.equal(bytes.length, 4 + 8 * 4);
  const back = decodeAttrs(u32Attrs, bytes);
  assert.deepEqual(back.pcnt, pcnt);
});

test('TCA_STATS_APP that does not fit its kind stays bytes; the object still lists', () => {
  // a cake nest cut in the middle of an attribute: made from rtnl's own encoding, then truncated
  const good = encodeAttrs(cakeStatsAttrs, { memoryUsed: 1, memoryLimit: 2 });
  const cut = good.slice(0, good.length - 2);
  assert.throws(() => decodeTcXstats('cake', cut));
  const m = reply('cake', { memoryUsed: 1 }, { xstats: false });
  (m.attrs as any).stats2.app = cut;
  assert.deepEqual(toTcObject(m).xstats, { $raw: cut });
});
