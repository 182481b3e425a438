/**
 * The Node floor: what floor.c does, done by Node through koffi. It is what any Node program that
 * speaks netlink through an FFI pays before it decodes a byte: the runtime, the FFI's calls, and
 * the kernel's work as it runs under a Node process. rtnl's rows are measured against the C floor;
 * this row says how much of each ratio is the platform's and how much is rtnl's.
 *
 * Same socket profile as floor.c (EXT_ACK, CAP_ACK, GET_STRICT_CHK, 1 MiB SO_RCVBUFFORCE), the
 * same requests, the same reading: blocking recv() into one 64 KiB buffer, the nlmsghdr chain
 * walked to count messages and find NLMSG_DONE, an ACK's errno checked. No decoding, no objects.
 * rtnl reads differently, for safety: non-blocking, each datagram sized first with MSG_PEEK (as
 * iproute2 does), so that no reply is ever cut short, and with the sender's address checked.
 *
 *   koffi-floor dump-route TABLE RUNS BUDGET_MS
 *   koffi-floor dump-link RUNS BUDGET_MS
 *   koffi-floor dump-addr IFINDEX RUNS BUDGET_MS
 *   koffi-floor addr IFINDEX COUNT seq RUNS BUDGET_MS
 *
 * Prints one JSON line, as floor.c does. Run it inside the namespace (`ip netns exec NS node ...`).
 * Not part of the package: the bench builds it with rtnl-peer.ts.
 */
import { readFileSync } from 'node:fs';
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');
const socket = lib.func('int socket(int domain, int type, int protocol)');
const setsockopt = lib.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)');
const bind = lib.func('int bind(int fd, const void *addr, uint32_t addrlen)');
const sendto = lib.func(
  'intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)',
);
const recv = lib.func('intptr_t recv(int fd, void *buf, size_t len, int flags)');

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVBUFFORCE = 33;
const SOL_NETLINK = 270;
const NETLINK_CAP_ACK = 10;
const NETLINK_EXT_ACK = 11;
const NETLINK_GET_STRICT_CHK = 12;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;
const RTM_GETLINK = 18;
const RTM_GETADDR = 22;
const RTM_GETROUTE = 26;
const RTA_TABLE = 15;
const IFLA_EXT_MASK = 29;
const RTEXT_FILTER_VF = 1;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const WARM_MS = 500;
const WARM_MAX = 20;

function die(what: string): never {
  process.stderr.write(`koffi-floor: ${what}: errno ${koffi.errno()}\n`);
  process.exit(1);
}

const fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
if (fd < 0) die('socket');
const int = (v: number) => new Int32Array([v]);
setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, int(1 << 20), 4);
setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, int(1), 4);
setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, int(1), 4);
setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, int(1), 4);
const kernel = new Uint8Array(12);
kernel[0] = AF_NETLINK; // sockaddr_nl { AF_NETLINK, pad, pid 0, groups 0 }
if (bind(fd, kernel, 12) < 0) die('bind');

const rx = new Uint8Array(64 * 1024);
const rxv = new DataView(rx.buffer);
const tx = new Uint8Array(256);
const txv = new DataView(tx.buffer);
let seq = 1;

/** Write an nlmsghdr at 0 and the body's zeroed bytes after it; returns the request's seq. */
function header(type: number, flags: number, bodyLen: number): number {
  tx.fill(0, 0, 16 + bodyLen);
  txv.setUint16(4, type, true);
  txv.setUint16(6, NLM_F_REQUEST | NLM_F_ACK | flags, true);
  txv.setUint32(8, ++seq, true);
  return seq;
}

function put32(at: number, type: number, value: number, bigEndian = false): number {
  txv.setUint16(at, 8, true);
  txv.setUint16(at + 2, type, true);
  txv.setUint32(at + 4, value >>> 0, !bigEndian);
  return at + 8;
}

function send(len: number): void {
  txv.setUint32(0, len, true);
  if (sendto(fd, tx, len, 0, kernel, 12) < 0) die('sendto');
}

function receive(): number {
  const n = Number(recv(fd, rx, rx.length, 0));
  if (n < 0) die('recv');
  return n;
}

