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
import { existsSync } from 'node:fs';
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
   * The names of the named namespaces, sorted.
   *
   * Equivalent to: ip netns list
   */
  async list(): Promise<string[]> {
    return listNamedNetns();
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
