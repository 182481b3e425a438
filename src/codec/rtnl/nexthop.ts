/**
 * Nexthop objects: struct nhmsg + NHA_* (RTM_NEWNEXTHOP, RTM_DELNEXTHOP, RTM_GETNEXTHOP) and the
 * buckets of resilient groups (RTM_NEWNEXTHOPBUCKET, RTM_DELNEXTHOPBUCKET, RTM_GETNEXTHOPBUCKET),
 * which share the header and the attribute set.
 *
 * NHA_GROUP is an array of struct nexthop_grp: the weight minus one is split over `weight` (low
 * byte) and `weightHigh` (high byte, Linux 6.12+; older kernels call it resvd1 and keep weights
 * at 1..256). It decodes to the raw structs; ops join the two bytes.
 */
import { DecodeError, EncodeError } from '../../errors.js';
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, custom, multi, nest, struct, type SetValues, type StructValue } from '../schema.js';
import { compileStruct } from '../struct.js';
import { lwtEncap } from './lwtunnel.js';
import { uint } from './uint.js';

export const nhmsg = struct(
  'nhmsg',
  [
    ['family', 'u8'],
    ['scope', 'u8'],
    ['protocol', 'u8'],
    ['resvd', 'u8'],
    ['flags', 'u32'],
  ],
  8,
);
export type NhMsg = StructValue<typeof nhmsg.fields>;

/** struct nexthop_grp: one member of NHA_GROUP. */
export const nexthopGrp = struct(
  'nexthop_grp',
  [
    ['id', 'u32'],
    ['weight', 'u8'],
    ['weightHigh', 'u8'],
    ['resvd2', 'u16'],
  ],
  8,
);
export type NexthopGrp = StructValue<typeof nexthopGrp.fields>;

/** NHA_GROUP: a packed array of struct nexthop_grp (its length is a multiple of 8). */
export const nexthopGroup = custom<NexthopGrp[]>({
  name: 'nexthop_grp[]',
  decode(buf, view, at, len, path) {
    const s = compileStruct(nexthopGrp);
    if (len % s.size !== 0)
      throw new DecodeError(`NHA_GROUP of ${len} bytes is not a whole number of nexthop_grp`, at, path);
    const out: NexthopGrp[] = [];
    for (let pos = at; pos < at + len; pos += s.size)
      out.push(s.decode(buf, view, pos, s.size, `${path}[${out.length}]`) as NexthopGrp);
    return out;
  },
  encode(w, value, path) {
    const s = compileStruct(nexthopGrp);
    if (!Array.isArray(value)) throw new EncodeError('expected an array of nexthop_grp', path);
    value.forEach((g, i) => s.encode(w, g as Record<string, unknown>, `${path}[${i}]`));
  },
});

/** NHA_RES_GROUP: the parameters of a resilient group (timers in clock ticks, USER_HZ). */
export const resGroupAttrs = attrs('NHA_RES_GROUP', {
  pad: [C.NHA_RES_GROUP_PAD, 'binary'],
  buckets: [C.NHA_RES_GROUP_BUCKETS, 'u16'],
  idleTimer: [C.NHA_RES_GROUP_IDLE_TIMER, 'u32'],
  unbalancedTimer: [C.NHA_RES_GROUP_UNBALANCED_TIMER, 'u32'],
  unbalancedTime: [C.NHA_RES_GROUP_UNBALANCED_TIME, 'u64'],
});
export type ResGroupAttrs = SetValues<typeof resGroupAttrs>;

/** NHA_RES_BUCKET: one bucket of a resilient group (RTM_NEWNEXTHOPBUCKET). */
export const resBucketAttrs = attrs('NHA_RES_BUCKET', {
  pad: [C.NHA_RES_BUCKET_PAD, 'binary'],
  index: [C.NHA_RES_BUCKET_INDEX, 'u16'],
  idleTime: [C.NHA_RES_BUCKET_IDLE_TIME, 'u64'],
  nhId: [C.NHA_RES_BUCKET_NH_ID, 'u32'],
});
export type ResBucketAttrs = SetValues<typeof resBucketAttrs>;

/** One NHA_GROUP_STATS_ENTRY (Linux 6.10+, with NHA_OP_FLAG_DUMP_STATS). */
export const groupStatsEntryAttrs = attrs('NHA_GROUP_STATS_ENTRY', {
  id: [C.NHA_GROUP_STATS_ENTRY_ID, 'u32'],
  packets: [C.NHA_GROUP_STATS_ENTRY_PACKETS, uint],
  packetsHw: [C.NHA_GROUP_STATS_ENTRY_PACKETS_HW, uint],
});

export const groupStatsAttrs = attrs('NHA_GROUP_STATS', {
  entry: [C.NHA_GROUP_STATS_ENTRY, multi(nest(groupStatsEntryAttrs))],
});

export const nexthopAttrs = attrs('NHA', {
  // 0 in a request: the kernel picks the id.
  id: [C.NHA_ID, 'u32'],
  group: [C.NHA_GROUP, nexthopGroup],
  // NEXTHOP_GRP_TYPE_MPATH (0) or NEXTHOP_GRP_TYPE_RES (1).
  groupType: [C.NHA_GROUP_TYPE, 'u16'],
  blackhole: [C.NHA_BLACKHOLE, 'flag'],
  oif: [C.NHA_OIF, 'u32'],
  // 4 or 16 bytes by nh_family.
  gateway: [C.NHA_GATEWAY, 'ip'],
  encapType: [C.NHA_ENCAP_TYPE, 'u16'],
  // By encapType, as RTA_ENCAP (lwtunnel.ts). The kernel wants NLA_F_NESTED in requests (replies lack it).
  encap: [C.NHA_ENCAP, lwtEncap, { nestedFlag: true }],
  // Dump filter: only groups.
  groups: [C.NHA_GROUPS, 'flag'],
  // Dump filter: only nexthops whose device has this master.
  master: [C.NHA_MASTER, 'u32'],
  fdb: [C.NHA_FDB, 'flag'],
  resGroup: [C.NHA_RES_GROUP, nest(resGroupAttrs), { nestedFlag: true }],
  resBucket: [C.NHA_RES_BUCKET, nest(resBucketAttrs), { nestedFlag: true }],
  opFlags: [C.NHA_OP_FLAGS, 'u32'],
  groupStats: [C.NHA_GROUP_STATS, nest(groupStatsAttrs)],
  hwStatsEnable: [C.NHA_HW_STATS_ENABLE, 'u32'],
  hwStatsUsed: [C.NHA_HW_STATS_USED, 'u32'],
});
export type NexthopAttrs = SetValues<typeof nexthopAttrs>;

export const nexthopMessages: MessageDef = {
  family: 'nexthop',
  types: {
    [C.RTM_NEWNEXTHOP]: 'RTM_NEWNEXTHOP',
    [C.RTM_DELNEXTHOP]: 'RTM_DELNEXTHOP',
    [C.RTM_GETNEXTHOP]: 'RTM_GETNEXTHOP',
  },
  header: nhmsg,
  attrs: nexthopAttrs,
};

export const nexthopBucketMessages: MessageDef = {
  family: 'nexthopBucket',
  types: {
    [C.RTM_NEWNEXTHOPBUCKET]: 'RTM_NEWNEXTHOPBUCKET',
    [C.RTM_DELNEXTHOPBUCKET]: 'RTM_DELNEXTHOPBUCKET',
    [C.RTM_GETNEXTHOPBUCKET]: 'RTM_GETNEXTHOPBUCKET',
  },
  header: nhmsg,
  attrs: nexthopAttrs,
};
