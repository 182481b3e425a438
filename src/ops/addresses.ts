/** Addresses: list, add, replace, delete and flush IPv4 and IPv6 addresses. */
import * as C from '../codec/constants/index.js';
import { parseIPv4, formatIPv4 } from '../codec/ip.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { AddressAttrs, IfAddrMsg } from '../codec/rtnl/address.js';
import { ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import { defined, familyNumber, isCode, req, type ListResult } from './common.js';
import { addressFlagNames, nameOf, numberOf, SCOPE_ALIASES, SCOPE_NAMES, SETTABLE_ADDRESS_FLAGS } from './names.js';
import {
  check,
  checkLinkRef,
  checkPrefix,
  plain,
  plainlyAccepted,
  prefixContains,
  V,
  type Prefix,
} from './validate.js';
import { schemas } from './zod.js';
import type { z } from 'zod';

const FOREVER = 0xffffffff;

/** An address as rtnl reports it. `attrs` holds every decoded IFA attribute. */
export interface Address {
  family: 4 | 6;
  /** The interface index. */
  index: number;
  /** The interface's own address (IFA_LOCAL, else IFA_ADDRESS): what `ip -j` prints as `local`. */
  address: string;
  prefixLen: number;
  /** IFA_LOCAL, when present. */
  local?: string;
  /** The other end of a point-to-point link: IFA_ADDRESS when it differs from IFA_LOCAL. */
  peer?: string;
  broadcast?: string;
  label?: string;
  /** 'global', 'site', 'link', 'host', 'nowhere' (or the number as text). */
  scope: string;
  /** ip's words: 'secondary' (IPv4) / 'temporary' (IPv6), 'nodad', 'tentative', 'permanent', 'noprefixroute', ... */
  flags: string[];
  /** Seconds, or 'forever'. */
  validLft: number | 'forever';
  preferredLft: number | 'forever';
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  metric?: number;
  /** IFA_PROTO: who added it ('kernel_lo', 'kernel_ra', 'kernel_ll', or a number as text). */
  proto?: string;
  header: IfAddrMsg;
  attrs: AddressAttrs;
}

/** Options for addresses.add() and replace(). */
export interface AddressOptions {
  /** IPv4 broadcast address; '+' sets the host bits, '-' clears them (ip's `brd +` and `brd -`). */
  broadcast?: string;
  /** IPv4 label, such as 'eth0:1'. */
  label?: string;
  scope?: 'global' | 'universe' | 'site' | 'link' | 'host' | 'nowhere' | number;
  /** Seconds or 'forever' (the default). */
  validLft?: number | 'forever';
  /** Seconds or 'forever'; defaults to validLft. Must not exceed it. */
  preferredLft?: number | 'forever';
  /** 'nodad', 'noprefixroute', 'home', 'mngtmpaddr', 'optimistic', 'autojoin', or IFA_F_* numbers. */
  flags?: Array<'nodad' | 'noprefixroute' | 'home' | 'mngtmpaddr' | 'optimistic' | 'autojoin' | number>;
  /** Point-to-point peer: 'ADDR' or 'ADDR/LEN' (the length then becomes the prefix length). */
  peer?: string;
  /** IFA_RT_PRIORITY: the metric of the prefix route the kernel adds. */
  metric?: number;
  /** IFA_PROTO (Linux 5.18+): who added the address, a name or 0-255. */
  proto?: AddressProto | number;
}

/** IFA_PROTO names (IFAPROT_*). */
export const ADDRESS_PROTO_NAMES: Readonly<Record<number, string>> = {
  [C.IFAPROT_UNSPEC]: 'unspec',
  [C.IFAPROT_KERNEL_LO]: 'kernel_lo',
  [C.IFAPROT_KERNEL_RA]: 'kernel_ra',
  [C.IFAPROT_KERNEL_LL]: 'kernel_ll',
};
export type AddressProto = 'unspec' | 'kernel_lo' | 'kernel_ra' | 'kernel_ll';

/** Selectors of list() and flush(), as `ip address show|flush` takes them. */
export interface AddressSelectors {
  /** Only this scope (a name or number); 'all' for every scope. */
  scope?: 'global' | 'universe' | 'site' | 'link' | 'host' | 'nowhere' | 'all' | number;
  /** IPv4 labels matching this shell pattern ('eth0:*'). */
  label?: string;
  /** Addresses inside this prefix. */
  to?: string;
  /** Only primary (not secondary/temporary) addresses. */
  primary?: boolean;
  /** Only secondary (IPv4) / temporary (IPv6) addresses. */
  secondary?: boolean;
}

export interface AddressListFilter extends AddressSelectors {
  /** Only this interface (name or index). */
  link?: string | number;
  family?: 4 | 6 | 'inet' | 'inet6';
}

const S = schemas((z) => {
  const { family, ipv4, lifetime, linkRef, prefix, scope, u32 } = V();
  const optionsSchema = z
    .object({
      broadcast: z.union([z.literal('+'), z.literal('-'), ipv4]).optional(),
      label: z
        .string()
        .refine((s) => Buffer.byteLength(s) >= 1 && Buffer.byteLength(s) <= 15, 'must be 1 to 15 bytes')
        .refine((s) => !s.includes('\0'), 'must not contain NUL')
        .optional(),
      scope: scope.optional(),
      validLft: lifetime.optional(),
      preferredLft: lifetime.optional(),
      flags: z.array(z.union([z.enum(Object.keys(SETTABLE_ADDRESS_FLAGS) as [string, ...string[]]), u32])).optional(),
      peer: prefix.optional(),
      metric: u32.optional(),
      proto: z
        .union([z.enum(['unspec', 'kernel_lo', 'kernel_ra', 'kernel_ll']), z.number().int().min(0).max(255)])
        .optional(),
    })
    .strict();

  const selectors = {
    scope: z.union([scope, z.literal('all')]).optional(),
    label: z.string().min(1).max(15).optional(),
    to: prefix.optional(),
    primary: z.boolean().optional(),
    secondary: z.boolean().optional(),
  };
  const listSchema = z.object({ link: linkRef.optional(), family: family.optional(), ...selectors }).strict();
  const flushSchema = z.object({ family: family.optional(), ...selectors }).strict();
  const deleteOptsSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  return { optionsSchema, listSchema, flushSchema, deleteOptsSchema };
});

/** Options and filters the schemas accept unchanged, recognised without zod (see plainlyAccepted). */
const PLAIN_OPTIONS = { broadcast: (v: unknown) => v === '+' || v === '-' || plain.ipv4(v), metric: plain.u32 };
const PLAIN_LIST = { link: plain.linkRef, family: plain.family, primary: plain.bool, secondary: plain.bool };
const PLAIN_DELETE = { ifExists: plain.bool };

const life = (v: number | undefined): number | 'forever' => (v === undefined || v === FOREVER ? 'forever' : v);

export function toAddress(m: NetlinkMessage): Address {
  const h = m.body as IfAddrMsg;
  const a = m.attrs as AddressAttrs;
  const fam = h.family === C.AF_INET6 ? 6 : 4;
  const flags = a.flags ?? h.flags ?? 0;
  const ci = a.cacheinfo;
  const out: Address = {
    family: fam,
    index: h.index ?? 0,
    address: a.local ?? a.address ?? '',
    prefixLen: h.prefixLen ?? 0,
    scope: nameOf(SCOPE_NAMES, h.scope ?? 0),
    flags: addressFlagNames(flags, h.family ?? 0),
    validLft: life(ci?.valid),
    preferredLft: life(ci?.prefered),
    header: h,
    attrs: a,
  };
  if (a.local !== undefined) out.local = a.local;
  if (a.local !== undefined && a.address !== undefined && a.address !== a.local) out.peer = a.address;
  if (a.broadcast !== undefined) out.broadcast = a.broadcast;
  if (a.label !== undefined) out.label = a.label;
  if (a.rtPriority !== undefined) out.metric = a.rtPriority;
  if (a.proto !== undefined) out.proto = ADDRESS_PROTO_NAMES[a.proto] ?? String(a.proto);
  return out;
}

/** A shell pattern (*, ?, [...]) as a RegExp, for `label` (ip uses fnmatch). */
function globRe(pattern: string): RegExp {
  const re = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

/** A predicate for validated selectors (undefined when none is given). */
function selector(f: {
  scope?: string | number;
  label?: string;
  to?: Prefix;
  primary?: boolean;
  secondary?: boolean;
}): ((a: Address) => boolean) | undefined {
  if (f.scope === undefined && f.label === undefined && !f.to && !f.primary && !f.secondary) return undefined;
  const scope = f.scope === undefined || f.scope === 'all' ? undefined : numberOf(SCOPE_NAMES, f.scope, SCOPE_ALIASES);
  const label = f.label === undefined ? undefined : globRe(f.label);
  return (a) => {
    if (scope !== undefined && (a.header.scope ?? 0) !== scope) return false;
    if (label && (a.label === undefined || !label.test(a.label))) return false;
    if (f.to && !prefixContains(f.to, a.address)) return false;
    const sec = ((a.attrs.flags ?? a.header.flags ?? 0) & C.IFA_F_SECONDARY) !== 0;
    if (f.primary && sec) return false;
    if (f.secondary && !sec) return false;
    return true;
  };
}

/** ip's `brd +` / `brd -`: the address with its host bits set or cleared (only for /30 and shorter). */
function computedBroadcast(p: Prefix, how: '+' | '-'): string | undefined {
  if (p.prefixLen > 30) return undefined;
  const b = parseIPv4(p.address)!;
  const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const host = p.prefixLen === 0 ? 0xffffffff : (0xffffffff >>> p.prefixLen) >>> 0;
  const v = (how === '+' ? n | host : n & ~host) >>> 0;
  return formatIPv4(new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]));
}

