/**
 * Nexthop objects (Linux 5.3+): single nexthops, groups (multipath and resilient) and the buckets
 * of resilient groups. Routes refer to them by id (`nhid`), bridge FDB entries of a VXLAN device
 * by the id of an fdb group.
 */
import type { z } from 'zod';
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { NexthopAttrs, NexthopGrp, NhMsg } from '../codec/rtnl/nexthop.js';
import { RtnlError, ValidationError } from '../errors.js';
import { defined, isCode, listOf, req, type ListResult } from './common.js';
import type { OpContext } from './context.js';
import { nameOf, nexthopFlagNames, numberOf, PROTOCOL_NAMES, SCOPE_NAMES } from './names.js';
import { type Encap, type EncapSpec, encapAttrs, encapOf, encapZod } from './lwtunnel.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** Clock ticks per second of the kernel's clock_t values (USER_HZ). */
const USER_HZ = 100;

/** One member of a nexthop group. */
export interface NexthopGroupMember {
  id: number;
  /** 1..256, or up to 65536 on Linux 6.12+ (weight_high). */
  weight: number;
}

/** The parameters of a resilient group, timers in seconds. */
export interface ResilientParams {
  buckets: number;
  idleTimer: number;
  unbalancedTimer: number;
  /** How long the group has been unbalanced (0: it is balanced). */
  unbalancedTime: number;
}

/** One member's counters in a group (NHA_GROUP_STATS_ENTRY, Linux 6.10+). */
export interface NexthopGroupStats {
  /** The member nexthop. */
  id: number;
  /** Packets forwarded through this member (software and hardware). */
  packets: number;
  /** Of those, packets forwarded in hardware (only with `stats: 'hw'`). */
  packetsHw?: number;
}

/** A nexthop as rtnl reports it. `attrs` holds every decoded NHA attribute. */
export interface Nexthop {
  id: number;
  /** The address family (absent for groups and AF_UNSPEC nexthops). */
  family?: 4 | 6;
  gateway?: string;
  /** Output interface index (NHA_OIF). */
  oif?: number;
  /** Lightweight tunnel encapsulation (NHA_ENCAP_TYPE + NHA_ENCAP): MPLS, IP and IP6 typed. */
  encap?: Encap;
  blackhole: boolean;
  /** A nexthop (or group) for bridge FDB entries of VXLAN devices. */
  fdb: boolean;
  /** The members of a group, with their weights (weight_high joined in). */
  group?: NexthopGroupMember[];
  /** The kind of group: 'mpath' (hash-threshold) or 'resilient'. */
  groupType?: 'mpath' | 'resilient' | number;
  resilient?: ResilientParams;
  /** Per-member packet counts of a group, when listed with `stats` (Linux 6.10+). */
  groupStats?: NexthopGroupStats[];
  /**
   * Whether hardware statistics were asked for on a group (NHA_HW_STATS_ENABLE) and whether a
   * driver provides them (NHA_HW_STATS_USED, only with `stats: 'hw'`). Present with `stats`.
   */
  hwStats?: { enabled: boolean; used?: boolean };
  /** 'link', 'host', 'global', ... */
  scope: string;
  /** 'boot', 'static', 'zebra', ... ('unspec' when not given). */
  protocol: string;
  /** RTNH_F_* names: 'onlink', 'dead', 'linkdown', ... */
  flags: string[];
  header: NhMsg;
  attrs: NexthopAttrs;
}

/** One bucket of a resilient group. */
export interface NexthopBucket {
  /** The group's id. */
  id: number;
  index: number;
  /** Seconds since the bucket was last used. */
  idleTime: number;
  /** The member nexthop the bucket points to. */
  nhId: number;
  flags: string[];
  header: NhMsg;
  attrs: NexthopAttrs;
}

