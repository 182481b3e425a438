/**
 * Each kind's statistics: TCA_XSTATS of qdiscs and classes, and TCA_STATS_APP inside TCA_STATS2,
 * which carries the same bytes (the kernel's gnet_stats_copy_app writes both; cake writes only
 * TCA_STATS_APP, as a nest). Both are chosen by TCA_KIND, per pkt_sched.h and the kernel's
 * sch_*.c dump_stats / dump_class_stats. A class's xstats are keyed by its qdisc's kind.
 */
import * as C from '../constants/index.js';
import { DecodeError, EncodeError } from '../../errors.js';
import { encodeAttrs, decodeAttrs } from '../attrs.js';
import { compileStruct } from '../struct.js';
import {
  attrs,
  custom,
  indexed,
  nest,
  nestBy,
  struct,
  type Kind,
  type SetValues,
  type StructValue,
} from '../schema.js';
import { tcFqQdStats, tcHtbXstats, tcRedXstats, tcSfqXstats } from './qdisc.js';

/** struct tc_fq_codel_qd_stats: the qdisc half of tc_fq_codel_xstats. */
export const tcFqCodelQdStats = struct(
  'tc_fq_codel_qd_stats',
  [
    ['maxpacket', 'u32'],
    ['dropOverlimit', 'u32'],
    ['ecnMark', 'u32'],
    ['newFlowCount', 'u32'],
    ['newFlowsLen', 'u32'],
    ['oldFlowsLen', 'u32'],
    ['ceMark', 'u32'],
    ['memoryUsage', 'u32'],
    ['dropOvermemory', 'u32'],
  ],
  36,
);
/** struct tc_fq_codel_cl_stats: the class half of tc_fq_codel_xstats (one flow). */
export const tcFqCodelClStats = struct(
  'tc_fq_codel_cl_stats',
  [
    ['deficit', 's32'],
    ['ldelay', 'u32'],
    ['count', 'u32'],
    ['lastcount', 'u32'],
    ['dropping', 'u32'],
    ['dropNext', 's32'],
  ],
  24,
);
export type FqCodelXstats =
  | { type: 'qdisc'; qdisc: StructValue<typeof tcFqCodelQdStats.fields>; $extra?: Uint8Array }
  | { type: 'class'; class: StructValue<typeof tcFqCodelClStats.fields>; $extra?: Uint8Array }
  | { type: number; $raw: Uint8Array };

/** The size of struct tc_fq_codel_xstats: the type word and the larger member of the union. */
const FQ_CODEL_XSTATS_SIZE = 4 + Math.max(tcFqCodelQdStats.size, tcFqCodelClStats.size);

/**
 * struct tc_fq_codel_xstats: a u32 type (TCA_FQ_CODEL_XSTATS_QDISC or _CLASS), then a union of
 * the qdisc's and a class's statistics. The kernel sends the whole struct either way; the bytes
 * the smaller member leaves are zero and go to `$extra` only when they are not.
 */
export const tcFqCodelXstats = custom<FqCodelXstats>({
  name: 'tc_fq_codel_xstats',
  decode(buf, view, at, len, path) {
    if (len < 4) throw new DecodeError(`tc_fq_codel_xstats of ${len} bytes, expected at least 4`, at, path);
    const type = view.getUint32(at, true);
    const member =
      type === C.TCA_FQ_CODEL_XSTATS_QDISC
        ? tcFqCodelQdStats
        : type === C.TCA_FQ_CODEL_XSTATS_CLASS
          ? tcFqCodelClStats
          : undefined;
    if (!member) return { type, $raw: buf.slice(at + 4, at + len) };
    const s = compileStruct(member);
    const n = Math.min(len - 4, member.size);
    const value = s.decode(buf, view, at + 4, n, path);
    const rest = buf.subarray(at + 4 + n, at + len);
    const out = (
      type === C.TCA_FQ_CODEL_XSTATS_QDISC ? { type: 'qdisc', qdisc: value } : { type: 'class', class: value }
    ) as FqCodelXstats;
    // The union's padding after the smaller member: kept only when it says something.
    if (rest.length !== FQ_CODEL_XSTATS_SIZE - 4 - member.size || rest.some((b) => b !== 0))
      (out as { $extra?: Uint8Array }).$extra = rest.slice();
    return out;
  },
  encode(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError('expected { type, qdisc | class }', path);
    if ('$raw' in v) {
      w.u32(v.type);
      w.bytes(v.$raw);
      return;
    }
    const qdisc = v.type === 'qdisc';
    if (!qdisc && v.type !== 'class') throw new EncodeError("type: expected 'qdisc' or 'class'", `${path}.type`);
    const member = qdisc ? tcFqCodelQdStats : tcFqCodelClStats;
    w.u32(qdisc ? C.TCA_FQ_CODEL_XSTATS_QDISC : C.TCA_FQ_CODEL_XSTATS_CLASS);
    const body = (qdisc ? (v as { qdisc: object }).qdisc : (v as { class: object }).class) ?? {};
    compileStruct(member).encode(w, body, `${path}.${v.type}`);
    if (v.$extra !== undefined) w.bytes(v.$extra);
    else w.zeros(FQ_CODEL_XSTATS_SIZE - 4 - member.size);
  },
});

