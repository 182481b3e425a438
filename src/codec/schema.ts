/**
 * Declarations of netlink structs and attribute sets.
 *
 * One declaration per struct and per attribute set drives both encoding and decoding (compile.ts),
 * and the TypeScript types users see are derived from the same declarations, so the types and the
 * wire format cannot drift apart. Kinds follow the kernel's YNL vocabulary.
 */

export type ScalarKind = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16' | 'be32' | 'be64';
export type LeafKind = ScalarKind | 'string' | 'binary' | 'flag' | 'ip' | 'ipv4' | 'ipv6' | 'mac';
/** Field kinds allowed inside a fixed struct. `mac` is 6 bytes there; `bytesN` is N raw bytes. */
/**
 * A struct field's kind. `padN` is N bytes of C padding: decoded only when the kernel put something
 * other than zeros there (as bytes, so nothing is lost), and written as zeros when absent.
 */
export type FieldKind = ScalarKind | 'ipv4' | 'ipv6' | 'mac' | `bytes${number}` | `pad${number}`;
export type FieldSpec = readonly [name: string, kind: FieldKind];

export interface StructDef<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly tag: 'struct';
  readonly name: string;
  readonly fields: F;
  readonly size: number;
}

export interface AttrOptions {
  /** Maximum string length in bytes (without the NUL). */
  readonly max?: number;
  /** Known values, decoded to their names; unknown values stay numbers. */
  readonly enum?: Readonly<Record<number, string>>;
  /** Whether a freshly encoded nest carries NLA_F_NESTED (default true, as iproute2 sends it). */
  readonly nestedFlag?: boolean;
}

export type AttrSpec = readonly [number, Kind] | readonly [number, Kind, AttrOptions];
export type AttrTableSpec = { readonly [key: string]: AttrSpec };

export interface AttrSetDef<T extends AttrTableSpec = AttrTableSpec> {
  readonly tag: 'attrs';
  /** The kernel prefix, e.g. 'IFLA' or 'IFLA_BR'. */
  readonly prefix: string;
  readonly spec: T;
}

export interface NestDef<T extends AttrTableSpec = AttrTableSpec> {
  readonly tag: 'nest';
  readonly set: AttrSetDef<T>;
}

export interface MultiDef<K extends Kind = Kind> {
  readonly tag: 'multi';
  readonly inner: K;
}

/**
 * A nest whose attribute set is chosen by a sibling's value (IFLA_INFO_DATA by IFLA_INFO_KIND).
 * Values without a case are kept as raw bytes.
 */
export interface NestByDef<C extends { readonly [sel: string]: Kind } = { readonly [sel: string]: Kind }> {
  readonly tag: 'nestBy';
  /** The sibling attribute key whose value selects the case. */
  readonly selector: string;
  readonly cases: C;
}

/** A fixed header followed by attributes (VETH_INFO_PEER: ifinfomsg + IFLA_*). */
export interface HeaderedDef<
  F extends readonly FieldSpec[] = readonly FieldSpec[],
  T extends AttrTableSpec = AttrTableSpec,
> {
  readonly tag: 'headered';
  readonly header: StructDef<F>;
  readonly set: AttrSetDef<T>;
}

/** A hand-written codec for irregular payloads (RTA_MULTIPATH's rtnexthop list). */
export interface CustomDef<V = unknown> {
  readonly tag: 'custom';
  readonly name: string;
  decode(buf: Uint8Array, view: DataView, at: number, len: number, path: string): V;
  encode(w: import('./writer.js').Writer, value: V, path: string): void;
}

/** A kind resolved on first use, for attribute sets that refer to each other (a veth peer is a link). */
export interface LazyDef<K extends Kind = Kind> {
  readonly tag: 'lazy';
  readonly get: () => K;
}

/**
 * A nest of attributes that are the elements of one list, each of kind `inner` (YNL's
 * indexed-array: CTRL_ATTR_OPS, CTRL_ATTR_MCAST_GROUPS, a tc action list). The kernel numbers the
 * elements 1, 2, ...; they decode to an array. Other numbering is kept and re-encoded as it came.
 */
export interface IndexedDef<K extends Kind = Kind> {
  readonly tag: 'indexed';
  readonly inner: K;
}

/**
 * A nest whose attribute types are keys rather than names (YNL's nest-type-value: CTRL_ATTR_POLICY
 * is policy index -> attribute number -> policy). Decodes to an object keyed by the type number.
 */
export interface KeyedDef<K extends Kind = Kind> {
  readonly tag: 'keyed';
  readonly inner: K;
}

export type Kind =
  | LeafKind
  | StructDef
  | NestDef
  | MultiDef
  | NestByDef
  | HeaderedDef
  | CustomDef<any>
  | LazyDef<any>
  | IndexedDef<any>
  | KeyedDef<any>;

/** An attribute kept as it arrived, because it is unknown or not of its declared shape. */
export interface RawAttr {
  type: number;
  /** NLA_F_NESTED | NLA_F_NET_BYTEORDER bits as received. */
  flags: number;
  bytes: Uint8Array;
  /** Its position among the attributes of its set, so it is re-encoded where it was. */
  at?: number;
}

