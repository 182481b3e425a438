/** `rtnl neighbour`: show, add, replace, delete, as `ip neigh`. */
import type { IpNeighbourSpec, NeighbourFlushFilter } from '../ops/neighbours.js';
import { parsePrefix, prefixContains } from '../ops/validate.js';
import { addressArg, Args, invalid, once, pick, prefixArg, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, namesFrom, neighJson, neighShownByDefault } from './format.js';
import { neighText } from './text.js';

export const NEIGH_USAGE = `Usage: rtnl neigh {add | del | change | replace} ADDR [lladdr LLADDR] [nud STATE] [proxy] [router] dev DEV
       rtnl neigh {show | list | flush} [proxy] [to PREFIX] [dev DEV] [nud STATE] [master DEV]
       rtnl neigh get ADDR dev DEV [proxy]
       rtnl neigh help
STATE := {permanent | noarp | stale | reachable | none | incomplete | delay | probe | failed | all}`;

const STATES = ['permanent', 'noarp', 'stale', 'reachable', 'none', 'incomplete', 'delay', 'probe', 'failed'] as const;

function parseModify(op: 'add' | 'replace' | 'change' | 'delete' | 'get', a: Args, g: Globals): Plan {
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
    else if (['extern_learn', 'managed', 'use', 'protocol', 'vrf'].includes(k))
      throw new UsageError(`"${k}" is not supported by rtnl`);
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
  if (op === 'get')
    return { op: 'neigh.get', args: [{ address: s.address, dev: s.dev, ...(s.proxy ? { proxy: true } : {}) }] };
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
  /** `to PREFIX` or a bare address/prefix. */
  to?: string;
  master?: string;
}

function parseShow(a: Args, g: Globals, flush = false): Plan {
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
    else if (k === 'master') f.master = a.value(k);
    else if (k === 'help') return help(NEIGH_USAGE);
    else if (['vrf', 'nomaster', 'unused'].includes(k)) throw new UsageError(`"${k}" is not supported by rtnl`);
    else {
      const v = k === 'to' ? a.value(k) : k;
      once(f.to, 'to', v);
      f.to = prefixArg('to', v);
    }
  }
  if (!flush) return { op: 'neigh.show', args: [f] };
  if (f.dev === undefined && f.to === undefined && f.master === undefined && f.nud === undefined && !f.proxy)
    throw new UsageError('flush requires arguments: "rtnl neigh flush dev IFNAME"');
  const ff: NeighbourFlushFilter = {};
  if (f.dev !== undefined) ff.link = f.dev;
  if (f.master !== undefined) ff.master = f.master;
  if (f.family) ff.family = f.family;
  if (f.proxy) ff.proxy = true;
  if (f.to !== undefined && f.to !== 'all' && f.to !== 'default' && f.to !== 'any') ff.to = f.to;
  if (f.nud !== undefined) ff.nud = f.nud as NeighbourFlushFilter['nud'];
  return { op: 'neighbours.flush', args: [ff] };
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
    case 'change':
    case 'chg':
      return parseModify('change', a, g);
    case 'get':
      return parseModify('get', a, g);
    case 'flush':
      return parseShow(a, g, true);
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
    const nl = await ctx.client();
    if (plan.op === 'neigh.get') {
      const names = namesFrom(await nl.links.list());
      const j = neighJson(await nl.neighbours.get(plan.args[0] as { address: string; dev: string }), names);
      if (ctx.g.json) ctx.out(jsonText([j], ctx.g.pretty));
      else ctx.out(neighText(j));
      return;
    }
    if (plan.op !== 'neigh.show') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as NeighShowFilter;
    const names = namesFrom(await nl.links.list());
    let list = await nl.neighbours.list({
      ...(f.dev !== undefined ? { link: f.dev } : {}),
      ...(f.master !== undefined ? { master: f.master } : {}),
      ...(f.family ? { family: f.family } : {}),
      ...(f.proxy ? { proxy: true } : {}),
    });
    list = list.filter((n) => n.family !== 'bridge');
    if (f.to !== undefined && f.to !== 'all' && f.to !== 'default' && f.to !== 'any') {
      const p = parsePrefix(f.to)!;
      list = list.filter((n) => n.address !== undefined && prefixContains(p, n.address));
    }
    if (f.nud === undefined) list = list.filter(neighShownByDefault);
    else if (f.nud !== 'all') list = list.filter((n) => n.state.some((s) => s.toLowerCase() === f.nud));
    if (f.proxy) list = list.filter((n) => n.flags.includes('proxy'));
    const objs = list.map((n) => neighJson(n, names, { devFiltered: f.dev !== undefined }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(neighText(j));
  },
};
