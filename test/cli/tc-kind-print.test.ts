// How rtnl prints the qdisc kinds this kernel lacks (fq_codel, fq, red, sfq, prio), text and -j,
// with and without -s. tc 6.1 here cannot show them live (the kernel refuses to create them), so:
// - the options are tc's own: the TCA_OPTIONS of its add requests in fixtures/tc (what tc sent is
//   what the kernel keeps and dumps for these attribute-set kinds; sfq's struct is as tc sent it,
//   with the fields tc left zero, which the kernel would fill in), put in an RTM_NEWQDISC reply;
// - the xstats (and one fq_codel option set the kernel dumps by default) are made by rtnl's own
//   encoder from the struct declarations in src/codec (which follow pkt_sched.h); no byte here
//   is typed by hand. Every reply goes through encode() and decode() as a kernel reply does.
// The expected layouts follow iproute2 6.1's tc/q_fq_codel.c, q_fq.c, q_red.c (with tc_red.c),
// q_sfq.c, q_prio.c, q_cake.c and q_netem.c print_opt / print_xstats, checked against the format
// strings in the iproute2-6.1.0 tc binary on this machine; where an older upstream file differs
// (the source read for q_fq.c, q_red.c and q_cake.c predates 6.1), the 6.1 binary's strings decide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, encodeAttrs, type NetlinkMessage } from '../../src/codec/index.js';
import { cakeStatsAttrs } from '../../src/codec/tc/index.js';
import * as C from '../../src/codec/constants/index.js';
import { classText, qdiscJson, qdiscText } from '../../src/cli/tc-format.js';
import { toTcObject } from '../../src/ops/tc.js';
import { parsePsched, qdiscPrinter } from '../../src/ops/tc-kinds.js';
import { loadFixture } from '../helpers/fixtures.js';

const ps = parsePsched('000003e8 00000040 000f4240 3b9aca00');
const names = new Map([[3, 't0']]);
const stats2 = {
  basic: { bytes: 4242n, packets: 3, pad: new Uint8Array(4) },
  queue: { qlen: 0, backlog: 0, drops: 1, requeues: 0, overlimits: 0 },
};
const STATS = [' Sent 4242 bytes 3 pkt (dropped 1, overlimits 0 requeues 0) ', ' backlog 0b 0p requeues 0'];
const STATS_JSON = { bytes: 4242, packets: 3, drops: 1, overlimits: 0, requeues: 0, backlog: 0, qlen: 0 };

/** tc's add request for KIND as the kernel's reply (refcnt 2), with `extra` attributes, through the codec. */
function qdisc(kind: string, extra: Record<string, unknown> = {}) {
  const m = decode(loadFixture(`tc/${kind}-add-request.hex`).bytes)[0]!;
  const reply = {
    type: 'RTM_NEWQDISC',
    header: { len: 0, type: C.RTM_NEWQDISC, flags: 0, seq: 0, pid: 0 },
    body: { ...m.body, info: 2 },
    attrs: { ...m.attrs, stats2, ...extra },
  } as unknown as NetlinkMessage;
  return toTcObject(decode(encode(reply))[0]!, names);
}
const show = (q: ReturnType<typeof qdisc>, stats: boolean) => ({
  text: qdiscText(q, { dev: false, stats, ps }).split('\n'),
  json: qdiscJson(q, { dev: false, stats, ps }),
});
const HEAD = { handle: '1:', root: true, refcnt: 2 };

