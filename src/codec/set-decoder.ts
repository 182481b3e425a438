/**
 * The generated decoder of an attribute set, and what it shares with compileSet (compile.ts): the
 * compiled entry of one attribute, the slow-path state, unknown attributes kept as RawAttr, and the
 * LAYOUT record a set gets once something in it is irregular.
 */
import { DecodeError } from '../errors.js';
import {
  BAD,
  join,
  keep,
  LAYOUT,
  MAX_NESTING,
  nesting,
  NLA_TYPE_MASK,
  resetTail,
  tailIsCanonical,
  type AttrLayout,
  type DecodeFn,
  type EncodeFn,
} from './primitives.js';
import type { RawAttr } from './schema.js';
import type { Writer } from './writer.js';

export interface Entry {
  key: string;
  type: number;
  /** Its decoder never descends or throws with a path (scalars, strings, structs...). */
  leaf: boolean;
  decode: DecodeFn;
  encode: EncodeFn;
  multi: boolean;
  defFlags: number;
  isString: boolean;
  selector?: string;
  cases?: Map<string, { decode: DecodeFn; encode: EncodeFn; nested: boolean }>;
}

export interface CompiledSet {
  prefix: string;
  byType: (Entry | undefined)[];
  byKey: Map<string, Entry>;
  decode(buf: Uint8Array, view: DataView, at: number, end: number, path: string): Record<string, any>;
  encode(w: Writer, value: Record<string, any>, path: string): void;
}

export function rawAttr(buf: Uint8Array, at: number, len: number, rawType: number, index: number): RawAttr {
  return {
    type: rawType & NLA_TYPE_MASK,
    flags: rawType & ~NLA_TYPE_MASK,
    bytes: keep(buf, at + 4, at + len),
    at: index,
  };
}

export interface SlowState {
  layout: AttrLayout;
  deferred?: Array<{ entry: Entry; at: number; len: number }>;
  /** Index of the next attribute in the set. */
  index: number;
}

/** Read by generated decoders: whether the last string decoded was canonical (one trailing NUL). */

/** compileSet's slow path, which the generated decoder hands a set over to (see compile.ts). */
export interface SlowPath {
  /** One attribute, with full bookkeeping; `raw` is its type with the NLA_F_* bits. */
  general: (
    st: SlowState,
    out: Record<string, any>,
    buf: Uint8Array,
    view: DataView,
    pos: number,
    len: number,
    raw: number,
    path: string,
  ) => void;
  /** Start the slow path at attribute `index` of the set. */
  enter: (out: Record<string, any>, index: number) => SlowState;
  /** After the last attribute. */
  finish: (st: SlowState, out: Record<string, any>, buf: Uint8Array, view: DataView, path: string) => void;
}

/**
 * The decoder of one attribute set, generated once: a switch on the raw attribute type, with a
 * named property store per attribute, so V8 sees monomorphic stores in the order the kernel sends
 * them. It takes the common case inline — a known attribute with the default NLA_F_* bits, seen
 * once (or contiguous, if repeated), decoded canonically — and unknown attributes, which are kept
 * with their position. Anything else hands the rest of the set to `general`.
 */
