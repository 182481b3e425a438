/**
 * ethtool generic netlink attribute sets (ETHTOOL_A_*), from the kernel's newer headers
 * (ethtool_netlink_generated.h): header, bitsets, string sets, link info/modes/state, debug,
 * wol, features, private flags, rings, channels, coalesce, pause, EEE, timestamping, FEC and
 * the standard statistics groups.
 *
 * Every nest the kernel and ethtool send carries NLA_F_NESTED, so these do too.
 */
import { DecodeError, EncodeError } from '../../errors.js';
import * as C from '../constants/index.js';
import { attrs, custom, multi, nest, type AttrSetDef, type NestDef, type SetValues } from '../schema.js';

const N = { nestedFlag: true } as const;
/** A nest with NLA_F_NESTED, as ethtool sends and the kernel replies. */
const nested = <const T extends AttrSetDef>(num: number, set: T) => [num, nest(set) as NestDef<T['spec']>, N] as const;
const nestedMulti = <const T extends AttrSetDef>(num: number, set: T) =>
  [num, multi(nest(set) as NestDef<T['spec']>), N] as const;

/**
 * YNL's `uint`: a u32 or a u64, whichever the value needs. Decoded as a number when 4 bytes
 * came, a bigint when 8 came; encoded as 4 bytes for a number, 8 for a bigint.
 */
export const uint = custom<number | bigint>({
  name: 'uint',
  decode(_buf, view, at, len, path) {
    if (len === 4) return view.getUint32(at, true);
    if (len === 8) return view.getBigUint64(at, true);
    throw new DecodeError(`uint of ${len} bytes`, at, path);
  },
  encode(w, v, path) {
    if (typeof v === 'bigint') {
      if (v < 0n || v >= 1n << 64n) throw new EncodeError('uint out of range', path);
      w.u64(v);
    } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) w.u32(v);
    else throw new EncodeError(`expected a u32 number or a u64 bigint, got ${String(v)}`, path);
  },
});

export const headerAttrs = attrs('ETHTOOL_A_HEADER', {
  devIndex: [C.ETHTOOL_A_HEADER_DEV_INDEX, 'u32'],
  devName: [C.ETHTOOL_A_HEADER_DEV_NAME, 'string', { max: 15 }],
  flags: [C.ETHTOOL_A_HEADER_FLAGS, 'u32'],
  phyIndex: [C.ETHTOOL_A_HEADER_PHY_INDEX, 'u32'],
});
export type EthtoolHeader = SetValues<typeof headerAttrs>;

// Bitsets: either a list of bits (by index and/or name; with `value` set when the bit is on,
// and without a mask unless `nomask`), or compact `value`/`mask` byte arrays of `size` bits.
export const bitsetBitAttrs = attrs('ETHTOOL_A_BITSET_BIT', {
  index: [C.ETHTOOL_A_BITSET_BIT_INDEX, 'u32'],
  name: [C.ETHTOOL_A_BITSET_BIT_NAME, 'string'],
  value: [C.ETHTOOL_A_BITSET_BIT_VALUE, 'flag'],
});
export const bitsetBitsAttrs = attrs('ETHTOOL_A_BITSET_BITS', {
  bit: nestedMulti(C.ETHTOOL_A_BITSET_BITS_BIT, bitsetBitAttrs),
});
export const bitsetAttrs = attrs('ETHTOOL_A_BITSET', {
  nomask: [C.ETHTOOL_A_BITSET_NOMASK, 'flag'],
  size: [C.ETHTOOL_A_BITSET_SIZE, 'u32'],
  bits: nested(C.ETHTOOL_A_BITSET_BITS, bitsetBitsAttrs),
  value: [C.ETHTOOL_A_BITSET_VALUE, 'binary'],
  mask: [C.ETHTOOL_A_BITSET_MASK, 'binary'],
});
export type Bitset = SetValues<typeof bitsetAttrs>;

const header = nested(1, headerAttrs); // every request set's attribute 1 is the header

