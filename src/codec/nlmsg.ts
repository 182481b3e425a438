/**
 * Netlink framing: nlmsghdr, multipart buffers, NLMSG_ERROR (with or without the echoed payload,
 * with extended-ACK TLVs) and NLMSG_DONE, and the family messages declared in rtnl/.
 */
import { DecodeError, EncodeError } from '../errors.js';
import { compileSet, compileStruct, LAYOUT, type CompiledSet, type CompiledStruct } from './compile.js';
import { beginMessage } from './primitives.js';
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN } from './constants/index.js';
import { extackAttrs, type ExtAckAttrs } from './extack.js';
import { fieldSize, type AttrSetDef, type StructDef } from './schema.js';
import { align4, NLMSG_HDRLEN, Writer } from './writer.js';

export interface NlMsgHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** A decoded netlink message. `type` is the message type's name ('RTM_NEWLINK'). */
export interface NetlinkMessage<B = Record<string, any>, A = Record<string, any>> {
  type: string;
  header: NlMsgHeader;
  /** The family's fixed header (ifinfomsg, rtmsg, ...), or the error/done fields. */
  body: B;
  attrs: A;
}

export interface ErrorBody {
  /** 0 for an ACK, else a negative errno. */
  error: number;
  /** The echoed request header, and its payload unless the kernel capped it (NLM_F_CAPPED). */
  request: NlMsgHeader & { payload?: Uint8Array };
}
export type ErrorMessage = NetlinkMessage<ErrorBody, ExtAckAttrs>;
export type DoneMessage = NetlinkMessage<{ error?: number }, ExtAckAttrs>;

/** What follows nlmsghdr: a fixed header (ifinfomsg, genlmsghdr, ...) and an attribute set. */
export interface MessageShape {
  header: StructDef;
  attrs: AttrSetDef;
}

/**
 * A message family: its type numbers and names, its fixed header and its attribute set.
 *
 * `select` lets one field of the fixed header choose another shape: link messages by
 * `family` (an AF_BRIDGE RTM_NEWLINK carries IFLA_BRIDGE_* in IFLA_AF_SPEC), generic netlink
 * messages by `cmd`. The field must be an unsigned integer at the same offset in every case's
 * header; values without a case use the default shape.
 */
export interface MessageDef extends MessageShape {
  family: string;
  types: Readonly<Record<number, string>>;
  select?: {
    field: string;
    cases: Readonly<Record<number, Partial<MessageShape>>>;
  };
  /**
   * Request types the kernel may carry out slowly inside sendmsg (link creation and deletion wait
   * for RCU grace periods): the engine sends them from a pool thread.
   */
  slow?: readonly string[];
}

interface Shape {
  header: CompiledStruct;
  hlen: number;
  set: CompiledSet;
}

interface Case {
  def: MessageShape;
  // Compiled on first use, as the default shape is.
  shape: Shape | undefined;
}

interface Compiled {
  family: string;
  name: string;
  def: MessageDef;
  // Compiled on first use of the family, so importing the codec stays cheap.
  shape: Shape | undefined;
  /** The selecting header field: its byte offset and size (0: no selection). */
  selAt: number;
  selSize: number;
  selField: string;
  /** Dense by selector value. */
  cases: (Case | undefined)[];
}

/** Options of a MessageTable. */
export interface MessageTableOptions {
  /** The netlink protocol the table speaks (NETLINK_ROUTE, NETLINK_GENERIC, ...). */
  protocol?: number;
}

/**
 * Message registry of one netlink protocol: nlmsg_type -> compiled family codec. Decoding
 * dispatches through a dense array indexed by nlmsg_type, then (for families that declare
 * `select`) through one indexed by the selecting header field.
 */
export class MessageTable {
  /** The netlink protocol number this table speaks (NETLINK_ROUTE = 0 unless told). */
  readonly protocol: number;
  private readonly byType: (Compiled | undefined)[] = [];
  private readonly byName = new Map<string, number>();
  private readonly slowTypes = new Set<number>();
  private extackSet: CompiledSet | undefined;
  /** The extended-ACK attribute set, compiled on first use (most replies carry none). */
  private get extack(): CompiledSet {
    return (this.extackSet ??= compileSet(extackAttrs));
  }
  private readonly writer = new Writer();

