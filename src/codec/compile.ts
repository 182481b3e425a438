/**
 * Compiles schema declarations into decode and encode closures.
 *
 * Decoding walks TLVs by offset, bounds-checks every length, and dispatches through a dense array
 * indexed by attribute type. Values that are kept are copied out of the input, never viewed.
 *
 * Lossless round trips: whatever the plain decoded object cannot say (unknown attributes'
 * positions, NLA_F_* bits that differ from the default, strings sent without a NUL, short
 * structs) goes into a non-enumerable LAYOUT record, which the encoder honours. It is created only
 * when something is irregular, so the common path allocates nothing extra.
 */
import { DecodeError, EncodeError } from '../errors.js';
import { formatIPv4, formatIPv6, formatLladdr, parseIP, parseIPv4, parseIPv6, parseLladdr } from './ip.js';
import {
  BAD,
  decodeString,
  encodeString,
  getTail,
  join,
  keep,
  LAYOUT,
  NLA_F_NESTED,
  NLA_TYPE_MASK,
  resetTail,
  scalarCodec,
  type AttrLayout,
  type DecodeFn,
  type EncodeFn,
} from './primitives.js';
import type { AttrSetDef, AttrSpec, Kind, RawAttr } from './schema.js';
import { compileStruct } from './struct.js';
import { align4, type Writer } from './writer.js';

export {
  LAYOUT,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLA_TYPE_MASK,
  type AttrLayout,
  type StructLayout,
} from './primitives.js';
export { compileStruct, type CompiledStruct } from './struct.js';
import { generateSetDecoder, makeLayout, rawAttr, type CompiledSet, type Entry, type SlowPath } from './set-decoder.js';

export type { CompiledSet } from './set-decoder.js';

// ---------------------------------------------------------------------------------------------
// Kinds

interface KindCodec {
  decode: DecodeFn;
  encode: EncodeFn;
  nested: boolean;
  isString: boolean;
}

