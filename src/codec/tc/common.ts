/**
 * Structures shared by every traffic-control message: struct tcmsg and tcamsg, the rate table
 * spec, the legacy TCA_STATS block, and the generic statistics (TCA_STATS2, TCA_ACT_STATS:
 * TCA_STATS_*), per linux/rtnetlink.h, pkt_sched.h and gen_stats.h.
 */
import * as C from '../constants/index.js';
import { attrs, struct, type SetValues, type StructValue } from '../schema.js';

/** struct tcmsg: the header of qdisc, class, filter and chain messages. */
export const tcmsg = struct(
  'tcmsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
    ['ifindex', 's32'],
    ['handle', 'u32'],
    ['parent', 'u32'],
    // For filters: (priority << 16) | be16 protocol; for qdiscs and classes, unused.
    ['info', 'u32'],
  ],
  20,
);
export type TcMsg = StructValue<typeof tcmsg.fields>;

/** struct tcamsg: the header of standalone action messages (RTM_*ACTION). */
export const tcamsg = struct(
  'tcamsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
  ],
  4,
);
export type TcaMsg = StructValue<typeof tcamsg.fields>;

/** struct tc_ratespec (pkt_sched.h): a rate in bytes per second, capped at 2^32-1 (see *_RATE64). */
export const tcRatespec = struct(
  'tc_ratespec',
  [
    ['cellLog', 'u8'],
    ['linklayer', 'u8'],
    ['overhead', 'u16'],
    ['cellAlign', 's16'],
    ['mpu', 'u16'],
    ['rate', 'u32'],
  ],
  12,
);
/** The fields of a tc_ratespec, for structs that embed one (tc_tbf_qopt, tc_htb_opt, tc_police). */
export const ratespecFields = <const P extends string>(prefix: P) =>
  [
    [`${prefix}CellLog`, 'u8'],
    [`${prefix}Linklayer`, 'u8'],
    [`${prefix}Overhead`, 'u16'],
    [`${prefix}CellAlign`, 's16'],
    [`${prefix}Mpu`, 'u16'],
    [`${prefix}`, 'u32'],
  ] as const;

/** struct tc_stats (TCA_STATS, the legacy block; 4 bytes of tail padding on 64-bit). */
export const tcStats = struct(
  'tc_stats',
  [
    ['bytes', 'u64'],
    ['packets', 'u32'],
    ['drops', 'u32'],
    ['overlimits', 'u32'],
    ['bps', 'u32'],
    ['pps', 'u32'],
    ['qlen', 'u32'],
    ['backlog', 'u32'],
    ['pad', 'pad4'],
  ],
  40,
);

/** struct tc_estimator (TCA_RATE). */
export const tcEstimator = struct(
  'tc_estimator',
  [
    ['interval', 's8'],
    ['ewmaLog', 'u8'],
  ],
  2,
);

/** struct nla_bitfield32 (TCA_DUMP_FLAGS, TCA_ACT_FLAGS, TCA_ROOT_FLAGS, TCA_RED_FLAGS). */
export const bitfield32 = struct(
  'nla_bitfield32',
  [
    ['value', 'u32'],
    ['selector', 'u32'],
  ],
  8,
);

/** struct gnet_stats_basic (TCA_STATS_BASIC); 4 bytes of tail padding on 64-bit. */
export const gnetStatsBasic = struct(
  'gnet_stats_basic',
  [
    ['bytes', 'u64'],
    ['packets', 'u32'],
    ['pad', 'pad4'],
  ],
  16,
);
/** struct gnet_stats_rate_est (TCA_STATS_RATE_EST). */
export const gnetStatsRateEst = struct(
  'gnet_stats_rate_est',
  [
    ['bps', 'u32'],
    ['pps', 'u32'],
  ],
  8,
);
/** struct gnet_stats_rate_est64 (TCA_STATS_RATE_EST64). */
export const gnetStatsRateEst64 = struct(
  'gnet_stats_rate_est64',
  [
    ['bps', 'u64'],
    ['pps', 'u64'],
  ],
  16,
);
/** struct gnet_stats_queue (TCA_STATS_QUEUE). */
export const gnetStatsQueue = struct(
  'gnet_stats_queue',
  [
    ['qlen', 'u32'],
    ['backlog', 'u32'],
    ['drops', 'u32'],
    ['requeues', 'u32'],
    ['overlimits', 'u32'],
  ],
  20,
);

/**
 * TCA_STATS2 and TCA_ACT_STATS (gen_stats.h). TCA_STATS_APP holds the kind's xstats; the kind
 * that selects its shape (TCA_KIND) is outside this nest, so it stays bytes here and
 * decodeTcXstats (xstats.ts) reads it (the ops do, for cake, which sends no TCA_XSTATS).
 */
export const gnetStatsAttrs = attrs('TCA_STATS', {
  basic: [C.TCA_STATS_BASIC, gnetStatsBasic],
  rateEst: [C.TCA_STATS_RATE_EST, gnetStatsRateEst],
  queue: [C.TCA_STATS_QUEUE, gnetStatsQueue],
  app: [C.TCA_STATS_APP, 'binary'],
  rateEst64: [C.TCA_STATS_RATE_EST64, gnetStatsRateEst64],
  pad: [C.TCA_STATS_PAD, 'binary'],
  basicHw: [C.TCA_STATS_BASIC_HW, gnetStatsBasic],
  pkt64: [C.TCA_STATS_PKT64, 'u64'],
});
export type GnetStatsAttrs = SetValues<typeof gnetStatsAttrs>;

/** struct tc_sizespec (TCA_STAB_BASE). */
export const tcSizespec = struct(
  'tc_sizespec',
  [
    ['cellLog', 'u8'],
    ['sizeLog', 'u8'],
    ['cellAlign', 's16'],
    ['overhead', 's32'],
    ['linklayer', 'u32'],
    ['mpu', 'u32'],
    ['mtu', 'u32'],
    ['tsize', 'u32'],
  ],
  24,
);
/** TCA_STAB: a size table (tc's `stab`). */
export const stabAttrs = attrs('TCA_STAB', {
  base: [C.TCA_STAB_BASE, tcSizespec],
  data: [C.TCA_STAB_DATA, 'binary'],
});