  constructor(defs: MessageDef[], options: MessageTableOptions = {}) {
    this.protocol = options.protocol ?? 0;
    for (const [n, name] of [
      [NLMSG_NOOP, 'NLMSG_NOOP'],
      [NLMSG_ERROR, 'NLMSG_ERROR'],
      [NLMSG_DONE, 'NLMSG_DONE'],
      [NLMSG_OVERRUN, 'NLMSG_OVERRUN'],
    ] as const) {
      this.byName.set(name, n);
    }
    for (const def of defs) this.register(def);
  }

  /**
   * Add a family's message types, or replace the types of the same names. Generic netlink
   * families are registered when their id is resolved at run time.
   */
  register(def: MessageDef): void {
    let selAt = 0;
    let selSize = 0;
    const cases: (Case | undefined)[] = [];
    if (def.select !== undefined) {
      [selAt, selSize] = fieldAt(def.header, def.select.field);
      for (const [v, shape] of Object.entries(def.select.cases)) {
        const header = shape.header ?? def.header;
        const [at, size] = fieldAt(header, def.select.field);
        if (at !== selAt || size !== selSize)
          throw new Error(`${def.family}: '${def.select.field}' sits elsewhere in ${header.name}`);
        cases[Number(v)] = { def: { header, attrs: shape.attrs ?? def.attrs }, shape: undefined };
      }
      for (let i = 0; i < cases.length; i++) if (cases[i] === undefined) cases[i] = undefined; // dense
    }
    for (const [num, name] of Object.entries(def.types)) {
      const type = Number(num);
      const old = this.byName.get(name);
      if (old !== undefined && old !== type && this.byType[old]?.name === name) this.byType[old] = undefined;
      this.byType[type] = {
        family: def.family,
        name,
        def,
        shape: undefined,
        selAt,
        selSize,
        selField: def.select?.field ?? '',
        cases,
      };
      this.byName.set(name, type);
      if (def.slow?.includes(name)) this.slowTypes.add(type);
      else this.slowTypes.delete(type);
    }
    for (let i = 0; i < this.byType.length; i++) if (this.byType[i] === undefined) this.byType[i] = undefined;
  }

  /** Whether the kernel may carry out this request type slowly inside sendmsg (see MessageDef.slow). */
  isSlow(type: string | number): boolean {
    const n = typeof type === 'number' ? type : this.byName.get(type);
    return n !== undefined && this.slowTypes.has(n);
  }

  typeName(type: number): string {
    return (
      this.byType[type]?.name ??
      (type === NLMSG_ERROR
        ? 'NLMSG_ERROR'
        : type === NLMSG_DONE
          ? 'NLMSG_DONE'
          : type === NLMSG_NOOP
            ? 'NLMSG_NOOP'
            : type === NLMSG_OVERRUN
              ? 'NLMSG_OVERRUN'
              : `UNKNOWN(${type})`)
    );
  }

