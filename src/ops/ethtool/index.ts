/**
 * nl.ethtool: ethtool's settings and counters for the client's namespace.
 *
 * `driver()` and `stats()` use the SIOCETHTOOL ioctl (netlink does not carry them), issued on a
 * datagram socket made inside the client's namespace on first use and closed with the client.
 */
import type { DriverInfo } from '../../codec/ethtool/ioctl.js';
import { RtnlError, ValidationError } from '../../errors.js';
import { EthtoolIoctlSocket } from '../../ffi/ethtool-ioctl.js';
import type { Rtnl } from '../client.js';
import { type EthtoolCall, readDriverInfo, readStats, readStrings } from './ioctl.js';

export type { DriverInfo } from '../../codec/ethtool/ioctl.js';

export interface StatsOptions {
  /**
   * Return counters as `number` instead of `bigint`. Counters are 64-bit; a number is exact up
   * to 2^53 (about 9 PB of bytes), beyond which it is rounded. Default: false (bigint, exact).
   */
  numbers?: boolean;
}

/** A device: its name, or its index (resolved to the name with one RTM_GETLINK). */
export type EthtoolDevice = string | number;

const NAME_RE = /^[^\s/]{1,15}$/;

export class Ethtool {
  private ioctlSocket: EthtoolIoctlSocket | undefined;
  /** @internal A replacement for the SIOCETHTOOL call, for tests. */
  ioctlOverride: EthtoolCall | undefined;

  constructor(private readonly nl: Rtnl) {}

  private get call(): EthtoolCall {
    if (this.ioctlOverride) return this.ioctlOverride;
    this.ioctlSocket ??= new EthtoolIoctlSocket(this.nl.nsFd);
    const sock = this.ioctlSocket;
    return (ifname, data) => sock.call(ifname, data);
  }

  private async name(dev: EthtoolDevice): Promise<string> {
    if (this.nl.closed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    if (typeof dev === 'number') return (await this.nl.links.get(dev)).name;
    if (typeof dev !== 'string' || !NAME_RE.test(dev))
      throw new ValidationError('dev', 'an interface name (1 to 15 bytes, no "/" or whitespace) or index', dev);
    return dev;
  }

  /**
   * Driver information: driver name, version, firmware and expansion ROM versions, bus address,
   * and how many counters, private flags, self-test results, EEPROM and register bytes it has.
   * A device without a driver callback (lo, most virtual devices but veth and tun) raises
   * SysError EOPNOTSUPP.
   *
   * Equivalent to: ethtool -i DEV
   */
  async driver(dev: EthtoolDevice): Promise<DriverInfo> {
    return readDriverInfo(this.call, await this.name(dev));
  }

  /**
   * The per-driver counters, `{ name: value }` in the driver's order. Values are bigint (64-bit,
   * exact); with `{ numbers: true }`, numbers (exact up to 2^53). A device without per-driver
   * counters (lo, a bridge) raises SysError EOPNOTSUPP; `ethtool` prints "no stats available".
   * If the driver's counter set changes while it is read (a queue count changed), the read
   * starts again.
   *
   * Equivalent to: ethtool -S DEV
   */
  async stats(dev: EthtoolDevice, options?: StatsOptions & { numbers?: false }): Promise<Record<string, bigint>>;
  async stats(dev: EthtoolDevice, options: StatsOptions & { numbers: true }): Promise<Record<string, number>>;
  async stats(dev: EthtoolDevice, options: StatsOptions = {}): Promise<Record<string, bigint | number>> {
    return readStats(this.call, await this.name(dev), options.numbers === true);
  }

  /**
   * The names of one string set (ETH_SS_*) of a device, through the ioctl.
   *
   * Equivalent to: ethtool --show-features / -S name lists (ETHTOOL_GSTRINGS)
   */
  async stringSet(dev: EthtoolDevice, set: number): Promise<string[]> {
    return readStrings(this.call, await this.name(dev), set);
  }

  /** @internal Release the ioctl socket. */
  close(): void {
    this.ioctlSocket?.close();
    this.ioctlSocket = undefined;
  }
}