function compileKind(
  kind: Kind,
  opts: { max?: number; enum?: Readonly<Record<number, string>>; nestedFlag?: boolean } = {},
): KindCodec {
  const leaf = (decode: DecodeFn, encode: EncodeFn, isString = false): KindCodec => ({
    decode,
    encode,
    nested: false,
    isString,
  });
  if (typeof kind === 'string') {
    switch (kind) {
      case 'string':
        return leaf(
          (buf, _v, at, len) => decodeString(buf, at, len),
          (w, v, path) => encodeString(w, v, path, opts.max),
          true,
        );
      case 'binary':
        return leaf(
          (buf, _v, at, len) => keep(buf, at, at + len),
          (w, v, path) => {
            if (!(v instanceof Uint8Array)) throw new EncodeError('expected a Uint8Array', path);
            w.bytes(v);
          },
        );
      case 'flag':
        return leaf(
          (_b, _v, _a, len) => (len === 0 ? true : BAD),
          (_w, v, path) => {
            if (v !== true) throw new EncodeError('a flag attribute takes true (omit it for false)', path);
          },
        );
      case 'ip':
        return leaf(
          (buf, _v, at, len) => (len === 4 ? formatIPv4(buf, at) : len === 16 ? formatIPv6(buf, at) : BAD),
          (w, v, path) => {
            const b = typeof v === 'string' ? parseIP(v) : undefined;
            if (!b) throw new EncodeError(`expected an IPv4 or IPv6 address, got ${JSON.stringify(v)}`, path);
            w.bytes(b);
          },
        );
      case 'ipv4':
        return leaf(
          (buf, _v, at, len) => (len === 4 ? formatIPv4(buf, at) : BAD),
          (w, v, path) => {
            const b = typeof v === 'string' ? parseIPv4(v) : undefined;
            if (!b) throw new EncodeError(`expected an IPv4 address, got ${JSON.stringify(v)}`, path);
            w.bytes(b);
          },
        );
      case 'ipv6':
        return leaf(
          (buf, _v, at, len) => (len === 16 ? formatIPv6(buf, at) : BAD),
          (w, v, path) => {
            const b = typeof v === 'string' ? parseIPv6(v) : undefined;
            if (!b) throw new EncodeError(`expected an IPv6 address, got ${JSON.stringify(v)}`, path);
            w.bytes(b);
          },
        );
      case 'mac':
        return leaf(
          (buf, _v, at, len) => formatLladdr(buf, at, len),
          (w, v, path) => {
            const b = typeof v === 'string' ? parseLladdr(v) : undefined;
            if (!b)
              throw new EncodeError(
                `expected a link-layer address like aa:bb:cc:dd:ee:ff, got ${JSON.stringify(v)}`,
                path,
              );
            w.bytes(b);
          },
        );
      default: {
        const s = scalarCodec(kind, opts.enum);
        return leaf(s.decode, s.encode);
      }
    }
  }
  switch (kind.tag) {
    case 'struct': {
      const s = compileStruct(kind);
      return leaf(
        (buf, view, at, len, path) => s.decode(buf, view, at, len, path),
        (w, v, path) => s.encode(w, v, path),
      );
    }
    case 'nest': {
      // Compiled on first use: a family declares far more nested sets (every link kind's) than
      // one process meets, and generating their decoders was most of the first dump's cost.
      let set: CompiledSet | undefined;
      return {
        decode: (buf, view, at, len, path) => (set ??= compileSet(kind.set)).decode(buf, view, at, at + len, path),
        encode: (w, v, path) => (set ??= compileSet(kind.set)).encode(w, v, path),
        nested: opts.nestedFlag ?? false,
        isString: false,
      };
    }
    case 'headered': {
      const h = compileStruct(kind.header);
      let set: CompiledSet | undefined; // compiled on first use, as for 'nest'
      const hlen = align4(h.size);
      return {
        decode: (buf, view, at, len, path) => {
          if (len < h.size) return BAD;
          const header = h.decode(buf, view, at, h.size, path);
          return { header, attrs: (set ??= compileSet(kind.set)).decode(buf, view, at + hlen, at + len, path) };
        },
        encode: (w, v, path) => {
          if (v === null || typeof v !== 'object') throw new EncodeError('expected { header, attrs }', path);
          for (const k of Object.keys(v))
            if (k !== 'header' && k !== 'attrs') throw new EncodeError(`unknown key '${k}'`, join(path, k));
          h.encode(w, v.header ?? {}, join(path, 'header'));
          w.pad();
          (set ??= compileSet(kind.set)).encode(w, v.attrs ?? {}, path);
        },
        nested: opts.nestedFlag ?? false,
        isString: false,
      };
    }
    case 'custom':
      // A custom payload may be a nest (ethtool's stats-grp-stat): it takes nestedFlag too.
      return { ...leaf(kind.decode, kind.encode), nested: opts.nestedFlag ?? false };
    case 'lazy': {
      let c: KindCodec | undefined;
      const get = () => (c ??= compileKind(kind.get(), opts));
      return {
        decode: (buf, view, at, len, path) => get().decode(buf, view, at, len, path),
        encode: (w, v, path) => get().encode(w, v, path),
        nested: opts.nestedFlag ?? false,
        isString: false,
      };
    }
    case 'multi':
      return compileKind(kind.inner, opts);
    case 'indexed':
    case 'keyed':
      return compileList(kind.tag, kind.inner, opts.nestedFlag ?? false);
    case 'nestBy':
      throw new Error('nestBy is compiled by its attribute set');
  }
}

/**
 * An indexed-array (elements numbered 1, 2, ... decode to an array) or a nest-type-value (elements
 * keyed by their type decode to an object). Elements carry NLA_F_NESTED when the list does
 * (`nestedFlag`), as the kernel writes them. Element types or NLA_F_* bits that differ from that
 * are kept in a LAYOUT record ({ types }) so the nest re-encodes as it came.
 */
