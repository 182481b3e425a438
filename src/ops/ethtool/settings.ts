/**
 * The typed values of the ethtool netlink settings (what nl.ethtool.* returns and accepts), and
 * their conversion from and to the attribute sets. Pure: requests are built here as attribute
 * objects, the transport encodes and sends them.
 */
import type {
  ChannelsAttrs,
  CoalesceAttrs,
  DebugAttrs,
  WolAttrs,
  EeeAttrs,
  FecAttrs,
  LinkinfoAttrs,
  LinkmodesAttrs,
  LinkstateAttrs,
  PauseAttrs,
  RingsAttrs,
  StatsAttrs,
  TsinfoAttrs,
} from '../../codec/ethtool/attrs.js';
import * as C from '../../codec/constants/index.js';
import { ValidationError } from '../../errors.js';
import { bitsetBits, bitsetNames } from './bitset.js';

type NoHeader<T> = Omit<T, 'header' | '$unknown'>;

/** Ring sizes (`ethtool -g`): absent fields are not supported by the driver. */
export type Rings = Omit<NoHeader<RingsAttrs>, 'txPush' | 'rxPush'> & { txPush?: boolean; rxPush?: boolean };
/** Ring changes (`ethtool -G`). */
export type RingsChange = Partial<
  Pick<Rings, 'rx' | 'rxMini' | 'rxJumbo' | 'tx' | 'rxBufLen' | 'cqeSize' | 'txPush' | 'rxPush' | 'tcpDataSplit'>
>;

/** Channel counts (`ethtool -l`): `*Max` the maxima, `*Count` the current counts. */
export type Channels = NoHeader<ChannelsAttrs>;
/** Channel changes (`ethtool -L`). */
export type ChannelsChange = Partial<Pick<Channels, 'rxCount' | 'txCount' | 'otherCount' | 'combinedCount'>>;

const COALESCE_BOOLS = ['useAdaptiveRx', 'useAdaptiveTx', 'useCqeModeRx', 'useCqeModeTx'] as const;
type CoalesceBool = (typeof COALESCE_BOOLS)[number];
/** Interrupt coalescing (`ethtool -c`); the use* switches as booleans. */
export type Coalesce = Omit<NoHeader<CoalesceAttrs>, CoalesceBool | 'rxProfile' | 'txProfile'> & {
  [K in CoalesceBool]?: boolean;
} & Pick<CoalesceAttrs, 'rxProfile' | 'txProfile'>;
/** Coalescing changes (`ethtool -C`). */
export type CoalesceChange = Partial<Omit<Coalesce, 'rxProfile' | 'txProfile'>>;

/** Pause frames (`ethtool -a`). */
export interface Pause {
  autoneg?: boolean;
  rx?: boolean;
  tx?: boolean;
  /** With { stats: true }: frames sent and received (ETHTOOL_A_PAUSE_STAT_*). */
  stats?: { txFrames?: bigint; rxFrames?: bigint };
}
export type PauseChange = Partial<Pick<Pause, 'autoneg' | 'rx' | 'tx'>>;

/** Energy-efficient Ethernet (`ethtool --show-eee`); link modes by name. */
export interface Eee {
  active?: boolean;
  enabled?: boolean;
  txLpiEnabled?: boolean;
  txLpiTimer?: number;
  /** Modes the device supports (the mask of the kernel's `modes-ours`). */
  supported: string[];
  /** Modes it advertises (the values of `modes-ours`). */
  advertised: string[];
  /** Modes the link partner advertises. */
  peer: string[];
}
export type EeeChange = Partial<Pick<Eee, 'enabled' | 'txLpiEnabled' | 'txLpiTimer'>>;

/** Forward error correction (`ethtool --show-fec`). */
export interface Fec {
  /** Configured encodings as ethtool names them: 'None', 'RS', 'BaseR', 'LLRS', plus 'Auto'. */
  configured: string[];
  /** The active encoding, or undefined. */
  active?: string;
  auto?: boolean;
}

/** Timestamping capabilities (`ethtool -T`). */
export interface Tsinfo {
  /** SOF_TIMESTAMPING_* capabilities by name ('software-transmit', ...). */
  timestamping: string[];
  /** Hardware transmit timestamp modes by name. */
  txTypes: string[];
  /** Hardware receive filter modes by name. */
  rxFilters: string[];
  /** The PTP hardware clock index, if any. */
  phcIndex?: number;
}

