/**
 * The object kinds the monitor tracks: how to dump each, turn its messages into the objects that
 * list() returns, key them, and tell whether two versions differ.
 */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import { toAddress, type Address } from './addresses.js';
import { toLink, type Link } from './links.js';
import { toNeighbour, type Neighbour } from './neighbours.js';
import { toNexthop, type Nexthop } from './nexthops.js';
import { toRoute, type Route } from './routes.js';
import { toRule, type Rule } from './rules.js';

/** A namespace id as RTM_NEWNSID reports it. */
export interface NsidEntry {
  nsid: number;
  attrs: Record<string, unknown>;
}

export type ObjectKind = 'link' | 'address' | 'route' | 'neighbour' | 'rule' | 'nsid' | 'nexthop';
/** The object type of each kind. */
export interface ObjectOf {
  link: Link;
  address: Address;
  route: Route;
  neighbour: Neighbour;
  rule: Rule;
  nsid: NsidEntry;
  nexthop: Nexthop;
}
export type RtnlObject = ObjectOf[ObjectKind];

export interface ObjectSpec {
  dumpType: string;
  dumpBody(family: number): Record<string, unknown>;
  /** Further dumps a complete snapshot needs (the bridge FDB is not in an AF_UNSPEC neighbour dump). */
  moreDumps?(family: number): Array<Record<string, unknown>>;
  /** Message types that add or change an object (the rest delete). */
  newTypes: string[];
  /** Whether a message belongs to this subscription (family filter, cloned routes). */
  accept(m: NetlinkMessage, family: number): boolean;
  convert(m: NetlinkMessage): RtnlObject;
  key(o: RtnlObject): string;
  same(a: RtnlObject, b: RtnlObject): boolean;
}

/** JSON of a value with bigints as strings and the named keys left out (counters and timers). */
function signature(v: unknown, skip: ReadonlySet<string>): string {
  return JSON.stringify(v, (k, x) =>
    skip.has(k)
      ? undefined
      : typeof x === 'bigint'
        ? x.toString()
        : x instanceof Uint8Array
          ? Buffer.from(x).toString('hex')
          : x,
  );
}
// Counters, timers and per-packet state change all the time; they are not a change of configuration.
const LINK_VOLATILE = new Set([
  'stats',
  'stats64',
  'afSpec',
  'xstats',
  'carrierChanges',
  'carrierUpCount',
  'carrierDownCount',
  'header',
  'message',
]);
const VOLATILE = new Set(['cacheinfo', 'header', 'message', 'validLft', 'preferredLft', 'probes']);

const familyOk = (m: NetlinkMessage, family: number) => family === C.AF_UNSPEC || m.body.family === family;
/** IPv4 and IPv6 only: multicast-routing families (RTNL_FAMILY_IPMR, ...) are not routes or rules we model. */
const ipFamily = (m: NetlinkMessage, family: number) =>
  (m.body.family === C.AF_INET || m.body.family === C.AF_INET6) && familyOk(m, family);

export const OBJECT_KINDS: Record<ObjectKind, ObjectSpec> = {
  link: {
    dumpType: 'RTM_GETLINK',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWLINK'],
    accept: (m) => m.type === 'RTM_NEWLINK' || m.type === 'RTM_DELLINK',
    convert: toLink,
    key: (o) => String((o as Link).index),
    same: (a, b) =>
      signature((a as Link).attrs, LINK_VOLATILE) === signature((b as Link).attrs, LINK_VOLATILE) &&
      (a as Link).header.flags === (b as Link).header.flags,
  },
  address: {
    dumpType: 'RTM_GETADDR',
    dumpBody: (family) => ({ family }),
    newTypes: ['RTM_NEWADDR'],
    accept: (m, f) => (m.type === 'RTM_NEWADDR' || m.type === 'RTM_DELADDR') && familyOk(m, f),
    convert: toAddress,
    key: (o) => {
      const a = o as Address;
      return `${a.family}|${a.index}|${a.address}/${a.prefixLen}|${a.local ?? ''}`;
    },
    same: (a, b) => signature((a as Address).attrs, VOLATILE) === signature((b as Address).attrs, VOLATILE),
  },
  route: {
    dumpType: 'RTM_GETROUTE',
    dumpBody: (family) => ({ family }),
    newTypes: ['RTM_NEWROUTE'],
    // Cached (cloned) routes are not configuration.
    accept: (m, f) =>
      (m.type === 'RTM_NEWROUTE' || m.type === 'RTM_DELROUTE') &&
      ipFamily(m, f) &&
      !((m.body.flags as number) & C.RTM_F_CLONED),
    convert: toRoute,
    key: (o) => {
      const r = o as Route;
      const h = r.header;
      return `${r.family}|${r.table}|${r.dst}|${h.tos ?? 0}|${r.metric ?? 0}|${h.type ?? 0}|${r.family === 6 ? `${r.gateway ?? ''}|${r.oif ?? ''}` : ''}`;
    },
    same: (a, b) => signature((a as Route).attrs, VOLATILE) === signature((b as Route).attrs, VOLATILE),
  },
  neighbour: {
    dumpType: 'RTM_GETNEIGH',
    dumpBody: (family) => ({ family }),
    moreDumps: (family) => (family === C.AF_UNSPEC ? [{ family: C.AF_BRIDGE }] : []),
    newTypes: ['RTM_NEWNEIGH'],
    accept: (m, f) => (m.type === 'RTM_NEWNEIGH' || m.type === 'RTM_DELNEIGH') && familyOk(m, f),
    convert: toNeighbour,
    key: (o) => {
      const n = o as Neighbour;
      return `${n.family}|${n.index}|${n.address ?? ''}|${n.family === 'bridge' ? `${n.lladdr ?? ''}|${n.vlan ?? ''}` : ''}`;
    },
    same: (a, b) =>
      signature((a as Neighbour).attrs, VOLATILE) === signature((b as Neighbour).attrs, VOLATILE) &&
      (a as Neighbour).header.state === (b as Neighbour).header.state,
  },
  rule: {
    dumpType: 'RTM_GETRULE',
    dumpBody: (family) => ({ family }),
    newTypes: ['RTM_NEWRULE'],
    accept: (m, f) => (m.type === 'RTM_NEWRULE' || m.type === 'RTM_DELRULE') && ipFamily(m, f),
    convert: toRule,
    key: (o) => signature({ h: (o as Rule).header, a: (o as Rule).attrs }, VOLATILE),
    same: () => true,
  },
  nsid: {
    dumpType: 'RTM_GETNSID',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWNSID'],
    accept: (m) => m.type === 'RTM_NEWNSID' || m.type === 'RTM_DELNSID',
    convert: (m) => ({ nsid: (m.attrs.nsid as number) ?? -1, attrs: m.attrs }),
    key: (o) => String((o as NsidEntry).nsid),
    same: () => true,
  },
  nexthop: {
    dumpType: 'RTM_GETNEXTHOP',
    dumpBody: () => ({ family: C.AF_UNSPEC, scope: 0, protocol: 0, resvd: 0, flags: 0 }),
    newTypes: ['RTM_NEWNEXTHOP'],
    accept: (m) => m.type === 'RTM_NEWNEXTHOP' || m.type === 'RTM_DELNEXTHOP',
    convert: toNexthop,
    key: (o) => String((o as Nexthop).id),
    same: (a, b) =>
      signature({ h: (a as Nexthop).header, a: (a as Nexthop).attrs }, VOLATILE) ===
      signature({ h: (b as Nexthop).header, a: (b as Nexthop).attrs }, VOLATILE),
  },
};
