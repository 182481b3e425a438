/**
 * Classifiers (filters): TCA_OPTIONS of u32, bpf, flower and matchall, per pkt_cls.h. The u32
 * selector is struct tc_u32_sel followed by its tc_u32_key array (layout from pkt_cls.h).
 */
import { DecodeError, EncodeError } from '../../errors.js';
import * as C from '../constants/index.js';
import { attrs, custom, nest, struct, type Kind, type SetValues } from '../schema.js';
import type { Writer } from '../writer.js';
import { actionList, policeAttrs } from './act.js';

/** One u32 key: the 32-bit word at `off` (from the header, or the computed offset), masked, compared. */
export interface U32Key {
  /** be32 on the wire; here as an unsigned number in network order (0xffffff00 masks a /24). */
  mask: number;
  val: number;
  off: number;
  offmask: number;
}

/** struct tc_u32_sel with its keys. Decoding sets every field. */
export interface U32Sel {
  /** TC_U32_TERMINAL | TC_U32_OFFSET | TC_U32_VAROFFSET | TC_U32_EAT. */
  flags?: number;
  offshift?: number;
  /** The key count as sent; encoding defaults it to keys.length. */
  nkeys?: number;
  /** The padding byte after nkeys (zero in practice). */
  pad?: number;
  /** be16 on the wire. */
  offmask?: number;
  off?: number;
  offoff?: number;
  hoff?: number;
  /** be32 on the wire: the hash key mask. */
  hmask?: number;
  keys?: U32Key[];
  /** Bytes after the last whole key. */
  $extra?: Uint8Array;
}

const SEL_SIZE = 16;
const KEY_SIZE = 16;

const int = (v: unknown, lo: number, hi: number, what: string, path: string): number => {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new EncodeError(`expected ${what}, got ${String(v)}`, path);
  return v;
};

/** TCA_U32_SEL: struct tc_u32_sel, then nkeys struct tc_u32_key. */
export const u32Sel = custom<U32Sel>({
  name: 'tc_u32_sel',
  decode(buf, view, at, len, path) {
    if (len < SEL_SIZE) throw new DecodeError(`tc_u32_sel of ${len} bytes, expected at least ${SEL_SIZE}`, at, path);
    const sel: U32Sel = {
      flags: view.getUint8(at),
      offshift: view.getUint8(at + 1),
      nkeys: view.getUint8(at + 2),
      pad: view.getUint8(at + 3),
      offmask: view.getUint16(at + 4, false),
      off: view.getUint16(at + 6, true),
      offoff: view.getInt16(at + 8, true),
      hoff: view.getInt16(at + 10, true),
      hmask: view.getUint32(at + 12, false),
      keys: [],
    };
    let pos = at + SEL_SIZE;
    const end = at + len;
    while (end - pos >= KEY_SIZE) {
      sel.keys!.push({
        mask: view.getUint32(pos, false),
        val: view.getUint32(pos + 4, false),
        off: view.getInt32(pos + 8, true),
        offmask: view.getInt32(pos + 12, true),
      });
      pos += KEY_SIZE;
    }
    if (pos < end) sel.$extra = buf.slice(pos, end);
    return sel;
  },
  encode(w: Writer, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError('expected a u32 selector', path);
    const keys = v.keys ?? [];
    if (!Array.isArray(keys)) throw new EncodeError('keys: expected an array', path);
    w.u8(int(v.flags, 0, 0xff, 'a u8', `${path}.flags`));
    w.u8(int(v.offshift, 0, 0xff, 'a u8', `${path}.offshift`));
    w.u8(
      v.nkeys === undefined
        ? int(keys.length, 0, 0xff, 'at most 255 keys', path)
        : int(v.nkeys, 0, 0xff, 'a u8', `${path}.nkeys`),
    );
    w.u8(int(v.pad, 0, 0xff, 'a u8', `${path}.pad`));
    w.be16(int(v.offmask, 0, 0xffff, 'a u16', `${path}.offmask`));
    w.u16(int(v.off, 0, 0xffff, 'a u16', `${path}.off`));
    w.s16(int(v.offoff, -0x8000, 0x7fff, 'an s16', `${path}.offoff`));
    w.s16(int(v.hoff, -0x8000, 0x7fff, 'an s16', `${path}.hoff`));
    w.be32(int(v.hmask, 0, 0xffffffff, 'a u32', `${path}.hmask`));
    keys.forEach((k, i) => {
      const p = `${path}.keys[${i}]`;
      if (k === null || typeof k !== 'object') throw new EncodeError('expected a key', p);
      w.be32(int(k.mask, 0, 0xffffffff, 'a u32', `${p}.mask`));
      w.be32(int(k.val, 0, 0xffffffff, 'a u32', `${p}.val`));
      w.s32(int(k.off, -0x80000000, 0x7fffffff, 'an s32', `${p}.off`));
      w.s32(int(k.offmask, -0x80000000, 0x7fffffff, 'an s32', `${p}.offmask`));
    });
    if (v.$extra !== undefined) w.bytes(v.$extra);
  },
});

