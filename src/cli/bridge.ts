/** `rtnl bridge`: link, fdb and vlan, as iproute2's `bridge` command. */
import * as C from '../codec/constants/index.js';
import type { BridgePort } from '../ops/bridge.js';
import { BRIDGE_PORT_STATES, type BridgePortOptions } from '../ops/bridge-port.js';
import type { FdbSpec, Neighbour } from '../ops/neighbours.js';
import { Args, invalid, once, onOff, pick, uint, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { ipLinkFlags, jsonText, namesFrom, type Json, type Names } from './format.js';

export const BRIDGE_USAGE = `Usage: rtnl bridge link [show] [dev DEV] [master DEVICE]
       rtnl bridge link set dev DEV [cost COST] [priority PRIO] [state STATE]
                     [guard {on|off}] [hairpin {on|off}] [fastleave {on|off}]
                     [root_block {on|off}] [learning {on|off}] [flood {on|off}]
                     [mcast_flood {on|off}] [bcast_flood {on|off}] [mcast_to_unicast {on|off}]
                     [mcast_router MULTICAST_ROUTER] [neigh_suppress {on|off}]
                     [vlan_tunnel {on|off}] [isolated {on|off}] [locked {on|off}] [mab {on|off}]
                     [proxy_arp {on|off}] [proxy_arp_wifi {on|off}] [group_fwd_mask MASK]
                     [backup_port DEVICE] [nobackup_port]
       rtnl bridge fdb {add|append|del|replace} LLADDR dev DEV [self] [master] [sticky]
                     [permanent|static|dynamic] [dst IPADDR] [vlan VID] [port PORT] [vni VNI]
                     [nhid NHID]
       rtnl bridge fdb [show] [br BRDEV] [brport DEV]
       rtnl bridge vlan {add|del} vid VLAN_ID[-VLAN_END] dev DEV [pvid] [untagged] [self] [master]
       rtnl bridge vlan [show] [dev DEV]
STATE := { disabled | listening | learning | forwarding | blocking | 0..4 }`;

/** On/off words of a bridge port, in `bridge link set` and `ip link set type bridge_slave`, by option key. */
const PORT_SWITCHES: Record<string, keyof BridgePortOptions> = {
  guard: 'guard',
  hairpin: 'hairpin',
  fastleave: 'fastLeave',
  mcast_fast_leave: 'fastLeave',
  root_block: 'rootBlock',
  learning: 'learning',
  flood: 'flood',
  mcast_flood: 'mcastFlood',
  bcast_flood: 'bcastFlood',
  mcast_to_unicast: 'mcastToUnicast',
  neigh_suppress: 'neighSuppress',
  vlan_tunnel: 'vlanTunnel',
  isolated: 'isolated',
  locked: 'locked',
  mab: 'mab',
  proxy_arp: 'proxyArp',
  proxy_arp_wifi: 'proxyArpWifi',
};
/** Words ip or bridge accept for a port that rtnl does not send. */
const PORT_UNSUPPORTED = ['learning_sync', 'neigh_vlan_suppress', 'mcast_max_groups', 'backup_nhid', 'hwmode'];

/**
 * One bridge port word (`k`, just taken) into `o`; false when `k` is not a port word. Both
 * `bridge link set` and `ip link set ... type bridge_slave` read their words through here.
 */
export function bridgePortWord(k: string, a: Args, o: BridgePortOptions): boolean {
  const sw = PORT_SWITCHES[k];
  if (sw) {
    (o as Record<string, unknown>)[sw] = onOff(k, a.value(k));
    return true;
  }
  switch (k) {
    case 'cost':
      o.cost = uint(k, a.value(k));
      return true;
    case 'priority':
      o.priority = uint(k, a.value(k), 63);
      return true;
    case 'state': {
      const v = a.value(k);
      const i = (BRIDGE_PORT_STATES as readonly string[]).indexOf(v);
      o.state = i >= 0 ? BRIDGE_PORT_STATES[i] : uint(k, v, 4);
      return true;
    }
    case 'mcast_router':
      o.mcastRouter = uint(k, a.value(k), 3);
      return true;
    case 'group_fwd_mask':
      o.groupFwdMask = uint(k, a.value(k), 0xffff);
      return true;
    case 'backup_port':
      o.backupPort = a.value(k);
      return true;
    case 'nobackup_port':
      o.backupPort = null;
      return true;
    case 'fdb_flush':
    case 'flush':
      o.flush = true;
      return true;
    default:
      if (PORT_UNSUPPORTED.includes(k)) throw new UsageError(`"${k}" is not supported by rtnl`);
      return false;
  }
}

/** `ip link set DEV type bridge_slave WORDS...`: every remaining word is a port word. */
export function parseBridgeSlaveArgs(a: Args): BridgePortOptions {
  const o: BridgePortOptions = {};
  while (!a.done) {
    const k = a.shift();
    if (!bridgePortWord(k, a, o)) throw new UsageError(`unknown bridge_slave option "${k}"`);
  }
  return o;
}

function parseLink(words: string[]): Plan {
  const [first, ...rest] = words;
  const cmd = first === undefined ? 'show' : pick(first, ['set', 'show', 'list', 'lst', 'help'] as const);
  const a = new Args(first === undefined ? [] : rest, `bridge link ${first ?? ''}`);
  if (cmd === 'help') return help(BRIDGE_USAGE);
  if (cmd === 'set') {
    let dev: string | undefined;
    const o: BridgePortOptions = {};
    while (!a.done) {
      const k = a.shift();
      if (k === 'dev') {
        once(dev, 'dev', a.peek() ?? '');
        dev = a.value(k);
      } else if (!bridgePortWord(k, a, o)) {
        if (k === 'self' || k === 'master' || k === 'hwmode') throw new UsageError(`"${k}" is not supported by rtnl`);
        throw new UsageError(`unknown "bridge link set" option "${k}"`);
      }
    }
    if (dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
    return { op: 'bridge.setPort', args: [dev, o] };
  }
  if (cmd === undefined) throw new UsageError(`command "${first}" is unknown, try "rtnl bridge help"`);
  const f: { dev?: string; master?: string } = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') f.dev = a.value(k);
    else if (k === 'master') f.master = a.value(k);
    else f.dev = k;
  }
  return { op: 'bridge.link.show', args: [f] };
}

function parseFdb(words: string[]): Plan {
  const [first, ...rest] = words;
  const cmd =
    first === undefined ? 'show' : pick(first, ['add', 'append', 'delete', 'replace', 'show', 'list', 'help'] as const);
  const a = new Args(first === undefined ? [] : rest, `bridge fdb ${first ?? ''}`);
  if (cmd === 'help') return help(BRIDGE_USAGE);
  if (cmd === undefined) throw new UsageError(`command "${first}" is unknown, try "rtnl bridge help"`);
  if (cmd === 'show' || cmd === 'list') {
    const f: { br?: string; brport?: string } = {};
    while (!a.done) {
      const k = a.shift();
      if (k === 'br') f.br = a.value(k);
      else if (k === 'brport' || k === 'dev') f.brport = a.value(k);
      else throw new UsageError(`unknown "bridge fdb show" option "${k}"`);
    }
    return { op: 'bridge.fdb.show', args: [f] };
  }
  const s: Partial<FdbSpec> & Record<string, unknown> = { family: 'bridge' };
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'self' || k === 'master' || k === 'sticky') s[k] = true;
    else if (k === 'permanent' || k === 'static' || k === 'dynamic') s.state = k;
    else if (k === 'local') s.state = 'permanent';
    else if (k === 'dst') s.dst = a.value(k);
    else if (k === 'vlan') s.vlan = uint(k, a.value(k), 4094);
    else if (k === 'port' || k === 'dst_port') s.port = uint(k, a.value(k), 0xffff);
    else if (k === 'vni') s.vni = uint(k, a.value(k), 0xffffff);
    else if (k === 'nhid') s.nhid = uint(k, a.value(k));
    else if (['router', 'use', 'extern_learn', 'via', 'src_vni', 'norouter'].includes(k))
      throw new UsageError(`"${k}" is not supported by rtnl`);
    else {
      if (!/^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(k)) throw invalid('lladdr', k, 'not a MAC address');
      once(s.lladdr, 'lladdr', k);
      s.lladdr = k;
    }
  }
  if (s.lladdr === undefined) throw new UsageError('not enough information: a MAC address is required');
  if (s.dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  return { op: `neighbours.${cmd}`, args: [s] };
}

