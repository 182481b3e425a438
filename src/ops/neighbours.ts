/** Neighbours (ARP and NDP entries) and bridge FDB entries: list, add, replace, delete. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { NdMsg, NeighbourAttrs } from '../codec/rtnl/neighbour.js';
import { ENOENT } from '../errno.js';
import { NetlinkError, ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import { defined, isCode, perCall, req, listOf, type ListResult } from './common.js';
import { NUD_NAMES, neighbourFlagNames, nudStateNames } from './names.js';
import { check, prefixContains, V } from './validate.js';
import { schemas } from './zod.js';

/** A neighbour or FDB entry as rtnl reports it. `attrs` holds every decoded NDA attribute. */
export interface Neighbour {
  /** 4 or 6 for ARP/NDP entries, 'bridge' for FDB entries. */
  family: 4 | 6 | 'bridge';
  /** The interface (for FDB entries: the port) index. */
  index: number;
  /** NDA_DST: the neighbour's IP address; for a VXLAN FDB entry, the remote. */
  address?: string;
  lladdr?: string;
  /** NUD_* names as `ip -j` prints them: ['PERMANENT'], ['REACHABLE'], ['STALE'], ... */
  state: string[];
  /** NTF_* names: 'router', 'proxy', 'self', 'master', 'extern_learn', 'offload', 'sticky'. */
  flags: string[];
  /** Whether NTF_ROUTER is set. */
  router: boolean;
  vlan?: number;
  /** NDA_MASTER: the bridge's index, for FDB entries. */
  master?: number;
  vni?: number;
  port?: number;
  /** NDA_NH_ID: the fdb nexthop group a VXLAN FDB entry points to. */
  nhid?: number;
  header: NdMsg;
  attrs: NeighbourAttrs;
}

export type NudStateName =
  | 'permanent'
  | 'reachable'
  | 'stale'
  | 'noarp'
  | 'delay'
  | 'probe'
  | 'failed'
  | 'incomplete'
  | 'none';

/** An ARP (IPv4) or NDP (IPv6) entry. */
export interface IpNeighbourSpec {
  /** Inferred from `address`. */
  family?: 4 | 6 | 'inet' | 'inet6';
  dev: string | number;
  /** The neighbour's IP address. */
  address: string;
  lladdr?: string;
  /** NUD state; default 'permanent'. */
  state?: NudStateName | number;
  /** NTF_ROUTER (IPv6). */
  router?: boolean;
  /** A proxy entry (NTF_PROXY): answer for `address` on `dev`. */
  proxy?: boolean;
}

/** A bridge (or VXLAN) forwarding database entry. */
export interface FdbSpec {
  family: 'bridge';
  /** The bridge port (or VXLAN device). */
  dev: string | number;
  lladdr: string;
  /** Add to the master bridge's FDB (NTF_MASTER). */
  master?: boolean;
  /** Add to the device's own FDB (NTF_SELF). The default when neither is given, as with `bridge`. */
  self?: boolean;
  /** 'permanent' (default, as `bridge fdb add`), 'static' or 'dynamic'. */
  state?: 'permanent' | 'static' | 'dynamic';
  vlan?: number;
  /** VXLAN remote. */
  dst?: string;
  vni?: number;
  port?: number;
  sticky?: boolean;
  /** VXLAN: forward to this fdb nexthop group instead of `dst` (NDA_NH_ID). */
  nhid?: number;
}

export type NeighbourSpec = IpNeighbourSpec | FdbSpec;

/** What neighbours.flush() deletes. */
export interface NeighbourFlushFilter {
  link?: string | number;
  /** Only entries on ports of this master (a VRF or bridge). */
  master?: string | number;
  family?: 4 | 6 | 'inet' | 'inet6';
  /** Proxy entries instead of neighbours. */
  proxy?: boolean;
  /** Only addresses inside this prefix. */
  to?: string;
  /** Only this state ('all': every state). Default: all but permanent and noarp. */
  nud?: NudStateName | 'all';
}

export interface NeighbourListFilter {
  /** Only this interface (for FDB entries: this port). */
  link?: string | number;
  /** Only ports of this master. */
  master?: string | number;
  /** 4 or 6, or 'bridge' for the FDB. Default: ARP and NDP (not the FDB). */
  family?: 4 | 6 | 'inet' | 'inet6' | 'bridge';
  /** List proxy entries (NTF_PROXY) instead of neighbours. */
  proxy?: boolean;
}

const nudNames = Object.values(NUD_NAMES).map((n) => n.toLowerCase()) as [string, ...string[]];

