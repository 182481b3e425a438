// Property tests (fast-check): generated messages round-trip, and random or mutated bytes either
// decode or raise DecodeError, in bounded time. Seeded, so a failure reproduces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode, encode, formatIPv4, keyOf, parseIPv4, struct, type AttrSetDef } from '../../src/codec/index.js';
import { compileStruct } from '../../src/codec/compile.js';
import * as C from '../../src/codec/constants/index.js';
import { FAMILIES } from '../../src/codec/messages.js';
import { decodeString } from '../../src/codec/primitives.js';
import { DecodeError } from '../../src/errors.js';
import { allFixtures, loadHex } from '../helpers/fixtures.js';
import { deepVethChain } from '../helpers/fuzz.js';

const SEED = 20261125;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ifname = fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/);
const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
const ipv4 = fc.ipV4();
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
  const w: string[] = [];
  for (let i = 0; i < 16; i += 2) w.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return w.join(':');
});

/** Drop undefined keys: the codec treats present keys as attributes. */
const clean = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const linkMsg = fc
  .record({
    index: fc.integer({ min: 0, max: 0x7fffffff }),
    flags: u32,
    ifname: fc.option(ifname, { nil: undefined }),
    mtu: fc.option(u32, { nil: undefined }),
    address: fc.option(mac, { nil: undefined }),
    txqlen: fc.option(u32, { nil: undefined }),
    ifalias: fc.option(
      fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0')),
      { nil: undefined },
    ),
    kind: fc.option(fc.constantFrom('bridge', 'vxlan', 'veth', 'ifb', 'somethingnew'), { nil: undefined }),
    vni: fc.integer({ min: 0, max: 0xffffff }),
    port: fc.integer({ min: 1, max: 65535 }),
    stp: fc.integer({ min: 0, max: 1 }),
    group: ipv4,
  })
  .map((r) => {
    const attrs: Record<string, unknown> = clean({
      ifname: r.ifname,
      mtu: r.mtu,
      address: r.address,
      txqlen: r.txqlen,
      ifalias: r.ifalias,
    });
    if (r.kind === 'bridge') attrs.linkinfo = { kind: 'bridge', data: { stpState: r.stp } };
    else if (r.kind === 'vxlan') attrs.linkinfo = { kind: 'vxlan', data: { id: r.vni, port: r.port, group: r.group } };
    else if (r.kind === 'veth')
      attrs.linkinfo = {
        kind: 'veth',
        data: {
          peer: { header: { family: 0, pad: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs: { ifname: 'peer0' } },
        },
      };
    else if (r.kind) attrs.linkinfo = { kind: r.kind };
    return {
      type: 'RTM_NEWLINK',
      header: { len: 0, type: 16, flags: 0x605, seq: 1, pid: 0 },
      body: { family: 0, pad: 0, type: 1, index: r.index, flags: r.flags, change: 0 },
      attrs,
    };
  });

const routeMsg = fc
  .record({
    family: fc.constantFrom(2, 10),
    dstLen: fc.integer({ min: 0, max: 32 }),
    table: u32,
    v4: ipv4,
    v6: ipv6,
    oif: fc.option(u32, { nil: undefined }),
    priority: fc.option(u32, { nil: undefined }),
  })
  .map((r) => ({
    type: 'RTM_NEWROUTE',
    header: { len: 0, type: 24, flags: 0x600, seq: 7, pid: 0 },
    body: {
      family: r.family,
      dstLen: r.dstLen,
      srcLen: 0,
      tos: 0,
      table: 254,
      protocol: 4,
      scope: 0,
      type: 1,
      flags: 0,
    },
    attrs: clean({ table: r.table, dst: r.family === 2 ? r.v4 : r.v6, oif: r.oif, priority: r.priority }),
  }));

/** Normalise through one decode, so canonical forms (IPv6 text, lowercase MAC) are compared. */
function roundTrips(msg: object): void {
  const bytes = encode(msg as never);
  const once = decode(bytes);
  assert.equal(once.length, 1);
  const again = encode(once);
  assert.deepEqual(Buffer.from(again), Buffer.from(bytes));
  assert.deepEqual(decode(again), once);
  assert.equal(once[0]!.header.len, bytes.length);
}

test('generated link messages round-trip', () => {
  fc.assert(fc.property(linkMsg, roundTrips), { seed: SEED, numRuns: 500 });
});

test('generated route messages round-trip', () => {
  fc.assert(fc.property(routeMsg, roundTrips), { seed: SEED, numRuns: 500 });
});

function decodesOrDecodeError(bytes: Uint8Array): void {
  const t0 = performance.now();
  try {
    decode(bytes);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
  assert.ok(performance.now() - t0 < 200, `decode took ${performance.now() - t0} ms`);
}

test('random bytes decode or raise DecodeError, quickly', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), decodesOrDecodeError), { seed: SEED, numRuns: 3000 });
});

