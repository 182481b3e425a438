/** The bareudp link kind (drivers/net/bareudp.c), decoding only. */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const bareudpData = attrs('IFLA_BAREUDP', {
  port: [C.IFLA_BAREUDP_PORT, 'be16'],
  // The ETH_P_* carried (MPLS unicast, IPv4, ...), big-endian.
  ethertype: [C.IFLA_BAREUDP_ETHERTYPE, 'be16'],
  srcportMin: [C.IFLA_BAREUDP_SRCPORT_MIN, 'u16'],
  multiprotoMode: [C.IFLA_BAREUDP_MULTIPROTO_MODE, 'flag'],
});

export default defineLinkKind<never>()({ kind: 'bareudp', data: bareudpData });