test('fq_codel: options, the qdisc xstats (two lines), a class (flow) xstats', () => {
  const q = qdisc('fq_codel', {
    xstats: {
      type: 'qdisc',
      qdisc: { maxpacket: 1514, dropOverlimit: 0, ecnMark: 2, newFlowCount: 7, newFlowsLen: 1, oldFlowsLen: 3 },
    },
  });
  const plain = show(q, false);
  assert.deepEqual(plain.text, ['qdisc fq_codel 1: root refcnt 2 limit 1000p target 5ms interval 100ms ecn ']);
  assert.deepEqual(plain.json, {
    kind: 'fq_codel',
    ...HEAD,
    options: { limit: 1000, target: 5000, interval: 100000, ecn: true },
  });
  const s = show(q, true);
  assert.deepEqual(s.text.slice(1), [
    ...STATS,
    '  maxpacket 1514 drop_overlimit 0 new_flow_count 7 ecn_mark 2',
    '  new_flows_len 1 old_flows_len 3',
  ]);
  assert.deepEqual(s.json, {
    ...plain.json,
    ...STATS_JSON,
    maxpacket: 1514,
    drop_overlimit: 0,
    new_flow_count: 7,
    ecn_mark: 2,
    new_flows_len: 1,
    old_flows_len: 3,
  });
  // ce_mark, memory_used and drop_overmemory appear when not zero, on the first line.
  const more = show(
    qdisc('fq_codel', { xstats: { type: 'qdisc', qdisc: { ceMark: 4, memoryUsage: 1536, dropOvermemory: 1 } } }),
    true,
  );
  assert.equal(
    more.text[3],
    '  maxpacket 0 drop_overlimit 0 new_flow_count 0 ecn_mark 0 ce_mark 4 memory_used 1536 drop_overmemory 1',
  );
  assert.deepEqual(Object.keys(more.json).slice(-9), [
    'maxpacket',
    'drop_overlimit',
    'new_flow_count',
    'ecn_mark',
    'ce_mark',
    'memory_used',
    'drop_overmemory',
    'new_flows_len',
    'old_flows_len',
  ]);
  // A flow (class) of fq_codel: deficit, counts, ldelay, and drop_next while dropping.
  const p = qdiscPrinter('fq_codel')!;
  const flow = {
    type: 'class',
    class: { deficit: -20, ldelay: 1496, count: 2, lastcount: 1, dropping: 1, dropNext: -3000 },
  };
  assert.deepEqual(p.xstatsText!(flow), ['  deficit -20 count 2 lastcount 1 ldelay 1.5ms dropping drop_next -3ms']);
  assert.deepEqual(p.xstatsJson!(flow), { deficit: -20, count: 2, lastcount: 1, ldelay: 1496 });
});

test("fq_codel: the kernel's default option set prints as the familiar tc line", () => {
  // The attributes fq_codel_dump puts for a default fq_codel (target and interval are kept in
  // ns and dumped rounded down to us: 4999 and 99999), made by rtnl's encoder.
  const q = qdisc('fq_codel', {
    options: {
      target: 4999,
      limit: 10240,
      interval: 99999,
      ecn: 1,
      flows: 1024,
      quantum: 1514,
      memoryLimit: 33554432,
      dropBatchSize: 64,
    },
  });
  const { text, json } = show(q, false);
  assert.deepEqual(text, [
    'qdisc fq_codel 1: root refcnt 2 limit 10240p flows 1024 quantum 1514 target 5ms interval 100ms memory_limit 32Mb ecn drop_batch 64 ',
  ]);
  assert.deepEqual(json.options, {
    limit: 10240,
    flows: 1024,
    quantum: 1514,
    target: 4999,
    interval: 99999,
    memory_limit: 33554432,
    ecn: true,
    drop_batch: 64,
  });
});

