/** `rtnl rule`: show, add, delete, as `ip rule`. */
import type { RuleSpec } from '../ops/rules.js';
import { Args, invalid, pick, prefixArg, tableArg, uint, UsageError, type Globals, protoArg } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, ruleJson } from './format.js';
import { ruleText } from './text.js';

export const RULE_USAGE = `Usage: rtnl rule [list | show]
       rtnl rule {add | del} SELECTOR ACTION
SELECTOR := [not] [from PREFIX] [to PREFIX] [tos TOS] [fwmark FWMARK[/MASK]]
            [iif STRING] [oif STRING] [pref NUMBER] [protocol PROTO]
ACTION := [table TABLE_ID] [suppress_prefixlength NUMBER]
          [goto NUMBER | nop | blackhole | unreachable | prohibit]
TABLE_ID := [local | main | default | NUMBER]`;

const ACTIONS = ['blackhole', 'unreachable', 'prohibit', 'nop'] as const;

function parseModify(op: 'add' | 'delete', a: Args, g: Globals): Plan {
  const s: RuleSpec = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'not') s.not = true;
    else if (k === 'from') {
      const v = prefixArg(k, a.value(k));
      if (v !== 'default') s.from = v;
    } else if (k === 'to') {
      const v = prefixArg(k, a.value(k));
      if (v !== 'default') s.to = v;
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
    else if (
      ['uidrange', 'ipproto', 'sport', 'dport', 'l3mdev', 'realms', 'nat', 'map-to', 'suppress_ifgroup'].includes(k)
    ) {
      throw new UsageError(`rule option "${k}" is not supported by rtnl`);
    } else throw new UsageError(`either "${k}" is garbage, or it is not a rule option (try "rtnl rule help")`);
  }
  if (op === 'delete' && Object.keys(s).length === 0) throw new UsageError('"rule del" requires arguments');
  if (g.family) s.family = g.family;
  return { op: `rules.${op}`, args: [s] };
}

export interface RuleShowFilter {
  family: 4 | 6;
}

const COMMANDS = ['list', 'lst', 'show', 'add', 'delete', 'flush', 'save', 'restore', 'help'] as const;

export function parseRule(words: string[], g: Globals): Plan {
  // ip rule lists IPv4 unless -6 is given.
  const show = (a: Args): Plan => {
    if (!a.done) {
      if (a.peek() === 'help') return help(RULE_USAGE);
      throw new UsageError(`"rule show" selectors are not supported by rtnl: "${a.peek()}"`);
    }
    return { op: 'rule.show', args: [{ family: g.family ?? 4 } satisfies RuleShowFilter] };
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
    case 'help':
      return help(RULE_USAGE);
    case undefined:
      throw new UsageError(`command "${first}" is unknown, try "rtnl rule help"`);
    default:
      throw new UsageError(`"rule ${pick(first, COMMANDS)}" is not supported by rtnl (add, del, show are)`);
  }
}

export const rule: ObjectCommand = {
  name: 'rule',
  usage: RULE_USAGE,
  parse: parseRule,
  async run(plan: Plan, ctx: Context): Promise<void> {
    if (plan.op !== 'rule.show') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as RuleShowFilter;
    const nl = await ctx.client();
    const rules = await nl.rules.list({ family: f.family });
    const objs = rules.map((r) => ruleJson(r, { details: ctx.g.details }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(ruleText(j));
  },
};
