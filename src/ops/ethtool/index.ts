/**
 * nl.ethtool: ethtool's settings and counters for the client's namespace.
 *
 * `driver()` and `stats()` use the SIOCETHTOOL ioctl (netlink does not carry them), issued on a
 * datagram socket made inside the client's namespace on first use and closed with the client.
 * Everything else speaks the `ethtool` generic netlink family, resolved once per client.
 */
import type { FeaturesAttrs, StrsetAttrs } from '../../codec/ethtool/attrs.js';
import type { DriverInfo } from '../../codec/ethtool/ioctl.js';
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { NetlinkError, RtnlError, ValidationError } from '../../errors.js';
import { EthtoolIoctlSocket } from '../../ffi/ethtool-ioctl.js';
import { ETHTOOL_GENL_VERSION, ethtoolFamily, ethtoolRequests } from '../../codec/ethtool/messages.js';
import type { GenlMsgHdr } from '../../codec/genl/ctrl.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import { getLinkMessage } from '../common.js';
import type { OpContext } from '../context.js';
import { genlEngineOf, resolveFamilyIn, type GenlFamily } from '../genl.js';
import { check, V } from '../validate.js';
import { bitsetBits } from './bitset.js';
import {
  expandFeatureChanges,
  featureStates,
  featuresSetResult,
  type Features,
  type FeaturesSetResult,
} from './features.js';
import { type EthtoolCall, readDriverInfo, readStats, readStrings } from './ioctl.js';
import { type EthtoolEvent, type EthtoolMonitorOptions, ethtoolMonitor } from './monitor.js';
import {
  type Channels,
  type ChannelsChange,
  type Coalesce,
  type CoalesceChange,
  type Eee,
  type EeeChange,
  type Fec,
  type LinkSettings,
  type Pause,
  type PauseChange,
  type Rings,
  type RingsChange,
  type StatsGroup,
  type Tsinfo,
  channelsFrom,
  channelsTo,
  coalesceFrom,
  coalesceTo,
  eeeFrom,
  eeeTo,
  fecFrom,
  linkSettingsFrom,
  type LinkChange,
  linkTo,
  pauseFrom,
  pauseTo,
  ringsFrom,
  ringsTo,
  statsGroupsFrom,
  tsinfoFrom,
} from './settings.js';

export type { DriverInfo } from '../../codec/ethtool/ioctl.js';
export type { FeatureState, Features, FeaturesSetResult } from './features.js';
export type * from './settings.js';
export type { EthtoolEvent, EthtoolEventDevice, EthtoolMonitorOptions } from './monitor.js';

export interface StatsOptions {
  /**
   * Return counters as `number` instead of `bigint`. Counters are 64-bit; a number is exact up
   * to 2^53 (about 9 PB of bytes), beyond which it is rounded. Default: false (bigint, exact).
   */
  numbers?: boolean;
}

/**
 * The standard statistics groups by the kernel's names (ETH_SS_STATS_STD), from the generated
 * ETHTOOL_STATS_* constants: ETHTOOL_STATS_ETH_PHY is 'eth-phy', ETHTOOL_STATS_RMON 'rmon'.
 */
const statsGroupNames = (): string[] =>
  Object.values(enumOf('ETHTOOL_STATS_')).map((n) => n.toLowerCase().replaceAll('_', '-'));

/** A device: its name, or its index (resolved to the name with one RTM_GETLINK). */
export type EthtoolDevice = string | number;

/** One ethtool message: its command (ETHTOOL_MSG_*) and attributes. */
export interface EthtoolMessage {
  cmd: number;
  attrs: Record<string, any>;
}

/**
 * @internal How ethtool requests travel: one request (user-side command and attributes), its
 * replies (kernel-side commands). The client's generic netlink engine in production; fakes in
 * tests.
 */
export interface EthtoolTransport {
  request(cmd: number, attrs: Record<string, unknown>): Promise<EthtoolMessage[]>;
}

