/**
 * tun and tap links: created by ioctl on /dev/net/tun (the kernel refuses RTM_NEWLINK for them),
 * then configured with one RTM_NEWLINK like any link; and their queue fds, handed to a VMM.
 *
 * createTunTap() and openTunTapQueues() are standalone functions over a narrow host (a namespace
 * fd and the link ops), so that links.add({ kind: 'tap' }) and nl.tuntap share them.
 */
import * as C from '../codec/constants/index.js';
import { RtnlError, SysError, ValidationError } from '../errors.js';
import type { NetnsSpec } from '../ffi/netns.js';
import { closeTunAsync, openTun, tunSetGroup, tunSetIff, tunSetOwner, tunSetPersist } from '../ffi/tun.js';
import { resolveId } from './ids.js';
import type { LinkCreateHook } from '../kinds/link/kind.js';
import type { TunTapOptions } from '../kinds/link/tun.js';
import type { Link, LinkAddBase, LinkSetOptions } from './links.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

export type { TunTapOptions } from '../kinds/link/tun.js';

/** What createTunTap() takes: the device, its tun/tap options and the usual link options. */
export interface TunTapAddOptions
  extends Pick<LinkAddBase, 'name' | 'mtu' | 'address' | 'broadcast' | 'txqlen' | 'alias' | 'up' | 'master' | 'exist'> {
  kind: 'tun' | 'tap';
  tuntap?: TunTapOptions;
  /** Open this many queues and return their fds (at most 1 without multiQueue). Default 0. */
  queues?: number;
  /** The link group (IFLA_GROUP); the owning group is `tuntap.group`. */
  group?: number;
  /** Create it directly inside this namespace (/dev/net/tun is opened there). */
  netns?: NetnsSpec;
}

/** Options of openTunTapQueues(): the flags to attach with (default: the device's own). */
export interface TunTapOpenOptions {
  /** How many queue fds to open (default 1; more needs a multi-queue device). */
  queues?: number;
  /** Expect this type; an existing device of the other type is an error. */
  kind?: 'tun' | 'tap';
  vnetHdr?: boolean;
  pi?: boolean;
  multiQueue?: boolean;
  /**
   * Let the open change the device's vnet_hdr or pi flags. Attaching with other flags changes
   * them for every user of the device, so by default a difference is an error.
   */
  reconfigure?: boolean;
  /** The device lives in this namespace (default: the client's). */
  netns?: NetnsSpec;
}

