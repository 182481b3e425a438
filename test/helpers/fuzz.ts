/**
 * The decoder fuzzer shared by `npm run fuzz` (1,000,000+ inputs) and the seeded test (20,000).
 * Inputs: random bytes, and real fixtures mutated (bit flips, length fields set to 0, 1, 3, 4,
 * 0xffff, just past the end, and nests 1,000 deep). The only allowed outcomes are a result or a
 * DecodeError, and each input must finish in bounded time.
 */
import { messages } from '../../src/codec/index.js';
import type { MessageTable } from '../../src/codec/nlmsg.js';
import { DecodeError } from '../../src/errors.js';
import { GENL_ID_CTRL, NETLINK_GENERIC } from '../../src/codec/constants/index.js';
import { ethtoolFamily } from '../../src/codec/ethtool/messages.js';
import { genlMessageDef, nlctrl } from '../../src/codec/genl/index.js';
import { MessageTable as Table } from '../../src/codec/nlmsg.js';
import { allFixtures, tableOf } from './fixtures.js';

/** One seed input: its bytes, the table of its protocol, and a label for the figures. */
export interface CorpusEntry {
  bytes: Uint8Array;
  table: MessageTable;
  /** The message family of its first message ('link', 'nlctrl', ...), for `byFamily`. */
  family: string;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzReport {
  inputs: number;
  failures: Array<{ input: string; error: string }>;
  decoded: number;
  rejected: number;
  slowestMs: number;
  slowestInput: string;
  /** The slowest input, in hex, to reproduce it. */
  slowestHex: string;
  /** Its best time over 20 more decodes: the input's own cost, without GC pauses or preemption. */
  slowestRetimedMs: number;
  byKind: Record<string, number>;
  /** Inputs by the message family of the fixture they were made from (random bytes: 'random'). */
  byFamily: Record<string, number>;
}

const LENGTHS = [0, 1, 3, 4, 0xffff];

/**
 * Nesting that the declarations really recurse through: a veth whose peer is a veth whose peer
 * is a veth..., `depth` levels of IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER (ifinfomsg +
 * IFLA_*), every length consistent.
 */
export function deepVethChain(depth: number): Uint8Array {
  const attr = (type: number, payload: Uint8Array) => {
    const len = 4 + payload.length;
    const b = new Uint8Array((len + 3) & ~3);
    const v = new DataView(b.buffer);
    v.setUint16(0, len, true);
    v.setUint16(2, type, true);
    b.set(payload, 4);
    return b;
  };
  const cat = (...xs: Uint8Array[]) => {
    const b = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) {
      b.set(x, o);
      o += x.length;
    }
    return b;
  };
  const kind = attr(1, new TextEncoder().encode('veth\0')); // IFLA_INFO_KIND
  let inner = new Uint8Array(0);
  for (let i = 0; i < depth; i++) inner = attr(18, cat(kind, attr(2, attr(1, cat(new Uint8Array(16), inner))))); // LINKINFO > DATA > PEER
  const msg = cat(new Uint8Array(32), inner); // nlmsghdr + ifinfomsg
  new DataView(msg.buffer).setUint32(0, msg.length, true);
  new DataView(msg.buffer).setUint16(4, 16, true); // RTM_NEWLINK
  return msg;
}

function mutate(src: Uint8Array, r: () => number): { bytes: Uint8Array; kind: string } {
  const b = Uint8Array.from(src);
  const v = new DataView(b.buffer);
  const pick = r();
  const at = Math.floor(r() * Math.max(1, b.length - 1));
  if (pick < 0.4) {
    const flips = 1 + Math.floor(r() * 4);
    for (let i = 0; i < flips; i++) {
      const j = Math.floor(r() * b.length);
      b[j] = b[j]! ^ (1 << Math.floor(r() * 8));
    }
    return { bytes: b, kind: 'bitflip' };
  }
  // Length fields sit on 4-byte boundaries (nlmsg_len, nla_len) in well-formed messages.
  const aligned = at & ~3;
  if (aligned + 2 > b.length) return { bytes: b, kind: 'bitflip' };
  if (pick < 0.85) {
    const len = LENGTHS[Math.floor(r() * LENGTHS.length)]!;
    v.setUint16(aligned, len, true);
    return { bytes: b, kind: `len=${len}` };
  }
  v.setUint16(aligned, Math.min(0xffff, b.length - aligned + 1 + Math.floor(r() * 8)), true);
  return { bytes: b, kind: 'len=past-end' };
}

/**
 * Where the attributes of the message at 0 start: the first 4-aligned offset after nlmsghdr from
 * which well-formed attributes tile the message exactly (no table knowledge needed).
 */
export function attrStart(b: Uint8Array): number | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 16) return undefined;
  const end = Math.min(b.length, v.getUint32(0, true));
  for (let o = 16; o <= end; o += 4) {
    let at = o;
    while (at + 4 <= end) {
      const len = v.getUint16(at, true);
      if (len < 4 || at + len > end) break;
      at += (len + 3) & ~3;
    }
    if (at === end || (at > end && at - end < 4)) return o;
  }
  return undefined;
}

