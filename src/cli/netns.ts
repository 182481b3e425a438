/** `rtnl netns`: add, delete, list named namespaces, as `ip netns` (shared with it). */
import { netns as ns } from '../ops/netns.js';
import { Args, pick, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText } from './format.js';

export const NETNS_USAGE = `Usage: rtnl netns list
       rtnl netns add NAME
       rtnl netns delete NAME
       rtnl netns help
(rtnl never runs programs, so there is no "netns exec"; use "ip netns exec".)`;

const COMMANDS = ['list', 'show', 'lst', 'add', 'delete', 'exec', 'help'] as const;

export function parseNetns(words: string[], _g: Globals): Plan {
  if (words.length === 0) return { op: 'netns.list', args: [] };
  const [first, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, `netns ${first}`);
  const name = (): string => {
    if (a.done) throw new UsageError(`no netns name specified`);
    const n = a.shift();
    if (!a.done) throw new UsageError(`unexpected "${a.peek()}" after the netns name`);
    return n;
  };
  switch (pick(first, COMMANDS)) {
    case 'list':
    case 'show':
    case 'lst':
      if (!a.done) throw new UsageError(`"netns list" takes no arguments`);
      return { op: 'netns.list', args: [] };
    case 'add':
      return { op: 'netns.create', args: [name()] };
    case 'delete':
      return { op: 'netns.delete', args: [name()] };
    case 'exec':
      throw new UsageError('"netns exec" is not supported: rtnl never runs other programs (use "ip netns exec")');
    case 'help':
      return help(NETNS_USAGE);
    default:
      throw new UsageError(`command "${first}" is unknown, try "rtnl netns help"`);
  }
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
      case 'netns.list': {
        const names = await ns.list();
        if (ctx.g.json)
          ctx.out(
            jsonText(
              names.map((name) => ({ name })),
              ctx.g.pretty,
            ),
          );
        else for (const n of names) ctx.out(n);
        return;
      }
      default:
        throw new Error(`unexpected plan ${plan.op}`);
    }
  },
};
