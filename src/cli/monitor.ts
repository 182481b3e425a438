/**
 * `rtnl monitor [OBJECTS]`: stream changes as `ip monitor` does. With -j, one JSON object per
 * line: {"event": "link.new", ...the ip -j fields of the object}. Stops cleanly on SIGINT/SIGTERM.
 */
import type { Address } from '../ops/addresses.js';
import type { Link } from '../ops/links.js';
import type { MonitorEvent, MonitorGroup } from '../ops/monitor.js';
import type { Neighbour } from '../ops/neighbours.js';
import type { Nexthop } from '../ops/nexthops.js';
import type { NsidEntry, RtnlObject } from '../ops/objects.js';
import type { Route } from '../ops/routes.js';
import type { Rule } from '../ops/rules.js';
import { formatHandle } from '../codec/tc/parse.js';
import { pick, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { addrInfoJson, jsonText, linkJson, namesFrom, neighJson, routeJson, ruleJson, type Json } from './format.js';
import { nexthopJson, nexthopText } from './format-nexthop.js';
import { addrEventText, linkText, neighText, routeText, ruleText } from './text.js';

export const MONITOR_USAGE = `Usage: rtnl monitor [all | OBJECTS]
OBJECTS := { link | address | route | neigh | rule | nsid | nexthop | tc } ...
With -j, one JSON object per line: {"event": "link.new", ...}. -4 / -6 limit address, route
and rule events to one family. Stop with Ctrl-C (SIGINT) or SIGTERM.`;

const OBJECTS = [
  'link',
  'address',
  'route',
  'neigh',
  'neighbor',
  'neighbour',
  'rule',
  'nsid',
  'nexthop',
  'tc',
  'all',
  'help',
] as const;

export function parseMonitor(words: string[], g: Globals): Plan {
  const groups = new Set<MonitorGroup>();
  const fam = g.family ? String(g.family) : '';
  const all = () => {
    groups.add('link');
    groups.add(`address${fam}` as MonitorGroup);
    groups.add(`route${fam}` as MonitorGroup);
    groups.add('neighbour');
    groups.add(`rule${fam}` as MonitorGroup);
    groups.add('nsid');
    groups.add('nexthop');
  };
  for (const w of words) {
    switch (pick(w, OBJECTS)) {
      case 'link':
        groups.add('link');
        break;
      case 'address':
        groups.add(`address${fam}` as MonitorGroup);
        break;
      case 'route':
        groups.add(`route${fam}` as MonitorGroup);
        break;
      case 'neigh':
      case 'neighbor':
      case 'neighbour':
        groups.add('neighbour');
        break;
      case 'rule':
        groups.add(`rule${fam}` as MonitorGroup);
        break;
      case 'nsid':
        groups.add('nsid');
        break;
      case 'nexthop':
        groups.add('nexthop');
        break;
      case 'tc':
        for (const t of ['qdisc', 'class', 'filter', 'chain', 'action'] as const) groups.add(t);
        break;
      case 'all':
        all();
        break;
      case 'help':
        return help(MONITOR_USAGE);
      default:
        if (
          ['mroute', 'netconf', 'prefix', 'label', 'stats', 'maddress', 'acaddress', 'dev', 'file', 'label'].includes(w)
        )
          throw new UsageError(`"${w}" is not supported by rtnl`);
        throw new UsageError(
          `argument "${w}" is wrong: monitor object must be one of link, address, route, neigh, rule, nsid, nexthop, tc, all`,
        );
    }
  }
  if (groups.size === 0) all();
  return { op: 'monitor', args: [[...groups]] };
}

/** The ip-JSON of one change event, and its human line. */
export function eventJson(
  ev: MonitorEvent,
  names: ReturnType<typeof namesFrom>,
): { json: Json; text: string } | undefined {
  if (ev.type === 'synced') return undefined;
  if (ev.type === 'undecodable') {
    const json = { event: 'undecodable', error: ev.error.message, bytes: Buffer.from(ev.bytes).toString('hex') };
    return { json, text: `undecodable message (${ev.bytes.length} bytes): ${ev.error.message}` };
  }
  if (ev.type === 'resync') {
    const json = {
      event: 'resync',
      complete: ev.complete,
      added: ev.added.length,
      changed: ev.changed.length,
      removed: ev.removed.length,
    };
    return {
      json,
      text: `resync: events were lost; ${json.added} added, ${json.changed} changed, ${json.removed} removed since`,
    };
  }
  const deleted = ev.action === 'del';
  const obj: RtnlObject = ev.object;
  let body: Json;
  let text: string;
  switch (ev.kind) {
    case 'link': {
      const l = obj as Link;
      if (!deleted) {
        names.map.set(l.index, l.name);
        names.up.set(l.index, l.up);
      }
      body = linkJson(l, names, { linkCommand: true, deleted });
      text = linkText(body);
      if (deleted) {
        names.map.delete(l.index);
        names.up.delete(l.index);
      }
      break;
    }
    case 'address':
      body = addrInfoJson(obj as Address, { withDev: names, deleted });
      text = addrEventText(body);
      break;
    case 'route':
      body = routeJson(obj as Route, names, { deleted });
      text = routeText(body);
      break;
    case 'neighbour':
      body = neighJson(obj as Neighbour, names, { deleted });
      text = neighText(body);
      break;
    case 'rule':
      body = ruleJson(obj as Rule, { deleted });
      text = ruleText(body);
      break;
    case 'nsid': {
      const n = obj as NsidEntry;
      body = { ...(deleted ? { deleted: true } : {}), nsid: n.nsid };
      text = `${deleted ? 'Deleted ' : ''}nsid ${n.nsid}`;
      break;
    }
    case 'nexthop':
      body = nexthopJson(obj as Nexthop, names, { deleted });
      text = nexthopText(body);
      break;
    default: {
      // tc: qdisc, class, filter, chain, action (the identifying fields; tc monitor prints more).
      const t = tcEventJson(ev.kind, obj, names.map);
      body = { ...(deleted ? { deleted: true } : {}), ...t };
      text = `${deleted ? 'deleted ' : ''}${Object.entries(t)
        .map(([k, v]) => (k === 'object' ? String(v) : `${k} ${String(v)}`))
        .join(' ')}`;
    }
  }
  const json: Json = { event: ev.type, ...body };
  if (ev.nsid !== undefined) json.nsid = ev.nsid;
  return { json, text };
}

/** The identifying fields of a tc object, for monitor events. */
function tcEventJson(kind: string, obj: RtnlObject, names: Map<number, string>): Json {
  const o = obj as unknown as Record<string, any>;
  const dev = (i: number) => names.get(i) ?? String(i);
  switch (kind) {
    case 'qdisc':
    case 'class':
      return { object: `${kind} ${o.kind}`, handle: o.handle, dev: dev(o.ifindex), parent: o.parent };
    case 'filter':
      return {
        object: `filter ${o.kind}`,
        ...(o.block !== undefined ? { block: o.block } : { dev: dev(o.ifindex), parent: o.parent }),
        protocol: o.protocol,
        pref: o.pref,
        chain: o.chain,
        ...(o.handle !== undefined ? { handle: o.handle } : {}),
      };
    case 'chain':
      return { object: 'chain', dev: dev(o.ifindex), parent: formatHandle(o.parent), chain: o.chain };
    default:
      return { object: `action ${o.kind}`, index: o.index };
  }
}

export const monitorCommand: ObjectCommand = {
  name: 'monitor',
  usage: MONITOR_USAGE,
  parse: parseMonitor,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const groups = plan.args[0] as MonitorGroup[];
    const nl = await ctx.client();
    const names = namesFrom(await nl.links.list());
    for await (const ev of nl.monitor(groups, { signal: ctx.signal, track: false })) {
      const out = eventJson(ev, names);
      if (!out) continue;
      if (ctx.g.json) ctx.out(jsonText(out.json, false));
      else if (ctx.g.timestamp) ctx.out(timestamped(out.text, ctx.g.timestamp, new Date()));
      else ctx.out(out.text);
    }
  },
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * ip monitor's -t and -ts: `Timestamp: Fri Dec  4 23:55:22 2026 123456 usec` on a line of its
 * own, or `[2026-12-04T23:55:22.123456] ` before the event (local time, as ip).
 */
export function timestamped(text: string, kind: 'long' | 'short', d: Date): string {
  const usec = pad(d.getMilliseconds() * 1000, 6);
  if (kind === 'short') {
    const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    return `[${iso}.${usec}] ${text}`;
  }
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const day = String(d.getDate()).padStart(2, ' ');
  const ctime = `${days[d.getDay()]} ${months[d.getMonth()]} ${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
  // ip prints the microseconds here with %ld: not zero-padded.
  return `Timestamp: ${ctime} ${d.getMilliseconds() * 1000} usec\n${text}`;
}