export const stringAttrs = attrs('ETHTOOL_A_STRING', {
  index: [C.ETHTOOL_A_STRING_INDEX, 'u32'],
  value: [C.ETHTOOL_A_STRING_VALUE, 'string'],
});
export const stringsAttrs = attrs('ETHTOOL_A_STRINGS', {
  string: nestedMulti(C.ETHTOOL_A_STRINGS_STRING, stringAttrs),
});
export const stringsetAttrs = attrs('ETHTOOL_A_STRINGSET', {
  id: [C.ETHTOOL_A_STRINGSET_ID, 'u32'],
  count: [C.ETHTOOL_A_STRINGSET_COUNT, 'u32'],
  strings: nested(C.ETHTOOL_A_STRINGSET_STRINGS, stringsAttrs),
});
export const stringsetsAttrs = attrs('ETHTOOL_A_STRINGSETS', {
  stringset: nestedMulti(C.ETHTOOL_A_STRINGSETS_STRINGSET, stringsetAttrs),
});
export const strsetAttrs = attrs('ETHTOOL_A_STRSET', {
  header: [C.ETHTOOL_A_STRSET_HEADER, header[1], N],
  stringsets: nested(C.ETHTOOL_A_STRSET_STRINGSETS, stringsetsAttrs),
  countsOnly: [C.ETHTOOL_A_STRSET_COUNTS_ONLY, 'flag'],
});
export type StrsetAttrs = SetValues<typeof strsetAttrs>;

export const linkinfoAttrs = attrs('ETHTOOL_A_LINKINFO', {
  header: [C.ETHTOOL_A_LINKINFO_HEADER, header[1], N],
  port: [C.ETHTOOL_A_LINKINFO_PORT, 'u8'],
  phyaddr: [C.ETHTOOL_A_LINKINFO_PHYADDR, 'u8'],
  tpMdix: [C.ETHTOOL_A_LINKINFO_TP_MDIX, 'u8'],
  tpMdixCtrl: [C.ETHTOOL_A_LINKINFO_TP_MDIX_CTRL, 'u8'],
  transceiver: [C.ETHTOOL_A_LINKINFO_TRANSCEIVER, 'u8'],
});
export type LinkinfoAttrs = SetValues<typeof linkinfoAttrs>;

export const linkmodesAttrs = attrs('ETHTOOL_A_LINKMODES', {
  header: [C.ETHTOOL_A_LINKMODES_HEADER, header[1], N],
  autoneg: [C.ETHTOOL_A_LINKMODES_AUTONEG, 'u8'],
  ours: nested(C.ETHTOOL_A_LINKMODES_OURS, bitsetAttrs),
  peer: nested(C.ETHTOOL_A_LINKMODES_PEER, bitsetAttrs),
  speed: [C.ETHTOOL_A_LINKMODES_SPEED, 'u32'],
  duplex: [C.ETHTOOL_A_LINKMODES_DUPLEX, 'u8'],
  masterSlaveCfg: [C.ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, 'u8'],
  masterSlaveState: [C.ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE, 'u8'],
  lanes: [C.ETHTOOL_A_LINKMODES_LANES, 'u32'],
  rateMatching: [C.ETHTOOL_A_LINKMODES_RATE_MATCHING, 'u8'],
});
export type LinkmodesAttrs = SetValues<typeof linkmodesAttrs>;

export const linkstateAttrs = attrs('ETHTOOL_A_LINKSTATE', {
  header: [C.ETHTOOL_A_LINKSTATE_HEADER, header[1], N],
  link: [C.ETHTOOL_A_LINKSTATE_LINK, 'u8'],
  sqi: [C.ETHTOOL_A_LINKSTATE_SQI, 'u32'],
  sqiMax: [C.ETHTOOL_A_LINKSTATE_SQI_MAX, 'u32'],
  extState: [C.ETHTOOL_A_LINKSTATE_EXT_STATE, 'u8'],
  extSubstate: [C.ETHTOOL_A_LINKSTATE_EXT_SUBSTATE, 'u8'],
  extDownCnt: [C.ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT, 'u32'],
});
export type LinkstateAttrs = SetValues<typeof linkstateAttrs>;

export const debugAttrs = attrs('ETHTOOL_A_DEBUG', {
  header: [C.ETHTOOL_A_DEBUG_HEADER, header[1], N],
  msgmask: nested(C.ETHTOOL_A_DEBUG_MSGMASK, bitsetAttrs),
});