/** Queue fds of a tun/tap device. Close them with close() (off the event loop). */
export interface TunTapQueues {
  /** The device name. */
  name: string;
  /** Its ifindex (in the namespace it lives in). */
  index: number;
  /** One fd per queue, O_RDWR|O_CLOEXEC: pass one to a child with `spawn(cmd, { stdio: [..., fd] })`. */
  fds: number[];
  /** Whether close() ran. */
  readonly closed: boolean;
  /** Close every fd on a pool thread (the last fd of a non-persistent device takes ~16 ms). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A device made by createTunTap(): the link as read back, and the queues opened with it. */
export interface TunTapDevice extends TunTapQueues {
  link: Link;
}

/** What the tun/tap functions need from a client: its namespace fd and the link ops. */
export interface TunTapHost {
  /** @internal An fd of the client's namespace, or -1 for the process's own. */
  readonly nsFd: number;
  readonly links: {
    get(ref: string | number): Promise<Link>;
    set(ref: string | number, options: LinkSetOptions): Promise<void>;
  };
}

/** A host, and a way to open a short-lived one in another namespace. */
export interface TunTapDeps extends TunTapHost {
  openIn(netns: NetnsSpec): Promise<TunTapHost & { close(): Promise<void> }>;
}

const S = schemas((z) => {
  // Up to the kernel's MAX_TAP_QUEUES (256).
  const queues = z.number().int().min(0).max(256);
  const open = z
    .object({
      queues: queues.min(1).optional(),
      kind: z.enum(['tun', 'tap']).optional(),
      vnetHdr: z.boolean().optional(),
      pi: z.boolean().optional(),
      multiQueue: z.boolean().optional(),
      reconfigure: z.boolean().optional(),
      netns: V().netnsSpec.optional(),
    })
    .strict();
  return { queues, open };
});

/** The TUNSETIFF flags for a kind and its options. */
export function tunFlags(
  kind: 'tun' | 'tap',
  o: { pi?: boolean; vnetHdr?: boolean; multiQueue?: boolean; oneQueue?: boolean },
): number {
  let f = kind === 'tap' ? C.IFF_TAP : C.IFF_TUN;
  if (!o.pi) f |= C.IFF_NO_PI;
  if (o.vnetHdr) f |= C.IFF_VNET_HDR;
  if (o.multiQueue) f |= C.IFF_MULTI_QUEUE;
  if (o.oneQueue) f |= C.IFF_ONE_QUEUE;
  return f;
}

/** A tun/tap device's settings as IFLA_TUN_* reports them. */
export interface TunTapInfo {
  kind: 'tun' | 'tap';
  pi: boolean;
  vnetHdr: boolean;
  multiQueue: boolean;
  persist: boolean;
  owner?: number;
  group?: number;
  /** Attached queues (IFLA_TUN_NUM_QUEUES) and those disabled with TUNSETQUEUE; the kernel reports them for multi-queue devices only (0 otherwise). */
  numQueues: number;
  numDisabledQueues: number;
}

/**
 * The tun/tap settings of a link (from IFLA_INFO_DATA), or undefined for another kind.
 *
 * Equivalent to: the `tun type tap pi off vnet_hdr on ...` part of ip -d link show DEV
 */
export function tunTapInfo(link: Link): TunTapInfo | undefined {
  if (link.kind !== 'tun') return undefined;
  const d = (link.attrs.linkinfo?.data ?? {}) as Record<string, unknown>;
  const type = d.type === 'TUN' || d.type === C.IFF_TUN ? 'tun' : 'tap';
  const info: TunTapInfo = {
    kind: type,
    pi: !!d.pi,
    vnetHdr: !!d.vnetHdr,
    multiQueue: !!d.multiQueue,
    persist: !!d.persist,
    numQueues: Number(d.numQueues ?? 0),
    numDisabledQueues: Number(d.numDisabledQueues ?? 0),
  };
  if (d.owner !== undefined) info.owner = Number(d.owner);
  if (d.group !== undefined) info.group = Number(d.group);
  return info;
}

function queueSet(name: string, index: number, fds: number[]): TunTapQueues;
function queueSet(name: string, index: number, fds: number[], link: Link): TunTapDevice;
function queueSet(name: string, index: number, fds: number[], link?: Link): TunTapQueues {
  let closed = false;
  const q: TunTapQueues = {
    name,
    index,
    fds,
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeAll(fds);
    },
    [Symbol.asyncDispose]() {
      return q.close();
    },
  };
  if (link) (q as TunTapDevice).link = link;
  return q;
}

/** Close fds on pool threads, all at once. Never throws: the fd numbers are released either way. */
async function closeAll(fds: readonly number[]): Promise<void> {
  await Promise.all(fds.map((fd) => closeTunAsync(fd)));
}

const isSys = (err: unknown, code: string): boolean => err instanceof SysError && err.code === code;

/** A TUNSETIFF failure, said in terms of the device and the request. */
function tunError(err: unknown, name: string, what: string): unknown {
  if (!(err instanceof SysError)) return err;
  const why: Record<string, string> = {
    EPERM: `not permitted to ${what} "${name}" (needs CAP_NET_ADMIN, or to be its owner or group)`,
    EBUSY: `"${name}" is busy: a single-queue device takes one fd and it is already open`,
    EINVAL: `cannot ${what} "${name}": the kernel refused the flags (an existing device of another type or queue mode?)`,
    ENOENT: `cannot ${what} "${name}": /dev/net/tun is missing (no tun driver?)`,
    ENODEV: `cannot ${what} "${name}": the tun driver is not available`,
  };
  const msg = why[err.code] ?? `cannot ${what} "${name}": ${err.message}`;
  return new RtnlError(msg, err.code, { cause: err });
}

