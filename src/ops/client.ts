/**
 * Rtnl: a client bound to one network namespace, with the typed operations on top of the
 * request engine.
 */
import { messages } from '../codec/messages.js';
import { RtnlError } from '../errors.js';
import { libc } from '../ffi/libc.js';
import { openNetns, withNetnsFd, type NetnsSpec } from '../ffi/netns.js';
import { IfIndexSocket } from '../ffi/ifindex.js';
import { NetlinkSocket, type SocketOptions } from '../ffi/socket.js';
import { O_CLOEXEC, O_RDONLY } from '../ffi/constants.js';
import { Addresses } from './addresses.js';
import { getLinkMessage } from './common.js';
import { contexts, type OpContext } from './context.js';
import { Engine, type InterruptPolicy } from './engine.js';
import { Ethtool } from './ethtool/index.js';
import { Bridge } from './bridge.js';
import { Genl } from './genl-ops.js';
import { Links } from './links.js';
import { Nsids } from './nsid.js';
import {
  monitor,
  monitorSchemas,
  plainMonitorArgs,
  type MonitorEvent,
  type MonitorGroup,
  type MonitorOptions,
} from './monitor.js';
import { Neighbours } from './neighbours.js';
import { Nexthops } from './nexthops.js';
import { Routes } from './routes.js';
import { Rules } from './rules.js';
import { TunTap } from './tuntap-ops.js';
import { Tc } from './tc.js';
import { check, checkNetns, plain } from './validate.js';
import { schemas } from './zod.js';

const S = schemas((z) => {
  const openSchema = z
    .object({
      netns: z.unknown().optional(), // checked by netnsSpec below, so the error names `netns`
      rcvbuf: z
        .number()
        .int()
        .min(4096)
        .max(1 << 30)
        .optional(),
      onInterrupted: z.enum(['retry', 'partial', 'throw']).optional(),
      onWarning: z.function().optional(),
    })
    .strict();
  return { openSchema };
});

const INTERRUPT_POLICIES = new Set<unknown>(['retry', 'partial', 'throw']);

/**
 * Whether open()'s options are ones the schema accepts unchanged, decided without zod: a plain
 * object whose keys are known and whose values are of the simplest valid forms (netns as a
 * name, { name } or { path }). `rtnl link show` passes `{ onWarning }`, and loading zod for it cost ~35 ms of start-up.
 * A false here only means "ask the schema".
 */
function plainlyValid(o: unknown): boolean {
  if (o === null || typeof o !== 'object' || Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (k === 'onWarning') {
      if (typeof v !== 'function') return false;
    } else if (k === 'rcvbuf') {
      if (!Number.isInteger(v) || (v as number) < 4096 || (v as number) > 1 << 30) return false;
    } else if (k === 'onInterrupted') {
      if (!INTERRUPT_POLICIES.has(v)) return false;
    } else if (k === 'netns') {
      if (!plain.netns(v)) return false;
    } else return false;
  }
  return true;
}

export interface OpenOptions {
  /** The namespace to work in: an `ip netns` name, or { path }, { pid }, { fd }. Default: the current one. */
  netns?: NetnsSpec;
  /** Receive buffer for the request socket (default 1 MiB). */
  rcvbuf?: number;
  /** What to do when a dump is interrupted by concurrent changes (default 'retry'). */
  onInterrupted?: InterruptPolicy;
  /** Called with warnings the kernel attaches to successful requests. Default: process.emitWarning. */
  onWarning?: (message: string, request: string) => void;
}

// Last resort: a client that is garbage collected without close() still releases its fds.
const registry = new FinalizationRegistry<{ sock: { close(): void }; nsFd: number }>((held) => {
  try {
    held.sock.close();
  } catch {
    /* already closed */
  }
  if (held.nsFd >= 0) {
    try {
      libc.close(held.nsFd);
    } catch {
      /* already closed */
    }
  }
});

/** @internal Open a socket in the namespace `nsFd` (or the current one when -1), switching on this thread only. */
export function openSocketIn(nsFd: number, opts: SocketOptions): NetlinkSocket {
  return nsFd < 0 ? NetlinkSocket.open(opts) : withNetnsFd(nsFd, () => NetlinkSocket.open(opts));
}

export class Rtnl {
  /** Links: `ip link`. */
  readonly links: Links;
  /** Addresses: `ip address`. */
  readonly addresses: Addresses;
  /** Routes: `ip route`. */
  readonly routes: Routes;
  /** Neighbours and bridge FDB entries: `ip neigh`, `bridge fdb`. */
  readonly neighbours: Neighbours;
  /** Policy routing rules: `ip rule`. */
  readonly rules: Rules;
  /** tun and tap devices and their queue fds: `ip tuntap`. */
  readonly tuntap: TunTap;
  /** Device settings and counters: `ethtool`. */
  readonly ethtool: Ethtool;
  /** Traffic control: `tc qdisc`, `tc class`, `tc filter`, `tc chain`, `tc actions`. */
  readonly tc: Tc;
  /** Bridge ports and VLANs (`bridge link`, `bridge vlan`); the FDB is in neighbours. */
  readonly bridge: Bridge;
  /** Namespace ids as this namespace assigns them (`ip netns set|list-id`). */
  readonly nsids: Nsids;
  /** Nexthop objects and resilient-group buckets: `ip nexthop`. */
  readonly nexthops: Nexthops;
  /** Generic netlink: every family, its policies, any command, any multicast group: `genl`. */
  readonly genl: Genl;
  /** @internal The request engine (tests and benchmarks reach it; operations get it through their context). */
  readonly engine: Engine;
  /** An fd of this client's namespace (-1: the namespace the process was in at open). */
  readonly #nsFd: number;
  /** What the operations see of this client. */
  readonly #ctx: OpContext;
  readonly #monitors = new Set<NetlinkSocket>();
  readonly #closers = new Set<() => void>();
  readonly #token = {};
  /** The SIOCGIFINDEX socket of linkIndex, made on first use. */
  #ifIndex: IfIndexSocket | undefined;

