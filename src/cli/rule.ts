/** `rtnl rule`: show, add, delete, as `ip rule`. */
import type { RuleSpec } from '../ops/rules.js';
import {
  Args,
  invalid,
  pick,
  prefixArg,
  tableArg,
  uint,
  UsageError,
  type Globals,
  protoArg,
  realmsArg,
} from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, ruleJson } from './format.js';
import { ruleText } from './text.js';

export const RULE_USAGE = `Usage: rtnl rule [list | show]
       rtnl rule {add | del} SELECTOR ACTION
       rtnl rule flush [pref NUMBER] [table TABLE_ID]
       rtnl rule show [pref NUMBER] [table TABLE_ID]
SELECTOR := [not] [from PREFIX] [to PREFIX] [tos TOS] [fwmark FWMARK[/MASK]]
            [iif STRING] [oif STRING] [pref NUMBER] [protocol PROTO]
            [ipproto PROTOCOL] [sport [NUMBER | NUMBER-NUMBER]] [dport [NUMBER | NUMBER-NUMBER]]
            [uidrange NUMBER-NUMBER]
ACTION := [table TABLE_ID] [suppress_prefixlength NUMBER]
          [realms [SRCREALM/]DSTREALM] [goto NUMBER | nop | blackhole | unreachable | prohibit]
TABLE_ID := [local | main | default | NUMBER]`;

const ACTIONS = ['blackhole', 'unreachable', 'prohibit', 'nop'] as const;

/** `N` or `N-M`, as ip's sport/dport/uidrange. */
function range(k: string, v: string, max: number): { start: number; end: number } {
  const [x, y, extra] = v.split('-');
  if (x === undefined || extra !== undefined) throw invalid(k, v, 'expected N or N-M');
  const start = uint(k, x, max);
  const end = y === undefined ? start : uint(k, y, max);
  if (end < start) throw invalid(k, v, 'the range ends before it starts');
  return { start, end };
}

function parseModify(op: 'add' | 'delete', a: Args, g: Globals): Plan {
  const s: RuleSpec = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'not') s.not = true;
    else if (k === 'from') {
      // `from all` (or default, any): no source selector.
      const v = prefixArg(k, a.value(k));
      if (v !== 'default' && v !== 'all' && v !== 'any') s.from = v;
    } else if (k === 'to') {
      const v = prefixArg(k, a.value(k));
      if (v !== 'default' && v !== 'all' && v !== 'any') s.to = v;
    } else if (k === 'tos' || k === 'dsfield') s.tos = uint(k, a.value(k), 255);
    else if (k === 'fwmark') {
      const [mark, mask] = a.value(k).split('/') as [string, string | undefined];
      s.fwmark = uint(k, mark);
      if (mask !== undefined) s.fwmask = uint('fwmask', mask);
    } else if (k === 'iif' || k === 'dev') s.iif = a.value(k);
    else if (k === 'oif') s.oif = a.value(k);
    else if (pick(k, ['preference', 'order', 'priority'])) s.priority = uint(k, a.value(k));
    else if (k === 'table' || k === 'lookup') {
      const t = tableArg(k, a.value(k));
      if (t === 'all') throw invalid(k, 'all', 'not a table for a rule');
      s.table = t;
    } else if (k === 'suppress_prefixlength' || k === 'sup_pl') s.suppressPrefixlen = uint(k, a.value(k), 128);
    else if (k === 'protocol' || k === 'proto') {
      const v = a.value(k);
      s.protocol = protoArg(v);
    } else if (k === 'goto') s.goto = uint(k, a.value(k));
    else if (k === 'type') {
      const v = a.value(k);
      if (!(ACTIONS as readonly string[]).includes(v) && v !== 'unicast')
        throw invalid(k, v, `expected one of ${ACTIONS.join(', ')}`);
      if (v !== 'unicast') s.action = v as RuleSpec['action'];
    } else if ((ACTIONS as readonly string[]).includes(k)) s.action = k as RuleSpec['action'];
    else if (k === 'help') return help(RULE_USAGE);
    else if (k === 'ipproto') {
      const v = a.value(k);
      if (/^\d+$/.test(v)) s.ipproto = uint(k, v, 255);
      else if (v === 'tcp' || v === 'udp' || v === 'icmp' || v === 'icmpv6') s.ipproto = v;
      else throw invalid(k, v, 'expected tcp, udp, icmp, icmpv6 or a number');
    } else if (k === 'sport' || k === 'dport') {
      const r = range(k, a.value(k), 65535);
      s[k] = r.start === r.end ? r.start : r;
    } else if (k === 'uidrange') s.uidRange = range(k, a.value(k), 0xffffffff);
    else if (k === 'realms') s.realms = realmsArg(k, a.value(k));
    else if (['l3mdev', 'nat', 'map-to', 'suppress_ifgroup'].includes(k)) {
      throw new UsageError(`rule option "${k}" is not supported by rtnl`);
    } else throw new UsageError(`either "${k}" is garbage, or it is not a rule option (try "rtnl rule help")`);
  }
  if (op === 'delete' && Object.keys(s).length === 0) throw new UsageError('"rule del" requires arguments');
  if (g.family) s.family = g.family;
  return { op: `rules.${op}`, args: [s] };
}

export interface RuleShowFilter {
  family: 4 | 6;
  priority?: number;
  table?: number | 'main' | 'local' | 'default';
}

const COMMANDS = ['list', 'lst', 'show', 'add', 'delete', 'flush', 'save', 'restore', 'help'] as const;

export function parseRule(words: string[], g: Globals): Plan {
  // ip rule lists IPv4 unless -6 is given.
  const show = (a: Args, op = 'rule.show'): Plan => {
    const f: RuleShowFilter = { family: g.family ?? 4 };
    while (!a.done) {
      const k = a.shift();
      if (k === 'help') return help(RULE_USAGE);
      if (pick(k, ['preference', 'order', 'priority'])) f.priority = uint(k, a.value(k));
      else if (k === 'table' || k === 'lookup') {
        const t = tableArg(k, a.value(k));
        if (t === 'all') throw invalid(k, 'all', 'not a table for a rule');
        f.table = t;
      } else
        throw new UsageError(
          `"rule ${op === 'rule.show' ? 'show' : 'flush'}" selector "${k}" is not supported by rtnl (pref and table are)`,
        );
    }
    return { op, args: [f] };
  };
  if (words.length === 0) return show(new Args([], 'rule show'));
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `rule ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'list':
    case 'lst':
    case 'show':
      return show(a);
    case 'add':
      return parseModify('add', a, g);
    case 'delete':
      return parseModify('delete', a, g);
    case 'flush':
      return show(a, 'rule.flush');
    case 'help':
      return help(RULE_USAGE);
    case undefined:
      throw new UsageError(`command "${first}" is unknown, try "rtnl rule help"`);
    default:
      throw new UsageError(`"rule ${pick(first, COMMANDS)}" is not supported by rtnl (add, del, show, flush are)`);
  }
}

export const rule: ObjectCommand = {
  name: 'rule',
  usage: RULE_USAGE,
  parse: parseRule,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const f = plan.args[0] as RuleShowFilter;
    const nl = await ctx.client();
    if (plan.op === 'rule.flush') {
      await nl.rules.flush(f);
      return;
    }
    if (plan.op !== 'rule.show') throw new Error(`unexpected plan ${plan.op}`);
    const rules = await nl.rules.list(f);
    const objs = rules.map((r) => ruleJson(r, { details: ctx.g.details }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(ruleText(j));
  },
};