/** How a device's flags differ from those asked for, as 'vnet_hdr on (it is off)' phrases. */
function flagDiffs(info: TunTapInfo, want: { kind?: string; pi?: boolean; vnetHdr?: boolean; multiQueue?: boolean }) {
  const out: { field: string; text: string; kernelRefuses: boolean }[] = [];
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  if (want.kind !== undefined && want.kind !== info.kind)
    out.push({ field: 'kind', text: `it is a ${info.kind}, not a ${want.kind}`, kernelRefuses: true });
  if (want.multiQueue !== undefined && want.multiQueue !== info.multiQueue)
    out.push({
      field: 'multiQueue',
      text: `multi_queue ${onOff(want.multiQueue)} (it is ${onOff(info.multiQueue)})`,
      kernelRefuses: true,
    });
  if (want.vnetHdr !== undefined && want.vnetHdr !== info.vnetHdr)
    out.push({
      field: 'vnetHdr',
      text: `vnet_hdr ${onOff(want.vnetHdr)} (it is ${onOff(info.vnetHdr)})`,
      kernelRefuses: false,
    });
  if (want.pi !== undefined && want.pi !== info.pi)
    out.push({ field: 'pi', text: `pi ${onOff(want.pi)} (it is ${onOff(info.pi)})`, kernelRefuses: false });
  return out;
}

/**
 * Create a tun or tap device, apply the usual link options with one RTM_NEWLINK, and optionally
 * keep `queues` fds open. On any failure nothing is left behind: the device is made
 * non-persistent and every fd is closed, which destroys it.
 *
 * Equivalent to: ip tuntap add dev NAME mode tap [multi_queue] [vnet_hdr] [pi] [user U] [group G];
 *   ip link set dev NAME [mtu N] [address MAC] [master BR] [up]
 */
export async function createTunTap(deps: TunTapDeps, o: TunTapAddOptions): Promise<TunTapDevice> {
  const t = o.tuntap ?? {};
  const queues = o.queues === undefined ? 0 : check(S().queues, o.queues, 'link.queues');
  const { flags, uid, gid, persist } = prepare(o.kind, t, queues);
  const temp = o.netns === undefined ? undefined : await deps.openIn(o.netns);
  const host: TunTapHost = temp ?? deps;
  try {
    const nsFd = host.nsFd;
    const made = await makeTunTap(() => openTun(nsFd), {
      kind: o.kind,
      name: o.name,
      flags,
      uid,
      gid,
      persist,
      queues,
    });
    if (made === 'exists') return await existing(host, o, t);
    try {
      const index = (await host.links.get(made.name)).index;
      const set: LinkSetOptions = {};
      if (o.mtu !== undefined) set.mtu = o.mtu;
      if (o.address !== undefined) set.address = o.address;
      if (o.broadcast !== undefined) set.broadcast = o.broadcast;
      if (o.txqlen !== undefined) set.txqlen = o.txqlen;
      if (o.alias !== undefined) set.alias = o.alias;
      if (o.group !== undefined) set.group = o.group;
      if (o.master !== undefined) set.master = o.master;
      if (o.up !== undefined) set.up = o.up;
      if (Object.keys(set).length > 0) await host.links.set(index, set);
      const link = await host.links.get(index);
      if (queues === 0) {
        await closeAll(made.fds.splice(0));
        return queueSet(made.name, index, [], link);
      }
      return queueSet(made.name, index, made.fds, link);
    } catch (err) {
      await made.undo();
      throw err;
    }
  } finally {
    await temp?.close();
  }
}

/**
 * The settings of a creation, checked before anything is made: persistence (default: on unless
 * queues are kept), the queue count against multiQueue, owner and group resolved to ids.
 */
