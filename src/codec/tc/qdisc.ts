/**
 * Queueing disciplines and classes: TCA_OPTIONS and TCA_XSTATS of each kind, per pkt_sched.h and
 * the kernel's sch_*.c. Some kinds' options are a plain struct (pfifo, bfifo: tc_fifo_qopt;
 * pfifo_fast, prio: tc_prio_qopt; sfq: tc_sfq_qopt_v1), netem's a struct followed by attributes,
 * the rest attributes. Kinds without options (mq, noqueue, ingress, clsact) have no case: what
 * they carry (ingress and clsact send an empty TCA_OPTIONS) stays as bytes.
 */
import * as C from '../constants/index.js';
import { attrs, headered, nest, struct, type Kind } from '../schema.js';
import { bitfield32, ratespecFields } from './common.js';

/** struct tc_fifo_qopt: pfifo's limit in packets, bfifo's in bytes. */
export const tcFifoQopt = struct('tc_fifo_qopt', [['limit', 'u32']], 4);

/** struct tc_prio_qopt (pfifo_fast, prio): the band count and the priority-to-band map. */
export const tcPrioQopt = struct(
  'tc_prio_qopt',
  [
    ['bands', 's32'],
    ['priomap', 'bytes16'],
  ],
  20,
);

/**
 * prio's TCA_OPTIONS as tc sends it (addattr_nest_compat): struct tc_prio_qopt, then an empty
 * nested TCA_OPTIONS that older kernels read TCA_PRIO_MQ from. The kernel dumps the bare struct.
 */
export const prioCompatAttrs = attrs('TCA', {
  options: [C.TCA_OPTIONS, nest(attrs('TCA_PRIO', {}))],
});

/** struct tc_tbf_qopt (TCA_TBF_PARMS). `buffer` is in scheduler ticks (see tc.ts). */
export const tcTbfQopt = struct(
  'tc_tbf_qopt',
  [...ratespecFields('rate'), ...ratespecFields('peakrate'), ['limit', 'u32'], ['buffer', 'u32'], ['mtu', 'u32']],
  36,
);
export const tbfAttrs = attrs('TCA_TBF', {
  parms: [C.TCA_TBF_PARMS, tcTbfQopt],
  rtab: [C.TCA_TBF_RTAB, 'binary'],
  ptab: [C.TCA_TBF_PTAB, 'binary'],
  rate64: [C.TCA_TBF_RATE64, 'u64'],
  prate64: [C.TCA_TBF_PRATE64, 'u64'],
  burst: [C.TCA_TBF_BURST, 'u32'],
  pburst: [C.TCA_TBF_PBURST, 'u32'],
  pad: [C.TCA_TBF_PAD, 'binary'],
});

/** struct tc_htb_opt (TCA_HTB_PARMS, a class's parameters). Buffers are in scheduler ticks. */
export const tcHtbOpt = struct(
  'tc_htb_opt',
  [
    ...ratespecFields('rate'),
    ...ratespecFields('ceil'),
    ['buffer', 'u32'],
    ['cbuffer', 'u32'],
    ['quantum', 'u32'],
    ['level', 'u32'],
    ['prio', 'u32'],
  ],
  44,
);
/** struct tc_htb_glob (TCA_HTB_INIT, the qdisc's parameters). */
export const tcHtbGlob = struct(
  'tc_htb_glob',
  [
    ['version', 'u32'],
    ['rate2quantum', 'u32'],
    ['defcls', 'u32'],
    ['debug', 'u32'],
    ['directPkts', 'u32'],
  ],
  20,
);
/** htb qdisc and class options share one attribute set. */
export const htbAttrs = attrs('TCA_HTB', {
  parms: [C.TCA_HTB_PARMS, tcHtbOpt],
  init: [C.TCA_HTB_INIT, tcHtbGlob],
  ctab: [C.TCA_HTB_CTAB, 'binary'],
  rtab: [C.TCA_HTB_RTAB, 'binary'],
  directQlen: [C.TCA_HTB_DIRECT_QLEN, 'u32'],
  rate64: [C.TCA_HTB_RATE64, 'u64'],
  ceil64: [C.TCA_HTB_CEIL64, 'u64'],
  pad: [C.TCA_HTB_PAD, 'binary'],
  offload: [C.TCA_HTB_OFFLOAD, 'flag'],
});
/** struct tc_htb_xstats (a class's TCA_XSTATS). */
export const tcHtbXstats = struct(
  'tc_htb_xstats',
  [
    ['lends', 'u32'],
    ['borrows', 'u32'],
    ['giants', 'u32'],
    ['tokens', 's32'],
    ['ctokens', 's32'],
  ],
  20,
);

