/**
 * Bare attribute chains: a run of netlink attributes with no message around it (an IFLA_AF_SPEC
 * payload, an IFLA_INFO_DATA kept as `$raw`, bytes from a capture).
 */
import { DecodeError } from '../errors.js';
import { compileSet } from './compile.js';
import { beginMessage } from './primitives.js';
import type { AttrSetDef, AttrTableSpec, AttrValues } from './schema.js';
import { Writer } from './writer.js';

/**
 * Decode a chain of attributes of one set, by the same rules as `decode()`: every length is
 * checked, a malformed chain raises DecodeError with its offset (from the start of `bytes`) and
 * attribute path, unknown attributes are kept in `$unknown`, and nothing returned is a view of
 * `bytes`.
 *
 * ```ts
 * import { decodeAttrs, linkInfoAttrs } from 'rtnl/codec';
 * decodeAttrs(linkInfoAttrs, bytes); // { kind: 'vxlan', data: { id: 42, ... } }
 * ```
 *
 * Equivalent to: nothing in ip; what `ip -d link` does with a nest internally.
 */
export function decodeAttrs<T extends AttrTableSpec>(set: AttrSetDef<T>, bytes: Uint8Array): AttrValues<T> {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('expected a Uint8Array', 0, set.prefix);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  beginMessage(bytes, 0, bytes.length);
  return compileSet(set).decode(bytes, view, 0, bytes.length, set.prefix) as AttrValues<T>;
}

/**
 * Encode attributes of one set as a bare chain (each attribute padded to four bytes): the inverse
 * of `decodeAttrs`, byte-exact for what it decoded.
 *
 * Equivalent to: nothing in ip; how a request's nest is built.
 */
export function encodeAttrs<T extends AttrTableSpec>(set: AttrSetDef<T>, value: AttrValues<T>): Uint8Array {
  const w = new Writer();
  compileSet(set).encode(w, value as Record<string, unknown>, '');
  return w.finish();
}