const S = schemas((z) => {
  const { family, ip, linkRef, lladdr, port, u16, vxlanId } = V();
  const ipSchema = z
    .object({
      family: family.optional(),
      dev: linkRef,
      address: ip,
      lladdr: lladdr.optional(),
      state: z.union([z.enum(nudNames), u16]).optional(),
      router: z.boolean().optional(),
      proxy: z.boolean().optional(),
    })
    .strict();

  const fdbSchema = z
    .object({
      family: z.literal('bridge'),
      dev: linkRef,
      lladdr: lladdr,
      master: z.boolean().optional(),
      self: z.boolean().optional(),
      state: z.enum(['permanent', 'static', 'dynamic']).optional(),
      vlan: z.number().int().min(1).max(4094).optional(),
      dst: ip.optional(),
      vni: vxlanId.optional(),
      port: port.optional(),
      sticky: z.boolean().optional(),
      nhid: z.number().int().min(1).max(0xffffffff).optional(),
    })
    .strict();

  const listSchema = z
    .object({
      link: linkRef.optional(),
      master: linkRef.optional(),
      family: z.union([family, z.literal('bridge')]).optional(),
      proxy: z.boolean().optional(),
    })
    .strict();
  const deleteOptsSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  const getSchema = z.object({ address: ip, dev: linkRef, proxy: z.boolean().optional() }).strict();
  const flushSchema = z
    .object({
      link: linkRef.optional(),
      master: linkRef.optional(),
      family: family.optional(),
      proxy: z.boolean().optional(),
      to: V().prefix.optional(),
      nud: z.enum(['all', ...nudNames]).optional(),
    })
    .strict();
  return { ipSchema, fdbSchema, listSchema, deleteOptsSchema, getSchema, flushSchema };
});

export function toNeighbour(m: NetlinkMessage): Neighbour {
  const h = m.body as NdMsg;
  const a = m.attrs as NeighbourAttrs;
  const flags = h.flags ?? 0;
  const n: Neighbour = {
    family: h.family === C.AF_BRIDGE ? 'bridge' : h.family === C.AF_INET6 ? 6 : 4,
    index: h.ifindex ?? 0,
    state: nudStateNames(h.state ?? 0),
    flags: neighbourFlagNames(flags),
    router: (flags & C.NTF_ROUTER) !== 0,
    header: h,
    attrs: a,
  };
  if (a.dst !== undefined) n.address = a.dst;
  if (a.lladdr !== undefined) n.lladdr = a.lladdr;
  if (a.vlan !== undefined) n.vlan = a.vlan;
  if (a.master !== undefined) n.master = a.master;
  if (a.vni !== undefined) n.vni = a.vni;
  if (a.port !== undefined) n.port = a.port;
  if (a.nhId !== undefined) n.nhid = a.nhId;
  return n;
}

/** The messages list() keeps (a module-level function: one call target for V8, not a closure per call). */
const isNeighbour = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWNEIGH';

export class Neighbours {
  constructor(private readonly nl: OpContext) {}