test('mutated fixtures decode or raise DecodeError, quickly', () => {
  const corpus = allFixtures().map((f) => f.bytes);
  const mutation = fc.record({
    which: fc.nat({ max: corpus.length - 1 }),
    at: fc.nat(),
    kind: fc.constantFrom('flip', 'len0', 'len1', 'len3', 'len4', 'lenffff', 'lenpast'),
    bit: fc.nat({ max: 7 }),
  });
  fc.assert(
    fc.property(mutation, ({ which, at, kind, bit }) => {
      const b = Uint8Array.from(corpus[which]!);
      const i = at % Math.max(1, b.length - 1);
      const v = new DataView(b.buffer);
      const lens: Record<string, number> = {
        len0: 0,
        len1: 1,
        len3: 3,
        len4: 4,
        lenffff: 0xffff,
        lenpast: b.length - i + 4,
      };
      if (kind === 'flip') b[i] = b[i]! ^ (1 << bit);
      else if (i + 2 <= b.length) v.setUint16(i & ~3, Math.min(lens[kind]!, 0xffff), true);
      decodesOrDecodeError(b);
    }),
    { seed: SEED, numRuns: 5000 },
  );
});

test('nesting 1,000 deep (veth peer in veth peer ...) raises DecodeError, not a stack overflow', () => {
  // The declarations recurse here (a veth peer is a link), so this really descends.
  assert.throws(
    () => decode(deepVethChain(1000)),
    (e: unknown) => e instanceof DecodeError && /nested more than/.test((e as Error).message),
  );
  // Real depths still decode: a peer inside a peer, a few levels down.
  const [m] = decode(deepVethChain(5));
  assert.equal(m!.attrs.linkinfo.data.peer.attrs.linkinfo.data.peer.attrs.linkinfo.kind, 'veth');
});

test('every attribute key is the camelCase of its kernel name, and the numbers match', () => {
  const all = C as unknown as Record<string, number>;
  const seen = new Set<AttrSetDef>();
  const walk = (set: AttrSetDef) => {
    if (seen.has(set)) return;
    seen.add(set);
    for (const [key, [num, kind]] of Object.entries(set.spec)) {
      visit(kind);
      if (key === String(num)) continue; // index-keyed arrays (bond ARP targets 0..15)
      const names = Object.entries(all).filter(
        ([n, v]) => n.startsWith(`${set.prefix}_`) && v === num && keyOf(n, set.prefix) === key,
      );
      assert.ok(names.length > 0, `${set.prefix}: key '${key}' = ${num} matches no ${set.prefix}_* constant`);
    }
  };
  const visit = (kind: any) => {
    if (!kind || typeof kind !== 'object') return;
    if (kind.tag === 'nest') walk(kind.set);
    else if (kind.tag === 'multi') visit(kind.inner);
    else if (kind.tag === 'nestBy') Object.values(kind.cases).forEach(visit);
    else if (kind.tag === 'headered') walk(kind.set);
  };
  for (const f of FAMILIES) walk(f.attrs);
  assert.ok(seen.size >= 20, `only ${seen.size} attribute sets reached`);
});