export type DebugAttrs = SetValues<typeof debugAttrs>;

export const wolAttrs = attrs('ETHTOOL_A_WOL', {
  header: [C.ETHTOOL_A_WOL_HEADER, header[1], N],
  modes: nested(C.ETHTOOL_A_WOL_MODES, bitsetAttrs),
  sopass: [C.ETHTOOL_A_WOL_SOPASS, 'binary'],
});
export type WolAttrs = SetValues<typeof wolAttrs>;

export const featuresAttrs = attrs('ETHTOOL_A_FEATURES', {
  header: [C.ETHTOOL_A_FEATURES_HEADER, header[1], N],
  hw: nested(C.ETHTOOL_A_FEATURES_HW, bitsetAttrs),
  wanted: nested(C.ETHTOOL_A_FEATURES_WANTED, bitsetAttrs),
  active: nested(C.ETHTOOL_A_FEATURES_ACTIVE, bitsetAttrs),
  nochange: nested(C.ETHTOOL_A_FEATURES_NOCHANGE, bitsetAttrs),
});
export type FeaturesAttrs = SetValues<typeof featuresAttrs>;

export const privflagsAttrs = attrs('ETHTOOL_A_PRIVFLAGS', {
  header: [C.ETHTOOL_A_PRIVFLAGS_HEADER, header[1], N],
  flags: nested(C.ETHTOOL_A_PRIVFLAGS_FLAGS, bitsetAttrs),
});
export type PrivflagsAttrs = SetValues<typeof privflagsAttrs>;

export const ringsAttrs = attrs('ETHTOOL_A_RINGS', {
  header: [C.ETHTOOL_A_RINGS_HEADER, header[1], N],
  rxMax: [C.ETHTOOL_A_RINGS_RX_MAX, 'u32'],
  rxMiniMax: [C.ETHTOOL_A_RINGS_RX_MINI_MAX, 'u32'],
  rxJumboMax: [C.ETHTOOL_A_RINGS_RX_JUMBO_MAX, 'u32'],
  txMax: [C.ETHTOOL_A_RINGS_TX_MAX, 'u32'],
  rx: [C.ETHTOOL_A_RINGS_RX, 'u32'],
  rxMini: [C.ETHTOOL_A_RINGS_RX_MINI, 'u32'],
  rxJumbo: [C.ETHTOOL_A_RINGS_RX_JUMBO, 'u32'],
  tx: [C.ETHTOOL_A_RINGS_TX, 'u32'],
  rxBufLen: [C.ETHTOOL_A_RINGS_RX_BUF_LEN, 'u32'],
  tcpDataSplit: [C.ETHTOOL_A_RINGS_TCP_DATA_SPLIT, 'u8'],
  cqeSize: [C.ETHTOOL_A_RINGS_CQE_SIZE, 'u32'],
  txPush: [C.ETHTOOL_A_RINGS_TX_PUSH, 'u8'],
  rxPush: [C.ETHTOOL_A_RINGS_RX_PUSH, 'u8'],
  txPushBufLen: [C.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN, 'u32'],
  txPushBufLenMax: [C.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN_MAX, 'u32'],
  hdsThresh: [C.ETHTOOL_A_RINGS_HDS_THRESH, 'u32'],
  hdsThreshMax: [C.ETHTOOL_A_RINGS_HDS_THRESH_MAX, 'u32'],
});
export type RingsAttrs = SetValues<typeof ringsAttrs>;

export const channelsAttrs = attrs('ETHTOOL_A_CHANNELS', {
  header: [C.ETHTOOL_A_CHANNELS_HEADER, header[1], N],
  rxMax: [C.ETHTOOL_A_CHANNELS_RX_MAX, 'u32'],
  txMax: [C.ETHTOOL_A_CHANNELS_TX_MAX, 'u32'],
  otherMax: [C.ETHTOOL_A_CHANNELS_OTHER_MAX, 'u32'],
  combinedMax: [C.ETHTOOL_A_CHANNELS_COMBINED_MAX, 'u32'],
  rxCount: [C.ETHTOOL_A_CHANNELS_RX_COUNT, 'u32'],
  txCount: [C.ETHTOOL_A_CHANNELS_TX_COUNT, 'u32'],
  otherCount: [C.ETHTOOL_A_CHANNELS_OTHER_COUNT, 'u32'],
  combinedCount: [C.ETHTOOL_A_CHANNELS_COMBINED_COUNT, 'u32'],
});
export type ChannelsAttrs = SetValues<typeof channelsAttrs>;

