/**
 * Bare attribute chains: a run of netlink attributes with no message around it (an IFLA_AF_SPEC
 * payload, an IFLA_INFO_DATA kept as `$raw`, bytes from a capture).
 */
import { DecodeError } from '../errors.js';
import { compileSet } from './compile.js';
import { beginMessage } from './primitives.js';
import type { AttrSetDef, SetValues } from './schema.js';
import { Writer } from './writer.js';

/**
 * Decode a chain of attributes of one set, by the same rules as `decode()`: every length is
 * checked, a malformed chain raises DecodeError with its offset (from the start of `bytes`) and
 * attribute path, unknown attributes are kept in `$unknown`, and nothing returned is a view of
 * `bytes`.
 *
 * ```ts
 * import { decodeAttrs, afSpecAttrs } from 'rtnl/codec';
 * decodeAttrs(afSpecAttrs, bytes); // { inet: { conf: {...} }, inet6: { flags, conf, stats, ... } }
 * ```
 *
 * Equivalent to: nothing in ip; what `ip -d link` does with a nest internally.
 */
export function decodeAttrs<S extends AttrSetDef>(set: S, bytes: Uint8Array): SetValues<S> {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('expected a Uint8Array', 0, set.prefix);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  beginMessage(bytes, 0, bytes.length);
  return compileSet(set).decode(bytes, view, 0, bytes.length, set.prefix) as never;
}

/**
 * Encode attributes of one set as a bare chain (each attribute padded to four bytes): the inverse
 * of `decodeAttrs`, byte-exact for what it decoded. Values are checked when encoding, as
 * `encode()` checks a message's attributes (EncodeError with the attribute's path).
 *
 * Equivalent to: nothing in ip; how a request's nest is built.
 */
export function encodeAttrs(set: AttrSetDef, value: Record<string, unknown>): Uint8Array {
  const w = new Writer();
  compileSet(set).encode(w, value as never, '');
  return w.finish();
}
