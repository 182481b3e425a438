/** `rtnl tc`: qdisc, class, filter, chain and actions, with tc's syntax and tc's -j output. */
import type { KindWords } from '../kinds/plugin.js';
import type { ActionSpecWithDev, ClassSpec, FilterSpec, FilterTarget, QdiscSpec } from '../ops/tc.js';
import {
  actionKinds,
  classKinds,
  filterKinds,
  keywordOptions,
  qdiscKinds,
  type TcActionPlugin,
  type TcPluginBase,
} from '../ops/tc-kinds.js';
import { Args, invalid, netnsArg, pick, uint, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText } from './format.js';
import {
  actionJson,
  actionOrder,
  actionText,
  classText,
  filterJson,
  filterText,
  qdiscJson,
  qdiscText,
} from './tc-format.js';

export const TC_USAGE = `Usage: rtnl tc [-s] [-j] OBJECT COMMAND ...
       rtnl tc qdisc {add | replace | change | del} dev DEV [root | ingress | clsact | parent ID]
                     [handle ID] [ingress_block N] [egress_block N] KIND [KIND OPTIONS]
       rtnl tc qdisc show [dev DEV]
       rtnl tc class {add | replace | change | del} dev DEV [parent ID] classid ID htb rate RATE
                     [ceil RATE] [burst SIZE] [cburst SIZE] [prio N] [quantum N] [mtu SIZE]
       rtnl tc class show dev DEV [parent ID]
       rtnl tc filter {add | replace | change | del} {dev DEV [root | ingress | egress | parent ID] |
                     block N} [protocol PROTO] [prio N] [handle ID] [chain N] KIND [KIND OPTIONS]
                     [action ACTION ...]
       rtnl tc filter show {dev DEV [ingress | egress | parent ID] | block N} [chain N]
       rtnl tc chain {add | del | show} dev DEV {ingress | egress | parent ID} [chain N]
       rtnl tc actions {add | del | get | list} action KIND ... [index N]
KIND (qdisc) := pfifo [limit N] | bfifo [limit SIZE] | pfifo_fast | prio [bands N] | mq | ingress | clsact
          | tbf rate RATE burst SIZE {latency TIME | limit SIZE} [peakrate RATE mtu SIZE] [mpu SIZE]
          | htb [default ID] [r2q N] [direct_qlen N]
          | netem [limit N] [delay TIME [JITTER]] [loss PERCENT] [duplicate PERCENT] [corrupt PERCENT]
                  [reorder PERCENT] [gap N] [rate RATE]
          | fq_codel [limit N] [flows N] [target TIME] [interval TIME] [quantum N] [ecn | noecn]
          | fq [limit N] [flow_limit N] [quantum SIZE] [maxrate RATE] [buckets N] [pacing | nopacing]
          | sfq [perturb SECS] [quantum N] [limit N] [divisor N] [flows N] [depth N]
          | cake [bandwidth RATE]
          | red limit SIZE min SIZE max SIZE avpkt SIZE [burst N] [bandwidth RATE] [probability P]
                [ecn] [harddrop] [adaptive] [nodrop]
KIND (filter) := u32 [match SELECTOR ...] [classid ID] [divisor N] [ht ID] [link ID] [hashkey mask M at N]
          | bpf {bytecode 'N,C T F K,...' | fd FD [name NAME]} [da] [classid ID]
          | matchall [classid ID] | flower [src_ip PREFIX] [dst_ip PREFIX] [ip_proto tcp|udp|N]
                                           [src_port N] [dst_port N] [classid ID]
SELECTOR := {ip | ip6} {src | dst} PREFIX | {ip | ip6} {sport | dport | protocol | tos} N [MASK]
          | {u32 | u16 | u8} VALUE MASK at OFFSET
ACTION := mirred {egress | ingress} {redirect | mirror} dev DEV [index N]
          | [gact] {pass | drop | ok | reclassify | pipe | continue} [index N]
          | police rate RATE burst SIZE [mtu SIZE] [conform-exceed VERDICT] [index N]
RATE: 100mbit, 1gbit, 10MBps...; SIZE: 1500b, 64kb, 1mb; TIME: 10ms, 1s, 500us`;

