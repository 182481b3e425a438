/**
 * SR-IOV virtual functions in a link message: IFLA_VFINFO_LIST, one IFLA_VF_INFO nest per VF
 * (rtnl_fill_vfinfo). Sent only for devices with VFs, and only when the request's
 * IFLA_EXT_MASK asks for RTEXT_FILTER_VF; this machine has none, so the tables are checked
 * against the headers and the YNL spec, and by round trips.
 */
import * as C from '../../constants/index.js';
import { attrs, multi, nest, struct } from '../../schema.js';

const vfSetting = (name: string) =>
  struct(
    name,
    [
      ['vf', 'u32'],
      ['setting', 'u32'],
    ],
    8,
  );

/** struct ifla_vf_mac: the VF's address in the first addr_len bytes of 32 (MAX_ADDR_LEN). */
export const iflaVfMac = struct(
  'ifla_vf_mac',
  [
    ['vf', 'u32'],
    ['mac', 'bytes32'],
  ],
  36,
);
export const iflaVfVlan = struct(
  'ifla_vf_vlan',
  [
    ['vf', 'u32'],
    ['vlan', 'u32'],
    ['qos', 'u32'],
  ],
  12,
);
export const iflaVfTxRate = struct(
  'ifla_vf_tx_rate',
  [
    ['vf', 'u32'],
    ['rate', 'u32'],
  ],
  8,
);
export const iflaVfRate = struct(
  'ifla_vf_rate',
  [
    ['vf', 'u32'],
    ['minTxRate', 'u32'],
    ['maxTxRate', 'u32'],
  ],
  12,
);
export const iflaVfSpoofchk = vfSetting('ifla_vf_spoofchk');
export const iflaVfRssQueryEn = vfSetting('ifla_vf_rss_query_en');
export const iflaVfTrust = vfSetting('ifla_vf_trust');
/** struct ifla_vf_link_state: IFLA_VF_LINK_STATE_AUTO / ENABLE / DISABLE. */
export const iflaVfLinkState = struct(
  'ifla_vf_link_state',
  [
    ['vf', 'u32'],
    ['linkState', 'u32'],
  ],
  8,
);
/** struct ifla_vf_guid: the u64 is 8-aligned, so 4 bytes of padding follow vf. */
export const iflaVfGuid = struct(
  'ifla_vf_guid',
  [
    ['vf', 'u32'],
    ['pad', 'pad4'],
    ['guid', 'u64'],
  ],
  16,
);
/** struct ifla_vf_broadcast: 32 bytes (MAX_ADDR_LEN). */
export const iflaVfBroadcast = struct('ifla_vf_broadcast', [['broadcast', 'bytes32']], 32);
/** struct ifla_vf_vlan_info: 2 bytes of tail padding. */
export const iflaVfVlanInfo = struct(
  'ifla_vf_vlan_info',
  [
    ['vf', 'u32'],
    ['vlan', 'u32'],
    ['qos', 'u32'],
    ['vlanProto', 'be16'],
    ['pad', 'pad2'],
  ],
  16,
);

export const vfStatsAttrs = attrs('IFLA_VF_STATS', {
  rxPackets: [C.IFLA_VF_STATS_RX_PACKETS, 'u64'],
  txPackets: [C.IFLA_VF_STATS_TX_PACKETS, 'u64'],
  rxBytes: [C.IFLA_VF_STATS_RX_BYTES, 'u64'],
  txBytes: [C.IFLA_VF_STATS_TX_BYTES, 'u64'],
  broadcast: [C.IFLA_VF_STATS_BROADCAST, 'u64'],
  multicast: [C.IFLA_VF_STATS_MULTICAST, 'u64'],
  pad: [C.IFLA_VF_STATS_PAD, 'binary'],
  rxDropped: [C.IFLA_VF_STATS_RX_DROPPED, 'u64'],
  txDropped: [C.IFLA_VF_STATS_TX_DROPPED, 'u64'],
});

/** IFLA_VF_VLAN_LIST: one IFLA_VF_VLAN_INFO per VLAN. */
export const vfVlanListAttrs = attrs('IFLA_VF_VLAN', {
  info: [C.IFLA_VF_VLAN_INFO, multi(iflaVfVlanInfo)],
});

export const vfInfoAttrs = attrs('IFLA_VF', {
  mac: [C.IFLA_VF_MAC, iflaVfMac],
  vlan: [C.IFLA_VF_VLAN, iflaVfVlan],
  txRate: [C.IFLA_VF_TX_RATE, iflaVfTxRate],
  spoofchk: [C.IFLA_VF_SPOOFCHK, iflaVfSpoofchk],
  linkState: [C.IFLA_VF_LINK_STATE, iflaVfLinkState],
  rate: [C.IFLA_VF_RATE, iflaVfRate],
  rssQueryEn: [C.IFLA_VF_RSS_QUERY_EN, iflaVfRssQueryEn],
  stats: [C.IFLA_VF_STATS, nest(vfStatsAttrs)],
  trust: [C.IFLA_VF_TRUST, iflaVfTrust],
  ibNodeGuid: [C.IFLA_VF_IB_NODE_GUID, iflaVfGuid],
  ibPortGuid: [C.IFLA_VF_IB_PORT_GUID, iflaVfGuid],
  vlanList: [C.IFLA_VF_VLAN_LIST, nest(vfVlanListAttrs)],
  broadcast: [C.IFLA_VF_BROADCAST, iflaVfBroadcast],
});

/** IFLA_VFINFO_LIST: one IFLA_VF_INFO per VF. */
export const vfInfoListAttrs = attrs('IFLA_VF', {
  info: [C.IFLA_VF_INFO, multi(nest(vfInfoAttrs))],
});
