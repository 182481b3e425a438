/**
 * The ioctl half of ethtool: driver information (`ethtool -i`) and the per-driver counters
 * (`ethtool -S`), which netlink does not carry.
 *
 * The buffer rules are safety rules, since the kernel writes into memory we hand it:
 * - every buffer is sized from ETHTOOL_GSSET_INFO, never guessed;
 * - a count of 0 is never passed (a fixed kernel reads 0 as "all counters" and writes them all);
 * - kernels before a December 2025 fix size the copy from their own, current count rather than
 *   ours, so every buffer has headroom (at least as many spare entries as asked for, and 64);
 * - when the count the kernel reports back differs from the one we asked with, the set changed
 *   between the calls (a driver's queue count changed, say): names and values may no longer
 *   line up, so the whole read starts again, a bounded number of times.
 */
import { ETH_SS_STATS } from '../../codec/constants/ethtool.js';
import {
  decodeDrvinfo,
  decodeGstrings,
  decodeSsetInfo,
  decodeStats,
  type DriverInfo,
  drvinfoRequest,
  gstringsCount,
  gstringsRequest,
  ssetInfoRequest,
  statsCount,
  statsRequest,
} from '../../codec/ethtool/ioctl.js';
import { EOPNOTSUPP } from '../../errno.js';
import { RtnlError, SysError } from '../../errors.js';
import { errnoName } from '../../ffi/libc.js';

/**
 * @internal One SIOCETHTOOL call: the device name and the ethtool struct, modified in place.
 * Returns 0 or -errno. The real one is EthtoolIoctlSocket.call; tests pass fakes.
 */
export type EthtoolCall = (ifname: string, data: Uint8Array) => number;

/** How many times a read starts again when the kernel's count moves under it. */
export const MAX_ATTEMPTS = 5;

/** Spare entries beyond the count asked for: kernels before the fix may write their own count. */
export const headroom = (count: number): number => Math.max(64, count);

/** The counters, by name: bigint (exact, the default) or number (exact up to 2^53). */
export type EthtoolStats<N extends boolean = false> = Record<string, N extends true ? number : bigint>;

function invoke(call: EthtoolCall, ifname: string, data: Uint8Array, what: string): void {
  const r = call(ifname, data);
  if (r < 0) throw new SysError('ioctl', -r, errnoName(-r), `SIOCETHTOOL ${what} on ${ifname}`);
}

/** @internal ETHTOOL_GDRVINFO. */
export function readDriverInfo(call: EthtoolCall, ifname: string): DriverInfo {
  const b = drvinfoRequest();
  invoke(call, ifname, b, 'ETHTOOL_GDRVINFO');
  return decodeDrvinfo(b);
}

/** More entries than any driver has (the largest have tens of thousands): a count past it is refused. */
export const MAX_COUNT = 1 << 20;

/** @internal The size of string set `set` (ETH_SS_*), or undefined when the device has none. */
export function readSetCount(call: EthtoolCall, ifname: string, set: number): number | undefined {
  const b = ssetInfoRequest(set);
  invoke(call, ifname, b, 'ETHTOOL_GSSET_INFO');
  const n = decodeSsetInfo(b, set);
  if (n !== undefined && n > MAX_COUNT)
    throw new RtnlError(`${ifname}: the driver reports ${n} entries in string set ${set}`, 'ERR_RTNL_PROTOCOL');
  return n;
}

/** Thrown (code 'EAGAIN') when the count kept changing for MAX_ATTEMPTS reads. */
function unstable(ifname: string): RtnlError {
  return new RtnlError(`${ifname}: the number of ethtool counters kept changing (${MAX_ATTEMPTS} attempts)`, 'EAGAIN');
}

/** @internal ETHTOOL_GSTRINGS for one string set, sized from GSSET_INFO. */
export function readStrings(call: EthtoolCall, ifname: string, set: number): string[] {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const count = readSetCount(call, ifname, set);
    if (count === undefined) throw new SysError('ioctl', EOPNOTSUPP, 'EOPNOTSUPP', `string set ${set} on ${ifname}`);
    if (count === 0) return [];
    const b = gstringsRequest(set, count, count + headroom(count));
    invoke(call, ifname, b, 'ETHTOOL_GSTRINGS');
    if (gstringsCount(b) === count) return decodeGstrings(b, count);
  }
  throw unstable(ifname);
}

/**
 * @internal The per-driver counters (ETH_SS_STATS names with ETHTOOL_GSTATS values). A device
 * without them (lo, a bridge) raises SysError EOPNOTSUPP.
 */
export function readStats(call: EthtoolCall, ifname: string, numbers = false): Record<string, bigint | number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const count = readSetCount(call, ifname, ETH_SS_STATS);
    if (count === undefined)
      throw new SysError('ioctl', EOPNOTSUPP, 'EOPNOTSUPP', `no per-driver statistics on ${ifname}`);
    if (count === 0) return {};
    const capacity = count + headroom(count);
    const names = gstringsRequest(ETH_SS_STATS, count, capacity);
    invoke(call, ifname, names, 'ETHTOOL_GSTRINGS');
    if (gstringsCount(names) !== count) continue;
    const values = statsRequest(count, capacity);
    invoke(call, ifname, values, 'ETHTOOL_GSTATS');
    if (statsCount(values) !== count) continue;
    return decodeStats(values, decodeGstrings(names, count), numbers);
  }
  throw unstable(ifname);
}