function prepare(kind: 'tun' | 'tap', t: TunTapOptions, queues: number) {
  const persist = t.persist ?? queues === 0;
  if (queues === 0 && !persist)
    throw new ValidationError(
      'link.tuntap.persist',
      'a device that is not persistent vanishes when its last fd closes: open queues with it (nl.tuntap.add), or keep persist',
      t.persist,
    );
  if (queues > 1 && !t.multiQueue)
    throw new ValidationError('link.queues', 'more than one queue needs tuntap.multiQueue', queues);
  const uid = t.owner === undefined ? undefined : resolveId('user', t.owner, 'link.tuntap.owner');
  const gid = t.group === undefined ? undefined : resolveId('group', t.group, 'link.tuntap.group');
  return { flags: tunFlags(kind, t), uid, gid, persist };
}

/**
 * The create hook of the tun and tap kind plugins (src/kinds/link/tun.ts): links.add() calls it
 * to make the device by ioctl inside the target namespace, then applies the usual link options.
 * The device is persistent (it outlives the call); the creating fd is closed off the event loop.
 * A name that is taken raises code 'EEXIST', with nothing made.
 */
export function tunCreateHook(kind: 'tun' | 'tap'): LinkCreateHook<TunTapOptions> {
  return async (ctx, req) => {
    if (req.name.includes('%'))
      throw new ValidationError(
        'link.name',
        'a name template (tap%d) is for nl.tuntap.add(), which reports the name',
        req.name,
      );
    const { flags, uid, gid, persist } = prepare(kind, req.options ?? {}, 0);
    const made = await makeTunTap(() => ctx.inNetns(() => openTun(-1)), {
      kind,
      name: req.name,
      flags,
      uid,
      gid,
      persist,
      queues: 0,
    });
    if (made === 'exists')
      throw new RtnlError(`cannot create ${kind} "${req.name}": a link of that name already exists`, 'EEXIST');
    await closeAll(made.fds.splice(0));
  };
}

/** What makeTunTap() makes: the TUNSETIFF flags and the settings applied by ioctl. */
export interface TunTapMakeRequest {
  kind: 'tun' | 'tap';
  /** The name, or a template with %d for the kernel to fill in. */
  name: string;
  /** From tunFlags(). IFF_TUN_EXCL is added: an existing name is never attached to. */
  flags: number;
  uid?: number;
  gid?: number;
  persist: boolean;
  /** Queue fds to keep open (0: only the creating fd, which the caller closes once done). */
  queues: number;
}

/** A device just made: its name, its open fds, and `undo()` to remove it again. */
export interface MadeTunTap {
  name: string;
  /** The creating fd, then one per further queue: at least one. */
  fds: number[];
  /** Clear persistence and close every fd (off the event loop), which destroys the device. */
  undo(): Promise<void>;
}

/**
 * The ioctl part of creating a tun/tap device: TUNSETIFF (with IFF_TUN_EXCL), owner, group,
 * persistence, and the further queues. `open` opens /dev/net/tun in the namespace the device
 * belongs in. Resolves 'exists' when the name is taken (nothing made); on any other failure
 * nothing is left behind and the error is thrown.
 */
export async function makeTunTap(open: () => number, r: TunTapMakeRequest): Promise<MadeTunTap | 'exists'> {
  const fds: number[] = [];
  let made = false;
  const undo = async () => {
    if (made && r.persist && fds.length > 0) {
      try {
        tunSetPersist(fds[0]!, false);
      } catch {
        /* still attached: the close below destroys it unless persistent */
      }
    }
    await closeAll(fds.splice(0));
  };
  try {
    fds.push(open());
    let name: string;
    try {
      name = tunSetIff(fds[0]!, r.name, r.flags | C.IFF_TUN_EXCL);
    } catch (err) {
      if (isSys(err, 'EBUSY')) {
        await undo();
        return 'exists';
      }
      throw tunError(err, r.name, `create ${r.kind}`);
    }
    made = true;
    if (r.uid !== undefined) tunSetOwner(fds[0]!, r.uid);
    if (r.gid !== undefined) tunSetGroup(fds[0]!, r.gid);
    if (r.persist) tunSetPersist(fds[0]!, true);
    for (let i = 1; i < r.queues; i++) {
      fds.push(open());
      tunSetIff(fds[i]!, name, r.flags);
    }
    return { name, fds, undo };
  } catch (err) {
    await undo();
    throw err;
  }
}

