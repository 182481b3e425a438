/** `rtnl link`: show, add, delete, set, as `ip link`. */
import type { KindWords } from '../kinds/plugin.js';
import { linkKindPlugin, linkKindUsage } from '../ops/link-kinds.js';
import type { Link } from '../ops/links.js';
import { isCode } from '../ops/common.js';
import { Args, invalid, netnsArg, once, onOff, pick, uint, UsageError, type Globals, showDev } from './args.js';
import { parseBridgeSlaveArgs } from './bridge.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { linkBriefJson, linkBriefText, oneline, stats64Json, statsText } from './format-brief.js';
import { put } from './format-util.js';
import { jsonText, linkJson, namesFrom } from './format.js';
import { linkText } from './text.js';

export const LINK_USAGE = `Usage: rtnl link add [link DEV] [name] NAME
                     [txqueuelen PACKETS] [address LLADDR] [broadcast LLADDR]
                     [mtu MTU] [alias NAME] [group GROUP] [master DEVICE]
                     [netns {PID|NAME}] [index IDX] [numtxqueues N] [numrxqueues N]
                     [up] type TYPE [ARGS]
       rtnl link delete {DEVICE | dev DEVICE}
       rtnl link set {DEVICE | dev DEVICE} [up | down] [name NEWNAME] [mtu MTU]
                     [address LLADDR] [broadcast LLADDR] [txqueuelen PACKETS]
                     [alias NAME] [master DEVICE | nomaster] [group GROUP]
                     [netns {PID|NAME}] [arp {on|off}] [multicast {on|off}]
                     [allmulticast {on|off}] [promisc {on|off}]
                     [addrgenmode {eui64|none|stable_secret|random}]
                     [gso_max_size BYTES] [gso_max_segs SEGMENTS] [gro_max_size BYTES]
                     [gso_ipv4_max_size BYTES] [gro_ipv4_max_size BYTES]
                     [type TYPE ARGS] [type bridge_slave PORT-ARGS]
       rtnl link property {add|del} dev DEVICE altname NAME [altname NAME ...]
       rtnl link show [[dev] DEVICE] [up] [master DEVICE] [type TYPE]
       rtnl link help
${linkKindUsage()}`;

/** The `type KIND ARGS` words, through the kind plugin's own parser (src/kinds/link). */
export function parseKindArgs(kind: string, a: Args): Record<string, unknown> {
  const plugin = linkKindPlugin(kind);
  if (!plugin?.parseArgs || !plugin.optionKey) {
    if (!a.done) throw new UsageError(`rtnl does not know the options of ${kind} links: "${a.peek()}"`);
    return {};
  }
  const words: KindWords = {
    get done() {
      return a.done;
    },
    peek: () => a.peek(),
    shift: () => a.shift(),
    value: (k) => a.value(k),
    uint: (k, v, max) => uint(k, v, max),
    invalid: (k, v, why) => invalid(k, v, why),
    usage: (message) => new UsageError(message),
    netns: (v) => netnsArg(v),
  };
  const options = plugin.parseArgs(words);
  return options === undefined ? {} : { [plugin.optionKey]: options };
}

/** ip's GSO/GRO limit words and the option key each sets. */
const SIZE_LIMITS: Record<string, string> = {
  gso_max_size: 'gsoMaxSize',
  gso_max_segs: 'gsoMaxSegs',
  gro_max_size: 'groMaxSize',
  gso_ipv4_max_size: 'gsoIpv4MaxSize',
  gro_ipv4_max_size: 'groIpv4MaxSize',
};

/** Valid `ip link add|set` words that rtnl does not send. */
const UNSUPPORTED_LINK_WORDS = [
  'dynamic',
  'trailers',
  'carrier',
  'protodown',
  'protodown_reason',
  'vf',
  'xdp',
  'xdpgeneric',
  'xdpdrv',
  'xdpoffload',
  'link-netns',
  'link-netnsid',
  'mode',
  'netns-immutable',
  'parentdev',
  'tso_max_size',
  'tso_max_segs',
];