export const irqModerationAttrs = attrs('ETHTOOL_A_IRQ_MODERATION', {
  usec: [C.ETHTOOL_A_IRQ_MODERATION_USEC, 'u32'],
  pkts: [C.ETHTOOL_A_IRQ_MODERATION_PKTS, 'u32'],
  comps: [C.ETHTOOL_A_IRQ_MODERATION_COMPS, 'u32'],
});
export const profileAttrs = attrs('ETHTOOL_A_PROFILE', {
  irqModeration: nestedMulti(C.ETHTOOL_A_PROFILE_IRQ_MODERATION, irqModerationAttrs),
});

export const coalesceAttrs = attrs('ETHTOOL_A_COALESCE', {
  header: [C.ETHTOOL_A_COALESCE_HEADER, header[1], N],
  rxUsecs: [C.ETHTOOL_A_COALESCE_RX_USECS, 'u32'],
  rxMaxFrames: [C.ETHTOOL_A_COALESCE_RX_MAX_FRAMES, 'u32'],
  rxUsecsIrq: [C.ETHTOOL_A_COALESCE_RX_USECS_IRQ, 'u32'],
  rxMaxFramesIrq: [C.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ, 'u32'],
  txUsecs: [C.ETHTOOL_A_COALESCE_TX_USECS, 'u32'],
  txMaxFrames: [C.ETHTOOL_A_COALESCE_TX_MAX_FRAMES, 'u32'],
  txUsecsIrq: [C.ETHTOOL_A_COALESCE_TX_USECS_IRQ, 'u32'],
  txMaxFramesIrq: [C.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ, 'u32'],
  statsBlockUsecs: [C.ETHTOOL_A_COALESCE_STATS_BLOCK_USECS, 'u32'],
  useAdaptiveRx: [C.ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, 'u8'],
  useAdaptiveTx: [C.ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, 'u8'],
  pktRateLow: [C.ETHTOOL_A_COALESCE_PKT_RATE_LOW, 'u32'],
  rxUsecsLow: [C.ETHTOOL_A_COALESCE_RX_USECS_LOW, 'u32'],
  rxMaxFramesLow: [C.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW, 'u32'],
  txUsecsLow: [C.ETHTOOL_A_COALESCE_TX_USECS_LOW, 'u32'],
  txMaxFramesLow: [C.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW, 'u32'],
  pktRateHigh: [C.ETHTOOL_A_COALESCE_PKT_RATE_HIGH, 'u32'],
  rxUsecsHigh: [C.ETHTOOL_A_COALESCE_RX_USECS_HIGH, 'u32'],
  rxMaxFramesHigh: [C.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH, 'u32'],
  txUsecsHigh: [C.ETHTOOL_A_COALESCE_TX_USECS_HIGH, 'u32'],
  txMaxFramesHigh: [C.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH, 'u32'],
  rateSampleInterval: [C.ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL, 'u32'],
  useCqeModeTx: [C.ETHTOOL_A_COALESCE_USE_CQE_MODE_TX, 'u8'],
  useCqeModeRx: [C.ETHTOOL_A_COALESCE_USE_CQE_MODE_RX, 'u8'],
  txAggrMaxBytes: [C.ETHTOOL_A_COALESCE_TX_AGGR_MAX_BYTES, 'u32'],
  txAggrMaxFrames: [C.ETHTOOL_A_COALESCE_TX_AGGR_MAX_FRAMES, 'u32'],
  txAggrTimeUsecs: [C.ETHTOOL_A_COALESCE_TX_AGGR_TIME_USECS, 'u32'],
  rxProfile: nested(C.ETHTOOL_A_COALESCE_RX_PROFILE, profileAttrs),
  txProfile: nested(C.ETHTOOL_A_COALESCE_TX_PROFILE, profileAttrs),
});
export type CoalesceAttrs = SetValues<typeof coalesceAttrs>;

