/**
 * The vti link kind; vti and vti6 IFLA_INFO_DATA (IFLA_VTI_*, <linux/if_tunnel.h>), per vti_fill_info
 * (net/ipv4/ip_vti.c) and vti6_fill_info (net/ipv6/ip6_vti.c). Not in this kernel.
 */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

const common = {
  link: [C.IFLA_VTI_LINK, 'u32'],
  ikey: [C.IFLA_VTI_IKEY, 'be32'],
  okey: [C.IFLA_VTI_OKEY, 'be32'],
  fwmark: [C.IFLA_VTI_FWMARK, 'u32'],
} as const;

export const vtiData = attrs('IFLA_VTI', {
  ...common,
  local: [C.IFLA_VTI_LOCAL, 'ipv4'],
  remote: [C.IFLA_VTI_REMOTE, 'ipv4'],
});
export const vti6Data = attrs('IFLA_VTI', {
  ...common,
  local: [C.IFLA_VTI_LOCAL, 'ipv6'],
  remote: [C.IFLA_VTI_REMOTE, 'ipv6'],
});

export default defineLinkKind<never>()({ kind: 'vti', data: vtiData });
