/** The netkit link kind (decoding only): IFLA_INFO_DATA (IFLA_NETKIT_*), per netkit_fill_info in drivers/net/netkit.c. Not in this kernel. */
import * as C from '../../codec/constants/index.js';
import { attrs, lazyAs, type Kind } from '../../codec/schema.js';
import { defineLinkKind, linkMessageRef } from './kind.js';
import type { VethPeer } from './veth.js';

export const netkitData = attrs('IFLA_NETKIT', {
  // Request only: the peer, a whole link request (ifinfomsg + IFLA_*), as for veth.
  peerInfo: [C.IFLA_NETKIT_PEER_INFO, lazyAs<VethPeer>((): Kind => linkMessageRef.peer!)],
  primary: [C.IFLA_NETKIT_PRIMARY, 'u8'],
  // NETKIT_PASS, NETKIT_DROP, ... (NETKIT_NEXT is -1: 0xffffffff here).
  policy: [C.IFLA_NETKIT_POLICY, 'u32'],
  peerPolicy: [C.IFLA_NETKIT_PEER_POLICY, 'u32'],
  // NETKIT_L2 / NETKIT_L3.
  mode: [C.IFLA_NETKIT_MODE, 'u32'],
  scrub: [C.IFLA_NETKIT_SCRUB, 'u32'],
  peerScrub: [C.IFLA_NETKIT_PEER_SCRUB, 'u32'],
  headroom: [C.IFLA_NETKIT_HEADROOM, 'u16'],
  tailroom: [C.IFLA_NETKIT_TAILROOM, 'u16'],
});

export default defineLinkKind<never>()({ kind: 'netkit', data: netkitData });