/** A nexthop to add or replace: a gateway and/or device, a blackhole, or a group. */
export interface NexthopSpec {
  /** Default: the kernel picks one (add() returns the nexthop it made). */
  id?: number;
  /** Needed only for a device-only nexthop (default 4); inferred from `gateway`. */
  family?: 4 | 6 | 'inet' | 'inet6';
  gateway?: string;
  dev?: string | number;
  /** Pretend the gateway is on-link (RTNH_F_ONLINK). */
  onlink?: boolean;
  /**
   * Encapsulate (lightweight tunnel): `{ type: 'mpls', labels: [100, 200] }` (needs kernel MPLS
   * support), `{ type: 'ip', id, dst }` or `{ type: 'ip6', ... }` for a collect_md device.
   */
  encap?: EncapSpec;
  blackhole?: boolean;
  /** For bridge FDB entries of VXLAN devices (NHA_FDB): a gateway without a device, or a group. */
  fdb?: boolean;
  /** Members of a group: ids and weights 1..256 (up to 65536 on Linux 6.12+). */
  group?: Array<{ id: number; weight?: number }>;
  /** Default 'mpath'. */
  type?: 'mpath' | 'resilient';
  /** Resilient group parameters; timers in seconds. */
  resilient?: { buckets?: number; idleTimer?: number; unbalancedTimer?: number };
  /** Ask drivers to count a group's packets in hardware (NHA_HW_STATS_ENABLE, Linux 6.10+). */
  hwStats?: boolean;
  protocol?: string | number;
}

/** What list() and get() report besides the nexthops themselves. */
export interface NexthopStatsOption {
  /**
   * Per-member packet counts of groups (NHA_OP_FLAG_DUMP_STATS, Linux 6.10+); 'hw' adds the
   * hardware counts and whether they are used (NHA_OP_FLAG_DUMP_HW_STATS). Older kernels ignore it.
   */
  stats?: boolean | 'hw';
}

/** Which nexthops list() and flush() return. */
export interface NexthopListFilter {
  /** Only nexthops out of this device. */
  dev?: string | number;
  /** Only groups. */
  groups?: boolean;
  /** Only fdb nexthops (also filtered here: the kernel does not always). */
  fdb?: boolean;
  /** Only nexthops whose device is enslaved to this master (a VRF). */
  master?: string | number;
  /** Only this protocol (filtered here: the kernel has no protocol filter). */
  protocol?: string | number;
  /** Report groups' packet counts (see NexthopStatsOption). */
  stats?: boolean | 'hw';
}

/** Which buckets buckets() returns. */
export interface NexthopBucketFilter {
  /** Only this group's buckets. */
  id?: number;
  /** Only buckets pointing to this member nexthop. */
  nhid?: number;
  dev?: string | number;
  master?: string | number;
}

const S = schemas((z) => {
  const { family, ip, linkRef, protocol, u32 } = V();
  const id = z.number().int().min(1).max(0xffffffff);
  const seconds = z
    .number()
    .min(0)
    .max(0xffffffff / USER_HZ);
  const encapSchema = encapZod(z, ip);
  const specSchema = z
    .object({
      id: id.optional(),
      family: family.optional(),
      gateway: ip.optional(),
      dev: linkRef.optional(),
      onlink: z.boolean().optional(),
      encap: encapSchema.optional(),
      blackhole: z.boolean().optional(),
      fdb: z.boolean().optional(),
      group: z
        .array(z.object({ id, weight: z.number().int().min(1).max(65536).optional() }).strict())
        .min(1)
        // what one NHA_GROUP attribute holds (8-byte struct nexthop_grp each)
        .max(Math.floor((0xffff - 4) / 8))
        .optional(),
      type: z.enum(['mpath', 'resilient']).optional(),
      resilient: z
        .object({
          buckets: z.number().int().min(1).max(0xffff).optional(),
          idleTimer: seconds.optional(),
          unbalancedTimer: seconds.optional(),
        })
        .strict()
        .optional(),
      hwStats: z.boolean().optional(),
      protocol: protocol.optional(),
    })
    .strict();
  const stats = z.union([z.boolean(), z.literal('hw')]);
  const listSchema = z
    .object({
      dev: linkRef.optional(),
      groups: z.boolean().optional(),
      fdb: z.boolean().optional(),
      master: linkRef.optional(),
      protocol: protocol.optional(),
      stats: stats.optional(),
    })
    .strict();
  const getSchema = z.object({ stats: stats.optional() }).strict();
  const bucketSchema = z
    .object({ id: id.optional(), nhid: id.optional(), dev: linkRef.optional(), master: linkRef.optional() })
    .strict();
  const optsSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  return { specSchema, listSchema, getSchema, bucketSchema, optsSchema, id, u32 };
});
type Spec = z.output<ReturnType<typeof S>['specSchema']>;

