/**
 * tc's output for qdiscs, classes and filters: `-j` objects built field by field as tc 6.1
 * prints them (tc_qdisc.c, tc_class.c, tc_filter.c, q_*.c, f_*.c, m_mirred.c), and tc's text.
 * Pure: the scheduler clock comes in for the kinds whose buffers are in ticks (tbf, htb).
 */
import * as C from '../codec/constants/index.js';
import { ACTION_SLOT, type ActionAttrs } from '../codec/tc/act.js';
import type { U32Pcnt, U32Sel } from '../codec/tc/cls.js';
import { formatHandle } from '../codec/tc/parse.js';
import { u32HandleText, type Filter, type TcObject } from '../ops/tc.js';
import { VERDICT_NAMES, type Psched } from '../ops/tc-kinds.js';

export type Json = Record<string, unknown>;

/** tc's sprint_rate: bits per second with SI units, bytes in. */
export function rateText(bytes: bigint | number): string {
  let rate = BigInt(bytes) * 8n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < 1000n) break;
    if (rate % 1000n !== 0n && rate < 1_000_000n) break;
    rate /= 1000n;
  }
  return `${rate}${units[i]}bit`;
}

/** tc's sprint_size: Mb / Kb when (nearly) round, else bytes. */
export function sizeText(sz: number): string {
  sz = Math.floor(sz) >>> 0;
  const mb = 1024 * 1024;
  if (sz >= mb && Math.abs(mb * Math.round(sz / mb) - sz) < 1024) return `${g(Math.round(sz / mb))}Mb`;
  if (sz >= 1024 && Math.abs(1024 * Math.round(sz / 1024) - sz) < 16) return `${g(Math.round(sz / 1024))}Kb`;
  return `${sz}b`;
}
const g = (n: number) => String(n);

/** C's %g: six significant digits, no trailing zeros. */
const pct = (n: number) => String(Number(n.toPrecision(6)));

/** tc's sprint_time: microseconds in; seconds or milliseconds as %g, else whole microseconds. */
export function timeText(us: number): string {
  if (us >= 1e6) return `${pct(us / 1e6)}s`;
  if (us >= 1e3) return `${pct(us / 1e3)}ms`;
  return `${Math.floor(us)}us`;
}

/** tc_core_tick2time: ticks to whole microseconds (tc truncates to unsigned). */
const tick2time = (ticks: number, ps: Psched) => Math.floor(ticks / ps.tickInUsec);
/** tc_calc_xmitsize: bytes sent at `rate` during `ticks`. */
const xmitsize = (rate: number, ticks: number, ps: Psched) => (rate * tick2time(ticks, ps)) / 1e6;
const u32 = (v: number) => (Number.isFinite(v) && v > 0 ? Math.floor(v) >>> 0 : 0);

const hex = (n: number) => (n >>> 0).toString(16);

/** The options object of a qdisc or class, per kind, as tc prints it in JSON. */
function optionsJson(kind: string, options: any, ps: Psched, isClass: boolean): Json {
  const o: Json = {};
  if (options === undefined || options === null) return o;
  switch (kind) {
    case 'pfifo':
    case 'bfifo':
    case 'pfifo_head_drop':
      if (options.limit !== undefined) o.limit = options.limit;
      break;
    case 'pfifo_fast':
    case 'prio': {
      const h = kind === 'prio' && options.header ? options.header : options;
      o.bands = h.bands;
      o.priomap = Array.from((h.priomap as Uint8Array | undefined) ?? []);
      o.multiqueue = false;
      break;
    }
    case 'tbf': {
      const p = options.parms;
      if (!p) break;
      const rate = Number(options.rate64 ?? BigInt(p.rate ?? 0));
      o.rate = rate;
      o.burst = u32(xmitsize(rate, p.buffer ?? 0, ps));
      const prate = Number(options.prate64 ?? BigInt(p.peakrate ?? 0));
      if (prate && (p.mtu || p.peakrateMpu)) o.minburst = u32(xmitsize(prate, p.mtu ?? 0, ps));
      let lat = 1e6 * ((p.limit ?? 0) / rate) - tick2time(p.buffer ?? 0, ps);
      if (prate) {
        const lat2 = 1e6 * ((p.limit ?? 0) / prate) - tick2time(p.mtu ?? 0, ps);
        if (lat2 > lat) lat = lat2;
      }
      if (lat >= 0) o.lat = Math.floor(lat);
      else o.limit = p.limit;
      break;
    }
    case 'htb': {
      if (options.init) {
        o.r2q = options.init.rate2quantum;
        o.default = `0x${hex(options.init.defcls ?? 0)}`;
        o.direct_packets_stat = options.init.directPkts;
      }
      if (options.directQlen !== undefined) o.direct_qlen = options.directQlen;
      if (isClass && options.parms) Object.assign(o, htbClassJson(options, ps));
      break;
    }
  }
  return o;
}