/** Link settings (plain `ethtool DEV`): link info, link modes and link state together. */
export interface LinkSettings {
  port?: number;
  phyaddr?: number;
  transceiver?: number;
  tpMdix?: number;
  tpMdixCtrl?: number;
  autoneg?: boolean;
  /** Mb/s; undefined when unknown (the kernel's SPEED_UNKNOWN). */
  speed?: number;
  duplex?: 'half' | 'full' | 'unknown';
  lanes?: number;
  /** Link modes the device supports, by name ('10000baseT/Full', ...). */
  supported: string[];
  /** Link modes it advertises. */
  advertised: string[];
  /** Link modes the partner advertises. */
  peer: string[];
  /** Whether the link is up (the kernel's link state). */
  link?: boolean;
  sqi?: number;
  sqiMax?: number;
  extState?: number;
  extSubstate?: number;
  linkDownEvents?: number;
  /** The driver's message level (NETIF_MSG_* bits) and their names, when it has one. */
  msglevel?: number;
  msglevelNames?: string[];
  /** Wake-on-LAN modes the device supports and those enabled, by the kernel's names. */
  wolSupported?: string[];
  wolEnabled?: string[];
  /** Which of the kernel's answers this came from (a device may answer some and refuse others). */
  reported: Array<'info' | 'modes' | 'state' | 'debug' | 'wol'>;
}

const bool = (v: number | undefined) => (v === undefined ? undefined : v !== 0);
const u8 = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);
const strip = <T extends Record<string, unknown>>(o: T): T => {
  const out = { ...o };
  delete out.header;
  delete out.$unknown;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
};

export const ringsFrom = (a: RingsAttrs): Rings =>
  strip({ ...a, txPush: bool(a.txPush), rxPush: bool(a.rxPush) }) as Rings;
export const ringsTo = (c: RingsChange): Partial<RingsAttrs> =>
  strip({ ...check(c, RINGS_KEYS, 'rings', ['txPush', 'rxPush']), txPush: u8(c.txPush), rxPush: u8(c.rxPush) });

export const channelsFrom = (a: ChannelsAttrs): Channels => strip({ ...a }) as Channels;
export const channelsTo = (c: ChannelsChange): Partial<ChannelsAttrs> =>
  strip({ ...check(c, CHANNELS_KEYS, 'channels') });

export function coalesceFrom(a: CoalesceAttrs): Coalesce {
  const out: Record<string, unknown> = { ...a };
  for (const k of COALESCE_BOOLS) out[k] = bool(a[k]);
  return strip(out) as Coalesce;
}
export function coalesceTo(c: CoalesceChange): Partial<CoalesceAttrs> {
  const out: Record<string, unknown> = { ...check(c, COALESCE_KEYS, 'coalesce', COALESCE_BOOLS) };
  for (const k of COALESCE_BOOLS) out[k] = u8(c[k]);
  return strip(out) as Partial<CoalesceAttrs>;
}

export function pauseFrom(a: PauseAttrs): Pause {
  const out: Pause = strip({ autoneg: bool(a.autoneg), rx: bool(a.rx), tx: bool(a.tx) });
  if (a.stats) out.stats = strip({ txFrames: a.stats.txFrames, rxFrames: a.stats.rxFrames });
  return out;
}
export const pauseTo = (c: PauseChange): Partial<PauseAttrs> => {
  check(c, ['autoneg', 'rx', 'tx'], 'pause', ['autoneg', 'rx', 'tx']);
  return strip({ autoneg: u8(c.autoneg), rx: u8(c.rx), tx: u8(c.tx) });
};

export function eeeFrom(a: EeeAttrs): Eee {
  const ours = bitsetBits(a.modesOurs);
  return {
    ...strip({
      active: bool(a.active),
      enabled: bool(a.enabled),
      txLpiEnabled: bool(a.txLpiEnabled),
      txLpiTimer: a.txLpiTimer,
    }),
    supported: ours.map((b) => b.name),
    advertised: ours.filter((b) => b.value).map((b) => b.name),
    peer: bitsetNames(a.modesPeer),
  };
}
export const eeeTo = (c: EeeChange): Partial<EeeAttrs> => {
  check(c, ['enabled', 'txLpiEnabled', 'txLpiTimer'], 'eee', ['enabled', 'txLpiEnabled']);
  return strip({ enabled: u8(c.enabled), txLpiEnabled: u8(c.txLpiEnabled), txLpiTimer: c.txLpiTimer });
};

