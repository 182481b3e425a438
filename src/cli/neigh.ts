/** `rtnl neighbour`: show, add, replace, delete, as `ip neigh`. */
import type { IpNeighbourSpec } from '../ops/neighbours.js';
import { addressArg, Args, invalid, once, pick, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, namesFrom, neighJson, neighShownByDefault } from './format.js';
import { neighText } from './text.js';

export const NEIGH_USAGE = `Usage: rtnl neigh {add | del | replace} ADDR [lladdr LLADDR] [nud STATE] [proxy] [router] dev DEV
       rtnl neigh {show | list} [dev DEV] [nud STATE]
       rtnl neigh help
STATE := {permanent | noarp | stale | reachable | none | incomplete | delay | probe | failed | all}`;

const STATES = ['permanent', 'noarp', 'stale', 'reachable', 'none', 'incomplete', 'delay', 'probe', 'failed'] as const;

function parseModify(op: 'add' | 'replace' | 'delete', a: Args, g: Globals): Plan {
  const s: Partial<IpNeighbourSpec> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'lladdr') s.lladdr = a.value(k);
    else if (k === 'nud') {
      const v = a.value(k);
      if (!(STATES as readonly string[]).includes(v)) throw invalid(k, v, `expected one of ${STATES.join(', ')}`);
      s.state = v as IpNeighbourSpec['state'];
    } else if (k === 'router') s.router = true;
    else if (k === 'proxy') s.proxy = true;
    else if (k === 'dev') {
      once(s.dev, 'dev', a.peek() ?? '');
      s.dev = a.value(k);
    } else if (k === 'help') return help(NEIGH_USAGE);
    else {
      const v = k === 'to' ? a.value(k) : k;
      once(s.address, 'to', v);
      s.address = addressArg('to', v);
    }
  }
  if (s.address === undefined) throw new UsageError('not enough information: a neighbour address is required');
  if (s.dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  if (op === 'delete')
    return { op: 'neighbours.delete', args: [{ address: s.address, dev: s.dev, ...(s.proxy ? { proxy: true } : {}) }] };
  if (g.family) s.family = g.family;
  return { op: `neighbours.${op}`, args: [{ address: s.address, ...s }] };
}

export interface NeighShowFilter {
  dev?: string;
  family?: 4 | 6;
  /** 'all', or one state name; default: everything but NOARP and NONE, as ip. */
  nud?: string;
  proxy?: boolean;
}

function parseShow(a: Args, g: Globals): Plan {
  const f: NeighShowFilter = {};
  if (g.family) f.family = g.family;
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') {
      once(f.dev, 'dev', a.peek() ?? '');
      f.dev = a.value(k);
    } else if (k === 'nud') {
      const v = a.value(k);
      if (v !== 'all' && !(STATES as readonly string[]).includes(v))
        throw invalid(k, v, `expected one of all, ${STATES.join(', ')}`);
      f.nud = v;
    } else if (k === 'proxy') f.proxy = true;
    else if (k === 'help') return help(NEIGH_USAGE);
    else throw new UsageError(`unknown "neigh show" option "${k}"`);
  }
  return { op: 'neigh.show', args: [f] };
}

const COMMANDS = ['add', 'change', 'chg', 'replace', 'delete', 'list', 'show', 'lst', 'flush', 'get', 'help'] as const;

export function parseNeigh(words: string[], g: Globals): Plan {
  if (words.length === 0) return parseShow(new Args([], 'neigh show'), g);
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `neigh ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'add':
      return parseModify('add', a, g);
    case 'replace':
      return parseModify('replace', a, g);
    case 'delete':
      return parseModify('delete', a, g);
    case 'list':
    case 'show':
    case 'lst':
      return parseShow(a, g);
    case 'help':
      return help(NEIGH_USAGE);
    case undefined:
      throw new UsageError(`command "${first}" is unknown, try "rtnl neigh help"`);
    default:
      throw new UsageError(`"neigh ${pick(first, COMMANDS)}" is not supported by rtnl (add, replace, del, show are)`);
  }
}

export const neighbour: ObjectCommand = {
  name: 'neighbour',
  usage: NEIGH_USAGE,
  parse: parseNeigh,
  async run(plan: Plan, ctx: Context): Promise<void> {
    if (plan.op !== 'neigh.show') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as NeighShowFilter;
    const nl = await ctx.client();
    const names = namesFrom(await nl.links.list());
    let list = await nl.neighbours.list({
      ...(f.dev !== undefined ? { link: f.dev } : {}),
      ...(f.family ? { family: f.family } : {}),
    });
    list = list.filter((n) => n.family !== 'bridge');
    if (f.nud === undefined) list = list.filter(neighShownByDefault);
    else if (f.nud !== 'all') list = list.filter((n) => n.state.some((s) => s.toLowerCase() === f.nud));
    if (f.proxy) list = list.filter((n) => n.flags.includes('proxy'));
    const objs = list.map((n) => neighJson(n, names, { devFiltered: f.dev !== undefined }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(neighText(j));
  },
};
