/**
 * Interface name to index with one ioctl(SIOCGIFINDEX), on a datagram socket in the client's
 * namespace made on first use (as the SIOCETHTOOL channel, ethtool-ioctl.ts: a NETLINK_ROUTE
 * datagram socket serves, and the ioctl acts on the socket's namespace).
 *
 * One syscall, against an RTM_GETLINK round trip and the decoding of a whole link: an operation
 * that names its link pays this once per call. The kernel answers from its name table at the
 * time of the call, so a rename cannot make the answer stale, as a cache could.
 */
import { NETLINK_ROUTE } from '../codec/constants/netlink.js';
import { AF_NETLINK, SIOCGIFINDEX, SOCK_CLOEXEC, SOCK_DGRAM } from './constants.js';
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

/** struct ifreq: the name (16 bytes), then ifr_ifindex (an int) in the 24-byte union. */
const IFREQ_SIZE = 40;
const encoder = new TextEncoder();

export class IfIndexSocket {
  private fd = -1;
  private readonly ifreq = new Uint8Array(IFREQ_SIZE);
  private readonly view = new DataView(this.ifreq.buffer);

  /** @param nsFd the namespace to work in; -1 for the current one. */
  constructor(private readonly nsFd: number) {}

  /**
   * The index of the interface named `name`, or 0 when the ioctl did not give one (no such
   * interface, a name that does not fit, any error): the caller then asks with RTM_GETLINK,
   * whose error says why.
   */
  index(name: string): number {
    const req = this.ifreq;
    req.fill(0);
    const { read } = encoder.encodeInto(name, req.subarray(0, 15));
    if (read !== name.length) return 0;
    try {
      if (this.fd < 0) {
        const open = () => libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE);
        this.fd = this.nsFd < 0 ? open() : withNetnsFd(this.nsFd, open);
        registry.register(this, this.fd, this);
      }
      libc.ioctl(this.fd, SIOCGIFINDEX, req, name);
    } catch {
      return 0;
    }
    return this.view.getInt32(16, true);
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
