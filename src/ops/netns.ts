/**
 * Named network namespaces, interoperable with `ip netns`: a namespace made by one is visible to
 * and usable by the other.
 */
import {
  createNamedNetns,
  deleteNamedNetns,
  listNamedNetns,
  netnsPath,
  runInNetnsSync,
  type NetnsSpec,
} from '../ffi/netns.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { RtnlError, ValidationError } from '../errors.js';

/** dev and inode of a namespace file, or undefined when it cannot be read (a process gone meanwhile). */
function statNs(path: string): { dev: number; ino: number } | undefined {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}
const sameNs = (a: { dev: number; ino: number } | undefined, b: { dev: number; ino: number }) =>
  a !== undefined && a.dev === b.dev && a.ino === b.ino;
import { check, V } from './validate.js';
import { schemas } from './zod.js';

const S = schemas((z) => ({ deleteOptsSchema: z.object({ ifExists: z.boolean().optional() }).strict() }));

/** Named network namespaces, as `ip netns` manages them: create, delete, list, exists, runSync. */
export const netns = {
  /**
   * Create a named namespace (/run/netns/NAME).
   *
   * Equivalent to: ip netns add NAME
   */
  async create(name: string): Promise<void> {
    createNamedNetns(check(V().netnsName, name, 'name'));
  },

  /**
   * Delete a named namespace. With `ifExists: true`, a missing one is not an error.
   *
   * Equivalent to: ip netns delete NAME
   */
  async delete(name: string, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const n = check(V().netnsName, name, 'name');
    check(S().deleteOptsSchema, opts, 'options');
    if (opts.ifExists && !existsSync(netnsPath(n)!)) return false;
    deleteNamedNetns(n);
    return true;
  },

  /**
   * The names of the named namespaces, sorted; with `order: 'directory'`, in the order
   * `ip netns list` prints them.
   *
   * Equivalent to: ip netns list
   */
  async list(opts: { order?: 'sorted' | 'directory' } = {}): Promise<string[]> {
    return listNamedNetns(opts.order !== 'directory');
  },

  /**
   * The names of the named namespaces that a process is in (by default this process).
   *
   * Equivalent to: ip netns identify [PID]
   */
  async identify(pid?: number): Promise<string[]> {
    if (pid !== undefined && !(Number.isSafeInteger(pid) && pid > 0))
      throw new ValidationError('pid', 'must be a positive integer', pid);
    const target = statNs(`/proc/${pid === undefined ? 'self' : pid}/ns/net`);
    if (!target) throw new RtnlError(`no process ${pid}`, 'ENOENT');
    return listNamedNetns(false).filter((n) => sameNs(statNs(netnsPath(n)!), target));
  },

  /**
   * The ids of the processes inside a named namespace.
   *
   * Equivalent to: ip netns pids NAME
   */
  async pids(name: string): Promise<number[]> {
    const target = statNs(netnsPath(check(V().netnsName, name, 'name'))!);
    if (!target) throw new RtnlError(`no namespace ${name}`, 'ENOENT');
    const out: number[] = [];
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      if (sameNs(statNs(`/proc/${e}/ns/net`), target)) out.push(Number(e));
    }
    return out.sort((a, b) => a - b);
  },

  /** Whether a named namespace exists. */
  async exists(name: string): Promise<boolean> {
    return existsSync(netnsPath(check(V().netnsName, name, 'name'))!);
  },

  /**
   * Run a synchronous function with this thread inside a namespace, and switch back even if it
   * throws. Only synchronous work belongs here: anything that awaits, or runs on another thread
   * (async fs, the threadpool), would not be in the namespace.
   *
   * Equivalent to: ip netns exec NAME ... (for in-process work)
   */
  runSync<T>(spec: NetnsSpec, fn: () => T): T {
    return runInNetnsSync(check(V().netnsSpec, spec, 'netns') as NetnsSpec, fn);
  },
};
