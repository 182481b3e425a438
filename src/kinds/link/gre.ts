/**
 * The gre link kind, and the GRE family's IFLA_INFO_DATA (IFLA_GRE_*, <linux/if_tunnel.h>), per ipgre_fill_info in
 * net/ipv4/ip_gre.c and ip6gre_fill_info in net/ipv6/ip6_gre.c. gre, gretap and erspan carry IPv4
 * endpoints; ip6gre, ip6gretap and ip6erspan IPv6 ones. This kernel has none of them: the tables
 * are checked against the YNL spec and iproute2's requests (fixtures/link/*gre*-add-request.hex).
 */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

const common = {
  link: [C.IFLA_GRE_LINK, 'u32'],
  // GRE_* header flags (GRE_CSUM, GRE_KEY, GRE_SEQ, ...) as they appear on the wire: big-endian.
  iflags: [C.IFLA_GRE_IFLAGS, 'be16'],
  oflags: [C.IFLA_GRE_OFLAGS, 'be16'],
  ikey: [C.IFLA_GRE_IKEY, 'be32'],
  okey: [C.IFLA_GRE_OKEY, 'be32'],
  ttl: [C.IFLA_GRE_TTL, 'u8'],
  tos: [C.IFLA_GRE_TOS, 'u8'],
  pmtudisc: [C.IFLA_GRE_PMTUDISC, 'u8'],
  encapLimit: [C.IFLA_GRE_ENCAP_LIMIT, 'u8'],
  flowinfo: [C.IFLA_GRE_FLOWINFO, 'be32'],
  // IP6_TNL_F_* (ip6gre).
  flags: [C.IFLA_GRE_FLAGS, 'u32'],
  // TUNNEL_ENCAP_NONE / FOU / GUE, its TUNNEL_ENCAP_FLAG_* and UDP ports.
  encapType: [C.IFLA_GRE_ENCAP_TYPE, 'u16'],
  encapFlags: [C.IFLA_GRE_ENCAP_FLAGS, 'u16'],
  encapSport: [C.IFLA_GRE_ENCAP_SPORT, 'be16'],
  encapDport: [C.IFLA_GRE_ENCAP_DPORT, 'be16'],
  collectMetadata: [C.IFLA_GRE_COLLECT_METADATA, 'flag'],
  ignoreDf: [C.IFLA_GRE_IGNORE_DF, 'u8'],
  fwmark: [C.IFLA_GRE_FWMARK, 'u32'],
  erspanIndex: [C.IFLA_GRE_ERSPAN_INDEX, 'u32'],
  erspanVer: [C.IFLA_GRE_ERSPAN_VER, 'u8'],
  erspanDir: [C.IFLA_GRE_ERSPAN_DIR, 'u8'],
  erspanHwid: [C.IFLA_GRE_ERSPAN_HWID, 'u16'],
} as const;

/** gre, gretap, erspan. */
export const greData = attrs('IFLA_GRE', {
  ...common,
  local: [C.IFLA_GRE_LOCAL, 'ipv4'],
  remote: [C.IFLA_GRE_REMOTE, 'ipv4'],
});

/** ip6gre, ip6gretap, ip6erspan. */
export const gre6Data = attrs('IFLA_GRE', {
  ...common,
  local: [C.IFLA_GRE_LOCAL, 'ipv6'],
  remote: [C.IFLA_GRE_REMOTE, 'ipv6'],
});

/** A GRE-family kind: decoding only (links.add takes no options for it). */
export const greKind = <const K extends string>(kind: K) => defineLinkKind<never>()({ kind, data: greData });
/** An IPv6 GRE-family kind: decoding only. */
export const gre6Kind = <const K extends string>(kind: K) => defineLinkKind<never>()({ kind, data: gre6Data });

export default greKind('gre');