function parseVlan(words: string[]): Plan {
  const [first, ...rest] = words;
  const cmd = first === undefined ? 'show' : pick(first, ['add', 'delete', 'show', 'list', 'help'] as const);
  const a = new Args(first === undefined ? [] : rest, `bridge vlan ${first ?? ''}`);
  if (cmd === 'help') return help(BRIDGE_USAGE);
  if (cmd === undefined) throw new UsageError(`command "${first}" is unknown, try "rtnl bridge help"`);
  const s: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'vid') {
      const v = a.value(k);
      const [lo, hi] = v.split('-');
      s.vid = uint(k, lo!, 4094);
      if (hi !== undefined) s.vidEnd = uint(k, hi, 4094);
    } else if (k === 'pvid' || k === 'untagged' || k === 'self') s[k] = true;
    else if (k === 'master') s.self = false;
    else if (['tunnel_info', 'range', 'state', 'mcast_router', 'global'].includes(k))
      throw new UsageError(`"${k}" is not supported by rtnl`);
    else throw new UsageError(`unknown "bridge vlan" option "${k}"`);
  }
  if (cmd === 'show' || cmd === 'list') return { op: 'bridge.vlan.show', args: [s] };
  if (s.dev === undefined) throw new UsageError('not enough information: "dev" argument is required');
  if (s.vid === undefined) throw new UsageError('not enough information: "vid" argument is required');
  if (s.self === false) delete s.self;
  return { op: cmd === 'add' ? 'bridge.addVlan' : 'bridge.deleteVlan', args: [s] };
}