// netem: struct tc_netem_qopt, then TCA_NETEM_* attributes.
export const tcNetemQopt = struct(
  'tc_netem_qopt',
  [
    ['latency', 'u32'],
    ['limit', 'u32'],
    ['loss', 'u32'],
    ['gap', 'u32'],
    ['duplicate', 'u32'],
    ['jitter', 'u32'],
  ],
  24,
);
export const tcNetemCorr = struct(
  'tc_netem_corr',
  [
    ['delayCorr', 'u32'],
    ['lossCorr', 'u32'],
    ['dupCorr', 'u32'],
  ],
  12,
);
const probCorr = (name: string) =>
  struct(
    name,
    [
      ['probability', 'u32'],
      ['correlation', 'u32'],
    ],
    8,
  );
export const tcNetemReorder = probCorr('tc_netem_reorder');
export const tcNetemCorrupt = probCorr('tc_netem_corrupt');
export const tcNetemRate = struct(
  'tc_netem_rate',
  [
    ['rate', 'u32'],
    ['packetOverhead', 's32'],
    ['cellSize', 'u32'],
    ['cellOverhead', 's32'],
  ],
  16,
);
export const tcNetemSlot = struct(
  'tc_netem_slot',
  [
    ['minDelay', 's64'],
    ['maxDelay', 's64'],
    ['maxPackets', 's32'],
    ['maxBytes', 's32'],
    ['distDelay', 's64'],
    ['distJitter', 's64'],
  ],
  40,
);
export const netemAttrs = attrs('TCA_NETEM', {
  corr: [C.TCA_NETEM_CORR, tcNetemCorr],
  delayDist: [C.TCA_NETEM_DELAY_DIST, 'binary'],
  reorder: [C.TCA_NETEM_REORDER, tcNetemReorder],
  corrupt: [C.TCA_NETEM_CORRUPT, tcNetemCorrupt],
  // A nest of NETEM_LOSS_GI / NETEM_LOSS_GE structs; kept as bytes.
  loss: [C.TCA_NETEM_LOSS, 'binary'],
  rate: [C.TCA_NETEM_RATE, tcNetemRate],
  ecn: [C.TCA_NETEM_ECN, 'u32'],
  rate64: [C.TCA_NETEM_RATE64, 'u64'],
  pad: [C.TCA_NETEM_PAD, 'binary'],
  latency64: [C.TCA_NETEM_LATENCY64, 's64'],
  jitter64: [C.TCA_NETEM_JITTER64, 's64'],
  slot: [C.TCA_NETEM_SLOT, tcNetemSlot],
  slotDist: [C.TCA_NETEM_SLOT_DIST, 'binary'],
  prngSeed: [C.TCA_NETEM_PRNG_SEED, 'u64'],
});

