/** macvlan and macvtap IFLA_INFO_DATA (IFLA_MACVLAN_*), per macvlan_policy and macvlan_fill_info in drivers/net/macvlan.c. */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, multi, nest } from '../../schema.js';

/** IFLA_MACVLAN_MACADDR_DATA: the source-mode address list, one IFLA_MACVLAN_MACADDR per address. */
export const macvlanMacaddrData = attrs('IFLA_MACVLAN', {
  macaddr: [C.IFLA_MACVLAN_MACADDR, multi('mac')],
});

export const macvlanData = attrs('IFLA_MACVLAN', {
  mode: [C.IFLA_MACVLAN_MODE, 'u32', { enum: enumOf('MACVLAN_MODE_') }],
  // MACVLAN_FLAG_* bits.
  flags: [C.IFLA_MACVLAN_FLAGS, 'u16'],
  // Request only: what to do with MACADDR / MACADDR_DATA in source mode.
  macaddrMode: [C.IFLA_MACVLAN_MACADDR_MODE, 'u32', { enum: enumOf('MACVLAN_MACADDR_') }],
  macaddr: [C.IFLA_MACVLAN_MACADDR, 'mac'],
  macaddrData: [C.IFLA_MACVLAN_MACADDR_DATA, nest(macvlanMacaddrData)],
  macaddrCount: [C.IFLA_MACVLAN_MACADDR_COUNT, 'u32'],
  bcQueueLen: [C.IFLA_MACVLAN_BC_QUEUE_LEN, 'u32'],
  bcQueueLenUsed: [C.IFLA_MACVLAN_BC_QUEUE_LEN_USED, 'u32'],
  // Linux 6.7+: more multicast addresses than this are delivered unqueued (-1: never).
  bcCutoff: [C.IFLA_MACVLAN_BC_CUTOFF, 's32'],
});
