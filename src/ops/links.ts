/** Links: list, get, add, delete, set, and move between namespaces. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { IfInfoMsg, LinkAttrs } from '../codec/rtnl/link/index.js';
import { ENODEV } from '../errno.js';
import { NetlinkError, ValidationError } from '../errors.js';
import type { NetnsSpec } from '../ffi/netns.js';
import type { Rtnl } from './client.js';
import { defined, isCode, linkFlagNames, linkIndex, netnsFdFor, req, listOf, type ListResult } from './common.js';
import { kindData, kindOptionKeys, validateKindOptions, type KindOptions } from './link-kinds.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** A link as rtnl reports it. `attrs` holds every decoded IFLA attribute. */
export interface Link {
  /** ifindex. */
  index: number;
  /** IFLA_IFNAME. */
  name: string;
  /** IFLA_INFO_KIND: 'veth', 'bridge', ... (absent for physical devices and lo). */
  kind?: string;
  /** The master's kind, for ports ('bridge', 'bond', 'vrf'). */
  slaveKind?: string;
  /** IFF_* names as `ip` prints them: 'BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP', ... (frozen; shared between links with the same flags). */
  flags: string[];
  /** Whether IFF_UP is set. */
  up: boolean;
  /** 'UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', ... */
  operstate: string;
  /** IFLA_MTU, and the device's limits IFLA_MIN_MTU / IFLA_MAX_MTU. */
  mtu?: number;
  minMtu?: number;
  maxMtu?: number;
  /** Link-layer address, broadcast address and permanent address, as aa:bb:cc:dd:ee:ff. */
  address?: string;
  broadcast?: string;
  permAddress?: string;
  /** Index of the master device. */
  master?: number;
  /** Index of the lower/peer device (IFLA_LINK), in the namespace linkNetnsid names if present. */
  link?: number;
  /** The nsid of the namespace where `link` lives (a veth peer moved elsewhere). */
  linkNetnsid?: number;
  txqlen?: number;
  group?: number;
  /** IFLA_IFALIAS. */
  alias?: string;
  /** Alternative names (IFLA_PROP_LIST). */
  altNames: string[];
  qdisc?: string;
  /** ARPHRD_* link type. */
  type: number;
  /** The raw ifinfomsg. */
  header: IfInfoMsg;
  /** Every decoded IFLA attribute, unknown ones included. */
  attrs: LinkAttrs;
}

/** Shared by every link without alternative names (frozen). */
const NO_NAMES = Object.freeze([]) as unknown as string[];

export function toLink(m: NetlinkMessage): Link {
  const h = m.body as IfInfoMsg;
  const a = m.attrs as LinkAttrs;
  const flags = h.flags ?? 0;
  const link: Link = {
    index: h.index ?? 0,
    name: a.ifname ?? '',
    flags: linkFlagNames(flags),
    up: (flags & C.IFF_UP) !== 0,
    operstate: typeof a.operstate === 'string' ? a.operstate : String(a.operstate ?? 'UNKNOWN'),
    altNames: a.propList?.altIfname ?? NO_NAMES,
    type: h.type ?? 0,
    header: h,
    attrs: a,
  };
  const info = a.linkinfo;
  if (info?.kind !== undefined) link.kind = info.kind;
  if (info?.slaveKind !== undefined) link.slaveKind = info.slaveKind;
  if (a.mtu !== undefined) link.mtu = a.mtu;
  if (a.minMtu !== undefined) link.minMtu = a.minMtu;
  if (a.maxMtu !== undefined) link.maxMtu = a.maxMtu;
  if (a.address !== undefined) link.address = a.address;
  if (a.broadcast !== undefined) link.broadcast = a.broadcast;
  if (a.permAddress !== undefined) link.permAddress = a.permAddress;
  if (a.master !== undefined) link.master = a.master;
  if (a.link !== undefined) link.link = a.link;
  if (a.linkNetnsid !== undefined) link.linkNetnsid = a.linkNetnsid;
  if (a.txqlen !== undefined) link.txqlen = a.txqlen;
  if (a.group !== undefined) link.group = a.group;
  if (a.ifalias !== undefined) link.alias = a.ifalias;
  if (a.qdisc !== undefined) link.qdisc = a.qdisc;
  return link;
}

