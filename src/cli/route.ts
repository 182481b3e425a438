/** `rtnl route`: show, get, add, replace, delete, as `ip route`. */
import * as C from '../codec/constants/index.js';
import type { RouteGetOptions, RouteListFilter, RouteMetrics, RouteNexthopSpec, RouteSpec } from '../ops/routes.js';
import { parsePrefix } from '../ops/validate.js';
import {
  addressArg,
  Args,
  invalid,
  once,
  pick,
  prefixArg,
  tableArg,
  uint,
  UsageError,
  type Globals,
  protoArg,
  scopeArg,
  realmsArg,
} from './args.js';
import { parseEncap } from './encap.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, namesFrom, routeJson } from './format.js';
import { routeText } from './text.js';

export const ROUTE_USAGE = `Usage: rtnl route [list | show] [SELECTOR]
       rtnl route get ADDRESS [from ADDRESS] [iif STRING] [oif STRING] [mark NUMBER] [uid NUMBER]
                          [ipproto PROTO] [sport NUMBER] [dport NUMBER] [fibmatch]
       rtnl route {add | del | change | append | replace} ROUTE
       rtnl route flush SELECTOR
SELECTOR := [root PREFIX] [match PREFIX] [[exact] PREFIX] [table TABLE_ID] [proto RTPROTO]
            [type TYPE] [scope SCOPE] [via ADDRESS] [dev STRING]
ROUTE := NODE_SPEC [INFO_SPEC]
NODE_SPEC := [TYPE] PREFIX [tos TOS] [table TABLE_ID] [proto RTPROTO] [scope SCOPE] [metric METRIC]
             [expires SECONDS]
INFO_SPEC := { [encap ENCAPTYPE ENCAPHDR] NH | nhid ID } OPTIONS [nexthop NH]...
NH := [via [inet6] ADDRESS] [dev STRING] [weight NUMBER] [onlink] [realms [FROM/]TO]
OPTIONS := [mtu [lock] NUMBER] [advmss NUMBER] [window NUMBER] [cwnd NUMBER] [initcwnd NUMBER]
           [initrwnd NUMBER] [ssthresh NUMBER] [reordering NUMBER] [hoplimit NUMBER]
           [quickack BOOL] [congctl NAME] [fastopen_no_cookie BOOL] [src ADDRESS] [pref PREF]
TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat }
TABLE_ID := [local | main | default | all | NUMBER]
SCOPE := [host | link | global | NUMBER]
PREF := [low | medium | high]
ENCAPTYPE := [mpls | ip | ip6]
ENCAPHDR := [MPLSLABEL[/MPLSLABEL...] [ttl TTL] | [id TUNNEL_ID] [dst ADDR] [src ADDR] [ttl|hoplimit N] [tos|tc N]]`;

const TYPES = [
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'anycast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
] as const;
const SCOPES = ['global', 'universe', 'site', 'link', 'host', 'nowhere'];

/** Metrics by ip's word: the RouteMetrics key and its RTAX_* number (for `lock`). */
const METRICS: Record<string, [keyof RouteMetrics, number]> = {
  mtu: ['mtu', C.RTAX_MTU],
  advmss: ['advmss', C.RTAX_ADVMSS],
  window: ['window', C.RTAX_WINDOW],
  cwnd: ['cwnd', C.RTAX_CWND],
  initcwnd: ['initcwnd', C.RTAX_INITCWND],
  initrwnd: ['initrwnd', C.RTAX_INITRWND],
  ssthresh: ['ssthresh', C.RTAX_SSTHRESH],
  reordering: ['reordering', C.RTAX_REORDERING],
  hoplimit: ['hoplimit', C.RTAX_HOPLIMIT],
  quickack: ['quickack', C.RTAX_QUICKACK],
  fastopen_no_cookie: ['fastopenNoCookie', C.RTAX_FASTOPEN_NO_COOKIE],
};

const typeOf = (w: string) => (TYPES as readonly string[]).includes(w);

function parseNexthop(a: Args): RouteNexthopSpec {
  const nh: RouteNexthopSpec = {};
  while (!a.done && a.peek() !== 'nexthop') {
    const k = a.shift();
    if (k === 'via') {
      let v = a.value(k);
      if (v === 'inet' || v === 'inet6') v = a.value(k);
      nh.gateway = addressArg(k, v);
    } else if (k === 'dev') nh.dev = a.value(k);
    else if (k === 'weight') nh.weight = uint(k, a.value(k), 256);
    else if (k === 'onlink') nh.onlink = true;
    else if (k === 'realm' || k === 'realms') nh.realms = realmsArg(k, a.value(k));
    else if (k === 'encap') throw new UsageError('"encap" inside "nexthop" is not supported by rtnl');
    else throw new UsageError(`unknown nexthop option "${k}"`);
  }
  return nh;
}

