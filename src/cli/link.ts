/** `rtnl link`: show, add, delete, set, as `ip link`. */
import type { LinkAddOptions, LinkSetOptions } from '../ops/links.js';
import type { Link } from '../ops/links.js';
import { isCode } from '../ops/common.js';
import { Args, camel, invalid, netnsArg, once, pick, uint, UsageError, type Globals, showDev } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, linkJson, namesFrom } from './format.js';
import { linkText } from './text.js';

export const LINK_USAGE = `Usage: rtnl link add [link DEV] [name] NAME
                     [txqueuelen PACKETS] [address LLADDR] [broadcast LLADDR]
                     [mtu MTU] [alias NAME] [group GROUP] [master DEVICE]
                     [netns {PID|NAME}] [up]
                     type TYPE [ARGS]
       rtnl link delete {DEVICE | dev DEVICE}
       rtnl link set {DEVICE | dev DEVICE} [up | down] [name NEWNAME] [mtu MTU]
                     [address LLADDR] [broadcast LLADDR] [txqueuelen PACKETS]
                     [alias NAME] [master DEVICE | nomaster] [group GROUP]
                     [netns {PID|NAME}] [type TYPE ARGS]
       rtnl link show [[dev] DEVICE] [up] [master DEVICE] [type TYPE]
       rtnl link help
TYPE := { bridge | veth | vxlan | macvlan | macvtap | vlan | bond | vrf | dummy | ifb | ... }
ARGS for bridge: [forward_delay N] [hello_time N] [max_age N] [ageing_time N] [stp_state 0|1|2]
                 [priority N] [vlan_filtering 0|1] [vlan_protocol 802.1Q|802.1ad]
                 [vlan_default_pvid N] [mcast_snooping 0|1] [group_fwd_mask N] ...
ARGS for veth:   peer [name] NAME [address LLADDR] [mtu MTU] [txqueuelen N] [netns {PID|NAME}]
ARGS for vxlan:  {id|vni} VNI [remote ADDR | group ADDR] [local ADDR] [dev DEV] [dstport PORT]
                 [ttl TTL] [tos TOS] [[no]learning] [ageing SECONDS]
ARGS for macvlan, macvtap: mode {private|vepa|bridge|passthru|source}
ARGS for vlan:   id VLANID [protocol 802.1Q|802.1ad]
ARGS for bond:   mode MODE [miimon MS]
ARGS for vrf:    table TABLE`;

/** Bridge options ip accepts, by ip's name: the ops key and how to read the value. */
const BRIDGE_NUMERIC = [
  'forward_delay',
  'hello_time',
  'max_age',
  'ageing_time',
  'stp_state',
  'priority',
  'vlan_filtering',
  'vlan_default_pvid',
  'vlan_stats_enabled',
  'vlan_stats_per_port',
  'mcast_snooping',
  'mcast_router',
  'mcast_query_use_ifaddr',
  'mcast_querier',
  'mcast_hash_elasticity',
  'mcast_hash_max',
  'mcast_last_member_count',
  'mcast_startup_query_count',
  'mcast_last_member_interval',
  'mcast_membership_interval',
  'mcast_querier_interval',
  'mcast_query_interval',
  'mcast_query_response_interval',
  'mcast_startup_query_interval',
  'mcast_stats_enabled',
  'mcast_igmp_version',
  'mcast_mld_version',
  'nf_call_iptables',
  'nf_call_ip6tables',
  'nf_call_arptables',
  'group_fwd_mask',
];
/** ip's spelling -> the codec's attribute key (IFLA_BR_MCAST_QUERY_INTVL is ip's mcast_query_interval). */
const bridgeKey = (word: string): string => camel(word.replace(/_interval$/, '_intvl').replace(/_count$/, '_cnt'));

/** The kind option key of links.add()/set() for a link kind. */
const KIND_KEY: Record<string, keyof LinkSetOptions> = {
  bridge: 'bridge',
  vxlan: 'vxlan',
  macvlan: 'macvlan',
  macvtap: 'macvlan',
  vlan: 'vlan',
  bond: 'bond',
  vrf: 'vrf',
};