function htbClassJson(options: any, ps: Psched): Json {
  const p = options.parms;
  const o: Json = {};
  if (!p.level) o.prio = p.prio;
  const rate = Number(options.rate64 ?? BigInt(p.rate ?? 0));
  const ceil = Number(options.ceil64 ?? BigInt(p.ceil ?? 0));
  o.rate = rate;
  o.ceil = ceil;
  o.burst = u32(xmitsize(rate, p.buffer ?? 0, ps));
  o.cburst = u32(xmitsize(ceil, p.cbuffer ?? 0, ps));
  return o;
}

/** print_tcstats2_attr's JSON fields. */
function statsJson(stats2: any, o: Json): void {
  if (!stats2) return;
  if (stats2.basic) {
    o.bytes = Number(stats2.basic.bytes ?? 0n);
    o.packets = stats2.pkt64 !== undefined && stats2.pkt64 !== 0n ? Number(stats2.pkt64) : (stats2.basic.packets ?? 0);
  }
  if (stats2.queue) {
    o.drops = stats2.queue.drops;
    o.overlimits = stats2.queue.overlimits;
    o.requeues = stats2.queue.requeues;
  }
  const re = stats2.rateEst64 ?? stats2.rateEst;
  if (re) {
    o.rate = Number(re.bps ?? 0);
    o.pps = Number(re.pps ?? 0);
  }
  if (stats2.queue) {
    o.backlog = stats2.queue.backlog;
    o.qlen = stats2.queue.qlen;
  }
}

export interface TcJsonOptions {
  /** Print `dev` (tc omits it when the listing was for one device). */
  dev: boolean;
  stats: boolean;
  ps: Psched;
}

/** One qdisc as `tc -j [-s] qdisc show` prints it. */
export function qdiscJson(q: TcObject, o: TcJsonOptions): Json {
  const h = q.header;
  const a = q.attrs as any;
  const j: Json = { kind: q.kind, handle: `${hex((h.handle ?? 0) >>> 16)}:` };
  if (o.dev) j.dev = q.dev ?? String(q.ifindex);
  if (h.parent === C.TC_H_ROOT) j.root = true;
  else if (h.parent) j.parent = formatHandle(h.parent);
  if (h.info !== 1) j.refcnt = h.info;
  if (a.hwOffload) j.offloaded = true;
  if (a.ingressBlock) j.ingress_block = a.ingressBlock;
  if (a.egressBlock) j.egress_block = a.egressBlock;
  j.options = optionsJson(q.kind, a.options, o.ps, false);
  if (o.stats) statsJson(a.stats2, j);
  return j;
}

/** One action of a filter or an action dump, as tc prints it (mirred, gact; others: kind only). */
export function actionJson(
  act: ActionAttrs,
  order: number,
  names: Map<number, string>,
  stats: boolean,
  standalone = false,
): Json {
  const j: Json = { order, kind: act.kind };
  const opts = act.options as any;
  if (act.kind === 'mirred' && opts?.parms) {
    const p = opts.parms;
    const e = p.eaction;
    j.mirred_action = e === C.TCA_EGRESS_REDIR || e === C.TCA_INGRESS_REDIR ? 'redirect' : 'mirror';
    j.direction = e === C.TCA_EGRESS_REDIR || e === C.TCA_EGRESS_MIRROR ? 'egress' : 'ingress';
    j.to_dev = names.get(p.ifindex) ?? String(p.ifindex);
    j.control_action = { type: VERDICT_NAMES[p.action] ?? String(p.action) };
    j.index = p.index;
    j.ref = p.refcnt;
    j.bind = p.bindcnt;
    if (stats && opts.tm) tmJson(opts.tm, j);
  } else if (act.kind === 'gact' && opts?.parms) {
    const p = opts.parms;
    j.control_action = { type: VERDICT_NAMES[p.action] ?? String(p.action) };
    j.index = p.index;
    j.ref = p.refcnt;
    j.bind = p.bindcnt;
    if (stats && opts.tm) tmJson(opts.tm, j);
  }
  if (stats && act.stats) {
    const s: Json = {};
    statsJson(act.stats, s);
    j.stats = s;
  }
  // tc 6.1 prints in_hw/not_in_hw for standalone actions (tc actions list/get), not for a
  // filter's actions, though the kernel sends TCA_ACT_IN_HW_COUNT with both.
  if (act.inHwCount !== undefined && standalone) {
    if (act.inHwCount) {
      j.in_hw = true;
      j.in_hw_count = act.inHwCount;
    } else j.not_in_hw = true;
  }
  for (const [key, bf] of [
    ['hw_stats', act.hwStats],
    ['used_hw_stats', act.usedHwStats],
  ] as const) {
    if (!bf) continue;
    const v = (bf.value ?? 0) & (bf.selector ?? 0);
    const out: string[] = [];
    if (v & C.TCA_ACT_HW_STATS_IMMEDIATE) out.push('immediate');
    if (v & C.TCA_ACT_HW_STATS_DELAYED) out.push('delayed');
    if (v === 0) out.push('disabled');
    j[key] = out;
  }
  return j;
}

