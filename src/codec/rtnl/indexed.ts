/**
 * Arrays the kernel sends as flat runs of integers indexed by an enum: IFLA_INET_CONF (int per
 * IPV4_DEVCONF_*, from index 1), IFLA_INET6_CONF (s32 per DEVCONF_*), IFLA_INET6_STATS (u64 per
 * IPSTATS_MIB_*) and IFLA_INET6_ICMP6STATS (u64 per ICMP6_MIB_*). They decode to objects keyed by
 * the enum's names in camelCase (`forwarding`, `acceptRa`, `inpkts`); an index this machine's
 * headers do not name is keyed by its number, so nothing is lost and the bytes re-encode exactly.
 * A payload that is not a whole number of elements is kept as its bytes.
 */
import { EncodeError } from '../../errors.js';
import { enumOf, keyOf } from '../enums.js';
import { custom, type CustomDef } from '../schema.js';

export type IndexedValues<V> = Record<string, V>;

interface Table {
  keys: string[];
  byKey: Map<string, number>;
  /** A generated reader per element count: one object literal, so every result has one shape. */
  readers: Map<number, (view: DataView, at: number) => Record<string, unknown>>;
}

/**
 * A table of `elem` integers; element i is the constant with value i + first of `prefix`
 * (IFLA_INET_CONF's element 0 is IPV4_DEVCONF_FORWARDING = 1).
 */
export function indexedArray<E extends 's32' | 'u64'>(
  name: string,
  elem: E,
  prefix: string,
  first: number,
): CustomDef<IndexedValues<E extends 'u64' ? bigint : number> | Uint8Array> {
  type V = E extends 'u64' ? bigint : number;
  const size = elem === 'u64' ? 8 : 4;
  let table: Table | undefined;
  const load = (): Table => {
    if (table) return table;
    const names = enumOf(prefix);
    const keys: string[] = [];
    const byKey = new Map<string, number>();
    for (const [value, n] of Object.entries(names)) {
      const i = Number(value) - first;
      if (i < 0) continue;
      const key = keyOf(`${prefix}${n}`, prefix.slice(0, -1));
      keys[i] = key;
      byKey.set(key, i);
    }
    table = { keys, byKey, readers: new Map() };
    return table;
  };
  const reader = (t: Table, n: number) => {
    let f = t.readers.get(n);
    if (!f) {
      const props = [];
      for (let i = 0; i < n; i++) {
        const o = i * size;
        // A zero u64 is the 0n constant, not a new BigInt: most of these counters are zero on
        // most devices, and a link dump of 4,000 devices would otherwise allocate 180,000 of them.
        const read =
          size === 8
            ? `((v.getUint32(a + ${o}, true) | v.getUint32(a + ${o + 4}, true)) === 0 ? 0n : v.getBigUint64(a + ${o}, true))`
            : `v.getInt32(a + ${o}, true)`;
        props.push(`${JSON.stringify(t.keys[i] ?? String(i + first))}: ${read}`);
      }
      f = new Function('v', 'a', `return { ${props.join(', ')} };`) as (
        view: DataView,
        at: number,
      ) => Record<string, unknown>;
      t.readers.set(n, f);
    }
    return f;
  };
  return custom<IndexedValues<V> | Uint8Array>({
    name,
    decode: (buf, view, at, len) => {
      if (len % size !== 0) return buf.slice(at, at + len);
      return reader(load(), len / size)(view, at) as IndexedValues<V>;
    },
    encode: (w, v, path) => {
      if (v instanceof Uint8Array) return w.bytes(v);
      if (!v || typeof v !== 'object') throw new EncodeError(`expected an object of ${prefix}* values`, path);
      const { byKey } = load();
      const at = new Map<number, V>();
      let n = 0;
      for (const [k, x] of Object.entries(v)) {
        const i = byKey.get(k) ?? (/^\d+$/.test(k) ? Number(k) - first : -1);
        if (i < 0) throw new EncodeError(`unknown ${prefix}* name '${k}'`, `${path}.${k}`);
        const ok =
          size === 8
            ? typeof x === 'bigint' && x >= 0n && x <= 0xffffffffffffffffn
            : typeof x === 'number' && Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff;
        if (!ok) throw new EncodeError(size === 8 ? 'expected a u64 bigint' : 'expected an s32', `${path}.${k}`);
        at.set(i, x as V);
        n = Math.max(n, i + 1);
      }
      for (let i = 0; i < n; i++) {
        const x = at.get(i);
        if (size === 8) w.u64((x as bigint | undefined) ?? 0n);
        else w.s32((x as number | undefined) ?? 0);
      }
    },
  });
}

/** IFLA_INET_CONF: `int` per IPV4_DEVCONF_* (element 0 is IPV4_DEVCONF_FORWARDING = 1). */
export const ipv4Devconf = indexedArray('ipv4-devconf', 's32', 'IPV4_DEVCONF_', 1);
/** IFLA_INET6_CONF: `__s32` per DEVCONF_* (element 0 is DEVCONF_FORWARDING = 0). */
export const ipv6Devconf = indexedArray('ipv6-devconf', 's32', 'DEVCONF_', 0);
/** IFLA_INET6_STATS: `u64` per IPSTATS_MIB_*; element 0 (`num`) is the number of elements. */
export const inet6Stats = indexedArray('inet6-stats', 'u64', 'IPSTATS_MIB_', 0);
/** IFLA_INET6_ICMP6STATS: `u64` per ICMP6_MIB_*; element 0 (`num`) is the number of elements. */
export const icmp6Stats = indexedArray('icmp6-stats', 'u64', 'ICMP6_MIB_', 0);
