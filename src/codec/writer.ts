/**
 * A growable byte buffer for encoding netlink messages.
 *
 * Handles into it are offsets, so growing is safe. Attribute lengths are patched in place by
 * endAttr(), and the padding that aligns the next attribute is zeroed. When `track` is on, every
 * attribute's [start, end) and dotted path are recorded, so a kernel NLMSGERR_ATTR_OFFS can be
 * turned back into the name of the attribute it points at.
 */
import { EncodeError } from '../errors.js';

export const NLA_HDRLEN = 4;
export const NLMSG_HDRLEN = 16;
export const align4 = (n: number): number => (n + 3) & ~3;

/** Where each attribute of a request sits, for resolving NLMSGERR_ATTR_OFFS. */
export interface AttrMarks {
  starts: number[];
  ends: number[];
  paths: string[];
}

export class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  /** Recorded attribute positions (only while `track` is true). */
  marks: AttrMarks | undefined;
  private pathStack: string[] = [];

  constructor(size = 4096) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Start a new message at offset 0. */
  reset(track = false): void {
    this.pos = 0;
    this.marks = track ? { starts: [], ends: [], paths: [] } : undefined;
    this.pathStack.length = 0;
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  u64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }
  s8(v: number): void {
    this.ensure(1);
    this.view.setInt8(this.pos, v);
    this.pos += 1;
  }
  s16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v, true);
    this.pos += 2;
  }
  s32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  s64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }
  be16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v, false);
    this.pos += 2;
  }
  be32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, false);
    this.pos += 4;
  }
  be64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, v, false);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Write `n` zero bytes. */
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Zero-pad to a 4-byte boundary. */
  pad(): void {
    const to = align4(this.pos);
    if (to !== this.pos) this.zeros(to - this.pos);
  }

  /** Begin an attribute; returns its handle (an offset). `name` is recorded for error paths. */
  beginAttr(type: number, name?: string): number {
    this.ensure(NLA_HDRLEN);
    const at = this.pos;
    this.view.setUint16(at + 2, type, true);
    this.pos += NLA_HDRLEN;
    if (this.marks) {
      this.pathStack.push(name ?? String(type & 0x3fff));
      this.marks.starts.push(at);
      this.marks.ends.push(-1);
      this.marks.paths.push(this.pathStack.join('.'));
    }
    return at;
  }

  /** Patch the attribute's nla_len and zero-pad after it. */
  endAttr(at: number): void {
    const len = this.pos - at;
    if (len > 0xffff)
      throw new EncodeError(`attribute is ${len} bytes, more than nla_len can hold`, this.pathStack.join('.'));
    this.view.setUint16(at, len, true);
    if (this.marks) {
      const i = this.marks.starts.lastIndexOf(at);
      if (i >= 0) this.marks.ends[i] = this.pos;
      this.pathStack.pop();
    }
    this.pad();
  }

  /** A copy of what has been written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** The deepest recorded attribute that contains `offset` (from the start of the message). */
export function attrPathAt(marks: AttrMarks, offset: number): string | undefined {
  let best: string | undefined;
  let bestLen = Infinity;
  for (let i = 0; i < marks.starts.length; i++) {
    const s = marks.starts[i]!;
    const e = marks.ends[i]!;
    if (offset >= s && offset < e && e - s <= bestLen) {
      best = marks.paths[i];
      bestLen = e - s;
    }
  }
  return best;
}