  /**
   * List neighbour entries (filtered in the kernel), or with `family: 'bridge'` the FDB.
   *
   * Equivalent to: ip [-4|-6] neigh show [proxy] [dev DEV] [master DEV]; bridge fdb show [brport DEV] [br DEV]
   */
  async list(filter?: NeighbourListFilter): Promise<ListResult<Neighbour>> {
    // No filter: nothing to validate, so zod is not loaded (see zod.ts).
    const f = filter === undefined ? {} : check(S().listSchema, filter, 'filter');
    const fam =
      f.family === undefined
        ? C.AF_UNSPEC
        : f.family === 'bridge'
          ? C.AF_BRIDGE
          : f.family === 4
            ? C.AF_INET
            : C.AF_INET6;
    const attrs: NeighbourAttrs = {};
    const nl = perCall(this.nl);
    const [ifindex, master] = await Promise.all([
      f.link === undefined ? undefined : nl.linkIndex(f.link),
      f.master === undefined ? undefined : nl.linkIndex(f.master),
    ]);
    if (ifindex !== undefined) attrs.ifindex = ifindex;
    if (master !== undefined) attrs.master = master;
    if (f.proxy && fam === C.AF_BRIDGE)
      throw new ValidationError('filter.proxy', 'the FDB has no proxy entries', filter!.proxy);
    const body = { family: fam, flags: f.proxy ? C.NTF_PROXY : 0 };
    const msgs = await this.nl.engine.dump(req('RTM_GETNEIGH', body, attrs), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    return listOf(msgs, isNeighbour, toNeighbour);
  }

  /**
   * Add a neighbour or FDB entry. An existing one raises NetlinkError 'EEXIST'.
   *
   * Equivalent to: ip neigh add ADDR lladdr MAC dev DEV [nud STATE] [router] [proxy];
   *   bridge fdb add MAC dev DEV [master|self] [permanent|static|dynamic] [vlan N] [dst IP] [vni N] [port N] [nhid ID]
   */
  async add(neighbour: NeighbourSpec): Promise<void> {
    await this.nl.engine.request(await this.build(neighbour, false), C.NLM_F_CREATE | C.NLM_F_EXCL);
  }

  /**
   * Add a neighbour or FDB entry, or update the existing one.
   *
   * Equivalent to: ip neigh replace ADDR lladdr MAC dev DEV [nud STATE]; bridge fdb replace MAC dev DEV ...
   */
  async replace(neighbour: NeighbourSpec): Promise<void> {
    await this.nl.engine.request(await this.build(neighbour, false), C.NLM_F_CREATE | C.NLM_F_REPLACE);
  }

  /**
   * Change an existing neighbour or FDB entry; a missing one raises NetlinkError 'ENOENT'.
   *
   * Equivalent to: ip neigh change ADDR lladdr MAC dev DEV [nud STATE]; bridge fdb change MAC dev DEV ...
   */
  async change(neighbour: NeighbourSpec): Promise<void> {
    await this.nl.engine.request(await this.build(neighbour, false), C.NLM_F_REPLACE);
  }

  /**
   * Get one ARP/NDP (or proxy) entry from the kernel. A missing entry raises NetlinkError 'ENOENT'.
   *
   * Equivalent to: ip neigh get ADDR dev DEV [proxy]
   */
  async get(spec: { address: string; dev: string | number; proxy?: boolean }): Promise<Neighbour> {
    const s = check(S().getSchema, spec, 'neighbour');
    const fam = s.address.includes(':') ? C.AF_INET6 : C.AF_INET;
    const body = { family: fam, ifindex: await this.nl.linkIndex(s.dev), flags: s.proxy ? C.NTF_PROXY : 0 };
    const { replies } = await this.nl.engine.request(req('RTM_GETNEIGH', body, { dst: s.address }));
    const m = replies.find((x) => x.type === 'RTM_NEWNEIGH');
    if (!m) throw new NetlinkError(ENOENT, 'ENOENT', 'RTM_GETNEIGH', { msg: 'no neighbour in the reply' });
    return toNeighbour(m);
  }

  /**
   * Delete ARP/NDP entries. By default, as ip, every entry but PERMANENT and NOARP ones; `nud`
   * chooses states ('all' for every entry), `to` a prefix, `link` an interface, `proxy` the
   * proxy entries. Returns how many went.
   *
   * Equivalent to: ip [-4|-6] neigh flush [dev DEV] [to PREFIX] [nud STATE] [proxy]
   */
  async flush(filter: NeighbourFlushFilter = {}): Promise<number> {
    const f = check(S().flushSchema, filter, 'filter');
    const list = await this.list(
      defined({ link: f.link, master: f.master, family: f.family, proxy: f.proxy }) as NeighbourListFilter,
    );
    const to = f.to;
    const victims = list.filter((n) => {
      if (n.family === 'bridge') return false;
      const st = n.header.state ?? 0;
      if (f.nud === undefined) {
        if (!f.proxy && st & (C.NUD_PERMANENT | C.NUD_NOARP)) return false;
      } else if (f.nud !== 'all' && !n.state.some((x) => x.toLowerCase() === f.nud)) return false;
      if (to && (n.address === undefined || !prefixContains(to, n.address))) return false;
      return true;
    });
    const results = await Promise.allSettled(
      victims.map((n) =>
        this.nl.engine.request(
          req(
            'RTM_DELNEIGH',
            { family: n.header.family, ifindex: n.index, flags: (n.header.flags ?? 0) & C.NTF_PROXY },
            { dst: n.address },
          ),
        ),
      ),
    );
    let count = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') count++;
      else if (!isCode(r.reason, 'ENOENT')) throw r.reason;
    }
    return count;
  }

