/**
 * Hand-written codecs for the route attributes whose payload is not a plain TLV or struct:
 * RTA_MULTIPATH (a list of struct rtnexthop, each followed by its own RTA_* attributes),
 * RTA_VIA (struct rtvia: a family and an address of that family's length), and RTA_EXPIRES
 * (u32 in requests, u64 from multicast route dumps).
 */
import { DecodeError, EncodeError } from '../../errors.js';
import { compileSet, LAYOUT, type CompiledSet } from '../compile.js';
import { AF_INET, AF_INET6 } from '../constants/index.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../ip.js';
import { custom, type AttrSetDef, type CustomDef } from '../schema.js';
import type { Writer } from '../writer.js';
import type { RouteAttrs } from './route.js';

/** sizeof(struct rtnexthop). */
const RTNH_SIZE = 8;
const align4 = (n: number) => (n + 3) & ~3;

/** One nexthop of RTA_MULTIPATH. Decoding always sets every field. */
export interface RtNexthop {
  /** RTNH_F_* bits. */
  flags?: number;
  /** rtnh_hops as sent: the weight minus 1 for unicast routes, the TTL threshold for multicast. */
  hops?: number;
  ifindex?: number;
  /** The nexthop's own RTA_* attributes (gateway, via, newdst, encap, flow, ...). */
  attrs?: RouteAttrs;
}

/** Recorded when a nexthop's rtnh_len was not a multiple of 4, so it re-encodes as it came. */
interface NexthopLayout {
  len: number;
  /** Bytes of the attribute left after the last nexthop's rtnh_len. */
  pad: number;
}

const check = (v: unknown, lo: number, hi: number, what: string, path: string): number => {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new EncodeError(`expected ${what}, got ${String(v)}`, path);
  return v;
};

/**
 * The RTA_MULTIPATH codec. `getSet` returns the route attribute set that each nexthop's
 * attributes belong to; it is compiled on first use, because that set contains this codec.
 */
export function rtnexthops(getSet: () => AttrSetDef): CustomDef<RtNexthop[]> {
  let set: CompiledSet | undefined;
  const routeSet = () => (set ??= compileSet(getSet()));
  return custom<RtNexthop[]>({
    name: 'rtnexthop[]',
    decode(buf, view, at, len, path) {
      const s = routeSet();
      const out: RtNexthop[] = [];
      const end = at + len;
      let pos = at;
      while (pos < end) {
        const p = `${path}[${out.length}]`;
        const left = end - pos;
        if (left < RTNH_SIZE) throw new DecodeError(`${left} stray bytes after the last rtnexthop`, pos, p);
        const rtnhLen = view.getUint16(pos, true);
        if (rtnhLen < RTNH_SIZE) throw new DecodeError(`rtnh_len ${rtnhLen} is below sizeof(struct rtnexthop)`, pos, p);
        if (rtnhLen > left)
          throw new DecodeError(`rtnh_len ${rtnhLen} runs past RTA_MULTIPATH (${left} bytes left)`, pos, p);
        const nh: RtNexthop = {
          flags: view.getUint8(pos + 2),
          hops: view.getUint8(pos + 3),
          ifindex: view.getInt32(pos + 4, true),
          attrs: s.decode(buf, view, pos + RTNH_SIZE, pos + rtnhLen, p) as RouteAttrs,
        };
        if (rtnhLen % 4 !== 0) {
          const layout: NexthopLayout = {
            len: rtnhLen,
            pad: Math.max(0, Math.min(end, pos + align4(rtnhLen)) - pos - rtnhLen),
          };
          Object.defineProperty(nh, LAYOUT, { value: layout });
        }
        out.push(nh);
        pos += align4(rtnhLen);
      }
      return out;
    },
    encode(w: Writer, value, path) {
      const s = routeSet();
      if (!Array.isArray(value)) throw new EncodeError('expected an array of nexthops', path);
      for (let i = 0; i < value.length; i++) {
        const nh = value[i] as RtNexthop;
        const p = `${path}[${i}]`;
        if (nh === null || typeof nh !== 'object') throw new EncodeError('expected { flags, hops, ifindex, attrs }', p);
        for (const k of Object.keys(nh)) {
          if (k !== 'flags' && k !== 'hops' && k !== 'ifindex' && k !== 'attrs')
            throw new EncodeError(`unknown nexthop field '${k}'`, `${p}.${k}`);
        }
        w.pad();
        const start = w.pos;
        w.u16(0);
        w.u8(check(nh.flags, 0, 0xff, 'a u8', `${p}.flags`));
        w.u8(check(nh.hops, 0, 0xff, 'a u8', `${p}.hops`));
        w.s32(check(nh.ifindex, -0x80000000, 0x7fffffff, 'an s32', `${p}.ifindex`));
        s.encode(w, (nh.attrs ?? {}) as Record<string, any>, p);
        let rtnhLen = w.pos - start;
        const layout = (nh as any)[LAYOUT] as NexthopLayout | undefined;
        if (layout && layout.len <= rtnhLen && rtnhLen - layout.len < 4) {
          rtnhLen = layout.len;
          w.pos = start + rtnhLen;
          if (i === value.length - 1) w.zeros(layout.pad);
        }
        if (rtnhLen > 0xffff) throw new EncodeError(`nexthop is ${rtnhLen} bytes, more than rtnh_len can hold`, p);
        w.view.setUint16(start, rtnhLen, true);
      }
    },
  });
}