/** The action's number in its list: its attribute type (dumps count from 0, requests from 1). */
export const actionOrder = (a: ActionAttrs, i: number): number =>
  ((a as { [ACTION_SLOT]?: { type: number } })[ACTION_SLOT]?.type ?? i + 1) & 0x3fff;

/** print_tm: ages in USER_HZ (100) ticks, printed in seconds. */
function tmJson(tm: any, j: Json): void {
  const hz = 100n;
  if (tm.install) j.installed = Number(tm.install / hz);
  if (tm.lastuse) j.last_used = Number(tm.lastuse / hz);
  if (tm.firstuse) j.first_used = Number(tm.firstuse / hz);
  if (tm.expires) j.expires = Number(tm.expires / hz);
}

export interface FilterJsonOptions {
  /** What the listing was filtered by: tc omits those fields. */
  dev: boolean;
  parent: boolean;
  block: boolean;
  stats: boolean;
  names: Map<number, string>;
}

const CLS_FLAGS = (flags: number, j: Json) => {
  if (flags & C.TCA_CLS_FLAGS_SKIP_HW) j.skip_hw = true;
  if (flags & C.TCA_CLS_FLAGS_SKIP_SW) j.skip_sw = true;
  if (flags & C.TCA_CLS_FLAGS_IN_HW) j.in_hw = true;
  else if (flags & C.TCA_CLS_FLAGS_NOT_IN_HW) j.not_in_hw = true;
};

/** One filter message as `tc -j [-s] filter show` prints it. */
export function filterJson(f: Filter, o: FilterJsonOptions): Json {
  const h = f.header;
  const a = f.attrs as any;
  const j: Json = {};
  if (f.block !== undefined) {
    if (o.block) j.block = f.block;
  } else {
    if (o.dev) j.dev = f.dev ?? String(f.ifindex);
    if (o.parent) {
      const p = (h.parent ?? 0) >>> 0;
      if (p === C.TC_H_ROOT) j.root = true;
      else if (p === 0xfffffff2) j.ingress = true;
      else if (p === 0xfffffff3) j.egress = true;
      else j.parent = formatHandle(p);
    }
  }
  if (h.info) {
    if (h.info & 0xffff) j.protocol = f.protocol;
    if (f.pref) j.pref = f.pref;
  }
  if (a.kind !== undefined) j.kind = a.kind;
  if (a.chain !== undefined) j.chain = a.chain;
  if (a.options !== undefined) {
    const opts = a.options;
    const oj: Json = {};
    const handle = (h.handle ?? 0) >>> 0;
    if (a.kind === 'u32') u32Json(opts, handle, oj, o.stats);
    else if (a.kind === 'bpf') bpfJson(opts, handle, oj);
    else if (a.kind === 'matchall') {
      if (handle) oj.handle = `0x${hex(handle)}`;
      if (opts.classid !== undefined) oj.flowid = formatHandle(opts.classid);
      if (opts.flags !== undefined) CLS_FLAGS(opts.flags, oj);
      // f_matchall.c: the hit count (struct tc_matchall_pcnt) with -s
      if (o.stats && opts.pcnt?.rhit !== undefined) oj.rule_hit = Number(opts.pcnt.rhit);
    }
    const acts: ActionAttrs[] | undefined = opts.act;
    if (acts) oj.actions = acts.map((x, i) => actionJson(x, actionOrder(x, i), o.names, o.stats));
    j.options = oj;
  }
  return j;
}

