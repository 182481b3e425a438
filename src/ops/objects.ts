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
import type { OpContext } from './context.js';
import { req } from './common.js';
import { toFilter, toTcObject, type Filter, type Qdisc, type TcClass, type TcObject } from './tc.js';
import type { ActionAttrs } from '../codec/tc/act.js';

/** A namespace id as RTM_NEWNSID reports it. */
export interface NsidEntry {
  nsid: number;
  attrs: Record<string, unknown>;
}

/** A tc chain as the monitor reports it. */
export interface TcChainEntry {
  ifindex: number;
  parent: number;
  chain: number;
  attrs: Record<string, unknown>;
}
/** A standalone tc action as the monitor reports it (the first of its message's list). */
export interface TcActionEntry {
  kind: string;
  index: number;
  attrs: ActionAttrs;
}

export type ObjectKind =
  | 'link'
  | 'address'
  | 'route'
  | 'neighbour'
  | 'rule'
  | 'nsid'
  | 'qdisc'
  | 'class'
  | 'filter'
  | 'chain'
  | 'action'
  | 'nexthop';
/** The object type of each kind. */
export interface ObjectOf {
  link: Link;
  address: Address;
  route: Route;
  neighbour: Neighbour;
  rule: Rule;
  nsid: NsidEntry;
  qdisc: Qdisc;
  class: TcClass;
  filter: Filter;
  chain: TcChainEntry;
  action: TcActionEntry;
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
  /** A dump other than one request of dumpType (tc classes, filters and chains are per device and parent). */
  dump?(nl: OpContext): Promise<NetlinkMessage[]>;
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

// tc: counters, rate estimators, kind statistics and action ages are not configuration.
const TC_VOLATILE = new Set(['stats', 'stats2', 'xstats', 'tm', 'pcnt', 'header', 'message', 'rtab', 'ctab']);

/**
 * Where tc filters can hang: every qdisc and class of the client's namespace, and each shared
 * block a qdisc is bound to (once, however many qdiscs share it: tcm_ifindex
 * TCM_IFINDEX_MAGIC_BLOCK, tcm_block_index). A clsact or ingress hook bound to a block is
 * listed by its block, not by its device.
 */
async function tcParents(nl: OpContext): Promise<Array<{ ifindex: number; parent: number }>> {
  const out: Array<{ ifindex: number; parent: number }> = [];
  const qdiscs = await nl.engine.dump(req('RTM_GETQDISC', { family: C.AF_UNSPEC }));
  const links = new Set<number>();
  const blocks = new Set<number>();
  for (const m of qdiscs) {
    if (m.type !== 'RTM_NEWQDISC') continue;
    const { ifindex, handle, parent } = m.body as { ifindex: number; handle: number; parent: number };
    const { ingressBlock, egressBlock } = m.attrs as { ingressBlock?: number; egressBlock?: number };
    links.add(ifindex);
    if (parent === C.TC_H_INGRESS) {
      if (ingressBlock) blocks.add(ingressBlock);
      else out.push({ ifindex, parent: (C.TC_H_CLSACT | C.TC_H_MIN_INGRESS) >>> 0 });
      if (egressBlock) blocks.add(egressBlock);
      else out.push({ ifindex, parent: (C.TC_H_CLSACT | C.TC_H_MIN_EGRESS) >>> 0 });
    } else if (handle) out.push({ ifindex, parent: handle >>> 0 });
  }
  for (const block of blocks) out.push({ ifindex: C.TCM_IFINDEX_MAGIC_BLOCK | 0, parent: block });
  for (const ifindex of links) {
    for (const m of await nl.engine.dump(req('RTM_GETTCLASS', { family: C.AF_UNSPEC, ifindex })))
      if (m.type === 'RTM_NEWTCLASS') out.push({ ifindex, parent: (m.body.handle as number) >>> 0 });
  }
  return out;
}

/** One dump per place filters or chains can hang; what a parent refuses (a clsact egress on an ingress qdisc) is skipped. */
async function tcDumpAt(nl: OpContext, type: 'RTM_GETTFILTER' | 'RTM_GETCHAIN'): Promise<NetlinkMessage[]> {
  const out: NetlinkMessage[] = [];
  for (const { ifindex, parent } of await tcParents(nl)) {
    try {
      for (const m of await nl.engine.dump(req(type, { family: C.AF_UNSPEC, ifindex, parent }))) out.push(m);
    } catch {
      // EINVAL/ENOENT: nothing can hang there.
    }
  }
  return out;
}

const tcKey = (o: TcObject) => `${o.ifindex}|${o.header.parent ?? 0}|${o.header.handle ?? 0}`;

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
      // A bridge's FDB entry is one per (bridge, MAC, VLAN) in the kernel, whichever port it
      // points at: an entry learned or made on a port is deleted with the bridge's own index
      // once the bridge took over that MAC (a port left). Keyed by port, a tracking monitor kept
      // every such entry forever (found by the soak: about 2 KiB per tap or veth churned).
      if (n.family === 'bridge' && n.master !== undefined)
        return `bridge|m${n.master}|${n.lladdr ?? ''}|${n.vlan ?? ''}`;
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
  qdisc: {
    dumpType: 'RTM_GETQDISC',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWQDISC'],
    accept: (m) => m.type === 'RTM_NEWQDISC' || m.type === 'RTM_DELQDISC',
    convert: (m) => Object.assign(toTcObject(m), { refcnt: (m.body.info as number) ?? 0 }),
    key: (o) => tcKey(o as TcObject),
    same: (a, b) => signature((a as TcObject).attrs, TC_VOLATILE) === signature((b as TcObject).attrs, TC_VOLATILE),
  },
  class: {
    dumpType: 'RTM_GETTCLASS',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWTCLASS'],
    accept: (m) => m.type === 'RTM_NEWTCLASS' || m.type === 'RTM_DELTCLASS',
    convert: (m) => toTcObject(m),
    key: (o) => `${(o as TcObject).ifindex}|${(o as TcObject).header.handle ?? 0}`,
    same: (a, b) => signature((a as TcObject).attrs, TC_VOLATILE) === signature((b as TcObject).attrs, TC_VOLATILE),
    dump: async (nl) => {
      const out: NetlinkMessage[] = [];
      const links = new Set<number>();
      for (const m of await nl.engine.dump(req('RTM_GETQDISC', { family: C.AF_UNSPEC })))
        if (m.type === 'RTM_NEWQDISC') links.add(m.body.ifindex as number);
      for (const ifindex of links)
        out.push(...(await nl.engine.dump(req('RTM_GETTCLASS', { family: C.AF_UNSPEC, ifindex }))));
      return out;
    },
  },
  filter: {
    dumpType: 'RTM_GETTFILTER',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWTFILTER'],
    accept: (m) => m.type === 'RTM_NEWTFILTER' || m.type === 'RTM_DELTFILTER',
    convert: (m) => toFilter(m),
    key: (o) => {
      const f = o as Filter;
      return `${f.ifindex}|${f.header.parent ?? 0}|${f.chain}|${f.header.info ?? 0}|${f.header.handle ?? 0}`;
    },
    same: (a, b) => signature((a as Filter).attrs, TC_VOLATILE) === signature((b as Filter).attrs, TC_VOLATILE),
    dump: (nl) => tcDumpAt(nl, 'RTM_GETTFILTER'),
  },
  chain: {
    dumpType: 'RTM_GETCHAIN',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWCHAIN'],
    accept: (m) => m.type === 'RTM_NEWCHAIN' || m.type === 'RTM_DELCHAIN',
    convert: (m) => ({
      ifindex: m.body.ifindex as number,
      parent: (m.body.parent as number) >>> 0,
      chain: (m.attrs.chain as number) ?? 0,
      attrs: m.attrs,
    }),
    key: (o) => `${(o as TcChainEntry).ifindex}|${(o as TcChainEntry).parent}|${(o as TcChainEntry).chain}`,
    same: () => true,
    dump: (nl) => tcDumpAt(nl, 'RTM_GETCHAIN'),
  },
  action: {
    dumpType: 'RTM_GETACTION',
    dumpBody: () => ({ family: C.AF_UNSPEC }),
    newTypes: ['RTM_NEWACTION', 'RTM_GETACTION'],
    accept: (m) => m.type === 'RTM_NEWACTION' || m.type === 'RTM_DELACTION' || m.type === 'RTM_GETACTION',
    convert: (m) => {
      const a = ((m.attrs.tab as ActionAttrs[] | undefined) ?? [])[0] ?? ({} as ActionAttrs);
      const p = (a.options as { parms?: { index?: number }; tbf?: { index?: number } } | undefined) ?? {};
      return { kind: a.kind ?? '', index: p.parms?.index ?? p.tbf?.index ?? a.index ?? 0, attrs: a };
    },
    key: (o) => `${(o as TcActionEntry).kind}|${(o as TcActionEntry).index}`,
    same: (a, b) =>
      signature((a as TcActionEntry).attrs, TC_VOLATILE) === signature((b as TcActionEntry).attrs, TC_VOLATILE),
    // Actions are dumped per kind; the kinds rtnl knows, each skipped when the kernel lacks it.
    dump: async (nl) => {
      const out: NetlinkMessage[] = [];
      for (const kind of ['mirred', 'gact', 'police']) {
        try {
          const msgs = await nl.engine.dump(req('RTM_GETACTION', { family: C.AF_UNSPEC }, { tab: [{ kind }] }));
          // A dump reply holds many actions in one message: one message per action here.
          for (const m of msgs)
            for (const a of (m.attrs.tab as ActionAttrs[] | undefined) ?? [])
              out.push({ ...m, type: 'RTM_NEWACTION', attrs: { tab: [a] } });
        } catch {
          // the kernel lacks this action kind
        }
      }
      return out;
    },
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