/** The options shared by add and set; returns false when `k` is not one of them. */
function commonOption(k: string, a: Args, o: Record<string, unknown>): boolean {
  switch (k) {
    case 'up':
    case 'down':
      o.up = k === 'up';
      return true;
    case 'mtu':
      once(o.mtu, k, a.peek() ?? '');
      o.mtu = uint(k, a.value(k));
      return true;
    case 'address':
      o.address = a.value(k);
      return true;
    case 'broadcast':
    case 'brd':
      o.broadcast = a.value(k);
      return true;
    case 'txqueuelen':
    case 'txqlen':
    case 'qlen':
      o.txqlen = uint(k, a.value(k));
      return true;
    case 'alias':
      o.alias = a.value(k);
      return true;
    case 'group': {
      const v = a.value(k);
      o.group = v === 'default' ? 0 : uint(k, v);
      return true;
    }
    case 'master':
      o.master = a.value(k);
      return true;
    case 'netns':
      o.netns = netnsArg(a.value(k));
      return true;
    case 'arp':
    case 'multicast':
    case 'allmulticast':
    case 'promisc':
      o[k] = onOff(k, a.value(k));
      return true;
    case 'addrgenmode': {
      const v = a.value(k);
      if (!['eui64', 'none', 'stable_secret', 'random'].includes(v))
        throw invalid(k, v, 'expected eui64, none, stable_secret or random');
      o.addrGenMode = v;
      return true;
    }
    default: {
      const limit = SIZE_LIMITS[k];
      if (limit) {
        o[limit] = uint(k, a.value(k));
        return true;
      }
      if (UNSUPPORTED_LINK_WORDS.includes(k)) throw new UsageError(`"${k}" is not supported by rtnl`);
      return false;
    }
  }
}

function parseAdd(a: Args): Plan {
  const o: Record<string, unknown> = {};
  let kind: string | undefined;
  while (!a.done) {
    const k = a.shift();
    if (commonOption(k, a, o)) continue;
    if (k === 'name') {
      once(o.name, 'name', a.peek() ?? '');
      o.name = a.value(k);
    } else if (k === 'link') o.link = a.value(k);
    else if (k === 'index') o.index = uint(k, a.value(k), 0x7fffffff);
    else if (k === 'numtxqueues') o.numTxQueues = uint(k, a.value(k));
    else if (k === 'numrxqueues') o.numRxQueues = uint(k, a.value(k));
    else if (k === 'type') {
      kind = a.value(k);
      Object.assign(o, parseKindArgs(kind, a));
    } else if (k === 'dev') {
      once(o.name, 'dev', a.peek() ?? '');
      o.name = a.value(k);
    } else {
      if (k === 'help') return help(LINK_USAGE);
      if (o.name !== undefined) throw new UsageError(`either "dev" is duplicate, or "${k}" is garbage`);
      o.name = k;
    }
  }
  if (o.name === undefined) throw new UsageError('not enough information: "dev" argument is required');
  if (kind === undefined) throw new UsageError('not enough information: "type" argument is required');
  return { op: 'links.add', args: [{ name: o.name, kind, ...o }] };
}

function parseSet(a: Args): Plan {
  let dev: string | undefined;
  const o: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (commonOption(k, a, o)) continue;
    if (k === 'name') o.name = a.value(k);
    else if (k === 'nomaster') o.master = null;
    else if (k === 'type' && a.peek() === 'bridge_slave') {
      a.shift();
      o.bridgePort = parseBridgeSlaveArgs(a);
    } else if (k === 'type') {
      const kind = a.value(k);
      if (linkKindPlugin(kind)?.createOnly && !a.done)
        throw new UsageError(`the options of a ${kind} can only be given when the link is created`);
      Object.assign(o, parseKindArgs(kind, a));
    } else if (k === 'dev') {
      once(dev, 'dev', a.peek() ?? '');
      dev = a.value(k);
    } else {
      if (k === 'help') return help(LINK_USAGE);
      if (dev !== undefined) throw new UsageError(`either "dev" is duplicate, or "${k}" is garbage`);
      dev = k;
    }
  }
  if (dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  return { op: 'links.set', args: [dev, o] };
}

function parseDelete(a: Args): Plan {
  let dev: string | undefined;
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') {
      once(dev, 'dev', a.peek() ?? '');
      dev = a.value(k);
    } else if (k === 'type')
      a.value(k); // ip accepts and ignores it for delete
    else if (k === 'help') return help(LINK_USAGE);
    else {
      once(dev, 'dev', k);
      dev = k;
    }
  }
  if (dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  return { op: 'links.delete', args: [dev] };
}

export interface LinkShowFilter {
  dev?: string;
  up?: boolean;
  master?: string;
  kind?: string;
}