export const fqCodelAttrs = attrs('TCA_FQ_CODEL', {
  target: [C.TCA_FQ_CODEL_TARGET, 'u32'],
  limit: [C.TCA_FQ_CODEL_LIMIT, 'u32'],
  interval: [C.TCA_FQ_CODEL_INTERVAL, 'u32'],
  ecn: [C.TCA_FQ_CODEL_ECN, 'u32'],
  flows: [C.TCA_FQ_CODEL_FLOWS, 'u32'],
  quantum: [C.TCA_FQ_CODEL_QUANTUM, 'u32'],
  ceThreshold: [C.TCA_FQ_CODEL_CE_THRESHOLD, 'u32'],
  dropBatchSize: [C.TCA_FQ_CODEL_DROP_BATCH_SIZE, 'u32'],
  memoryLimit: [C.TCA_FQ_CODEL_MEMORY_LIMIT, 'u32'],
  ceThresholdSelector: [C.TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR, 'u8'],
  ceThresholdMask: [C.TCA_FQ_CODEL_CE_THRESHOLD_MASK, 'u8'],
});

export const fqAttrs = attrs('TCA_FQ', {
  plimit: [C.TCA_FQ_PLIMIT, 'u32'],
  flowPlimit: [C.TCA_FQ_FLOW_PLIMIT, 'u32'],
  quantum: [C.TCA_FQ_QUANTUM, 'u32'],
  initialQuantum: [C.TCA_FQ_INITIAL_QUANTUM, 'u32'],
  rateEnable: [C.TCA_FQ_RATE_ENABLE, 'u32'],
  flowDefaultRate: [C.TCA_FQ_FLOW_DEFAULT_RATE, 'u32'],
  flowMaxRate: [C.TCA_FQ_FLOW_MAX_RATE, 'u32'],
  bucketsLog: [C.TCA_FQ_BUCKETS_LOG, 'u32'],
  flowRefillDelay: [C.TCA_FQ_FLOW_REFILL_DELAY, 'u32'],
  orphanMask: [C.TCA_FQ_ORPHAN_MASK, 'u32'],
  lowRateThreshold: [C.TCA_FQ_LOW_RATE_THRESHOLD, 'u32'],
  ceThreshold: [C.TCA_FQ_CE_THRESHOLD, 'u32'],
  timerSlack: [C.TCA_FQ_TIMER_SLACK, 'u32'],
  horizon: [C.TCA_FQ_HORIZON, 'u32'],
  horizonDrop: [C.TCA_FQ_HORIZON_DROP, 'u8'],
  priomap: [C.TCA_FQ_PRIOMAP, tcPrioQopt],
  // One s32 weight per band (FQ_BANDS).
  weights: [C.TCA_FQ_WEIGHTS, 'binary'],
});
/** struct tc_fq_qd_stats (fq's TCA_XSTATS). */
export const tcFqQdStats = struct(
  'tc_fq_qd_stats',
  [
    ['gcFlows', 'u64'],
    ['highprioPackets', 'u64'],
    ['tcpRetrans', 'u64'],
    ['throttled', 'u64'],
    ['flowsPlimit', 'u64'],
    ['pktsTooLong', 'u64'],
    ['allocationErrors', 'u64'],
    ['timeNextDelayedFlow', 's64'],
    ['flows', 'u32'],
    ['inactiveFlows', 'u32'],
    ['throttledFlows', 'u32'],
    ['unthrottleLatencyNs', 'u32'],
    ['ceMark', 'u64'],
    ['horizonDrops', 'u64'],
    ['horizonCaps', 'u64'],
  ],
  104,
);

export const cakeAttrs = attrs('TCA_CAKE', {
  pad: [C.TCA_CAKE_PAD, 'binary'],
  baseRate64: [C.TCA_CAKE_BASE_RATE64, 'u64'],
  diffservMode: [C.TCA_CAKE_DIFFSERV_MODE, 'u32'],
  atm: [C.TCA_CAKE_ATM, 'u32'],
  flowMode: [C.TCA_CAKE_FLOW_MODE, 'u32'],
  overhead: [C.TCA_CAKE_OVERHEAD, 's32'],
  rtt: [C.TCA_CAKE_RTT, 'u32'],
  target: [C.TCA_CAKE_TARGET, 'u32'],
  autorate: [C.TCA_CAKE_AUTORATE, 'u32'],
  memory: [C.TCA_CAKE_MEMORY, 'u32'],
  nat: [C.TCA_CAKE_NAT, 'u32'],
  raw: [C.TCA_CAKE_RAW, 'u32'],
  wash: [C.TCA_CAKE_WASH, 'u32'],
  mpu: [C.TCA_CAKE_MPU, 'u32'],
  ingress: [C.TCA_CAKE_INGRESS, 'u32'],
  ackFilter: [C.TCA_CAKE_ACK_FILTER, 'u32'],
  splitGso: [C.TCA_CAKE_SPLIT_GSO, 'u32'],
  fwmark: [C.TCA_CAKE_FWMARK, 'u32'],
});