/** TUNSETIFF with IFF_TUN_EXCL said EBUSY: the name is taken. With exist: 'ok', a matching device is a success. */
async function existing(host: TunTapHost, o: TunTapAddOptions, t: TunTapOptions): Promise<TunTapDevice> {
  let link: Link | undefined;
  try {
    link = await host.links.get(o.name);
  } catch {
    /* gone meanwhile: report the conflict anyway */
  }
  const info = link && tunTapInfo(link);
  if (o.exist === 'ok' && link && info && !o.queues) {
    const diffs = flagDiffs(info, { kind: o.kind, pi: !!t.pi, vnetHdr: !!t.vnetHdr, multiQueue: !!t.multiQueue });
    if (diffs.length === 0) return queueSet(o.name, link.index, [], link);
    throw new RtnlError(
      `${o.kind} "${o.name}" exists with other flags: ${diffs.map((d) => d.text).join(', ')}`,
      'EEXIST',
    );
  }
  const what = info ? `a ${info.kind}` : link?.kind ? `a ${link.kind} link` : 'a link';
  throw new RtnlError(`cannot create ${o.kind} "${o.name}": ${what} of that name already exists`, 'EEXIST');
}

/**
 * Open queue fds of an existing tun/tap device, for a VMM or a VPN daemon. The flags default to
 * the device's own; asking for another type or queue mode is an error, and so is asking for
 * other vnet_hdr/pi flags unless `reconfigure` (which changes them for every user).
 *
 * Equivalent to: open("/dev/net/tun") + ioctl(TUNSETIFF) per queue, as a VMM does
 */
export async function openTunTapQueues(
  deps: TunTapDeps,
  name: string,
  opts: TunTapOpenOptions = {},
): Promise<TunTapQueues> {
  check(V().ifname, name, 'name');
  const o = check(S().open, opts, 'options') as TunTapOpenOptions;
  const n = o.queues ?? 1;
  const temp = o.netns === undefined ? undefined : await deps.openIn(o.netns);
  const host: TunTapHost = temp ?? deps;
  try {
    const link = await host.links.get(name);
    const info = tunTapInfo(link);
    if (!info)
      throw new RtnlError(
        `"${name}" is ${link.kind ? `a ${link.kind} link` : 'not a tun/tap device'}, not a tun or tap`,
        'EINVAL',
      );
    const diffs = flagDiffs(info, o);
    const refused = diffs.filter((d) => d.kernelRefuses || !o.reconfigure);
    if (refused.length > 0) {
      const hint = refused.some((d) => !d.kernelRefuses)
        ? '; opening with other vnet_hdr/pi flags changes them for every user of the device (pass reconfigure: true to allow it)'
        : '';
      throw new RtnlError(
        `cannot open ${info.kind} "${name}" with ${refused.map((d) => d.text).join(', ')}${hint}`,
        'EINVAL',
      );
    }
    const multiQueue = o.multiQueue ?? info.multiQueue;
    if (n > 1 && !multiQueue)
      throw new RtnlError(
        `cannot open ${n} queues of ${info.kind} "${name}": it is single-queue (no multi_queue)`,
        'EINVAL',
      );
    // A single-queue device that already has its fd: the kernel says EBUSY (it reports no queue
    // count for single-queue devices, so this cannot be checked first).
    const flags = tunFlags(info.kind, { pi: o.pi ?? info.pi, vnetHdr: o.vnetHdr ?? info.vnetHdr, multiQueue });
    const fds: number[] = [];
    try {
      for (let i = 0; i < n; i++) {
        fds.push(openTun(host.nsFd));
        try {
          tunSetIff(fds[i]!, name, flags);
        } catch (err) {
          throw tunError(err, name, `open a queue of ${info.kind}`);
        }
      }
    } catch (err) {
      await closeAll(fds.splice(0));
      throw err;
    }
    return queueSet(name, link.index, fds);
  } finally {
    await temp?.close();
  }
}
