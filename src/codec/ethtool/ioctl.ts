/**
 * The SIOCETHTOOL structs that netlink does not carry: struct ethtool_drvinfo (`ethtool -i`),
 * struct ethtool_sset_info, struct ethtool_gstrings and struct ethtool_stats (`ethtool -S`).
 *
 * Pure: these functions build and read the buffers the ioctl points at; src/ffi makes the call.
 * All numbers are host-endian (x86_64: little-endian), as the kernel copies the structs verbatim.
 */
import { DecodeError } from '../../errors.js';
import {
  ETH_GSTRING_LEN,
  ETHTOOL_BUSINFO_LEN,
  ETHTOOL_EROMVERS_LEN,
  ETHTOOL_FWVERS_LEN,
  ETHTOOL_GDRVINFO,
  ETHTOOL_GSSET_INFO,
  ETHTOOL_GSTATS,
  ETHTOOL_GSTRINGS,
} from '../constants/ethtool.js';

/** What `ethtool -i` prints: struct ethtool_drvinfo. */
export interface DriverInfo {
  driver: string;
  version: string;
  firmwareVersion: string;
  expansionRomVersion: string;
  busInfo: string;
  /** Number of private flags (`--show-priv-flags`). */
  nPrivFlags: number;
  /** Number of per-driver counters (`ethtool -S`). */
  nStats: number;
  /** Length of the self-test result (`ethtool -t`); 0: no self-test. */
  testinfoLen: number;
  /** Size of the EEPROM (`ethtool -e`); 0: no EEPROM access. */
  eedumpLen: number;
  /** Size of the register dump (`ethtool -d`); 0: no register dump. */
  regdumpLen: number;
}

// struct ethtool_drvinfo: cmd, driver[32], version[32], fw_version[FWVERS], bus_info[BUSINFO],
// erom_version[EROMVERS], reserved2[12], then five __u32 counts.
const DRV_STR = 32;
const DRV_DRIVER = 4;
const DRV_VERSION = DRV_DRIVER + DRV_STR;
const DRV_FW = DRV_VERSION + DRV_STR;
const DRV_BUS = DRV_FW + ETHTOOL_FWVERS_LEN;
const DRV_EROM = DRV_BUS + ETHTOOL_BUSINFO_LEN;
const DRV_COUNTS = DRV_EROM + ETHTOOL_EROMVERS_LEN + 12;
/** sizeof(struct ethtool_drvinfo). */
export const DRVINFO_SIZE = DRV_COUNTS + 5 * 4;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

const utf8 = new TextDecoder();

/** A fixed-size, NUL-padded C string (ASCII read directly; anything else through UTF-8). */
function cString(b: Uint8Array, at: number, len: number): string {
  let s = '';
  for (let i = at; i < at + len; i++) {
    const c = b[i]!;
    if (c === 0) return s;
    if (c >= 0x80) {
      let end = i;
      while (end < at + len && b[end] !== 0) end++;
      return utf8.decode(b.subarray(at, end));
    }
    s += String.fromCharCode(c);
  }
  return s;
}

function need(b: Uint8Array, size: number, what: string): void {
  if (b.length < size) throw new DecodeError(`${what}: ${b.length} bytes, need ${size}`, 0, what);
}

/** The ETHTOOL_GDRVINFO request buffer. */
export function drvinfoRequest(): Uint8Array {
  const b = new Uint8Array(DRVINFO_SIZE);
  view(b).setUint32(0, ETHTOOL_GDRVINFO, true);
  return b;
}

/** Read struct ethtool_drvinfo as the kernel filled it. */
export function decodeDrvinfo(b: Uint8Array): DriverInfo {
  need(b, DRVINFO_SIZE, 'ethtool_drvinfo');
  const v = view(b);
  return {
    driver: cString(b, DRV_DRIVER, DRV_STR),
    version: cString(b, DRV_VERSION, DRV_STR),
    firmwareVersion: cString(b, DRV_FW, ETHTOOL_FWVERS_LEN),
    expansionRomVersion: cString(b, DRV_EROM, ETHTOOL_EROMVERS_LEN),
    busInfo: cString(b, DRV_BUS, ETHTOOL_BUSINFO_LEN),
    nPrivFlags: v.getUint32(DRV_COUNTS, true),
    nStats: v.getUint32(DRV_COUNTS + 4, true),
    testinfoLen: v.getUint32(DRV_COUNTS + 8, true),
    eedumpLen: v.getUint32(DRV_COUNTS + 12, true),
    regdumpLen: v.getUint32(DRV_COUNTS + 16, true),
  };
}

