/**
 * Network-namespace plumbing, with no child processes.
 *
 * setns(2) changes only the calling thread, so every switch here is synchronous and on the
 * calling (main) thread: open the current namespace, setns into the target, do the work, setns
 * back, close the fds, with the restore in `finally`. Named namespaces follow iproute2's layout
 * (/run/netns/NAME is a bind mount of a namespace file, and /run/netns is a shared mount point),
 * so `ip netns` and rtnl see each other's namespaces.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  opendirSync,
  readdirSync,
  statSync,
  unlinkSync,
  constants as fsc,
} from 'node:fs';
import { RtnlError } from '../errors.js';
import { CLONE_NEWNET, MNT_DETACH, MS_BIND, MS_REC, MS_SHARED, O_CLOEXEC, O_RDONLY } from './constants.js';
import { libc } from './libc.js';

export const NETNS_RUN_DIR = '/run/netns';
/** The calling thread's own namespace file. */
export const SELF_NETNS = '/proc/thread-self/ns/net';

/** How a namespace is named: by `ip netns` name, by path, by a process, or by an open fd. */
export type NetnsSpec = string | { name: string } | { path: string } | { pid: number } | { fd: number };

/** Raised when the thread could not return to its namespace. The process should not go on. */
export class NetnsRestoreError extends RtnlError {
  constructor(cause: unknown) {
    super(
      'could not return to the original network namespace; this thread is in the wrong namespace',
      'ERR_RTNL_NETNS_RESTORE',
      { cause },
    );
  }
}

const NAME_RE = /^[A-Za-z0-9_.-]{1,255}$/;

/** Check a namespace name as iproute2 would store it: a single path component. */
export function checkNetnsName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name === '.' || name === '..') {
    throw new RtnlError(
      `invalid namespace name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-', not '.' or '..'`,
      'ERR_RTNL_VALIDATION',
    );
  }
}

/** The file path for a spec (undefined for an fd). */
export function netnsPath(spec: NetnsSpec): string | undefined {
  if (typeof spec === 'string') {
    checkNetnsName(spec);
    return `${NETNS_RUN_DIR}/${spec}`;
  }
  if ('name' in spec) {
    checkNetnsName(spec.name);
    return `${NETNS_RUN_DIR}/${spec.name}`;
  }
  if ('path' in spec) return spec.path;
  if ('pid' in spec) {
    if (!Number.isInteger(spec.pid) || spec.pid <= 0)
      throw new RtnlError(`invalid pid ${spec.pid}`, 'ERR_RTNL_VALIDATION');
    return `/proc/${spec.pid}/ns/net`;
  }
  return undefined;
}

/** Open a namespace file; the caller closes the fd. For `{ fd }` a duplicate is not made: ownsFd is false. */
export function openNetns(spec: NetnsSpec): { fd: number; owned: boolean } {
  if (typeof spec === 'object' && 'fd' in spec) {
    if (!Number.isInteger(spec.fd) || spec.fd < 0) throw new RtnlError(`invalid fd ${spec.fd}`, 'ERR_RTNL_VALIDATION');
    return { fd: spec.fd, owned: false };
  }
  return { fd: libc.open(netnsPath(spec)!, O_RDONLY | O_CLOEXEC), owned: true };
}

/**
 * Run `fn` synchronously with the calling thread inside the namespace `targetFd`, and come back,
 * even if fn throws. If coming back fails, NetnsRestoreError is thrown (and retried once first).
 */
export function withNetnsFd<T>(targetFd: number, fn: () => T): T {
  const self = libc.open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
  try {
    libc.setns(targetFd, CLONE_NEWNET);
    try {
      return fn();
    } finally {
      try {
        libc.setns(self, CLONE_NEWNET);
      } catch (first) {
        try {
          libc.setns(self, CLONE_NEWNET);
        } catch {
          throw new NetnsRestoreError(first);
        }
      }
    }
  } finally {
    closeQuietly(self);
  }
}

/** Run `fn` synchronously inside the namespace named by `spec`, and come back even if fn throws. */
export function runInNetnsSync<T>(spec: NetnsSpec, fn: () => T): T {
  const { fd, owned } = openNetns(spec);
  try {
    return withNetnsFd(fd, fn);
  } finally {
    if (owned) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    libc.close(fd);
  } catch {
    /* nothing useful to do: the fd is gone either way */
  }
}

/** Make /run/netns a shared mount point, as `ip netns add` does, so mounts propagate. */
function ensureRunDir(): void {
  mkdirSync(NETNS_RUN_DIR, { recursive: true, mode: 0o755 });
  try {
    libc.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
  } catch (err: any) {
    if (err?.code !== 'EINVAL') throw err;
    // Not a mount point yet: bind it onto itself, then make it shared.
    libc.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC);
    libc.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
  }
}

/**
 * Create a named namespace: /run/netns/NAME bind-mounted onto a fresh network namespace.
 * The calling thread unshares into the new namespace only for the bind mount and returns.
 */
export function createNamedNetns(name: string): void {
  checkNetnsName(name);
  ensureRunDir();
  const path = `${NETNS_RUN_DIR}/${name}`;
  try {
    closeSync(openSync(path, fsc.O_RDONLY | fsc.O_CREAT | fsc.O_EXCL, 0o444));
  } catch (err: any) {
    if (err?.code === 'EEXIST') throw new RtnlError(`network namespace "${name}" already exists`, 'EEXIST');
    throw err;
  }
  const self = libc.open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
  try {
    try {
      libc.unshare(CLONE_NEWNET);
      try {
        libc.mount(SELF_NETNS, path, 'none', MS_BIND);
      } finally {
        try {
          libc.setns(self, CLONE_NEWNET);
        } catch (err) {
          throw new NetnsRestoreError(err);
        }
      }
    } catch (err) {
      if (!(err instanceof NetnsRestoreError)) {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }
      throw err;
    }
  } finally {
    closeQuietly(self);
  }
}

/** Delete a named namespace (unmount and remove its file), as `ip netns delete` does. */
export function deleteNamedNetns(name: string): void {
  checkNetnsName(name);
  const path = `${NETNS_RUN_DIR}/${name}`;
  try {
    statSync(path);
  } catch {
    throw new RtnlError(`network namespace "${name}" does not exist`, 'ENOENT');
  }
  try {
    libc.umount2(path, MNT_DETACH);
  } catch (err: any) {
    if (err?.code !== 'EINVAL') throw err; // EINVAL: not mounted (a stale file); remove it anyway
  }
  unlinkSync(path);
}

/**
 * Names under /run/netns, sorted; with `sorted` false, in directory order, as `ip netns list`
 * prints them (readdirSync sorts; an opened directory reads in the kernel's order).
 */
export function listNamedNetns(sorted = true): string[] {
  try {
    if (sorted) return readdirSync(NETNS_RUN_DIR).sort();
    const dir = opendirSync(NETNS_RUN_DIR);
    const names: string[] = [];
    try {
      for (let e = dir.readSync(); e; e = dir.readSync()) names.push(e.name);
    } finally {
      dir.closeSync();
    }
    return names;
  } catch (err: any) {
    if (err?.code === 'ENOENT') return [];
    throw err;
  }
}

/** The inode of the calling thread's namespace (to compare namespaces). */
export function currentNetnsInode(): number {
  return statSync(SELF_NETNS).ino;
}

/** The inode of the namespace a spec names. */
export function netnsInode(spec: NetnsSpec): number {
  const path = netnsPath(spec);
  if (path) return statSync(path).ino;
  return statSync(`/proc/self/fd/${(spec as { fd: number }).fd}`).ino;
}
