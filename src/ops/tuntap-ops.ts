/** nl.tuntap: tun and tap devices and their queue fds, over the functions of tuntap.ts. */
import type { NetnsSpec } from '../ffi/netns.js';
import { RtnlError, ValidationError } from '../errors.js';
import { isCode } from './common.js';
import type { OpContext } from './context.js';
import { checkAddOptions, Links, type Link, type LinkAddOptions } from './links.js';
import {
  createTunTap,
  openTunTapQueues,
  tunTapInfo,
  type TunTapAddOptions,
  type TunTapDeps,
  type TunTapOptions,
  type TunTapDevice,
  type TunTapInfo,
  type TunTapOpenOptions,
  type TunTapQueues,
} from './tuntap.js';

/** The deps of the tun/tap functions from a client's context: short-lived ones in other namespaces. */
export function tunTapDeps(ctx: OpContext): TunTapDeps {
  return {
    nsFd: ctx.nsFd,
    links: new Links(ctx),
    openIn: async (netns: NetnsSpec) => {
      const there = await ctx.openIn(netns);
      return { nsFd: there.nsFd, links: new Links(there), close: async () => there.close() };
    },
  };
}

/** A tun/tap link with its settings, as `ip tuntap show` lists it. */
export interface TunTapLink extends Link {
  tuntap: TunTapInfo;
}

/** tun and tap devices: `ip tuntap`, and queue fds for VMMs. */
export class TunTap {
  private readonly links: Links;
  constructor(private readonly nl: OpContext) {
    this.links = new Links(nl);
  }

  /**
   * Create a tun or tap device with the usual link options in the same call and, with `queues`,
   * keep that many queue fds open for a VMM. Persistent by default when no queue is kept, not
   * persistent (it goes with its last fd) when queues are kept.
   *
   * Equivalent to: ip tuntap add dev NAME mode tap [multi_queue] [vnet_hdr] [pi] [user U] [group G];
   *   ip link set dev NAME [mtu N] [address MAC] [master BR] [up]
   */
  async add(options: LinkAddOptions & { kind: 'tun' | 'tap'; queues?: number }): Promise<TunTapDevice> {
    const { queues, ...rest } = options;
    if (options?.kind !== 'tun' && options?.kind !== 'tap')
      throw new ValidationError('link.kind', "expected 'tun' or 'tap'", options?.kind);
    const { o, given } = checkAddOptions(rest as LinkAddOptions);
    if (o.link !== undefined) throw new ValidationError('link.link', `a ${o.kind} has no lower device`, o.link);
    return createTunTap(tunTapDeps(this.nl), {
      ...(o as Omit<TunTapAddOptions, 'kind' | 'tuntap' | 'queues'>),
      kind: options.kind,
      tuntap: given.options as TunTapOptions | undefined,
      queues,
    });
  }

  /**
   * Open queue fds of an existing tun/tap device (see openTunTapQueues).
   *
   * Equivalent to: open("/dev/net/tun") + ioctl(TUNSETIFF, NAME) per queue, as a VMM does
   */
  open(name: string, options?: TunTapOpenOptions): Promise<TunTapQueues> {
    return openTunTapQueues(tunTapDeps(this.nl), name, options);
  }

  /**
   * The tun and tap devices, with their flags, owner, group and queue counts.
   *
   * Equivalent to: ip tuntap show
   */
  async list(): Promise<TunTapLink[]> {
    const out: TunTapLink[] = [];
    for (const link of await this.links.list({ kind: 'tun' })) {
      const tuntap = tunTapInfo(link);
      if (tuntap) out.push(Object.assign(link, { tuntap }));
    }
    return out;
  }

  /**
   * Delete a tun or tap device (another kind of link of that name is an error, and stays).
   * With `ifExists`, a missing device is not an error (returns false).
   *
   * Equivalent to: ip tuntap del dev NAME mode tap
   */
  async delete(name: string, options: { kind?: 'tun' | 'tap'; ifExists?: boolean } = {}): Promise<boolean> {
    if (options === null || typeof options !== 'object')
      throw new ValidationError('options', 'expected an object like { kind, ifExists }', options);
    for (const [k, v] of Object.entries(options)) {
      if (k !== 'kind' && k !== 'ifExists')
        throw new ValidationError(`options.${k}`, 'unknown option (known: kind, ifExists)', v);
      if (k === 'kind' && v !== undefined && v !== 'tun' && v !== 'tap')
        throw new ValidationError('options.kind', "expected 'tun' or 'tap'", v);
      if (k === 'ifExists' && v !== undefined && typeof v !== 'boolean')
        throw new ValidationError('options.ifExists', 'expected true or false', v);
    }
    let link: Link;
    try {
      link = await this.links.get(name);
    } catch (err) {
      if (options.ifExists && isCode(err, 'ENODEV')) return false;
      throw err;
    }
    const info = tunTapInfo(link);
    if (!info || (options.kind !== undefined && info.kind !== options.kind))
      throw new RtnlError(
        `"${name}" is ${info ? `a ${info.kind}` : link.kind ? `a ${link.kind} link` : 'not a tun/tap device'}, not a ${options.kind ?? 'tun or tap'}; not deleted`,
        'EINVAL',
      );
    return this.links.delete(link.index, { ifExists: options.ifExists });
  }
}