export function parseBridge(words: string[], _g: Globals): Plan {
  const [obj, ...rest] = words;
  if (obj === undefined) return help(BRIDGE_USAGE);
  switch (pick(obj, ['link', 'fdb', 'vlan', 'mdb', 'monitor', 'help'] as const)) {
    case 'link':
      return parseLink(rest);
    case 'fdb':
      return parseFdb(rest);
    case 'vlan':
      return parseVlan(rest);
    case 'help':
      return help(BRIDGE_USAGE);
    case 'mdb':
    case 'monitor':
      throw new UsageError(`"bridge ${obj}" is not supported by rtnl`);
    default:
      throw new UsageError(`object "${obj}" is unknown, try "rtnl bridge help"`);
  }
}

const PORT_FLAGS: Array<[string, string]> = [
  ['mode', 'hairpin'],
  ['guard', 'guard'],
  ['protect', 'root_block'],
  ['fastLeave', 'fastleave'],
  ['learning', 'learning'],
  ['unicastFlood', 'flood'],
  ['mcastFlood', 'mcast_flood'],
  ['bcastFlood', 'bcast_flood'],
  ['multicastRouter', 'mcast_router'],
  ['mcastToUcast', 'mcast_to_unicast'],
  ['neighSuppress', 'neigh_suppress'],
  ['vlanTunnel', 'vlan_tunnel'],
  ['isolated', 'isolated'],
  ['locked', 'locked'],
];

