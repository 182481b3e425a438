/** `rtnl nexthop`: show, get, add, replace, del, flush and bucket show/get, as `ip nexthop`. */
import type { Rtnl } from '../ops/client.js';
import type { NexthopBucketFilter, NexthopListFilter, NexthopSpec } from '../ops/nexthops.js';
import { addressArg, Args, invalid, pick, uint, UsageError, type Globals } from './args.js';
import { parseEncap } from './encap.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, namesFrom } from './format.js';
import { nexthopBucketJson, nexthopBucketText, nexthopJson, nexthopText } from './format-nexthop.js';

export const NEXTHOP_USAGE = `Usage: rtnl nexthop { list | flush } [ protocol ID ] SELECTOR
       rtnl nexthop { add | replace } id ID NH [ protocol ID ]
       rtnl nexthop { get | del } id ID
       rtnl nexthop bucket list BUCKET_SELECTOR
       rtnl nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ] [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] [ encap ENCAPTYPE ENCAPHDR ] [ fdb ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ] [ hw_stats {off|on} ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ] [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ mpls | ip | ip6 ]
ENCAPHDR := [ MPLSLABEL[/MPLSLABEL...] [ ttl TTL ] | [ id TUNNEL_ID ] [ dst ADDR ] [ src ADDR ] [ ttl|hoplimit N ] [ tos|tc N ] ]`;

export interface NexthopShowPlan {
  /** `show id N` is a get. */
  id?: number;
  filter: NexthopListFilter;
  /** `vrf NAME`: master NAME, once NAME is known to be a VRF (as ip checks). */
  vrf?: string;
}

const seconds = (k: string, v: string): number => {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw invalid(k, v, 'expected seconds');
  return n;
};

function parseGroup(v: string): Array<{ id: number; weight?: number }> {
  return v.split('/').map((m) => {
    const [id, weight, extra] = m.split(',');
    if (id === undefined || id === '' || extra !== undefined) throw invalid('group', v, 'expected ID[,WEIGHT]/...');
    const out: { id: number; weight?: number } = { id: uint('group', id) };
    if (weight !== undefined) out.weight = uint('weight', weight, 65535);
    return out;
  });
}

function parseModify(op: 'add' | 'replace', a: Args, g: Globals): Plan {
  const s: NexthopSpec = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'id') s.id = uint(k, a.value(k));
    else if (k === 'via') s.gateway = addressArg(k, a.value(k));
    else if (k === 'dev') s.dev = a.value(k);
    else if (k === 'onlink') s.onlink = true;
    else if (k === 'blackhole') s.blackhole = true;
    else if (k === 'fdb') s.fdb = true;
    else if (k === 'group') s.group = parseGroup(a.value(k));
    else if (k === 'type') {
      const v = a.value(k);
      if (v !== 'mpath' && v !== 'resilient') throw invalid(k, v, 'expected mpath or resilient');
      s.type = v;
      while (v === 'resilient' && !a.done) {
        const r = a.peek()!;
        if (r === 'buckets') {
          a.shift();
          s.resilient = { ...s.resilient, buckets: uint(r, a.value(r), 0xffff) };
        } else if (r === 'idle_timer') {
          a.shift();
          s.resilient = { ...s.resilient, idleTimer: seconds(r, a.value(r)) };
        } else if (r === 'unbalanced_timer') {
          a.shift();
          s.resilient = { ...s.resilient, unbalancedTimer: seconds(r, a.value(r)) };
        } else break;
      }
    } else if (k === 'protocol' || k === 'proto') {
      const v = a.value(k);
      s.protocol = /^\d+$/.test(v) ? Number(v) : v;
    } else if (k === 'help') return help(NEXTHOP_USAGE);
    else if (k === 'hw_stats') {
      const v = a.value(k);
      if (v !== 'on' && v !== 'off') throw invalid(k, v, 'expected on or off');
      s.hwStats = v === 'on';
    } else if (k === 'encap') s.encap = parseEncap(a);
    else throw new UsageError(`either "${k}" is garbage, or it is not a nexthop option (try "rtnl nexthop help")`);
  }
  if (g.family && !s.group) s.family = g.family;
  return { op: `nexthops.${op}`, args: [s] };
}

function parseSelector(
  a: Args,
  bucket: boolean,
): { id?: number; vrf?: string; filter: NexthopListFilter & NexthopBucketFilter } {
  const f: NexthopListFilter & NexthopBucketFilter = {};
  let id: number | undefined;
  let vrf: string | undefined;
  while (!a.done) {
    const k = a.shift();
    if (k === 'id') id = uint(k, a.value(k));
    else if (k === 'dev') f.dev = a.value(k);
    else if (k === 'master') f.master = a.value(k);
    else if (k === 'groups' && !bucket) f.groups = true;
    else if (k === 'fdb' && !bucket) f.fdb = true;
    else if (k === 'nhid' && bucket) f.nhid = uint(k, a.value(k));
    else if ((k === 'protocol' || k === 'proto') && !bucket) {
      const v = a.value(k);
      f.protocol = /^\d+$/.test(v) ? Number(v) : v;
    } else if (k === 'vrf') vrf = a.value(k);
    else throw new UsageError(`either "${k}" is garbage, or it is not a nexthop selector (try "rtnl nexthop help")`);
  }
  return { ...(id === undefined ? {} : { id }), ...(vrf === undefined ? {} : { vrf }), filter: f };
}