  /**
   * Add another remote to a VXLAN FDB entry (head-end replication: the all-zeros MAC with
   * several `dst`s). Elsewhere it behaves as add().
   *
   * Equivalent to: bridge fdb append MAC dev VXLAN dst IP [vni N] [port N]
   */
  async append(neighbour: NeighbourSpec): Promise<void> {
    await this.nl.engine.request(await this.build(neighbour, false), C.NLM_F_CREATE | C.NLM_F_APPEND);
  }

  /**
   * Delete a neighbour or FDB entry. With `ifExists: true`, a missing entry is not an error
   * (returns false).
   *
   * Equivalent to: ip neigh del ADDR dev DEV; bridge fdb del MAC dev DEV [master|self] [vlan N]
   */
  async delete(neighbour: NeighbourSpec, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const o = check(S().deleteOptsSchema, opts, 'options');
    try {
      const msg = await this.build(neighbour, true); // resolves `dev`: a gone device has no entries
      await this.nl.engine.request(msg);
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT', 'ENODEV')) return false;
      throw err;
    }
  }

  private async build(spec: NeighbourSpec, del: boolean): Promise<NetlinkMessage> {
    const type = del ? 'RTM_DELNEIGH' : 'RTM_NEWNEIGH';
    if (spec !== null && typeof spec === 'object' && spec.family === 'bridge') {
      const s = check(S().fdbSchema, spec, 'neighbour');
      let flags = (s.master ? C.NTF_MASTER : 0) | (s.self ? C.NTF_SELF : 0);
      if (flags === 0) flags = C.NTF_SELF;
      if (s.sticky) flags |= C.NTF_STICKY;
      // As `bridge fdb`: permanent = PERMANENT|NOARP, static = REACHABLE|NOARP, dynamic = REACHABLE.
      const st = s.state ?? 'permanent';
      const state =
        st === 'permanent'
          ? C.NUD_PERMANENT | C.NUD_NOARP
          : st === 'static'
            ? C.NUD_REACHABLE | C.NUD_NOARP
            : C.NUD_REACHABLE;
      const body = { family: C.AF_BRIDGE, ifindex: await this.nl.linkIndex(s.dev), state, flags };
      const attrs: NeighbourAttrs = defined({
        lladdr: s.lladdr,
        vlan: s.vlan,
        dst: s.dst,
        vni: s.vni,
        port: s.port,
        nhId: s.nhid,
      });
      return req(type, body, attrs);
    }
    const s = check(S().ipSchema, spec, 'neighbour');
    const fam = s.address.includes(':') ? 6 : 4;
    if (s.family !== undefined && s.family !== fam) {
      throw new ValidationError(
        'neighbour.address',
        `is an IPv${fam} address but neighbour.family is ${s.family}`,
        (spec as IpNeighbourSpec).address,
      );
    }
    let state = C.NUD_PERMANENT;
    if (s.state !== undefined) {
      if (typeof s.state === 'number') state = s.state;
      else state = Number(Object.entries(NUD_NAMES).find(([, v]) => v.toLowerCase() === s.state)![0]);
    }
    const flags = (s.router ? C.NTF_ROUTER : 0) | (s.proxy ? C.NTF_PROXY : 0);
    const body = {
      family: fam === 4 ? C.AF_INET : C.AF_INET6,
      ifindex: await this.nl.linkIndex(s.dev),
      state: del ? 0 : state,
      flags,
    };
    const attrs: NeighbourAttrs = { dst: s.address };
    if (s.lladdr !== undefined && !del) attrs.lladdr = s.lladdr;
    return req(type, body, attrs);
  }
}

publicCalls(Neighbours, 'neighbours', {
  list: {},
  add: {
    show: (n: NeighbourSpec) => [n?.family === 'bridge' ? n.lladdr : n?.address],
    errnos: { ENOENT: 'no such neighbour' },
  },
  replace: {
    show: (n: NeighbourSpec) => [n?.family === 'bridge' ? n.lladdr : n?.address],
    errnos: { ENOENT: 'no such neighbour' },
  },
  append: {
    show: (n: NeighbourSpec) => [n?.family === 'bridge' ? n.lladdr : n?.address],
    errnos: { ENOENT: 'no such neighbour' },
  },
  delete: {
    show: (n: NeighbourSpec) => [n?.family === 'bridge' ? n.lladdr : n?.address],
    errnos: { ENOENT: 'no such neighbour' },
  },
  change: {
    show: (n: NeighbourSpec) => [n?.family === 'bridge' ? n.lladdr : n?.address],
    errnos: { ENOENT: 'no such neighbour' },
  },
  get: { show: (n: { address: string }) => [n?.address], errnos: { ENOENT: 'no such neighbour' } },
  flush: {},
});
