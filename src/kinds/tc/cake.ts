/** The cake qdisc. Equivalent to: tc qdisc ... cake [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf } from '../../codec/tc/parse.js';
import * as C from '../../codec/constants/index.js';
import type { Json } from '../json.js';
import { defineTcKind, keywordOptions, rateText, sizeText, timeText, type QdiscKindOptions } from './common.js';

/*
 * Printing follows upstream tc/q_cake.c (cake_print_opt, cake_print_xstats, cake_print_json_tin)
 * with what the iproute2 6.1 binary's format strings add: memlimit (TCA_CAKE_MEMORY, "memlimit %s
 * ", trailing space) and fwmark ("fwmark 0x%x ", text only here: its JSON form is not known).
 * Modes print as their names; nat, wash, split-gso, raw and ingress as booleans in JSON and as
 * words in text. The xstats: memory, capacity estimate, sizes, then a class's deficit (text:
 * unsigned, as tc's %u prints it), COBALT and BLUE state, then the tins (JSON: one object each;
 * text: a table with a column per tin).
 */
const DIFFSERV: Record<number, string> = {
  [C.CAKE_DIFFSERV_DIFFSERV3]: 'diffserv3',
  [C.CAKE_DIFFSERV_DIFFSERV4]: 'diffserv4',
  [C.CAKE_DIFFSERV_DIFFSERV8]: 'diffserv8',
  [C.CAKE_DIFFSERV_BESTEFFORT]: 'besteffort',
  [C.CAKE_DIFFSERV_PRECEDENCE]: 'precedence',
};
const FLOWMODE: Record<number, string> = {
  [C.CAKE_FLOW_NONE]: 'flowblind',
  [C.CAKE_FLOW_SRC_IP]: 'srchost',
  [C.CAKE_FLOW_DST_IP]: 'dsthost',
  [C.CAKE_FLOW_HOSTS]: 'hosts',
  [C.CAKE_FLOW_FLOWS]: 'flows',
  [C.CAKE_FLOW_DUAL_SRC]: 'dual-srchost',
  [C.CAKE_FLOW_DUAL_DST]: 'dual-dsthost',
  [C.CAKE_FLOW_TRIPLE]: 'triple-isolate',
};
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
/** The tin rows of tc's table: label, attribute, how a value prints. */
const TIN_ROWS: Array<[string, string, (v: number) => string]> = [
  ['  thresh  ', 'thresholdRate64', rateText],
  ['  target  ', 'targetUs', timeText],
  ['  interval', 'intervalUs', timeText],
  ['  pk_delay', 'peakDelayUs', timeText],
  ['  av_delay', 'avgDelayUs', timeText],
  ['  sp_delay', 'baseDelayUs', timeText],
  ['  backlog ', 'backlogBytes', sizeText],
  ['  pkts    ', 'sentPackets', String],
  ['  bytes   ', 'sentBytes64', String],
  ['  way_inds', 'wayIndirectHits', String],
  ['  way_miss', 'wayMisses', String],
  ['  way_cols', 'wayCollisions', String],
  ['  drops   ', 'droppedPackets', String],
  ['  marks   ', 'ecnMarkedPackets', String],
  ['  ack_drop', 'acksDroppedPackets', String],
  ['  sp_flows', 'sparseFlows', String],
  ['  bk_flows', 'bulkFlows', String],
  ['  un_flows', 'unresponsiveFlows', String],
  ['  max_len ', 'maxSkblen', String],
  ['  quantum ', 'flowQuantum', String],
];
/** cake_print_json_tin's keys, in its order. */
const TIN_JSON: Array<[string, string]> = [
  ['threshold_rate', 'thresholdRate64'],
  ['sent_bytes', 'sentBytes64'],
  ['backlog_bytes', 'backlogBytes'],
  ['target_us', 'targetUs'],
  ['interval_us', 'intervalUs'],
  ['peak_delay_us', 'peakDelayUs'],
  ['avg_delay_us', 'avgDelayUs'],
  ['base_delay_us', 'baseDelayUs'],
  ['sent_packets', 'sentPackets'],
  ['way_indirect_hits', 'wayIndirectHits'],
  ['way_misses', 'wayMisses'],
  ['way_collisions', 'wayCollisions'],
  ['drops', 'droppedPackets'],
  ['ecn_mark', 'ecnMarkedPackets'],
  ['ack_drops', 'acksDroppedPackets'],
  ['sparse_flows', 'sparseFlows'],
  ['bulk_flows', 'bulkFlows'],
  ['unresponsive_flows', 'unresponsiveFlows'],
  ['max_pkt_len', 'maxSkblen'],
  ['flow_quantum', 'flowQuantum'],
];
const tinsOf = (st: any): any[] => (Array.isArray(st?.tinStats) ? st.tinStats.filter((t: unknown) => t) : []);
const pad12 = (v: string) => ` ${v.padStart(12)}`;