/** The top-level attributes of the message at 0 (byte ranges), or undefined. */
function attrRanges(b: Uint8Array): { start: number; end: number; attrs: Array<[number, number]> } | undefined {
  const start = attrStart(b);
  if (start === undefined) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const end = Math.min(b.length, v.getUint32(0, true));
  const attrs: Array<[number, number]> = [];
  for (let at = start; at + 4 <= end; ) {
    const len = v.getUint16(at, true);
    const next = Math.min(end, at + ((len + 3) & ~3));
    attrs.push([at, next]);
    at = next;
  }
  return { start, end, attrs };
}

const concat = (xs: Uint8Array[]) => {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};

/** Rebuild the first message from its header part and attributes; fix nlmsg_len; keep what follows. */
function rebuild(head: Uint8Array, attrs: Uint8Array[], tail: Uint8Array): Uint8Array {
  const msg = concat([head, ...attrs]);
  new DataView(msg.buffer).setUint32(0, msg.length, true);
  return concat([msg, tail]);
}

/**
 * Valid-but-unusual messages: what a newer or odder kernel may send, with every length still
 * consistent. Unknown attributes, duplicates, reversed order, flag bits on attribute types, odd
 * header fields, trailing padding, several messages in one buffer.
 */
function unusual(src: Uint8Array, r: () => number, pool: Uint8Array[]): { bytes: Uint8Array; kind: string } {
  const b = Uint8Array.from(src);
  const v = new DataView(b.buffer);
  const pick = Math.floor(r() * 9);
  const ranges = attrRanges(b);
  if (ranges && pick < 5) {
    const head = b.slice(0, ranges.start);
    const tail = b.slice(ranges.end);
    const attrs = ranges.attrs.map(([a, z]) => b.slice(a, z));
    switch (pick) {
      case 0: {
        // An attribute type this codec does not know, with a payload of 0..15 bytes.
        const n = Math.floor(r() * 16);
        const a = new Uint8Array((4 + n + 3) & ~3);
        const av = new DataView(a.buffer);
        av.setUint16(0, 4 + n, true);
        av.setUint16(2, 0x100 + Math.floor(r() * 0x3e00), true);
        for (let i = 0; i < n; i++) a[4 + i] = Math.floor(r() * 256);
        attrs.splice(Math.floor(r() * (attrs.length + 1)), 0, a);
        return { bytes: rebuild(head, attrs, tail), kind: 'unusual/unknown-attr' };
      }
      case 1:
        return { bytes: rebuild(head, [...attrs, ...attrs], tail), kind: 'unusual/duplicated-attrs' };
      case 2:
        return { bytes: rebuild(head, attrs.reverse(), tail), kind: 'unusual/reversed-attrs' };
      case 3: {
        // NLA_F_NESTED or NLA_F_NET_BYTEORDER set on an attribute that the kernel did not flag.
        if (attrs.length === 0) break;
        const a = attrs[Math.floor(r() * attrs.length)]!;
        const av = new DataView(a.buffer, a.byteOffset);
        av.setUint16(2, av.getUint16(2, true) | (r() < 0.5 ? 0x8000 : 0x4000), true);
        return { bytes: rebuild(head, attrs, tail), kind: 'unusual/flag-bits' };
      }
      case 4: {
        // An attribute emptied (len 4): a known type with no payload.
        if (attrs.length === 0) break;
        const i = Math.floor(r() * attrs.length);
        const a = attrs[i]!.slice(0, 4);
        new DataView(a.buffer).setUint16(0, 4, true);
        attrs[i] = a;
        return { bytes: rebuild(head, attrs, tail), kind: 'unusual/empty-attr' };
      }
    }
  }
  if (pick === 5 || pick === 0) {
    // Several messages in one buffer, as a dump datagram carries them.
    const n = 1 + Math.floor(r() * 4);
    const more = Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)]!);
    return { bytes: concat([b, ...more]), kind: 'unusual/several-messages' };
  }
  if (pick === 6 || pick === 1) {
    const z = 4 * (1 + Math.floor(r() * 16));
    return { bytes: concat([b, new Uint8Array(z)]), kind: 'unusual/trailing-zeros' };
  }
  if (pick === 7 || pick === 2) {
    // nlmsg_flags, seq and pid anything.
    v.setUint16(6, Math.floor(r() * 0x10000), true);
    v.setUint32(8, Math.floor(r() * 2 ** 32), true);
    v.setUint32(12, Math.floor(r() * 2 ** 32), true);
    return { bytes: b, kind: 'unusual/header-fields' };
  }
  // The fixed header's first byte (the address family, or genl's cmd) anything.
  if (b.length > 16) b[16] = Math.floor(r() * 256);
  return { bytes: b, kind: 'unusual/family-byte' };
}