/** Raw bytes of a kind-selected nest whose kind we do not know. */
export interface RawNest {
  $raw: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Builders

const FIELD_SIZE: Record<string, number> = {
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
  ipv4: 4,
  ipv6: 16,
  mac: 6,
};

export function fieldSize(kind: FieldKind): number {
  const n = FIELD_SIZE[kind];
  if (n !== undefined) return n;
  const m = /^(?:bytes|pad)(\d+)$/.exec(kind);
  if (!m) throw new Error(`unknown struct field kind ${kind}`);
  return Number(m[1]);
}

/** Declare a C struct. `size` is checked against the sum of the fields when the module loads. */
export function struct<const F extends readonly FieldSpec[]>(name: string, fields: F, size?: number): StructDef<F> {
  const sum = fields.reduce((n, [, k]) => n + fieldSize(k), 0);
  if (size !== undefined && size !== sum) throw new Error(`struct ${name}: fields add up to ${sum}, expected ${size}`);
  return { tag: 'struct', name, fields, size: sum };
}

/**
 * Declare an attribute set: key -> [kernel number, kind, options]. A number declared twice is
 * refused when the set is compiled (compileSet), not here: checking every set of every family at
 * import took about 1 ms of each process's start-up.
 */
export function attrs<const T extends AttrTableSpec>(prefix: string, spec: T): AttrSetDef<T> {
  return { tag: 'attrs', prefix, spec };
}

export const nest = <const T extends AttrTableSpec>(set: AttrSetDef<T>): NestDef<T> => ({ tag: 'nest', set });
export const multi = <const K extends Kind>(inner: K): MultiDef<K> => ({ tag: 'multi', inner });
export const nestBy = <const C extends { readonly [sel: string]: Kind }>(selector: string, cases: C): NestByDef<C> => ({
  tag: 'nestBy',
  selector,
  cases,
});
export const headered = <const F extends readonly FieldSpec[], const T extends AttrTableSpec>(
  header: StructDef<F>,
  set: AttrSetDef<T>,
): HeaderedDef<F, T> => ({ tag: 'headered', header, set });
/** A list of elements numbered 1, 2, ... inside one nest (see IndexedDef). */
export const indexed = <const K extends Kind>(inner: K): IndexedDef<K> => ({ tag: 'indexed', inner });
/** Elements keyed by their attribute type inside one nest (see KeyedDef). */
export const keyed = <const K extends Kind>(inner: K): KeyedDef<K> => ({ tag: 'keyed', inner });
export const lazy = <K extends Kind>(get: () => K): LazyDef<K> => ({ tag: 'lazy', get });
/** lazy() with its value type given explicitly, where inferring it would be circular. */
export const lazyAs = <V>(get: () => Kind): LazyDef<CustomDef<V>> => ({ tag: 'lazy', get: get as () => CustomDef<V> });
export const custom = <V>(def: Omit<CustomDef<V>, 'tag'>): CustomDef<V> => ({ tag: 'custom', ...def });

// ---------------------------------------------------------------------------------------------
// Derived types

type ScalarValue<K> = K extends 'u64' | 's64' | 'be64' ? bigint : number;
type FieldValue<K> = K extends ScalarKind ? ScalarValue<K> : K extends 'ipv4' | 'ipv6' | 'mac' ? string : Uint8Array;

export type StructValue<F extends readonly FieldSpec[]> = {
  -readonly [P in F[number] as P[0]]?: FieldValue<P[1]>;
} & { $extra?: Uint8Array };

type EnumNames<O> = O extends { readonly enum: infer E }
  ? E extends Readonly<Record<number, infer N>>
    ? N
    : never
  : never;

export type KindValue<K, O = {}> = K extends ScalarKind
  ? ScalarValue<K> | EnumNames<O>
  : K extends 'string' | 'ip' | 'ipv4' | 'ipv6' | 'mac'
    ? string
    : K extends 'binary'
      ? Uint8Array
      : K extends 'flag'
        ? true
        : K extends StructDef<infer F>
          ? StructValue<F>
          : K extends NestDef<infer T>
            ? AttrValues<T>
            : K extends MultiDef<infer I>
              ? KindValue<I, O>[]
              : K extends NestByDef<infer C>
                ? { [S in keyof C]: KindValue<C[S]> }[keyof C] | RawNest
                : K extends HeaderedDef<infer F, infer T>
                  ? { header: StructValue<F>; attrs: AttrValues<T> }
                  : K extends CustomDef<infer V>
                    ? V
                    : K extends LazyDef<infer L>
                      ? KindValue<L, O>
                      : K extends IndexedDef<infer I>
                        ? KindValue<I, O>[]
                        : K extends KeyedDef<infer I>
                          ? Record<number, KindValue<I, O>>
                          : unknown;

type SpecValue<S> = S extends readonly [number, infer K, infer O]
  ? KindValue<K, O>
  : S extends readonly [number, infer K]
    ? KindValue<K>
    : never;

/** The decoded (and encodable) value of an attribute set: camelCase keys, all optional. */
export type AttrValues<T extends AttrTableSpec> = {
  -readonly [P in keyof T]?: SpecValue<T[P]>;
} & { $unknown?: RawAttr[] };

export type SetValues<S> = S extends AttrSetDef<infer T> ? AttrValues<T> : never;