type Op = 'add' | 'replace' | 'change' | 'delete';
const MODIFY = ['add', 'replace', 'change', 'delete', 'show', 'list', 'ls', 'help'] as const;

const modifyOp = (w: string): Op | 'show' | 'help' | undefined => {
  if (w === 'del') return 'delete';
  const p = pick(w, MODIFY);
  return p === 'list' || p === 'ls' ? 'show' : p;
};

/**
 * tc's words after a kind, for the kind plugin's parser (src/kinds/tc); `pending` is a word the
 * CLI already read that the plugin reads first (gact's bare verdict).
 */
function tcWords(a: Args, pending?: string): KindWords {
  let first = pending;
  return {
    get done() {
      return first === undefined && a.done;
    },
    peek: () => first ?? a.peek(),
    shift: () => {
      if (first === undefined) return a.shift();
      const w = first;
      first = undefined;
      return w;
    },
    value: (k) => a.value(k),
    uint: (k, v, max) => uint(k, v, max),
    invalid: (k, v, why) => invalid(k, v, why),
    usage: (message) => new UsageError(message),
    netns: (v) => netnsArg(v),
  };
}

/** A kind's plugin from a registry, or undefined. */
function pluginOf<P>(kinds: object, kind: string): P | undefined {
  return Object.hasOwn(kinds, kind) ? ((kinds as Record<string, P>)[kind] as P) : undefined;
}

/** The options after a kind, through its plugin; a kind without a parser takes no words. */
function kindArgs(plugin: TcPluginBase<unknown, unknown>, kind: string, a: Args): Record<string, unknown> {
  const w = tcWords(a);
  if (plugin.parseArgs) return (plugin.parseArgs(w) ?? {}) as Record<string, unknown>;
  keywordOptions(w, kind, {});
  return {};
}

function qdiscOptions(kind: string, a: Args): Record<string, unknown> | undefined {
  const plugin = pluginOf<TcPluginBase<unknown, unknown>>(qdiscKinds, kind);
  if (!plugin) throw new UsageError(`qdisc kind "${kind}" is not supported by rtnl`);
  return kindArgs(plugin, kind, a);
}

/** `dev X` / `root` / `ingress` / `clsact` / `parent P` / `handle H` ... of a qdisc or class command. */
function parseQdisc(op: Op, a: Args): Plan {
  const s: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'root') s.parent = 'root';
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'handle') s.handle = a.value(k);
    else if (k === 'ingress_block') s.ingressBlock = uint(k, a.value(k));
    else if (k === 'egress_block') s.egressBlock = uint(k, a.value(k));
    else if (k === 'help') return help(TC_USAGE);
    else if (op === 'delete' && (k === 'ingress' || k === 'clsact') && a.done) s.kind = k;
    else {
      s.kind = k;
      const opts = qdiscOptions(k, a);
      if (opts && Object.keys(opts).length > 0) s.options = opts;
      break;
    }
  }
  if (s.dev === undefined) throw new UsageError('"dev" is required ("qdisc ' + op + ' dev DEV ...")');
  if (op === 'delete') {
    const { options: _o, ...del } = s;
    return { op: 'tc.qdiscs.delete', args: [del] };
  }
  if (s.kind === undefined) throw new UsageError('the qdisc kind is missing');
  return { op: `tc.qdiscs.${op}`, args: [s as QdiscSpec] };
}

