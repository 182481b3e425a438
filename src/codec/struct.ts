/** Structs: compiled once per declaration, decoded through a generated object literal. */
import { EncodeError } from '../errors.js';
import { formatIPv4, formatIPv6, formatLladdr, parseIPv4, parseIPv6, parseLladdr } from './ip.js';
import { join, keep, LAYOUT, readScalar, SCALAR_SIZE, writeScalar, type StructLayout } from './primitives.js';
import type { FieldKind, StructDef } from './schema.js';
import { fieldSize } from './schema.js';
import type { Writer } from './writer.js';

export interface CompiledStruct {
  name: string;
  size: number;
  decode(buf: Uint8Array, view: DataView, at: number, len: number, path: string): Record<string, any>;
  encode(w: Writer, value: Record<string, any>, path: string): void;
}

const structCache = new WeakMap<StructDef, CompiledStruct>();

/**
 * Padding (`padN`, schema.ts) is decoded only when it is not all zeros. Kept as bytes, it used to
 * hold a copy of its whole datagram alive: 4 bytes of IFLA_MAP padding kept every link of a dump
 * holding its datagram's 32 KiB copy.
 */
const isPadding = (f: { kind: string }): boolean => f.kind.startsWith('pad');

function allZero(buf: Uint8Array, at: number, end: number): boolean {
  for (let i = at; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

export function compileStruct(def: StructDef): CompiledStruct {
  const hit = structCache.get(def);
  if (hit) return hit;
  const fields = def.fields.map(([name, kind]) => ({ name, kind, size: fieldSize(kind as FieldKind), off: 0 }));
  let off = 0;
  for (const f of fields) {
    f.off = off;
    off += f.size;
  }
  const size = def.size;

  const readField = (buf: Uint8Array, view: DataView, at: number, kind: string, fsize: number): unknown => {
    if (SCALAR_SIZE[kind] !== undefined) return readScalar(view, at, kind);
    if (kind === 'ipv4') return formatIPv4(buf, at);
    if (kind === 'ipv6') return formatIPv6(buf, at);
    if (kind === 'mac') return formatLladdr(buf, at, 6);
    return keep(buf, at, at + fsize);
  };
  const writeField = (w: Writer, kind: string, fsize: number, v: unknown, path: string): void => {
    if (SCALAR_SIZE[kind] !== undefined) return writeScalar(w, kind, v, path);
    let bytes: Uint8Array | undefined;
    if (kind === 'ipv4') bytes = typeof v === 'string' ? parseIPv4(v) : undefined;
    else if (kind === 'ipv6') bytes = typeof v === 'string' ? parseIPv6(v) : undefined;
    else if (kind === 'mac') bytes = typeof v === 'string' ? parseLladdr(v) : undefined;
    else bytes = v instanceof Uint8Array ? v : undefined;
    if (!bytes || bytes.length !== fsize) throw new EncodeError(`expected ${kind} of ${fsize} bytes`, path);
    w.bytes(bytes);
  };
  const known = new Set(fields.map((f) => f.name));

  const slowDecode = (buf: Uint8Array, view: DataView, at: number, len: number): Record<string, any> => {
    const out: Record<string, any> = {};
    for (const f of fields) {
      if (f.off + f.size > len) break;
      if (isPadding(f) && allZero(buf, at + f.off, at + f.off + f.size)) continue;
      out[f.name] = readField(buf, view, at + f.off, f.kind, f.size);
    }
    if (len > size) out.$extra = keep(buf, at + size, at + len);
    else if (len < size) Object.defineProperty(out, LAYOUT, { value: { size: len } satisfies StructLayout });
    return out;
  };
  const fastDecode = generateStructDecoder(fields, size, slowDecode);

  const compiled: CompiledStruct = {
    name: def.name,
    size,
    decode: fastDecode,
    encode(w, value, path) {
      if (value === null || typeof value !== 'object') throw new EncodeError(`expected a ${def.name} object`, path);
      for (const k of Object.keys(value)) {
        if (!known.has(k) && k !== '$extra')
          throw new EncodeError(`unknown field '${k}' of ${def.name}`, join(path, k));
      }
      const short = (value as any)[LAYOUT] as StructLayout | undefined;
      const limit = short ? short.size : size;
      const start = w.pos;
      for (const f of fields) {
        if (f.off + f.size > limit) break;
        const v = value[f.name];
        if (v === undefined) w.zeros(f.size);
        else writeField(w, f.kind, f.size, v, join(path, f.name));
      }
      // A struct cut inside a field keeps the bytes it had (zeros, since the field was absent).
      if (short && w.pos - start < limit) w.zeros(limit - (w.pos - start));
      if (value.$extra !== undefined) {
        if (!(value.$extra instanceof Uint8Array)) throw new EncodeError('expected bytes', join(path, '$extra'));
        w.bytes(value.$extra);
      }
    },
  };
  structCache.set(def, compiled);
  return compiled;
}

/**
 * A decoder for a whole struct as one object literal, generated once per struct: V8 then builds
 * every decoded struct with the same shape and no per-field dispatch. Only the common case (the
 * struct is all there) takes it; short and long structs go to the generic decoder.
 */
function generateStructDecoder(
  fields: Array<{ name: string; kind: string; size: number; off: number }>,
  size: number,
  slow: (buf: Uint8Array, view: DataView, at: number, len: number) => Record<string, any>,
): (buf: Uint8Array, view: DataView, at: number, len: number) => Record<string, any> {
  const READ: Record<string, (o: number) => string> = {
    u8: (o) => `view.getUint8(at + ${o})`,
    s8: (o) => `view.getInt8(at + ${o})`,
    u16: (o) => `view.getUint16(at + ${o}, true)`,
    s16: (o) => `view.getInt16(at + ${o}, true)`,
    be16: (o) => `view.getUint16(at + ${o}, false)`,
    u32: (o) => `view.getUint32(at + ${o}, true)`,
    s32: (o) => `view.getInt32(at + ${o}, true)`,
    be32: (o) => `view.getUint32(at + ${o}, false)`,
    // A zero u64 is the shared 0n, not a new BigInt: most of a link's 25 stats64 counters are
    // zero (errors, drops), and each BigInt is a heap allocation.
    u64: (o) =>
      `((view.getUint32(at + ${o}, true) | view.getUint32(at + ${o + 4}, true)) === 0 ? 0n : view.getBigUint64(at + ${o}, true))`,
    s64: (o) =>
      `((view.getUint32(at + ${o}, true) | view.getUint32(at + ${o + 4}, true)) === 0 ? 0n : view.getBigInt64(at + ${o}, true))`,
    be64: (o) => `view.getBigUint64(at + ${o}, false)`,
    ipv4: (o) => `h.ipv4(buf, at + ${o})`,
    ipv6: (o) => `h.ipv6(buf, at + ${o})`,
    mac: (o) => `h.mac(buf, at + ${o}, 6)`,
  };
  const props = fields
    .filter((f) => !isPadding(f))
    .map((f) => {
      const read = READ[f.kind]?.(f.off) ?? `h.keep(buf, at + ${f.off}, at + ${f.off + f.size})`;
      return `${JSON.stringify(f.name)}: ${read}`;
    });
  const pads = fields.filter(isPadding).map((f) => {
    const [from, to] = [`at + ${f.off}`, `at + ${f.off + f.size}`];
    return `if (!h.allZero(buf, ${from}, ${to})) o[${JSON.stringify(f.name)}] = h.keep(buf, ${from}, ${to});`;
  });
  const body = `return function decodeStruct(buf, view, at, len) {
    if (len !== ${size}) return slow(buf, view, at, len);
    const o = { ${props.join(', ')} };
    ${pads.join('\n    ')}
    return o;
  };`;
  return new Function('slow', 'h', body)(slow, {
    ipv4: formatIPv4,
    ipv6: formatIPv6,
    mac: formatLladdr,
    keep,
    allZero,
  });
}