/** A getter that also has `.set()`: `nl.ethtool.rings('eth0')`, `nl.ethtool.rings.set('eth0', {...})`. */
export type GetSet<G, S, R = void> = ((dev: EthtoolDevice) => Promise<G>) & {
  set(dev: EthtoolDevice, change: S): Promise<R>;
};

/**
 * A kernel refusal said with the command and the device ('ETHTOOL_MSG_RINGS_GET on lo failed
 * with EOPNOTSUPP'): the engine can name only the family ('ethtool'), which every call shares.
 */
async function named<T>(request: Promise<T>, cmd: number, dev: EthtoolDevice): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (!(err instanceof NetlinkError)) throw err;
    const what = `${ethtoolRequests[cmd]?.name ?? `ethtool command ${cmd}`} on ${typeof dev === 'number' ? `ifindex ${dev}` : dev}`;
    throw new NetlinkError(err.errno, err.code, what, err.extack, err.attrPath);
  }
}

function getSet<G, S, R>(
  get: (dev: EthtoolDevice) => Promise<G>,
  set: (dev: EthtoolDevice, change: S) => Promise<R>,
): GetSet<G, S, R> {
  return Object.assign(get, { set });
}

/**
 * `nl.ethtool`: device settings, features and counters of the client's namespace, over
 * SIOCETHTOOL (driver info, `-S` counters) and the ethtool generic netlink family (the rest).
 *
 * Equivalent to: ethtool
 */
export class Ethtool {
  private ioctlSocket: EthtoolIoctlSocket | undefined;
  /** @internal A replacement for the SIOCETHTOOL call, for tests. */
  ioctlOverride: EthtoolCall | undefined;
  /** @internal The generic netlink transport (set by the client; tests replace it). */
  transport: EthtoolTransport | undefined;
  /** Global string sets (kernel-wide: feature names, standard counter names), by id. */
  private readonly stringSets = new Map<number, Promise<string[]>>();

  /**
   * Features and their state: `{ name: { active, requested, fixed } }` in the kernel's order;
   * `.set(dev, { name: boolean })` changes them. Names are the kernel's ('tx-checksum-ipv4') or
   * ethtool's legacy ones ('tx-checksumming', 'tx'), which stand for every feature of their
   * group. `.set` resolves with what changed and what the kernel did not apply (a fixed
   * feature, one that depends on another).
   *
   * Equivalent to: ethtool -k DEV / ethtool -K DEV FEATURE on|off ...
   */
  readonly features: GetSet<Features, Record<string, boolean>, FeaturesSetResult>;
  /**
   * Private flags of the driver, `{ name: boolean }`; `.set(dev, { name: boolean })`.
   *
   * Equivalent to: ethtool --show-priv-flags DEV / ethtool --set-priv-flags DEV FLAG on|off
   */
  readonly privateFlags: GetSet<Record<string, boolean>, Record<string, boolean>>;
  /**
   * Ring sizes (maxima `*Max` and current values); `.set(dev, { rx, tx, ... })`. Most virtual
   * devices refuse (NetlinkError EOPNOTSUPP).
   *
   * Equivalent to: ethtool -g DEV / ethtool -G DEV rx N tx N ...
   */
  readonly rings: GetSet<Rings, RingsChange>;
  /**
   * Channel counts (maxima `*Max`, current `*Count`); `.set(dev, { rxCount, txCount, ... })`.
   *
   * Equivalent to: ethtool -l DEV / ethtool -L DEV rx N tx N other N combined N
   */
  readonly channels: GetSet<Channels, ChannelsChange>;
  /**
   * Interrupt coalescing; `.set(dev, { rxUsecs, rxMaxFrames, useAdaptiveRx, ... })`. Absent
   * fields are not supported by the driver.
   *
   * Equivalent to: ethtool -c DEV / ethtool -C DEV rx-usecs N ...
   */
  readonly coalesce: GetSet<Coalesce, CoalesceChange>;
  /**
   * Pause frame settings; `.set(dev, { autoneg, rx, tx })`.
   *
   * Equivalent to: ethtool -a DEV / ethtool -A DEV autoneg on|off rx on|off tx on|off
   */
  readonly pause: GetSet<Pause, PauseChange>;
  /**
   * Energy-efficient Ethernet; `.set(dev, { enabled, txLpiEnabled, txLpiTimer })`.
   *
   * Equivalent to: ethtool --show-eee DEV / ethtool --set-eee DEV eee on|off ...
   */
  readonly eee: GetSet<Eee, EeeChange>;