function parseClass(op: Op, a: Args): Plan {
  const s: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'root') s.parent = 'root';
    else if (k === 'classid') s.classid = a.value(k);
    else if (k === 'help') return help(TC_USAGE);
    else if (pluginOf(classKinds, k)) {
      s.kind = k;
      s.options = kindArgs(pluginOf<TcPluginBase<unknown, unknown>>(classKinds, k)!, k, a);
    } else
      throw new UsageError(
        `class kind or option "${k}" is not supported by rtnl (${Object.keys(classKinds).join(', ')} ${Object.keys(classKinds).length > 1 ? 'are' : 'is'})`,
      );
  }
  if (s.dev === undefined) throw new UsageError('"dev" is required');
  if (s.classid === undefined) throw new UsageError('"classid" is required');
  if (op === 'delete') return { op: 'tc.classes.delete', args: [{ dev: s.dev, classid: s.classid }] };
  if (s.kind === undefined) throw new UsageError('the class kind is missing (htb)');
  return { op: `tc.classes.${op}`, args: [s as unknown as ClassSpec] };
}

/** `action KIND ...` clauses (tc's action syntax) up to the end. */
function parseActions(a: Args): ActionSpecWithDev[] {
  const out: ActionSpecWithDev[] = [];
  const plugins = Object.values(actionKinds) as TcActionPlugin<unknown>[];
  while (!a.done) {
    const k = a.shift();
    if (k !== 'action' && k !== 'actions') throw new UsageError(`"${k}" is garbage (expected "action")`);
    const kind = a.shift();
    const own = pluginOf<TcActionPlugin<unknown>>(actionKinds, kind);
    // A word that names a kind by itself (gact's `drop`) is the plugin's first word.
    const alias = own ? undefined : plugins.find((p) => p.aliases?.includes(kind));
    const plugin = own ?? alias;
    if (!plugin?.parseArgs)
      throw new UsageError(`action "${kind}" is not supported by rtnl (${Object.keys(actionKinds).join(', ')} are)`);
    out.push(plugin.parseArgs(tcWords(a, alias ? kind : undefined)) as ActionSpecWithDev);
  }
  return out;
}

/** The location words of a filter or chain command; returns the first word it does not know. */
function filterTarget(a: Args, s: FilterTarget & Record<string, unknown>, showOnly = false): string | undefined {
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'block') s.block = uint(k, a.value(k));
    else if (k === 'root') s.parent = 'root';
    else if (k === 'ingress' || k === 'egress') s.parent = k;
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'chain') s.chain = uint(k, a.value(k));
    else if (!showOnly && (k === 'protocol' || k === 'proto')) {
      const v = a.value(k);
      s.protocol = /^\d+$/.test(v) ? Number(v) : v;
    } else if (!showOnly && (k === 'prio' || k === 'pref' || k === 'priority' || k === 'preference'))
      s.pref = uint(k, a.value(k), 0xffff);
    else if (!showOnly && k === 'handle') s.handle = a.value(k);
    else return k;
  }
  return undefined;
}

function parseFilter(op: Op, a: Args): Plan {
  const s = {} as FilterSpec & Record<string, unknown>;
  const kind = filterTarget(a, s);
  if (kind === 'help') return help(TC_USAGE);
  if (op === 'delete') {
    if (kind !== undefined) s.kind = kind as FilterSpec['kind'];
    return { op: 'tc.filters.delete', args: [s] };
  }
  if (kind === undefined) throw new UsageError('the filter kind is missing');
  s.kind = kind as FilterSpec['kind'];
  const plugin = pluginOf<TcPluginBase<unknown, unknown>>(filterKinds, kind);
  if (!plugin)
    throw new UsageError(`filter kind "${kind}" is not supported by rtnl (${Object.keys(filterKinds).join(', ')} are)`);
  (s as Record<string, unknown>)[kind] = kindArgs(plugin, kind, a);
  if (!a.done) s.actions = parseActions(a);
  return { op: `tc.filters.${op}`, args: [s] };
}

export interface TcShow {
  what: 'qdisc' | 'class' | 'filter' | 'chain' | 'actions';
  filter: Record<string, unknown>;
}

