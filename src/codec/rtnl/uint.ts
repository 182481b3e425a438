/**
 * YNL's `uint`: an unsigned integer the kernel sends as 4 bytes when it fits (nla_put_uint) and as
 * 8 bytes otherwise. 4 bytes decode as a number, 8 as a bigint; encoding keeps that width, so a
 * reply re-encodes byte-exact. Any other length is kept as its bytes.
 */
import { EncodeError } from '../../errors.js';
import { custom } from '../schema.js';

export const uint = custom<number | bigint | Uint8Array>({
  name: 'uint',
  decode: (buf, view, at, len) =>
    len === 4 ? view.getUint32(at, true) : len === 8 ? view.getBigUint64(at, true) : buf.slice(at, at + len),
  encode: (w, v, path) => {
    if (v instanceof Uint8Array) return w.bytes(v);
    if (typeof v === 'bigint') {
      if (v < 0n || v > 0xffffffffffffffffn) throw new EncodeError('expected an unsigned 64-bit integer', path);
      return w.u64(v);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new EncodeError('expected a u32 number or a u64 bigint', path);
    }
    w.u32(v);
  },
});