/** Run `count` inputs from `corpus` with `seed`. Never throws for an input; records failures. */
export function fuzz(seeds: Array<Uint8Array | CorpusEntry>, count: number, seed: number): FuzzReport {
  const corpus: CorpusEntry[] = seeds.map((c) =>
    c instanceof Uint8Array ? { bytes: c, table: messages, family: familyOf(messages, c) } : c,
  );
  // Several-message buffers take their extra messages from the same protocol's fixtures.
  const pools = new Map<MessageTable, Uint8Array[]>();
  for (const c of corpus) pools.set(c.table, [...(pools.get(c.table) ?? []), c.bytes]);
  const r = rng(seed);
  const report: FuzzReport = {
    inputs: 0,
    failures: [],
    decoded: 0,
    rejected: 0,
    slowestMs: 0,
    slowestInput: '',
    slowestHex: '',
    slowestRetimedMs: 0,
    byKind: {},
    byFamily: {},
  };
  let slowest: Uint8Array = new Uint8Array(0);
  let slowestTable: MessageTable = messages;
  const deep = [deepVethChain(1000), deepVethChain(40), deepVethChain(30)];
  for (let i = 0; i < count; i++) {
    let input: Uint8Array;
    let kind: string;
    let table: MessageTable = messages;
    let family = 'random';
    const p = r();
    if (p < 0.15) {
      input = new Uint8Array(Math.floor(r() * 256));
      for (let j = 0; j < input.length; j++) input[j] = Math.floor(r() * 256);
      if (input.length >= 8 && r() < 0.5) new DataView(input.buffer).setUint32(0, input.length, true); // plausible header
      kind = 'random';
    } else if (p < 0.16) {
      ({ bytes: input, kind } = mutate(deep[i % deep.length]!, r));
      kind = `deep/${kind}`;
      family = 'link';
    } else {
      const c = corpus[Math.floor(r() * corpus.length)]!;
      ({ table, family } = c);
      if (p < 0.4) ({ bytes: input, kind } = unusual(c.bytes, r, pools.get(table)!));
      else ({ bytes: input, kind } = mutate(c.bytes, r));
    }
    // Random bytes go to every protocol's table in turn.
    if (family === 'random' && pools.size > 1) table = [...pools.keys()][i % pools.size]!;
    report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    report.byFamily[family] = (report.byFamily[family] ?? 0) + 1;
    const t0 = performance.now();
    try {
      table.decode(input);
      report.decoded++;
    } catch (err) {
      if (err instanceof DecodeError) report.rejected++;
      else if (report.failures.length < 20)
        report.failures.push({
          input: Buffer.from(input).toString('hex'),
          error: String((err as Error)?.stack ?? err),
        });
      else report.failures.push({ input: '', error: '' });
    }
    const ms = performance.now() - t0;
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowestInput = `${kind}, ${family}, ${input.length} bytes`;
      slowest = input;
      slowestTable = table;
    }
    report.inputs++;
  }
  report.slowestHex = Buffer.from(slowest).toString('hex');
  report.slowestRetimedMs = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    try {
      slowestTable.decode(slowest);
    } catch {
      /* counted above */
    }
    report.slowestRetimedMs = Math.min(report.slowestRetimedMs, performance.now() - t0);
  }
  return report;
}

/** The message family of the first message in `bytes` ('link', 'nlctrl', ...), or 'control'. */
export function familyOf(table: MessageTable, bytes: Uint8Array): string {
  if (bytes.length < 16) return 'control';
  return table.familyOf(new DataView(bytes.buffer, bytes.byteOffset).getUint16(4, true)) ?? 'control';
}

/**
 * The table an ethtool fixture decodes with: nlctrl and ethtool, the latter under the id this
 * kernel gave it when the fixture was captured (`# family: ethtool id N`). Requests decode with
 * the same table (their command numbers differ, the attribute layout is declared for both).
 */
const ethtoolTables = new Map<number, MessageTable>();
function ethtoolTable(id: number): MessageTable {
  let t = ethtoolTables.get(id);
  if (t === undefined) {
    t = new Table([genlMessageDef(nlctrl, GENL_ID_CTRL), genlMessageDef(ethtoolFamily, id)], {
      protocol: NETLINK_GENERIC,
    });
    ethtoolTables.set(id, t);
  }
  return t;
}

/** Every fixture as a fuzz seed, with its protocol's table and its message family. */
export function fixtureCorpus(): CorpusEntry[] {
  return allFixtures().map((f) => {
    const id = f.name.startsWith('ethtool/') ? Number(/ethtool id (\d+)/.exec(f.meta.family ?? '')?.[1]) : NaN;
    const table = Number.isInteger(id) ? ethtoolTable(id) : tableOf(f);
    return { bytes: f.bytes, table, family: familyOf(table, f.bytes) };
  });
}

/** The message families a table knows (every one the fuzzer should reach). */
export function tableFamilies(table: MessageTable): string[] {
  const out = new Set<string>();
  for (let t = 0; t < 0x10000; t++) {
    const f = table.familyOf(t);
    if (f !== undefined) out.add(f);
  }
  return [...out].sort();
}
