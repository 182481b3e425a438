/** 802.1Q vlan IFLA_INFO_DATA (IFLA_VLAN_*), per vlan_policy and vlan_fill_info in net/8021q/vlan_netlink.c. */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, multi, nest, struct } from '../../schema.js';

/** struct ifla_vlan_flags: VLAN_FLAG_* bits and the mask of bits to change (~0 in replies). */
export const iflaVlanFlags = struct(
  'ifla_vlan_flags',
  [
    ['flags', 'u32'],
    ['mask', 'u32'],
  ],
  8,
);

/** struct ifla_vlan_qos_mapping: skb priority `from` maps to 802.1p priority `to` (or back). */
export const iflaVlanQosMapping = struct(
  'ifla_vlan_qos_mapping',
  [
    ['from', 'u32'],
    ['to', 'u32'],
  ],
  8,
);

/** IFLA_VLAN_EGRESS_QOS / IFLA_VLAN_INGRESS_QOS: one IFLA_VLAN_QOS_MAPPING per mapping. */
export const vlanQosAttrs = attrs('IFLA_VLAN_QOS', {
  mapping: [C.IFLA_VLAN_QOS_MAPPING, multi(iflaVlanQosMapping)],
});

export const vlanData = attrs('IFLA_VLAN', {
  id: [C.IFLA_VLAN_ID, 'u16'],
  flags: [C.IFLA_VLAN_FLAGS, iflaVlanFlags],
  egressQos: [C.IFLA_VLAN_EGRESS_QOS, nest(vlanQosAttrs)],
  ingressQos: [C.IFLA_VLAN_INGRESS_QOS, nest(vlanQosAttrs)],
  // ETH_P_8021Q or ETH_P_8021AD, big-endian (nla_put_be16).
  protocol: [C.IFLA_VLAN_PROTOCOL, 'be16', { enum: enumOf('ETH_P_') }],
});
