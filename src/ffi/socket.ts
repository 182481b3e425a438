/**
 * NetlinkSocket: a netlink socket with rtnl's correct-by-default profile.
 *
 * - NETLINK_EXT_ACK, NETLINK_CAP_ACK and NETLINK_GET_STRICT_CHK on;
 * - SO_RCVBUF 1 MiB by default (SO_RCVBUFFORCE when permitted, so it is not capped by rmem_max);
 * - bound to port 0, the kernel-assigned port read back with getsockname;
 * - each datagram sized with MSG_PEEK|MSG_TRUNC first (32 KiB floor), so none is ever cut short;
 * - datagrams whose sender is not the kernel (nl_pid != 0) are dropped;
 * - non-blocking: reads return null when nothing is queued, and waitReadable() parks on the
 *   shared poller thread, never on the event loop or the libuv threadpool.
 */
import { RtnlError } from '../errors.js';
import {
  AF_NETLINK,
  MSG_DONTWAIT,
  MSG_PEEK,
  MSG_TRUNC,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_NETLINK,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SOL_SOCKET,
  POLLIN,
} from './constants.js';
import { errnoName, libc } from './libc.js';
import { poller } from './poller.js';
import { SysError } from '../errors.js';
import { EAGAIN, EINTR, ENOBUFS, EPERM } from '../errno.js';
// Kernel numbers are data: src/ffi reads the codec's generated <linux/netlink.h> constants.
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_LISTEN_ALL_NSID,
  NETLINK_ROUTE,
} from '../codec/constants/netlink.js';

export const DEFAULT_RCVBUF = 1 << 20;
export const RECV_FLOOR = 32 * 1024;

export interface SocketOptions {
  /** Netlink protocol (default NETLINK_ROUTE). */
  protocol?: number;
  /** Receive buffer in bytes (default 1 MiB). Forced past rmem_max when the process may. */
  rcvbuf?: number;
  /** Multicast group ids to join with NETLINK_ADD_MEMBERSHIP (not the bind-time bitmask). */
  groups?: number[];
  /** Receive events from every namespace that has an nsid here (NETLINK_LISTEN_ALL_NSID). */
  listenAllNsid?: boolean;
  /** Turn off GET_STRICT_CHK (on by default). */
  strict?: boolean;
  /**
   * Largest datagram to accept (default: no limit; the buffer grows to fit). A larger one is
   * consumed and reported with TruncatedError, never silently cut short.
   */
  maxDatagram?: number;
}

/** A datagram larger than our buffer could not be read whole. Never silent. */
export class TruncatedError extends RtnlError {
  constructor(len: number, size: number) {
    super(`netlink datagram of ${len} bytes was truncated to ${size}`, 'ERR_RTNL_TRUNCATED');
  }
}

export class NetlinkSocket {
  readonly fd: number;
  /** The kernel-assigned port id (nl_pid) of this socket. */
  readonly port: number;
  private buf: Uint8Array;
  private readonly addr = new Uint8Array(12);
  private readonly kernel: Uint8Array;
  private closed = false;
  /** With listenAllNsid: the nsid the last datagram came from (undefined: this namespace). */
  lastNsid: number | undefined;
  private control: Uint8Array | undefined;
  private maxDatagram: number | undefined;
  /** Datagrams dropped because their sender was not the kernel. */
  spoofedDropped = 0;
  /** Whether the kernel confirmed each profile option (for diagnostics). */
  readonly profile: { extAck: boolean; capAck: boolean; strict: boolean; rcvbuf: number };

  private constructor(fd: number, port: number, profile: NetlinkSocket['profile']) {
    this.fd = fd;
    this.port = port;
    this.profile = profile;
    this.buf = new Uint8Array(64 * 1024);
    this.kernel = new Uint8Array(12);
    new DataView(this.kernel.buffer).setUint16(0, AF_NETLINK, true);
  }