const S = schemas((z) => {
  const { ifname, linkRef, mac, mtu, netnsSpec, u32 } = V();
  const kindName = z.string().regex(/^[a-z0-9_-]{1,15}$/, 'must be a link kind like veth, bridge, vxlan');

  const common = {
    mtu: mtu.optional(),
    address: mac.optional(),
    broadcast: mac.optional(),
    txqlen: u32.optional(),
    alias: z
      .string()
      .max(255)
      .refine((s) => !s.includes('\0'), 'must not contain NUL')
      .optional(),
    up: z.boolean().optional(),
    master: linkRef.optional(),
    group: u32.optional(),
  };

  const peerSchema = z
    .object({
      name: ifname,
      netns: netnsSpec.optional(),
      address: mac.optional(),
      mtu: mtu.optional(),
      txqlen: u32.optional(),
    })
    .strict();

  const addSchema = z
    .object({
      name: ifname,
      kind: kindName,
      ...common,
      link: linkRef.optional(),
      netns: netnsSpec.optional(),
      peer: peerSchema.optional(),
      exist: z.enum(['error', 'ok']).optional(),
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, z.record(z.string(), z.unknown()).optional()])),
    })
    .strict();

  const setSchema = z
    .object({
      ...common,
      name: ifname.optional(),
      master: z.union([linkRef, z.null()]).optional(),
      netns: netnsSpec.optional(),
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, z.record(z.string(), z.unknown()).optional()])),
    })
    .strict();

  const listSchema = z.object({ kind: kindName.optional(), master: linkRef.optional() }).strict();
  const deleteSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  return { addSchema, setSchema, listSchema, deleteSchema };
});

/** Options for links.add(). Kind-specific options go under the kind's own key. */
export interface LinkAddOptions extends KindOptions {
  name: string;
  /** 'veth', 'bridge', 'macvlan', 'macvtap', 'vxlan', 'vlan', 'dummy', 'ifb', 'bond', 'vrf', ... */
  kind: string;
  mtu?: number;
  address?: string;
  broadcast?: string;
  txqlen?: number;
  alias?: string;
  /** Bring it up once created. */
  up?: boolean;
  /** Enslave to this master (name or index). */
  master?: string | number;
  /** The lower device (macvlan, vlan, vxlan 'dev'). */
  link?: string | number;
  group?: number;
  /** Create it directly inside this namespace. */
  netns?: NetnsSpec;
  /** veth only: the peer, possibly created directly in another namespace. */
  peer?: { name: string; netns?: NetnsSpec; address?: string; mtu?: number; txqlen?: number };
  /** 'ok': an existing link of the same name and kind is a success (ensure semantics). Default 'error'. */
  exist?: 'error' | 'ok';
}

/** Options for links.set(). */
export interface LinkSetOptions extends KindOptions {
  up?: boolean;
  mtu?: number;
  /** Rename. Combined with `netns`, the move and the rename are one atomic request. */
  name?: string;
  address?: string;
  broadcast?: string;
  /** '' removes the alias. */
  alias?: string;
  txqlen?: number;
  /** Enslave to this master; null detaches (nomaster). */
  master?: string | number | null;
  group?: number;
  /** Move into this namespace. */
  netns?: NetnsSpec;
}

/** The messages list() keeps (a module-level function: one call target for V8, not a closure per call). */
const isLink = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWLINK';

export class Links {
  constructor(private readonly nl: Rtnl) {}