/** `[TYPE] PREFIX [options]` of add, replace and del. */
export function parseRouteSpec(a: Args, g: Globals, del: boolean): RouteSpec {
  const s: Partial<RouteSpec> & Record<string, unknown> = {};
  const metrics: RouteMetrics = {};
  let lock = 0;
  while (!a.done) {
    const k = a.shift();
    if (k === 'type') s.type = pickType(a.value(k));
    else if (typeOf(k) && s.type === undefined && s.dst === undefined) s.type = k as RouteSpec['type'];
    else if (k === 'to') {
      once(s.dst, 'to', a.peek() ?? '');
      s.dst = dstArg(a.value(k));
    } else if (k === 'via') {
      let v = a.value(k);
      let fam: string | undefined;
      if (v === 'inet' || v === 'inet6') {
        fam = v;
        v = a.value(k);
      }
      once(s.gateway ?? s.via, 'via', v);
      const addr = addressArg(k, v);
      // `via inet6 GW` on an IPv4 route (or the reverse): RTA_VIA.
      const dstFam = s.dst && s.dst !== 'default' ? parsePrefix(s.dst)?.family : g.family;
      const gwFam = addr.includes(':') ? 6 : 4;
      if (fam !== undefined && dstFam !== undefined && gwFam !== dstFam) s.via = addr;
      else s.gateway = addr;
    } else if (k === 'tos' || k === 'dsfield') s.tos = uint(k, a.value(k), 255);
    else if (k === 'realm' || k === 'realms') {
      s.realms = realmsArg(k, a.value(k));
    } else if (k === 'expires') s.expires = uint(k, a.value(k));
    else if (k === 'src') s.src = addressArg(k, a.value(k));
    else if (k === 'from') throw new UsageError('source-specific routes ("from") are not supported by rtnl');
    else if (k === 'metric' || k === 'priority' || k === 'preference') s.metric = uint(k, a.value(k));
    else if (k === 'table') {
      const t = tableArg(k, a.value(k));
      if (t === 'all') throw invalid(k, 'all', 'not a table for a route');
      s.table = t;
    } else if (k === 'proto' || k === 'protocol') {
      const v = a.value(k);
      s.protocol = protoArg(v);
    } else if (k === 'scope') {
      const v = a.value(k);
      s.scope = scopeArg(k, v, SCOPES) as RouteSpec['scope'];
    } else if (k === 'dev' || k === 'oif') {
      once(s.dev, 'dev', a.peek() ?? '');
      s.dev = a.value(k);
    } else if (k === 'onlink') s.onlink = true;
    else if (k === 'pref') {
      const v = a.value(k);
      if (v !== 'low' && v !== 'medium' && v !== 'high') throw invalid(k, v, 'expected low, medium or high');
      s.pref = v;
    } else if (k === 'nexthop') (s.multipath ??= []).push(parseNexthop(a));
    else if (k === 'nhid') s.nhid = uint(k, a.value(k));
    else if (k === 'encap') s.encap = parseEncap(a);
    else if (k === 'lock' || k in METRICS || k === 'congctl') {
      let w = k;
      let locked = false;
      if (w === 'lock') {
        w = a.value('lock');
        locked = true;
      }
      if (w === 'congctl') {
        let v = a.value(w);
        if (v === 'lock') v = a.value(w);
        metrics.ccAlgo = v;
        continue;
      }
      const m = METRICS[w];
      if (!m) throw new UsageError(`"lock" must be followed by a metric, not "${w}"`);
      let v = a.value(w);
      if (v === 'lock') {
        locked = true;
        v = a.value(w);
      }
      metrics[m[0]] = uint(w, v) as never;
      if (locked) lock |= 1 << m[1];
    } else if (k === 'help') throw new HelpRequest();
    else {
      if (s.dst !== undefined) throw new UsageError(`either "to" is duplicate, or "${k}" is garbage`);
      s.dst = dstArg(k);
    }
  }
  if (s.dst === undefined)
    throw new UsageError('not enough information: a destination PREFIX (or "default") is required');
  if (lock) metrics.lock = lock;
  if (Object.keys(metrics).length > 0) s.metrics = metrics;
  if (g.family && (s.dst === 'default' || s.family === undefined)) s.family = g.family;
  if (del && s.family === undefined && s.dst === 'default' && s.gateway === undefined) s.family = 4;
  // Keys in ip's order of importance, for readable test tables.
  const { dst, ...rest } = s;
  return { dst, ...rest } as RouteSpec;
}

