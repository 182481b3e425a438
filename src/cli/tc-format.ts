/**
 * tc's output for qdiscs, classes, filters and actions: `-j` objects built field by field as tc
 * 6.1 prints them (tc_qdisc.c, tc_class.c, tc_filter.c, m_action.c), and tc's text. What a kind
 * prints (q_*.c, f_*.c, m_*.c) is the kind plugin's printer (src/kinds/tc), as link kinds print
 * through theirs. Pure: the scheduler clock comes in for the kinds whose buffers are in ticks.
 */
import * as C from '../codec/constants/index.js';
import { ACTION_SLOT, type ActionAttrs } from '../codec/tc/act.js';
import { formatHandle } from '../codec/tc/parse.js';

import type { Filter, TcObject } from '../ops/tc.js';
import { filterPlugin } from '../ops/tc-filter.js';
import {
  actionKinds,
  classKinds,
  clsFlagsText,
  hex,
  qdiscPrinter,
  sizeText,
  rateText,
  timeText,
  type Psched,
  type TcKindPlugin,
  type TcPrintContext,
} from '../ops/tc-kinds.js';

export { rateText, sizeText, timeText };
export type Json = Record<string, unknown>;

/** The context a kind's printer gets. */
const printContext = (ps: Psched, names: Map<number, string>, stats: boolean, handle = 0): TcPrintContext => ({
  clock: ps,
  stats,
  handle,
  ifname: (i) => names.get(i) ?? String(i),
});
const NO_NAMES = new Map<number, string>();
/** Filters and actions print nothing in scheduler ticks. */
const NO_PS: Psched = { tickInUsec: 1, hz: 1 };

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
  const json = qdiscPrinter(q.kind)?.json;
  j.options =
    a.options === undefined || a.options === null || !json ? {} : json(a.options, printContext(o.ps, NO_NAMES, false));
  if (o.stats) {
    statsJson(a.stats2, j);
    // tc's print_xstats writes into the qdisc's own object, after the statistics.
    const xj = qdiscPrinter(q.kind)?.xstatsJson;
    if (xj && q.xstats && !('$raw' in q.xstats)) Object.assign(j, xj(q.xstats));
  }
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
  const json = (actionKinds as Record<string, { json?: TcKindPlugin<unknown>['json'] }>)[act.kind ?? '']?.json;
  if (json && Object.hasOwn(actionKinds, act.kind ?? ''))
    Object.assign(j, json(act.options, printContext(NO_PS, names, stats)));
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

export interface FilterJsonOptions {
  /** What the listing was filtered by: tc omits those fields. */
  dev: boolean;
  parent: boolean;
  block: boolean;
  stats: boolean;
  names: Map<number, string>;
}

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
    const json = filterPlugin(a.kind)?.json;
    if (json) Object.assign(oj, json(opts, printContext(NO_PS, o.names, o.stats, (h.handle ?? 0) >>> 0)));
    const acts: ActionAttrs[] | undefined = opts.act;
    if (acts) oj.actions = acts.map((x, i) => actionJson(x, actionOrder(x, i), o.names, o.stats));
    j.options = oj;
  }
  return j;
}

// Text

/** A class as `tc [-s] class show dev DEV` prints it (htb; other kinds: the header line). */
export function classText(c: TcObject, o: { dev: boolean; stats: boolean; ps: Psched }): string {
  const h = c.header;
  const a = c.attrs as any;
  let line = `class ${c.kind} ${formatHandle(h.handle ?? 0)} `;
  if (o.dev) line += `dev ${c.dev ?? c.ifindex} `;
  line += h.parent === C.TC_H_ROOT ? 'root ' : `parent ${formatHandle(h.parent ?? 0)} `;
  if (h.info) line += `leaf ${formatHandle(h.info)} `;
  const plugin = Object.hasOwn(classKinds, c.kind)
    ? (classKinds[c.kind as keyof typeof classKinds] as TcKindPlugin<unknown>)
    : undefined;
  if (plugin?.json && plugin.text && a.options)
    line += plugin.text(plugin.json(a.options, printContext(o.ps, NO_NAMES, o.stats)));
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
    // tc prints a class's xstats with its qdisc kind's print_xstats (fq_codel, sfq and cake flows).
    const xt = plugin?.xstatsText ?? qdiscPrinter(c.kind)?.xstatsText;
    const xs = a.xstats ?? c.xstats;
    if (xt && xs && !('$raw' in xs)) lines.push(...xt(xs));
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
  const text = qdiscPrinter(q.kind)?.text;
  if (text) line += text(op);
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
    const xt = qdiscPrinter(q.kind)?.xstatsText;
    if (xt && q.xstats && !('$raw' in q.xstats)) lines.push(...xt(q.xstats));
  }
  return lines.join('\n');
}

/** The text of one action as tc prints it inside a filter listing (and `tc actions`). */
export function actionText(a: Json, stats: boolean, act?: ActionAttrs): string[] {
  let head = `\taction order ${a.order}: ${a.kind}`;
  const ctl = (a.control_action as Json | undefined)?.type;
  const kind = String(a.kind);
  const text = Object.hasOwn(actionKinds, kind) ? actionKinds[kind as keyof typeof actionKinds].text : undefined;
  if (text) head += text(a);
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
    const own = filterPlugin(f.kind)?.textLines?.(op, f.options);
    if (own) {
      line += own.words;
      lines.push(line, ...own.lines);
    } else {
      if (op.handle !== undefined) line += `handle ${op.handle} `;
      if (op.flowid !== undefined) line += `flowid ${op.flowid} `;
      line += clsFlagsText(op);
      lines.push(line);
    }
    const acts = (op.actions as Json[] | undefined) ?? [];
    for (const a of acts) lines.push(...actionText(a, o.stats));
  } else lines.push(line);
  return lines.join('\n');
}
