/**
 * What an AF_BRIDGE link message (`bridge link`, `bridge vlan`) carries in place of the AF_UNSPEC
 * shapes: IFLA_AF_SPEC holds IFLA_BRIDGE_* and IFLA_PROTINFO holds IFLA_BRPORT_*.
 */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs, multi, nest, struct, type SetValues, type StructValue } from '../../schema.js';

/** struct bridge_vlan_info (IFLA_BRIDGE_VLAN_INFO): BRIDGE_VLAN_INFO_* flags and the VLAN id. */
export const bridgeVlanInfo = struct(
  'bridge_vlan_info',
  [
    ['flags', 'u16'],
    ['vid', 'u16'],
  ],
  4,
);
export type BridgeVlanInfo = StructValue<typeof bridgeVlanInfo.fields>;

export const bridgeVlanTunnelAttrs = attrs('IFLA_BRIDGE_VLAN_TUNNEL', {
  id: [C.IFLA_BRIDGE_VLAN_TUNNEL_ID, 'u32'],
  vid: [C.IFLA_BRIDGE_VLAN_TUNNEL_VID, 'u16'],
  flags: [C.IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, 'u16'],
});

/**
 * IFLA_AF_SPEC of an AF_BRIDGE link message. VLAN entries repeat, one IFLA_BRIDGE_VLAN_INFO each
 * (ranges as a RANGE_BEGIN and a RANGE_END entry). MRP, CFM and MST are kept as bytes.
 */
export const bridgeAfSpecAttrs = attrs('IFLA_BRIDGE', {
  flags: [C.IFLA_BRIDGE_FLAGS, 'u16'],
  mode: [C.IFLA_BRIDGE_MODE, 'u16', { enum: enumOf('BRIDGE_MODE_') }],
  vlanInfo: [C.IFLA_BRIDGE_VLAN_INFO, multi(bridgeVlanInfo)],
  vlanTunnelInfo: [C.IFLA_BRIDGE_VLAN_TUNNEL_INFO, multi(nest(bridgeVlanTunnelAttrs))],
  mrp: [C.IFLA_BRIDGE_MRP, 'binary'],
  cfm: [C.IFLA_BRIDGE_CFM, 'binary'],
  mst: [C.IFLA_BRIDGE_MST, 'binary'],
});
export type BridgeAfSpecAttrs = SetValues<typeof bridgeAfSpecAttrs>;
