/**
 * The primitives the compiled codecs share: NLA_F_* bits, the LAYOUT record, strings and scalars.
 */
import { EncodeError } from '../errors.js';
import type { Writer } from './writer.js';

export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = 0x3fff;

/** Non-enumerable record of what a decoded object needs to re-encode byte-exact. */
export const LAYOUT: unique symbol = Symbol('rtnl.layout');

export interface AttrLayout {
  /** Keys in wire order; '$unknown' stands for the next unknown attribute. */
  order: string[];
  /** NLA_F_* bits per position. */
  flags: number[];
  /** For strings: bytes after the NUL, or null when there was no NUL. undefined = canonical. */
  tails: (Uint8Array | null | undefined)[];
}
export interface StructLayout {
  /** Bytes actually present when shorter than the struct. */
  size: number;
}

/** Returned by a decoder when the bytes are not of its shape: the attribute is then kept raw. */
export const BAD = Symbol('bad');
export type DecodeFn = (buf: Uint8Array, view: DataView, at: number, len: number, path: string) => unknown;
export type EncodeFn = (w: Writer, v: any, path: string) => void;

export const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

// Bytes a decoded message keeps (binary attributes, unknown attributes, raw nests) are views of
// one private copy of the buffer being decoded (a datagram: all its messages), made on first
// need. One allocation per datagram, where it was one per message and before that one per kept
// attribute: a link dump keeps ~13 byte arrays per link, and the copies were a large part of its
// garbage-collection time. Kept bytes are never views of the caller's (receive) buffer. The cost:
// one kept attribute holds the whole datagram's copy (at most ~32 KiB) alive.
let msgSrc: Uint8Array | undefined;
let msgStart = 0;
let msgEnd = 0;
let msgCopy: Uint8Array | undefined;
let rStart = 0;
let rEnd = 0;

/**
 * How deep attribute sets are nested in the message being decoded. Declarations can recurse (a
 * veth peer is a link, whose linkinfo holds a veth peer...), so hostile input could nest until
 * the stack overflows. Real messages nest a handful of levels; the kernel's own policy recursion
 * limit is 10.
 */
export const nesting = { depth: 0 };
export const MAX_NESTING = 32;

/**
 * Mark [start, end) of `buf` as the message being decoded (see keep()). The message lies in the
 * region [regionStart, regionEnd) of `buf` (a datagram); kept bytes of every message of one
 * region share a single copy of it. `fresh` starts a new region even if the arguments repeat.
 */
export function beginMessage(
  buf: Uint8Array,
  start: number,
  end: number,
  fresh = true,
  regionStart = start,
  regionEnd = end,
): void {
  nesting.depth = 0;
  if (fresh || buf !== msgSrc || regionStart !== rStart || regionEnd !== rEnd) {
    msgSrc = buf;
    rStart = regionStart;
    rEnd = regionEnd;
    msgCopy = undefined;
  }
  msgStart = start;
  msgEnd = end;
}

/** The bytes [at, end) of `buf`, as a copy the caller may keep. */
export function keep(buf: Uint8Array, at: number, end: number): Uint8Array {
  if (buf === msgSrc && at >= msgStart && end <= msgEnd) {
    if (msgCopy === undefined) msgCopy = buf.slice(rStart, rEnd);
    return msgCopy.subarray(at - rStart, end - rStart);
  }
  return buf.slice(at, end);
}

// ---------------------------------------------------------------------------------------------
// Strings

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8enc = new TextEncoder();
/** Set by decodeString: what followed the NUL (null: no NUL at all), or undefined if canonical. */
let lastTail: Uint8Array | null | undefined;

// Recently decoded short ASCII strings, direct-mapped by a hash of their bytes. Dumps repeat them
// (an address's label, a link's qdisc and kind), and a shared string is one object fewer to keep.
const SHORT_MAX = 16;
const SHORT_SLOTS = 512;
const shortText: Array<string | undefined> = new Array(SHORT_SLOTS).fill(undefined);