/** ethtool's names for the FEC link mode bits. */
const FEC_NAMES: Record<number, string> = {
  [C.ETHTOOL_LINK_MODE_FEC_NONE_BIT]: 'None',
  [C.ETHTOOL_LINK_MODE_FEC_RS_BIT]: 'RS',
  [C.ETHTOOL_LINK_MODE_FEC_BASER_BIT]: 'BaseR',
  [C.ETHTOOL_LINK_MODE_FEC_LLRS_BIT]: 'LLRS',
};
export function fecFrom(a: FecAttrs): Fec {
  const configured = bitsetBits(a.modes)
    .filter((b) => b.value)
    .map((b) => FEC_NAMES[b.index] ?? b.name);
  if (a.auto) configured.unshift('Auto');
  const out: Fec = { configured };
  if (a.active !== undefined) out.active = FEC_NAMES[a.active] ?? `bit ${a.active}`;
  if (a.auto !== undefined) out.auto = a.auto !== 0;
  return out;
}

export function tsinfoFrom(a: TsinfoAttrs): Tsinfo {
  const out: Tsinfo = {
    timestamping: bitsetNames(a.timestamping),
    txTypes: bitsetNames(a.txTypes),
    rxFilters: bitsetNames(a.rxFilters),
  };
  if (a.phcIndex !== undefined) out.phcIndex = a.phcIndex;
  return out;
}

const SPEED_UNKNOWN = 0xffffffff;
export function linkSettingsFrom(
  info: LinkinfoAttrs | undefined,
  modes: LinkmodesAttrs | undefined,
  state: LinkstateAttrs | undefined,
  debug?: DebugAttrs,
  wol?: WolAttrs,
): LinkSettings {
  const m = modes ?? {};
  const ours = bitsetBits(m.ours);
  const duplex: LinkSettings['duplex'] =
    m.duplex === undefined
      ? undefined
      : m.duplex === C.DUPLEX_FULL
        ? 'full'
        : m.duplex === C.DUPLEX_HALF
          ? 'half'
          : 'unknown';
  const out: LinkSettings = {
    ...strip({
      port: info?.port,
      phyaddr: info?.phyaddr,
      transceiver: info?.transceiver,
      tpMdix: info?.tpMdix,
      tpMdixCtrl: info?.tpMdixCtrl,
      autoneg: bool(m.autoneg),
      speed: m.speed === undefined || m.speed === SPEED_UNKNOWN ? undefined : m.speed,
      duplex,
      lanes: m.lanes,
      link: bool(state?.link),
      sqi: state?.sqi,
      sqiMax: state?.sqiMax,
      extState: state?.extState,
      extSubstate: state?.extSubstate,
      linkDownEvents: state?.extDownCnt,
    }),
    supported: ours.map((b) => b.name),
    advertised: ours.filter((b) => b.value).map((b) => b.name),
    peer: bitsetNames(m.peer),
    reported: [],
  };
  if (debug) {
    const bits = bitsetBits(debug.msgmask).filter((b) => b.value);
    out.msglevel = bits.reduce((n, b) => (n | (1 << b.index)) >>> 0, 0);
    out.msglevelNames = bits.map((b) => b.name);
  }
  if (wol) {
    const bits = bitsetBits(wol.modes);
    out.wolSupported = bits.map((b) => b.name);
    out.wolEnabled = bits.filter((b) => b.value).map((b) => b.name);
  }
  if (info) out.reported.push('info');
  if (modes) out.reported.push('modes');
  if (state) out.reported.push('state');
  if (debug) out.reported.push('debug');
  if (wol) out.reported.push('wol');
  return out;
}

/** Link setting changes (`ethtool -s`): forced speed and duplex, or autonegotiation. */
export interface LinkChange {
  /** Mb/s. */
  speed?: number;
  duplex?: 'half' | 'full';
  autoneg?: boolean;
  lanes?: number;
}

/** LINKMODES_SET attributes, in the order ethtool sends them. */
export function linkTo(c: LinkChange): Record<string, unknown> {
  check(c as Record<string, unknown>, ['speed', 'duplex', 'autoneg', 'lanes'], 'link', ['autoneg']);
  if (c.duplex !== undefined && c.duplex !== 'half' && c.duplex !== 'full')
    throw new ValidationError('link.duplex', "expected 'half' or 'full'", c.duplex);
  return strip({
    speed: c.speed,
    duplex: c.duplex === undefined ? undefined : c.duplex === 'full' ? C.DUPLEX_FULL : C.DUPLEX_HALF,
    autoneg: u8(c.autoneg),
    lanes: c.lanes,
  });
}

