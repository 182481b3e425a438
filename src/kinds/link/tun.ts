/** The tun link kind (tun and tap devices). IFLA_INFO_DATA (IFLA_TUN_*), per tun_fill_info in drivers/net/tun.c. Read-only: tun devices are made by ioctl. */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

/** IFLA_TUN_TYPE is the device's IFF_TUN or IFF_TAP bit. */
const tunTypes: Readonly<Record<number, string>> = { [C.IFF_TUN]: 'TUN', [C.IFF_TAP]: 'TAP' };

export const tunData = attrs('IFLA_TUN', {
  owner: [C.IFLA_TUN_OWNER, 'u32'],
  group: [C.IFLA_TUN_GROUP, 'u32'],
  type: [C.IFLA_TUN_TYPE, 'u8', { enum: tunTypes }],
  pi: [C.IFLA_TUN_PI, 'u8'],
  vnetHdr: [C.IFLA_TUN_VNET_HDR, 'u8'],
  persist: [C.IFLA_TUN_PERSIST, 'u8'],
  multiQueue: [C.IFLA_TUN_MULTI_QUEUE, 'u8'],
  numQueues: [C.IFLA_TUN_NUM_QUEUES, 'u32'],
  numDisabledQueues: [C.IFLA_TUN_NUM_DISABLED_QUEUES, 'u32'],
});

/** tun/tap: read-only data for now; the tun/tap create hook and options come with their own plugin work. */
export default defineLinkKind<never>()({
  kind: 'tun',
  data: tunData,
});