/** struct tc_codel_xstats. */
export const tcCodelXstats = struct(
  'tc_codel_xstats',
  [
    ['maxpacket', 'u32'],
    ['count', 'u32'],
    ['lastcount', 'u32'],
    ['ldelay', 'u32'],
    ['dropNext', 's32'],
    ['dropOverlimit', 'u32'],
    ['ecnMark', 'u32'],
    ['dropping', 'u32'],
    ['ceMark', 'u32'],
  ],
  36,
);

/** struct tc_pie_xstats (`prob` is scaled to 2^64 - 1 = 100%). */
export const tcPieXstats = struct(
  'tc_pie_xstats',
  [
    ['prob', 'u64'],
    ['delay', 'u32'],
    ['avgDqRate', 'u32'],
    ['dqRateEstimating', 'u32'],
    ['packetsIn', 'u32'],
    ['dropped', 'u32'],
    ['overlimit', 'u32'],
    ['maxq', 'u32'],
    ['ecnMark', 'u32'],
  ],
  40,
);

/** struct tc_fq_pie_xstats. */
export const tcFqPieXstats = struct(
  'tc_fq_pie_xstats',
  [
    ['packetsIn', 'u32'],
    ['dropped', 'u32'],
    ['overlimit', 'u32'],
    ['overmemory', 'u32'],
    ['ecnMark', 'u32'],
    ['newFlowCount', 'u32'],
    ['newFlowsLen', 'u32'],
    ['oldFlowsLen', 'u32'],
    ['memoryUsage', 'u32'],
  ],
  36,
);

/** struct tc_choke_xstats. */
export const tcChokeXstats = struct(
  'tc_choke_xstats',
  [
    ['early', 'u32'],
    ['pdrop', 'u32'],
    ['other', 'u32'],
    ['marked', 'u32'],
    ['matched', 'u32'],
  ],
  20,
);

/** struct tc_sfb_xstats. */
export const tcSfbXstats = struct(
  'tc_sfb_xstats',
  [
    ['earlydrop', 'u32'],
    ['penaltydrop', 'u32'],
    ['bucketdrop', 'u32'],
    ['queuedrop', 'u32'],
    ['childdrop', 'u32'],
    ['marked', 'u32'],
    ['maxqlen', 'u32'],
    ['maxprob', 'u32'],
    ['avgprob', 'u32'],
  ],
  36,
);

/** struct tc_hhf_xstats. */
export const tcHhfXstats = struct(
  'tc_hhf_xstats',
  [
    ['dropOverlimit', 'u32'],
    ['hhOverlimit', 'u32'],
    ['hhTotCount', 'u32'],
    ['hhCurCount', 'u32'],
  ],
  16,
);

/** struct tc_drr_stats (a drr class's xstats). */
export const tcDrrStats = struct('tc_drr_stats', [['deficit', 'u32']], 4);
/** struct tc_qfq_stats (a qfq class's xstats). */
export const tcQfqStats = struct(
  'tc_qfq_stats',
  [
    ['weight', 'u32'],
    ['lmax', 'u32'],
  ],
  8,
);
/** struct tc_hfsc_stats (an hfsc class's xstats). */
export const tcHfscStats = struct(
  'tc_hfsc_stats',
  [
    ['work', 'u64'],
    ['rtwork', 'u64'],
    ['period', 'u32'],
    ['level', 'u32'],
  ],
  24,
);

/** One cake tin's statistics (TCA_CAKE_TIN_STATS_*), as cake_dump_stats puts them. */
export const cakeTinStatsAttrs = attrs('TCA_CAKE_TIN_STATS', {
  pad: [C.TCA_CAKE_TIN_STATS_PAD, 'binary'],
  sentPackets: [C.TCA_CAKE_TIN_STATS_SENT_PACKETS, 'u32'],
  sentBytes64: [C.TCA_CAKE_TIN_STATS_SENT_BYTES64, 'u64'],
  droppedPackets: [C.TCA_CAKE_TIN_STATS_DROPPED_PACKETS, 'u32'],
  droppedBytes64: [C.TCA_CAKE_TIN_STATS_DROPPED_BYTES64, 'u64'],
  acksDroppedPackets: [C.TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS, 'u32'],
  acksDroppedBytes64: [C.TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64, 'u64'],
  ecnMarkedPackets: [C.TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS, 'u32'],
  ecnMarkedBytes64: [C.TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64, 'u64'],
  backlogPackets: [C.TCA_CAKE_TIN_STATS_BACKLOG_PACKETS, 'u32'],
  backlogBytes: [C.TCA_CAKE_TIN_STATS_BACKLOG_BYTES, 'u32'],
  thresholdRate64: [C.TCA_CAKE_TIN_STATS_THRESHOLD_RATE64, 'u64'],
  targetUs: [C.TCA_CAKE_TIN_STATS_TARGET_US, 'u32'],
  intervalUs: [C.TCA_CAKE_TIN_STATS_INTERVAL_US, 'u32'],
  wayIndirectHits: [C.TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS, 'u32'],
  wayMisses: [C.TCA_CAKE_TIN_STATS_WAY_MISSES, 'u32'],
  wayCollisions: [C.TCA_CAKE_TIN_STATS_WAY_COLLISIONS, 'u32'],
  peakDelayUs: [C.TCA_CAKE_TIN_STATS_PEAK_DELAY_US, 'u32'],
  avgDelayUs: [C.TCA_CAKE_TIN_STATS_AVG_DELAY_US, 'u32'],
  baseDelayUs: [C.TCA_CAKE_TIN_STATS_BASE_DELAY_US, 'u32'],
  sparseFlows: [C.TCA_CAKE_TIN_STATS_SPARSE_FLOWS, 'u32'],
  bulkFlows: [C.TCA_CAKE_TIN_STATS_BULK_FLOWS, 'u32'],
  unresponsiveFlows: [C.TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS, 'u32'],
  maxSkblen: [C.TCA_CAKE_TIN_STATS_MAX_SKBLEN, 'u32'],
  flowQuantum: [C.TCA_CAKE_TIN_STATS_FLOW_QUANTUM, 'u32'],
});

