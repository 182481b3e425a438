/** The fq_codel qdisc. Equivalent to: tc qdisc ... fq_codel [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { sizeOf, timeOf } from '../../codec/tc/parse.js';
import type { Json } from '../json.js';
import { hash0x } from '../json.js';
import {
  defineTcKind,
  U32_MAX,
  intIn,
  camelKeys,
  keywordOptions,
  sizeText,
  timeText,
  type QdiscKindOptions,
} from './common.js';

/*
 * Printing follows iproute2 6.1's tc/q_fq_codel.c (fq_codel_print_opt, fq_codel_print_xstats):
 * the options in that order, times in microseconds (text: sprint_time), ecn and drop_batch only
 * when set; the qdisc's xstats on two lines, ce_mark, memory_used and drop_overmemory only when
 * not zero; a class's (one flow's) on one.
 */
const x = (v: unknown): number => (typeof v === 'number' ? v : 0);

export default defineTcKind<QdiscKindOptions['fq_codel']>({
  kind: 'fq_codel',
  keys: ['limit', 'flows', 'target', 'interval', 'quantum', 'ceThreshold', 'memoryLimit', 'ecn'],
  data: qdiscOptionCases.fq_codel,
  toAttrs: (o, { field: f }) => {
    const out: Record<string, unknown> = {};
    if (o.limit !== undefined) out.limit = intIn(o.limit, 0, U32_MAX, `${f}.limit`);
    if (o.flows !== undefined) out.flows = intIn(o.flows, 1, 65536, `${f}.flows`);
    if (o.quantum !== undefined) out.quantum = intIn(o.quantum, 0, U32_MAX, `${f}.quantum`);
    if (o.interval !== undefined) out.interval = timeOf(o.interval, `${f}.interval`);
    if (o.target !== undefined) out.target = timeOf(o.target, `${f}.target`);
    if (o.ceThreshold !== undefined) out.ceThreshold = timeOf(o.ceThreshold, `${f}.ceThreshold`);
    if (o.memoryLimit !== undefined) out.memoryLimit = sizeOf(o.memoryLimit, `${f}.memoryLimit`);
    if (o.ecn !== undefined) out.ecn = o.ecn ? 1 : 0;
    return out;
  },
  json: (o) => {
    const j: Json = {};
    if (o.limit !== undefined) j.limit = o.limit;
    if (o.flows !== undefined) j.flows = o.flows;
    if (o.quantum !== undefined) j.quantum = o.quantum;
    if (o.target !== undefined) j.target = o.target;
    if (o.ceThreshold !== undefined) j.ce_threshold = o.ceThreshold;
    if (o.ceThresholdSelector !== undefined && o.ceThresholdMask !== undefined) {
      j.ce_threshold_selector = hash0x(o.ceThresholdSelector);
      j.ce_threshold_mask = hash0x(o.ceThresholdMask);
    }
    if (o.interval !== undefined) j.interval = o.interval;
    if (o.memoryLimit !== undefined) j.memory_limit = o.memoryLimit;
    if (o.ecn) j.ecn = true;
    if (o.dropBatchSize) j.drop_batch = o.dropBatchSize;
    return j;
  },
  text: (j) => {
    let s = '';
    if (j.limit !== undefined) s += `limit ${j.limit}p `;
    if (j.flows !== undefined) s += `flows ${j.flows} `;
    if (j.quantum !== undefined) s += `quantum ${j.quantum} `;
    if (j.target !== undefined) s += `target ${timeText(j.target as number)} `;
    if (j.ce_threshold !== undefined) s += `ce_threshold ${timeText(j.ce_threshold as number)} `;
    if (j.ce_threshold_selector !== undefined)
      s += `ce_threshold_selector ${j.ce_threshold_selector}/${j.ce_threshold_mask} `;
    if (j.interval !== undefined) s += `interval ${timeText(j.interval as number)} `;
    if (j.memory_limit !== undefined) s += `memory_limit ${sizeText(j.memory_limit as number)} `;
    if (j.ecn) s += 'ecn ';
    if (j.drop_batch !== undefined) s += `drop_batch ${j.drop_batch} `;
    return s;
  },
  xstatsJson: (xs) => {
    const j: Json = {};
    if (xs?.type === 'qdisc') {
      const q = xs.qdisc ?? {};
      j.maxpacket = x(q.maxpacket);
      j.drop_overlimit = x(q.dropOverlimit);
      j.new_flow_count = x(q.newFlowCount);
      j.ecn_mark = x(q.ecnMark);
      if (q.ceMark) j.ce_mark = q.ceMark;
      if (q.memoryUsage) j.memory_used = q.memoryUsage;
      if (q.dropOvermemory) j.drop_overmemory = q.dropOvermemory;
      j.new_flows_len = x(q.newFlowsLen);
      j.old_flows_len = x(q.oldFlowsLen);
    } else if (xs?.type === 'class') {
      const c = xs.class ?? {};
      j.deficit = x(c.deficit);
      j.count = x(c.count);
      j.lastcount = x(c.lastcount);
      j.ldelay = x(c.ldelay);
      // "dropping" is text only; drop_next reaches the JSON only when not negative.
      if (c.dropping && x(c.dropNext) >= 0) j.drop_next = x(c.dropNext);
    }
    return j;
  },
  xstatsText: (xs) => {
    if (xs?.type === 'qdisc') {
      const q = xs.qdisc ?? {};
      let l = `  maxpacket ${x(q.maxpacket)} drop_overlimit ${x(q.dropOverlimit)} new_flow_count ${x(q.newFlowCount)} ecn_mark ${x(q.ecnMark)}`;
      if (q.ceMark) l += ` ce_mark ${q.ceMark}`;
      if (q.memoryUsage) l += ` memory_used ${q.memoryUsage}`;
      if (q.dropOvermemory) l += ` drop_overmemory ${q.dropOvermemory}`;
      return [l, `  new_flows_len ${x(q.newFlowsLen)} old_flows_len ${x(q.oldFlowsLen)}`];
    }
    if (xs?.type === 'class') {
      const c = xs.class ?? {};
      let l = `  deficit ${x(c.deficit)} count ${x(c.count)} lastcount ${x(c.lastcount)} ldelay ${timeText(x(c.ldelay))}`;
      if (c.dropping) {
        const n = x(c.dropNext);
        l += ' dropping';
        l += n < 0 ? ` drop_next -${timeText(-n)}` : ` drop_next ${timeText(n)}`;
      }
      return [l];
    }
    return [];
  },
  parseArgs: (w) => {
    const o = keywordOptions(w, 'fq_codel', {
      limit: 'num',
      flows: 'num',
      target: 'str',
      interval: 'str',
      quantum: 'num',
      ce_threshold: 'str',
      memory_limit: 'str',
      ecn: 'flag',
      noecn: 'flag',
    });
    if (o.noecn) o.ecn = false;
    delete o.noecn;
    return camelKeys(o);
  },
});