test('fq: options (maxrate, flow_limit) and xstats', () => {
  const q = qdisc('fq', {
    xstats: {
      gcFlows: 5n,
      highprioPackets: 9n,
      tcpRetrans: 0n,
      throttled: 11n,
      flowsPlimit: 0n,
      pktsTooLong: 0n,
      allocationErrors: 0n,
      timeNextDelayedFlow: 2_500_000n,
      flows: 4,
      inactiveFlows: 2,
      throttledFlows: 1,
      unthrottleLatencyNs: 12345,
      ceMark: 0n,
      horizonDrops: 0n,
      horizonCaps: 6n,
    },
  });
  const plain = show(q, false);
  assert.deepEqual(plain.text, ['qdisc fq 1: root refcnt 2 flow_limit 100p maxrate 1Gbit ']);
  assert.deepEqual(plain.json, { kind: 'fq', ...HEAD, options: { flow_limit: 100, maxrate: 125000000 } });
  const s = show(q, true);
  assert.deepEqual(s.text.slice(1), [
    ...STATS,
    '  flows 4 (inactive 2 throttled 1) next_packet_delay 2.5ms',
    '  gc 5 highprio 9 throttled 11 latency 12.3us',
    '  horizon_caps 6',
  ]);
  // tc -j prints "throttled" twice (flows, then packets): a JSON reader keeps the last.
  assert.deepEqual(s.json, {
    ...plain.json,
    ...STATS_JSON,
    flows: 4,
    inactive: 2,
    throttled: 11,
    next_packet_delay: 2500000,
    gc: 5,
    highprio: 9,
    latency: 12345,
    horizon_caps: 6,
  });
});

test('red: options (sizes, the four flags) and xstats', () => {
  const q = qdisc('red', { xstats: { early: 1, pdrop: 2, other: 3, marked: 4 } });
  const plain = show(q, false);
  assert.deepEqual(plain.text, ['qdisc red 1: root refcnt 2 limit 400000b min 30000b max 90000b ']);
  assert.deepEqual(plain.json.options, {
    limit: 400000,
    min: 30000,
    max: 90000,
    ecn: false,
    harddrop: false,
    adaptive: false,
    nodrop: false,
  });
  const s = show(q, true);
  assert.deepEqual(s.text.slice(1), [...STATS, '  marked 4 early 1 pdrop 2 other 3 ']);
  assert.deepEqual(s.json, { ...plain.json, ...STATS_JSON, marked: 4, early: 1, pdrop: 2, other: 3 });
  // TCA_RED_FLAGS (the bitfield) decides over the struct's historic flags.
  const ecn = qdisc('red', {
    options: {
      ...(q.options as object),
      flags: { value: C.TC_RED_ECN | C.TC_RED_NODROP, selector: C.TC_RED_HISTORIC_FLAGS | C.TC_RED_NODROP },
    },
  });
  assert.match(show(ecn, false).text[0]!, / max 90000b ecn nodrop $/);
});

test('sfq: options as tc sent them; a flow (class) allot', () => {
  const q = qdisc('sfq');
  const { text, json } = show(q, true);
  assert.deepEqual(text, ['qdisc sfq 1: root refcnt 2 limit 0p quantum 0b divisor 0 perturb 10sec ', ...STATS]);
  assert.deepEqual(json.options, { limit: 0, quantum: 0, divisor: 0, perturb: 10 });
  const p = qdiscPrinter('sfq')!;
  assert.deepEqual(p.xstatsText!({ allot: -1514 }), ['  allot -1514']);
  assert.deepEqual(p.xstatsJson!({ allot: -1514 }), { allot: -1514 });
});

test('prio: bands and priomap from tc request bytes (tc sends the nest-compat form)', () => {
  const { text, json } = show(qdisc('prio'), false);
  assert.deepEqual(text, ['qdisc prio 1: root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1']);
  assert.deepEqual(json.options, {
    bands: 3,
    priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    multiqueue: false,
  });
});

