/**
 * Readiness waiting without blocking the event loop and without holding libuv threadpool threads.
 *
 * Netlink fds are not something libuv can watch for us (Node exposes no generic fd watcher, and
 * net.Socket refuses netlink sockets). So one dedicated worker thread per process blocks in
 * poll(2) over every fd anyone waits on, plus an eventfd used to hand it commands. When an fd
 * becomes readable the worker posts its number to the main thread and stops watching it (one-shot,
 * so a busy socket cannot make it spin); the main thread reads with non-blocking syscalls and
 * re-arms when it wants more. Any number of idle sockets cost this one thread; the fs/dns
 * threadpool is never touched. The worker is started on demand, is unref'd while nobody waits,
 * and is told to quit when nothing has waited for a moment (IDLE_MS) and on process exit (a
 * thread blocked in poll would otherwise stall it); its eventfd is closed once it has exited. So a
 * program that closed every client and monitor holds no rtnl thread or fd.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import { RtnlError } from '../errors.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLIN } from './constants.js';
import { koffiEntry, libc } from './libc.js';

// The worker's source: plain CommonJS, loaded with `eval`, so it works from src/ under tsx and
// from dist/ alike. It uses its own koffi binding of poll/read.
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const lib = koffi.load('libc.so.6');
const poll = lib.func('int poll(void *fds, unsigned long nfds, int timeout)');
const read = lib.func('intptr_t read(int fd, void *buf, size_t len)');
const { efd, flag, port } = workerData;
const watched = new Map(); // fd -> [events, token]
const tmp = Buffer.alloc(8);
let pfd = Buffer.alloc(8 * 64);
for (;;) {
  // Checked before every poll too: the read of the eventfd below may consume the very wake-up
  // that came with a quit request, and poll would then block forever.
  if (Atomics.load(flag, 0) !== 0) break;
  const n = 1 + watched.size;
  if (pfd.length < n * 8) pfd = Buffer.alloc(n * 16);
  pfd.writeInt32LE(efd, 0); pfd.writeInt16LE(1, 4); pfd.writeInt16LE(0, 6);
  const order = [];
  let i = 1;
  for (const [fd, w] of watched) {
    pfd.writeInt32LE(fd, i * 8); pfd.writeInt16LE(w[0], i * 8 + 4); pfd.writeInt16LE(0, i * 8 + 6);
    order.push(fd); i++;
  }
  const r = poll(pfd, n, -1);
  if (Atomics.load(flag, 0) !== 0) break;
  if (r < 0) continue;
  if (pfd.readInt16LE(6) !== 0) {
    read(efd, tmp, 8);
    let m;
    while ((m = receiveMessageOnPort(port))) {
      for (const c of m.message) {
        if (c[0] === 1) watched.set(c[1], [c[2], c[3]]);
        else if (watched.get(c[1])?.[1] === c[3] || c[3] === -1) watched.delete(c[1]);
      }
    }
  }
  const ready = [];
  for (let j = 0; j < order.length; j++) {
    const re = pfd.readInt16LE((j + 1) * 8 + 6);
    const w = watched.get(order[j]);
    if (re !== 0 && w) { ready.push([order[j], re, w[1]]); watched.delete(order[j]); }
  }
  if (ready.length) parentPort.postMessage(ready);
}
port.close(); // nothing else holds the thread: it exits
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

/** One running poller thread with its eventfd, command port and quit flag. */
interface Generation {
  worker: Worker;
  port: MessagePort;
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
  private pending: Array<[number, number, number, number]> = [];
  private wake = new Uint8Array(new BigUint64Array([1n]).buffer);
  private flushQueued = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private exitHooked = false;
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
    const t0 = performance.now();
    for (;;) {
      if (this.gen && this.waiters.size === 0) this.stop();
      if (!this.gen && this.stopping.size === 0) return;
      if (performance.now() - t0 > timeoutMs)
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
    const efd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // Loaded here, not at import: node:worker_threads costs about 1.3 ms of start-up, and only
    // programs that wait on a socket (monitors, slow replies) start the poller.
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    const { port1, port2 } = new threads.MessageChannel();
    // Each thread has its own quit flag: an old thread still quitting never sees a new one's.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new threads.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { koffi: koffiEntry(), efd, flag, port: port2 },
      transferList: [port2],
      // Not the process's flags: with --input-type=module the eval'd source would be an ES module
      // (no `require`), and loaders given with --import would load again in this thread.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const online = new Promise<void>((resolve) => worker.once('online', () => resolve()));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        // The thread is gone: nothing polls the eventfd any more, so it can be closed.
        port1.close();
        libc.close(efd);
        if (this.gen?.worker === worker) this.gen = undefined;
        resolve();
      }),
    );
    const gen: Generation = { worker, port: port1, efd, flag, online, exited };
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
      process.once('exit', () => this.stop());
    }
    return gen;
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

  private send(cmd: [number, number, number, number]): void {
    this.pending.push(cmd);
    // Commands issued in the same tick share one wake-up of the worker.
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      const batch = this.pending;
      this.pending = [];
      // Commands for a thread that has since been told to quit are moot: it watches nothing more.
      const gen = this.gen;
      if (!gen) return;
      gen.port.postMessage(batch);
      libc.write(gen.efd, this.wake);
    });
  }

  private updateRef(): void {
    const gen = this.gen;
    if (!gen) return;
    if (this.waiters.size > 0) {
      gen.worker.ref();
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    } else {
      gen.worker.unref();
      // Nothing waits: stop the thread (and close its fds) unless a wait comes soon.
      if (!this.idleTimer) {
        this.idleTimer = setTimeout(() => {
          this.idleTimer = undefined;
          if (this.waiters.size === 0) this.stop();
        }, this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  /** Resolve with poll revents when `fd` is ready for `events`; reject on cancel/abort. */
  wait(fd: number, events = POLLIN, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(new WaitCancelledError('aborted'));
    this.start();
    if (this.waiters.has(fd)) return Promise.reject(new RtnlError(`fd ${fd} already has a waiter`, 'EBUSY'));
    const token = this.nextToken++;
    return new Promise<number>((resolve, reject) => {
      const w: Waiter = { token, resolve, reject };
      if (signal) {
        const onAbort = () => this.cancel(fd, new WaitCancelledError('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        w.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiters.set(fd, w);
      this.send([1, fd, events, token]);
      this.updateRef();
    });
  }

  /** Stop waiting on `fd` (before it is closed). A pending wait is rejected. */
  cancel(fd: number, reason: unknown = new WaitCancelledError('the socket was closed')): void {
    const w = this.waiters.get(fd);
    if (!w) return;
    this.waiters.delete(fd);
    w.cleanup?.();
    this.send([0, fd, 0, w.token]);
    this.updateRef();
    w.reject(reason);
  }
}

/** The process-wide poller. */
export const poller = new Poller();
