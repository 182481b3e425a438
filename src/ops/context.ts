/**
 * OpContext: the narrow view of a client that the typed operations work through. The client
 * (client.ts) builds one and hands it to each op class; op classes never see the client itself,
 * so src/ops has no import circle: client.ts imports the op classes, they import this module,
 * and this module imports no op class. The package entry does not export it.
 */
import type { NetnsSpec } from '../ffi/netns.js';
import type { NetlinkSocket, SocketOptions } from '../ffi/socket.js';
import type { Engine, InterruptPolicy } from './engine.js';

/** The open options that operations read. */
export interface ContextOptions {
  /** The namespace the client was opened in, as given (monitor events carry it). */
  readonly netns?: NetnsSpec;
  /** The dump interruption policy. */
  readonly onInterrupted?: InterruptPolicy;
  /** The receive buffer asked for the client's sockets. */
  readonly rcvbuf?: number;
  /** Where warnings go (engines other than the client's own take it too). */
  readonly onWarning?: (message: string, request: string) => void;
}

/** What an operation may use of its client. */
export interface OpContext {
  /** The request engine over the client's socket. */
  readonly engine: Engine;
  /** An fd of the client's namespace, -1 for the process's own (to open /dev/net/tun there). */
  readonly nsFd: number;
  /** The client's options. */
  readonly options: ContextOptions;
  /**
   * Resolve a link reference to its ifindex: a number is returned as is, a name costs one
   * RTM_GETLINK. Requests made in the same tick share one round trip, so resolve the names of a
   * call together (resolveLinks in common.ts). The ref must be validated already. A missing name
   * rejects with NetlinkError ENODEV naming the link.
   */
  linkIndex(ref: string | number): Promise<number>;
  /** Run `fn` with this thread in the client's namespace (a create hook making a device there). */
  inNetns<T>(fn: () => T): T;
  /** A netlink socket in the client's namespace (the caller closes it). */
  openSocket(opts: SocketOptions): NetlinkSocket;
  /** Register a monitor socket, closed with the client. Returns the unregister function. */
  trackMonitor(sock: NetlinkSocket): () => void;
  /** Run `fn` when the client closes (its generic netlink engine, ...). Returns the unregister function. */
  onClose(fn: () => void): () => void;
  /** A short-lived context in another namespace (for reading back what was created there). Close it. */
  openIn(netns: NetnsSpec): Promise<OpContext & { close(): void }>;
}

/**
 * Each client's context, for code that is handed the client itself (resolveFamily(nl, ...) in genl-client.ts).
 * client.ts fills it; keyed by the client object, so this module needs no client type.
 */
export const contexts = new WeakMap<object, OpContext>();

/** The context of a client. */
export function contextOf(nl: object): OpContext {
  const ctx = contexts.get(nl);
  if (ctx === undefined) throw new TypeError('not an rtnl client');
  return ctx;
}
