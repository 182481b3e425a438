/** `rtnl address`: show, add, replace, delete, flush, as `ip address`. */
import type { AddressOptions, AddressSelectors } from '../ops/addresses.js';
import { Args, invalid, once, pick, prefixArg, uint, UsageError, type Globals, showDev, scopeArg } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { addrShowJson, jsonText, namesFrom } from './format.js';
import { selectLinks } from './link.js';
import { addrEventText, addrShowText } from './text.js';
import { addrBriefJson, addrBriefText, stats64Json, statsText } from './format-brief.js';
import { put, type Json } from './format-util.js';

export const ADDR_USAGE = `Usage: rtnl address {add|replace} IFADDR dev IFNAME [LIFETIME] [CONFFLAG-LIST]
       rtnl address del IFADDR dev IFNAME
       rtnl address flush [dev IFNAME] [SELECTORS]
       rtnl address [show [[dev] IFNAME] [up] [SELECTORS]]
SELECTORS := [scope SCOPE-ID|all] [to PREFIX] [label PATTERN] [primary | secondary]
       rtnl address help
IFADDR := PREFIX | ADDR peer PREFIX
          [broadcast ADDR|+|-] [label IFNAME] [scope SCOPE-ID] [metric METRIC]
          [proto {kernel_lo|kernel_ra|kernel_ll|NUMBER}]
SCOPE-ID := [host | link | global | NUMBER]
CONFFLAG-LIST := [CONFFLAG-LIST] CONFFLAG
CONFFLAG := [home | nodad | mngtmpaddr | noprefixroute | autojoin | optimistic]
LIFETIME := [valid_lft LFT] [preferred_lft LFT]
LFT := forever | SECONDS`;

const CONF_FLAGS = ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'optimistic'] as const;
const SCOPES = ['global', 'universe', 'site', 'link', 'host', 'nowhere'];

function lifetime(k: string, v: string): number | 'forever' {
  return v === 'forever' ? 'forever' : uint(k, v);
}

/** add / replace / del: `IFADDR [options] dev IFNAME`. */
function parseModify(op: 'add' | 'replace' | 'delete', a: Args): Plan {
  let local: string | undefined;
  let dev: string | undefined;
  const o: AddressOptions = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'peer' || k === 'remote') o.peer = prefixArg(k, a.value(k));
    else if (k === 'broadcast' || k === 'brd') o.broadcast = a.value(k);
    else if (k === 'label') o.label = a.value(k);
    else if (k === 'scope') {
      const v = a.value(k);
      o.scope = scopeArg(k, v, SCOPES) as AddressOptions['scope'];
    } else if (k === 'metric' || k === 'priority' || k === 'preference') o.metric = uint(k, a.value(k));
    else if (k === 'proto' || k === 'protocol') {
      const v = a.value(k);
      o.proto = (
        ['unspec', 'kernel_lo', 'kernel_ra', 'kernel_ll'].includes(v) ? v : uint(k, v, 255)
      ) as AddressOptions['proto'];
    } else if (k === 'valid_lft') o.validLft = lifetime(k, a.value(k));
    else if (k === 'preferred_lft') o.preferredLft = lifetime(k, a.value(k));
    else if ((CONF_FLAGS as readonly string[]).includes(k)) (o.flags ??= []).push(k as (typeof CONF_FLAGS)[number]);
    else if (k === 'dev') {
      once(dev, 'dev', a.peek() ?? '');
      dev = a.value(k);
    } else if (k === 'local') {
      once(local, 'local', a.peek() ?? '');
      local = prefixArg(k, a.value(k));
    } else if (k === 'help') return help(ADDR_USAGE);
    else if (k === 'anycast') throw new UsageError('anycast addresses are not supported by rtnl');
    else {
      if (local !== undefined) throw new UsageError(`either "local" is duplicate, or "${k}" is garbage`);
      local = prefixArg('local', k);
    }
  }
  if (local === undefined) throw new UsageError('not enough information: an address (IFADDR) is required');
  if (local === 'default' || local === 'all' || local === 'any') throw invalid('local', local, 'not an address');
  if (dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  if (op === 'delete') {
    if (Object.keys(o).length > 0)
      throw new UsageError(`"address del" takes only IFADDR and dev; got ${Object.keys(o).join(', ')}`);
    return { op: 'addresses.delete', args: [dev, local] };
  }
  return { op: `addresses.${op}`, args: [dev, local, o] };
}

/**
 * ip's -o line for one address: ip ends the address line with a space unless it printed a label
 * (IPv6 addresses have none), and -o keeps that space before the backslash.
 */
const onelineAddr = (text: string, a: Json): string => {
  const [first, ...rest] = text.split('\n');
  return [a.label === undefined ? `${first} ` : first, ...rest].join('\\');
};