  /**
   * List links, optionally only those of one kind or one master (filtered in the kernel).
   *
   * Equivalent to: ip -d link show [type KIND] [master DEV]
   */
  async list(filter?: { kind?: string; master?: string | number }): Promise<ListResult<Link>> {
    // No filter: nothing to validate, so zod is not loaded (see zod.ts).
    if (filter === undefined) filter = {};
    else check(S().listSchema, filter, 'filter');
    const attrs: LinkAttrs = { extMask: C.RTEXT_FILTER_VF };
    if (filter.kind !== undefined) attrs.linkinfo = { kind: filter.kind };
    if (filter.master !== undefined)
      attrs.master = await linkIndex(this.nl, check(V().linkRef, filter.master, 'master'));
    const msgs = await this.nl.engine.dump(req('RTM_GETLINK', { family: C.AF_UNSPEC }, attrs), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    return listOf(msgs, isLink, toLink);
  }

  /**
   * Get one link by name or index. A missing link raises NetlinkError with code 'ENODEV'.
   *
   * Equivalent to: ip -d link show dev NAME
   */
  async get(ref: string | number): Promise<Link> {
    const r = check(V().linkRef, ref, 'link');
    const body = { family: C.AF_UNSPEC, index: typeof r === 'number' ? r : 0 };
    const attrs: LinkAttrs = { extMask: C.RTEXT_FILTER_VF };
    if (typeof r === 'string') attrs.ifname = r;
    const { replies } = await this.nl.engine.request(req('RTM_GETLINK', body, attrs));
    const m = replies.find((x) => x.type === 'RTM_NEWLINK');
    if (!m) throw new NetlinkError(ENODEV, 'ENODEV', 'RTM_GETLINK', { msg: 'no link in the reply' });
    return toLink(m);
  }

  /** Whether a link exists. */
  async exists(ref: string | number): Promise<boolean> {
    try {
      await this.get(ref);
      return true;
    } catch (err) {
      if (isCode(err, 'ENODEV')) return false;
      throw err;
    }
  }

  /**
   * Create a link. With `exist: 'ok'`, an existing link of the same kind is returned instead.
   *
   * Equivalent to: ip link add NAME [mtu N] [address MAC] type KIND [options] [peer name P netns NS]
   */
  async add(options: LinkAddOptions): Promise<Link> {
    const o = check(S().addSchema, options, 'link') as LinkAddOptions;
    validateKindOptions(o, 'link', o.kind);
    if (o.peer && o.kind !== 'veth')
      throw new ValidationError('link.peer', `only veth links have a peer, not ${o.kind}`, o.peer);
    const release: Array<() => void> = [];
    try {
      const attrs = commonAttrs(o);
      if (o.master !== undefined) attrs.master = await linkIndex(this.nl, o.master);
      if (o.link !== undefined) attrs.link = await linkIndex(this.nl, o.link);
      if (o.netns !== undefined) {
        const ns = netnsFdFor(o.netns);
        release.push(ns.release);
        attrs.netNsFd = ns.fd;
      }
      let data = await kindData(this.nl, o.kind, o, 'link');
      if (o.peer) {
        const peerAttrs: LinkAttrs = defined({
          ifname: o.peer.name,
          address: o.peer.address,
          mtu: o.peer.mtu,
          txqlen: o.peer.txqlen,
        });
        if (o.peer.netns !== undefined) {
          const ns = netnsFdFor(o.peer.netns);
          release.push(ns.release);
          peerAttrs.netNsFd = ns.fd;
        }
        data = { ...(data ?? {}), peer: { header: { family: C.AF_UNSPEC }, attrs: peerAttrs } };
      }
      attrs.linkinfo = data === undefined ? { kind: o.kind } : { kind: o.kind, data: data as never };
      const flags = o.up ? C.IFF_UP : 0;
      const body = { family: C.AF_UNSPEC, index: 0, flags, change: o.up ? C.IFF_UP : 0 };
      try {
        await this.nl.engine.request(req('RTM_NEWLINK', body, attrs), C.NLM_F_CREATE | C.NLM_F_EXCL);
      } catch (err) {
        if (o.exist === 'ok' && isCode(err, 'EEXIST') && o.netns === undefined) {
          const existing = await this.get(o.name);
          if (existing.kind === o.kind) return existing;
        }
        throw err;
      }
    } finally {
      for (const r of release) r();
    }
    if (o.netns === undefined) return this.get(o.name);
    // Created in another namespace: read it back from there.
    const Client = this.nl.constructor as typeof Rtnl;
    const there = await Client.open({ netns: o.netns });
    try {
      return await there.links.get(o.name);
    } finally {
      await there.close();
    }
  }

  /**
   * Delete a link. With `ifExists: true`, a missing link is not an error (returns false).
   * The request carries neither NLM_F_CREATE nor NLM_F_EXCL (Linux 5.19+ reads those as a bulk delete).
   *
   * Equivalent to: ip link del dev NAME
   */
  async delete(ref: string | number, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const r = check(V().linkRef, ref, 'link');
    check(S().deleteSchema, opts, 'options');
    const body = { family: C.AF_UNSPEC, index: typeof r === 'number' ? r : 0 };
    const attrs: LinkAttrs = typeof r === 'string' ? { ifname: r } : {};
    try {
      await this.nl.engine.request(req('RTM_DELLINK', body, attrs));
      return true;
    } catch (err) {
      if (opts.ifExists && isCode(err, 'ENODEV')) return false;
      throw err;
    }
  }

  /**
   * Change a link: state, MTU, name, address, alias, txqlen, master, kind options (such as a
   * bridge's STP state), or its namespace. Moving and renaming happen in one atomic request.
   *
   * Equivalent to: ip link set dev NAME [up|down] [mtu N] [name NEW] [address MAC] [alias A]
   *   [txqlen N] [master DEV|nomaster] [netns NS]; ip link set dev BR type bridge stp_state 1
   */
  async set(ref: string | number, options: LinkSetOptions): Promise<void> {
    const r = check(V().linkRef, ref, 'link');
    const o = check(S().setSchema, options, 'set') as LinkSetOptions;
    validateKindOptions(o, 'set');
    const index = await linkIndex(this.nl, r);
    const release: Array<() => void> = [];
    try {
      const attrs = commonAttrs(o);
      if (o.master === null) attrs.master = 0;
      else if (o.master !== undefined) attrs.master = await linkIndex(this.nl, o.master);
      if (o.netns !== undefined) {
        if (typeof o.netns === 'object' && 'pid' in o.netns) attrs.netNsPid = o.netns.pid;
        else {
          const ns = netnsFdFor(o.netns);
          release.push(ns.release);
          attrs.netNsFd = ns.fd;
        }
      }
      const kinds = kindOptionKeys.filter((k) => (o as Record<string, unknown>)[k] !== undefined);
      if (kinds.length === 1) {
        const kind = await this.kindOf(index, kinds[0]!);
        const data = await kindData(this.nl, kind, o, 'set');
        attrs.linkinfo = { kind, data: data as never };
      }
      const body = {
        family: C.AF_UNSPEC,
        index,
        flags: o.up ? C.IFF_UP : 0,
        change: o.up === undefined ? 0 : C.IFF_UP,
      };
      await this.nl.engine.request(req('RTM_NEWLINK', body, attrs));
    } finally {
      for (const rel of release) rel();
    }
  }

  /** The real kind of a link, for kind options given under a family key (macvlan for macvtap). */
  private async kindOf(index: number, key: string): Promise<string> {
    const link = await this.get(index);
    if (!link.kind) throw new ValidationError(`set.${key}`, 'the link has no kind', key);
    return link.kind;
  }
}

/** The IFLA attributes that add() and set() share. */
function commonAttrs(o: {
  name?: string;
  mtu?: number;
  address?: string;
  broadcast?: string;
  txqlen?: number;
  alias?: string;
  group?: number;
}): LinkAttrs {
  return defined({
    ifname: o.name,
    mtu: o.mtu,
    address: o.address,
    broadcast: o.broadcast,
    txqlen: o.txqlen,
    ifalias: o.alias,
    group: o.group,
  });
}
