/** `rtnl tuntap`: add, del, show, as `ip tuntap`. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { TunTapLink } from '../ops/tuntap-ops.js';
import { Args, pick, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, type Json } from './format.js';

export const TUNTAP_USAGE = `Usage: rtnl tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }`;

interface TunTapArgs {
  name?: string;
  mode?: 'tun' | 'tap';
  user?: number | string;
  group?: number | string;
  pi?: boolean;
  oneQueue?: boolean;
  vnetHdr?: boolean;
  multiQueue?: boolean;
}

const idArg = (v: string): number | string => (/^\d+$/.test(v) ? Number(v) : v);

/** ip's parse_args: keywords in any order, a bare word is the name. */
function parseArgs(a: Args): TunTapArgs {
  const t: TunTapArgs = {};
  const setName = (v: string) => {
    if (t.name !== undefined) throw new UsageError(`either "dev" is duplicate, or "${v}" is garbage`);
    t.name = v;
  };
  while (!a.done) {
    const k = a.shift();
    if (k === 'mode') {
      const v = a.value(k);
      if (v !== 'tun' && v !== 'tap') throw new UsageError(`argument "${v}" is wrong: unknown tunnel mode`);
      t.mode = v;
    } else if (k === 'user') t.user = idArg(a.value(k));
    else if (k === 'group') t.group = idArg(a.value(k));
    else if (k === 'dev' || k === 'name') setName(a.value(k));
    else if (k === 'pi') t.pi = true;
    else if (k === 'one_queue') t.oneQueue = true;
    else if (k === 'vnet_hdr') t.vnetHdr = true;
    else if (k === 'multi_queue') t.multiQueue = true;
    else setName(k);
  }
  return t;
}

function needMode(t: TunTapArgs): 'tun' | 'tap' {
  if (!t.mode) throw new UsageError('You failed to specify a tunnel mode');
  return t.mode;
}

const COMMANDS = ['add', 'delete', 'show', 'list', 'lst', 'help'] as const;

export function parseTunTap(words: string[], _g: Globals): Plan {
  if (words.length === 0) return { op: 'tuntap.show', args: [{}] };
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `tuntap ${first}`);
  switch (pick(first, COMMANDS)) {
    case 'add': {
      const t = parseArgs(a);
      const kind = needMode(t);
      const tuntap: Record<string, unknown> = { persist: true };
      if (t.pi) tuntap.pi = true;
      if (t.oneQueue) tuntap.oneQueue = true;
      if (t.vnetHdr) tuntap.vnetHdr = true;
      if (t.multiQueue) tuntap.multiQueue = true;
      if (t.user !== undefined) tuntap.owner = t.user;
      if (t.group !== undefined) tuntap.group = t.group;
      // Without a name the kernel picks one, as with ip: tap0, tap1, ...
      return { op: 'tuntap.add', args: [{ kind, name: t.name ?? `${kind}%d`, tuntap }] };
    }
    case 'delete': {
      const t = parseArgs(a);
      const kind = needMode(t);
      if (t.name === undefined) throw new UsageError('"dev" is required: which device to delete?');
      return { op: 'tuntap.delete', args: [t.name, { kind }] };
    }
    case 'show':
    case 'list':
    case 'lst': {
      const t = parseArgs(a);
      return {
        op: 'tuntap.show',
        args: [{ ...(t.name ? { name: t.name } : {}), ...(t.mode ? { mode: t.mode } : {}) }],
      };
    }
    case 'help':
      return help(TUNTAP_USAGE);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl tuntap help"`);
  }
}

/**
 * One device as `ip -j tuntap show` prints it. Its flags come from IFLA_TUN_* (ip reads sysfs's
 * tun_flags), which do not carry IFF_ONE_QUEUE (a flag the kernel ignores): one_queue is never shown.
 * 'filter' is ip's name for the absence of IFF_NOFILTER, which shares its bit with IFF_NO_PI.
 */
export function tuntapJson(l: TunTapLink): Json {
  const t = l.tuntap;
  const flags: string[] = [t.kind];
  if (t.pi) flags.push('pi');
  if (t.multiQueue) flags.push('multi_queue');
  if (t.vnetHdr) flags.push('vnet_hdr');
  if (t.persist) flags.push('persist');
  if (t.pi) flags.push('filter');
  const j: Json = { ifname: l.name, flags };
  if (t.owner !== undefined) j.user = t.owner;
  if (t.group !== undefined) j.group = t.group;
  return j;
}

/** `NAME: tap vnet_hdr persist user 1000 group 1000` (and, with -d, the processes attached). */
export function tuntapText(j: Json): string {
  let line = `${j.ifname}: ${(j.flags as string[]).join(' ')}`;
  if (j.user !== undefined) line += ` user ${j.user}`;
  if (j.group !== undefined) line += ` group ${j.group}`;
  const procs = j.processes as Array<{ name: string; pid: number }> | undefined;
  if (procs) line += `\n\tAttached to processes:${procs.map((p) => `${p.name}(${p.pid})`).join('')}`;
  return line;
}

/**
 * Which processes hold a queue of which device, as `ip -d tuntap show` finds them: every fd that
 * links to /dev/net/tun, by the `iff:` line of its fdinfo. Like ip, this matches by name only
 * (fdinfo does not say which namespace), and skips processes it may not read.
 */
export function attachedProcesses(): Map<string, Array<{ name: string; pid: number }>> {
  const out = new Map<string, Array<{ name: string; pid: number }>>();
  const ls = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const pid of ls('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let comm: string | undefined;
    for (const fd of ls(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== '/dev/net/tun') continue;
        const iff = /^iff:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
        if (!iff) continue;
        comm ??= readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        const list = out.get(iff) ?? [];
        list.push({ name: comm, pid: Number(pid) });
        out.set(iff, list);
      } catch {
        /* gone meanwhile, or not ours to read */
      }
    }
  }
  return out;
}

export const tuntap: ObjectCommand = {
  name: 'tuntap',
  usage: TUNTAP_USAGE,
  parse: parseTunTap,
  async run(plan: Plan, ctx: Context): Promise<void> {
    if (plan.op !== 'tuntap.show') throw new Error(`unexpected plan ${plan.op}`);
    const f = plan.args[0] as { name?: string; mode?: 'tun' | 'tap' };
    const nl = await ctx.client();
    const devices = (await nl.tuntap.list()).filter(
      (l) => (f.name === undefined || l.name === f.name) && (f.mode === undefined || l.tuntap.kind === f.mode),
    );
    const objs = devices.map(tuntapJson);
    if (ctx.g.details > 0) {
      const procs = attachedProcesses();
      for (const j of objs) j.processes = procs.get(j.ifname as string) ?? [];
    }
    if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
    else for (const j of objs) ctx.out(tuntapText(j));
  },
};