/** One port as `bridge -j [-d] link show` prints it. */
export function bridgePortJson(p: BridgePort, names: Names, details: number): Json {
  const j: Json = { ifindex: p.index };
  if (p.link !== undefined) j.link = names.ifname(p.link);
  j.ifname = p.name;
  j.flags = [...ipLinkFlags(p.header.flags ?? 0)];
  if (p.link && names.isUp?.(p.link) === false) (j.flags as string[]).push('M-DOWN');
  if (p.mtu !== undefined) j.mtu = p.mtu;
  if (p.master !== undefined) j.master = names.ifname(p.master);
  const d = p.port as Record<string, unknown>;
  if (d.state !== undefined) {
    const s = typeof d.state === 'string' ? d.state.toLowerCase() : BRIDGE_PORT_STATES[d.state as number];
    j.state = s ?? String(d.state);
  }
  if (d.priority !== undefined) j.priority = d.priority;
  if (d.cost !== undefined) j.cost = d.cost;
  if (details) {
    for (const [key, word] of PORT_FLAGS) {
      if (d[key] === undefined) continue;
      j[word] = key === 'multicastRouter' ? d[key] : d[key] !== 0;
    }
    if (d.backupPort !== undefined) j.backup_port = names.ifname(d.backupPort as number);
  }
  return j;
}

export function bridgePortText(j: Json): string {
  let l = `${j.ifindex}: ${j.ifname}${j.link !== undefined ? `@${j.link}` : ''}: <${(j.flags as string[]).join(',')}>`;
  for (const k of ['mtu', 'master', 'state', 'priority', 'cost']) if (j[k] !== undefined) l += ` ${k} ${j[k]}`;
  const extra: string[] = [];
  for (const [, word] of PORT_FLAGS) {
    const v = j[word];
    if (v === undefined) continue;
    extra.push(`${word} ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`);
  }
  if (j.backup_port !== undefined) extra.push(`backup_port ${j.backup_port}`);
  return extra.length ? `${l}\n    ${extra.join(' ')}` : l;
}

/** One FDB entry as `bridge -j fdb show` prints it. */
export function fdbJson(n: Neighbour, names: Names, portFiltered = false): Json {
  const h = n.header;
  const j: Json = { mac: n.lladdr ?? '' };
  if (!portFiltered) j.ifname = names.ifname(n.index);
  if (n.vlan !== undefined) j.vlan = n.vlan;
  if (n.address !== undefined) j.dst = n.address;
  if (n.port !== undefined) j.port = n.port;
  if (n.vni !== undefined) j.vni = n.vni;
  if (n.nhid !== undefined) j.nhid = n.nhid;
  const flags: string[] = [];
  const f = h.flags ?? 0;
  if (f & C.NTF_SELF) flags.push('self');
  if (f & C.NTF_ROUTER) flags.push('router');
  if (f & C.NTF_EXT_LEARNED) flags.push('extern_learn');
  if (f & C.NTF_OFFLOADED) flags.push('offload');
  if (f & C.NTF_STICKY) flags.push('sticky');
  j.flags = flags;
  if (n.master !== undefined) j.master = names.ifname(n.master);
  const st = h.state ?? 0;
  if (st & C.NUD_PERMANENT) j.state = 'permanent';
  else if (st & C.NUD_NOARP) j.state = 'static';
  else if (st & C.NUD_STALE) j.state = 'stale';
  else j.state = '';
  return j;
}

export function fdbText(j: Json): string {
  let l = String(j.mac);
  if (j.ifname !== undefined) l += ` dev ${j.ifname}`;
  if (j.vlan !== undefined) l += ` vlan ${j.vlan}`;
  if (j.dst !== undefined) l += ` dst ${j.dst}`;
  if (j.port !== undefined) l += ` port ${j.port}`;
  if (j.vni !== undefined) l += ` vni ${j.vni}`;
  if (j.nhid !== undefined) l += ` nhid ${j.nhid}`;
  for (const f of j.flags as string[]) l += ` ${f}`;
  if (j.master !== undefined) l += ` master ${j.master}`;
  if (j.state) l += ` ${j.state}`;
  return l;
}