// struct ethtool_sset_info: cmd, reserved, __u64 sset_mask, __u32 data[] (one per set asked for
// and supported, in bit order).
const SSET_HEADER = 16;

/** The ETHTOOL_GSSET_INFO request for one string set (ETH_SS_*). */
export function ssetInfoRequest(set: number): Uint8Array {
  if (!Number.isInteger(set) || set < 0 || set > 63) throw new RangeError(`string set ${set} out of range`);
  const b = new Uint8Array(SSET_HEADER + 4);
  const v = view(b);
  v.setUint32(0, ETHTOOL_GSSET_INFO, true);
  v.setBigUint64(8, 1n << BigInt(set), true);
  return b;
}

/** The count of string set `set` from a GSSET_INFO reply, or undefined when the device lacks it. */
export function decodeSsetInfo(b: Uint8Array, set: number): number | undefined {
  need(b, SSET_HEADER + 4, 'ethtool_sset_info');
  const v = view(b);
  const mask = v.getBigUint64(8, true);
  return mask & (1n << BigInt(set)) ? v.getUint32(SSET_HEADER, true) : undefined;
}

// struct ethtool_gstrings: cmd, string_set, len, __u8 data[len * ETH_GSTRING_LEN].
const GSTRINGS_HEADER = 12;

/**
 * The ETHTOOL_GSTRINGS request for `count` strings of set `set`, with room for `capacity`
 * strings (capacity >= count): kernels size the copy from their own, current count.
 */
export function gstringsRequest(set: number, count: number, capacity: number): Uint8Array {
  if (count < 1 || capacity < count) throw new RangeError(`gstrings: count ${count}, capacity ${capacity}`);
  const b = new Uint8Array(GSTRINGS_HEADER + capacity * ETH_GSTRING_LEN);
  const v = view(b);
  v.setUint32(0, ETHTOOL_GSTRINGS, true);
  v.setUint32(4, set, true);
  v.setUint32(8, count, true);
  return b;
}

/** The count the kernel wrote into a GSTRINGS reply (its `len`). */
export function gstringsCount(b: Uint8Array): number {
  need(b, GSTRINGS_HEADER, 'ethtool_gstrings');
  return view(b).getUint32(8, true);
}

/** The strings of a GSTRINGS reply; `count` must not exceed what the buffer holds. */
export function decodeGstrings(b: Uint8Array, count: number): string[] {
  need(b, GSTRINGS_HEADER + count * ETH_GSTRING_LEN, 'ethtool_gstrings');
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = cString(b, GSTRINGS_HEADER + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
  return out;
}

// struct ethtool_stats: cmd, n_stats, __u64 data[n_stats].
const STATS_HEADER = 8;

/**
 * The ETHTOOL_GSTATS request for `count` counters with room for `capacity`. `count` is never 0:
 * a fixed kernel reads 0 as "every counter" and writes them all.
 */
export function statsRequest(count: number, capacity: number): Uint8Array {
  if (count < 1 || capacity < count) throw new RangeError(`gstats: count ${count}, capacity ${capacity}`);
  const b = new Uint8Array(STATS_HEADER + capacity * 8);
  const v = view(b);
  v.setUint32(0, ETHTOOL_GSTATS, true);
  v.setUint32(4, count, true);
  return b;
}

/** The count the kernel wrote into a GSTATS reply (its `n_stats`). */
export function statsCount(b: Uint8Array): number {
  need(b, STATS_HEADER, 'ethtool_stats');
  return view(b).getUint32(4, true);
}

/**
 * The counters of a GSTATS reply by name (names[i] is counter i), as bigint (exact) or, with
 * `numbers`, as number (exact up to 2^53; larger values are rounded).
 */
export function decodeStats(b: Uint8Array, names: readonly string[], numbers = false): Record<string, bigint | number> {
  need(b, STATS_HEADER + names.length * 8, 'ethtool_stats');
  const v = view(b);
  const out: Record<string, bigint | number> = {};
  for (let i = 0; i < names.length; i++) {
    const at = STATS_HEADER + i * 8;
    out[names[i]!] = numbers
      ? v.getUint32(at, true) + v.getUint32(at + 4, true) * 0x1_0000_0000
      : v.getBigUint64(at, true);
  }
  return out;
}