/** A standard statistics group (ETHTOOL_MSG_STATS_GET), counters by the kernel's names. */
export interface StatsGroup {
  /** The kernel's name of the group ('eth-phy', 'eth-mac', 'eth-ctrl', 'rmon', 'phydev'). */
  group: string;
  /** Counter values by name (from the group's string set), bigint. */
  counters: Record<string, bigint>;
  /** RMON histograms: [low, high] byte ranges with their counts. */
  histRx?: Array<{ low: number; high: number; value: bigint }>;
  histTx?: Array<{ low: number; high: number; value: bigint }>;
}

/** Read a STATS_GET reply; `names(ssId)` gives a group's counter names (from its string set). */
export function statsGroupsFrom(
  a: StatsAttrs,
  names: (ssId: number) => readonly string[] | undefined,
  groupNames: readonly string[] = [],
): StatsGroup[] {
  const out: StatsGroup[] = [];
  for (const g of a.grp ?? []) {
    const label = (g.id !== undefined ? groupNames[g.id] : undefined) || String(g.id);
    const table = g.ssId === undefined ? undefined : names(g.ssId);
    const counters: Record<string, bigint> = {};
    for (const s of g.stat ?? []) {
      if ('$raw' in s) continue;
      counters[table?.[s.id] ?? `stat ${s.id}`] = s.value;
    }
    const group: StatsGroup = { group: label, counters };
    const hist = (h: typeof g.histRx) =>
      (h ?? []).map((b) => ({ low: b.histBktLow ?? 0, high: b.histBktHi ?? 0, value: b.histVal ?? 0n }));
    if (g.histRx) group.histRx = hist(g.histRx);
    if (g.histTx) group.histTx = hist(g.histTx);
    out.push(group);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation of changes: known keys, integer ranges

const RINGS_KEYS = ['rx', 'rxMini', 'rxJumbo', 'tx', 'rxBufLen', 'cqeSize', 'txPush', 'rxPush', 'tcpDataSplit'];
const CHANNELS_KEYS = ['rxCount', 'txCount', 'otherCount', 'combinedCount'];
const COALESCE_KEYS = [
  'rxUsecs',
  'rxMaxFrames',
  'rxUsecsIrq',
  'rxMaxFramesIrq',
  'txUsecs',
  'txMaxFrames',
  'txUsecsIrq',
  'txMaxFramesIrq',
  'statsBlockUsecs',
  'useAdaptiveRx',
  'useAdaptiveTx',
  'pktRateLow',
  'rxUsecsLow',
  'rxMaxFramesLow',
  'txUsecsLow',
  'txMaxFramesLow',
  'pktRateHigh',
  'rxUsecsHigh',
  'rxMaxFramesHigh',
  'txUsecsHigh',
  'txMaxFramesHigh',
  'rateSampleInterval',
  'useCqeModeTx',
  'useCqeModeRx',
  'txAggrMaxBytes',
  'txAggrMaxFrames',
  'txAggrTimeUsecs',
];

/** Unknown keys, non-integers and out-of-range numbers are ValidationErrors naming the field. */
function check<T extends object>(c: T, keys: readonly string[], what: string, bools: readonly string[] = []): T {
  if (c === null || typeof c !== 'object') throw new ValidationError(what, 'expected an object of changes', c);
  const entries = Object.entries(c).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new ValidationError(what, 'no change given', c);
  for (const [k, v] of entries) {
    if (!keys.includes(k)) throw new ValidationError(`${what}.${k}`, `unknown setting (known: ${keys.join(', ')})`, v);
    // A boolean setting takes only true or false; a number setting never takes a boolean.
    if (bools.includes(k)) {
      if (typeof v !== 'boolean') throw new ValidationError(`${what}.${k}`, 'expected true or false', v);
      continue;
    }
    const max = k === 'tcpDataSplit' ? 0xff : 0xffffffff;
    if (k === 'duplex' && typeof v === 'string') continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
      throw new ValidationError(`${what}.${k}`, `expected an integer 0..${max}`, v);
  }
  return c;
}