/** The messages list() keeps (a module-level function: one call target for V8, not a closure per call). */
const isAddress = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWADDR';

export class Addresses {
  constructor(private readonly nl: OpContext) {}

  /**
   * List addresses, optionally of one interface and one family (filtered in the kernel).
   *
   * Equivalent to: ip [-4|-6] address show [dev DEV]
   */
  async list(filter?: AddressListFilter): Promise<ListResult<Address>> {
    // No filter: nothing to validate, so zod is not loaded (see zod.ts).
    const f =
      filter === undefined
        ? {}
        : ((plainlyAccepted(filter, PLAIN_LIST) ? filter : check(S().listSchema, filter, 'filter')) as z.output<
            ReturnType<typeof S>['listSchema']
          >);
    const index = f.link === undefined ? 0 : await this.nl.linkIndex(f.link);
    const all = await this.dumpOf(index, f.family);
    const match = selector(f);
    if (!match) return all;
    const out: ListResult<Address> = all.filter(match);
    if (all.interrupted) out.interrupted = true;
    if (all.undecodable) out.undecodable = all.undecodable;
    return out;
  }

  /** The addresses of one link (index 0: all), of one family if given. Input validated already. */
  private async dumpOf(index: number, family: 4 | 6 | undefined): Promise<ListResult<Address>> {
    const body = { family: familyNumber(family), index };
    return this.nl.engine.dumpConverted(req('RTM_GETADDR', body), isAddress, toAddress, {
      onInterrupted: this.nl.options.onInterrupted,
    });
  }

