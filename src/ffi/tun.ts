/**
 * /dev/net/tun: the character device through which tun and tap links are made and used.
 *
 * The kernel does not create tun/tap links through RTM_NEWLINK. A process opens /dev/net/tun and
 * calls TUNSETIFF with a name and IFF_TUN/IFF_TAP flags: that creates the device (or attaches to
 * an existing one) and makes the fd one of its queues. The device lands in the network namespace
 * that was in force when /dev/net/tun was OPENED (the open file remembers it), not when the
 * ioctl runs, so openTun() switches namespaces around the open only, synchronously, on this thread.
 */
import { IFNAMSIZ } from '../codec/constants/if.js';
import {
  TUNGETFEATURES,
  TUNGETIFF,
  TUNSETGROUP,
  TUNSETIFF,
  TUNSETOWNER,
  TUNSETPERSIST,
  TUNSETQUEUE,
  TUNSETVNETHDRSZ,
} from '../codec/constants/if_tun.js';
import { O_CLOEXEC, O_RDWR } from './constants.js';
import { libc } from './libc.js';
import { withNetnsFd } from './netns.js';

/** The clone device. */
export const TUN_DEVICE = '/dev/net/tun';

/**
 * sizeof(struct ifreq): the name, then a union whose largest member is struct ifmap (two unsigned
 * longs, a short and three chars: 24 bytes on a 64-bit ABI). The flags are a short after the name.
 */
const IFREQ_SIZE = IFNAMSIZ + 24;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function ifreq(name: string, flags: number): Uint8Array {
  const buf = new Uint8Array(IFREQ_SIZE);
  const bytes = encoder.encode(name);
  if (bytes.length >= IFNAMSIZ) throw new RangeError(`interface name "${name}" is longer than ${IFNAMSIZ - 1} bytes`);
  buf.set(bytes, 0);
  new DataView(buf.buffer).setUint16(IFNAMSIZ, flags & 0xffff, true);
  return buf;
}

function readIfreq(buf: Uint8Array): { name: string; flags: number } {
  const end = buf.indexOf(0);
  const name = decoder.decode(buf.subarray(0, end < 0 || end > IFNAMSIZ ? IFNAMSIZ : end));
  return { name, flags: new DataView(buf.buffer, buf.byteOffset).getUint16(IFNAMSIZ, true) };
}

/**
 * Open /dev/net/tun (O_RDWR|O_CLOEXEC) inside the namespace `nsFd` (-1: the current one), so that
 * a device made through this fd belongs to that namespace. O_CLOEXEC keeps it out of unrelated
 * children; `spawn(…, { stdio: [..., fd] })` dup2()s it into the child, which clears the flag.
 */
export function openTun(nsFd: number): number {
  const open = () => libc.open(TUN_DEVICE, O_RDWR | O_CLOEXEC);
  return nsFd < 0 ? open() : withNetnsFd(nsFd, open);
}

/** TUNSETIFF: create the device `name` (or attach to it) with IFF_* flags; returns the name the kernel used. */
export function tunSetIff(fd: number, name: string, flags: number): string {
  const buf = ifreq(name, flags);
  libc.ioctl(fd, TUNSETIFF, buf, `TUNSETIFF ${name}`);
  return readIfreq(buf).name;
}

/** TUNGETIFF: the name and IFF_* flags of the device this fd is attached to. */
export function tunGetIff(fd: number): { name: string; flags: number } {
  const buf = new Uint8Array(IFREQ_SIZE);
  libc.ioctl(fd, TUNGETIFF, buf, 'TUNGETIFF');
  return readIfreq(buf);
}

/** TUNGETFEATURES: the IFF_* flags this kernel's tun driver accepts. */
export function tunGetFeatures(fd: number): number {
  const buf = new Uint32Array(1);
  libc.ioctl(fd, TUNGETFEATURES, new Uint8Array(buf.buffer), 'TUNGETFEATURES');
  return buf[0]!;
}

/** TUNSETPERSIST: keep the device after its last fd closes (or not). */
export function tunSetPersist(fd: number, on: boolean): void {
  libc.ioctlValue(fd, TUNSETPERSIST, on ? 1 : 0, `TUNSETPERSIST ${on ? 1 : 0}`);
}

/** TUNSETOWNER: the user allowed to attach without CAP_NET_ADMIN (-1: none). */
export function tunSetOwner(fd: number, uid: number): void {
  libc.ioctlValue(fd, TUNSETOWNER, uid >>> 0, `TUNSETOWNER ${uid}`);
}

/** TUNSETGROUP: the group allowed to attach without CAP_NET_ADMIN (-1: none). */
export function tunSetGroup(fd: number, gid: number): void {
  libc.ioctlValue(fd, TUNSETGROUP, gid >>> 0, `TUNSETGROUP ${gid}`);
}

/** TUNSETVNETHDRSZ: the virtio-net header size the fd reads and writes (10 or 12). */
export function tunSetVnetHdrSize(fd: number, size: number): void {
  const buf = new Int32Array([size]);
  libc.ioctl(fd, TUNSETVNETHDRSZ, new Uint8Array(buf.buffer), `TUNSETVNETHDRSZ ${size}`);
}

/** TUNSETQUEUE: enable (IFF_ATTACH_QUEUE) or disable (IFF_DETACH_QUEUE) this queue of a multi-queue device. */
export function tunSetQueue(fd: number, flags: number): void {
  libc.ioctl(fd, TUNSETQUEUE, ifreq('', flags), 'TUNSETQUEUE');
}

/** Close an fd on a pool thread (see libc.closeAsync): the last fd of a device takes ~16 ms to close. */
export function closeTunAsync(fd: number): Promise<number> {
  return libc.closeAsync(fd);
}
