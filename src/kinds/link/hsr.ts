/** The hsr link kind (decoding only): hsr / prp IFLA_INFO_DATA (IFLA_HSR_*), per hsr_fill_info in net/hsr/hsr_netlink.c. Not in this kernel. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { defineLinkKind } from './kind.js';
import { attrs } from '../../codec/schema.js';

export const hsrData = attrs('IFLA_HSR', {
  slave1: [C.IFLA_HSR_SLAVE1, 'u32'],
  slave2: [C.IFLA_HSR_SLAVE2, 'u32'],
  // Request only: the last byte of the supervision frames' multicast address.
  multicastSpec: [C.IFLA_HSR_MULTICAST_SPEC, 'u8'],
  supervisionAddr: [C.IFLA_HSR_SUPERVISION_ADDR, 'mac'],
  seqNr: [C.IFLA_HSR_SEQ_NR, 'u16'],
  version: [C.IFLA_HSR_VERSION, 'u8'],
  protocol: [C.IFLA_HSR_PROTOCOL, 'u8', { enum: enumOf('HSR_PROTOCOL_') }],
  interlink: [C.IFLA_HSR_INTERLINK, 'u32'],
});

export default defineLinkKind<never>()({ kind: 'hsr', data: hsrData });
