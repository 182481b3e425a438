/**
 * Live-test helpers. Each live test runs in a fresh namespace `rtnl-<run>-t-<random>` that it
 * always deletes, and cross-checks with `ip -j -d -n NS`. Nothing here touches the host namespace.
 * Name every namespace a test makes with testNsName(): the host check at the end of the run
 * (test/zzz-host) looks for leftovers by this run's prefix, and only by it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { netns, Rtnl, sysctl, type LinkAddOptions } from '../../src/index.js';

/**
 * Make a fresh test namespace deterministic: no IPv6 duplicate-address detection, so link-local
 * addresses (and their local routes) appear at once when a link comes up, not a second later
 * while a test compares its view with `ip -j`.
 */
async function quiet(ns: string): Promise<void> {
  for (const k of ['net.ipv6.conf.all.accept_dad', 'net.ipv6.conf.default.accept_dad'])
    await sysctl.set(k, '0', { netns: ns });
}

export const isRoot = process.getuid?.() === 0;

/** Skip reason for live tests when not root, else undefined. */
export const needsRoot = isRoot ? undefined : 'live tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN)';

/**
 * This test run's id: the `node --test` runner's pid (each test file is its child). Kept in the
 * environment so processes a test spawns name their namespaces with the same run id.
 */
process.env.RTNL_TEST_RUN ??= `r${process.ppid}`;
export const runNsPrefix = `rtnl-${process.env.RTNL_TEST_RUN}-`;

export const testNsName = (tag = 't') => `${runNsPrefix}${tag}-${randomBytes(4).toString('hex')}`;

/** Create a namespace, open a client in it, run fn, and always close and delete both. */
export async function withTestNetns<T>(fn: (ns: string, nl: Rtnl) => Promise<T>): Promise<T> {
  const ns = testNsName();
  await netns.create(ns);
  let nl: Rtnl | undefined;
  try {
    await quiet(ns);
    nl = await Rtnl.open({ netns: ns });
    return await fn(ns, nl);
  } finally {
    await nl?.close();
    await netns.delete(ns, { ifExists: true });
  }
}

/** Several namespaces at once. */
export async function withTestNetnses<T>(
  count: number,
  fn: (names: string[], clients: Rtnl[]) => Promise<T>,
): Promise<T> {
  const names: string[] = [];
  const clients: Rtnl[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const ns = testNsName();
      await netns.create(ns);
      names.push(ns);
      await quiet(ns);
      clients.push(await Rtnl.open({ netns: ns }));
    }
    return await fn(names, clients);
  } finally {
    for (const c of clients) await c.close();
    for (const ns of names) await netns.delete(ns, { ifExists: true });
  }
}

/** Run `ip -j [-d] -n NS ARGS...` and parse its JSON. */
export function ipJson(ns: string | undefined, ...args: string[]): any {
  const out = execFileSync('ip', [...(ns ? ['-n', ns] : []), '-j', '-d', ...args], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

/** Run `ip` (for setup the test is not about); throws with ip's stderr on failure. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Whether this kernel can create a link of `kind` (probed in a throwaway namespace). */
const kindCache = new Map<string, boolean>();
export async function kernelHasKind(kind: string): Promise<boolean> {
  if (kindCache.has(kind)) return kindCache.get(kind)!;
  const ok = await withTestNetns(async (_ns, nl) => {
    try {
      // The smallest valid configuration of each kind, so only a missing kind fails.
      await nl.links.add({
        name: 'probe0',
        kind,
        ...(kind === 'vxlan' ? { vxlan: { id: 1 } } : kind === 'vlan' ? { vlan: { id: 1 }, link: 'lo' } : {}),
      } as LinkAddOptions);
      return true;
    } catch {
      return false;
    }
  });
  kindCache.set(kind, ok);
  return ok;
}

/** Skip the test with the reason printed when the kernel lacks `kind`. */
export async function skipWithoutKind(t: TestContext, kind: string): Promise<boolean> {
  if (await kernelHasKind(kind)) return false;
  t.skip(`this kernel cannot create ${kind} links`);
  return true;
}

/** Open fds of this process (for leak checks). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Threads of this process. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}
