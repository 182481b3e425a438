/**
 * Readiness waiting without blocking the event loop and without holding libuv threadpool threads.
 *
 * Netlink fds are not something libuv can watch for us (Node exposes no generic fd watcher, and
 * net.Socket refuses netlink sockets). So one dedicated worker thread per process blocks in
 * epoll_wait(2) on an epoll set of every fd anyone waits on. The main thread arms an fd itself,
 * with epoll_ctl(EPOLLONESHOT): the kernel lets that take effect on a set another thread is
 * waiting on, so arming costs one syscall and never wakes the thread. When an fd becomes ready
 * the kernel disarms it (one-shot, so a busy socket cannot make the thread spin) and the thread
 * posts its number to the main thread, which reads with non-blocking syscalls and re-arms when it
 * wants more. (The thread used to poll(2) a list it was sent by message; re-arming then took a
 * message, an eventfd write and a wake-up of the thread, which made up about half of what a
 * monitor paid per event.) Any number of idle sockets cost this one thread; the fs/dns
 * threadpool is never touched. The worker is started on demand, is unref'd while nobody waits,
 * and is told to quit, through an eventfd in its set, when nothing has waited for a moment
 * (IDLE_MS) and on process exit (a thread blocked in epoll_wait would otherwise stall it); its
 * eventfd and epoll fd are closed once it has exited. So a program that closed every client and
 * monitor holds no rtnl thread or fd.
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { EEXIST, ENOENT } from '../errno.js';
import { RtnlError, SysError } from '../errors.js';
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLLIN,
  EPOLLONESHOT,
  POLLIN,
} from './constants.js';
import { errnoName, koffiEntry, libc } from './libc.js';
import { nowMs } from '../clock.js';

/**
 * struct epoll_event: u32 events, then u64 data, packed on x86_64 (12 bytes) and naturally
 * aligned elsewhere (16). The data word holds the fd (low half) and the wait's token (high half);
 * token 0 marks the quit eventfd.
 */
const EVENT_SIZE = process.arch === 'x64' ? 12 : 16;
const DATA_AT = EVENT_SIZE - 8;