class HelpRequest extends Error {}

function pickType(v: string): RouteSpec['type'] {
  if (!typeOf(v)) throw invalid('type', v, `expected one of ${TYPES.join(', ')}`);
  return v as RouteSpec['type'];
}

function dstArg(v: string): string {
  if (v === 'default' || v === 'all' || v === 'any') return 'default';
  return prefixArg('to', v);
}

export interface RouteShowFilter {
  table?: number | 'main' | 'local' | 'default' | 'all';
  family?: 4 | 6;
  dev?: string;
  protocol?: string | number;
  type?: RouteSpec['type'];
  scope?: RouteSpec['scope'];
  via?: string;
  root?: string;
  match?: string;
  /** `ip route show PREFIX`: only this exact destination. */
  exact?: string;
}

function parseShow(a: Args, g: Globals): Plan {
  const f: RouteShowFilter = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'table') f.table = tableArg(k, a.value(k), true);
    else if (k === 'dev' || k === 'oif') f.dev = a.value(k);
    else if (k === 'proto' || k === 'protocol') {
      const v = a.value(k);
      f.protocol = protoArg(v);
    } else if (k === 'type') f.type = pickType(a.value(k));
    else if (k === 'scope') {
      const v = a.value(k);
      f.scope = (SCOPES.includes(v) ? v : uint(k, v, 255)) as RouteSpec['scope'];
    } else if (k === 'via') {
      let v = a.value(k);
      if (v === 'inet' || v === 'inet6') v = a.value(k);
      f.via = addressArg(k, v);
    } else if (k === 'root') f.root = dstArg(a.value(k));
    else if (k === 'match') f.match = dstArg(a.value(k));
    else if (k === 'help') return help(ROUTE_USAGE);
    else {
      const v = k === 'exact' || k === 'to' ? a.value(k) : k;
      once(f.exact, 'exact', v);
      f.exact = dstArg(v);
    }
  }
  if (g.family) f.family = g.family;
  else if (f.exact && f.exact !== 'default') f.family = parsePrefix(f.exact)!.family;
  else if (f.root && f.root !== 'default') f.family = parsePrefix(f.root)!.family;
  else if (f.match && f.match !== 'default') f.family = parsePrefix(f.match)!.family;
  else if (f.via) f.family = f.via.includes(':') ? 6 : 4;
  // ip: without a family, a single-table listing is IPv4 (table all lists both families).
  if (f.family === undefined && f.table !== 'all') f.family = 4;
  return { op: 'route.show', args: [f] };
}

function parseGet(a: Args): Plan {
  let dst: string | undefined;
  const o: RouteGetOptions = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'from') o.from = addressArg(k, a.value(k));
    else if (k === 'iif') o.iif = a.value(k);
    else if (k === 'oif' || k === 'dev') o.oif = a.value(k);
    else if (k === 'mark') o.mark = uint(k, a.value(k));
    else if (k === 'fibmatch') o.fibMatch = true;
    else if (k === 'uid') o.uid = uint(k, a.value(k));
    else if (k === 'sport') o.sport = uint(k, a.value(k), 65535);
    else if (k === 'dport') o.dport = uint(k, a.value(k), 65535);
    else if (k === 'ipproto') {
      const v = a.value(k);
      o.ipproto = /^\d+$/.test(v)
        ? uint(k, v, 255)
        : v === 'tcp' || v === 'udp' || v === 'icmp' || v === 'icmpv6'
          ? v
          : (() => {
              throw invalid(k, v, 'expected tcp, udp, icmp, icmpv6 or a number');
            })();
    } else if (k === 'help') return help(ROUTE_USAGE);
    else {
      const v = k === 'to' ? a.value(k) : k;
      once(dst, 'to', v);
      dst = addressArg('to', v.replace(/\/(32|128)$/, ''));
    }
  }
  if (dst === undefined) throw new UsageError('need at least a destination address');
  return { op: 'route.get', args: Object.keys(o).length ? [dst, o] : [dst] };
}

const COMMANDS = [
  'add',
  'change',
  'chg',
  'replace',
  'prepend',
  'append',
  'test',
  'delete',
  'list',
  'show',
  'lst',
  'get',
  'flush',
  'help',
] as const;

