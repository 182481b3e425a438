/** vxlan IFLA_INFO_DATA (IFLA_VXLAN_*), per vxlan_policy and vxlan_fill_info in drivers/net/vxlan/vxlan_core.c. */
import { EncodeError } from '../../../errors.js';
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, custom, struct } from '../../schema.js';

/** struct ifla_vxlan_port_range: the UDP source port range, both ends big-endian. */
export const iflaVxlanPortRange = struct(
  'ifla_vxlan_port_range',
  [
    ['low', 'be16'],
    ['high', 'be16'],
  ],
  4,
);

/**
 * IFLA_VXLAN_TTL_INHERIT is asymmetric: the kernel reports it as a u8 (0 or 1), but its policy is
 * NLA_FLAG, which rejects any payload. Decodes a u8 as its number and an empty attribute as true;
 * encodes true as the empty flag a request needs, and a number as the u8 a reply carries.
 * Any other length is kept as its bytes.
 */
export const u8OrFlag = custom<number | true | Uint8Array>({
  name: 'u8-or-flag',
  decode: (buf, view, at, len) => (len === 0 ? true : len === 1 ? view.getUint8(at) : buf.slice(at, at + len)),
  encode: (w, v, path) => {
    if (v === true) return;
    if (v instanceof Uint8Array) return w.bytes(v);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xff) {
      throw new EncodeError('expected true (a flag, as requests send it) or a u8', path);
    }
    w.u8(v);
  },
});

export const vxlanData = attrs('IFLA_VXLAN', {
  id: [C.IFLA_VXLAN_ID, 'u32'],
  group: [C.IFLA_VXLAN_GROUP, 'ipv4'],
  link: [C.IFLA_VXLAN_LINK, 'u32'],
  local: [C.IFLA_VXLAN_LOCAL, 'ipv4'],
  ttl: [C.IFLA_VXLAN_TTL, 'u8'],
  tos: [C.IFLA_VXLAN_TOS, 'u8'],
  learning: [C.IFLA_VXLAN_LEARNING, 'u8'],
  ageing: [C.IFLA_VXLAN_AGEING, 'u32'],
  limit: [C.IFLA_VXLAN_LIMIT, 'u32'],
  portRange: [C.IFLA_VXLAN_PORT_RANGE, iflaVxlanPortRange],
  proxy: [C.IFLA_VXLAN_PROXY, 'u8'],
  rsc: [C.IFLA_VXLAN_RSC, 'u8'],
  l2miss: [C.IFLA_VXLAN_L2MISS, 'u8'],
  l3miss: [C.IFLA_VXLAN_L3MISS, 'u8'],
  port: [C.IFLA_VXLAN_PORT, 'be16'],
  group6: [C.IFLA_VXLAN_GROUP6, 'ipv6'],
  local6: [C.IFLA_VXLAN_LOCAL6, 'ipv6'],
  udpCsum: [C.IFLA_VXLAN_UDP_CSUM, 'u8'],
  udpZeroCsum6Tx: [C.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, 'u8'],
  udpZeroCsum6Rx: [C.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, 'u8'],
  remcsumTx: [C.IFLA_VXLAN_REMCSUM_TX, 'u8'],
  remcsumRx: [C.IFLA_VXLAN_REMCSUM_RX, 'u8'],
  gbp: [C.IFLA_VXLAN_GBP, 'flag'],
  remcsumNopartial: [C.IFLA_VXLAN_REMCSUM_NOPARTIAL, 'flag'],
  collectMetadata: [C.IFLA_VXLAN_COLLECT_METADATA, 'u8'],
  // The IPv6 flow label, big-endian (nla_put_be32).
  label: [C.IFLA_VXLAN_LABEL, 'be32'],
  gpe: [C.IFLA_VXLAN_GPE, 'flag'],
  ttlInherit: [C.IFLA_VXLAN_TTL_INHERIT, u8OrFlag],
  df: [C.IFLA_VXLAN_DF, 'u8', { enum: enumOf('VXLAN_DF_') }],
  vnifilter: [C.IFLA_VXLAN_VNIFILTER, 'u8'],
  // Linux 6.7+.
  localbypass: [C.IFLA_VXLAN_LOCALBYPASS, 'u8'],
  labelPolicy: [C.IFLA_VXLAN_LABEL_POLICY, 'u32', { enum: enumOf('VXLAN_LABEL_') }],
  // The VXLAN header bits the device accepts set: a struct vxlanhdr (flags, vni), big-endian.
  reservedBits: [C.IFLA_VXLAN_RESERVED_BITS, 'binary'],
  mcRoute: [C.IFLA_VXLAN_MC_ROUTE, 'u8'],
});
