/** Links: list, get, add, delete, set, and move between namespaces. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { IfInfoMsg, LinkAttrs } from '../codec/rtnl/link/index.js';
import { ValidationError } from '../errors.js';
import type { NetnsSpec } from '../ffi/netns.js';
import { publicCalls } from './calls.js';
import {
  defined,
  getLinkMessage,
  isCode,
  perCall,
  linkFlagNames,
  netnsFdFor,
  missingLink,
  req,
  listOf,
  type ListResult,
} from './common.js';
import type { OpContext } from './context.js';
import type { CustomLinkKind, LinkCreateContext } from '../kinds/link/kind.js';
import type { KindContext } from '../kinds/plugin.js';
import { runInNetnsSync } from '../ffi/netns.js';
import {
  kindData,
  kindOptionKeys,
  kindOptions,
  kindOptionSchemas,
  linkKindPlugin,
  readKindOptions,
  type GivenKindOptions,
  type KindOptions,
  type KindOptionsFor,
  type KnownLinkKind,
  type LinkKind,
} from './link-kinds.js';
import type { z } from 'zod';
import { bridgePortAttrs, bridgePortSchema, type BridgePortOptions } from './bridge-port.js';
import { check, checkLinkRef, V } from './validate.js';
import { schemas } from './zod.js';

/**
 * A link as rtnl reports it. `attrs` holds every decoded IFLA attribute. A link of a kind with
 * options also carries them under the kind's key (`bridge`, `vxlan`, `macvlan`, `vlan`, ...), in
 * the words links.add() and links.set() take: `{ kind: 'macvlan', macvlan: { mode: 'bridge' } }`.
 */
export interface Link extends KindOptions {
  /** ifindex. */
  index: number;
  /** IFLA_IFNAME. */
  name: string;
  /** IFLA_INFO_KIND: 'veth', 'bridge', ... (absent for physical devices and lo; any string the kernel sends). */
  kind?: LinkKind;
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

/** IPv6 address generation modes, as `ip link set addrgenmode` names them. */
export const ADDR_GEN_MODE_NAMES = ['eui64', 'none', 'stable_secret', 'random'] as const;
export type AddrGenMode = (typeof ADDR_GEN_MODE_NAMES)[number];
const ADDR_GEN_MODES: Record<AddrGenMode, number> = {
  eui64: C.IN6_ADDR_GEN_MODE_EUI64,
  none: C.IN6_ADDR_GEN_MODE_NONE,
  stable_secret: C.IN6_ADDR_GEN_MODE_STABLE_PRIVACY,
  random: C.IN6_ADDR_GEN_MODE_RANDOM,
};

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
  if (info?.kind !== undefined) {
    link.kind = info.kind as LinkKind;
    const read = info.data === undefined ? undefined : readKindOptions(info.kind, info.data);
    if (read) (link as unknown as Record<string, unknown>)[read[0]] = read[1];
  }
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
    arp: z.boolean().optional(),
    multicast: z.boolean().optional(),
    allmulticast: z.boolean().optional(),
    promisc: z.boolean().optional(),
    addrGenMode: z.enum(ADDR_GEN_MODE_NAMES).optional(),
    gsoMaxSize: u32.optional(),
    gsoMaxSegs: u32.optional(),
    groMaxSize: u32.optional(),
    gsoIpv4MaxSize: u32.optional(),
    groIpv4MaxSize: u32.optional(),
  };

  const addSchema = z
    .object({
      name: ifname,
      kind: kindName,
      ...common,
      // The kernel refuses IFLA_AF_SPEC on a link being created (EAFNOSUPPORT), as with ip.
      addrGenMode: z.never({ message: 'can only be set on an existing link (links.set)' }).optional(),
      link: linkRef.optional(),
      netns: netnsSpec.optional(),
      index: z.number().int().min(1).max(0x7fffffff).optional(),
      numTxQueues: z.number().int().min(1).max(4096).optional(),
      numRxQueues: z.number().int().min(1).max(4096).optional(),
      exist: z.enum(['error', 'ok']).optional(),
      // Each kind's own schema checks its options (kindOptions()).
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, z.unknown().optional()])),
    })
    .strict();

  // set() validates each key's kind options in the same pass (the link's kind is not known yet).
  const keySchemas = kindOptionSchemas();
  const setSchema = z
    .object({
      ...common,
      name: ifname.optional(),
      master: z.union([linkRef, z.null()]).optional(),
      netns: netnsSpec.optional(),
      bridgePort: bridgePortSchema(z).optional(),
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, (keySchemas[k] ?? z.unknown()).optional()])),
    })
    .strict();

  const listSchema = z.object({ kind: kindName.optional(), master: linkRef.optional() }).strict();
  const deleteSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  // ALTIFNAMSIZ: up to 127 bytes, with the same characters as a name.
  const altName = z
    .string()
    .refine(
      (s) => Buffer.byteLength(s) >= 1 && Buffer.byteLength(s) < C.ALTIFNAMSIZ,
      `must be 1 to ${C.ALTIFNAMSIZ - 1} bytes`,
    )
    .refine(
      (s) => s !== '.' && s !== '..' && !/[/:\s\0]/.test(s),
      "must not be '.' or '..' or contain '/', ':', NUL or whitespace",
    );
  const altNames = z.union([altName.transform((n) => [n]), z.array(altName).min(1)]);
  return { addSchema, setSchema, listSchema, deleteSchema, altNames };
});