/** Parse `type KIND ARGS...` (everything after `type`) into kind options and, for veth, the peer. */
export function parseKindArgs(
  kind: string,
  a: Args,
): { options?: Record<string, unknown>; peer?: LinkAddOptions['peer'] } {
  if (kind === 'veth') {
    if (a.done) return {};
    const w = a.shift();
    if (w !== 'peer') throw invalid('type veth', w, 'expected "peer"');
    const peer: Record<string, unknown> = {};
    while (!a.done) {
      const k = a.shift();
      if (k === 'name') peer.name = a.value(k);
      else if (k === 'address') peer.address = a.value(k);
      else if (k === 'mtu') peer.mtu = uint(k, a.value(k));
      else if (k === 'txqueuelen' || k === 'txqlen' || k === 'qlen') peer.txqlen = uint(k, a.value(k));
      else if (k === 'netns') peer.netns = netnsArg(a.value(k));
      else if (peer.name === undefined && !k.includes(' ')) peer.name = k;
      else throw new UsageError(`unknown veth peer option "${k}"`);
    }
    if (peer.name === undefined) throw new UsageError('veth peer needs a name');
    return { peer: peer as LinkAddOptions['peer'] };
  }
  const key = KIND_KEY[kind];
  if (!key) {
    if (!a.done) throw new UsageError(`rtnl does not know the options of ${kind} links: "${a.peek()}"`);
    return {};
  }
  const o: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    switch (kind) {
      case 'bridge':
        if (BRIDGE_NUMERIC.includes(k)) o[bridgeKey(k)] = uint(k, a.value(k));
        else if (k === 'vlan_protocol') {
          const v = a.value(k);
          if (v !== '802.1Q' && v !== '802.1ad') throw invalid(k, v, 'expected 802.1Q or 802.1ad');
          o.vlanProtocol = v;
        } else if (k === 'group_address') o.groupAddr = a.value(k);
        else throw new UsageError(`unknown bridge option "${k}"`);
        break;
      case 'vxlan':
        if (k === 'id' || k === 'vni') o.id = uint(k, a.value(k), 0xffffff);
        else if (k === 'remote' || k === 'group' || k === 'local') o[k] = a.value(k);
        else if (k === 'dev') o.dev = a.value(k);
        else if (k === 'dstport') o.port = uint(k, a.value(k), 0xffff);
        else if (k === 'ttl' || k === 'hoplimit') {
          const v = a.value(k);
          o.ttl = v === 'auto' ? 0 : uint(k, v, 255);
        } else if (k === 'tos') {
          const v = a.value(k);
          o.tos = v === 'inherit' ? 1 : uint(k, v, 255);
        } else if (k === 'learning' || k === 'nolearning') o.learning = k === 'learning';
        else if (k === 'ageing') o.ageing = uint(k, a.value(k));
        else throw new UsageError(`unknown vxlan option "${k}"`);
        break;
      case 'macvlan':
      case 'macvtap':
        if (k === 'mode') o.mode = a.value(k);
        else throw new UsageError(`unknown ${kind} option "${k}"`);
        break;
      case 'vlan':
        if (k === 'id') o.id = uint(k, a.value(k), 4095);
        else if (k === 'protocol') o.protocol = a.value(k);
        else throw new UsageError(`unknown vlan option "${k}"`);
        break;
      case 'bond':
        if (k === 'mode') {
          const v = a.value(k);
          o.mode = /^\d+$/.test(v) ? Number(v) : v;
        } else if (k === 'miimon') o.miimon = uint(k, a.value(k));
        else throw new UsageError(`unknown bond option "${k}"`);
        break;
      case 'vrf':
        if (k === 'table') {
          const v = a.value(k);
          o.table = v === 'main' || v === 'local' || v === 'default' ? v : uint(k, v);
        } else throw new UsageError(`unknown vrf option "${k}"`);
        break;
    }
  }
  return Object.keys(o).length ? { options: { [key]: o } } : {};
}

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
    default:
      return false;
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
    else if (k === 'type') {
      kind = a.value(k);
      const { options, peer } = parseKindArgs(kind, a);
      Object.assign(o, options);
      if (peer) o.peer = peer;
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
    else if (k === 'type') {
      const kind = a.value(k);
      const { options, peer } = parseKindArgs(kind, a);
      if (peer) throw new UsageError('a veth peer can only be given when the link is created');
      Object.assign(o, options);
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

const COMMANDS = ['add', 'set', 'change', 'delete', 'show', 'lst', 'list', 'help'] as const;

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
    case 'help':
      return help(LINK_USAGE);
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
    const objs = links.map((l) => linkJson(l, names, { details: ctx.g.details, linkCommand: true }));
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(linkText(j, ctx.g.details));
  },
};