export const pauseStatAttrs = attrs('ETHTOOL_A_PAUSE_STAT', {
  pad: [C.ETHTOOL_A_PAUSE_STAT_PAD, 'binary'],
  txFrames: [C.ETHTOOL_A_PAUSE_STAT_TX_FRAMES, 'u64'],
  rxFrames: [C.ETHTOOL_A_PAUSE_STAT_RX_FRAMES, 'u64'],
});
export const pauseAttrs = attrs('ETHTOOL_A_PAUSE', {
  header: [C.ETHTOOL_A_PAUSE_HEADER, header[1], N],
  autoneg: [C.ETHTOOL_A_PAUSE_AUTONEG, 'u8'],
  rx: [C.ETHTOOL_A_PAUSE_RX, 'u8'],
  tx: [C.ETHTOOL_A_PAUSE_TX, 'u8'],
  stats: nested(C.ETHTOOL_A_PAUSE_STATS, pauseStatAttrs),
  statsSrc: [C.ETHTOOL_A_PAUSE_STATS_SRC, 'u32'],
});
export type PauseAttrs = SetValues<typeof pauseAttrs>;

export const eeeAttrs = attrs('ETHTOOL_A_EEE', {
  header: [C.ETHTOOL_A_EEE_HEADER, header[1], N],
  modesOurs: nested(C.ETHTOOL_A_EEE_MODES_OURS, bitsetAttrs),
  modesPeer: nested(C.ETHTOOL_A_EEE_MODES_PEER, bitsetAttrs),
  active: [C.ETHTOOL_A_EEE_ACTIVE, 'u8'],
  enabled: [C.ETHTOOL_A_EEE_ENABLED, 'u8'],
  txLpiEnabled: [C.ETHTOOL_A_EEE_TX_LPI_ENABLED, 'u8'],
  txLpiTimer: [C.ETHTOOL_A_EEE_TX_LPI_TIMER, 'u32'],
});
export type EeeAttrs = SetValues<typeof eeeAttrs>;

export const tsStatAttrs = attrs('ETHTOOL_A_TS_STAT', {
  txPkts: [C.ETHTOOL_A_TS_STAT_TX_PKTS, uint],
  txLost: [C.ETHTOOL_A_TS_STAT_TX_LOST, uint],
  txErr: [C.ETHTOOL_A_TS_STAT_TX_ERR, uint],
  txOnestepPktsUnconfirmed: [C.ETHTOOL_A_TS_STAT_TX_ONESTEP_PKTS_UNCONFIRMED, uint],
});
export const tsHwtstampProviderAttrs = attrs('ETHTOOL_A_TS_HWTSTAMP_PROVIDER', {
  index: [C.ETHTOOL_A_TS_HWTSTAMP_PROVIDER_INDEX, 'u32'],
  qualifier: [C.ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER, 'u32'],
});
export const tsinfoAttrs = attrs('ETHTOOL_A_TSINFO', {
  header: [C.ETHTOOL_A_TSINFO_HEADER, header[1], N],
  timestamping: nested(C.ETHTOOL_A_TSINFO_TIMESTAMPING, bitsetAttrs),
  txTypes: nested(C.ETHTOOL_A_TSINFO_TX_TYPES, bitsetAttrs),
  rxFilters: nested(C.ETHTOOL_A_TSINFO_RX_FILTERS, bitsetAttrs),
  phcIndex: [C.ETHTOOL_A_TSINFO_PHC_INDEX, 'u32'],
  stats: nested(C.ETHTOOL_A_TSINFO_STATS, tsStatAttrs),
  hwtstampProvider: nested(C.ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER, tsHwtstampProviderAttrs),
  hwtstampSource: [C.ETHTOOL_A_TSINFO_HWTSTAMP_SOURCE, 'u32'],
  hwtstampPhyindex: [C.ETHTOOL_A_TSINFO_HWTSTAMP_PHYINDEX, 'u32'],
});
export type TsinfoAttrs = SetValues<typeof tsinfoAttrs>;