function shortAscii(buf: Uint8Array, at: number, end: number): string {
  let h = end - at;
  for (let i = at; i < end; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  const slot = (h ^ (h >>> 9)) & (SHORT_SLOTS - 1);
  const hit = shortText[slot];
  if (hit !== undefined && hit.length === end - at) {
    let same = true;
    for (let i = 0; i < hit.length; i++) {
      if (hit.charCodeAt(i) !== buf[at + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(buf[i]!);
  shortText[slot] = s;
  return s;
}

export function decodeString(buf: Uint8Array, at: number, len: number): string | typeof BAD {
  let end = at;
  const limit = at + len;
  let ascii = true;
  while (end < limit && buf[end] !== 0) {
    if (buf[end]! >= 0x80) ascii = false;
    end++;
  }
  if (end === limit) lastTail = null;
  else if (end + 1 < limit) lastTail = buf.slice(end + 1, limit);
  else lastTail = undefined;
  if (ascii && end - at <= SHORT_MAX) return shortAscii(buf, at, end);
  if (ascii && end - at < 64) {
    let s = '';
    for (let i = at; i < end; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  try {
    return utf8.decode(buf.subarray(at, end));
  } catch {
    return BAD;
  }
}

export function encodeString(
  w: Writer,
  v: unknown,
  path: string,
  max: number | undefined,
  tail?: Uint8Array | null,
): void {
  if (typeof v !== 'string') throw new EncodeError(`expected a string, got ${typeof v}`, path);
  const bytes = utf8enc.encode(v);
  if (bytes.includes(0)) throw new EncodeError('string contains a NUL byte', path);
  if (max !== undefined && bytes.length > max)
    throw new EncodeError(`string is ${bytes.length} bytes, at most ${max} allowed`, path);
  w.bytes(bytes);
  if (tail === null) return;
  w.u8(0);
  if (tail) w.bytes(tail);
}

// ---------------------------------------------------------------------------------------------
// Scalars

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  s8: [-0x80, 0x7f],
  s16: [-0x8000, 0x7fff],
  s32: [-0x80000000, 0x7fffffff],
  be16: [0, 0xffff],
  be32: [0, 0xffffffff],
};

export function checkInt(v: unknown, kind: string, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new EncodeError(`expected an integer (${kind}), got ${typeof v === 'number' ? v : typeof v}`, path);
  const [lo, hi] = RANGES[kind]!;
  if (v < lo || v > hi) throw new EncodeError(`${v} is out of range for ${kind}`, path);
  return v;
}

export function checkBig(v: unknown, kind: string, path: string): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw new EncodeError(`expected a bigint (${kind}), got ${typeof v}`, path);
  const signed = kind === 's64';
  const lo = signed ? -(1n << 63n) : 0n;
  const hi = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
  if (b < lo || b > hi) throw new EncodeError(`${b} is out of range for ${kind}`, path);
  return b;
}

export const SCALAR_SIZE: Record<string, number> = {
  u8: 1,
  s8: 1,
  u16: 2,
  s16: 2,
  be16: 2,
  u32: 4,
  s32: 4,
  be32: 4,
  u64: 8,
  s64: 8,
  be64: 8,
};

export function readScalar(view: DataView, at: number, kind: string): number | bigint {
  switch (kind) {
    case 'u8':
      return view.getUint8(at);
    case 's8':
      return view.getInt8(at);
    case 'u16':
      return view.getUint16(at, true);
    case 's16':
      return view.getInt16(at, true);
    case 'be16':
      return view.getUint16(at, false);
    case 'u32':
      return view.getUint32(at, true);
    case 's32':
      return view.getInt32(at, true);
    case 'be32':
      return view.getUint32(at, false);
    case 'u64':
      return (view.getUint32(at, true) | view.getUint32(at + 4, true)) === 0 ? 0n : view.getBigUint64(at, true);
    case 's64':
      return (view.getUint32(at, true) | view.getUint32(at + 4, true)) === 0 ? 0n : view.getBigInt64(at, true);
    default:
      return view.getBigUint64(at, false);
  }
}

export function writeScalar(w: Writer, kind: string, v: unknown, path: string): void {
  switch (kind) {
    case 'u8':
      return w.u8(checkInt(v, kind, path));
    case 's8':
      return w.s8(checkInt(v, kind, path));
    case 'u16':
      return w.u16(checkInt(v, kind, path));
    case 's16':
      return w.s16(checkInt(v, kind, path));
    case 'be16':
      return w.be16(checkInt(v, kind, path));
    case 'u32':
      return w.u32(checkInt(v, kind, path));
    case 's32':
      return w.s32(checkInt(v, kind, path));
    case 'be32':
      return w.be32(checkInt(v, kind, path));
    case 'u64':
      return w.u64(checkBig(v, kind, path));
    case 's64':
      return w.s64(checkBig(v, kind, path));
    default:
      return w.be64(checkBig(v, kind, path));
  }
}

export function scalarCodec(
  kind: string,
  names?: Readonly<Record<number, string>>,
): { decode: DecodeFn; encode: EncodeFn } {
  const size = SCALAR_SIZE[kind]!;
  const byName = names ? new Map(Object.entries(names).map(([n, s]) => [s, Number(n)])) : undefined;
  // Each kind gets its own monomorphic reader on the hot path.
  let read: (view: DataView, at: number) => number | bigint;
  switch (kind) {
    case 'u8':
      read = (v, a) => v.getUint8(a);
      break;
    case 'u16':
      read = (v, a) => v.getUint16(a, true);
      break;
    case 'u32':
      read = (v, a) => v.getUint32(a, true);
      break;
    case 's32':
      read = (v, a) => v.getInt32(a, true);
      break;
    default:
      read = (v, a) => readScalar(v, a, kind);
  }
  return {
    decode: (_b, view, at, len) => {
      if (len !== size) return BAD;
      const n = read(view, at);
      if (names) {
        const s = names[n as number];
        if (s !== undefined) return s;
      }
      return n;
    },
    encode: (w, v, path) => {
      if (byName && typeof v === 'string') {
        const n = byName.get(v);
        if (n === undefined)
          throw new EncodeError(`unknown value '${v}' (expected one of ${[...byName.keys()].join(', ')})`, path);
        v = n;
      }
      writeScalar(w, kind, v, path);
    },
  };
}

/** Read by the attribute-set decoders: what followed the last string's NUL (see decodeString). */
export const getTail = (): Uint8Array | null | undefined => lastTail;
export const tailIsCanonical = (): boolean => lastTail === undefined;
export const resetTail = (): void => {
  lastTail = undefined;
};
