/**
 * ethtool bitsets (ETHTOOL_A_BITSET_*), both forms the kernel sends:
 * - compact: `size` bits as `value` (and `mask`) arrays of 32-bit host-endian words, named by a
 *   string set fetched separately (ETHTOOL_MSG_STRSET_GET);
 * - verbose: a list of bits, each with its index and name, and the `value` flag when it is set;
 *   with `nomask` the list holds only the set bits, otherwise every bit of the mask.
 */
import type { Bitset } from '../../codec/ethtool/attrs.js';

export interface BitInfo {
  index: number;
  /** The bit's name: inline (verbose form) or from `names` (compact form); '' if unknown. */
  name: string;
  value: boolean;
}

function wordBit(bytes: Uint8Array | undefined, i: number): boolean {
  if (bytes === undefined || i >> 3 >= bytes.length) return false;
  const w = i >> 5;
  if (w * 4 + 4 > bytes.length) return (((bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;
  const word = new DataView(bytes.buffer, bytes.byteOffset + w * 4, 4).getUint32(0, true);
  return ((word >>> (i & 31)) & 1) === 1;
}

/**
 * The bits of a bitset, in index order: every bit of the mask (all `size` bits when there is no
 * mask, for a compact `nomask` set; only the listed bits for a verbose one).
 */
export function bitsetBits(bs: Bitset | undefined, names?: readonly string[]): BitInfo[] {
  if (bs === undefined) return [];
  if (bs.value !== undefined || (bs.bits === undefined && bs.size !== undefined)) {
    const size = bs.size ?? 0;
    const out: BitInfo[] = [];
    for (let i = 0; i < size; i++) {
      if (bs.mask !== undefined && !wordBit(bs.mask, i)) continue;
      out.push({ index: i, name: names?.[i] ?? '', value: wordBit(bs.value, i) });
    }
    return out;
  }
  const list = bs.bits?.bit ?? [];
  return list
    .map((b, k) => ({
      index: b.index ?? k,
      name: b.name ?? names?.[b.index ?? -1] ?? '',
      value: bs.nomask === true ? true : b.value === true,
    }))
    .sort((a, b) => a.index - b.index);
}

/** The names of the set bits of a bitset (unnamed bits as `bit N`), in index order. */
export function bitsetNames(bs: Bitset | undefined, names?: readonly string[]): string[] {
  return bitsetBits(bs, names)
    .filter((b) => b.value)
    .map((b) => b.name || `bit ${b.index}`);
}

/** Value of bit `i` of a bitset in either form. */
export function bitsetHas(bs: Bitset | undefined, i: number): boolean {
  if (bs === undefined) return false;
  if (bs.value !== undefined) return wordBit(bs.value, i);
  return bitsetBits(bs).some((b) => b.index === i && b.value);
}