export function parseRoute(words: string[], g: Globals): Plan {
  if (words.length === 0) return parseShow(new Args([], 'route show'), g);
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `route ${first}`);
  try {
    switch (pick(first, COMMANDS)) {
      case 'add':
        return { op: 'routes.add', args: [parseRouteSpec(a, g, false)] };
      case 'replace':
        return { op: 'routes.replace', args: [parseRouteSpec(a, g, false)] };
      case 'change':
      case 'chg':
        return { op: 'routes.change', args: [parseRouteSpec(a, g, false)] };
      case 'append':
        return { op: 'routes.append', args: [parseRouteSpec(a, g, false)] };
      case 'flush': {
        if (a.done) throw new UsageError('"route flush" requires arguments');
        const p = parseShow(a, g);
        return { op: 'route.flush', args: p.args };
      }
      case 'delete':
        return { op: 'routes.delete', args: [parseRouteSpec(a, g, true)] };
      case 'list':
      case 'show':
      case 'lst':
        return parseShow(a, g);
      case 'get':
        return parseGet(a);
      case 'help':
        return help(ROUTE_USAGE);
      case undefined:
        throw new UsageError(`command "${first}" is unknown, try "rtnl route help"`);
      default:
        throw new UsageError(
          `"route ${pick(first, COMMANDS)}" is not supported by rtnl (add, change, append, replace, del, show, get, flush are)`,
        );
    }
  } catch (err) {
    if (err instanceof HelpRequest) return help(ROUTE_USAGE);
    throw err;
  }
}

export const route: ObjectCommand = {
  name: 'route',
  usage: ROUTE_USAGE,
  parse: parseRoute,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    const names = namesFrom(await nl.links.list());
    if (plan.op === 'route.get') {
      const r = await nl.routes.get(plan.args[0] as string, (plan.args[1] ?? {}) as RouteGetOptions);
      const j = routeJson(r, names, { details: ctx.g.details });
      ctx.out(ctx.g.json ? jsonText([j], ctx.g.pretty) : routeText(j));
      return;
    }
    if (plan.op !== 'route.show' && plan.op !== 'route.flush') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as RouteShowFilter;
    const table = f.table === 'all' ? undefined : (f.table ?? 'main');
    const filter: RouteListFilter = {};
    if (table !== undefined) filter.table = table;
    if (f.family) filter.family = f.family;
    if (f.dev !== undefined) filter.oif = f.dev;
    if (f.protocol !== undefined) filter.protocol = f.protocol;
    if (f.type !== undefined) filter.type = f.type;
    if (f.scope !== undefined) filter.scope = f.scope;
    if (f.via !== undefined) filter.gateway = f.via;
    if (f.root !== undefined) filter.root = f.root;
    if (f.match !== undefined) filter.match = f.match;
    if (plan.op === 'route.flush') {
      if (f.exact !== undefined) filter.exact = f.exact;
      await nl.routes.flush(filter);
      return;
    }
    let routes = await nl.routes.list(filter);
    // Cached clones are not configuration (ip leaves them out of `route show` too).
    routes = routes.filter((r) => !((r.header.flags ?? 0) & C.RTM_F_CLONED));
    // The kernel's oif filter also matches multipath routes through the device; ip keeps only
    // routes whose RTA_OIF is the device.
    if (f.dev !== undefined) {
      const dev = f.dev;
      routes = routes.filter((r) => r.oif !== undefined && names.ifname(r.oif) === dev);
    }
    if (f.exact !== undefined) routes = routes.filter((r) => r.dst === normalise(f.exact!));
    const opts = {
      details: ctx.g.details,
      tableFiltered: f.table !== undefined && f.table !== 'all',
      devFiltered: f.dev !== undefined,
      viaFiltered: f.via !== undefined,
      protocolFiltered: f.protocol !== undefined,
      scopeFiltered: f.scope !== undefined,
    };
    // `ip route show` without `table` filters on main but still prints nothing for it.
    if (f.table === undefined) opts.tableFiltered = true;
    const objs = routes.map((r) => routeJson(r, names, opts));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(routeText(j));
  },
};

/** A prefix as Route.dst spells it: host routes without /32 or /128. */
function normalise(p: string): string {
  if (p === 'default') return p;
  const x = parsePrefix(p)!;
  return x.prefixLen === (x.family === 4 ? 32 : 128) ? x.address : `${x.address}/${x.prefixLen}`;
}