// The worker's source: plain CommonJS, loaded with `eval`, so it works from src/ under tsx and
// from dist/ alike. It uses its own koffi binding of epoll_wait.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const lib = koffi.load('libc.so.6');
const epollWait = lib.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
const { epfd, flag, size, at } = workerData;
const MAX = 64;
const ev = Buffer.alloc(size * MAX);
// Set up: koffi's addon is initialised, so the thread may now be stopped at any moment.
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
for (;;) {
  // Checked before every wait too: a quit request may come while the thread is busy posting.
  if (Atomics.load(flag, 0) !== 0) break;
  const r = epollWait(epfd, ev, MAX, -1);
  if (Atomics.load(flag, 0) !== 0) break;
  if (r <= 0) continue; // EINTR
  const ready = [];
  for (let i = 0; i < r; i++) {
    const o = i * size;
    const token = ev.readUInt32LE(o + at + 4);
    if (token !== 0) ready.push([ev.readInt32LE(o + at), ev.readUInt32LE(o), token]);
  }
  if (ready.length) parentPort.postMessage(ready);
}
`;

interface Waiter {
  token: number;
  resolve: (revents: number) => void;
  reject: (err: unknown) => void;
  cleanup?: () => void;
}

/** Thrown into a wait that was cancelled by close() or an AbortSignal. */
export class WaitCancelledError extends RtnlError {
  constructor(reason = 'the wait was cancelled') {
    super(reason, 'ABORT_ERR');
  }
}

/** One running poller thread with its epoll set, quit eventfd and quit flag. */
interface Generation {
  worker: Worker;
  epfd: number;
  /** The fds in the set (armed, or disarmed by their one-shot firing). */
  inSet: Set<number>;
  efd: number;
  flag: Int32Array;
  online: Promise<void>;
  exited: Promise<void>;
}

/**
 * How long the thread stays up with nothing waiting before it is stopped. Long enough that a
 * monitor re-arming after each read, or a client between requests, does not restart it; short
 * enough that a program that closed every client holds no rtnl thread or fd soon after.
 */
const IDLE_MS = 200;

class Poller {
  private gen: Generation | undefined;
  /** Generations told to quit whose threads have not exited yet. */
  private stopping = new Set<Promise<void>>();
  private waiters = new Map<number, Waiter>();
  private nextToken = 1;
  private wake = new Uint8Array(new BigUint64Array([1n]).buffer);
  private event = new Uint8Array(EVENT_SIZE);
  private eventView = new DataView(this.event.buffer);
  private idleTimer: NodeJS.Timeout | undefined;
  /** When the last wait ended (nowMs()). */
  private idleSince = 0;
  private exitHooked = false;
  /** The flags of every thread started and not yet exited: waitForSetUp() reads them at exit. */
  private readonly starting = new Set<Int32Array>();
  /** Idle time before the thread stops (tests shorten or lengthen it). */
  idleMs = IDLE_MS;

  /** Resolves once the poller thread has started (for tests that count threads and fds). */
  async whenOnline(): Promise<void> {
    const gen = this.start();
    gen.worker.ref(); // keep the process alive until the thread is up
    try {
      await gen.online;
    } finally {
      this.updateRef();
    }
  }

  /**
   * Resolves once no poller thread is running: at once when nothing waits (the idle delay is
   * skipped), else when the last wait ends and the thread has exited. For tests that count
   * threads and fds, and for programs that want to know every rtnl thread is gone.
   */
  async whenStopped(timeoutMs = 5000): Promise<void> {
    const t0 = nowMs();
    for (;;) {
      if (this.gen && this.waiters.size === 0) this.stop();
      if (!this.gen && this.stopping.size === 0) return;
      if (nowMs() - t0 > timeoutMs)
        throw new RtnlError(
          `the poller thread is still running after ${timeoutMs} ms: ${this.waiters.size} waits (fds ${[...this.waiters.keys()].join(', ')}), ${this.stopping.size} threads quitting`,
          'ETIMEDOUT',
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Whether the poller thread is running (for tests and diagnostics). */
  get running(): boolean {
    return this.gen !== undefined;
  }

  private start(): Generation {
    if (this.gen) return this.gen;
    const epfd = libc.epollCreate1(EPOLL_CLOEXEC);
    let efd: number;
    try {
      efd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    } catch (err) {
      libc.close(epfd);
      throw err;
    }
    // The quit eventfd: level-triggered, token 0.
    const ctl = this.ctl(epfd, EPOLL_CTL_ADD, efd, EPOLLIN, 0);
    if (ctl < 0) {
      libc.close(efd);
      libc.close(epfd);
      throw new SysError('epoll_ctl', -ctl, errnoName(-ctl), "adding the poller's eventfd");
    }
    // Loaded here, not at import: node:worker_threads costs about 1.3 ms of start-up, and only
    // programs that wait on a socket (monitors, slow replies) start the poller.
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    // Each thread has its own flags: [0] quit (an old thread still quitting never sees a new
    // one's), [1] set up (see waitForSetUp).
    const flag = new Int32Array(new SharedArrayBuffer(8));
    this.starting.add(flag);
    const worker = new threads.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { koffi: koffiEntry(), epfd, flag, size: EVENT_SIZE, at: DATA_AT },
      // Not the process's flags: with --input-type=module the eval'd source would be an ES module
      // (no `require`), and loaders given with --import would load again in this thread.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const online = new Promise<void>((resolve) => worker.once('online', () => resolve()));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        this.starting.delete(flag);
        // The thread is gone: nothing waits on the set any more, so both fds can be closed.
        libc.close(efd);
        libc.close(epfd);
        if (this.gen?.worker === worker) this.gen = undefined;
        resolve();
      }),
    );
    const gen: Generation = { worker, epfd, inSet: new Set(), efd, flag, online, exited };
    worker.on('message', (ready: Array<[number, number, number]>) => {
      if (this.gen !== gen) return;
      for (const [fd, revents, token] of ready) {
        const w = this.waiters.get(fd);
        if (!w || w.token !== token) continue;
        this.waiters.delete(fd);
        w.cleanup?.();
        w.resolve(revents);
      }
      this.updateRef();
    });
    worker.on('error', (err) => {
      if (this.gen !== gen) return;
      for (const w of this.waiters.values()) w.reject(err);
      this.waiters.clear();
      this.gen = undefined;
    });
    worker.unref();
    this.gen = gen;
    if (!this.exitHooked) {
      this.exitHooked = true;
      process.once('exit', () => {
        this.stop();
        this.waitForSetUp();
      });
    }
    return gen;
  }

  /**
   * At process exit, Node stops worker threads. A thread stopped while koffi's addon is being
   * initialised in it aborts the whole process (node-addon-api's napi_throw fails during the stop:
   * "FATAL ERROR: Error::ThrowAsJavaScriptException"), so a program that exits a few ms after its
   * first wait started the thread could die with SIGABRT. Wait here, synchronously and for at most
   * 2 s, until every thread started has finished setting up (a few ms); it then quits at once.
   */
  private waitForSetUp(): void {
    for (const flag of this.starting) if (Atomics.load(flag, 1) === 0) Atomics.wait(flag, 1, 0, 2000);
  }

  /** Tell the current thread to quit (idle, or process exit). Synchronous; the fd closes on exit. */
  private stop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const gen = this.gen;
    if (!gen) return;
    this.gen = undefined;
    // Held until it has exited (a few ms), so whoever awaits whenStopped() sees it happen.
    gen.worker.ref();
    Atomics.store(gen.flag, 0, 1);
    libc.write(gen.efd, this.wake);
    const p = gen.exited.then(() => {
      this.stopping.delete(p);
    });
    this.stopping.add(p);
  }

  /** epoll_ctl with the event laid out for `fd` and `token`. Returns 0, or -errno. */
  private ctl(epfd: number, op: number, fd: number, events: number, token: number): number {
    const v = this.eventView;
    v.setUint32(0, events, true);
    v.setInt32(DATA_AT, fd, true);
    v.setUint32(DATA_AT + 4, token, true);
    return libc.epollCtl(epfd, op, fd, this.event);
  }

  /** Arm `fd` for one readiness report: add it to the set, or re-arm it if it is there. */
  private arm(gen: Generation, fd: number, events: number, token: number): void {
    const flags = events | EPOLLONESHOT;
    let r: number;
    if (gen.inSet.has(fd)) {
      r = this.ctl(gen.epfd, EPOLL_CTL_MOD, fd, flags, token);
      // The fd was closed without cancel() (the kernel dropped it from the set) and its number reused.
      if (r === -ENOENT) r = this.ctl(gen.epfd, EPOLL_CTL_ADD, fd, flags, token);
    } else {
      r = this.ctl(gen.epfd, EPOLL_CTL_ADD, fd, flags, token);
      if (r === -EEXIST) r = this.ctl(gen.epfd, EPOLL_CTL_MOD, fd, flags, token);
    }
    if (r < 0) {
      gen.inSet.delete(fd);
      throw new SysError('epoll_ctl', -r, errnoName(-r), `waiting on fd ${fd}`);
    }
    gen.inSet.add(fd);
  }

  private updateRef(): void {
    const gen = this.gen;
    if (!gen) return;
    if (this.waiters.size > 0) {
      gen.worker.ref();
      return;
    }
    gen.worker.unref();
    // Nothing waits: stop the thread (and close its fds) unless a wait comes soon. One timer
    // serves many idle moments: a monitor is idle for an instant after every read, and setting
    // and clearing a timer each time cost it about 6 µs per event.
    this.idleSince = nowMs();
    if (!this.idleTimer) this.armIdleTimer(this.idleMs);
  }

  private armIdleTimer(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.waiters.size > 0) return; // busy again; the next idle moment sets a new timer
      const left = this.idleSince + this.idleMs - nowMs();
      if (left > 1) this.armIdleTimer(left);
      else this.stop();
    }, ms);
    this.idleTimer.unref();
  }

  /** Resolve with the epoll revents when `fd` is ready for `events` (POLLIN, POLLOUT: epoll's numbers); reject on cancel/abort. */
  wait(fd: number, events = POLLIN, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(new WaitCancelledError('aborted'));
    if (this.waiters.has(fd)) return Promise.reject(new RtnlError(`fd ${fd} already has a waiter`, 'EBUSY'));
    // A nonzero u32: the token travels in the high half of the event's data word.
    const token = this.nextToken;
    this.nextToken = token >= 0xffffffff ? 1 : token + 1;
    return new Promise<number>((resolve, reject) => {
      const w: Waiter = { token, resolve, reject };
      if (signal) {
        const onAbort = () => this.cancel(fd, new WaitCancelledError('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        w.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      const gen = this.start();
      try {
        this.arm(gen, fd, events, token);
      } catch (err) {
        w.cleanup?.();
        this.updateRef();
        reject(err);
        return;
      }
      this.waiters.set(fd, w);
      this.updateRef();
    });
  }

  /** Stop waiting on `fd` (before it is closed). A pending wait is rejected. */
  cancel(fd: number, reason: unknown = new WaitCancelledError('the socket was closed')): void {
    // Out of the set even with no wait pending: a disarmed fd stays in it until removed.
    const gen = this.gen;
    if (gen?.inSet.delete(fd)) libc.epollCtl(gen.epfd, EPOLL_CTL_DEL, fd, null);
    const w = this.waiters.get(fd);
    if (!w) return;
    this.waiters.delete(fd);
    w.cleanup?.();
    this.updateRef();
    w.reject(reason);
  }
}

/** The process-wide poller. */
export const poller = new Poller();