/** struct tc_u32_mark (TCA_U32_MARK). */
export const tcU32Mark = struct(
  'tc_u32_mark',
  [
    ['val', 'u32'],
    ['mask', 'u32'],
    ['success', 'u32'],
  ],
  12,
);

/** struct tc_u32_pcnt (TCA_U32_PCNT, with CONFIG_CLS_U32_PERF): lookups, hits, then hits per key. */
export interface U32Pcnt {
  /** How often the rule was looked at (rcnt). */
  rcnt: bigint;
  /** How often it matched (rhit). */
  rhit: bigint;
  /** Per key: how often that key matched (kcnts[]). */
  kcnts: bigint[];
  $extra?: Uint8Array;
}
export const u32Pcnt = custom<U32Pcnt>({
  name: 'tc_u32_pcnt',
  decode(buf, view, at, len, path) {
    if (len < 16) throw new DecodeError(`tc_u32_pcnt of ${len} bytes, expected at least 16`, at, path);
    const out: U32Pcnt = { rcnt: view.getBigUint64(at, true), rhit: view.getBigUint64(at + 8, true), kcnts: [] };
    let pos = at + 16;
    for (; pos + 8 <= at + len; pos += 8) out.kcnts.push(view.getBigUint64(pos, true));
    if (pos < at + len) out.$extra = buf.slice(pos, at + len);
    return out;
  },
  encode(w: Writer, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError('expected { rcnt, rhit, kcnts }', path);
    const u64 = (x: unknown, p: string) => {
      if (typeof x !== 'bigint' || x < 0n || x >= 1n << 64n) throw new EncodeError('expected a u64 bigint', p);
      w.u64(x);
    };
    u64(v.rcnt, `${path}.rcnt`);
    u64(v.rhit, `${path}.rhit`);
    (v.kcnts ?? []).forEach((k, i) => u64(k, `${path}.kcnts[${i}]`));
    if (v.$extra !== undefined) w.bytes(v.$extra);
  },
});

export const u32Attrs = attrs('TCA_U32', {
  classid: [C.TCA_U32_CLASSID, 'u32'],
  hash: [C.TCA_U32_HASH, 'u32'],
  link: [C.TCA_U32_LINK, 'u32'],
  divisor: [C.TCA_U32_DIVISOR, 'u32'],
  sel: [C.TCA_U32_SEL, u32Sel],
  police: [C.TCA_U32_POLICE, nest(policeAttrs)],
  act: [C.TCA_U32_ACT, actionList],
  indev: [C.TCA_U32_INDEV, 'string'],
  pcnt: [C.TCA_U32_PCNT, u32Pcnt],
  mark: [C.TCA_U32_MARK, tcU32Mark],
  flags: [C.TCA_U32_FLAGS, 'u32'],
  pad: [C.TCA_U32_PAD, 'binary'],
});
export type U32Attrs = SetValues<typeof u32Attrs>;

/** cls_bpf: an eBPF program by fd (with its name and TCA_BPF_FLAG_ACT_DIRECT), or classic BPF ops. */
export const bpfAttrs = attrs('TCA_BPF', {
  act: [C.TCA_BPF_ACT, actionList],
  police: [C.TCA_BPF_POLICE, nest(policeAttrs)],
  classid: [C.TCA_BPF_CLASSID, 'u32'],
  opsLen: [C.TCA_BPF_OPS_LEN, 'u16'],
  // struct sock_filter[opsLen]: { u16 code, u8 jt, u8 jf, u32 k } each.
  ops: [C.TCA_BPF_OPS, 'binary'],
  fd: [C.TCA_BPF_FD, 'u32'],
  name: [C.TCA_BPF_NAME, 'string'],
  flags: [C.TCA_BPF_FLAGS, 'u32'],
  flagsGen: [C.TCA_BPF_FLAGS_GEN, 'u32'],
  tag: [C.TCA_BPF_TAG, 'binary'],
  id: [C.TCA_BPF_ID, 'u32'],
});
export type BpfAttrs = SetValues<typeof bpfAttrs>;

