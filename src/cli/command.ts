/**
 * What a parsed command line turns into: a Plan names the ops call (`links.add`) and its
 * arguments exactly as they will be passed, or a `*.show` listing with its filter. Parsing is
 * pure, so the argument tests need no root; running a Plan is the only part that talks to the
 * kernel.
 */
import type { Rtnl } from '../ops/client.js';
import type { Globals } from './args.js';

export interface Plan {
  /** 'links.add', 'addresses.delete', ... (an ops call) or 'link.show', 'help', ... (handled by the object). */
  op: string;
  args: unknown[];
}

export interface Context {
  g: Globals;
  /** Writes one line (or block) to stdout. */
  out(text: string): void;
  /** The client for -n NETNS (opened on first use). */
  client(): Promise<Rtnl>;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export interface ObjectCommand {
  /** Canonical name: 'link', 'address', ... */
  name: string;
  /** Usage text, printed by `rtnl OBJECT help`. */
  usage: string;
  parse(words: string[], g: Globals): Plan;
  /** Runs plans whose op is not a plain ops call. */
  run?(plan: Plan, ctx: Context): Promise<void>;
}

export const help = (text: string): Plan => ({ op: 'help', args: [text] });

/** Ops calls a Plan may name: `<collection>.<method>` on the client. */
const CALLS: Record<string, readonly string[]> = {
  links: ['add', 'delete', 'set', 'addAltNames', 'deleteAltNames'],
  addresses: ['add', 'replace', 'delete', 'flush'],
  routes: ['add', 'replace', 'change', 'append', 'delete'],
  neighbours: ['add', 'replace', 'append', 'delete', 'change', 'flush'],
  rules: ['add', 'delete'],
  tuntap: ['add', 'delete'],
  nexthops: ['add', 'replace', 'delete'],
};

/** Whether `op` is a plain ops call that runOp() can make. */
export const isOpsCall = (op: string): boolean => {
  const [obj, method] = op.split('.');
  return obj !== undefined && method !== undefined && (CALLS[obj]?.includes(method) ?? false);
};

/** Make the ops call a Plan names. */
export async function runOp(nl: Rtnl, plan: Plan): Promise<unknown> {
  const [obj, method] = plan.op.split('.') as [keyof Rtnl, string];
  const target = nl[obj] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return target[method]!.apply(target, plan.args);
}