export function generateSetDecoder(
  prefix: string,
  entries: Entry[],
  byType: (Entry | undefined)[],
  h: SlowPath,
): CompiledSet['decode'] {
  const cases: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `a${args.length - 1}`;
  };
  for (const e of entries) {
    const k = JSON.stringify(e.key);
    const raw = e.type | e.defFlags;
    const d = arg(e.decode);
    const childPath = e.leaf ? 'path' : `join(path, ${k})`;
    if (e.cases !== undefined) {
      const cs = arg(e.cases);
      cases.push(
        `case ${raw}: if (out[${k}] === undefined) { const sel = out[${JSON.stringify(e.selector)}]; if (sel !== undefined) { const c = ${cs}.get(String(sel)); const v = c !== undefined ? c.decode(buf, view, pos + 4, len - 4, ${childPath}) : ${d}(buf, view, pos + 4, len - 4, path); if (v !== BAD) { out[${k}] = v; ok = true; } } } break;`,
      );
    } else if (e.multi) {
      cases.push(
        `case ${raw}: { ${e.isString ? 'resetTail(); ' : ''}const v = ${d}(buf, view, pos + 4, len - 4, ${childPath}); if (v !== BAD${e.isString ? ' && tailIsCanonical()' : ''}) { const arr = out[${k}]; if (arr === undefined) { out[${k}] = [v]; ok = true; } else if (prev === ${raw}) { arr.push(v); ok = true; } } } break;`,
      );
    } else {
      cases.push(
        `case ${raw}: if (out[${k}] === undefined) { ${e.isString ? 'resetTail(); ' : ''}const v = ${d}(buf, view, pos + 4, len - 4, ${childPath}); if (v !== BAD${e.isString ? ' && tailIsCanonical()' : ''}) { out[${k}] = v; ok = true; } } break;`,
      );
    }
  }
  const src = `
return function decode_${prefix.replace(/\W/g, '_')}(buf, view, at, end, path) {
  if (++nesting.depth > ${MAX_NESTING}) throw new DecodeError('attributes nested more than ${MAX_NESTING} levels deep', at, path);
  const out = {};
  let st = null;
  let pos = at;
  let idx = 0;
  let prev = -1;
  while (pos < end) {
    const left = end - pos;
    if (left < 4) throw new DecodeError(left + ' stray bytes after the last attribute', pos, path);
    const len = view.getUint16(pos, true);
    const raw = view.getUint16(pos + 2, true);
    if (len < 4) throw new DecodeError('attribute length ' + len + ' is below 4', pos, path);
    if (len > left) throw new DecodeError('attribute of ' + len + ' bytes runs past its container (' + left + ' left)', pos, path);
    if (st === null) {
      let ok = false;
      switch (raw) {
        ${cases.join('\n        ')}
        default:
          if (byType[raw & ${NLA_TYPE_MASK}] === undefined) {
            const u = out.$unknown;
            const r = rawAttr(buf, pos, len, raw, idx);
            if (u === undefined) out.$unknown = [r]; else u.push(r);
            ok = true;
          }
      }
      if (ok) {
        idx++;
        prev = raw;
        pos += (len + 3) & ~3;
        continue;
      }
      st = enter(out, idx);
    }
    general(st, out, buf, view, pos, len, raw, path);
    pos += (len + 3) & ~3;
  }
  if (st !== null) finish(st, out, buf, view, path);
  nesting.depth--;
  return out;
};`;
  const names = [
    'DecodeError',
    'BAD',
    'join',
    'rawAttr',
    'byType',
    'general',
    'enter',
    'finish',
    'tailIsCanonical',
    'resetTail',
    'nesting',
    ...args.map((_, i) => `a${i}`),
  ];
  return new Function(...names, src)(
    DecodeError,
    BAD,
    join,
    rawAttr,
    byType,
    h.general,
    h.enter,
    h.finish,
    tailIsCanonical,
    resetTail,
    nesting,
    ...args,
  );
}

export function makeLayout(out: Record<string, any>, entries: Map<string, Entry>): AttrLayout {
  const order: string[] = [];
  for (const key of Object.keys(out)) {
    if (key === '$unknown') continue;
    const e = entries.get(key);
    const n = e?.multi ? (out[key] as unknown[]).length : 1;
    for (let i = 0; i < n; i++) order.push(key);
  }
  // Unknown attributes seen so far sit where their recorded positions say (ascending).
  for (const u of (out.$unknown as RawAttr[] | undefined) ?? [])
    order.splice(Math.min(u.at ?? order.length, order.length), 0, '$unknown');
  const flags = order.map((k) => entries.get(k)?.defFlags ?? 0);
  const layout: AttrLayout = { order, flags, tails: order.map(() => undefined) };
  Object.defineProperty(out, LAYOUT, { value: layout, enumerable: false, writable: true, configurable: true });
  return layout;
}
