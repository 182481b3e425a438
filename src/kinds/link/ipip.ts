/**
 * The ipip link kind, and IP-in-IP tunnels' IFLA_INFO_DATA (IFLA_IPTUN_*, <linux/if_tunnel.h>): ipip and sit
 * (net/ipv4/ipip.c, net/ipv6/sit.c) with IPv4 endpoints, ip6tnl (net/ipv6/ip6_tunnel.c) with
 * IPv6 ones. This kernel has none of them: checked against the YNL spec and iproute2's requests.
 */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

const common = {
  link: [C.IFLA_IPTUN_LINK, 'u32'],
  ttl: [C.IFLA_IPTUN_TTL, 'u8'],
  tos: [C.IFLA_IPTUN_TOS, 'u8'],
  encapLimit: [C.IFLA_IPTUN_ENCAP_LIMIT, 'u8'],
  flowinfo: [C.IFLA_IPTUN_FLOWINFO, 'be32'],
  // IPPROTO_* carried: IPPROTO_IPIP, IPPROTO_IPV6, or 0 for any (sit, ip6tnl).
  proto: [C.IFLA_IPTUN_PROTO, 'u8'],
  pmtudisc: [C.IFLA_IPTUN_PMTUDISC, 'u8'],
  // sit's 6rd: the provider prefix and the relay prefix.
  '6rdPrefix': [C.IFLA_IPTUN_6RD_PREFIX, 'ipv6'],
  '6rdRelayPrefix': [C.IFLA_IPTUN_6RD_RELAY_PREFIX, 'ipv4'],
  '6rdPrefixlen': [C.IFLA_IPTUN_6RD_PREFIXLEN, 'u16'],
  '6rdRelayPrefixlen': [C.IFLA_IPTUN_6RD_RELAY_PREFIXLEN, 'u16'],
  encapType: [C.IFLA_IPTUN_ENCAP_TYPE, 'u16'],
  encapFlags: [C.IFLA_IPTUN_ENCAP_FLAGS, 'u16'],
  encapSport: [C.IFLA_IPTUN_ENCAP_SPORT, 'be16'],
  encapDport: [C.IFLA_IPTUN_ENCAP_DPORT, 'be16'],
  collectMetadata: [C.IFLA_IPTUN_COLLECT_METADATA, 'flag'],
  fwmark: [C.IFLA_IPTUN_FWMARK, 'u32'],
} as const;

/** ipip and sit: IFLA_IPTUN_FLAGS is sit's 16-bit tunnel flag word, a __be16. */
export const iptunData = attrs('IFLA_IPTUN', {
  ...common,
  local: [C.IFLA_IPTUN_LOCAL, 'ipv4'],
  remote: [C.IFLA_IPTUN_REMOTE, 'ipv4'],
  flags: [C.IFLA_IPTUN_FLAGS, 'be16'],
});

/** ip6tnl: IFLA_IPTUN_FLAGS is a 32-bit IP6_TNL_F_* word (host order). */
export const ip6tnlData = attrs('IFLA_IPTUN', {
  ...common,
  local: [C.IFLA_IPTUN_LOCAL, 'ipv6'],
  remote: [C.IFLA_IPTUN_REMOTE, 'ipv6'],
  flags: [C.IFLA_IPTUN_FLAGS, 'u32'],
});

export default defineLinkKind<never>()({ kind: 'ipip', data: iptunData });