/** add()'s schema for each kind: the shared options and that kind's own, validated in one pass. */
const addSchemas = new Map<string, z.ZodType>();
function addSchemaFor(kind: unknown): z.ZodType {
  const k = typeof kind === 'string' && linkKindPlugin(kind) !== undefined ? kind : '';
  let schema = addSchemas.get(k);
  if (schema === undefined) {
    const own = Object.entries(k ? kindOptionSchemas(k) : {}).map(([key, sc]) => [key, sc.optional()]);
    schema = own.length > 0 ? S().addSchema.extend(Object.fromEntries(own)) : S().addSchema;
    addSchemas.set(k, schema);
  }
  return schema;
}

/** The options of links.add() that every kind shares. */
export interface LinkAddBase {
  name: string;
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
  /** The ifindex to give it (the kernel picks one when absent). */
  index?: number;
  /** IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES (veth: the queue counts). */
  numTxQueues?: number;
  numRxQueues?: number;
  /** ARP on the link (false sets IFF_NOARP). */
  arp?: boolean;
  /** IFF_MULTICAST. */
  multicast?: boolean;
  /** IFF_ALLMULTI: receive all multicast. */
  allmulticast?: boolean;
  /** IFF_PROMISC. */
  promisc?: boolean;
  /** IPv6 link-local address generation (IFLA_INET6_ADDR_GEN_MODE). */
  addrGenMode?: AddrGenMode;
  /** IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_GRO_MAX_SIZE and their IPv4 variants. */
  gsoMaxSize?: number;
  gsoMaxSegs?: number;
  groMaxSize?: number;
  gsoIpv4MaxSize?: number;
  groIpv4MaxSize?: number;

  /** 'ok': an existing link of the same name and kind is a success (ensure semantics). Default 'error'. */
  exist?: 'error' | 'ok';
}

/**
 * Options for links.add(): the shared ones, `kind`, and that kind's options under its key. A
 * discriminated union on `kind`: `{ kind: 'bridge', peer: ... }` and `{ kind: 'brigde' }` do not
 * compile. A kind rtnl has no plugin for is named with customLinkKind('gtp') and takes no options.
 */