function u32Json(opts: any, handle: number, j: Json, stats = false): void {
  if (handle) j.fh = u32HandleText(handle);
  if (handle & 0xfff) j.order = handle & 0xfff;
  const sel = opts.sel as U32Sel | undefined;
  if (opts.divisor !== undefined) j.ht_divisor = opts.divisor;
  else if (opts.hash !== undefined) {
    j.key_ht = hex(opts.hash >>> 20);
    j.bkt = hex((opts.hash >>> 12) & 0xff);
  }
  if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
  if (opts.link !== undefined) j.link = u32HandleText(opts.link);
  if (opts.flags !== undefined) CLS_FLAGS(opts.flags, j);
  // With CONFIG_CLS_U32_PERF the kernel counts lookups and hits (f_u32.c prints them with -s).
  const pcnt = stats && sel ? (opts.pcnt as U32Pcnt | undefined) : undefined;
  if (pcnt) {
    j.rule_hit = Number(pcnt.rcnt);
    j.success = Number(pcnt.rhit);
  }
  if (sel) {
    // tc prints one "match" object per key into the same JSON object: the last one stands
    // (and with -s, each key's "success" count after it: the last stands too).
    const keys = (sel.keys ?? []).slice(0, sel.nkeys ?? 0);
    const k = keys[keys.length - 1];
    if (k) j.match = { value: hex(k.val), mask: hex(k.mask), offmask: k.offmask ? 'nexthdr+' : '', off: k.off };
    if (k && pcnt) j.success = Number(pcnt.kcnts[keys.length - 1] ?? 0n);
    if (sel.hmask) {
      j.hash_mask = hex(sel.hmask);
      j.hash_off = sel.hoff;
    }
  }
}