/**
 * cake's TCA_STATS_APP: a nest of TCA_CAKE_STATS_* (the qdisc's, with one nest per tin numbered
 * from 1; a class's: the flow's deficit, COBALT and BLUE state).
 */
export const cakeStatsAttrs = attrs('TCA_CAKE_STATS', {
  pad: [C.TCA_CAKE_STATS_PAD, 'binary'],
  capacityEstimate64: [C.TCA_CAKE_STATS_CAPACITY_ESTIMATE64, 'u64'],
  memoryLimit: [C.TCA_CAKE_STATS_MEMORY_LIMIT, 'u32'],
  memoryUsed: [C.TCA_CAKE_STATS_MEMORY_USED, 'u32'],
  avgNetoff: [C.TCA_CAKE_STATS_AVG_NETOFF, 'u32'],
  minNetlen: [C.TCA_CAKE_STATS_MIN_NETLEN, 'u32'],
  maxNetlen: [C.TCA_CAKE_STATS_MAX_NETLEN, 'u32'],
  minAdjlen: [C.TCA_CAKE_STATS_MIN_ADJLEN, 'u32'],
  maxAdjlen: [C.TCA_CAKE_STATS_MAX_ADJLEN, 'u32'],
  tinStats: [C.TCA_CAKE_STATS_TIN_STATS, indexed(nest(cakeTinStatsAttrs))],
  deficit: [C.TCA_CAKE_STATS_DEFICIT, 's32'],
  cobaltCount: [C.TCA_CAKE_STATS_COBALT_COUNT, 'u32'],
  dropping: [C.TCA_CAKE_STATS_DROPPING, 'u32'],
  dropNextUs: [C.TCA_CAKE_STATS_DROP_NEXT_US, 's32'],
  pDrop: [C.TCA_CAKE_STATS_P_DROP, 'u32'],
  blueTimerUs: [C.TCA_CAKE_STATS_BLUE_TIMER_US, 's32'],
});
export type CakeStats = SetValues<typeof cakeStatsAttrs>;

/**
 * TCA_XSTATS and TCA_STATS_APP of qdiscs and classes, by TCA_KIND. htb, drr, qfq and hfsc have
 * class statistics only; sfq's are a class's (one flow's allotment); fq_codel's and cake's
 * differ between the qdisc and a class (fq_codel says which in its type word).
 */
export const tcXstatsCases = {
  htb: tcHtbXstats,
  fq: tcFqQdStats,
  red: tcRedXstats,
  sfq: tcSfqXstats,
  fq_codel: tcFqCodelXstats,
  codel: tcCodelXstats,
  pie: tcPieXstats,
  fq_pie: tcFqPieXstats,
  choke: tcChokeXstats,
  sfb: tcSfbXstats,
  hhf: tcHhfXstats,
  drr: tcDrrStats,
  qfq: tcQfqStats,
  hfsc: tcHfscStats,
  cake: nest(cakeStatsAttrs),
} as const satisfies Record<string, Kind>;

/** TCA_KIND and a kind-selected payload: how TCA_STATS_APP is decoded outside its message. */
const appByKind = attrs('TCA', {
  kind: [C.TCA_KIND, 'string'],
  xstats: [C.TCA_XSTATS, nestBy('kind', tcXstatsCases)],
});
export type TcXstats = NonNullable<SetValues<typeof appByKind>['xstats']>;

/**
 * Decode a TCA_STATS_APP payload (or TCA_XSTATS kept as bytes) for a qdisc or class kind. The
 * kind that selects it is outside TCA_STATS2, so the message's decoder keeps it as bytes; this
 * decodes it as TCA_XSTATS is. Kinds rtnl does not know stay `{ $raw }`.
 */
export function decodeTcXstats(kind: string, bytes: Uint8Array): TcXstats {
  const chain = encodeAttrs(appByKind, { kind, xstats: { $raw: bytes } });
  return decodeAttrs(appByKind, chain).xstats as TcXstats;
}