test('formatIPv4 gives the dotted quad whatever its cache holds (hits, misses, slot collisions)', () => {
  // A small pool of values makes repeats (cache hits) and shared slots (collisions) common.
  const pool = fc.array(fc.uint8Array({ minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 600 });
  fc.assert(
    fc.property(pool, fc.array(fc.nat(), { maxLength: 2000 }), (values, picks) => {
      for (const p of picks) {
        const b = values[p % values.length]!;
        assert.equal(formatIPv4(b), `${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
      }
    }),
    { seed: SEED, numRuns: 50 },
  );
});

test('short strings decode to their text whatever the string cache holds', () => {
  const text = fc.stringMatching(/^[ -~]{0,16}$/);
  fc.assert(
    fc.property(
      fc.array(text, { minLength: 1, maxLength: 1500 }),
      fc.array(fc.nat(), { maxLength: 3000 }),
      (values, picks) => {
        for (const p of picks) {
          const s = values[p % values.length]!;
          const bytes = Buffer.from(s + '\0', 'latin1');
          assert.equal(decodeString(bytes, 0, bytes.length), s);
        }
      },
    ),
    { seed: SEED, numRuns: 50 },
  );
});

test('kept bytes are a private copy shared by the messages of one buffer, never a view of it', () => {
  // Two captured kernel replies back to back, as one datagram carries several messages. The codec
  // names every attribute this kernel sends, so each gets one it cannot name (type 999) appended.
  const withUnknown = (bytes: Uint8Array) => {
    const out = new Uint8Array(bytes.length + 8);
    out.set(bytes, 0);
    const view = new DataView(out.buffer);
    view.setUint32(0, out.length, true);
    view.setUint16(bytes.length, 8, true);
    view.setUint16(bytes.length + 2, 999, true);
    view.setUint32(bytes.length + 4, 0xdeadbeef, true);
    return out;
  };
  const a = withUnknown(loadHex('link/lo-reply.hex'));
  const b = withUnknown(loadHex('link/ifb-reply.hex'));
  const datagram = new Uint8Array(a.length + b.length);
  datagram.set(a, 0);
  datagram.set(b, a.length);
  const msgs = decode(datagram);
  assert.equal(msgs.length, 2);
  const kept = msgs.map((m) => (m.attrs as { $unknown?: Array<{ bytes: Uint8Array }> }).$unknown?.[0]?.bytes);
  assert.ok(kept[0] && kept[1], 'both replies carry an unknown attribute, kept as bytes');
  assert.notEqual(kept[0]!.buffer, datagram.buffer);
  assert.equal(kept[0]!.buffer, kept[1]!.buffer, 'one copy for the whole buffer');
  const before = kept.map((k) => [...k!]);
  datagram.fill(0xee);
  assert.deepEqual(
    kept.map((k) => [...k!]),
    before,
    'changing the input afterwards changes nothing kept',
  );
  // A second decode of the same (now changed) buffer takes a fresh copy.
  datagram.set(a, 0);
  datagram.set(b, a.length);
  const again = decode(datagram).map(
    (m) => (m.attrs as { $unknown?: Array<{ bytes: Uint8Array }> }).$unknown?.[0]?.bytes,
  );
  assert.notEqual(again[0]!.buffer, kept[0]!.buffer);
});

test('parseIPv4 accepts exactly four decimal octets 0-255 without leading zeros', () => {
  const reference = (s: string) => {
    const parts = s.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.map(Number);
  };
  const text = fc.array(fc.constantFrom(...'0123456789.. x'), { maxLength: 18 }).map((cs) => cs.join(''));
  // Near misses: 3 to 5 parts of 0 to 4 digits (leading zeros, empty parts, values over 255).
  const part = fc.array(fc.constantFrom(...'0123456789'), { maxLength: 4 }).map((cs) => cs.join(''));
  const quads = fc.array(part, { minLength: 3, maxLength: 5 }).map((ps) => ps.join('.'));
  fc.assert(
    fc.property(fc.oneof(text, quads, ipv4), (s) => {
      const got = parseIPv4(s);
      assert.deepEqual(got && [...got], reference(s), JSON.stringify(s));
    }),
    { seed: SEED, numRuns: 20000 },
  );
});

test('64-bit struct fields decode exactly, zero included (zero is a shared 0n)', () => {
  const s = compileStruct(
    struct('test_u64', [
      ['a', 'u64'],
      ['b', 's64'],
    ] as const),
  );
  const values: Array<[bigint, bigint]> = [
    [0n, 0n],
    [1n, -1n],
    [1n << 32n, -(1n << 32n)],
    [(1n << 64n) - 1n, -(1n << 63n)],
    [1n << 63n, (1n << 63n) - 1n],
  ];
  for (const [a, b] of values) {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, a, true);
    view.setBigInt64(8, b, true);
    assert.deepEqual(s.decode(bytes, view, 0, 16, 'x'), { a, b });
  }
});