/** Read a dump to NLMSG_DONE; returns the number of messages before it. */
function readDump(want: number): number {
  let count = 0;
  for (;;) {
    const n = receive();
    for (let at = 0; at + 16 <= n; ) {
      const len = rxv.getUint32(at, true);
      if (len < 16) break;
      if (rxv.getUint32(at + 8, true) === want) {
        const type = rxv.getUint16(at + 4, true);
        if (type === NLMSG_DONE) return count;
        if (type === NLMSG_ERROR) {
          if (rxv.getInt32(at + 16, true) === 0) return count;
          die('dump');
        }
        count++;
      }
      at += (len + 3) & ~3;
    }
  }
}

function dumpOnce(what: string, arg: number): number {
  let len: number;
  let want: number;
  if (what === 'dump-route') {
    want = header(RTM_GETROUTE, NLM_F_DUMP, 12);
    tx[16] = 2; // AF_INET
    tx[20] = arg < 256 ? arg : 0;
    len = put32(28, RTA_TABLE, arg);
  } else if (what === 'dump-link') {
    want = header(RTM_GETLINK, NLM_F_DUMP, 16);
    len = put32(32, IFLA_EXT_MASK, RTEXT_FILTER_VF);
  } else if (what === 'dump-addr') {
    want = header(RTM_GETADDR, NLM_F_DUMP, 8);
    tx[16] = 2;
    txv.setUint32(20, arg, true);
    len = 24;
  } else throw new Error(`unknown dump ${what}`);
  send(len);
  return readDump(want);
}

/** COUNT addresses 10.2.x.y/32 added (or deleted), one request per sendto(), each ACK awaited. */
function addrOps(ifindex: number, count: number, del: boolean): void {
  for (let i = 0; i < count; i++) {
    header(del ? RTM_DELADDR : RTM_NEWADDR, del ? 0 : NLM_F_CREATE | NLM_F_EXCL, 8);
    tx[16] = 2;
    tx[17] = 32;
    txv.setUint32(20, ifindex, true);
    const ip = ((10 << 24) | (2 << 16) | (((i + 1) >> 8) << 8) | ((i + 1) & 255)) >>> 0;
    send(put32(put32(24, IFA_LOCAL, ip, true), IFA_ADDRESS, ip, true));
    for (;;) {
      const n = receive();
      if (n >= 20 && rxv.getUint16(4, true) === NLMSG_ERROR) {
        if (rxv.getInt32(16, true) !== 0) die(`request: error ${-rxv.getInt32(16, true)}`);
        break;
      }
    }
  }
}

function hwmKb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

const now = () => performance.now();
const [what = '', ...rest] = process.argv.slice(2);
if (what.startsWith('dump-')) {
  const arg = what === 'dump-link' ? 0 : Number(rest.shift());
  const [runs, budget] = rest.map(Number) as [number, number];
  let count = 0;
  const w0 = now();
  for (let i = 0; i < WARM_MAX && (i === 0 || now() - w0 < WARM_MS); i++) count = dumpOnce(what, arg);
  const times: number[] = [];
  const start = now();
  for (let r = 0; r < runs; r++) {
    const t = now();
    count = dumpOnce(what, arg);
    times.push(Number((now() - t).toFixed(3)));
    if (now() - start > budget) break;
  }
  console.log(JSON.stringify({ count, runs: times, hwmKb: hwmKb() }));
} else if (what === 'addr' && rest[2] === 'seq') {
  const ifindex = Number(rest[0]);
  const count = Number(rest[1]);
  const runs = Number(rest[3]);
  const budget = Number(rest[4]);
  const w0 = now();
  for (let i = 0; i < WARM_MAX && (i === 0 || now() - w0 < WARM_MS); i++) {
    addrOps(ifindex, count, false);
    addrOps(ifindex, count, true);
  }
  const out: Array<{ add: number; del: number }> = [];
  const start = now();
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    addrOps(ifindex, count, false);
    const t1 = now();
    addrOps(ifindex, count, true);
    out.push({ add: Number((t1 - t0).toFixed(3)), del: Number((now() - t1).toFixed(3)) });
    if (now() - start > budget) break;
  }
  console.log(JSON.stringify({ count, runs: out }));
} else {
  process.stderr.write('usage: see the comment at the top of koffi-floor.ts\n');
  process.exit(2);
}