  /** Open a socket in the calling thread's current network namespace. */
  static open(opts: SocketOptions = {}): NetlinkSocket {
    const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, opts.protocol ?? NETLINK_ROUTE);
    try {
      const rcvbuf = opts.rcvbuf ?? DEFAULT_RCVBUF;
      // SO_RCVBUFFORCE needs CAP_NET_ADMIN; fall back to SO_RCVBUF (capped by rmem_max).
      if (libc.trySetsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf) === EPERM)
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
      const extAck = libc.trySetsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1) === 0;
      const capAck = libc.trySetsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1) === 0;
      const strict =
        opts.strict === false ? false : libc.trySetsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1) === 0;
      const sa = new Uint8Array(12);
      new DataView(sa.buffer).setUint16(0, AF_NETLINK, true); // nl_pid 0: the kernel assigns one
      libc.bind(fd, sa);
      libc.getsockname(fd, sa);
      const port = new DataView(sa.buffer).getUint32(4, true);
      for (const g of opts.groups ?? []) libc.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
      if (opts.listenAllNsid) libc.setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1);
      const actual = libc.getsockoptInt(fd, SOL_SOCKET, SO_RCVBUF);
      const sock = new NetlinkSocket(fd, port, { extAck, capAck, strict, rcvbuf: actual });
      if (opts.listenAllNsid) sock.control = new Uint8Array(64);
      if (opts.maxDatagram !== undefined) {
        sock.maxDatagram = opts.maxDatagram;
        sock.buf = new Uint8Array(opts.maxDatagram);
      }
      return sock;
    } catch (err) {
      libc.close(fd);
      throw err;
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Join a multicast group by its id (RTNLGRP_*), which works for every group number. */
  addMembership(group: number): void {
    libc.setsockopt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
  }

  dropMembership(group: number): void {
    libc.setsockopt(this.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group);
  }

  /** Send one buffer (one or more messages) to the kernel. */
  send(bytes: Uint8Array, len = bytes.length): void {
    this.sendTo(bytes, 0, len);
  }

  /**
   * Send to the kernel from a threadpool thread, for requests the kernel carries out slowly inside
   * sendmsg (link creation and deletion wait for RCU grace periods: milliseconds each). The event
   * loop stays free; the pool thread is held for that one call only.
   */
  async sendAsync(bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    const n = await libc.sendtoAsync(this.fd, bytes, bytes.length, 0, this.kernel);
    if (n < 0) this.send(bytes); // learn the errno synchronously (throws), or succeed on retry
  }

  /** Send to a netlink port (0 is the kernel; another port is a user-space socket). */
  sendTo(bytes: Uint8Array, port: number, len = bytes.length): void {
    this.assertOpen();
    let dest = this.kernel;
    if (port !== 0) {
      dest = this.kernel.slice();
      new DataView(dest.buffer).setUint32(4, port, true);
    }
    for (;;) {
      const n = libc.sendto(this.fd, bytes, len, 0, dest);
      if (n >= 0) return;
      if (-n === EINTR) continue;
      throw new SysError('sendto', -n, errnoName(-n));
    }
  }

  /**
   * Read the next datagram from the kernel without blocking. Returns a view into this socket's
   * receive buffer, valid until the next recv(), or null when nothing is queued. Throws
   * SysError ENOBUFS when the kernel dropped messages because the buffer overflowed, and
   * TruncatedError never in practice (the datagram is sized first).
   */
  recv(): Uint8Array | null {
    this.assertOpen();
    for (;;) {
      // Size the datagram without consuming it.
      const size = libc.recvfrom(this.fd, this.buf, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT, null);
      if (size < 0) {
        const errno = -size;
        if (errno === EAGAIN) return null;
        if (errno === EINTR) continue;
        throw new SysError(
          'recvfrom',
          errno,
          errnoName(errno),
          errno === ENOBUFS ? 'the receive buffer overflowed; messages were lost' : undefined,
        );
      }
      if (size > this.buf.length) {
        const want = Math.max(size, RECV_FLOOR) + 4096;
        this.buf = new Uint8Array(this.maxDatagram ? Math.min(want, this.maxDatagram) : want);
      }
      const n = this.control
        ? this.recvWithNsid()
        : libc.recvfrom(this.fd, this.buf, this.buf.length, MSG_TRUNC | MSG_DONTWAIT, this.addr);
      if (n < 0) {
        const errno = -n;
        if (errno === EAGAIN) return null;
        if (errno === EINTR) continue;
        throw new SysError('recvfrom', errno, errnoName(errno));
      }
      if (n > this.buf.length) throw new TruncatedError(n, this.buf.length);
      const sender = new DataView(this.addr.buffer).getUint32(4, true);
      if (sender !== 0) {
        this.spoofedDropped++;
        continue;
      }
      return this.buf.subarray(0, n);
    }
  }

  /** recvmsg with a control buffer, to read the NETLINK_LISTEN_ALL_NSID nsid of the datagram. */
  private recvWithNsid(): number {
    const out = { controllen: 0, flags: 0 };
    const n = libc.recvmsg(this.fd, this.buf, MSG_TRUNC | MSG_DONTWAIT, this.addr, this.control!, out);
    this.lastNsid = undefined;
    const v = new DataView(this.control!.buffer);
    // struct cmsghdr on LP64: size_t cmsg_len, int cmsg_level, int cmsg_type, then data.
    for (let at = 0; at + 16 <= out.controllen; ) {
      const len = Number(v.getBigUint64(at, true));
      if (len < 16) break;
      if (
        v.getInt32(at + 8, true) === SOL_NETLINK &&
        v.getInt32(at + 12, true) === NETLINK_LISTEN_ALL_NSID &&
        len >= 20
      ) {
        this.lastNsid = v.getInt32(at + 16, true);
      }
      at += (len + 7) & ~7;
    }
    return n;
  }

  /** Resolve when a datagram is queued. close() or the signal ends the wait promptly. */
  async waitReadable(signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    await poller.wait(this.fd, POLLIN, signal);
  }

  /** Close the socket. Idempotent. A pending waitReadable() rejects. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    poller.cancel(this.fd);
    libc.close(this.fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new RtnlError('the netlink socket is closed', 'ERR_RTNL_CLOSED');
  }
}