/** RTA_VIA: the gateway's family (AF_*) and address; IP text for AF_INET/AF_INET6, else bytes. */
export interface RtVia {
  family: number;
  addr: string | Uint8Array;
}

export const rtvia = custom<RtVia>({
  name: 'rtvia',
  decode(buf, view, at, len, path) {
    if (len < 2) throw new DecodeError(`RTA_VIA of ${len} bytes has no family`, at, path);
    const family = view.getUint16(at, true);
    const n = len - 2;
    let addr: string | Uint8Array;
    if (family === AF_INET && n === 4) addr = formatIPv4(buf, at + 2);
    else if (family === AF_INET6 && n === 16) addr = formatIPv6(buf, at + 2);
    else addr = buf.slice(at + 2, at + len);
    return { family, addr };
  },
  encode(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError('expected { family, addr }', path);
    for (const k of Object.keys(v))
      if (k !== 'family' && k !== 'addr') throw new EncodeError(`unknown field '${k}'`, `${path}.${k}`);
    if (v.family === undefined) throw new EncodeError('RTA_VIA needs a family', `${path}.family`);
    const family = check(v.family, 0, 0xffff, 'an AF_* number', `${path}.family`);
    let bytes: Uint8Array | undefined;
    if (v.addr instanceof Uint8Array) bytes = v.addr;
    else if (typeof v.addr === 'string') {
      bytes = family === AF_INET ? parseIPv4(v.addr) : family === AF_INET6 ? parseIPv6(v.addr) : undefined;
      if (!bytes)
        throw new EncodeError(
          `'${v.addr}' is not an address of family ${family} (give bytes for families other than AF_INET and AF_INET6)`,
          `${path}.addr`,
        );
    } else throw new EncodeError('expected an address string or bytes', `${path}.addr`);
    w.u16(family);
    w.bytes(bytes);
  },
});

/**
 * RTA_EXPIRES: requests carry a u32 (seconds; IPv6 routes), multicast route dumps a u64 (clock
 * ticks since last use). A 4-byte value decodes to a number and an 8-byte one to a bigint, and
 * each encodes back at its own width.
 */
export const rtaExpires = custom<number | bigint>({
  name: 'rta_expires',
  decode(_buf, view, at, len, path) {
    if (len === 4) return view.getUint32(at, true);
    if (len === 8) return view.getBigUint64(at, true);
    throw new DecodeError(`RTA_EXPIRES of ${len} bytes (expected 4 or 8)`, at, path);
  },
  encode(w, v, path) {
    if (typeof v === 'bigint') {
      if (v < 0n || v > 0xffffffffffffffffn) throw new EncodeError(`${v} is out of range for u64`, path);
      w.u64(v);
    } else w.u32(check(v, 0, 0xffffffff, 'a u32 (or a bigint for u64)', path));
  },
});
