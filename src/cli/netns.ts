/** `rtnl netns`: add, delete, list, set, list-id, identify, pids and exec, as `ip netns` (shared with it). */
import { netns as ns } from '../ops/netns.js';
import { Args, ExitStatus, pick, uint, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText, type Json } from './format.js';

export const NETNS_USAGE = `Usage: rtnl netns list
       rtnl netns add NAME
       rtnl netns delete NAME
       rtnl netns set NAME NETNSID
       rtnl netns list-id
       rtnl netns identify [PID]
       rtnl netns pids NAME
       rtnl netns exec NAME cmd ...
       rtnl netns help
NETNSID := auto | POSITIVE-INT
("netns exec" enters only the network namespace: unlike ip, it does not remount /sys
or bind /etc/netns/NAME files.)`;

const COMMANDS = [
  'list',
  'show',
  'lst',
  'add',
  'attach',
  'delete',
  'set',
  'list-id',
  'identify',
  'pids',
  'exec',
  'monitor',
  'help',
] as const;

export function parseNetns(words: string[], _g: Globals): Plan {
  if (words.length === 0) return { op: 'netns.list', args: [] };
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `netns ${first}`);
  const name = (more = false): string => {
    if (a.done) throw new UsageError(`no netns name specified`);
    const n = a.shift();
    if (!more && !a.done) throw new UsageError(`unexpected "${a.peek()}" after the netns name`);
    return n;
  };
  // Exact names first: `list-id` is not an abbreviation of `list`.
  const cmd = (COMMANDS as readonly string[]).includes(first) ? first : pick(first, COMMANDS);
  switch (cmd) {
    case 'list':
    case 'show':
    case 'lst':
      if (!a.done) throw new UsageError(`"netns list" takes no arguments`);
      return { op: 'netns.list', args: [] };
    case 'add':
      return { op: 'netns.create', args: [name()] };
    case 'delete':
      return { op: 'netns.delete', args: [name()] };
    case 'set': {
      const n = name(true);
      if (a.done) throw new UsageError('"netns set" needs an id (a number or auto)');
      const v = a.shift();
      if (!a.done) throw new UsageError(`unexpected "${a.peek()}" after the id`);
      return { op: 'netns.set', args: [n, v === 'auto' ? 'auto' : uint('id', v, 0x7fffffff)] };
    }
    case 'list-id':
      if (!a.done) throw new UsageError(`"${a.peek()}" is not supported by rtnl`);
      return { op: 'netns.list-id', args: [] };
    case 'identify': {
      const pid = a.done ? undefined : uint('pid', a.shift());
      return { op: 'netns.identify', args: [pid] };
    }
    case 'pids':
      return { op: 'netns.pids', args: [name()] };
    case 'exec': {
      const n = name(true);
      if (a.done) throw new UsageError('"netns exec" needs a command');
      return { op: 'netns.exec', args: [n, a.rest] };
    }
    case 'attach':
    case 'monitor':
      throw new UsageError(`"netns ${cmd}" is not supported by rtnl`);
    case 'help':
      return help(NETNS_USAGE);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl netns help"`);
  }
}

/** The named namespace each nsid stands for, as seen from the client's namespace. */
async function idsByName(ctx: Context, names: string[]): Promise<Map<string, number>> {
  const nl = await ctx.client();
  const out = new Map<string, number>();
  for (const n of names) {
    try {
      const id = await nl.nsids.get(n);
      if (id !== undefined) out.set(n, id);
    } catch {
      // A namespace file that cannot be opened (gone meanwhile) has no id: ip prints it bare too.
    }
  }
  return out;
}

/** `netns exec`: run the command in the namespace, wait, and pass on its exit status. */
async function exec(name: string, argv: string[]): Promise<number> {
  const { spawn } = await import('node:child_process');
  // spawn() forks inside the call, on this thread, so the child starts in the namespace.
  const child = ns.runSync(name, () => spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' }));
  return new Promise((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`exec of "${argv[0]}" failed: ${err.code ?? err.message}`)),
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export const netnsCommand: ObjectCommand = {
  name: 'netns',
  usage: NETNS_USAGE,
  parse: parseNetns,
  async run(plan: Plan, ctx: Context): Promise<void> {
    switch (plan.op) {
      case 'netns.create':
        await ns.create(plan.args[0] as string);
        return;
      case 'netns.delete':
        await ns.delete(plan.args[0] as string);
        return;
      case 'netns.set': {
        const nl = await ctx.client();
        await nl.nsids.set(plan.args[0] as string, plan.args[1] as number | 'auto');
        return;
      }
      case 'netns.list': {
        const names = await ns.list({ order: 'directory' });
        const ids = await idsByName(ctx, names);
        if (ctx.g.json)
          ctx.out(
            jsonText(
              names.map((name) => (ids.has(name) ? { name, id: ids.get(name) } : { name })),
              ctx.g.pretty,
            ),
          );
        else for (const n of names) ctx.out(ids.has(n) ? `${n} (id: ${ids.get(n)})` : n);
        return;
      }
      case 'netns.list-id': {
        const nl = await ctx.client();
        const ids = await idsByName(ctx, await ns.list({ order: 'directory' }));
        const byId = new Map([...ids].map(([n, id]) => [id, n]));
        const objs: Json[] = (await nl.nsids.list()).map((e) =>
          byId.has(e.nsid) ? { nsid: e.nsid, name: byId.get(e.nsid) } : { nsid: e.nsid },
        );
        if (ctx.g.json) ctx.out(jsonText(objs, ctx.g.pretty));
        else
          for (const o of objs)
            ctx.out(o.name === undefined ? `nsid ${o.nsid}` : `nsid ${o.nsid} (iproute2 netns name: ${o.name})`);
        return;
      }
      case 'netns.identify':
        for (const n of await ns.identify(plan.args[0] as number | undefined)) ctx.out(n);
        return;
      case 'netns.pids':
        for (const p of await ns.pids(plan.args[0] as string)) ctx.out(String(p));
        return;
      case 'netns.exec': {
        const status = await exec(plan.args[0] as string, plan.args[1] as string[]);
        if (status !== 0) throw new ExitStatus(status);
        return;
      }
      default:
        throw new Error(`unexpected plan ${plan.op}`);
    }
  },
};
