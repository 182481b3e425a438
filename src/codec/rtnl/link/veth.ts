/** veth IFLA_INFO_DATA (<linux/veth.h>): the peer is a whole link request, ifinfomsg + IFLA_*. */
import { VETH_INFO_PEER } from '../../constants/index.js';
import { attrs, headered, lazyAs, type Kind } from '../../schema.js';
import type { IfInfoMsg, LinkAttrs } from './index.js';
import { ifinfomsg, linkAttrs } from './index.js';

/** The peer's value: its ifinfomsg and its IFLA attributes (ifname, netNsFd, ...). */
export interface VethPeer {
  header: IfInfoMsg;
  attrs: LinkAttrs;
}

export const vethData = attrs('VETH_INFO', {
  // Resolved on first use: the peer's attribute set is the link set that contains this one.
  peer: [VETH_INFO_PEER, lazyAs<VethPeer>((): Kind => headered(ifinfomsg, linkAttrs))],
});