export type LinkAddOptions =
  | { [K in KnownLinkKind]: LinkAddBase & { kind: K } & KindOptionsFor<K> }[KnownLinkKind]
  | (LinkAddBase & { kind: CustomLinkKind });

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
  /** Settings of this link as a bridge port (IFLA_INFO_SLAVE_DATA of kind bridge). */
  bridgePort?: BridgePortOptions;
  /** ARP on the link (false sets IFF_NOARP). */
  arp?: boolean;
  /** IFF_MULTICAST. */
  multicast?: boolean;
  /** IFF_ALLMULTI: receive all multicast. */
  allmulticast?: boolean;
  /** IFF_PROMISC. */
  promisc?: boolean;
  /** IPv6 link-local address generation (IFLA_INET6_ADDR_GEN_MODE). */
  addrGenMode?: AddrGenMode;
  /** IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_GRO_MAX_SIZE and their IPv4 variants. */
  gsoMaxSize?: number;
  gsoMaxSegs?: number;
  groMaxSize?: number;
  gsoIpv4MaxSize?: number;
  groIpv4MaxSize?: number;
}

/** The messages list() keeps (a module-level function: one call target for V8, not a closure per call). */
const isLink = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWLINK';

export class Links {
  constructor(private readonly nl: OpContext) {}

  /**
   * List links, optionally only those of one kind or one master (filtered in the kernel).
   *
   * Equivalent to: ip -d link show [type KIND] [master DEV]
   */
  async list(filter?: { kind?: string; master?: string | number }): Promise<ListResult<Link>> {
    // No filter: nothing to validate, so zod is not loaded (see zod.ts).
    if (filter === undefined) filter = {};
    else filter = check(S().listSchema, filter, 'filter');
    const attrs: LinkAttrs = { extMask: C.RTEXT_FILTER_VF };
    if (filter.kind !== undefined) attrs.linkinfo = { kind: filter.kind };
    if (filter.master !== undefined) attrs.master = await this.nl.linkIndex(filter.master);
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
    const r = checkLinkRef(ref, 'link');
    return toLink(await getLinkMessage(this.nl.engine, r));
  }

  /** Whether a link exists. */
  async exists(ref: string | number): Promise<boolean> {
    try {
      await getLinkMessage(this.nl.engine, checkLinkRef(ref, 'link'));
      return true;
    } catch (err) {
      if (isCode(err, 'ENODEV')) return false;
      throw err;
    }
  }

  /**
   * Create a link. With `exist: 'ok'`, an existing link of the same kind is returned instead.
   * tun and tap links are made by ioctl on /dev/net/tun, then configured (see createTunTap).
   *
   * Equivalent to: ip link add NAME [mtu N] [address MAC] type KIND [options] [peer name P netns NS];
   *   ip tuntap add dev NAME mode tap [vnet_hdr] [multi_queue] [pi] [user U] [group G]
   */
  async add(options: LinkAddOptions): Promise<Link> {
    const { o, given } = checkAddOptions(options);
    const plugin = linkKindPlugin(o.kind);
    if (plugin?.create) return this.addByHook(o, given.options, plugin.create);
    const nl = perCall(this.nl);
    const engine = nl.engine;
    const here = o.netns === undefined;
    let read: Promise<NetlinkMessage> | undefined;
    const release: Array<() => void> = [];
    try {
      const attrs = commonAttrs(o);
      // Every link name of the call is resolved at once, in one round trip (the kind's own, such
      // as vxlan's dev, through the kind context).
      const [master, link, data] = await Promise.all([
        o.master === undefined ? undefined : nl.linkIndex(o.master),
        o.link === undefined ? undefined : nl.linkIndex(o.link),
        kindData(o.kind, given, this.kindContext(release, nl), 'link'),
      ]);
      if (master !== undefined) attrs.master = master;
      if (link !== undefined) attrs.link = link;
      if (o.netns !== undefined) {
        const ns = netnsFdFor(o.netns);
        release.push(ns.release);
        attrs.netNsFd = ns.fd;
      }
      attrs.linkinfo = data === undefined ? { kind: o.kind } : { kind: o.kind, data: data as never };
      if (o.numTxQueues !== undefined) attrs.numTxQueues = o.numTxQueues;
      if (o.numRxQueues !== undefined) attrs.numRxQueues = o.numRxQueues;
      const body = { family: C.AF_UNSPEC, index: o.index ?? 0, ...flagChange(o) };
      const create = engine.request(req('RTM_NEWLINK', body, attrs), C.NLM_F_CREATE | C.NLM_F_EXCL);
      // Read it back in the same round trip: a GET sent in the same datagram, which the kernel
      // handles after the create. Not NLM_F_ECHO: the kernel echoes a new link midway through
      // creating it (before it enslaves it to a master, with a bridge's timers not yet started,
      // `change` all ones), so the echo is not what get() returns.
      if (here) {
        read = getLinkMessage(engine, o.name);
        read.catch(() => {}); // looked at only once the create has answered
      }
      try {
        await create;
      } catch (err) {
        if (o.exist === 'ok' && here && isCode(err, 'EEXIST')) {
          const existing = toLink(await (read ?? getLinkMessage(engine, o.name)));
          if (existing.kind === o.kind) return existing;
        }
        throw err;
      }
    } finally {
      for (const r of release) r();
    }
    return read ? toLink(await read) : this.readBack(o.name, o.netns);
  }