  /**
   * Link settings: port, speed, duplex, autonegotiation, link modes (supported, advertised, the
   * partner's), link state, message level and Wake-on-LAN. What the driver does not report is
   * absent (`reported` lists what it did); a device that reports none raises the kernel's error. `.set(dev, { speed, duplex, autoneg })`
   * forces speed and duplex or turns autonegotiation on (tun takes it; veth refuses).
   *
   * Equivalent to: ethtool DEV / ethtool -s DEV speed N duplex full|half autoneg on|off
   */
  readonly link: GetSet<LinkSettings, LinkChange>;

  constructor(private readonly nl: OpContext) {
    this.link = getSet(
      (dev) => this.getLink(dev),
      async (dev, change) => {
        await this.set(C.ETHTOOL_MSG_LINKMODES_SET, dev, linkTo(change));
      },
    );
    this.features = getSet(
      (dev) => this.getFeatures(dev),
      (dev, change) => this.setFeatures(dev, change),
    );
    this.privateFlags = getSet(
      async (dev) => {
        const [r] = await this.get(C.ETHTOOL_MSG_PRIVFLAGS_GET, dev);
        const out: Record<string, boolean> = {};
        for (const b of bitsetBits(r?.attrs.flags)) out[b.name] = b.value;
        return out;
      },
      async (dev, change) => {
        const bit = Object.entries(change).map(([name, on]) => {
          if (typeof on !== 'boolean') throw new ValidationError(`privateFlags.${name}`, 'expected true or false', on);
          return on ? { name, value: true } : { name };
        });
        if (bit.length === 0) throw new ValidationError('privateFlags', 'no change given', change);
        await this.set(C.ETHTOOL_MSG_PRIVFLAGS_SET, dev, { flags: { bits: { bit } } });
      },
    );
    this.rings = this.simple(C.ETHTOOL_MSG_RINGS_GET, C.ETHTOOL_MSG_RINGS_SET, ringsFrom, ringsTo);
    this.channels = this.simple(C.ETHTOOL_MSG_CHANNELS_GET, C.ETHTOOL_MSG_CHANNELS_SET, channelsFrom, channelsTo);
    this.coalesce = this.simple(C.ETHTOOL_MSG_COALESCE_GET, C.ETHTOOL_MSG_COALESCE_SET, coalesceFrom, coalesceTo);
    this.pause = this.simple(C.ETHTOOL_MSG_PAUSE_GET, C.ETHTOOL_MSG_PAUSE_SET, pauseFrom, pauseTo);
    this.eee = this.simple(C.ETHTOOL_MSG_EEE_GET, C.ETHTOOL_MSG_EEE_SET, eeeFrom, eeeTo);
  }

  private simple<G, S, A>(
    getCmd: number,
    setCmd: number,
    from: (a: A) => G,
    to: (c: S) => Record<string, unknown>,
  ): GetSet<G, S> {
    return getSet(
      async (dev) => from(((await this.get(getCmd, dev))[0]?.attrs ?? {}) as A),
      async (dev, change) => {
        const attrs = to(change);
        await this.set(setCmd, dev, attrs);
      },
    );
  }

  private get call(): EthtoolCall {
    if (this.ioctlOverride) return this.ioctlOverride;
    this.ioctlSocket ??= new EthtoolIoctlSocket(this.nl.nsFd);
    const sock = this.ioctlSocket;
    return (ifname, data) => sock.call(ifname, data);
  }

