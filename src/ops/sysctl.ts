/**
 * sysctl under /proc/sys, optionally inside another network namespace. /proc/sys/net resolves
 * against the namespace of the thread that opens the file, so the switch, the synchronous read or
 * write, and the switch back all happen on this thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runInNetnsSync, type NetnsSpec } from '../ffi/netns.js';
import { check, checkNetns, plain, plainlyAccepted, V } from './validate.js';
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

/**
 * Keys the schema accepts, decided without zod: components of letters, digits, '_', ':' and '-'
 * (so never empty, '.' or '..') joined by '.' or '/', not starting with '/', at most 255 chars.
 */
const PLAIN_KEY = /^[A-Za-z0-9_:-]+(?:[./][A-Za-z0-9_:-]+)*$/;
const OPTIONS = { netns: plain.netns };

const checkKey = (k: unknown): string =>
  typeof k === 'string' && k.length <= 255 && PLAIN_KEY.test(k) ? k : check(S().key, k, 'key');

/** The value as the schema returns it (a string, or a finite number as a string), without zod when plain. */
function checkValue(v: unknown): string {
  if (typeof v === 'string' && v.length <= 4096 && !v.includes('\0')) return v;
  if (typeof v === 'number' && Number.isFinite(v) && String(v).length <= 4096) return String(v);
  return check(S().value, v, 'value');
}

/** Key to path: dots separate components unless the key uses slashes (for names with dots). */
function pathOf(k: string): string {
  return `/proc/sys/${k.includes('/') ? k : k.replace(/\./g, '/')}`;
}

function inNs<T>(spec: NetnsSpec | undefined, fn: () => T): T {
  return spec === undefined ? fn() : runInNetnsSync(checkNetns(spec, 'netns') as NetnsSpec, fn);
}

/** Read and write /proc/sys keys, optionally inside a network namespace. */
export const sysctl = {
  /**
   * Read a sysctl.
   *
   * Equivalent to: [ip netns exec NS] sysctl -n KEY
   */
  async get(k: string, opts: { netns?: NetnsSpec } = {}): Promise<string> {
    const path = pathOf(checkKey(k));
    if (!plainlyAccepted(opts, OPTIONS)) check(S().options, opts, '');
    return inNs(opts.netns, () => readFileSync(path, 'utf8').trim());
  },

  /**
   * Write a sysctl.
   *
   * Equivalent to: [ip netns exec NS] sysctl -w KEY=VALUE
   */
  async set(k: string, v: string | number, opts: { netns?: NetnsSpec } = {}): Promise<void> {
    const path = pathOf(checkKey(k));
    const val = checkValue(v);
    if (!plainlyAccepted(opts, OPTIONS)) check(S().options, opts, '');
    inNs(opts.netns, () => writeFileSync(path, val));
  },
};
