/** NETLINK_ROUTE: the message table of every rtnetlink family rtnl knows. */
import { NETLINK_ROUTE } from './constants/index.js';
import { MessageTable, type MessageDef } from './nlmsg.js';
import { addressMessages } from './rtnl/address.js';
import { linkMessages } from './rtnl/link/index.js';
import { neighbourMessages } from './rtnl/neighbour.js';
import { neightblMessages } from './rtnl/neightbl.js';
import { nexthopBucketMessages, nexthopMessages } from './rtnl/nexthop.js';
import { nsidMessages } from './rtnl/nsid.js';
import { prefixMessages } from './rtnl/prefix.js';
import { statsMessages, statsRequestMessages } from './rtnl/stats.js';
import { routeMessages } from './rtnl/route.js';
import { ruleMessages } from './rtnl/rule.js';
import { actionMessages, chainMessages, classMessages, filterMessages, qdiscMessages } from './tc/index.js';

export const FAMILIES: MessageDef[] = [
  linkMessages,
  addressMessages,
  routeMessages,
  neighbourMessages,
  ruleMessages,
  nsidMessages,
  prefixMessages,
  neightblMessages,
  statsMessages,
  statsRequestMessages,
  qdiscMessages,
  classMessages,
  filterMessages,
  chainMessages,
  actionMessages,
  nexthopMessages,
  nexthopBucketMessages,
];

/** The shared, compiled NETLINK_ROUTE table (what `decode`/`encode` of rtnl/codec use). */
export const messages = new MessageTable(FAMILIES, { protocol: NETLINK_ROUTE });