function bpfJson(opts: any, handle: number, j: Json): void {
  if (handle) j.handle = `0x${hex(handle)}`;
  if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
  if (opts.name !== undefined) j.bpf_name = opts.name;
  if (opts.flags !== undefined && opts.flags & C.TCA_BPF_FLAG_ACT_DIRECT) j['direct-action'] = true;
  if (opts.flagsGen !== undefined) CLS_FLAGS(opts.flagsGen, j);
  if (opts.ops !== undefined && opts.opsLen !== undefined) {
    const ops = opts.ops as Uint8Array;
    const v = new DataView(ops.buffer, ops.byteOffset, ops.byteLength);
    const insns: Json[] = [];
    for (let i = 0; i < opts.opsLen && (i + 1) * 8 <= ops.length; i++)
      insns.push({
        code: v.getUint16(i * 8, true),
        jt: v.getUint8(i * 8 + 2),
        jf: v.getUint8(i * 8 + 3),
        k: v.getUint32(i * 8 + 4, true),
      });
    j.bytecode = { length: opts.opsLen, insns };
  }
  if (opts.tag !== undefined) j.tag = Buffer.from(opts.tag as Uint8Array).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// Text

/** A class as `tc [-s] class show dev DEV` prints it (htb; other kinds: the header line). */
export function classText(c: TcObject, o: { dev: boolean; stats: boolean; ps: Psched }): string {
  const h = c.header;
  const a = c.attrs as any;
  let line = `class ${c.kind} ${formatHandle(h.handle ?? 0)} `;
  if (o.dev) line += `dev ${c.dev ?? c.ifindex} `;
  line += h.parent === C.TC_H_ROOT ? 'root ' : `parent ${formatHandle(h.parent ?? 0)} `;
  if (h.info) line += `leaf ${formatHandle(h.info)} `;
  if (c.kind === 'htb' && a.options?.parms) {
    const j = htbClassJson(a.options, o.ps);
    if (j.prio !== undefined) line += `prio ${j.prio} `;
    line += `rate ${rateText(j.rate as number)} ceil ${rateText(j.ceil as number)} burst ${sizeText(j.burst as number)} cburst ${sizeText(j.cburst as number)} `;
  }
  const lines = [line];
  if (o.stats) {
    const s = a.stats2;
    if (s) {
      lines.push(
        ` Sent ${Number(s.basic?.bytes ?? 0n)} bytes ${s.basic?.packets ?? 0} pkt (dropped ${s.queue?.drops ?? 0}, overlimits ${s.queue?.overlimits ?? 0} requeues ${s.queue?.requeues ?? 0}) `,
      );
      const re = s.rateEst64 ?? s.rateEst;
      if (re && (re.bps || re.pps)) lines.push(` rate ${rateText(Number(re.bps))} ${re.pps}pps `);
      lines.push(
        ` backlog ${sizeText(s.queue?.backlog ?? 0)} ${s.queue?.qlen ?? 0}p requeues ${s.queue?.requeues ?? 0}`,
      );
    }
    const x = a.xstats;
    if (c.kind === 'htb' && x && !('$raw' in x)) {
      lines.push(` lended: ${x.lends} borrowed: ${x.borrows} giants: ${x.giants}`);
      lines.push(` tokens: ${x.tokens} ctokens: ${x.ctokens}`);
    }
  }
  // With statistics tc ends each class with an empty line.
  return o.stats ? `${lines.join('\n')}\n` : lines.join('\n');
}

/** A qdisc as `tc [-s] qdisc show` prints it (the common kinds' options). */
export function qdiscText(q: TcObject, o: TcJsonOptions): string {
  const j = qdiscJson(q, { ...o, stats: false });
  let line = `qdisc ${q.kind} ${j.handle} `;
  if (o.dev) line += `dev ${j.dev} `;
  if (j.root) line += 'root ';
  else if (j.parent) line += `parent ${j.parent} `;
  if (j.refcnt !== undefined) line += `refcnt ${j.refcnt} `;
  if (j.ingress_block) line += `ingress_block ${j.ingress_block} `;
  const op = j.options as Json;
  switch (q.kind) {
    case 'pfifo':
      if (op.limit !== undefined) line += `limit ${op.limit}p`;
      break;
    case 'bfifo':
      if (op.limit !== undefined) line += `limit ${sizeText(op.limit as number)}`;
      break;
    case 'pfifo_fast':
    case 'prio':
      line += `bands ${op.bands} priomap ${(op.priomap as number[]).join(' ')}`;
      break;
    case 'tbf':
      line += `rate ${rateText(op.rate as number)} burst ${sizeText(op.burst as number)} `;
      if (op.lat !== undefined) line += `lat ${timeText(op.lat as number)} `;
      if (op.limit !== undefined) line += `limit ${sizeText(op.limit as number)} `;
      break;
    case 'htb':
      line += `r2q ${op.r2q} default ${op.default} direct_packets_stat ${op.direct_packets_stat}`;
      if (op.direct_qlen !== undefined) line += ` direct_qlen ${op.direct_qlen}`;
      break;
  }
  const lines = [line];
  if (o.stats) {
    const s = (q.attrs as any).stats2;
    if (s) {
      lines.push(
        ` Sent ${Number(s.basic?.bytes ?? 0n)} bytes ${s.basic?.packets ?? 0} pkt (dropped ${s.queue?.drops ?? 0}, overlimits ${s.queue?.overlimits ?? 0} requeues ${s.queue?.requeues ?? 0}) `,
      );
      lines.push(
        ` backlog ${sizeText(s.queue?.backlog ?? 0)} ${s.queue?.qlen ?? 0}p requeues ${s.queue?.requeues ?? 0}`,
      );
    }
  }
  return lines.join('\n');
}

/** The text of one action as tc prints it inside a filter listing (and `tc actions`). */
export function actionText(a: Json, stats: boolean, act?: ActionAttrs): string[] {
  let head = `\taction order ${a.order}: ${a.kind}`;
  const ctl = (a.control_action as Json | undefined)?.type;
  if (a.kind === 'mirred')
    head += ` (${a.direction === 'egress' ? 'Egress' : 'Ingress'} ${a.mirred_action === 'redirect' ? 'Redirect' : 'Mirror'} to device ${a.to_dev}) ${ctl}`;
  else if (ctl !== undefined) head += ` action ${ctl}`;
  const lines = [head];
  if (a.index !== undefined) {
    let l = `\tindex ${a.index} ref ${a.ref} bind ${a.bind}`;
    if (a.installed !== undefined) l += ` installed ${a.installed} sec`;
    if (a.last_used !== undefined) l += ` used ${a.last_used} sec`;
    if (a.first_used !== undefined) l += ` firstused ${a.first_used} sec`;
    lines.push(l);
  }
  if (stats && a.stats) {
    const s = a.stats as Json;
    lines.push('\tAction statistics:');
    lines.push(
      `\tSent ${s.bytes} bytes ${s.packets} pkt (dropped ${s.drops}, overlimits ${s.overlimits} requeues ${s.requeues}) `,
    );
    lines.push(`\tbacklog ${sizeText((s.backlog as number) ?? 0)} ${s.qlen}p requeues ${s.requeues}`);
  }
  if (a.not_in_hw) lines.push('\tnot_in_hw');
  if (a.in_hw) lines.push(`\tin_hw in_hw_count ${a.in_hw_count}`);
  if (a.used_hw_stats) lines.push(`\tused_hw_stats ${(a.used_hw_stats as string[]).join(' ')}`);
  void act;
  lines.push('');
  return lines;
}

/** A filter as `tc filter show` prints it (one line per message, u32 keys and actions indented). */
export function filterText(f: Filter, o: FilterJsonOptions): string {
  const j = filterJson(f, o);
  let line = 'filter ';
  if (j.block !== undefined) line += `block ${j.block} `;
  if (j.dev !== undefined) line += `dev ${j.dev} `;
  if (j.root) line += 'root ';
  if (j.ingress) line += 'ingress ';
  if (j.egress) line += 'egress ';
  if (j.parent !== undefined) line += `parent ${j.parent} `;
  if (j.protocol !== undefined) line += `protocol ${j.protocol} `;
  if (j.pref !== undefined) line += `pref ${j.pref} `;
  if (j.kind !== undefined) line += `${j.kind} `;
  if (j.chain !== undefined) line += `chain ${j.chain} `;
  const op = j.options as Json | undefined;
  const lines: string[] = [];
  if (op) {
    const opts = f.options as any;
    if (f.kind === 'u32') {
      if (op.fh !== undefined) line += `fh ${op.fh} `;
      if (op.order !== undefined) line += `order ${op.order} `;
      if (op.ht_divisor !== undefined) line += `ht divisor ${op.ht_divisor} `;
      if (op.key_ht !== undefined) line += `key ht ${op.key_ht} bkt ${op.bkt} `;
      const sel = opts?.sel as U32Sel | undefined;
      const terminal = sel !== undefined && ((sel.flags ?? 0) & C.TC_U32_TERMINAL) !== 0;
      // tc 6.1 stars a terminal flowid, and names a terminal selector without one.
      if (op.flowid !== undefined) line += `${terminal ? '*' : ''}flowid ${op.flowid} `;
      else if (terminal) line += 'terminal flowid ';
      if (op.link !== undefined) line += `link ${op.link} `;
    } else {
      if (op.handle !== undefined) line += `handle ${op.handle} `;
      if (op.flowid !== undefined) line += `flowid ${op.flowid} `;
      if (op.bpf_name !== undefined) line += `${op.bpf_name} `;
      if (op['direct-action']) line += 'direct-action ';
    }
    if (op.skip_hw) line += 'skip_hw ';
    if (op.skip_sw) line += 'skip_sw ';
    if (op.in_hw) line += 'in_hw ';
    if (op.not_in_hw) line += 'not_in_hw ';
    const pcnt = f.kind === 'u32' && o.stats && opts?.sel ? (opts.pcnt as U32Pcnt | undefined) : undefined;
    if (pcnt) line += `(rule hit ${pcnt.rcnt} success ${pcnt.rhit})`;
    if (f.kind === 'matchall' && op.rule_hit !== undefined) line += ` (rule hit ${op.rule_hit})`;
    // tc prints the program's id, name, tag and jited when libbpf can ask the kernel about it,
    // else the tag from TCA_BPF_TAG: rtnl prints what the message says.
    if (op.tag !== undefined) line += `tag ${op.tag} `;
    const bc = op.bytecode as { length: number; insns: Json[] } | undefined;
    if (bc) line += `bytecode '${bc.length},${bc.insns.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(',')}'`;
    lines.push(line);
    const sel = opts?.sel as U32Sel | undefined;
    for (const [i, k] of (sel?.keys ?? []).slice(0, sel?.nkeys ?? 0).entries())
      lines.push(
        `  match ${hex(k.val).padStart(8, '0')}/${hex(k.mask).padStart(8, '0')} at ${k.offmask ? 'nexthdr+' : ''}${k.off}${pcnt ? ` (success ${pcnt.kcnts[i] ?? 0n} ) ` : ''}`,
      );
    if (sel?.hmask) lines.push(`    hash mask ${hex(sel.hmask).padStart(8, '0')} at ${sel.hoff ?? 0} `);
    const acts = (op.actions as Json[] | undefined) ?? [];
    for (const a of acts) lines.push(...actionText(a, o.stats));
  } else lines.push(line);
  return lines.join('\n');
}