  private constructor(engine: Engine, nsFd: number, options: OpenOptions) {
    this.engine = engine;
    this.#nsFd = nsFd;
    this.#ctx = {
      engine,
      nsFd,
      options: {
        netns: options.netns,
        onInterrupted: options.onInterrupted,
        rcvbuf: options.rcvbuf,
        onWarning: options.onWarning,
      },
      linkIndex: async (ref) => {
        if (typeof ref === 'number') return ref;
        // One ioctl(SIOCGIFINDEX) in the client's namespace (see ifindex.ts); when it gives
        // nothing, RTM_GETLINK, whose error is the one the caller gets.
        if (!engine.isClosed) {
          const index = (this.#ifIndex ??= new IfIndexSocket(nsFd)).index(ref);
          if (index > 0) return index;
        }
        return (await getLinkMessage(engine, ref)).body.index as number;
      },
      inNetns: (fn) => (nsFd < 0 ? fn() : withNetnsFd(nsFd, fn)),
      openSocket: (opts) => openSocketIn(nsFd, opts),
      trackMonitor: (sock) => {
        this.#monitors.add(sock);
        return () => this.#monitors.delete(sock);
      },
      onClose: (fn) => {
        this.#closers.add(fn);
        return () => this.#closers.delete(fn);
      },
      openIn: async (netns) => {
        const there = await Rtnl.open({ netns });
        return { ...there.#ctx, close: () => there.#closeSync() };
      },
    };
    this.links = new Links(this.#ctx);
    this.addresses = new Addresses(this.#ctx);
    this.routes = new Routes(this.#ctx);
    this.neighbours = new Neighbours(this.#ctx);
    this.rules = new Rules(this.#ctx);
    this.tuntap = new TunTap(this.#ctx);
    this.ethtool = new Ethtool(this.#ctx);
    this.tc = new Tc(this.#ctx);
    this.bridge = new Bridge(this.#ctx);
    this.nsids = new Nsids(this.#ctx);
    this.nexthops = new Nexthops(this.#ctx);
    this.genl = new Genl(this.#ctx);
    registry.register(this, { sock: engine.sock, nsFd }, this.#token);
    contexts.set(this, this.#ctx);
  }

  /**
   * Open a client. With `netns`, its socket is created inside that namespace (the switch happens
   * synchronously on this thread and is undone before open() returns).
   *
   * Equivalent to: ip [-n NETNS] ...
   */
  static async open(options?: OpenOptions): Promise<Rtnl> {
    // No options, or options that plainly pass: zod is not loaded (see zod.ts). Anything else goes
    // through the schema, which accepts the same values and names what is wrong with the others.
    if (options === undefined) options = {};
    else if (!plainlyValid(options)) check(S().openSchema, options, 'options');
    let nsFd = -1;
    if (options.netns !== undefined) {
      const n = options.netns;
      const spec = checkNetns(n, 'netns') as NetnsSpec;
      const opened = openNetns(spec);
      // Keep our own fd: the caller's { fd } may be closed after open() returns.
      nsFd = opened.owned ? opened.fd : libc.open(`/proc/self/fd/${opened.fd}`, O_RDONLY | O_CLOEXEC);
    }
    let sock: NetlinkSocket;
    try {
      sock = openSocketIn(nsFd, { rcvbuf: options.rcvbuf });
    } catch (err) {
      if (nsFd >= 0) libc.close(nsFd);
      throw err;
    }
    const warn =
      options.onWarning ??
      ((message: string, request: string) => process.emitWarning(`${request}: ${message}`, 'RtnlWarning'));
    return new Rtnl(new Engine(sock, messages, warn), nsFd, options);
  }

  /**
   * Watch for changes. Yields typed events until the signal aborts or the loop breaks.
   *
   * Equivalent to: ip monitor link address route
   */
  monitor(groups: MonitorGroup | MonitorGroup[], options: MonitorOptions = {}): AsyncIterable<MonitorEvent> {
    if (this.engine.isClosed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    const list = Array.isArray(groups) ? groups : [groups];
    // Validate now, not at the first next(), so a bad call fails where it is made.
    if (!plainMonitorArgs(list, options)) {
      check(monitorSchemas().monitorGroupsSchema, list, 'groups');
      check(monitorSchemas().monitorOptionsSchema, options, 'options');
    }
    return monitor(this.#ctx, list, options);
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.engine.isClosed;
  }

  /** Close the socket and the namespace fd. Pending requests reject. Idempotent. */
  async close(): Promise<void> {
    this.#closeSync();
  }

  #closeSync(): void {
    if (this.engine.isClosed) return;
    registry.unregister(this.#token);
    for (const m of this.#monitors) m.close();
    this.#monitors.clear();
    for (const fn of this.#closers) fn();
    this.#closers.clear();
    this.ethtool.close();
    this.#ifIndex?.close();
    this.engine.close();
    if (this.#nsFd >= 0) libc.close(this.#nsFd);
  }

  /** For `await using nl = await Rtnl.open()`: closes the client. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#closeSync();
  }

  /** For `using`: closes the client. */
  [Symbol.dispose](): void {
    this.#closeSync();
  }
}