/** struct tc_red_qopt (TCA_RED_PARMS). */
export const tcRedQopt = struct(
  'tc_red_qopt',
  [
    ['limit', 'u32'],
    ['qthMin', 'u32'],
    ['qthMax', 'u32'],
    ['wlog', 'u8'],
    ['plog', 'u8'],
    ['scellLog', 'u8'],
    ['flags', 'u8'],
  ],
  16,
);
export const redAttrs = attrs('TCA_RED', {
  parms: [C.TCA_RED_PARMS, tcRedQopt],
  stab: [C.TCA_RED_STAB, 'binary'],
  maxP: [C.TCA_RED_MAX_P, 'u32'],
  flags: [C.TCA_RED_FLAGS, bitfield32],
  earlyDropBlock: [C.TCA_RED_EARLY_DROP_BLOCK, 'u32'],
  markBlock: [C.TCA_RED_MARK_BLOCK, 'u32'],
});
/** struct tc_red_xstats. */
export const tcRedXstats = struct(
  'tc_red_xstats',
  [
    ['early', 'u32'],
    ['pdrop', 'u32'],
    ['other', 'u32'],
    ['marked', 'u32'],
  ],
  16,
);

/** struct tc_sfq_qopt_v1 (sfq's TCA_OPTIONS: tc sends v1, the kernel dumps v1). */
export const tcSfqQoptV1 = struct(
  'tc_sfq_qopt_v1',
  [
    ['quantum', 'u32'],
    ['perturbPeriod', 's32'],
    ['limit', 'u32'],
    ['divisor', 'u32'],
    ['flows', 'u32'],
    ['depth', 'u32'],
    ['headdrop', 'u32'],
    ['redLimit', 'u32'],
    ['qthMin', 'u32'],
    ['qthMax', 'u32'],
    ['wlog', 'u8'],
    ['plog', 'u8'],
    ['scellLog', 'u8'],
    ['flags', 'u8'],
    ['maxP', 'u32'],
    ['probDrop', 'u32'],
    ['forcedDrop', 'u32'],
    ['probMark', 'u32'],
    ['forcedMark', 'u32'],
    ['probMarkHead', 'u32'],
    ['forcedMarkHead', 'u32'],
  ],
  72,
);
export const tcSfqXstats = struct('tc_sfq_xstats', [['allot', 's32']], 4);

/** TCA_OPTIONS of qdiscs and classes, by TCA_KIND. */
export const qdiscOptionCases = {
  pfifo: tcFifoQopt,
  bfifo: tcFifoQopt,
  pfifo_head_drop: tcFifoQopt,
  pfifo_fast: tcPrioQopt,
  prio: headered(tcPrioQopt, prioCompatAttrs),
  tbf: nest(tbfAttrs),
  htb: nest(htbAttrs),
  netem: headered(tcNetemQopt, netemAttrs),
  fq_codel: nest(fqCodelAttrs),
  fq: nest(fqAttrs),
  cake: nest(cakeAttrs),
  red: nest(redAttrs),
  sfq: tcSfqQoptV1,
} as const satisfies Record<string, Kind>;

/** The kinds whose xstats are declared here (htb's are a class's); xstats.ts has the full table. */
export const qdiscXstatsCases = {
  htb: tcHtbXstats,
  fq: tcFqQdStats,
  red: tcRedXstats,
  sfq: tcSfqXstats,
} as const satisfies Record<string, Kind>;