  /** A link read back after add(), from the namespace it was created in. */
  private async readBack(name: string, netns: NetnsSpec | undefined): Promise<Link> {
    if (netns === undefined) return toLink(await getLinkMessage(this.nl.engine, name));
    const there = await this.nl.openIn(netns);
    try {
      return toLink(await getLinkMessage(there.engine, name));
    } finally {
      there.close();
    }
  }

  /** What a kind plugin may use while building its data: fds it opens are released by the caller. */
  private kindContext(release: Array<() => void>, nl: OpContext = this.nl): KindContext {
    return {
      linkIndex: (ref) => nl.linkIndex(ref),
      netnsFd: (spec) => {
        const ns = netnsFdFor(spec as NetnsSpec);
        release.push(ns.release);
        return ns.fd;
      },
    };
  }

  /**
   * add() for a kind the kernel does not create through RTM_NEWLINK: the plugin's create hook
   * makes the device in the target namespace, then the usual link options are applied with one
   * RTM_NEWLINK (as links.set() would), and the link is read back.
   */
  private async addByHook(
    o: LinkAddBase & { kind: string },
    options: unknown,
    load: NonNullable<ReturnType<typeof linkKindPlugin>>['create'] & {},
  ): Promise<Link> {
    const hook = await load();
    const release: Array<() => void> = [];
    const nl = this.nl;
    const ctx: LinkCreateContext = {
      ...this.kindContext(release),
      inNetns: <T>(fn: () => T): T => (o.netns !== undefined ? runInNetnsSync(o.netns, fn) : nl.inNetns(fn)),
    };
    try {
      await hook(ctx, { name: o.name, options });
    } catch (err) {
      // A hook's EEXIST need not be a kernel reply (TUNSETIFF says EBUSY): any error with that code.
      if (o.exist === 'ok' && (err as { code?: unknown })?.code === 'EEXIST' && o.netns === undefined) {
        const existing = toLink(await getLinkMessage(this.nl.engine, o.name));
        const plugin = linkKindPlugin(o.kind);
        const info = existing.attrs.linkinfo ?? {};
        if (plugin?.matches ? plugin.matches(info, options) : existing.kind === o.kind) return existing;
      }
      throw err;
    } finally {
      for (const r of release) r();
    }
    const rest: LinkSetOptions = defined({
      mtu: o.mtu,
      address: o.address,
      broadcast: o.broadcast,
      txqlen: o.txqlen,
      alias: o.alias,
      group: o.group,
      master: o.master,
      up: o.up,
    });
    if (Object.keys(rest).length > 0) {
      // The device exists now: if its options fail (an unknown master, say), remove it again, so
      // that a failed add() leaves nothing behind, as a refused RTM_NEWLINK does.
      const there = o.netns === undefined ? undefined : await this.nl.openIn(o.netns);
      const links = there ? new Links(there) : this;
      try {
        await links.set(o.name, rest);
      } catch (err) {
        await links.delete(o.name, { ifExists: true }).catch(() => undefined);
        throw err;
      } finally {
        there?.close();
      }
    }
    return this.readBack(o.name, o.netns);
  }

