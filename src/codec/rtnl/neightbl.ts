/**
 * Neighbour tables: struct ndtmsg + NDTA_* (RTM_NEWNEIGHTBL, RTM_GETNEIGHTBL, RTM_SETNEIGHTBL), as
 * `ip ntable show` dumps them: one message per table (arp_cache, ndisc_cache) with its
 * configuration and statistics, and one per device with that device's NDTPA_* parameters.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, nest, struct, type SetValues, type StructValue } from '../schema.js';

export const ndtmsg = struct(
  'ndtmsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
  ],
  4,
);
export type NdtMsg = StructValue<typeof ndtmsg.fields>;

/** struct ndt_config (NDTA_CONFIG, read-only); last_flush and last_rand are msecs ago. */
export const ndtConfig = struct(
  'ndt_config',
  [
    ['keyLen', 'u16'],
    ['entrySize', 'u16'],
    ['entries', 'u32'],
    ['lastFlush', 'u32'],
    ['lastRand', 'u32'],
    ['hashRnd', 'u32'],
    ['hashMask', 'u32'],
    ['hashChainGc', 'u32'],
    ['proxyQlen', 'u32'],
  ],
  32,
);

/** struct ndt_stats (NDTA_STATS, read-only). */
export const ndtStats = struct(
  'ndt_stats',
  (
    [
      'allocs',
      'destroys',
      'hashGrows',
      'resFailed',
      'lookups',
      'hits',
      'rcvProbesMcast',
      'rcvProbesUcast',
      'periodicGcRuns',
      'forcedGcRuns',
      'tableFulls',
    ] as const
  ).map((n) => [n, 'u64'] as const),
  88,
);

/** NDTA_PARMS: a table's defaults (no ifindex) or one device's parameters. Times in msecs. */
export const ndtpaAttrs = attrs('NDTPA', {
  ifindex: [C.NDTPA_IFINDEX, 'u32'],
  refcnt: [C.NDTPA_REFCNT, 'u32'],
  reachableTime: [C.NDTPA_REACHABLE_TIME, 'u64'],
  baseReachableTime: [C.NDTPA_BASE_REACHABLE_TIME, 'u64'],
  retransTime: [C.NDTPA_RETRANS_TIME, 'u64'],
  gcStaletime: [C.NDTPA_GC_STALETIME, 'u64'],
  delayProbeTime: [C.NDTPA_DELAY_PROBE_TIME, 'u64'],
  queueLen: [C.NDTPA_QUEUE_LEN, 'u32'],
  appProbes: [C.NDTPA_APP_PROBES, 'u32'],
  ucastProbes: [C.NDTPA_UCAST_PROBES, 'u32'],
  mcastProbes: [C.NDTPA_MCAST_PROBES, 'u32'],
  anycastDelay: [C.NDTPA_ANYCAST_DELAY, 'u64'],
  proxyDelay: [C.NDTPA_PROXY_DELAY, 'u64'],
  proxyQlen: [C.NDTPA_PROXY_QLEN, 'u32'],
  locktime: [C.NDTPA_LOCKTIME, 'u64'],
  queueLenbytes: [C.NDTPA_QUEUE_LENBYTES, 'u32'],
  mcastReprobes: [C.NDTPA_MCAST_REPROBES, 'u32'],
  pad: [C.NDTPA_PAD, 'binary'],
  intervalProbeTimeMs: [C.NDTPA_INTERVAL_PROBE_TIME_MS, 'u64'],
});

export const neightblAttrs = attrs('NDTA', {
  name: [C.NDTA_NAME, 'string'],
  thresh1: [C.NDTA_THRESH1, 'u32'],
  thresh2: [C.NDTA_THRESH2, 'u32'],
  thresh3: [C.NDTA_THRESH3, 'u32'],
  config: [C.NDTA_CONFIG, ndtConfig],
  parms: [C.NDTA_PARMS, nest(ndtpaAttrs)],
  stats: [C.NDTA_STATS, ndtStats],
  gcInterval: [C.NDTA_GC_INTERVAL, 'u64'],
  pad: [C.NDTA_PAD, 'binary'],
});
export type NeightblAttrs = SetValues<typeof neightblAttrs>;

export const neightblMessages: MessageDef = {
  family: 'neightbl',
  types: {
    [C.RTM_NEWNEIGHTBL]: 'RTM_NEWNEIGHTBL',
    [C.RTM_GETNEIGHTBL]: 'RTM_GETNEIGHTBL',
    [C.RTM_SETNEIGHTBL]: 'RTM_SETNEIGHTBL',
  },
  header: ndtmsg,
  attrs: neightblAttrs,
};
