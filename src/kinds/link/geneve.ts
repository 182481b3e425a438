/** The geneve link kind (decoding only): geneve IFLA_INFO_DATA (IFLA_GENEVE_*), per geneve_fill_info in drivers/net/geneve.c. Not in this kernel. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { defineLinkKind } from './kind.js';
import { attrs, struct } from '../../codec/schema.js';

/** struct ifla_geneve_port_range: the UDP source port range, both ends big-endian. */
export const iflaGenevePortRange = struct(
  'ifla_geneve_port_range',
  [
    ['low', 'be16'],
    ['high', 'be16'],
  ],
  4,
);

export const geneveData = attrs('IFLA_GENEVE', {
  id: [C.IFLA_GENEVE_ID, 'u32'],
  remote: [C.IFLA_GENEVE_REMOTE, 'ipv4'],
  ttl: [C.IFLA_GENEVE_TTL, 'u8'],
  tos: [C.IFLA_GENEVE_TOS, 'u8'],
  port: [C.IFLA_GENEVE_PORT, 'be16'],
  collectMetadata: [C.IFLA_GENEVE_COLLECT_METADATA, 'flag'],
  remote6: [C.IFLA_GENEVE_REMOTE6, 'ipv6'],
  udpCsum: [C.IFLA_GENEVE_UDP_CSUM, 'u8'],
  udpZeroCsum6Tx: [C.IFLA_GENEVE_UDP_ZERO_CSUM6_TX, 'u8'],
  udpZeroCsum6Rx: [C.IFLA_GENEVE_UDP_ZERO_CSUM6_RX, 'u8'],
  label: [C.IFLA_GENEVE_LABEL, 'be32'],
  ttlInherit: [C.IFLA_GENEVE_TTL_INHERIT, 'u8'],
  df: [C.IFLA_GENEVE_DF, 'u8', { enum: enumOf('GENEVE_DF_') }],
  innerProtoInherit: [C.IFLA_GENEVE_INNER_PROTO_INHERIT, 'flag'],
  portRange: [C.IFLA_GENEVE_PORT_RANGE, iflaGenevePortRange],
});

export default defineLinkKind<never>()({ kind: 'geneve', data: geneveData });