  typeNumber(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** The family name ('link', 'route', ...) of a message type. */
  familyOf(type: number): string | undefined {
    return this.byType[type]?.family;
  }

  /** Decode every message in `bytes`. Trailing zero padding after the last message is accepted. */
  decode(bytes: Uint8Array): NetlinkMessage[] {
    const out: NetlinkMessage[] = [];
    this.each(bytes, (m) => {
      out.push(m);
    });
    return out;
  }

  /**
   * Decode messages one at a time, without collecting them. Bytes the messages keep share one copy
   * of `bytes`, taken at the first kept attribute: `fn` must not modify `bytes`.
   */
  each(bytes: Uint8Array, fn: (msg: NetlinkMessage, at: number) => void): void {
    if (!(bytes instanceof Uint8Array)) throw new DecodeError('expected a Uint8Array', 0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    while (pos < bytes.length) {
      const left = bytes.length - pos;
      if (left < NLMSG_HDRLEN) {
        if (isZero(bytes, pos)) return;
        throw new DecodeError(`${left} bytes left, too few for a netlink header`, pos);
      }
      const len = view.getUint32(pos, true);
      if (len < NLMSG_HDRLEN) {
        if (len === 0 && isZero(bytes, pos)) return;
        throw new DecodeError(`nlmsg_len ${len} is below the header size`, pos);
      }
      if (len > left) throw new DecodeError(`nlmsg_len ${len} runs past the buffer (${left} bytes left)`, pos);
      fn(this.decodeOne(bytes, view, pos, len, pos === 0, 0, bytes.length), pos);
      pos += align4(len);
    }
  }

  /**
   * Like each(), but a message that does not decode costs only itself: `bad` receives a copy of
   * its bytes and the DecodeError, and decoding goes on with the next message. When the framing
   * itself is broken (an nlmsg_len that does not fit), the rest of the buffer is one bad piece.
   */
  eachTolerant(
    bytes: Uint8Array,
    fn: (msg: NetlinkMessage, at: number) => void,
    bad: (raw: Uint8Array, error: DecodeError, at: number) => void,
  ): void {
    if (!(bytes instanceof Uint8Array)) throw new DecodeError('expected a Uint8Array', 0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    let fresh = true;
    while (pos < bytes.length) {
      const left = bytes.length - pos;
      const len = left >= NLMSG_HDRLEN ? view.getUint32(pos, true) : 0;
      if (left < NLMSG_HDRLEN || len < NLMSG_HDRLEN || len > left) {
        if (isZero(bytes, pos)) return;
        const why =
          left < NLMSG_HDRLEN
            ? `${left} bytes left, too few for a netlink header`
            : len < NLMSG_HDRLEN
              ? `nlmsg_len ${len} is below the header size`
              : `nlmsg_len ${len} runs past the buffer (${left} bytes left)`;
        bad(bytes.slice(pos), new DecodeError(why, pos), pos);
        return;
      }
      let msg: NetlinkMessage | undefined;
      try {
        msg = this.decodeOne(bytes, view, pos, len, fresh, 0, bytes.length);
        fresh = false;
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        bad(bytes.slice(pos, pos + len), err, pos);
        fresh = true; // the shared copy of this region may be half made: start a new one
      }
      if (msg !== undefined) fn(msg, pos);
      pos += align4(len);
    }
  }

  /**
   * Decode the one message at `at` whose nlmsg_len is `len` (already bounds-checked). Its kept
   * bytes share a copy of [regionStart, regionEnd) with the other messages of that region, unless
   * `fresh` starts a new one (see beginMessage).
   */
  decodeOne(
    buf: Uint8Array,
    view: DataView,
    at: number,
    len: number,
    fresh = true,
    regionStart = at,
    regionEnd = at + len,
  ): NetlinkMessage {
    const header: NlMsgHeader = {
      len,
      type: view.getUint16(at + 4, true),
      flags: view.getUint16(at + 6, true),
      seq: view.getUint32(at + 8, true),
      pid: view.getUint32(at + 12, true),
    };
    const body = at + NLMSG_HDRLEN;
    const end = at + len;
    beginMessage(buf, at, end, fresh, regionStart, regionEnd);
    const c = this.byType[header.type];
    if (c !== undefined) {
      const blen = len - NLMSG_HDRLEN;
      let s = c.shape ?? compileShape(c);
      if (c.selSize !== 0 && blen >= c.selAt + c.selSize) {
        const at = body + c.selAt;
        const k =
          c.cases[c.selSize === 1 ? buf[at]! : c.selSize === 2 ? view.getUint16(at, true) : view.getUint32(at, true)];
        if (k !== undefined) s = k.shape ?? compileCase(k);
      }
      const path = c.name;
      if (blen <= s.header.size) {
        return { type: c.name, header, body: s.header.decode(buf, view, body, blen, path), attrs: {} };
      }
      const h = s.header.decode(buf, view, body, s.header.size, path);
      const msg: NetlinkMessage = {
        type: c.name,
        header,
        body: h,
        attrs: s.set.decode(buf, view, body + s.hlen, end, path),
      };
      if (body + s.hlen > end) Object.defineProperty(msg, LAYOUT, { value: { bodyPad: end - body - s.header.size } });
      return msg;
    }
    if (header.type === NLMSG_ERROR) return this.decodeError(buf, view, at, header);
    if (header.type === NLMSG_DONE) {
      const blen = len - NLMSG_HDRLEN;
      if (blen === 0) return { type: 'NLMSG_DONE', header, body: {}, attrs: {} };
      if (blen < 4) throw new DecodeError(`NLMSG_DONE body of ${blen} bytes`, body);
      const error = view.getInt32(body, true);
      if (header.flags & NLM_F_ACK_TLVS)
        return {
          type: 'NLMSG_DONE',
          header,
          body: { error },
          attrs: this.extack.decode(buf, view, body + 4, end, 'NLMSG_DONE'),
        };
      if (blen > 4)
        return { type: 'NLMSG_DONE', header, body: { error, $trailer: buf.slice(body + 4, end) }, attrs: {} };
      return { type: 'NLMSG_DONE', header, body: { error }, attrs: {} };
    }
    return { type: this.typeName(header.type), header, body: { $raw: buf.slice(body, end) }, attrs: {} };
  }

  private decodeError(buf: Uint8Array, view: DataView, at: number, header: NlMsgHeader): ErrorMessage {
    const end = at + header.len;
    const body = at + NLMSG_HDRLEN;
    if (end - body < 4 + NLMSG_HDRLEN)
      throw new DecodeError('NLMSG_ERROR too short for errno and the echoed header', body, 'NLMSG_ERROR');
    const error = view.getInt32(body, true);
    const r = body + 4;
    const rlen = view.getUint32(r, true);
    const request: ErrorBody['request'] = {
      len: rlen,
      type: view.getUint16(r + 4, true),
      flags: view.getUint16(r + 6, true),
      seq: view.getUint32(r + 8, true),
      pid: view.getUint32(r + 12, true),
    };
    let tlv = r + NLMSG_HDRLEN;
    // Kernels before NLM_F_CAPPED (4.12) echo only the header in an ACK without saying so: the
    // echoed length is the request's, but nothing of it follows.
    const legacyAck = !(header.flags & NLM_F_CAPPED) && end - r === NLMSG_HDRLEN && rlen > NLMSG_HDRLEN;
    if (!(header.flags & NLM_F_CAPPED) && !legacyAck) {
      if (rlen < NLMSG_HDRLEN || r + rlen > end)
        throw new DecodeError(`echoed request length ${rlen} does not fit`, r, 'NLMSG_ERROR.request');
      request.payload = buf.slice(r + NLMSG_HDRLEN, r + rlen);
      tlv = r + align4(rlen);
    }
    let attrs: ExtAckAttrs = {};
    if (header.flags & NLM_F_ACK_TLVS)
      attrs = this.extack.decode(buf, view, Math.min(tlv, end), end, 'NLMSG_ERROR') as ExtAckAttrs;
    else if (tlv < end) {
      // Bytes we cannot name: keep them so the message re-encodes as it came.
      request.payload = buf.slice(r + NLMSG_HDRLEN, end);
      Object.defineProperty(request, LAYOUT, { value: { raw: true } });
    }
    return { type: 'NLMSG_ERROR', header, body: { error, request }, attrs };
  }

  /** Encode one or more messages into a new buffer. nlmsg_len is computed. */
  encode(msgs: NetlinkMessage | NetlinkMessage[]): Uint8Array {
    const list = Array.isArray(msgs) ? msgs : [msgs];
    const w = this.writer;
    w.reset();
    for (let i = 0; i < list.length; i++) {
      if (i > 0) w.pad();
      this.encodeInto(w, list[i]!);
    }
    return w.finish();
  }

  /** Encode one message at the writer's position; returns the message's start offset. */
  encodeInto(w: Writer, msg: NetlinkMessage): number {
    if (msg === null || typeof msg !== 'object') throw new EncodeError('expected a message object');
    for (const k of Object.keys(msg))
      if (!['type', 'header', 'body', 'attrs'].includes(k)) throw new EncodeError(`unknown message key '${k}'`);
    const h = (msg.header ?? {}) as Partial<NlMsgHeader>;
    const type = h.type ?? this.byName.get(msg.type);
    if (type === undefined) throw new EncodeError(`unknown message type '${msg.type}'`, 'type');
    const start = w.pos;
    w.zeros(NLMSG_HDRLEN);
    const c = this.byType[type];
    const body = (msg.body ?? {}) as Record<string, any>;
    const attrs = (msg.attrs ?? {}) as Record<string, any>;
    if (c !== undefined) {
      let s = c.shape ?? compileShape(c);
      if (c.selSize !== 0) {
        const sel = body[c.selField];
        const k = typeof sel === 'number' ? c.cases[sel] : undefined;
        if (k !== undefined) s = k.shape ?? compileCase(k);
      }
      s.header.encode(w, body, `${c.name}.header`);
      const hasAttrs = Object.keys(attrs).length > 0;
      const bodyPad = ((msg as any)[LAYOUT] as { bodyPad?: number } | undefined)?.bodyPad;
      if (bodyPad !== undefined) w.zeros(bodyPad - (w.pos - start - NLMSG_HDRLEN - s.header.size));
      else if (hasAttrs) w.pad();
      if (hasAttrs) s.set.encode(w, attrs, '');
    } else if (type === NLMSG_ERROR) {
      const b = body as ErrorBody;
      w.s32(checkS32(b.error, 'body.error'));
      const r = b.request ?? ({} as ErrorBody['request']);
      const raw = ((r as any)[LAYOUT] as { raw?: boolean } | undefined)?.raw;
      const rstart = w.pos;
      w.u32(r.len ?? NLMSG_HDRLEN + (r.payload?.length ?? 0));
      w.u16(r.type ?? 0);
      w.u16(r.flags ?? 0);
      w.u32(r.seq ?? 0);
      w.u32(r.pid ?? 0);
      if (r.payload) {
        w.bytes(r.payload);
        if (!raw) {
          const want = rstart + align4(r.len ?? w.pos - rstart);
          if (w.pos < want) w.zeros(want - w.pos);
        }
      }
      if (Object.keys(attrs).length > 0) this.extack.encode(w, attrs, 'NLMSG_ERROR');
    } else if (type === NLMSG_DONE) {
      if (body.error !== undefined) w.s32(checkS32(body.error, 'body.error'));
      if (body.$trailer instanceof Uint8Array) w.bytes(body.$trailer);
      if (Object.keys(attrs).length > 0) this.extack.encode(w, attrs, 'NLMSG_DONE');
    } else if (body.$raw instanceof Uint8Array) {
      w.bytes(body.$raw);
    } else if (Object.keys(body).length > 0 || Object.keys(attrs).length > 0) {
      throw new EncodeError(`no codec for message type ${type}; give body.$raw`, 'body');
    }
    const len = w.pos - start;
    w.view.setUint32(start, len, true);
    w.view.setUint16(start + 4, type, true);
    w.view.setUint16(start + 6, checkU16(h.flags ?? 0, 'header.flags'), true);
    w.view.setUint32(start + 8, checkU32(h.seq ?? 0, 'header.seq'), true);
    w.view.setUint32(start + 12, checkU32(h.pid ?? 0, 'header.pid'), true);
    return start;
  }
}

function compile(def: MessageShape): Shape {
  const header = compileStruct(def.header);
  return { header, hlen: align4(header.size), set: compileSet(def.attrs) };
}
function compileShape(c: Compiled): Shape {
  return (c.shape = compile(c.def));
}
function compileCase(k: Case): Shape {
  return (k.shape = compile(k.def));
}

/** Byte offset and size of an unsigned integer field of a struct, for `select`. */
function fieldAt(st: StructDef, field: string): [number, number] {
  let at = 0;
  for (const [name, kind] of st.fields) {
    if (name === field) {
      const size = kind === 'u8' ? 1 : kind === 'u16' ? 2 : kind === 'u32' ? 4 : 0;
      if (size === 0) throw new Error(`${st.name}.${field}: select needs a u8, u16 or u32 field`);
      return [at, size];
    }
    at += fieldSize(kind);
  }
  throw new Error(`${st.name} has no field '${field}'`);
}

function isZero(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
const checkU16 = (v: unknown, path: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff)
    throw new EncodeError('expected a u16', path);
  return v;
};
const checkU32 = (v: unknown, path: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new EncodeError('expected a u32', path);
  return v;
};
const checkS32 = (v: unknown, path: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
    throw new EncodeError('expected an s32', path);
  return v;
};
