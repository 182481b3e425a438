/**
 * sysctl under /proc/sys, optionally inside another network namespace. /proc/sys/net resolves
 * against the namespace of the thread that opens the file, so the switch, the synchronous read or
 * write, and the switch back all happen on this thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runInNetnsSync, type NetnsSpec } from '../ffi/netns.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

const S = schemas((z) => {
  const { netnsSpec } = V();
  const key = z
    .string()
    .min(1)
    .max(255)
    .refine(
      (k) => !k.startsWith('/') && !k.split(/[./]/).some((p) => p === '' || p === '..' || p === '.'),
      "must be a relative key like net.ipv4.ip_forward, without '..' or an absolute path",
    )
    .refine((k) => /^[A-Za-z0-9_./:-]+$/.test(k), 'must be letters, digits, and . / _ - :');

  const value = z
    .union([z.string(), z.number().finite()])
    .transform(String)
    .pipe(
      z
        .string()
        .max(4096)
        .refine((v) => !v.includes('\0'), 'must not contain NUL'),
    );
  const options = z.object({ netns: netnsSpec.optional() }).strict();
  return { key, value, options };
});

/** Key to path: dots separate components unless the key uses slashes (for names with dots). */
function pathOf(k: string): string {
  return `/proc/sys/${k.includes('/') ? k : k.replace(/\./g, '/')}`;
}

function inNs<T>(spec: NetnsSpec | undefined, fn: () => T): T {
  return spec === undefined ? fn() : runInNetnsSync(check(V().netnsSpec, spec, 'netns') as NetnsSpec, fn);
}

/** Read and write /proc/sys keys, optionally inside a network namespace. */
export const sysctl = {
  /**
   * Read a sysctl.
   *
   * Equivalent to: [ip netns exec NS] sysctl -n KEY
   */
  async get(k: string, opts: { netns?: NetnsSpec } = {}): Promise<string> {
    const path = pathOf(check(S().key, k, 'key'));
    check(S().options, opts, '');
    return inNs(opts.netns, () => readFileSync(path, 'utf8').trim());
  },

  /**
   * Write a sysctl.
   *
   * Equivalent to: [ip netns exec NS] sysctl -w KEY=VALUE
   */
  async set(k: string, v: string | number, opts: { netns?: NetnsSpec } = {}): Promise<void> {
    const path = pathOf(check(S().key, k, 'key'));
    const val = check(S().value, v, 'value');
    check(S().options, opts, '');
    inNs(opts.netns, () => writeFileSync(path, val));
  },
};