test('cake: options from tc request bytes; xstats (sent in TCA_STATS_APP only) with a tin table', () => {
  const tin = (i: number) => ({
    thresholdRate64: BigInt(i * 781250),
    sentBytes64: BigInt(i * 1000),
    backlogBytes: 0,
    targetUs: 5000 * i,
    intervalUs: 100000,
    peakDelayUs: 12 * i,
    avgDelayUs: 3,
    baseDelayUs: 1,
    sentPackets: i,
    wayIndirectHits: 0,
    wayMisses: i,
    wayCollisions: 0,
    droppedPackets: 0,
    ecnMarkedPackets: 0,
    acksDroppedPackets: 0,
    sparseFlows: 0,
    bulkFlows: 0,
    unresponsiveFlows: 0,
    maxSkblen: 1514,
    flowQuantum: 1514,
  });
  const st = {
    capacityEstimate64: 12_500_000n,
    memoryLimit: 4 << 20,
    memoryUsed: 1536,
    avgNetoff: 14,
    minNetlen: 42,
    maxNetlen: 1514,
    minAdjlen: 42,
    maxAdjlen: 1514,
    tinStats: [tin(1), tin(2), tin(3)],
  };
  // cake_dump_stats writes only TCA_STATS_APP: its bytes, from rtnl's encoder.
  const q = qdisc('cake', { stats2: { ...stats2, app: encodeAttrs(cakeStatsAttrs, st) } });
  const plain = show(q, false);
  assert.deepEqual(plain.text, [
    'qdisc cake 1: root refcnt 2 bandwidth 100Mbit nonat nowash no-ack-filter no-split-gso noatm overhead 0 ',
  ]);
  assert.deepEqual(plain.json.options, {
    bandwidth: 12500000,
    nat: false,
    wash: false,
    ingress: false,
    'ack-filter': 'disabled',
    split_gso: false,
    rtt: 0,
    raw: false,
    atm: 'noatm',
    overhead: 0,
  });
  const s = show(q, true);
  const row = (label: string, ...v: string[]) => label + v.map((x) => ` ${x.padStart(12)}`).join('');
  assert.deepEqual(s.text.slice(1), [
    ...STATS,
    ' memory used: 1536b of 4Mb',
    ' capacity estimate: 100Mbit',
    ` min/max network layer size: ${'42'.padStart(12)} /${'1514'.padStart(8)}`,
    ` min/max overhead-adjusted size: ${'42'.padStart(8)} /${'1514'.padStart(8)}`,
    ` average network hdr offset: ${'14'.padStart(12)}`,
    '',
    '                   Bulk  Best Effort        Voice',
    row('  thresh  ', '6250Kbit', '12500Kbit', '18750Kbit'),
    row('  target  ', '5ms', '10ms', '15ms'),
    row('  interval', '100ms', '100ms', '100ms'),
    row('  pk_delay', '12us', '24us', '36us'),
    row('  av_delay', '3us', '3us', '3us'),
    row('  sp_delay', '1us', '1us', '1us'),
    row('  backlog ', '0b', '0b', '0b'),
    row('  pkts    ', '1', '2', '3'),
    row('  bytes   ', '1000', '2000', '3000'),
    row('  way_inds', '0', '0', '0'),
    row('  way_miss', '1', '2', '3'),
    row('  way_cols', '0', '0', '0'),
    row('  drops   ', '0', '0', '0'),
    row('  marks   ', '0', '0', '0'),
    row('  ack_drop', '0', '0', '0'),
    row('  sp_flows', '0', '0', '0'),
    row('  bk_flows', '0', '0', '0'),
    row('  un_flows', '0', '0', '0'),
    row('  max_len ', '1514', '1514', '1514'),
    row('  quantum ', '1514', '1514', '1514'),
    // tc's print_nl after the table's own last newline leaves a blank line.
    '',
  ]);
  const j = s.json as any;
  assert.deepEqual(Object.keys(j).slice(-9), [
    'memory_used',
    'memory_limit',
    'capacity_estimate',
    'min_network_size',
    'max_network_size',
    'min_adj_size',
    'max_adj_size',
    'avg_hdr_offset',
    'tins',
  ]);
  assert.equal(j.memory_used, 1536);
  assert.equal(j.capacity_estimate, 12500000);
  assert.equal(j.tins.length, 3);
  assert.deepEqual(j.tins[1], {
    threshold_rate: 1562500,
    sent_bytes: 2000,
    backlog_bytes: 0,
    target_us: 10000,
    interval_us: 100000,
    peak_delay_us: 24,
    avg_delay_us: 3,
    base_delay_us: 1,
    sent_packets: 2,
    way_indirect_hits: 0,
    way_misses: 2,
    way_collisions: 0,
    drops: 0,
    ecn_mark: 0,
    ack_drops: 0,
    sparse_flows: 0,
    bulk_flows: 0,
    unresponsive_flows: 0,
    max_pkt_len: 1514,
    flow_quantum: 1514,
  });
  // A flow (class): deficit printed unsigned in text (tc's %u), signed in JSON.
  const p = qdiscPrinter('cake')!;
  const cl = { deficit: -300, cobaltCount: 2, dropping: 1, dropNextUs: 20, pDrop: 77, blueTimerUs: 0 };
  assert.deepEqual(p.xstatsText!(cl), [
    '  deficit 4294966996 count 2 dropping drop_next 20us blue_prob 77 blue_timer 0us',
  ]);
  assert.deepEqual(p.xstatsJson!(cl), {
    deficit: -300,
    count: 2,
    dropping: true,
    drop_next: 20,
    blue_prob: 77,
    blue_timer: 0,
  });
});

