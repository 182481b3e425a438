/**
 * The SIOCETHTOOL channel: one datagram socket in the client's namespace, made on first use.
 *
 * SIOCETHTOOL acts on the namespace of the socket it is issued on, whatever the socket's family,
 * so a NETLINK_ROUTE datagram socket serves (it needs no IPv4 stack in the namespace). The
 * socket is created inside the namespace with the same synchronous switch as the netlink
 * sockets (withNetnsFd), on this thread only.
 */
// Kernel numbers are data: as socket.ts does, read the codec's generated <linux/netlink.h> constants.
import { NETLINK_ROUTE } from '../codec/constants/netlink.js';
import { AF_NETLINK, SIOCETHTOOL, SOCK_CLOEXEC, SOCK_DGRAM } from './constants.js';
import { libc } from './libc.js';
import { withNetnsFd } from './netns.js';

// A socket collected without close() (its client was dropped unclosed) still releases its fd.
const registry = new FinalizationRegistry<number>((fd) => {
  try {
    libc.close(fd);
  } catch {
    /* already closed */
  }
});

export class EthtoolIoctlSocket {
  private fd = -1;

  /** @param nsFd the namespace to work in; -1 for the current one. */
  constructor(private readonly nsFd: number) {}

  /** ioctl(SIOCETHTOOL) on `ifname` with the ethtool struct `data`, in place. 0 or -errno. */
  call(ifname: string, data: Uint8Array): number {
    if (this.fd < 0) {
      const open = () => libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE);
      this.fd = this.nsFd < 0 ? open() : withNetnsFd(this.nsFd, open);
      registry.register(this, this.fd, this);
    }
    return libc.ioctlIfreqData(this.fd, SIOCETHTOOL, ifname, data);
  }

  /** Close the socket (it is reopened if used again). */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    registry.unregister(this);
    libc.close(fd);
  }
}
