/**
 * The libc shim: the only place rtnl touches native code, through koffi's prebuilt binaries.
 *
 * Every wrapper throws SysError {syscall, errno, code} on failure. Calls are synchronous: setns
 * changes only the calling thread, so namespace switching must stay on the main thread, and
 * netlink request/reply traffic is non-blocking (the kernel answers inside sendmsg/recvmsg).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EINVAL, ERRNO_NAMES } from '../errno.js';
import { SysError } from '../errors.js';

const requireHere = createRequire(import.meta.url);

/** The first `koffi/` on this module's node_modules lookup path, as Node finds it. */
interface KoffiPackage {
  /** The package's directory. */
  dir: string;
  /** Its CommonJS entry: the `require` target of its package.json "exports". */
  entry: string | undefined;
  version: string | undefined;
}

/**
 * koffi's package, found as Node finds it. Node's own `require('koffi')` reads the package's
 * exports with its ES module resolver, which it loads for that alone: about 2 ms of every one-shot
 * program's start-up (30 alternating runs of `rtnl link show`, 0.98x). Undefined for anything else
 * (another layout, Yarn's Plug'n'Play): that is left to Node.
 */
function findKoffi(): KoffiPackage | undefined {
  for (const dir of requireHere.resolve.paths('koffi') ?? []) {
    let pkg: { version?: unknown; exports?: { '.'?: { require?: unknown } } };
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'koffi', 'package.json'), 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return undefined;
    }
    const target = pkg.exports?.['.']?.require;
    return {
      dir: join(dir, 'koffi'),
      entry: typeof target === 'string' && target.startsWith('./') ? join(dir, 'koffi', target) : undefined,
      version: typeof pkg.version === 'string' ? pkg.version : undefined,
    };
  }
  return undefined;
}

/** The name of musl's dynamic loader for a Node architecture, where rtnl loads koffi's binary itself. */
const MUSL_LOADER: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };

/**
 * koffi's prebuilt binary for Linux on x64 or arm64 with glibc, loaded as koffi's own loader would
 * load it (`@koromix/koffi-linux-ARCH/linux_ARCH/koffi.node`, next to koffi or inside it), when
 * its version is koffi's. koffi's loader finds the same file through its JavaScript: it resolves
 * the platform package and reads the node binary's ELF header to tell glibc from musl, which cost
 * 3-4 ms of every one-shot program (the binary itself loads in 1.2 ms). `rtnl link show`, two
 * sets of 40 alternating runs: 0.96x and 0.97x. Anything else (musl, another platform or layout,
 * another version) returns undefined, and koffi's loader decides. The binary is the same either
 * way; koffi's loader only adds wrappers for its deprecated functions, which rtnl does not use.
 */