/** NHA_OP_FLAGS for a stats option (undefined: none sent). */
const opFlags = (stats: boolean | 'hw' | undefined): number | undefined =>
  !stats ? undefined : C.NHA_OP_FLAG_DUMP_STATS | (stats === 'hw' ? C.NHA_OP_FLAG_DUMP_HW_STATS : 0);

const NH_HEADER = { family: C.AF_UNSPEC, scope: 0, protocol: 0, resvd: 0, flags: 0 };
const ticks = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * USER_HZ));
const seconds = (t: number | bigint | undefined) => Number(t ?? 0) / USER_HZ;

/** A uint counter (4 or 8 bytes on the wire) as a number. */
const count = (v: number | bigint | Uint8Array | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;

/** The weight of a group member: (weight_high << 8 | weight) + 1. */
export const memberWeight = (g: NexthopGrp): number => (((g.weightHigh ?? 0) << 8) | (g.weight ?? 0)) + 1;

export function toNexthop(m: NetlinkMessage): Nexthop {
  const h = m.body as NhMsg;
  const a = m.attrs as NexthopAttrs;
  const n: Nexthop = {
    id: a.id ?? 0,
    blackhole: a.blackhole === true,
    fdb: a.fdb === true,
    scope: nameOf(SCOPE_NAMES, h.scope ?? 0),
    protocol: nameOf(PROTOCOL_NAMES, h.protocol ?? 0),
    flags: nexthopFlagNames(h.flags ?? 0),
    header: h,
    attrs: a,
  };
  if (h.family === C.AF_INET) n.family = 4;
  else if (h.family === C.AF_INET6) n.family = 6;
  if (a.gateway !== undefined) n.gateway = a.gateway;
  if (a.oif !== undefined) n.oif = a.oif;
  if (a.encapType !== undefined) n.encap = encapOf(a.encapType, a.encap);
  if (a.group !== undefined) {
    n.group = a.group.map((g) => ({ id: g.id ?? 0, weight: memberWeight(g) }));
    const t = a.groupType ?? C.NEXTHOP_GRP_TYPE_MPATH;
    n.groupType = t === C.NEXTHOP_GRP_TYPE_MPATH ? 'mpath' : t === C.NEXTHOP_GRP_TYPE_RES ? 'resilient' : t;
  }
  if (a.groupStats !== undefined) {
    n.groupStats = (a.groupStats.entry ?? []).map((e) => {
      const s: NexthopGroupStats = { id: e.id ?? 0, packets: count(e.packets) };
      if (e.packetsHw !== undefined) s.packetsHw = count(e.packetsHw);
      return s;
    });
  }
  if (a.hwStatsEnable !== undefined) {
    n.hwStats = { enabled: a.hwStatsEnable !== 0 };
    if (a.hwStatsUsed !== undefined) n.hwStats.used = a.hwStatsUsed !== 0;
  }
  if (a.resGroup !== undefined) {
    const r = a.resGroup;
    n.resilient = {
      buckets: r.buckets ?? 0,
      idleTimer: seconds(r.idleTimer),
      unbalancedTimer: seconds(r.unbalancedTimer),
      unbalancedTime: seconds(r.unbalancedTime),
    };
  }
  return n;
}

export function toNexthopBucket(m: NetlinkMessage): NexthopBucket {
  const h = m.body as NhMsg;
  const a = m.attrs as NexthopAttrs;
  const b = a.resBucket ?? {};
  return {
    id: a.id ?? 0,
    index: b.index ?? 0,
    idleTime: seconds(b.idleTime),
    nhId: b.nhId ?? 0,
    flags: nexthopFlagNames(h.flags ?? 0),
    header: h,
    attrs: a,
  };
}

const isNexthop = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWNEXTHOP';
const isBucket = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWNEXTHOPBUCKET';

export class Nexthops {
  constructor(private readonly nl: OpContext) {}

  /**
   * List nexthops, filtered by the kernel.
   *
   * Equivalent to: ip [-s [-s]] nexthop show [dev DEV] [groups] [fdb] [master DEV] [proto P]
   */
  async list(filter?: NexthopListFilter): Promise<ListResult<Nexthop>> {
    const f = filter === undefined ? {} : check(S().listSchema, filter, 'filter');
    const attrs: NexthopAttrs = defined({ opFlags: opFlags(f.stats) });
    if (f.dev !== undefined) attrs.oif = await this.nl.linkIndex(f.dev);
    if (f.groups) attrs.groups = true;
    if (f.fdb) attrs.fdb = true;
    if (f.master !== undefined) attrs.master = await this.nl.linkIndex(f.master);
    const msgs = await this.nl.engine.dump(req('RTM_GETNEXTHOP', NH_HEADER, attrs), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const proto = f.protocol === undefined ? undefined : numberOf(PROTOCOL_NAMES, f.protocol);
    // This kernel (6.18) answers an NHA_FDB dump with every nexthop; ip filters again, so do we.
    const keep = (m: NetlinkMessage) =>
      isNexthop(m) && (proto === undefined || m.body.protocol === proto) && (!f.fdb || m.attrs.fdb === true);
    return listOf(msgs, keep, toNexthop);
  }

  /**
   * One nexthop by id. Raises NetlinkError 'ENOENT' when there is none.
   *
   * Equivalent to: ip [-s [-s]] nexthop get id ID
   */
  async get(id: number, opts: NexthopStatsOption = {}): Promise<Nexthop> {
    const n = check(S().id, id, 'id');
    const o = check(S().getSchema, opts, 'options');
    const attrs: NexthopAttrs = defined({ id: n, opFlags: opFlags(o.stats) });
    const { replies } = await this.nl.engine.request(req('RTM_GETNEXTHOP', NH_HEADER, attrs));
    const m = replies.find(isNexthop);
    if (!m) throw new RtnlError('RTM_GETNEXTHOP: the kernel acknowledged without a nexthop', 'ERR_RTNL_NO_REPLY');
    return toNexthop(m);
  }

  /**
   * Add a nexthop; an existing id raises NetlinkError 'EEXIST'. Returns the nexthop as the
   * kernel made it (NLM_F_ECHO), with the id it chose when none was given.
   *
   * Equivalent to: ip nexthop add id ID { blackhole | [via ADDR] [dev DEV] [onlink] [fdb] |
   *   group ID[,WEIGHT]/... [fdb] [type resilient [buckets N] [idle_timer S] [unbalanced_timer S]] }
   *   [proto P]
   */
  async add(nexthop: NexthopSpec): Promise<Nexthop> {
    return this.send(nexthop, C.NLM_F_CREATE | C.NLM_F_EXCL);
  }

  /**
   * Add a nexthop or replace the one with this id (a group stays a group, a single nexthop a
   * single one). Returns the nexthop as the kernel made it.
   *
   * Equivalent to: ip nexthop replace id ID NH
   */
  async replace(nexthop: NexthopSpec): Promise<Nexthop> {
    if (nexthop?.id === undefined) throw new ValidationError('nexthop.id', 'replace needs the id', undefined);
    return this.send(nexthop, C.NLM_F_CREATE | C.NLM_F_REPLACE);
  }

  /**
   * Delete a nexthop by id. Routes using it go with it. With `ifExists: true`, a missing one is
   * not an error (returns false).
   *
   * Equivalent to: ip nexthop del id ID
   */
  async delete(id: number, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const n = check(S().id, id, 'id');
    const o = check(S().optsSchema, opts, 'options');
    try {
      await this.nl.engine.request(req('RTM_DELNEXTHOP', NH_HEADER, { id: n }));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /**
   * Delete every nexthop that list(filter) returns, groups first; returns how many were
   * deleted. One that disappears meanwhile is not an error.
   *
   * Equivalent to: ip nexthop flush [dev DEV] [groups] [fdb] [master DEV] [proto P]
   */
  async flush(filter?: NexthopListFilter): Promise<number> {
    const all = await this.list(filter);
    // Groups first: deleting a group's last member would delete the group behind our back.
    const groups = await Promise.all(all.filter((n) => n.group).map((n) => this.delete(n.id, { ifExists: true })));
    const rest = await Promise.all(all.filter((n) => !n.group).map((n) => this.delete(n.id, { ifExists: true })));
    return [...groups, ...rest].filter(Boolean).length;
  }

  /**
   * The buckets of resilient groups.
   *
   * Equivalent to: ip nexthop bucket show [id ID] [nhid ID] [dev DEV] [master DEV]
   */
  async buckets(filter?: NexthopBucketFilter): Promise<ListResult<NexthopBucket>> {
    const f = filter === undefined ? {} : check(S().bucketSchema, filter, 'filter');
    const attrs: NexthopAttrs = {};
    if (f.id !== undefined) attrs.id = f.id;
    if (f.dev !== undefined) attrs.oif = await this.nl.linkIndex(f.dev);
    if (f.master !== undefined) attrs.master = await this.nl.linkIndex(f.master);
    if (f.nhid !== undefined) attrs.resBucket = { nhId: f.nhid };
    const msgs = await this.nl.engine.dump(req('RTM_GETNEXTHOPBUCKET', NH_HEADER, attrs), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    return listOf(msgs, isBucket, toNexthopBucket);
  }

  /**
   * One bucket of a resilient group.
   *
   * Equivalent to: ip nexthop bucket get id ID index INDEX
   */
  async bucket(id: number, index: number): Promise<NexthopBucket> {
    const n = check(S().id, id, 'id');
    const i = check(V().u16, index, 'index');
    const { replies } = await this.nl.engine.request(
      req('RTM_GETNEXTHOPBUCKET', NH_HEADER, { id: n, resBucket: { index: i } }),
    );
    const m = replies.find(isBucket);
    if (!m) throw new RtnlError('RTM_GETNEXTHOPBUCKET: the kernel acknowledged without a bucket', 'ERR_RTNL_NO_REPLY');
    return toNexthopBucket(m);
  }

  private async send(nexthop: NexthopSpec, flags: number): Promise<Nexthop> {
    const msg = await this.build(nexthop);
    const { replies } = await this.nl.engine.request(msg, flags | C.NLM_F_ECHO);
    const m = replies.find(isNexthop);
    if (!m) throw new RtnlError('RTM_NEWNEXTHOP: the kernel did not echo the nexthop', 'ERR_RTNL_NO_REPLY');
    return toNexthop(m);
  }

  private async build(nexthop: NexthopSpec): Promise<NetlinkMessage> {
    const s: Spec = check(S().specSchema, nexthop, 'nexthop');
    const single = s.gateway !== undefined || s.dev !== undefined || s.onlink;
    if (s.group && (single || s.blackhole))
      throw new ValidationError(
        'nexthop.group',
        'a group has no gateway, device or blackhole of its own',
        nexthop.group,
      );
    if (s.encap !== undefined && (!single || s.fdb))
      throw new ValidationError(
        'nexthop.encap',
        'goes with a gateway or device (not a group, blackhole or fdb)',
        nexthop.encap,
      );
    if (s.blackhole && (single || s.fdb))
      throw new ValidationError('nexthop.blackhole', 'a blackhole has no gateway, device or fdb', nexthop.blackhole);
    // The kernel refuses these too ("Fdb attribute can not be used with encap, oif or blackhole").
    if (s.fdb && (s.dev !== undefined || s.onlink))
      throw new ValidationError('nexthop.fdb', 'an fdb nexthop has no device (nor onlink)', nexthop.fdb);
    if (s.group) {
      const seen = new Set<number>();
      for (const [i, g] of s.group.entries()) {
        if (seen.has(g.id)) throw new ValidationError(`nexthop.group.${i}.id`, 'is in the group twice', g.id);
        seen.add(g.id);
      }
    }
    if (!s.group && !s.blackhole && !single)
      throw new ValidationError('nexthop', 'give a gateway, a dev, blackhole or a group', nexthop);
    if (s.hwStats !== undefined && !s.group)
      throw new ValidationError('nexthop.hwStats', 'only a group has hardware statistics', nexthop.hwStats);
    if ((s.type !== undefined || s.resilient !== undefined) && !s.group)
      throw new ValidationError('nexthop.type', 'only a group has a type', nexthop.type);
    if (s.resilient !== undefined && s.type !== 'resilient')
      throw new ValidationError('nexthop.resilient', "goes with type 'resilient'", nexthop.resilient);
    let fam: number = C.AF_UNSPEC;
    if (!s.group) {
      const g = s.gateway === undefined ? undefined : s.gateway.includes(':') ? 6 : 4;
      const want = s.family;
      if (g !== undefined && want !== undefined && g !== want)
        throw new ValidationError(
          'nexthop.gateway',
          `is an IPv${g} address but nexthop.family is IPv${want}`,
          s.gateway,
        );
      // A blackhole or device-only nexthop needs a family too; ip defaults to IPv4.
      fam = (g ?? want ?? 4) === 4 ? C.AF_INET : C.AF_INET6;
    }
    const body = {
      ...NH_HEADER,
      family: fam,
      protocol: s.protocol === undefined ? 0 : numberOf(PROTOCOL_NAMES, s.protocol),
      flags: s.onlink ? C.RTNH_F_ONLINK : 0,
    };
    const attrs: NexthopAttrs = defined({ id: s.id });
    if (s.group) {
      attrs.group = s.group.map((g) => {
        const w = (g.weight ?? 1) - 1;
        return { id: g.id, weight: w & 0xff, weightHigh: w >> 8, resvd2: 0 };
      });
      if (s.type === 'resilient') {
        attrs.groupType = C.NEXTHOP_GRP_TYPE_RES;
        const r = s.resilient ?? {};
        attrs.resGroup = defined({
          buckets: r.buckets,
          idleTimer: ticks(r.idleTimer),
          unbalancedTimer: ticks(r.unbalancedTimer),
        });
      }
      if (s.hwStats !== undefined) attrs.hwStatsEnable = s.hwStats ? 1 : 0;
    }
    if (s.blackhole) attrs.blackhole = true;
    if (s.dev !== undefined) attrs.oif = await this.nl.linkIndex(s.dev);
    if (s.gateway !== undefined) attrs.gateway = s.gateway;
    if (s.encap !== undefined) Object.assign(attrs, encapAttrs(s.encap as EncapSpec));
    if (s.fdb) attrs.fdb = true;
    return req('RTM_NEWNEXTHOP', body, attrs);
  }
}