function compileList(tag: 'indexed' | 'keyed', innerKind: Kind, nested: boolean): KindCodec {
  let inner: KindCodec | undefined;
  const get = () => (inner ??= compileKind(innerKind, { nestedFlag: nested }));
  const leafInner = typeof innerKind === 'string' || (innerKind as { tag: string }).tag === 'struct';
  const elemFlags = nested ? NLA_F_NESTED : 0;
  return {
    nested,
    isString: false,
    decode: (buf, view, at, len, path) => {
      const c = get();
      const end = at + len;
      const list: unknown[] = [];
      const map: Record<number, unknown> = {};
      let types: number[] | undefined;
      let n = 0;
      let last = -1;
      for (let pos = at; pos < end; ) {
        const left = end - pos;
        if (left < 4) throw new DecodeError(`${left} stray bytes after the last attribute`, pos, path);
        const l = view.getUint16(pos, true);
        const raw = view.getUint16(pos + 2, true);
        if (l < 4) throw new DecodeError(`attribute length ${l} is below 4`, pos, path);
        if (l > left)
          throw new DecodeError(`attribute of ${l} bytes runs past its container (${left} left)`, pos, path);
        const type = raw & NLA_TYPE_MASK;
        const key = tag === 'indexed' ? n : type;
        if (tag === 'keyed' && key in map) return BAD;
        const v = c.decode(buf, view, pos + 4, l - 4, leafInner ? path : join(path, String(key)));
        if (v === BAD) return BAD;
        const canonical = raw === ((tag === 'indexed' ? n + 1 : type) | elemFlags) && type > last;
        if (!canonical && types === undefined) {
          types = [];
          for (let i = 0; i < n; i++) types.push((tag === 'indexed' ? i + 1 : Number(Object.keys(map)[i])) | elemFlags);
        }
        types?.push(raw);
        last = type;
        if (tag === 'indexed') list.push(v);
        else map[type] = v;
        n++;
        pos += (l + 3) & ~3;
      }
      const out = tag === 'indexed' ? list : map;
      if (types !== undefined) Object.defineProperty(out, LAYOUT, { value: { types } });
      return out;
    },
    encode: (w, v, path) => {
      const c = get();
      if (v === null || typeof v !== 'object' || (tag === 'indexed') !== Array.isArray(v))
        throw new EncodeError(tag === 'indexed' ? 'expected an array' : 'expected an object keyed by number', path);
      const keys = tag === 'indexed' ? (v as unknown[]).map((_, i) => i + 1) : Object.keys(v).map(Number);
      let types = (v[LAYOUT] as { types?: number[] } | undefined)?.types;
      // A layout that no longer matches the value (elements added or removed) is ignored.
      if (types !== undefined && types.length !== keys.length) types = undefined;
      for (let i = 0; i < keys.length; i++) {
        const type = types !== undefined ? types[i]! : keys[i]!;
        const key = tag === 'indexed' ? i : type & NLA_TYPE_MASK;
        if (!Number.isInteger(type) || type < 0 || type > 0xffff)
          throw new EncodeError('expected attribute type numbers as keys', join(path, String(key)));
        const a = w.beginAttr(types !== undefined ? type : type | elemFlags, String(key));
        c.encode(w, (v as Record<number, unknown>)[key], join(path, String(key)));
        w.endAttr(a);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Attribute sets

const setCache = new WeakMap<AttrSetDef, CompiledSet>();

export function compileSet(def: AttrSetDef): CompiledSet {
  const hit = setCache.get(def);
  if (hit) return hit;
  const byType: (Entry | undefined)[] = [];
  const byKey = new Map<string, Entry>();
  const compiled: CompiledSet = { prefix: def.prefix, byType, byKey, decode: undefined!, encode: undefined! };
  setCache.set(def, compiled); // before compiling children, so recursive sets resolve

  for (const [key, spec] of Object.entries(def.spec) as [string, AttrSpec][]) {
    const [type, kind, opts] = spec;
    let entry: Entry;
    if (typeof kind === 'object' && kind.tag === 'nestBy') {
      const cases = new Map<string, { decode: DecodeFn; encode: EncodeFn; nested: boolean }>();
      for (const [sel, k] of Object.entries(kind.cases)) {
        const c = compileKind(k as Kind, opts ?? {});
        cases.set(sel, { decode: c.decode, encode: c.encode, nested: c.nested });
      }
      entry = {
        key,
        type,
        leaf: false,
        multi: false,
        isString: false,
        selector: kind.selector,
        cases,
        defFlags: opts?.nestedFlag ? NLA_F_NESTED : 0,
        decode: (buf, _v, at, len) => ({ $raw: keep(buf, at, at + len) }),
        encode: (w, v, path) => {
          if (!v || !(v.$raw instanceof Uint8Array))
            throw new EncodeError('kind-selected data needs its selector, or { $raw: bytes }', path);
          w.bytes(v.$raw);
        },
      };
    } else {
      const c = compileKind(kind, opts ?? {});
      const inner = typeof kind === 'object' && kind.tag === 'multi' ? kind.inner : kind;
      entry = {
        key,
        type,
        decode: c.decode,
        encode: c.encode,
        isString: c.isString,
        leaf: typeof inner === 'string' || inner.tag === 'struct',
        multi: typeof kind === 'object' && kind.tag === 'multi',
        defFlags: c.nested ? NLA_F_NESTED : 0,
      };
    }
    const twice = byType[type];
    if (twice !== undefined)
      throw new Error(`${def.prefix}: attribute number ${type} declared twice (${twice.key} and ${key})`);
    byType[type] = entry;
    byKey.set(key, entry);
  }
  // Keep the dispatch array dense (holes make it slow).
  for (let i = 0; i < byType.length; i++) if (byType[i] === undefined) byType[i] = undefined;

  /**
   * The general path for one attribute, with full bookkeeping (layout, deferred kind-selected
   * nests, duplicates). The generated fast decoder hands over to it at the first irregular
   * attribute of a set and keeps using it for the rest of that set.
   */
  const general: SlowPath['general'] = (st, out, buf, view, pos, len, rawType, path) => {
    const type = rawType & NLA_TYPE_MASK;
    const flags = rawType & ~NLA_TYPE_MASK;
    const entry = type < byType.length ? byType[type] : undefined;
    const layout = st.layout;
    let value: unknown = BAD;
    let key = '$unknown';
    if (entry !== undefined && (entry.multi || !(entry.key in out))) {
      key = entry.key;
      if (entry.cases !== undefined) {
        const sel = out[entry.selector!];
        const c = sel === undefined ? undefined : entry.cases.get(String(sel));
        if (sel === undefined) {
          (st.deferred ??= []).push({ entry, at: pos + 4, len: len - 4 });
          value = null; // placeholder keeps the key's position
        } else
          value = c
            ? c.decode(buf, view, pos + 4, len - 4, join(path, key))
            : entry.decode(buf, view, pos + 4, len - 4, path);
      } else {
        resetTail();
        value = entry.decode(buf, view, pos + 4, len - 4, entry.leaf ? path : join(path, key));
      }
    }
    if (value === BAD) {
      key = '$unknown';
      (out.$unknown ??= []).push(rawAttr(buf, pos, len, rawType, st.index));
      layout.order.push('$unknown');
      layout.flags.push(flags);
      layout.tails.push(undefined);
    } else {
      if (entry!.multi) {
        const arr = out[key];
        if (arr === undefined) out[key] = [value];
        else arr.push(value);
      } else out[key] = value;
      layout.order.push(key);
      layout.flags.push(flags);
      layout.tails.push(entry!.isString ? getTail() : undefined);
    }
    st.index++;
  };
  const enter: SlowPath['enter'] = (out, index) => ({ layout: makeLayout(out, byKey), index });
  const finish: SlowPath['finish'] = (st, out, buf, view, path) => {
    for (const d of st.deferred ?? []) {
      const sel = out[d.entry.selector!];
      const c = sel === undefined ? undefined : d.entry.cases!.get(String(sel));
      out[d.entry.key] = c
        ? c.decode(buf, view, d.at, d.len, join(path, d.entry.key))
        : { $raw: keep(buf, d.at, d.at + d.len) };
    }
  };
  compiled.decode = generateSetDecoder(def.prefix, [...byKey.values()], byType, { general, enter, finish });

  const emit = (
    w: Writer,
    entry: Entry,
    v: unknown,
    flags: number,
    tail: Uint8Array | null | undefined,
    path: string,
    siblings: Record<string, any>,
  ) => {
    if (v === undefined) return;
    const at = w.beginAttr(entry.type | flags, entry.key);
    if (entry.cases !== undefined) {
      const sel = siblings[entry.selector!];
      const c = sel === undefined ? undefined : entry.cases.get(String(sel));
      if (c && !(v && typeof v === 'object' && '$raw' in (v as object))) c.encode(w, v, path);
      else entry.encode(w, v, path);
    } else if (entry.isString && tail !== undefined) {
      encodeString(w, v, path, undefined, tail);
    } else entry.encode(w, v, path);
    w.endAttr(at);
  };
  const emitUnknown = (w: Writer, raw: RawAttr | undefined, path: string) => {
    if (!raw || typeof raw !== 'object' || !(raw.bytes instanceof Uint8Array) || !Number.isInteger(raw.type)) {
      throw new EncodeError('expected { type, flags, bytes }', join(path, '$unknown'));
    }
    // Name it by its declared key when it is a known attribute kept raw (e.g. of the wrong size).
    const at = w.beginAttr(
      (raw.type & NLA_TYPE_MASK) | (raw.flags ?? 0),
      byType[raw.type & NLA_TYPE_MASK]?.key ?? String(raw.type),
    );
    w.bytes(raw.bytes);
    w.endAttr(at);
  };

  compiled.encode = function encodeSet(w, value, path) {
    if (value === null || typeof value !== 'object')
      throw new EncodeError(`expected an object of ${def.prefix}_* attributes`, path);
    const layout = (value as any)[LAYOUT] as AttrLayout | undefined;
    const keys = Object.keys(value);
    for (const k of keys) {
      if (k !== '$unknown' && !byKey.has(k))
        throw new EncodeError(`unknown attribute '${k}' (not a ${def.prefix}_* attribute)`, join(path, k));
    }
    if (layout) {
      const used = new Map<string, number>();
      for (let i = 0; i < layout.order.length; i++) {
        const key = layout.order[i]!;
        const n = used.get(key) ?? 0;
        used.set(key, n + 1);
        if (key === '$unknown') {
          const list = value.$unknown as RawAttr[] | undefined;
          if (list && n < list.length) emitUnknown(w, list[n], path);
          continue;
        }
        const entry = byKey.get(key)!;
        const v = entry.multi ? (value[key] as unknown[] | undefined)?.[n] : n === 0 ? value[key] : undefined;
        emit(w, entry, v, layout.flags[i]!, layout.tails[i], join(path, key), value);
      }
      // Keys added after decoding go at the end.
      for (const k of keys) {
        if (used.has(k)) continue;
        if (k === '$unknown') for (const raw of value.$unknown as RawAttr[]) emitUnknown(w, raw, path);
        else emitKey(w, k, value, path);
      }
      return;
    }
    const unknown = value.$unknown as RawAttr[] | undefined;
    if (unknown !== undefined && !Array.isArray(unknown))
      throw new EncodeError('expected an array', join(path, '$unknown'));
    // Unknown attributes go back to their recorded positions; those without one, to the end.
    let u = 0;
    let count = 0;
    const placeUnknown = () => {
      while (unknown !== undefined && u < unknown.length && unknown[u]?.at !== undefined && unknown[u]!.at! <= count) {
        emitUnknown(w, unknown[u++], path);
        count++;
      }
    };
    for (const k of keys) {
      if (k === '$unknown') continue;
      placeUnknown();
      const v = value[k];
      if (v === undefined) continue;
      emitKey(w, k, value, path);
      count += byKey.get(k)!.multi && Array.isArray(v) ? v.length : 1;
    }
    placeUnknown();
    while (unknown !== undefined && u < unknown.length) emitUnknown(w, unknown[u++], path);
  };
  const emitKey = (w: Writer, k: string, value: Record<string, any>, path: string) => {
    const entry = byKey.get(k)!;
    const v = value[k];
    const p = join(path, k);
    if (entry.multi) {
      if (v === undefined) return;
      if (!Array.isArray(v)) throw new EncodeError('expected an array (repeated attribute)', p);
      for (const item of v) emit(w, entry, item, entry.defFlags, undefined, p, value);
    } else emit(w, entry, v, entry.defFlags, undefined, p, value);
  };

  return compiled;
}