function loadPrebuilt(k: KoffiPackage): { native: unknown; file: string } | undefined {
  const musl = MUSL_LOADER[process.arch];
  if (process.platform !== 'linux' || musl === undefined || k.version === undefined) return undefined;
  if (existsSync(`/lib/ld-musl-${musl}.so.1`)) return undefined;
  const where = join(`@koromix/koffi-linux-${process.arch}`, `linux_${process.arch}`, 'koffi.node');
  for (const file of [join(k.dir, 'node_modules', where), join(dirname(k.dir), where)]) {
    if (!existsSync(file)) continue;
    try {
      const native = requireHere(file) as { version?: unknown };
      return native.version === k.version ? { native, file } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const koffiPackage = findKoffi();
const prebuilt = koffiPackage && loadPrebuilt(koffiPackage);

// Otherwise Node resolves it: with a literal `require('koffi')` in the bundles (dist/*.cjs, where
// `require` exists), so that tools which trace dependencies by reading code (bundlers, deployment
// file tracers) still see that rtnl needs koffi.
const koffi = (prebuilt?.native ??
  (koffiPackage?.entry
    ? requireHere(koffiPackage.entry)
    : typeof require === 'function'
      ? require('koffi')
      : requireHere('koffi'))) as typeof import('koffi').default;

const lib = koffi.load('libc.so.6');

// Unnamed types: koffi's type names are process-wide, so two copies of rtnl in one process (two
// dependencies with their own copy, or the library and the CLI bundle) would clash on a name.
const iovec = koffi.struct({ base: 'void *', len: 'size_t' });
const msghdr = koffi.struct({
  name: 'void *',
  namelen: 'uint32_t',
  iov: koffi.pointer(iovec),
  iovlen: 'size_t',
  control: 'void *',
  controllen: 'size_t',
  flags: 'int',
});

// struct ifreq as SIOCETHTOOL reads it: ifr_name[IFNAMSIZ], then ifr_data (a pointer) in the
// 24-byte union.
const ifreqData = koffi.struct({
  name: koffi.array('uint8', 16, 'Typed'),
  data: 'void *',
  pad: koffi.array('uint8', 16, 'Typed'),
});

const c = {
  ioctlData: lib.func('ioctl', 'int', ['int', 'unsigned long', koffi.pointer(ifreqData)]),
  recvmsg: lib.func('recvmsg', 'intptr_t', ['int', koffi.inout(koffi.pointer(msghdr)), 'int']),
  socket: lib.func('int socket(int domain, int type, int protocol)'),
  bind: lib.func('int bind(int fd, const void *addr, uint32_t addrlen)'),
  getsockname: lib.func('int getsockname(int fd, void *addr, _Inout_ uint32_t *addrlen)'),
  setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)'),
  getsockopt: lib.func('int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)'),
  sendto: lib.func(
    'intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)',
  ),
  recvfrom: lib.func(
    'intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, _Inout_ uint32_t *addrlen)',
  ),
  poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
  close: lib.func('int close(int fd)'),
  setns: lib.func('int setns(int fd, int nstype)'),
  unshare: lib.func('int unshare(int flags)'),
  open: lib.func('int open(const char *path, int flags, uint32_t mode)'),
  mount: lib.func(
    'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)',
  ),
  umount2: lib.func('int umount2(const char *target, int flags)'),
  eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
  epollCreate1: lib.func('int epoll_create1(int flags)'),
  epollCtl: lib.func('int epoll_ctl(int epfd, int op, int fd, void *event)'),
  write: lib.func('intptr_t write(int fd, const void *buf, size_t len)'),
  read: lib.func('intptr_t read(int fd, void *buf, size_t len)'),
  gettid: lib.func('int gettid()'),
  // ioctl is variadic; these are its two shapes here (x86_64 passes both in the same register).
  ioctlPtr: lib.func('ioctl', 'int', ['int', 'unsigned long', 'void *']),
  ioctlVal: lib.func('ioctl', 'int', ['int', 'unsigned long', 'unsigned long']),
};

export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `E${errno}`;
}

/** The SysError for the errno of the call that just failed. */
export function sysError(syscall: string, detail?: string): SysError {
  const errno = koffi.errno();
  return new SysError(syscall, errno, errnoName(errno), detail);
}

function check(syscall: string, ret: number | bigint, detail?: string): number {
  const n = Number(ret);
  if (n < 0) throw sysError(syscall, detail);
  return n;
}

/**
 * A test seam: when set, called before each wrapped syscall with its name; throwing from it
 * simulates that call failing. Used by the fault-injection tests of namespace switching.
 */
export const faults: { before?: (syscall: string) => void } = {};

const seam = (name: string) => faults.before?.(name);

/** recvfrom's in/out address length, reused: calls are synchronous, so one word serves them all. */
const addrLen = new Uint32Array(1);

export const libc = {
  socket(domain: number, type: number, protocol: number): number {
    seam('socket');
    return check('socket', c.socket(domain, type, protocol));
  },
  bind(fd: number, addr: Uint8Array): void {
    check('bind', c.bind(fd, addr, addr.length));
  },
  getsockname(fd: number, addr: Uint8Array): number {
    const len = [addr.length];
    check('getsockname', c.getsockname(fd, addr, len));
    return len[0]!;
  },
  setsockopt(fd: number, level: number, name: number, value: number): void {
    const b = new Int32Array([value]);
    check('setsockopt', c.setsockopt(fd, level, name, b, 4), `option ${name}`);
  },
  /** setsockopt that reports failure as its errno instead of throwing. */
  trySetsockopt(fd: number, level: number, name: number, value: number): number {
    const b = new Int32Array([value]);
    return c.setsockopt(fd, level, name, b, 4) < 0 ? koffi.errno() : 0;
  },
  getsockoptInt(fd: number, level: number, name: number): number {
    const b = new Int32Array(1);
    check('getsockopt', c.getsockopt(fd, level, name, b, [4]), `option ${name}`);
    return b[0]!;
  },
  /** sendto; returns bytes sent, or -errno for EAGAIN/EINTR/ENOBUFS-style soft failures. */
  sendto(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array): number {
    const n = Number(c.sendto(fd, buf, len, flags, addr, addr.length));
    return n < 0 ? -koffi.errno() : n;
  },
  /**
   * sendto on a libuv threadpool thread, for requests the kernel may take milliseconds to carry
   * out inside sendmsg (creating, deleting or moving links). Holds the thread only for that call.
   */
  sendtoAsync(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array): Promise<number> {
    return new Promise((resolve) => {
      c.sendto.async(fd, buf, len, flags, addr, addr.length, (err: unknown, n: number | bigint) => {
        // errno lives on the pool thread, out of our reach: report failure as -1 and let the
        // caller retry synchronously to learn it (a refused datagram was not taken by the kernel).
        resolve(err || Number(n) < 0 ? -1 : Number(n));
      });
    });
  },
  /**
   * recvfrom; returns the datagram length (with MSG_TRUNC, its full length) or -errno. `addr`
   * receives the sender's address; null asks for none (a sizing read with MSG_PEEK).
   */
  recvfrom(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array | null): number {
    let n: number;
    if (addr === null) n = Number(c.recvfrom(fd, buf, len, flags, null, null));
    else {
      // A typed array goes to C as a pointer; an array ([addr.length]) would be converted both ways
      // on every call. With the sizing read's address, that cost about 1.5 us of the 15 us an
      // address add or delete takes (2,000 of each, one at a time).
      addrLen[0] = addr.length;
      n = Number(c.recvfrom(fd, buf, len, flags, addr, addrLen));
    }
    return n < 0 ? -koffi.errno() : n;
  },
  /**
   * recvmsg with one iovec and a control buffer; returns the length (or -errno) and sets
   * `out.controllen` / `out.flags` as the kernel left them.
   */
  recvmsg(
    fd: number,
    buf: Uint8Array,
    flags: number,
    addr: Uint8Array,
    control: Uint8Array,
    out: { controllen: number; flags: number },
  ): number {
    const hdr = {
      name: addr,
      namelen: addr.length,
      iov: [{ base: buf, len: buf.length }],
      iovlen: 1,
      control,
      controllen: control.length,
      flags: 0,
    };
    const n = Number(c.recvmsg(fd, hdr, flags));
    out.controllen = Number(hdr.controllen);
    out.flags = hdr.flags;
    return n < 0 ? -koffi.errno() : n;
  },
  /**
   * ioctl(fd, request, &ifreq) with ifr_name = `ifname` (at most 15 bytes) and ifr_data pointing
   * at `data`, which the kernel reads and writes in place. Returns 0, or -errno.
   */
  ioctlIfreqData(fd: number, request: number, ifname: string, data: Uint8Array): number {
    seam('ioctl');
    const name = new Uint8Array(16);
    const { read } = new TextEncoder().encodeInto(ifname, name.subarray(0, 15));
    if (read !== ifname.length) return -EINVAL; // the name does not fit
    const n = c.ioctlData(fd, request, { name, data, pad: new Uint8Array(16) });
    return n < 0 ? -koffi.errno() : n;
  },
  poll(fds: Uint8Array, nfds: number, timeout: number): number {
    return check('poll', c.poll(fds, nfds, timeout));
  },
  close(fd: number): void {
    seam('close');
    check('close', c.close(fd));
  },
  /**
   * close(2) on a libuv threadpool thread. Closing the last fd of a tun/tap device tears the
   * device down inside close() (RCU grace periods, ~16 ms here), which must not block the event
   * loop. The fd number is released by the kernel whatever close returns, so this never fails;
   * it resolves with close's return value (0, or -1 whose errno stayed on the pool thread).
   */
  closeAsync(fd: number): Promise<number> {
    return new Promise((resolve) => {
      c.close.async(fd, (err: unknown, n: number) => resolve(err ? -1 : n));
    });
  },
  /** ioctl(fd, request, buf): the kernel reads and/or writes `buf`. `what` names the call in errors. */
  ioctl(fd: number, request: number, buf: Uint8Array, what: string): number {
    seam('ioctl');
    return check('ioctl', c.ioctlPtr(fd, request, buf), what);
  },
  /** ioctl(fd, request, value): the argument is a number, not a pointer (TUNSETPERSIST, TUNSETOWNER, ...). */
  ioctlValue(fd: number, request: number, value: number, what: string): number {
    seam('ioctl');
    return check('ioctl', c.ioctlVal(fd, request, value), what);
  },
  setns(fd: number, nstype: number): void {
    seam('setns');
    check('setns', c.setns(fd, nstype));
  },
  unshare(flags: number): void {
    seam('unshare');
    check('unshare', c.unshare(flags));
  },
  open(path: string, flags: number, mode = 0): number {
    seam('open');
    return check('open', c.open(path, flags, mode), path);
  },
  mount(source: string | null, target: string, fstype: string | null, flags: number): void {
    seam('mount');
    check('mount', c.mount(source, target, fstype, flags, null), target);
  },
  umount2(target: string, flags: number): void {
    seam('umount2');
    check('umount2', c.umount2(target, flags), target);
  },
  eventfd(initval: number, flags: number): number {
    return check('eventfd', c.eventfd(initval, flags));
  },
  epollCreate1(flags: number): number {
    return check('epoll_create1', c.epollCreate1(flags));
  },
  /** epoll_ctl(2) with a struct epoll_event already laid out in `event`. Returns 0, or -errno. */
  epollCtl(epfd: number, op: number, fd: number, event: Uint8Array | null): number {
    return c.epollCtl(epfd, op, fd, event) < 0 ? -koffi.errno() : 0;
  },
  write(fd: number, buf: Uint8Array): number {
    return check('write', c.write(fd, buf, buf.length));
  },
  read(fd: number, buf: Uint8Array): number {
    const n = Number(c.read(fd, buf, buf.length));
    return n < 0 ? -koffi.errno() : n;
  },
  gettid(): number {
    return c.gettid();
  },
};

/** The file this thread loaded koffi from, for the poller worker to load the same. */
export const koffiEntry = (): string => prebuilt?.file ?? koffiPackage?.entry ?? requireHere.resolve('koffi');

/**
 * How koffi was loaded: its prebuilt binary by rtnl ('prebuilt'), or through koffi's own loader.
 * @internal For the tests.
 */
export const koffiLoad: 'prebuilt' | 'package' = prebuilt ? 'prebuilt' : 'package';
