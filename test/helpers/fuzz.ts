/**
 * The decoder fuzzer shared by `npm run fuzz` (1,000,000+ inputs) and the seeded test (20,000).
 * Inputs: random bytes, and real fixtures mutated (bit flips, length fields set to 0, 1, 3, 4,
 * 0xffff, just past the end, and nests 1,000 deep). The only allowed outcomes are a result or a
 * DecodeError, and each input must finish in bounded time.
 */
import { decode } from '../../src/codec/index.js';
import { DecodeError } from '../../src/errors.js';

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

/** Run `count` inputs from `corpus` with `seed`. Never throws for an input; records failures. */
export function fuzz(corpus: Uint8Array[], count: number, seed: number): FuzzReport {
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
  };
  let slowest: Uint8Array = new Uint8Array(0);
  const deep = [deepVethChain(1000), deepVethChain(40), deepVethChain(30)];
  for (let i = 0; i < count; i++) {
    let input: Uint8Array;
    let kind: string;
    const p = r();
    if (p < 0.15) {
      input = new Uint8Array(Math.floor(r() * 256));
      for (let j = 0; j < input.length; j++) input[j] = Math.floor(r() * 256);
      if (input.length >= 8 && r() < 0.5) new DataView(input.buffer).setUint32(0, input.length, true); // plausible header
      kind = 'random';
    } else if (p < 0.16) {
      ({ bytes: input, kind } = mutate(deep[i % deep.length]!, r));
      kind = `deep/${kind}`;
    } else {
      ({ bytes: input, kind } = mutate(corpus[Math.floor(r() * corpus.length)]!, r));
    }
    report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    const t0 = performance.now();
    try {
      decode(input);
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
      report.slowestInput = `${kind}, ${input.length} bytes`;
      slowest = input;
    }
    report.inputs++;
  }
  report.slowestHex = Buffer.from(slowest).toString('hex');
  report.slowestRetimedMs = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    try {
      decode(slowest);
    } catch {
      /* counted above */
    }
    report.slowestRetimedMs = Math.min(report.slowestRetimedMs, performance.now() - t0);
  }
  return report;
}