function parseShow(what: TcShow['what'], a: Args): Plan {
  const f: Record<string, unknown> = {};
  if (what === 'qdisc' || what === 'class') {
    while (!a.done) {
      const k = a.shift();
      if (k === 'dev') f.dev = a.value(k);
      else if (k === 'parent' && what === 'class') f.parent = a.value(k);
      else if (k === 'help') return help(TC_USAGE);
      else throw new UsageError(`"${what} show ${k}" is not supported by rtnl`);
    }
    if (what === 'class' && f.dev === undefined) throw new UsageError('"class show" needs "dev DEV"');
  } else {
    const extra = filterTarget(a, f as FilterTarget & Record<string, unknown>, true);
    if (extra === 'help') return help(TC_USAGE);
    if (extra !== undefined) throw new UsageError(`"${what} show ${extra}" is not supported by rtnl`);
    if (f.dev === undefined && f.block === undefined)
      throw new UsageError(`"${what} show" needs "dev DEV" or "block N"`);
  }
  return { op: 'tc.show', args: [{ what, filter: f } satisfies TcShow] };
}

function parseChain(op: Op | 'show', a: Args): Plan {
  if (op === 'show') return parseShow('chain', a);
  const s = {} as FilterTarget & Record<string, unknown>;
  const extra = filterTarget(a, s, true);
  if (extra !== undefined) throw new UsageError(`"chain ${op} ${extra}" is garbage`);
  if (s.chain === undefined) throw new UsageError('"chain" is required');
  if (op !== 'add' && op !== 'delete') throw new UsageError(`"chain ${op}" is not supported (add, del, show are)`);
  return { op: op === 'add' ? 'tc.filters.addChain' : 'tc.filters.deleteChain', args: [s] };
}

function parseActionsCmd(words: string[]): Plan {
  const [cmd, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, 'tc actions');
  const c =
    cmd === 'del'
      ? 'delete'
      : pick(cmd ?? 'list', ['add', 'replace', 'change', 'delete', 'get', 'list', 'ls', 'show', 'help'] as const);
  if (c === 'help') return help(TC_USAGE);
  if (c === 'add' || c === 'replace' || c === 'change') {
    const acts = parseActions(a);
    if (acts.length === 0) throw new UsageError('"actions add" needs "action KIND ..."');
    return { op: 'tc.actions.add', args: [acts] };
  }
  if (a.shift() !== 'action') throw new UsageError('expected "action KIND"');
  const kind = a.shift();
  let index: number | undefined;
  while (!a.done) {
    const k = a.shift();
    if (k === 'index') index = uint(k, a.value(k));
    else throw new UsageError(`"${k}" is garbage`);
  }
  if (c === 'delete' || c === 'get') {
    if (index === undefined) throw new UsageError(`"actions ${c}" needs "index N"`);
    return c === 'delete'
      ? { op: 'tc.actions.delete', args: [kind, index] }
      : { op: 'tc.show', args: [{ what: 'actions', filter: { kind, index } }] };
  }
  return { op: 'tc.show', args: [{ what: 'actions', filter: { kind } } satisfies TcShow] };
}

const OBJECTS = ['qdisc', 'class', 'filter', 'chain', 'actions', 'help'] as const;

export function parseTc(words: string[], g: Globals): Plan {
  // tc's own options may follow the object name, as in `tc -s -j qdisc show`.
  while (words[0]?.startsWith('-')) {
    const o = words[0].replace(/^--?/, '');
    if (o === 's' || o === 'stats' || o === 'statistics') g.stats++;
    else if (o === 'j' || o === 'json') g.json = true;
    else if (o === 'p' || o === 'pretty') g.pretty = true;
    else if (o === 'd' || o === 'details') g.details++;
    else throw new UsageError(`option "${words[0]}" is unknown to "rtnl tc" (-s, -j, -p, -d are known)`);
    words = words.slice(1);
  }
  if (words.length === 0) return help(TC_USAGE);
  const [first, ...rest] = words as [string, ...string[]];
  const obj = first === 'action' ? 'actions' : pick(first, OBJECTS);
  if (obj === 'help' || obj === undefined) {
    if (obj === 'help') return help(TC_USAGE);
    throw new UsageError(`object "${first}" is unknown, try "rtnl tc help"`);
  }
  if (obj === 'actions') return parseActionsCmd(rest.length ? rest : ['list']);
  const [cmd = 'show', ...args] = rest;
  const op = modifyOp(cmd);
  const a = new Args(args, `tc ${obj}`);
  if (op === undefined) throw new UsageError(`command "${cmd}" is unknown, try "rtnl tc help"`);
  if (op === 'help') return help(TC_USAGE);
  if (obj === 'chain') return parseChain(op, a);
  if (op === 'show') return parseShow(obj, a);
  if (obj === 'qdisc') return parseQdisc(op, a);
  if (obj === 'class') return parseClass(op, a);
  return parseFilter(op, a);
}