  /**
   * Add an address. An existing one raises NetlinkError 'EEXIST'.
   *
   * Equivalent to: ip address add ADDR/LEN [peer P] [broadcast B|+] [label L] [scope S]
   *   [valid_lft N] [preferred_lft N] [metric N] [nodad] [noprefixroute] ... dev DEV
   */
  async add(link: string | number, address: string, options?: AddressOptions): Promise<void> {
    const msg = await this.build(link, address, options);
    await this.nl.engine.request(msg, C.NLM_F_CREATE | C.NLM_F_EXCL);
  }

  /**
   * Add an address, or update the one that exists (its lifetimes, flags, metric).
   *
   * Equivalent to: ip address replace ADDR/LEN [options] dev DEV
   */
  async replace(link: string | number, address: string, options?: AddressOptions): Promise<void> {
    const msg = await this.build(link, address, options);
    await this.nl.engine.request(msg, C.NLM_F_CREATE | C.NLM_F_REPLACE);
  }

  /**
   * Delete an address. With `ifExists: true`, a missing address (or link) is not an error (returns false).
   *
   * Equivalent to: ip address del ADDR/LEN dev DEV
   */
  async delete(link: string | number, address: string, opts?: { ifExists?: boolean }): Promise<boolean> {
    const ref = checkLinkRef(link, 'link');
    const p = checkPrefix(address, 'address');
    const o =
      opts === undefined || plainlyAccepted(opts, PLAIN_DELETE)
        ? (opts ?? {})
        : check(S().deleteOptsSchema, opts, 'options');
    try {
      // A link that is gone cannot have the address either.
      const index = typeof ref === 'number' ? ref : await this.nl.linkIndex(ref);
      const body = { family: familyNumber(p.family), prefixLen: p.prefixLen, index };
      await this.nl.engine.request(req('RTM_DELADDR', body, { local: p.address, address: p.address }));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'EADDRNOTAVAIL', 'ENODEV')) return false;
      throw err;
    }
  }

  /**
   * Delete every address of an interface (of one family, and matching the selectors, if given),
   * or with `link` undefined every address the selectors match. Returns how many went.
   *
   * Equivalent to: ip [-4|-6] address flush [dev DEV] [scope S] [label L] [to PREFIX] [primary|secondary]
   */
  async flush(
    link: string | number | undefined,
    filter: { family?: 4 | 6 | 'inet' | 'inet6' } & AddressSelectors = {},
  ): Promise<number> {
    const f = check(S().flushSchema, filter, 'filter');
    if (link === undefined && selector(f) === undefined)
      throw new ValidationError(
        'link',
        'flush needs a link or a selector (scope, label, to, primary, secondary)',
        link,
      );
    const index = link === undefined ? undefined : await this.nl.linkIndex(check(V().linkRef, link, 'link'));
    const all = await this.list({ ...(filter as AddressListFilter), ...(index === undefined ? {} : { link: index }) });
    // Secondaries first: deleting an IPv4 primary takes its secondaries with it.
    all.sort((x, y) => Number(y.flags.includes('secondary')) - Number(x.flags.includes('secondary')));
    const results = await Promise.allSettled(
      all.map((a) => {
        const attrs: AddressAttrs = { address: a.attrs.address ?? a.address };
        if (a.local !== undefined) attrs.local = a.local;
        const body = { family: a.header.family, prefixLen: a.prefixLen, index: a.index };
        return this.nl.engine.request(req('RTM_DELADDR', body, attrs));
      }),
    );
    let n = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') n++;
      else if (!isCode(r.reason, 'EADDRNOTAVAIL')) throw r.reason;
    }
    return n;
  }

  private async build(
    link: string | number,
    address: string,
    options: AddressOptions | undefined,
  ): Promise<NetlinkMessage> {
    const ref = checkLinkRef(link, 'link');
    const p = checkPrefix(address, 'address');
    // No options: nothing to validate (and zod stays unloaded for a plain add).
    const o = (
      options === undefined || plainlyAccepted(options, PLAIN_OPTIONS)
        ? (options ?? {})
        : check(S().optionsSchema, options, 'options')
    ) as z.output<ReturnType<typeof S>['optionsSchema']>;
    const given: AddressOptions = options ?? {};
    const fam = familyNumber(p.family);
    const ip4 = p.family === 4;
    if (o.peer && o.peer.family !== p.family) {
      throw new ValidationError('options.peer', `is IPv${o.peer.family} but the address is IPv${p.family}`, given.peer);
    }
    if (!ip4 && o.broadcast !== undefined)
      throw new ValidationError('options.broadcast', 'only IPv4 addresses have a broadcast address', given.broadcast);
    if (!ip4 && o.label !== undefined)
      throw new ValidationError('options.label', 'only IPv4 addresses have a label', given.label);
    // ip: a peer given with a length sets the prefix length when the address has none.
    const prefixLen = o.peer && !address.includes('/') && given.peer!.includes('/') ? o.peer.prefixLen : p.prefixLen;
    const valid = o.validLft ?? FOREVER;
    const preferred = o.preferredLft ?? valid;
    if (valid === 0) throw new ValidationError('options.validLft', 'must be more than 0', given.validLft);
    if (preferred > valid)
      throw new ValidationError('options.preferredLft', 'must not be more than validLft', given.preferredLft);
    if (ip4) {
      // ip warns about IPv6-only flags on an IPv4 address; rejecting them beats the kernel silently dropping them.
      for (const f of o.flags ?? [])
        if (f === 'optimistic' || f === 'mngtmpaddr' || f === 'nodad' || f === 'home')
          throw new ValidationError('options.flags', `"${f}" can be set only for IPv6 addresses`, f);
    }
    let flags = 0;
    for (const f of o.flags ?? []) flags = (flags | (typeof f === 'number' ? f : SETTABLE_ADDRESS_FLAGS[f]!)) >>> 0;

    const index = typeof ref === 'number' ? ref : await this.nl.linkIndex(ref);
    // As ip does: IFA_LOCAL is our address, IFA_ADDRESS the peer (or our address again).
    const attrs: AddressAttrs = defined({
      local: p.address,
      address: o.peer ? o.peer.address : p.address,
      label: o.label,
      rtPriority: o.metric,
      proto:
        o.proto === undefined
          ? undefined
          : typeof o.proto === 'number'
            ? o.proto
            : numberOf(ADDRESS_PROTO_NAMES, o.proto),
    });
    if (o.broadcast !== undefined) {
      const brd =
        o.broadcast === '+' || o.broadcast === '-'
          ? computedBroadcast({ ...(o.peer ?? p), prefixLen }, o.broadcast)
          : o.broadcast;
      if (brd !== undefined) attrs.broadcast = brd;
    }
    if (o.validLft !== undefined || o.preferredLft !== undefined)
      attrs.cacheinfo = { prefered: preferred, valid, cstamp: 0, tstamp: 0 };
    if (flags > 0xff) attrs.flags = flags;
    const scopeNum =
      o.scope === undefined
        ? ip4 && p.address.startsWith('127.')
          ? C.RT_SCOPE_HOST
          : C.RT_SCOPE_UNIVERSE
        : numberOf(SCOPE_NAMES, o.scope, SCOPE_ALIASES);
    const body = { family: fam, prefixLen, flags: flags & 0xff, scope: scopeNum, index };
    return req('RTM_NEWADDR', body, attrs);
  }
}

publicCalls(Addresses, 'addresses', {
  list: {},
  add: { show: (link: string | number, address: string) => [link, address] },
  replace: { show: (link: string | number, address: string) => [link, address] },
  delete: {
    show: (link: string | number, address: string) => [link, address],
    errnos: { EADDRNOTAVAIL: 'no such address' },
  },
  flush: { show: (link: string | number) => [link] },
});