export default defineTcKind<QdiscKindOptions['cake']>({
  kind: 'cake',
  keys: ['bandwidth'],
  data: qdiscOptionCases.cake,
  toAttrs: (o, { field: f }) =>
    o.bandwidth === undefined ? {} : { baseRate64: rateOf(o.bandwidth, `${f}.bandwidth`), autorate: 0 },
  json: (o) => {
    const j: Json = {};
    if (o.baseRate64 !== undefined) j.bandwidth = num(o.baseRate64) ? num(o.baseRate64) : 'unlimited';
    if (o.autorate === 1) j.autorate = 'autorate-ingress';
    else if (o.autorate) j.autorate = 'unknown';
    if (o.diffservMode !== undefined) j.diffserv = DIFFSERV[o.diffservMode] ?? 'unknown';
    if (o.flowMode !== undefined) j.flowmode = FLOWMODE[o.flowMode] ?? 'unknown';
    j.nat = !!o.nat;
    j.wash = !!o.wash;
    j.ingress = !!o.ingress;
    j['ack-filter'] =
      o.ackFilter === C.CAKE_ACK_AGGRESSIVE ? 'aggressive' : o.ackFilter === C.CAKE_ACK_FILTER ? 'enabled' : 'disabled';
    j.split_gso = !!o.splitGso;
    j.rtt = o.rtt ?? 0;
    j.raw = o.raw !== undefined;
    if (o.atm === C.CAKE_ATM_ATM) j.atm = 'atm';
    else if (o.atm === C.CAKE_ATM_PTM) j.atm = 'ptm';
    else if (o.raw === undefined) j.atm = 'noatm';
    j.overhead = o.overhead ?? 0;
    if (o.mpu) j.mpu = o.mpu;
    if (o.memory) j.memlimit = o.memory;
    // Not JSON (its -j form is not known here); the text printer reads it from here.
    if (o.fwmark) Object.defineProperty(j, 'fwmark', { value: o.fwmark, enumerable: false });
    return j;
  },
  text: (j) => {
    let s = '';
    if (j.bandwidth !== undefined)
      s += `bandwidth ${typeof j.bandwidth === 'number' ? rateText(j.bandwidth) : j.bandwidth} `;
    if (j.autorate === 'autorate-ingress') s += 'autorate-ingress ';
    else if (j.autorate !== undefined) s += '(?autorate?) ';
    for (const k of ['diffserv', 'flowmode']) if (j[k] !== undefined) s += j[k] === 'unknown' ? `(?${k}?)` : `${j[k]} `;
    s += j.nat ? 'nat ' : 'nonat ';
    s += j.wash ? 'wash ' : 'nowash ';
    if (j.ingress) s += 'ingress ';
    const af = j['ack-filter'];
    s += af === 'aggressive' ? 'ack-filter-aggressive ' : af === 'enabled' ? 'ack-filter ' : 'no-ack-filter ';
    s += j.split_gso ? 'split-gso ' : 'no-split-gso ';
    if (j.rtt) s += `rtt ${timeText(j.rtt as number)} `;
    if (j.raw) s += 'raw ';
    if (j.atm !== undefined) s += `${j.atm} `;
    s += `overhead ${j.overhead} `;
    if (j.mpu !== undefined) s += `mpu ${j.mpu} `;
    if (j.memlimit !== undefined) s += `memlimit ${sizeText(j.memlimit as number)} `;
    if (j.fwmark) s += `fwmark 0x${(j.fwmark as number).toString(16)} `;
    return s;
  },
  xstatsJson: (st) => {
    const j: Json = {};
    if (st.memoryUsed !== undefined && st.memoryLimit !== undefined) {
      j.memory_used = st.memoryUsed;
      j.memory_limit = st.memoryLimit;
    }
    if (st.capacityEstimate64 !== undefined) j.capacity_estimate = num(st.capacityEstimate64);
    if (st.minNetlen !== undefined && st.maxNetlen !== undefined) {
      j.min_network_size = st.minNetlen;
      j.max_network_size = st.maxNetlen;
    }
    if (st.minAdjlen !== undefined && st.maxAdjlen !== undefined) {
      j.min_adj_size = st.minAdjlen;
      j.max_adj_size = st.maxAdjlen;
    }
    if (st.avgNetoff !== undefined) j.avg_hdr_offset = st.avgNetoff;
    if (st.deficit !== undefined) j.deficit = st.deficit;
    if (st.cobaltCount !== undefined) j.count = st.cobaltCount;
    if (st.dropping) {
      j.dropping = true;
      if (num(st.dropNextUs) >= 0 && st.dropNextUs !== undefined) j.drop_next = st.dropNextUs;
    }
    if (st.pDrop !== undefined) {
      j.blue_prob = st.pDrop;
      if (num(st.blueTimerUs) >= 0 && st.blueTimerUs !== undefined) j.blue_timer = st.blueTimerUs;
    }
    const tins = tinsOf(st);
    if (tins.length)
      j.tins = tins.map((t) => {
        const o: Json = {};
        for (const [key, attr] of TIN_JSON) if (t[attr] !== undefined) o[key] = num(t[attr]);
        return o;
      });
    return j;
  },
  xstatsText: (st) => {
    // tc writes this block with embedded newlines; these are its lines.
    let out = '';
    if (st.memoryUsed !== undefined && st.memoryLimit !== undefined)
      out += ` memory used: ${sizeText(st.memoryUsed)} of ${sizeText(st.memoryLimit)}\n`;
    if (st.capacityEstimate64 !== undefined) out += ` capacity estimate: ${rateText(num(st.capacityEstimate64))}\n`;
    if (st.minNetlen !== undefined && st.maxNetlen !== undefined)
      out += ` min/max network layer size: ${String(st.minNetlen).padStart(12)} /${String(st.maxNetlen).padStart(8)}\n`;
    if (st.minAdjlen !== undefined && st.maxAdjlen !== undefined)
      out += ` min/max overhead-adjusted size: ${String(st.minAdjlen).padStart(8)} /${String(st.maxAdjlen).padStart(8)}\n`;
    if (st.avgNetoff !== undefined) out += ` average network hdr offset: ${String(st.avgNetoff).padStart(12)}\n\n`;
    if (st.deficit !== undefined) out += `  deficit ${st.deficit >>> 0}`;
    if (st.cobaltCount !== undefined) out += ` count ${st.cobaltCount}`;
    // tc hands sprint_time the negative value itself: it prints as a huge unsigned time.
    const time = (v: number) => (v < 0 ? `-${timeText(v >>> 0)}` : timeText(v));
    if (st.dropping) {
      out += ' dropping';
      if (st.dropNextUs !== undefined) out += ` drop_next ${time(st.dropNextUs)}`;
    }
    if (st.pDrop !== undefined) {
      out += ` blue_prob ${st.pDrop}`;
      if (st.blueTimerUs !== undefined) out += ` blue_timer ${time(st.blueTimerUs)}`;
    }
    const tins = tinsOf(st);
    if (tins.length) {
      if (out !== '' && !out.endsWith('\n')) out += '\n';
      if (tins.length === 3) out += '                   Bulk  Best Effort        Voice\n';
      else if (tins.length === 4) out += '                   Bulk  Best Effort        Video        Voice\n';
      else out += `          ${tins.map((_, i) => `        Tin ${i}`).join('')}\n`;
      for (const [label, attr, fmt] of TIN_ROWS)
        if (tins[0][attr] !== undefined) out += `${label}${tins.map((t) => pad12(fmt(num(t[attr])))).join('')}\n`;
    }
    // A trailing newline stays an empty last line: tc's print_nl after it leaves a blank line.
    return out === '' ? [] : out.split('\n');
  },
  parseArgs: (w) => keywordOptions(w, 'cake', { bandwidth: 'str' }),
});
