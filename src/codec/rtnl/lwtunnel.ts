/**
 * Lightweight tunnel encapsulation (RTA_ENCAP of routes and their nexthops, NHA_ENCAP of nexthop
 * objects), selected by the sibling RTA_ENCAP_TYPE / NHA_ENCAP_TYPE (LWTUNNEL_ENCAP_*). MPLS, IP
 * and IP6 are typed; the other kinds (seg6, bpf, ila, rpl, ioam6, ...) are kept as bytes.
 */
import { DecodeError, EncodeError } from '../../errors.js';
import * as C from '../constants/index.js';
import { attrs, custom, nest, nestBy, type SetValues } from '../schema.js';

/** One MPLS label stack entry (struct mpls_label, big-endian): label, traffic class, bottom of stack, TTL. */
export interface MplsLabelEntry {
  label: number;
  tc: number;
  bos: boolean;
  ttl: number;
}

/** MPLS_IPTUNNEL_DST: the label stack, one big-endian 32-bit entry per label. */
export const mplsLabelStack = custom<MplsLabelEntry[]>({
  name: 'mpls_label[]',
  decode(_buf, view, at, len, path) {
    if (len % 4 !== 0) throw new DecodeError(`a label stack of ${len} bytes is not whole labels`, at, path);
    const out: MplsLabelEntry[] = [];
    for (let pos = at; pos < at + len; pos += 4) {
      const e = view.getUint32(pos, false);
      out.push({
        label: (e & C.MPLS_LS_LABEL_MASK) >>> C.MPLS_LS_LABEL_SHIFT,
        tc: (e & C.MPLS_LS_TC_MASK) >>> C.MPLS_LS_TC_SHIFT,
        bos: (e & C.MPLS_LS_S_MASK) !== 0,
        ttl: (e & C.MPLS_LS_TTL_MASK) >>> C.MPLS_LS_TTL_SHIFT,
      });
    }
    return out;
  },
  encode(w, value, path) {
    if (!Array.isArray(value)) throw new EncodeError('expected an array of MPLS label entries', path);
    for (const [i, e] of value.entries()) {
      const v = e as Partial<MplsLabelEntry>;
      const label = v.label ?? 0;
      if (!Number.isInteger(label) || label < 0 || label > 0xfffff)
        throw new EncodeError('an MPLS label is 0..1048575', `${path}[${i}].label`);
      const entry =
        ((label << C.MPLS_LS_LABEL_SHIFT) |
          ((v.tc ?? 0) << C.MPLS_LS_TC_SHIFT) |
          (v.bos ? C.MPLS_LS_S_MASK : 0) |
          ((v.ttl ?? 0) << C.MPLS_LS_TTL_SHIFT)) >>>
        0;
      w.be32(entry);
    }
  },
});

/** LWTUNNEL_ENCAP_MPLS: MPLS_IPTUNNEL_*. */
export const mplsEncapAttrs = attrs('MPLS_IPTUNNEL', {
  dst: [C.MPLS_IPTUNNEL_DST, mplsLabelStack],
  ttl: [C.MPLS_IPTUNNEL_TTL, 'u8'],
});

/** LWTUNNEL_ENCAP_IP: LWTUNNEL_IP_* (metadata for collect_md tunnels: vxlan external, ...). */
export const ipEncapAttrs = attrs('LWTUNNEL_IP', {
  id: [C.LWTUNNEL_IP_ID, 'be64'],
  dst: [C.LWTUNNEL_IP_DST, 'ipv4'],
  src: [C.LWTUNNEL_IP_SRC, 'ipv4'],
  ttl: [C.LWTUNNEL_IP_TTL, 'u8'],
  tos: [C.LWTUNNEL_IP_TOS, 'u8'],
  // TUNNEL_* flags (key, csum, seq), big-endian.
  flags: [C.LWTUNNEL_IP_FLAGS, 'be16'],
  pad: [C.LWTUNNEL_IP_PAD, 'binary'],
  opts: [C.LWTUNNEL_IP_OPTS, 'binary'],
});

/** LWTUNNEL_ENCAP_IP6: LWTUNNEL_IP6_*. */
export const ip6EncapAttrs = attrs('LWTUNNEL_IP6', {
  id: [C.LWTUNNEL_IP6_ID, 'be64'],
  dst: [C.LWTUNNEL_IP6_DST, 'ipv6'],
  src: [C.LWTUNNEL_IP6_SRC, 'ipv6'],
  hoplimit: [C.LWTUNNEL_IP6_HOPLIMIT, 'u8'],
  tc: [C.LWTUNNEL_IP6_TC, 'u8'],
  flags: [C.LWTUNNEL_IP6_FLAGS, 'be16'],
  pad: [C.LWTUNNEL_IP6_PAD, 'binary'],
  opts: [C.LWTUNNEL_IP6_OPTS, 'binary'],
});

export type MplsEncapAttrs = SetValues<typeof mplsEncapAttrs>;
export type IpEncapAttrs = SetValues<typeof ipEncapAttrs>;
export type Ip6EncapAttrs = SetValues<typeof ip6EncapAttrs>;

/** RTA_ENCAP / NHA_ENCAP, by the sibling `encapType`. */
export const lwtEncap = nestBy('encapType', {
  [C.LWTUNNEL_ENCAP_MPLS]: nest(mplsEncapAttrs),
  [C.LWTUNNEL_ENCAP_IP]: nest(ipEncapAttrs),
  [C.LWTUNNEL_ENCAP_IP6]: nest(ip6EncapAttrs),
});