function parseIdOnly(a: Args, what: string): number {
  let id: number | undefined;
  while (!a.done) {
    const k = a.shift();
    if (k === 'id') id = uint(k, a.value(k));
    else throw new UsageError(`either "${k}" is garbage, or it is not an option of "nexthop ${what}"`);
  }
  if (id === undefined) throw new UsageError(`"nexthop ${what}" needs "id ID"`);
  return id;
}

const COMMANDS = ['list', 'lst', 'show', 'add', 'replace', 'delete', 'get', 'flush', 'bucket', 'help'] as const;

export function parseNexthop(words: string[], g: Globals): Plan {
  if (words.length === 0) return { op: 'nexthop.show', args: [{ filter: {} } satisfies NexthopShowPlan] };
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `nexthop ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'list':
    case 'lst':
    case 'show': {
      if (a.peek() === 'help') return help(NEXTHOP_USAGE);
      const sel = parseSelector(a, false);
      return { op: 'nexthop.show', args: [sel satisfies NexthopShowPlan] };
    }
    case 'get':
      return { op: 'nexthop.show', args: [{ id: parseIdOnly(a, 'get'), filter: {} } satisfies NexthopShowPlan] };
    case 'add':
      return parseModify('add', a, g);
    case 'replace':
      return parseModify('replace', a, g);
    case 'delete':
      return { op: 'nexthops.delete', args: [parseIdOnly(a, 'del')] };
    case 'flush': {
      const sel = parseSelector(a, false);
      if (sel.id !== undefined) return { op: 'nexthops.delete', args: [sel.id] };
      return { op: 'nexthop.flush', args: sel.vrf === undefined ? [sel.filter] : [sel.filter, sel.vrf] };
    }
    case 'bucket': {
      const sub = a.done ? 'show' : a.shift();
      if (sub === 'get') {
        let id: number | undefined;
        let index: number | undefined;
        while (!a.done) {
          const k = a.shift();
          if (k === 'id') id = uint(k, a.value(k));
          else if (k === 'index') index = uint(k, a.value(k), 0xffff);
          else throw new UsageError(`either "${k}" is garbage, or it is not an option of "nexthop bucket get"`);
        }
        if (id === undefined || index === undefined)
          throw new UsageError('"nexthop bucket get" needs "id ID index INDEX"');
        return { op: 'nexthop.bucket', args: [id, index] };
      }
      if (!['list', 'lst', 'show'].includes(sub))
        throw new UsageError(`command "${sub}" is unknown, try "rtnl nexthop help"`);
      const sel = parseSelector(a, true);
      const f: NexthopBucketFilter = { ...sel.filter };
      if (sel.id !== undefined) f.id = sel.id;
      return { op: 'nexthop.buckets', args: sel.vrf === undefined ? [f] : [f, sel.vrf] };
    }
    case 'help':
      return help(NEXTHOP_USAGE);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl nexthop help"`);
  }
}

/** `vrf NAME` is `master NAME` once NAME is a VRF; ip refuses anything else the same way. */
async function vrfIndex(nl: Rtnl, name: string): Promise<number> {
  const l = (await nl.links.list()).find((x) => x.name === name);
  if (l?.kind !== 'vrf') throw new UsageError(`argument "${name}" is wrong: Invalid VRF`);
  return l.index;
}

export const nexthop: ObjectCommand = {
  name: 'nexthop',
  usage: NEXTHOP_USAGE,
  parse: parseNexthop,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    const vrf = plan.args[1] as string | undefined;
    if (vrf !== undefined && (plan.op === 'nexthop.flush' || plan.op === 'nexthop.buckets'))
      (plan.args[0] as NexthopListFilter).master = await vrfIndex(nl, vrf);
    if (plan.op === 'nexthop.flush') {
      const n = await nl.nexthops.flush(plan.args[0] as NexthopListFilter);
      if (!ctx.g.json) ctx.out(n === 0 ? 'Nothing to flush' : `Flushed ${n} nexthops`);
      return;
    }
    if (plan.op === 'nexthop.buckets' || plan.op === 'nexthop.bucket') {
      const list =
        plan.op === 'nexthop.bucket'
          ? [await nl.nexthops.bucket(plan.args[0] as number, plan.args[1] as number)]
          : await nl.nexthops.buckets(plan.args[0] as NexthopBucketFilter);
      const objs = list.map((b) => nexthopBucketJson(b));
      if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
      else for (const j of objs) ctx.out(nexthopBucketText(j));
      return;
    }
    if (plan.op !== 'nexthop.show') throw new Error(`unexpected plan ${plan.op}`);
    const p = plan.args[0] as NexthopShowPlan;
    if (p.vrf !== undefined) p.filter.master = await vrfIndex(nl, p.vrf);
    const stats = ctx.g.stats > 1 ? 'hw' : ctx.g.stats > 0;
    const list =
      p.id !== undefined ? [await nl.nexthops.get(p.id, { stats })] : await nl.nexthops.list({ ...p.filter, stats });
    const names = namesFrom(await nl.links.list());
    const objs = list.map((n) => nexthopJson(n, names, { details: ctx.g.details, stats: ctx.g.stats }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(nexthopText(j));
  },
};