export const matchallAttrs = attrs('TCA_MATCHALL', {
  classid: [C.TCA_MATCHALL_CLASSID, 'u32'],
  act: [C.TCA_MATCHALL_ACT, actionList],
  flags: [C.TCA_MATCHALL_FLAGS, 'u32'],
  // struct tc_matchall_pcnt
  pcnt: [C.TCA_MATCHALL_PCNT, struct('tc_matchall_pcnt', [['rhit', 'u64']], 8)],
  pad: [C.TCA_MATCHALL_PAD, 'binary'],
});
export type MatchallAttrs = SetValues<typeof matchallAttrs>;

/**
 * flower: the keys users match on most (Ethernet, VLAN, IP protocol, IPv4/IPv6 addresses, TCP,
 * UDP and SCTP ports, ICMP, IP TOS/TTL, TCP flags), each with its mask. Other keys are kept as
 * raw attributes.
 */
export const flowerAttrs = attrs('TCA_FLOWER', {
  classid: [C.TCA_FLOWER_CLASSID, 'u32'],
  indev: [C.TCA_FLOWER_INDEV, 'string'],
  act: [C.TCA_FLOWER_ACT, actionList],
  keyEthDst: [C.TCA_FLOWER_KEY_ETH_DST, 'mac'],
  keyEthDstMask: [C.TCA_FLOWER_KEY_ETH_DST_MASK, 'mac'],
  keyEthSrc: [C.TCA_FLOWER_KEY_ETH_SRC, 'mac'],
  keyEthSrcMask: [C.TCA_FLOWER_KEY_ETH_SRC_MASK, 'mac'],
  keyEthType: [C.TCA_FLOWER_KEY_ETH_TYPE, 'be16'],
  keyIpProto: [C.TCA_FLOWER_KEY_IP_PROTO, 'u8'],
  keyIpv4Src: [C.TCA_FLOWER_KEY_IPV4_SRC, 'ipv4'],
  keyIpv4SrcMask: [C.TCA_FLOWER_KEY_IPV4_SRC_MASK, 'ipv4'],
  keyIpv4Dst: [C.TCA_FLOWER_KEY_IPV4_DST, 'ipv4'],
  keyIpv4DstMask: [C.TCA_FLOWER_KEY_IPV4_DST_MASK, 'ipv4'],
  keyIpv6Src: [C.TCA_FLOWER_KEY_IPV6_SRC, 'ipv6'],
  keyIpv6SrcMask: [C.TCA_FLOWER_KEY_IPV6_SRC_MASK, 'ipv6'],
  keyIpv6Dst: [C.TCA_FLOWER_KEY_IPV6_DST, 'ipv6'],
  keyIpv6DstMask: [C.TCA_FLOWER_KEY_IPV6_DST_MASK, 'ipv6'],
  keyTcpSrc: [C.TCA_FLOWER_KEY_TCP_SRC, 'be16'],
  keyTcpDst: [C.TCA_FLOWER_KEY_TCP_DST, 'be16'],
  keyUdpSrc: [C.TCA_FLOWER_KEY_UDP_SRC, 'be16'],
  keyUdpDst: [C.TCA_FLOWER_KEY_UDP_DST, 'be16'],
  flags: [C.TCA_FLOWER_FLAGS, 'u32'],
  keyVlanId: [C.TCA_FLOWER_KEY_VLAN_ID, 'u16'],
  keyVlanPrio: [C.TCA_FLOWER_KEY_VLAN_PRIO, 'u8'],
  keyVlanEthType: [C.TCA_FLOWER_KEY_VLAN_ETH_TYPE, 'be16'],
  keyTcpSrcMask: [C.TCA_FLOWER_KEY_TCP_SRC_MASK, 'be16'],
  keyTcpDstMask: [C.TCA_FLOWER_KEY_TCP_DST_MASK, 'be16'],
  keyUdpSrcMask: [C.TCA_FLOWER_KEY_UDP_SRC_MASK, 'be16'],
  keyUdpDstMask: [C.TCA_FLOWER_KEY_UDP_DST_MASK, 'be16'],
  keySctpSrcMask: [C.TCA_FLOWER_KEY_SCTP_SRC_MASK, 'be16'],
  keySctpDstMask: [C.TCA_FLOWER_KEY_SCTP_DST_MASK, 'be16'],
  keySctpSrc: [C.TCA_FLOWER_KEY_SCTP_SRC, 'be16'],
  keySctpDst: [C.TCA_FLOWER_KEY_SCTP_DST, 'be16'],
  keyFlags: [C.TCA_FLOWER_KEY_FLAGS, 'be32'],
  keyFlagsMask: [C.TCA_FLOWER_KEY_FLAGS_MASK, 'be32'],
  keyIcmpv4Code: [C.TCA_FLOWER_KEY_ICMPV4_CODE, 'u8'],
  keyIcmpv4CodeMask: [C.TCA_FLOWER_KEY_ICMPV4_CODE_MASK, 'u8'],
  keyIcmpv4Type: [C.TCA_FLOWER_KEY_ICMPV4_TYPE, 'u8'],
  keyIcmpv4TypeMask: [C.TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, 'u8'],
  keyIcmpv6Code: [C.TCA_FLOWER_KEY_ICMPV6_CODE, 'u8'],
  keyIcmpv6CodeMask: [C.TCA_FLOWER_KEY_ICMPV6_CODE_MASK, 'u8'],
  keyIcmpv6Type: [C.TCA_FLOWER_KEY_ICMPV6_TYPE, 'u8'],
  keyIcmpv6TypeMask: [C.TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, 'u8'],
  keyTcpFlags: [C.TCA_FLOWER_KEY_TCP_FLAGS, 'be16'],
  keyTcpFlagsMask: [C.TCA_FLOWER_KEY_TCP_FLAGS_MASK, 'be16'],
  keyIpTos: [C.TCA_FLOWER_KEY_IP_TOS, 'u8'],
  keyIpTosMask: [C.TCA_FLOWER_KEY_IP_TOS_MASK, 'u8'],
  keyIpTtl: [C.TCA_FLOWER_KEY_IP_TTL, 'u8'],
  keyIpTtlMask: [C.TCA_FLOWER_KEY_IP_TTL_MASK, 'u8'],
  inHwCount: [C.TCA_FLOWER_IN_HW_COUNT, 'u32'],
  // The rest of cls_flower's keys (tunnel, ARP, MPLS, conntrack, ...): typed for decoding, never
  // built by rtnl. Nested option sets (tunnel options, MPLS LSEs, CFM) stay bytes.
  keyEncKeyId: [C.TCA_FLOWER_KEY_ENC_KEY_ID, 'be32'],
  keyEncIpv4Src: [C.TCA_FLOWER_KEY_ENC_IPV4_SRC, 'ipv4'],
  keyEncIpv4SrcMask: [C.TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, 'ipv4'],
  keyEncIpv4Dst: [C.TCA_FLOWER_KEY_ENC_IPV4_DST, 'ipv4'],
  keyEncIpv4DstMask: [C.TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, 'ipv4'],
  keyEncIpv6Src: [C.TCA_FLOWER_KEY_ENC_IPV6_SRC, 'ipv6'],
  keyEncIpv6SrcMask: [C.TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, 'ipv6'],
  keyEncIpv6Dst: [C.TCA_FLOWER_KEY_ENC_IPV6_DST, 'ipv6'],
  keyEncIpv6DstMask: [C.TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, 'ipv6'],
  keyEncUdpSrcPort: [C.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, 'be16'],
  keyEncUdpSrcPortMask: [C.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, 'be16'],
  keyEncUdpDstPort: [C.TCA_FLOWER_KEY_ENC_UDP_DST_PORT, 'be16'],
  keyEncUdpDstPortMask: [C.TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 'be16'],
  keyArpSip: [C.TCA_FLOWER_KEY_ARP_SIP, 'be32'],
  keyArpSipMask: [C.TCA_FLOWER_KEY_ARP_SIP_MASK, 'be32'],
  keyArpTip: [C.TCA_FLOWER_KEY_ARP_TIP, 'be32'],
  keyArpTipMask: [C.TCA_FLOWER_KEY_ARP_TIP_MASK, 'be32'],
  keyArpOp: [C.TCA_FLOWER_KEY_ARP_OP, 'u8'],
  keyArpOpMask: [C.TCA_FLOWER_KEY_ARP_OP_MASK, 'u8'],
  keyArpSha: [C.TCA_FLOWER_KEY_ARP_SHA, 'mac'],
  keyArpShaMask: [C.TCA_FLOWER_KEY_ARP_SHA_MASK, 'mac'],
  keyArpTha: [C.TCA_FLOWER_KEY_ARP_THA, 'mac'],
  keyArpThaMask: [C.TCA_FLOWER_KEY_ARP_THA_MASK, 'mac'],
  keyMplsTtl: [C.TCA_FLOWER_KEY_MPLS_TTL, 'u8'],
  keyMplsBos: [C.TCA_FLOWER_KEY_MPLS_BOS, 'u8'],
  keyMplsTc: [C.TCA_FLOWER_KEY_MPLS_TC, 'u8'],
  keyMplsLabel: [C.TCA_FLOWER_KEY_MPLS_LABEL, 'u32'],
  keyCvlanId: [C.TCA_FLOWER_KEY_CVLAN_ID, 'u16'],
  keyCvlanPrio: [C.TCA_FLOWER_KEY_CVLAN_PRIO, 'u8'],
  keyCvlanEthType: [C.TCA_FLOWER_KEY_CVLAN_ETH_TYPE, 'be16'],
  keyEncIpTos: [C.TCA_FLOWER_KEY_ENC_IP_TOS, 'u8'],
  keyEncIpTosMask: [C.TCA_FLOWER_KEY_ENC_IP_TOS_MASK, 'u8'],
  keyEncIpTtl: [C.TCA_FLOWER_KEY_ENC_IP_TTL, 'u8'],
  keyEncIpTtlMask: [C.TCA_FLOWER_KEY_ENC_IP_TTL_MASK, 'u8'],
  keyEncOpts: [C.TCA_FLOWER_KEY_ENC_OPTS, 'binary'],
  keyEncOptsMask: [C.TCA_FLOWER_KEY_ENC_OPTS_MASK, 'binary'],
  keyPortSrcMin: [C.TCA_FLOWER_KEY_PORT_SRC_MIN, 'be16'],
  keyPortSrcMax: [C.TCA_FLOWER_KEY_PORT_SRC_MAX, 'be16'],
  keyPortDstMin: [C.TCA_FLOWER_KEY_PORT_DST_MIN, 'be16'],
  keyPortDstMax: [C.TCA_FLOWER_KEY_PORT_DST_MAX, 'be16'],
  keyCtState: [C.TCA_FLOWER_KEY_CT_STATE, 'u16'],
  keyCtStateMask: [C.TCA_FLOWER_KEY_CT_STATE_MASK, 'u16'],
  keyCtZone: [C.TCA_FLOWER_KEY_CT_ZONE, 'u16'],
  keyCtZoneMask: [C.TCA_FLOWER_KEY_CT_ZONE_MASK, 'u16'],
  keyCtMark: [C.TCA_FLOWER_KEY_CT_MARK, 'u32'],
  keyCtMarkMask: [C.TCA_FLOWER_KEY_CT_MARK_MASK, 'u32'],
  keyCtLabels: [C.TCA_FLOWER_KEY_CT_LABELS, 'binary'],
  keyCtLabelsMask: [C.TCA_FLOWER_KEY_CT_LABELS_MASK, 'binary'],
  keyMplsOpts: [C.TCA_FLOWER_KEY_MPLS_OPTS, 'binary'],
  keyHash: [C.TCA_FLOWER_KEY_HASH, 'u32'],
  keyHashMask: [C.TCA_FLOWER_KEY_HASH_MASK, 'u32'],
  keyNumOfVlans: [C.TCA_FLOWER_KEY_NUM_OF_VLANS, 'u8'],
  keyPppoeSid: [C.TCA_FLOWER_KEY_PPPOE_SID, 'be16'],
  keyPppProto: [C.TCA_FLOWER_KEY_PPP_PROTO, 'be16'],
  keyL2tpv3Sid: [C.TCA_FLOWER_KEY_L2TPV3_SID, 'be32'],
  l2Miss: [C.TCA_FLOWER_L2_MISS, 'u8'],
  keyCfm: [C.TCA_FLOWER_KEY_CFM, 'binary'],
  keySpi: [C.TCA_FLOWER_KEY_SPI, 'be32'],
  keySpiMask: [C.TCA_FLOWER_KEY_SPI_MASK, 'be32'],
  keyEncFlags: [C.TCA_FLOWER_KEY_ENC_FLAGS, 'be32'],
  keyEncFlagsMask: [C.TCA_FLOWER_KEY_ENC_FLAGS_MASK, 'be32'],
});
export type FlowerAttrs = SetValues<typeof flowerAttrs>;

/** TCA_OPTIONS of filters (and chain templates), by TCA_KIND. */
export const filterOptionCases = {
  u32: nest(u32Attrs),
  bpf: nest(bpfAttrs),
  flower: nest(flowerAttrs),
  matchall: nest(matchallAttrs),
} as const satisfies Record<string, Kind>;
