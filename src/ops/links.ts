/** Links: list, get, add, delete, set, and move between namespaces. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { LinkAttrs } from '../codec/rtnl/link/index.js';
import { ValidationError } from '../errors.js';
import type { NetnsSpec } from '../ffi/netns.js';
import { publicCalls } from './calls.js';
import { defined, getLinkMessage, isCode, perCall, netnsFdFor, missingLink, req, type ListResult } from './common.js';
import type { OpContext } from './context.js';
import type { LinkCreateContext, LinkCreateHook } from '../kinds/link/kind.js';
import type { KindContext } from '../kinds/plugin.js';
import { runInNetnsSync } from '../ffi/netns.js';
import { kindData, kindOptions, linkKindPlugin } from './link-kinds.js';
import { bridgePortAttrs } from './bridge-port.js';
import { check, checkLinkRef, plainlyAccepted, V } from './validate.js';
import { commonAttrs, flagChange } from './link/attrs.js';
import { toLink } from './link/decode.js';
import { checkAddOptions, PLAIN_DELETE, PLAIN_SET, S } from './link/schema.js';
import type { Link, LinkAddBase, LinkAddOptions, LinkSetOptions } from './link/types.js';

export { toLink } from './link/decode.js';
export { checkAddOptions } from './link/schema.js';
export { ADDR_GEN_MODE_NAMES } from './link/types.js';
export type { AddrGenMode, Link, LinkAddBase, LinkAddOptions, LinkSetOptions } from './link/types.js';

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
    return this.nl.engine.dumpConverted(req('RTM_GETLINK', { family: C.AF_UNSPEC }, attrs), isLink, toLink, {
      onInterrupted: this.nl.options.onInterrupted,
    });
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
    // The client in the target namespace before the device: opened after it, a failure to open
    // would leave the device behind there.
    const there = o.netns === undefined ? undefined : await this.nl.openIn(o.netns);
    try {
      return await this.addByHookIn(o, options, hook, there);
    } finally {
      there?.close();
    }
  }

  private async addByHookIn(
    o: LinkAddBase & { kind: string },
    options: unknown,
    hook: LinkCreateHook<unknown>,
    there: (OpContext & { close(): void }) | undefined,
  ): Promise<Link> {
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
      const links = there ? new Links(there) : this;
      try {
        await links.set(o.name, rest);
      } catch (err) {
        await links.delete(o.name, { ifExists: true }).catch(() => undefined);
        throw err;
      }
    }
    return toLink(await getLinkMessage((there ?? this.nl).engine, o.name));
  }

  /**
   * Delete a link. With `ifExists: true`, a missing link is not an error (returns false).
   * The request carries neither NLM_F_CREATE nor NLM_F_EXCL (Linux 5.19+ reads those as a bulk delete).
   *
   * Equivalent to: ip link del dev NAME
   */
  async delete(ref: string | number, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const r = checkLinkRef(ref, 'link');
    if (!plainlyAccepted(opts, PLAIN_DELETE)) check(S().deleteSchema, opts, 'options');
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
    const o = (plainlyAccepted(options, PLAIN_SET) ? options : check(S().setSchema, options, 'set')) as LinkSetOptions;
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
