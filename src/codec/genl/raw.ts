/**
 * Generic netlink messages of families rtnl has no codec for: the genlmsghdr, the family's own
 * header (CTRL_ATTR_HDRSIZE bytes) and its attributes as a flat list of TLVs, kept as bytes.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../compile.js';
import { DecodeError } from '../../errors.js';

/** One attribute as it travels: its type (without flag bits), its flag bits and its payload. */
export interface GenlRawAttr {
  type: number;
  /** NLA_F_NESTED / NLA_F_NET_BYTEORDER as sent or received (0 when omitted). */
  flags?: number;
  bytes: Uint8Array;
}

/** A generic netlink message whose attributes are kept raw. */
export interface GenlRawMessage {
  cmd: number;
  version: number;
  /** The family's own fixed header after genlmsghdr (empty for most families). */
  header: Uint8Array;
  /** The attributes, in order, as raw TLVs. */
  attrs: GenlRawAttr[];
  /** Every byte after the headers (the attributes as they came). */
  payload: Uint8Array;
}

const align4 = (n: number) => (n + 3) & ~3;

/** Split a run of netlink attributes into raw TLVs (nothing is decoded). */
export function splitAttrs(bytes: Uint8Array): GenlRawAttr[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: GenlRawAttr[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const len = view.getUint16(at, true);
    const t = view.getUint16(at + 2, true);
    if (len < 4 || at + len > bytes.length) throw new DecodeError(`attribute length ${len} does not fit`, at);
    out.push({
      type: t & ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER),
      flags: t & (NLA_F_NESTED | NLA_F_NET_BYTEORDER),
      bytes: bytes.slice(at + 4, at + len),
    });
    at += align4(len);
  }
  return out;
}

/** Join raw TLVs into attribute bytes (each padded to 4 bytes). */
export function joinAttrs(list: readonly GenlRawAttr[]): Uint8Array {
  let size = 0;
  for (const a of list) {
    if (a.bytes.length + 4 > 0xffff) throw new RangeError(`attribute ${a.type} is too long`);
    size += align4(4 + a.bytes.length);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const a of list) {
    view.setUint16(at, 4 + a.bytes.length, true);
    view.setUint16(at + 2, (a.type & 0x3fff) | (a.flags ?? 0), true);
    out.set(a.bytes, at + 4);
    at += align4(4 + a.bytes.length);
  }
  return out;
}

/** Build a generic netlink body: genlmsghdr, the family header (zeros when not given), attributes. */
export function genlRawBody(
  cmd: number,
  version: number,
  hdrsize: number,
  attrs: Uint8Array,
  header?: Uint8Array,
): Uint8Array {
  const h = align4(hdrsize);
  const out = new Uint8Array(4 + h + attrs.length);
  out[0] = cmd;
  out[1] = version;
  if (header !== undefined) out.set(header.subarray(0, hdrsize), 4);
  out.set(attrs, 4 + h);
  return out;
}

/** Read a generic netlink body (a message's bytes after nlmsghdr) with its attributes kept raw. */
export function parseGenlRaw(body: Uint8Array, hdrsize = 0): GenlRawMessage {
  if (body.length < 4) throw new DecodeError(`generic netlink body of ${body.length} bytes`, 0);
  const start = Math.min(body.length, 4 + align4(hdrsize));
  const payload = body.slice(start);
  return {
    cmd: body[0]!,
    version: body[1]!,
    header: body.slice(4, Math.min(body.length, 4 + hdrsize)),
    attrs: splitAttrs(payload),
    payload,
  };
}