export const bridgeCommand: ObjectCommand = {
  name: 'bridge',
  usage: BRIDGE_USAGE,
  parse: parseBridge,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    const emit = (objs: Json[], text: (j: Json) => string) => {
      if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
      else for (const j of objs) ctx.out(text(j));
    };
    switch (plan.op) {
      case 'bridge.setPort':
        await nl.bridge.setPort(plan.args[0] as string, plan.args[1] as BridgePortOptions);
        return;
      case 'bridge.addVlan':
      case 'bridge.deleteVlan':
        await nl.bridge[plan.op === 'bridge.addVlan' ? 'addVlan' : 'deleteVlan'](plan.args[0] as never);
        return;
      case 'bridge.link.show': {
        const f = plan.args[0] as { dev?: string; master?: string };
        const names = namesFrom(await nl.links.list());
        const ports = (await nl.bridge.listPorts(f)).filter((p) => p.master !== undefined);
        emit(
          ports.map((p) => bridgePortJson(p, names, ctx.g.details)),
          bridgePortText,
        );
        return;
      }
      case 'bridge.fdb.show': {
        const f = plan.args[0] as { br?: string; brport?: string };
        const names = namesFrom(await nl.links.list());
        const list = await nl.neighbours.list({
          family: 'bridge',
          ...(f.br !== undefined ? { master: f.br } : {}),
          ...(f.brport !== undefined ? { link: f.brport } : {}),
        });
        emit(
          list.map((n) => fdbJson(n, names, f.brport !== undefined)),
          fdbText,
        );
        return;
      }
      case 'bridge.vlan.show': {
        const f = plan.args[0] as { dev?: string };
        const names = namesFrom(await nl.links.list());
        const ports = await nl.bridge.listPorts({ vlans: true, ...(f.dev !== undefined ? { dev: f.dev } : {}) });
        const objs: Json[] = [];
        for (const p of ports) {
          const vl = p.afSpec?.vlanInfo ?? [];
          if (!vl.length) continue;
          objs.push({
            ifname: names.ifname(p.index),
            vlans: vl.map((v) => {
              const o: Json = { vlan: v.vid };
              const fl: string[] = [];
              if ((v.flags ?? 0) & C.BRIDGE_VLAN_INFO_PVID) fl.push('PVID');
              if ((v.flags ?? 0) & C.BRIDGE_VLAN_INFO_UNTAGGED) fl.push('Egress Untagged');
              if (fl.length) o.flags = fl;
              return o;
            }),
          });
        }
        emit(objs, (j) =>
          (j.vlans as Json[])
            .map(
              (v, i) =>
                `${i === 0 ? String(j.ifname).padEnd(16) : ' '.repeat(16)} ${v.vlan}${v.flags ? ` ${(v.flags as string[]).join(' ')}` : ''}`,
            )
            .join('\n'),
        );
        return;
      }
      default:
        throw new Error(`unexpected plan ${plan.op}`);
    }
  },
};

/** ip -d's words for bridge_slave JSON keys that it spells differently in text. */
const SLAVE_WORDS: Record<string, string> = {
  id: 'port_id',
  no: 'port_no',
  bridge_id: 'designated_bridge',
  root_id: 'designated_root',
  multicast_router: 'mcast_router',
};
const SLAVE_TIMERS = new Set(['hold_timer', 'message_age_timer', 'forward_delay_timer']);

/**
 * The `bridge_slave ...` words of `ip -d link show`, from the port's info_slave_data JSON: on/off
 * for switches, timers as "%7.2f", and the words ip prints twice (mcast_fast_leave repeats
 * fastleave, group_fwd_mask_str repeats the mask).
 */
export function bridgeSlaveText(d: Json): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    const word = SLAVE_WORDS[k] ?? k;
    const val =
      typeof v === 'boolean' ? (v ? 'on' : 'off') : SLAVE_TIMERS.has(k) ? Number(v).toFixed(2).padStart(7) : String(v);
    out.push(`${word} ${val}`);
    if (k === 'multicast_router' && d.fastleave !== undefined)
      out.push(`mcast_fast_leave ${d.fastleave ? 'on' : 'off'}`);
    if (k === 'group_fwd_mask') out.push(`group_fwd_mask_str 0x${Number(v).toString(16)}`);
  }
  return out.join(' ');
}
