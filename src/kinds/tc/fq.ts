/** The fq qdisc. Equivalent to: tc qdisc ... fq [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, sizeOf } from '../../codec/tc/parse.js';
import type { Json } from '../json.js';
import {
  defineTcKind,
  U32_MAX,
  intIn,
  camelKeys,
  keywordOptions,
  rateText,
  sizeText,
  time64Text,
  timeText,
  type QdiscKindOptions,
} from './common.js';

/*
 * Printing follows iproute2 6.1's tc/q_fq.c (fq_print_opt, fq_print_xstats), checked against the
 * format strings of the tc 6.1 binary: rates and sizes are numbers in JSON and tc's units in
 * text, maxrate only when not unlimited, defrate and low_rate_threshold only when set, pacing
 * only when off. tc prints "throttled" twice in -j (the throttled flows, then the throttled
 * packets); a JSON reader keeps the last, and so does this object.
 */
const n = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);

export default defineTcKind<QdiscKindOptions['fq']>({
  kind: 'fq',
  keys: ['limit', 'flowLimit', 'quantum', 'initialQuantum', 'maxrate', 'buckets', 'pacing'],
  data: qdiscOptionCases.fq,
  toAttrs: (o, { field: f }) => {
    const out: Record<string, unknown> = {};
    if (o.limit !== undefined) out.plimit = intIn(o.limit, 0, U32_MAX, `${f}.limit`);
    if (o.flowLimit !== undefined) out.flowPlimit = intIn(o.flowLimit, 0, U32_MAX, `${f}.flowLimit`);
    if (o.quantum !== undefined) out.quantum = sizeOf(o.quantum, `${f}.quantum`);
    if (o.initialQuantum !== undefined) out.initialQuantum = sizeOf(o.initialQuantum, `${f}.initialQuantum`);
    if (o.maxrate !== undefined) {
      const r = rateOf(o.maxrate, `${f}.maxrate`);
      out.flowMaxRate = r > BigInt(U32_MAX) ? U32_MAX : Number(r);
    }
    if (o.buckets !== undefined) out.bucketsLog = Math.ceil(Math.log2(intIn(o.buckets, 1, 1 << 30, `${f}.buckets`)));
    if (o.pacing !== undefined) out.rateEnable = o.pacing ? 1 : 0;
    return out;
  },
  json: (o) => {
    const j: Json = {};
    if (o.plimit !== undefined) j.limit = o.plimit;
    if (o.flowPlimit !== undefined) j.flow_limit = o.flowPlimit;
    if (o.bucketsLog !== undefined) j.buckets = 2 ** o.bucketsLog;
    if (o.orphanMask !== undefined) j.orphan_mask = o.orphanMask;
    if (o.rateEnable === 0) j.pacing = false;
    if (o.quantum !== undefined) j.quantum = o.quantum;
    if (o.initialQuantum !== undefined) j.initial_quantum = o.initialQuantum;
    if (o.flowMaxRate !== undefined && o.flowMaxRate !== U32_MAX) j.maxrate = o.flowMaxRate;
    if (o.flowDefaultRate) j.defrate = o.flowDefaultRate;
    if (o.lowRateThreshold) j.low_rate_threshold = o.lowRateThreshold;
    if (o.flowRefillDelay !== undefined) j.refill_delay = o.flowRefillDelay;
    if (o.ceThreshold !== undefined && o.ceThreshold !== U32_MAX) j.ce_threshold = o.ceThreshold;
    if (o.timerSlack !== undefined) j.timer_slack = o.timerSlack;
    if (o.horizon !== undefined) j.horizon = o.horizon;
    if (o.horizonDrop !== undefined) j[o.horizonDrop ? 'horizon_drop' : 'horizon_cap'] = null;
    return j;
  },
  text: (j) => {
    let s = '';
    if (j.limit !== undefined) s += `limit ${j.limit}p `;
    if (j.flow_limit !== undefined) s += `flow_limit ${j.flow_limit}p `;
    if (j.buckets !== undefined) s += `buckets ${j.buckets} `;
    if (j.orphan_mask !== undefined) s += `orphan_mask ${j.orphan_mask} `;
    if (j.pacing === false) s += 'nopacing ';
    if (j.quantum !== undefined) s += `quantum ${sizeText(j.quantum as number)} `;
    if (j.initial_quantum !== undefined) s += `initial_quantum ${sizeText(j.initial_quantum as number)} `;
    for (const k of ['maxrate', 'defrate', 'low_rate_threshold'])
      if (j[k] !== undefined) s += `${k} ${rateText(j[k] as number)} `;
    if (j.refill_delay !== undefined) s += `refill_delay ${timeText(j.refill_delay as number)} `;
    if (j.ce_threshold !== undefined) s += `ce_threshold ${timeText(j.ce_threshold as number)} `;
    if (j.timer_slack !== undefined) s += `timer_slack ${time64Text(j.timer_slack as number)} `;
    if (j.horizon !== undefined) s += `horizon ${timeText(j.horizon as number)} `;
    if ('horizon_cap' in j) s += 'horizon_cap ';
    if ('horizon_drop' in j) s += 'horizon_drop ';
    return s;
  },
  xstatsJson: (st) => {
    const j: Json = { flows: n(st.flows), inactive: n(st.inactiveFlows), throttled: n(st.throttledFlows) };
    if (n(st.timeNextDelayedFlow) > 0) j.next_packet_delay = n(st.timeNextDelayedFlow);
    j.gc = n(st.gcFlows);
    j.highprio = n(st.highprioPackets);
    if (n(st.tcpRetrans)) j.retrans = n(st.tcpRetrans);
    j.throttled = n(st.throttled);
    if (n(st.unthrottleLatencyNs)) j.latency = n(st.unthrottleLatencyNs);
    if (n(st.ceMark)) j.ce_mark = n(st.ceMark);
    if (n(st.flowsPlimit)) j.flows_plimit = n(st.flowsPlimit);
    if (n(st.pktsTooLong)) j.pkts_too_long = n(st.pktsTooLong);
    if (n(st.allocationErrors)) j.alloc_errors = n(st.allocationErrors);
    if (n(st.horizonDrops)) j.horizon_drops = n(st.horizonDrops);
    if (n(st.horizonCaps)) j.horizon_caps = n(st.horizonCaps);
    return j;
  },
  xstatsText: (st) => {
    let a = `  flows ${n(st.flows)} (inactive ${n(st.inactiveFlows)} throttled ${n(st.throttledFlows)})`;
    if (n(st.timeNextDelayedFlow) > 0) a += ` next_packet_delay ${time64Text(n(st.timeNextDelayedFlow))}`;
    let b = `  gc ${n(st.gcFlows)} highprio ${n(st.highprioPackets)}`;
    if (n(st.tcpRetrans)) b += ` retrans ${n(st.tcpRetrans)}`;
    b += ` throttled ${n(st.throttled)}`;
    if (n(st.unthrottleLatencyNs)) b += ` latency ${time64Text(n(st.unthrottleLatencyNs))}`;
    if (n(st.ceMark)) b += ` ce_mark ${n(st.ceMark)}`;
    if (n(st.flowsPlimit)) b += ` flows_plimit ${n(st.flowsPlimit)}`;
    const lines = [a, b];
    if (n(st.pktsTooLong) || n(st.allocationErrors) || n(st.horizonDrops) || n(st.horizonCaps)) {
      let c = '';
      if (n(st.pktsTooLong)) c += ` pkts_too_long ${n(st.pktsTooLong)}`;
      if (n(st.allocationErrors)) c += ` alloc_errors ${n(st.allocationErrors)}`;
      if (n(st.horizonDrops)) c += ` horizon_drops ${n(st.horizonDrops)}`;
      // Two spaces, as tc 6.1's format string has them.
      if (n(st.horizonCaps)) c += `  horizon_caps ${n(st.horizonCaps)}`;
      lines.push(c);
    }
    return lines;
  },
  parseArgs: (w) => {
    const o = keywordOptions(w, 'fq', {
      limit: 'num',
      flow_limit: 'num',
      quantum: 'str',
      initial_quantum: 'str',
      maxrate: 'str',
      buckets: 'num',
      pacing: 'flag',
      nopacing: 'flag',
    });
    if (o.nopacing) o.pacing = false;
    delete o.nopacing;
    return camelKeys(o);
  },
});