// FEC statistics are arrays of u64: the total, then one per lane.
export const fecStatAttrs = attrs('ETHTOOL_A_FEC_STAT', {
  pad: [C.ETHTOOL_A_FEC_STAT_PAD, 'binary'],
  corrected: [C.ETHTOOL_A_FEC_STAT_CORRECTED, 'binary'],
  uncorr: [C.ETHTOOL_A_FEC_STAT_UNCORR, 'binary'],
  corrBits: [C.ETHTOOL_A_FEC_STAT_CORR_BITS, 'binary'],
});
export const fecAttrs = attrs('ETHTOOL_A_FEC', {
  header: [C.ETHTOOL_A_FEC_HEADER, header[1], N],
  modes: nested(C.ETHTOOL_A_FEC_MODES, bitsetAttrs),
  auto: [C.ETHTOOL_A_FEC_AUTO, 'u8'],
  active: [C.ETHTOOL_A_FEC_ACTIVE, 'u32'],
  stats: nested(C.ETHTOOL_A_FEC_STATS, fecStatAttrs),
});
export type FecAttrs = SetValues<typeof fecAttrs>;

/** One counter of a statistics group: its id within the group (ETHTOOL_A_STATS_<GRP>_*) and value. */
export interface GroupStat {
  id: number;
  value: bigint;
}

/**
 * ETHTOOL_A_STATS_GRP_STAT: a nest holding one u64 attribute whose type is the counter's id in
 * its group (ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR, ...). A nest of any other shape is kept as bytes.
 */
export const groupStat = custom<GroupStat | { $raw: Uint8Array }>({
  name: 'stats-grp-stat',
  decode(buf, view, at, len) {
    if (len === 12 && view.getUint16(at, true) === 12)
      return { id: view.getUint16(at + 2, true) & 0x3fff, value: view.getBigUint64(at + 4, true) };
    return { $raw: buf.slice(at, at + len) };
  },
  encode(w, v, path) {
    if ('$raw' in v) {
      if (!(v.$raw instanceof Uint8Array)) throw new EncodeError('expected $raw bytes', path);
      w.bytes(v.$raw);
      return;
    }
    if (!Number.isInteger(v.id) || v.id < 0 || v.id > 0x3fff) throw new EncodeError('stat id out of range', path);
    if (typeof v.value !== 'bigint') throw new EncodeError('expected a bigint value', path);
    w.u16(12);
    w.u16(v.id);
    w.u64(v.value);
  },
});

/** The attributes of one RMON histogram bucket (hist-rx, hist-tx): a subset of the group set. */
export const statsGrpHistAttrs = attrs('ETHTOOL_A_STATS_GRP', {
  histBktLow: [C.ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, 'u32'],
  histBktHi: [C.ETHTOOL_A_STATS_GRP_HIST_BKT_HI, 'u32'],
  histVal: [C.ETHTOOL_A_STATS_GRP_HIST_VAL, 'u64'],
});
export const statsGrpAttrs = attrs('ETHTOOL_A_STATS_GRP', {
  pad: [C.ETHTOOL_A_STATS_GRP_PAD, 'binary'],
  id: [C.ETHTOOL_A_STATS_GRP_ID, 'u32'],
  ssId: [C.ETHTOOL_A_STATS_GRP_SS_ID, 'u32'],
  stat: [C.ETHTOOL_A_STATS_GRP_STAT, multi(groupStat), N],
  histRx: nestedMulti(C.ETHTOOL_A_STATS_GRP_HIST_RX, statsGrpHistAttrs),
  histTx: nestedMulti(C.ETHTOOL_A_STATS_GRP_HIST_TX, statsGrpHistAttrs),
  histBktLow: [C.ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, 'u32'],
  histBktHi: [C.ETHTOOL_A_STATS_GRP_HIST_BKT_HI, 'u32'],
  histVal: [C.ETHTOOL_A_STATS_GRP_HIST_VAL, 'u64'],
});
export const statsAttrs = attrs('ETHTOOL_A_STATS', {
  pad: [C.ETHTOOL_A_STATS_PAD, 'binary'],
  header: [C.ETHTOOL_A_STATS_HEADER, header[1], N],
  groups: nested(C.ETHTOOL_A_STATS_GROUPS, bitsetAttrs),
  grp: nestedMulti(C.ETHTOOL_A_STATS_GRP, statsGrpAttrs),
  src: [C.ETHTOOL_A_STATS_SRC, 'u32'],
});
export type StatsAttrs = SetValues<typeof statsAttrs>;