test("a class of these kinds prints its xstats with the qdisc kind's printer, as tc_class.c does", () => {
  // An fq_codel flow as `tc -s class show` lists it (made by rtnl's encoder).
  const m = {
    type: 'RTM_NEWTCLASS',
    header: { len: 0, type: C.RTM_NEWTCLASS, flags: 0, seq: 0, pid: 0 },
    body: { family: 0, ifindex: 3, handle: 0x10005, parent: 0x10000, info: 0 },
    attrs: {
      kind: 'fq_codel',
      stats2,
      xstats: {
        type: 'class',
        class: { deficit: 1514, ldelay: 250, count: 0, lastcount: 0, dropping: 0, dropNext: 0 },
      },
    },
  } as unknown as NetlinkMessage;
  const c = toTcObject(decode(encode(m))[0]!, names);
  const lines = classText(c, { dev: false, stats: true, ps }).split('\n');
  assert.ok(lines.includes('  deficit 1514 count 0 lastcount 0 ldelay 250us'), lines.join('\n'));
});

test('netem: delay, jitter, loss and rate from tc request bytes', () => {
  const { text, json } = show(qdisc('netem'), true);
  assert.deepEqual(text, ['qdisc netem 1: root refcnt 2 limit 1000 delay 10ms  1ms loss 0.5% rate 10Mbit', ...STATS]);
  assert.deepEqual(json.options, {
    limit: 1000,
    delay: { delay: 0.01, jitter: 0.001, correlation: 0 },
    'loss-random': { loss: 0.005, correlation: 0 },
    rate: { rate: 1250000, packetoverhead: 0, cellsize: 0, celloverhead: 0 },
    ecn: false,
    gap: 0,
  });
  // Correlations, reorder, corrupt, duplicate, gap and ecn (made by rtnl's encoder).
  const m = qdisc('netem').options as any;
  const pct = (p: number) => Math.round((p / 100) * 0xffffffff);
  const more = qdisc('netem', {
    options: {
      header: { ...m.header, duplicate: pct(1), gap: 5 },
      attrs: {
        ...m.attrs,
        corr: { delayCorr: pct(25), lossCorr: 0, dupCorr: pct(10) },
        reorder: { probability: pct(2), correlation: 0 },
        corrupt: { probability: pct(0.1), correlation: pct(5) },
        ecn: 1,
      },
    },
  });
  const t = show(more, false);
  assert.equal(
    t.text[0],
    'qdisc netem 1: root refcnt 2 limit 1000 delay 10ms  1ms 25% loss 0.5% duplicate 1% 10% reorder 2% corrupt 0.1% 5% rate 10Mbit ecn  gap 5',
  );
  const o = t.json.options as any;
  assert.deepEqual(o.delay, { delay: 0.01, jitter: 0.001, correlation: 0.25 });
  assert.deepEqual(o.duplicate, { duplicate: 0.01, correlation: 0.1 });
  assert.deepEqual(o.corrupt, { corrupt: 0.001, correlation: 0.05 });
  assert.equal(o.ecn, true);
  assert.equal(o.gap, 5);
});