function parseShow(a: Args): Plan {
  const f: LinkShowFilter = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'up') f.up = true;
    else if (k === 'master') f.master = a.value(k);
    else if (k === 'type') f.kind = a.value(k);
    else if (k === 'help') return help(LINK_USAGE);
    else f.dev = showDev(a, k, f.dev);
  }
  return { op: 'link.show', args: [f] };
}

/** `link property {add|del} dev DEV altname NAME [altname NAME ...]`. */
function parseProperty(words: string[]): Plan {
  const [sub, ...rest] = words;
  const op = sub === undefined ? undefined : pick(sub, ['add', 'delete'] as const);
  if (!op) throw new UsageError('"link property" needs "add" or "del", try "rtnl link help"');
  const a = new Args(rest, `link property ${sub}`);
  let dev: string | undefined;
  const names: string[] = [];
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') {
      once(dev, 'dev', a.peek() ?? '');
      dev = a.value(k);
    } else if (k === 'altname') names.push(a.value(k));
    else if (dev === undefined) dev = k;
    else throw new UsageError(`unknown "link property" option "${k}"`);
  }
  if (dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  if (names.length === 0) throw new UsageError('not enough information: "altname" argument is required');
  return { op: op === 'add' ? 'links.addAltNames' : 'links.deleteAltNames', args: [dev, names] };
}

const COMMANDS = [
  'add',
  'set',
  'change',
  'delete',
  'show',
  'lst',
  'list',
  'property',
  'help',
  'xstats',
  'afstats',
] as const;

export function parseLink(words: string[], _g: Globals): Plan {
  if (words.length === 0) return { op: 'link.show', args: [{}] };
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `link ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'add':
      return parseAdd(a);
    case 'set':
    case 'change':
      return parseSet(a);
    case 'delete':
      return parseDelete(a);
    case 'show':
    case 'lst':
    case 'list':
      return parseShow(a);
    case 'property':
      return parseProperty(rest);
    case 'help':
      return help(LINK_USAGE);
    case 'xstats':
    case 'afstats':
      throw new UsageError(`"${first}" is not supported by rtnl`);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl link help"`);
  }
}

/** The links `ip link show` would print for a filter (by name or index; ENODEV names the device). */
export async function selectLinks(ctx: Context, f: LinkShowFilter): Promise<{ links: Link[]; all: Link[] }> {
  const nl = await ctx.client();
  const all = await nl.links.list();
  let links = all;
  if (f.dev !== undefined) {
    try {
      const one = await nl.links.get(f.dev);
      links = [all.find((l) => l.index === one.index) ?? one];
    } catch (err) {
      if (isCode(err, 'ENODEV')) throw new UsageError(`Device "${f.dev}" does not exist.`);
      throw err;
    }
  }
  if (f.kind !== undefined)
    links = links.filter(
      (l) => l.kind === f.kind || (f.kind!.endsWith('_slave') && l.slaveKind === f.kind!.slice(0, -6)),
    );
  if (f.master !== undefined) {
    const m = all.find((l) => l.name === f.master);
    if (!m) throw new UsageError(`Device "${f.master}" does not exist.`);
    links = links.filter((l) => l.master === m.index);
  }
  if (f.up) links = links.filter((l) => l.up);
  return { links, all };
}

export const link: ObjectCommand = {
  name: 'link',
  usage: LINK_USAGE,
  parse: parseLink,
  async run(plan: Plan, ctx: Context): Promise<void> {
    if (plan.op !== 'link.show') throw new Error(`unexpected plan ${plan.op}`);
    const { links, all } = await selectLinks(ctx, plan.args[0] as LinkShowFilter);
    const names = namesFrom(all);
    const objs = links.map((l) => {
      const j = linkJson(l, names, { details: ctx.g.details, linkCommand: true });
      if (ctx.g.stats && !ctx.g.brief) put(j, 'stats64', stats64Json(l));
      return j;
    });
    if (ctx.g.brief) {
      if (ctx.g.json) ctx.out(jsonText(objs.map(linkBriefJson), ctx.g.pretty));
      else for (const j of objs) ctx.out(linkBriefText(j));
      return;
    }
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else
      objs.forEach((j, i) => {
        let text = linkText(j, ctx.g.details);
        if (ctx.g.stats) text = [text, ...statsText(links[i]!)].join('\n');
        ctx.out(ctx.g.oneline ? oneline(text) : text);
      });
  },
};