  /**
   * Delete a link. With `ifExists: true`, a missing link is not an error (returns false).
   * The request carries neither NLM_F_CREATE nor NLM_F_EXCL (Linux 5.19+ reads those as a bulk delete).
   *
   * Equivalent to: ip link del dev NAME
   */
  async delete(ref: string | number, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const r = checkLinkRef(ref, 'link');
    check(S().deleteSchema, opts, 'options');
    const body = { family: C.AF_UNSPEC, index: typeof r === 'number' ? r : 0 };
    const attrs: LinkAttrs = typeof r === 'string' ? { ifname: r } : {};
    try {
      await this.nl.engine.request(req('RTM_DELLINK', body, attrs));
      return true;
    } catch (err) {
      if (opts.ifExists && isCode(err, 'ENODEV')) return false;
      throw missingLink(err, r);
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
    const r = checkLinkRef(ref, 'link');
    const o = check(S().setSchema, options, 'set') as LinkSetOptions;
    const given = kindOptions(o as Record<string, unknown>, 'set', undefined, true);
    const nl = perCall(this.nl);
    const release: Array<() => void> = [];
    try {
      const attrs = commonAttrs(o);
      // One round trip resolves what the request needs: the link itself when kind options need its
      // kind (macvlan options may be for a macvtap), its index when it is renamed, and the master.
      // Otherwise the kernel finds the link by name itself (IFLA_IFNAME with index 0).
      const byName = typeof r === 'string' && given.key === undefined && o.name === undefined;
      const [link, found, master] = await Promise.all([
        given.key !== undefined ? getLinkMessage(nl.engine, r).then(toLink) : undefined,
        given.key === undefined && !byName ? nl.linkIndex(r) : undefined,
        o.master === null || o.master === undefined ? undefined : nl.linkIndex(o.master),
      ]);
      if (o.master === null) attrs.master = 0;
      else if (master !== undefined) attrs.master = master;
      if (byName) attrs.ifname = r as string;
      const index = link?.index ?? found ?? 0;
      if (o.netns !== undefined) {
        if (typeof o.netns === 'object' && 'pid' in o.netns) attrs.netNsPid = o.netns.pid;
        else {
          const ns = netnsFdFor(o.netns);
          release.push(ns.release);
          attrs.netNsFd = ns.fd;
        }
      }
      if (link !== undefined) {
        if (!link.kind) throw new ValidationError(`set.${given.key}`, 'the link has no kind', given.key);
        const data = await kindData(link.kind, given, this.kindContext(release, nl), 'set');
        attrs.linkinfo = { kind: link.kind, data: data as never };
      }
      if (o.bridgePort !== undefined) {
        if (attrs.linkinfo)
          throw new ValidationError(
            'set.bridgePort',
            'cannot be combined with kind options in one request',
            o.bridgePort,
          );
        const slaveData = await bridgePortAttrs(nl, o.bridgePort);
        attrs.linkinfo = { slaveKind: 'bridge', slaveData: slaveData as never };
      }
      const body = { family: C.AF_UNSPEC, index, ...flagChange(o) };
      await nl.engine.request(req('RTM_NEWLINK', body, attrs)).catch((err: unknown) => {
        throw byName ? missingLink(err, r) : err;
      });
    } finally {
      for (const rel of release) rel();
    }
  }

  /**
   * Give a link one or more alternative names (up to 127 bytes each; they work wherever a name
   * does).
   *
   * Equivalent to: ip link property add dev DEV altname NAME [altname NAME ...]
   */
  async addAltNames(ref: string | number, names: string | string[]): Promise<void> {
    await this.altNames('RTM_NEWLINKPROP', ref, names);
  }

  /**
   * Remove alternative names of a link.
   *
   * Equivalent to: ip link property del dev DEV altname NAME [altname NAME ...]
   */
  async deleteAltNames(ref: string | number, names: string | string[]): Promise<void> {
    await this.altNames('RTM_DELLINKPROP', ref, names);
  }

  private async altNames(type: string, ref: string | number, names: string | string[]): Promise<void> {
    const r = check(V().linkRef, ref, 'link');
    const list = check(S().altNames, names, 'names') as string[];
    const index = await this.nl.linkIndex(r);
    await this.nl.engine.request(
      req(type, { family: C.AF_UNSPEC, index }, { propList: { altIfname: list } }),
      type === 'RTM_NEWLINKPROP' ? C.NLM_F_CREATE | C.NLM_F_APPEND : 0,
    );
  }
}

/**
 * Validate links.add() options: the shared ones (zod) and the kind's, before anything is sent.
 * Throws ValidationError naming the field.
 */
export function checkAddOptions(options: LinkAddOptions): {
  o: LinkAddBase & { kind: string } & Record<string, unknown>;
  given: GivenKindOptions;
} {
  // One validation pass: the shared options and the kind's own (the kind picks the schema).
  const kind = options !== null && typeof options === 'object' ? (options as { kind?: unknown }).kind : undefined;
  const o = check(addSchemaFor(kind), options, 'link') as LinkAddBase & { kind: string } & Record<string, unknown>;
  return { o, given: kindOptions(o, 'link', o.kind, true) };
}

/** The ifi_flags/ifi_change pair for up, arp, multicast, allmulticast and promisc. */
function flagChange(o: LinkSetOptions): { flags: number; change: number } {
  let flags = 0;
  let change = 0;
  const bit = (v: boolean | undefined, mask: number, inverted = false) => {
    if (v === undefined) return;
    change |= mask;
    if (v !== inverted) flags |= mask;
  };
  bit(o.up, C.IFF_UP);
  bit(o.arp, C.IFF_NOARP, true);
  bit(o.multicast, C.IFF_MULTICAST);
  bit(o.allmulticast, C.IFF_ALLMULTI);
  bit(o.promisc, C.IFF_PROMISC);
  return { flags, change };
}

/** The IFLA attributes that add() and set() share. */
function commonAttrs(o: Omit<LinkSetOptions, 'master' | 'netns'>): LinkAttrs {
  const attrs = defined({
    ifname: o.name,
    mtu: o.mtu,
    address: o.address,
    broadcast: o.broadcast,
    txqlen: o.txqlen,
    ifalias: o.alias,
    group: o.group,
    gsoMaxSize: o.gsoMaxSize,
    gsoMaxSegs: o.gsoMaxSegs,
    groMaxSize: o.groMaxSize,
    gsoIpv4MaxSize: o.gsoIpv4MaxSize,
    groIpv4MaxSize: o.groIpv4MaxSize,
  }) as LinkAttrs;
  if (o.addrGenMode !== undefined) attrs.afSpec = { inet6: { addrGenMode: ADDR_GEN_MODES[o.addrGenMode] as never } };
  return attrs;
}

publicCalls(Links, 'links', {
  list: {},
  get: { show: (ref: string | number) => [ref] },
  exists: { show: (ref: string | number) => [ref] },
  add: { show: (o: LinkAddOptions) => [o?.name] },
  delete: { show: (ref: string | number) => [ref] },
  set: { show: (ref: string | number) => [ref] },
  addAltNames: { show: (ref: string | number) => [ref] },
  deleteAltNames: { show: (ref: string | number) => [ref] },
});