  private get nlTransport(): EthtoolTransport {
    if (this.nl.engine.isClosed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    this.transport ??= this.genlTransport();
    return this.transport;
  }

  private family: Promise<GenlFamily> | undefined;

  /** @internal The ethtool family as this kernel offers it (its id, its monitor group), resolved once. */
  resolve(): Promise<GenlFamily> {
    if (this.family === undefined) {
      this.family = resolveFamilyIn(this.nl, 'ethtool', ethtoolFamily);
      this.family.catch(() => {
        this.family = undefined;
      });
    }
    return this.family;
  }

  /** Requests on the client's generic netlink engine, once the family is resolved. */
  private genlTransport(): EthtoolTransport {
    return {
      request: async (cmd, attrs) => {
        await this.resolve();
        const msg = {
          type: 'ethtool',
          header: {} as NetlinkMessage['header'],
          body: { cmd, version: ETHTOOL_GENL_VERSION },
          attrs,
        } as NetlinkMessage;
        const { replies } = await genlEngineOf(this.nl).request(msg);
        return replies.map((m) => ({ cmd: (m.body as GenlMsgHdr).cmd ?? 0, attrs: m.attrs as Record<string, any> }));
      },
    };
  }

  private async name(dev: EthtoolDevice): Promise<string> {
    if (this.nl.engine.isClosed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    const ref = check(V().linkRef, dev, 'dev');
    if (typeof ref === 'number') return ((await getLinkMessage(this.nl.engine, ref)).attrs.ifname as string) ?? '';
    return ref;
  }

  /**
   * The request header for a device: by index when given an index (no name lookup needed).
   * Names and indexes are checked as every link operation checks them (1 to 15 bytes, no '/',
   * ':', NUL or whitespace, not '.' or '..'; an index from 1 to 2^31-1), before anything is sent.
   */
  private header(dev: EthtoolDevice, flags = 0): Record<string, unknown> {
    const ref = check(V().linkRef, dev, 'dev');
    if (typeof ref === 'number') return flags ? { devIndex: ref, flags } : { devIndex: ref };
    return flags ? { devName: ref, flags } : { devName: ref };
  }

  private get(cmd: number, dev: EthtoolDevice, flags = 0, extra: Record<string, unknown> = {}) {
    return named(this.nlTransport.request(cmd, { header: this.header(dev, flags), ...extra }), cmd, dev);
  }

  private set(cmd: number, dev: EthtoolDevice, attrs: Record<string, unknown>) {
    return named(this.nlTransport.request(cmd, { header: this.header(dev), ...attrs }), cmd, dev);
  }

  /**
   * The strings of a global string set (ETH_SS_*: feature names, standard counter names), from
   * the kernel, cached per client.
   *
   * Equivalent to: ethtool --show-features name list (ETHTOOL_MSG_STRSET_GET)
   */
  strings(set: number): Promise<string[]> {
    let p = this.stringSets.get(set);
    if (p === undefined) {
      p = this.nlTransport
        .request(C.ETHTOOL_MSG_STRSET_GET, { header: {}, stringsets: { stringset: [{ id: set }] } })
        .then((replies) => {
          const a = replies[0]?.attrs as StrsetAttrs | undefined;
          const s = a?.stringsets?.stringset?.find((x) => x.id === set);
          const out: string[] = [];
          for (const e of s?.strings?.string ?? []) if (e.index !== undefined) out[e.index] = e.value ?? '';
          for (let i = 0; i < out.length; i++) out[i] ??= '';
          return out;
        });
      this.stringSets.set(set, p);
      p.catch(() => this.stringSets.delete(set));
    }
    return p;
  }

  private async getFeatures(dev: EthtoolDevice): Promise<Features> {
    const [names, replies] = await Promise.all([
      this.strings(C.ETH_SS_FEATURES),
      this.get(C.ETHTOOL_MSG_FEATURES_GET, dev, C.ETHTOOL_FLAG_COMPACT_BITSETS),
    ]);
    return featureStates((replies[0]?.attrs ?? {}) as FeaturesAttrs, names);
  }

  private async setFeatures(dev: EthtoolDevice, change: Record<string, boolean>): Promise<FeaturesSetResult> {
    if (change === null || typeof change !== 'object' || Object.keys(change).length === 0)
      throw new ValidationError('features', 'no change given', change);
    // Everything that needs no kernel answer is checked before the feature names are asked for.
    const header = this.header(dev, C.ETHTOOL_FLAG_COMPACT_BITSETS);
    for (const [name, on] of Object.entries(change))
      if (typeof on !== 'boolean') throw new ValidationError(`features.${name}`, 'expected true or false', on);
    const names = await this.strings(C.ETH_SS_FEATURES);
    const wanted = expandFeatureChanges(names, change);
    // By name, in the order given (a legacy name's features in the kernel's order), as ethtool sends them.
    const bit = Object.entries(wanted).map(([name, on]) => (on ? { name, value: true } : { name }));
    const replies = await named(
      this.nlTransport.request(C.ETHTOOL_MSG_FEATURES_SET, { header, wanted: { bits: { bit } } }),
      C.ETHTOOL_MSG_FEATURES_SET,
      dev,
    );
    const reply = replies.find((r) => r.cmd === C.ETHTOOL_MSG_FEATURES_SET_REPLY);
    return reply
      ? featuresSetResult(reply.attrs as FeaturesAttrs, names, wanted)
      : { changed: {}, notApplied: {}, diff: [] };
  }

  private async getLink(dev: EthtoolDevice): Promise<LinkSettings> {
    const settled = await Promise.allSettled(
      [
        C.ETHTOOL_MSG_LINKINFO_GET,
        C.ETHTOOL_MSG_LINKMODES_GET,
        C.ETHTOOL_MSG_LINKSTATE_GET,
        C.ETHTOOL_MSG_DEBUG_GET,
        C.ETHTOOL_MSG_WOL_GET,
      ].map((cmd) => this.get(cmd, dev)),
    );
    if (!settled.some((s) => s.status === 'fulfilled')) throw (settled[0] as PromiseRejectedResult).reason;
    // A refusal (EOPNOTSUPP: the driver lacks that part) leaves the part out; anything else is an error.
    for (const s of settled)
      if (s.status === 'rejected' && !(s.reason instanceof NetlinkError && s.reason.code === 'EOPNOTSUPP'))
        throw s.reason;
    const [info, modes, state, debug, wol] = settled.map((s) =>
      s.status === 'fulfilled' ? (s.value[0]?.attrs ?? {}) : undefined,
    ) as never[];
    return linkSettingsFrom(info, modes, state, debug, wol);
  }

  /**
   * Timestamping capabilities, transmit types and receive filters, by name, and the PTP clock.
   *
   * Equivalent to: ethtool -T DEV
   */
  async tsinfo(dev: EthtoolDevice): Promise<Tsinfo> {
    return tsinfoFrom(((await this.get(C.ETHTOOL_MSG_TSINFO_GET, dev))[0]?.attrs ?? {}) as never);
  }

  /**
   * Forward error correction: configured encodings and the active one. Virtual devices refuse
   * (NetlinkError EOPNOTSUPP).
   *
   * Equivalent to: ethtool --show-fec DEV
   */
  async fec(dev: EthtoolDevice): Promise<Fec> {
    return fecFrom(((await this.get(C.ETHTOOL_MSG_FEC_GET, dev))[0]?.attrs ?? {}) as never);
  }

  /**
   * The standard statistics groups (IEEE 802.3 PHY, MAC, MAC control; RMON; PHY device),
   * counters by the kernel's names. `groups` picks some by the kernel's names ('eth-phy',
   * 'eth-mac', 'eth-ctrl', 'rmon', 'phydev'); default all. A driver without a group answers it
   * empty.
   *
   * Equivalent to: ethtool -S DEV --all-groups / --groups eth-phy ...
   */
  async statsGroups(dev: EthtoolDevice, groups?: readonly string[]): Promise<StatsGroup[]> {
    // The groups by the kernel's own names (ETH_SS_STATS_STD: eth-phy, eth-mac, eth-ctrl, rmon, ...).
    const header = this.header(dev);
    if (groups !== undefined) {
      if (!Array.isArray(groups)) throw new ValidationError('groups', 'expected a list of group names', groups);
      const known = statsGroupNames();
      for (const [i, g] of groups.entries()) {
        if (typeof g !== 'string' || g === '') throw new ValidationError(`groups.${i}`, 'expected a group name', g);
        // Refused before any request: the kernel's names are the ETHTOOL_STATS_* constants'.
        if (!known.includes(g))
          throw new ValidationError(`groups.${i}`, `unknown group (known: ${known.join(', ')})`, g);
      }
    }
    const std = (await this.strings(C.ETH_SS_STATS_STD)).filter((n) => n);
    const want = groups ?? std;
    for (const g of want)
      if (!std.includes(g)) throw new ValidationError('groups', `unknown group (known: ${std.join(', ')})`, g);
    const replies = await named(
      this.nlTransport.request(C.ETHTOOL_MSG_STATS_GET, {
        header,
        groups: { nomask: true, bits: { bit: want.map((name) => ({ name })) } },
      }),
      C.ETHTOOL_MSG_STATS_GET,
      dev,
    );
    const a = (replies[0]?.attrs ?? {}) as never as Parameters<typeof statsGroupsFrom>[0];
    const tables = new Map<number, string[]>();
    for (const g of a.grp ?? []) if (g.ssId !== undefined) tables.set(g.ssId, await this.strings(g.ssId));
    return statsGroupsFrom(a, (id) => tables.get(id), std);
  }

  /**
   * Driver information: driver name, version, firmware and expansion ROM versions, bus address,
   * and how many counters, private flags, self-test results, EEPROM and register bytes it has.
   * A device without a driver callback (lo) raises SysError EOPNOTSUPP.
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
    if (options === null || typeof options !== 'object')
      throw new ValidationError('options', 'expected an object like { numbers: true }', options);
    for (const [k, v] of Object.entries(options)) {
      if (k !== 'numbers') throw new ValidationError(`options.${k}`, 'unknown option (known: numbers)', v);
      if (v !== undefined && typeof v !== 'boolean')
        throw new ValidationError('options.numbers', 'expected true or false', v);
    }
    return readStats(this.call, await this.name(dev), options.numbers === true);
  }

  /**
   * The names of one string set (ETH_SS_*) of a device, through the ioctl.
   *
   * Equivalent to: the name lists of ethtool -S / --show-priv-flags (ETHTOOL_GSTRINGS)
   */
  async stringSet(dev: EthtoolDevice, set: number): Promise<string[]> {
    return readStrings(this.call, await this.name(dev), set);
  }

  /**
   * Watch ethtool notifications: the kernel announces every change of features, channels,
   * rings, coalescing, pause, EEE, FEC, private flags, link settings and more, made by anyone.
   * Events are typed (`{ type: 'channels', dev: { ifindex, ifname }, channels }`); kinds rtnl
   * does not type arrive as `{ type: 'other', name, attrs }`. If the kernel drops notifications,
   * an `overflow` event says so. Ends when the signal aborts or the loop breaks.
   *
   * Equivalent to: ethtool --monitor
   */
  monitor(options: EthtoolMonitorOptions = {}): AsyncIterable<EthtoolEvent> {
    if (this.nl.engine.isClosed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    return ethtoolMonitor(
      this.nl,
      () => this.resolve(),
      (set) => this.strings(set),
      options,
    );
  }

  /** @internal Release the ioctl socket. */
  close(): void {
    this.ioctlSocket?.close();
    this.ioctlSocket = undefined;
  }
}