/** A selector word of `show`/`flush` (scope, label, to, primary, secondary) into `f`; false if `k` is none. */
function selectorWord(k: string, a: Args, f: AddressSelectors): boolean {
  switch (k) {
    case 'scope': {
      const v = a.value(k);
      f.scope = scopeArg(k, v, [...SCOPES, 'all']) as AddressSelectors['scope'];
      return true;
    }
    case 'label':
      f.label = a.value(k);
      return true;
    case 'to':
      f.to = prefixArg(k, a.value(k));
      return true;
    case 'primary':
      f.primary = true;
      return true;
    case 'secondary':
    case 'temporary':
      f.secondary = true;
      return true;
    default:
      if (UNSUPPORTED_SELECTORS.includes(k) || (k.startsWith('-') && UNSUPPORTED_SELECTORS.includes(k.slice(1))))
        throw new UsageError(`"${k}" is not supported by rtnl`);
      return false;
  }
}
/** Valid ip selectors rtnl does not filter on. */
const UNSUPPORTED_SELECTORS = [
  'permanent',
  'dynamic',
  'tentative',
  'deprecated',
  'dadfailed',
  'home',
  'nodad',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'master',
  'nomaster',
  'type',
  'vrf',
];

function parseFlush(a: Args, g: Globals): Plan {
  let dev: string | undefined;
  const f: AddressSelectors & { family?: 4 | 6 } = {};
  while (!a.done) {
    const k = a.shift();
    if (selectorWord(k, a, f)) continue;
    if (k === 'dev') {
      once(dev, 'dev', a.peek() ?? '');
      dev = a.value(k);
    } else if (k === 'help') return help(ADDR_USAGE);
    else if (k === 'up') throw new UsageError('"up" is not supported by rtnl');
    else {
      once(dev, 'dev', k);
      dev = k;
    }
  }
  if (dev === undefined && Object.keys(f).length === 0)
    throw new UsageError('flush requires arguments: "rtnl address flush dev IFNAME"');
  if (g.family) f.family = g.family;
  return { op: 'addresses.flush', args: Object.keys(f).length ? [dev, f] : [dev] };
}

export interface AddrShowFilter extends AddressSelectors {
  dev?: string;
  up?: boolean;
  family?: 4 | 6;
}

function parseShow(a: Args, g: Globals): Plan {
  const f: AddrShowFilter = {};
  if (g.family) f.family = g.family;
  while (!a.done) {
    const k = a.shift();
    if (k === 'up') f.up = true;
    else if (selectorWord(k, a, f)) continue;
    else if (k === 'help') return help(ADDR_USAGE);
    else f.dev = showDev(a, k, f.dev);
  }
  return { op: 'address.show', args: [f] };
}

const COMMANDS = ['add', 'change', 'chg', 'replace', 'delete', 'list', 'show', 'lst', 'flush', 'help'] as const;

export function parseAddr(words: string[], g: Globals): Plan {
  if (words.length === 0) return parseShow(new Args([], 'address show'), g);
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `address ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'add':
      return parseModify('add', a);
    case 'replace':
      return parseModify('replace', a);
    case 'change':
    case 'chg':
      throw new UsageError('"address change" is not supported by rtnl; use "address replace"');
    case 'delete':
      return parseModify('delete', a);
    case 'list':
    case 'show':
    case 'lst':
      return parseShow(a, g);
    case 'flush':
      return parseFlush(a, g);
    case 'help':
      return help(ADDR_USAGE);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl address help"`);
  }
}

export const address: ObjectCommand = {
  name: 'address',
  usage: ADDR_USAGE,
  parse: parseAddr,
  async run(plan: Plan, ctx: Context): Promise<void> {
    if (plan.op !== 'address.show') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as AddrShowFilter;
    const nl = await ctx.client();
    const { links, all } = await selectLinks(ctx, { dev: f.dev, up: f.up });
    const { dev: _d, up: _u, ...filter } = f;
    const addrs = await nl.addresses.list(filter);
    const names = namesFrom(all);
    const selecting =
      filter.scope !== undefined || filter.label !== undefined || filter.to || filter.primary || filter.secondary;
    let objs = addrShowJson(links, addrs, names, {
      details: ctx.g.details,
      family: f.family,
      dev: f.dev !== undefined,
    });
    // As ip: with a selector, links without a matching address are left out.
    if (selecting) objs = objs.filter((j) => (j.addr_info as unknown[]).length > 0);
    if (ctx.g.stats && !ctx.g.brief) {
      const byIndex = new Map(links.map((l) => [l.index, l]));
      for (const j of objs) put(j, 'stats64', stats64Json(byIndex.get(j.ifindex as number)!));
    }
    if (ctx.g.brief) {
      if (ctx.g.json) ctx.out(jsonText(objs.map(addrBriefJson), ctx.g.pretty));
      else for (const j of objs) ctx.out(addrBriefText(j));
    } else if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else if (ctx.g.oneline) {
      for (const j of objs)
        for (const a of (j.addr_info as Json[]) ?? [])
          ctx.out(onelineAddr(addrEventText({ ...a, index: j.ifindex, dev: j.ifname }), a));
    } else
      for (const j of objs) {
        let text = addrShowText(j, ctx.g.details);
        if (ctx.g.stats) text = [text, ...statsText(links.find((l) => l.index === j.ifindex)!)].join('\n');
        ctx.out(text);
      }
  },
};