export const tcCommand: ObjectCommand = {
  name: 'tc',
  usage: TC_USAGE,
  parse: parseTc,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    const { clock } = await import('../ops/tc.js');
    const ps = clock();
    const g = ctx.g;
    if (plan.op !== 'tc.show') {
      const [, obj, method] = plan.op.split('.') as [string, 'qdiscs' | 'classes' | 'filters' | 'actions', string];
      const target = nl.tc[obj] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      await target[method]!.apply(target, plan.args);
      return;
    }
    const { what, filter } = plan.args[0] as TcShow;
    const names = new Map((await nl.links.list()).map((l) => [l.index, l.name]));
    const stats = g.stats > 0;
    const print = (objs: unknown[], text: (o: any) => string) => {
      if (g.json) ctx.out(jsonText(objs, g.pretty));
      else for (const o of objs) ctx.out(text(o));
    };
    if (what === 'qdisc') {
      const list = await nl.tc.qdiscs.list(filter);
      const o = { dev: filter.dev === undefined, stats, ps };
      if (g.json)
        ctx.out(
          jsonText(
            list.map((q) => qdiscJson(q, o)),
            g.pretty,
          ),
        );
      else for (const q of list) ctx.out(qdiscText(q, o));
    } else if (what === 'class') {
      const list = await nl.tc.classes.list(filter as { dev: string });
      const o = { dev: false, stats, ps };
      if (g.json)
        ctx.out(
          jsonText(
            list.map((c) => ({
              class: c.kind,
              handle: c.handle,
              parent: c.parent,
              options: c.options,
              ...(stats ? { stats: c.stats, xstats: c.xstats } : {}),
            })),
            g.pretty,
          ),
        );
      else for (const c of list) ctx.out(classText(c, o));
    } else if (what === 'filter') {
      const list = await nl.tc.filters.list(filter as FilterTarget);
      const o = {
        dev: filter.dev === undefined,
        parent: filter.parent === undefined,
        block: filter.block === undefined,
        stats,
        names,
      };
      const objs = list.map((f) => {
        const j = filterJson(f, o);
        if (filter.chain !== undefined) delete j.chain;
        return j;
      });
      if (g.json) ctx.out(jsonText(objs, g.pretty));
      else for (const f of list) ctx.out(filterText(f, o));
    } else if (what === 'chain') {
      const list = await nl.tc.filters.listChains(filter as FilterTarget);
      print(
        list.map((c) => ({ parent: c.parent, chain: c.chain })),
        (c) => `chain parent ${c.parent} chain ${c.chain}`,
      );
    } else {
      const kind = filter.kind as string;
      const acts =
        filter.index === undefined
          ? await nl.tc.actions.list(kind)
          : [await nl.tc.actions.get(kind, filter.index as number)];
      const objs = acts.map((x, i) =>
        actionJson(x.attrs, filter.index === undefined ? actionOrder(x.attrs, i) : 1, names, stats, true),
      );
      if (g.json)
        ctx.out(
          jsonText([{ 'total acts': filter.index === undefined ? acts.length : 0 }, { actions: objs }], g.pretty),
        );
      else {
        // tc prints TCA_ROOT_COUNT, which the kernel sends with a dump but not with a get.
        const lines = [`total acts ${filter.index === undefined ? acts.length : 0}`];
        for (const j of objs) lines.push('', ...actionText(j, stats).slice(0, -1));
        ctx.out(lines.join('\n'));
      }
    }
  },
};
