/** Helpers shared by the typed operations. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { LinkAttrs } from '../codec/rtnl/link/index.js';
import { ENODEV } from '../errno.js';
import type { DumpResult, Engine, Undecodable } from './engine.js';
import { NetlinkError } from '../errors.js';
import { libc } from '../ffi/libc.js';
import { openNetns, type NetnsSpec } from '../ffi/netns.js';
import type { OpContext } from './context.js';

/** Address family numbers by the short names users pass. */
export const FAMILY = { inet: C.AF_INET, inet6: C.AF_INET6, bridge: C.AF_BRIDGE, unspec: C.AF_UNSPEC } as const;
export type FamilyName = 4 | 6 | 'inet' | 'inet6';
export const familyNumber = (f: FamilyName | undefined): number =>
  f === undefined ? C.AF_UNSPEC : f === 4 || f === 'inet' ? C.AF_INET : C.AF_INET6;
/** 4 or 6 for the family of an AF_INET or AF_INET6 message header. */
export const ipFamily = (af: number | undefined): 4 | 6 => (af === C.AF_INET6 ? 6 : 4);
/** The family's any-address, what ip prints for a prefix whose address attribute is absent. */
export const anyAddress = (fam: 4 | 6): string => (fam === 4 ? '0.0.0.0' : '::');
/** 'ADDR/LEN' of a header's prefix length and its address attribute (absent: the any-address). */
export const prefixOf = (addr: string | undefined, len: number | undefined, fam: 4 | 6): string =>
  `${addr ?? anyAddress(fam)}/${len ?? 0}`;
/** IP protocol numbers by the names `ip route get` and `ip rule` take after `ipproto`. */
const IPPROTO = { tcp: C.IPPROTO_TCP, udp: C.IPPROTO_UDP, icmp: C.IPPROTO_ICMP, icmpv6: C.IPPROTO_ICMPV6 } as const;
/** An `ipproto` option as its number: a name from IPPROTO, or the number as given. */
export const ipprotoNumber = (p: keyof typeof IPPROTO | number | undefined): number | undefined =>
  p === undefined ? undefined : typeof p === 'number' ? p : IPPROTO[p];
export const familyName = (n: number): string =>
  n === C.AF_INET
    ? 'inet'
    : n === C.AF_INET6
      ? 'inet6'
      : n === C.AF_BRIDGE
        ? 'bridge'
        : n === C.AF_UNSPEC
          ? 'unspec'
          : String(n);

/**
 * Interface flag names in the order `ip` prints them. RUNNING is folded into NO-CARRIER as ip
 * does: an interface that is UP but not RUNNING shows NO-CARRIER first.
 */
const IFF_ORDER: Array<[string, number]> = [
  ['LOOPBACK', C.IFF_LOOPBACK],
  ['BROADCAST', C.IFF_BROADCAST],
  ['POINTOPOINT', C.IFF_POINTOPOINT],
  ['MULTICAST', C.IFF_MULTICAST],
  ['NOARP', C.IFF_NOARP],
  ['ALLMULTI', C.IFF_ALLMULTI],
  ['PROMISC', C.IFF_PROMISC],
  ['MASTER', C.IFF_MASTER],
  ['SLAVE', C.IFF_SLAVE],
  ['DEBUG', C.IFF_DEBUG],
  ['DYNAMIC', C.IFF_DYNAMIC],
  ['AUTOMEDIA', C.IFF_AUTOMEDIA],
  ['PORTSEL', C.IFF_PORTSEL],
  ['NOTRAILERS', C.IFF_NOTRAILERS],
  ['UP', C.IFF_UP],
  ['LOWER_UP', C.IFF_LOWER_UP],
  ['DORMANT', C.IFF_DORMANT],
  ['ECHO', C.IFF_ECHO],
];

const linkFlagCache = new Map<number, string[]>();

/** IFF_* names as ip prints them. The array is shared per flag value and frozen: copy it to change it. */
export function linkFlagNames(flags: number): string[] {
  let hit = linkFlagCache.get(flags);
  if (hit === undefined) {
    hit = Object.freeze(computeLinkFlagNames(flags)) as string[];
    if (linkFlagCache.size < 4096) linkFlagCache.set(flags, hit);
  }
  return hit;
}

function computeLinkFlagNames(flags: number): string[] {
  const out: string[] = [];
  if (flags & C.IFF_UP && !(flags & C.IFF_RUNNING)) out.push('NO-CARRIER');
  let known = C.IFF_RUNNING;
  for (const [name, bit] of IFF_ORDER) {
    known |= bit;
    if (flags & bit) out.push(name);
  }
  const rest = (flags & ~known) >>> 0;
  if (rest) out.push(rest.toString(16)); // as ip prints unknown bits: bare hex
  return out;
}

/** A namespace fd for IFLA_NET_NS_FD, closed by `release` after the kernel has answered. */
export function netnsFdFor(spec: NetnsSpec): { fd: number; release: () => void } {
  const { fd, owned } = openNetns(spec);
  return { fd, release: () => (owned ? libc.close(fd) : undefined) };
}

/** True for a NetlinkError with one of these codes. */
export const isCode = (err: unknown, ...codes: string[]): boolean =>
  err instanceof NetlinkError && codes.includes(err.code);

/** Shorthand for building a request message. */
export function req(type: string, body: Record<string, unknown>, attrs: Record<string, unknown> = {}): NetlinkMessage {
  return { type, header: {} as NetlinkMessage['header'], body, attrs };
}

/**
 * RTM_GETLINK for one link by name or index (validated already): its RTM_NEWLINK message. A missing
 * link rejects with NetlinkError ENODEV.
 */
export async function getLinkMessage(engine: Engine, ref: string | number): Promise<NetlinkMessage> {
  const body = { family: C.AF_UNSPEC, index: typeof ref === 'number' ? ref : 0 };
  const attrs: LinkAttrs = { extMask: C.RTEXT_FILTER_VF };
  if (typeof ref === 'string') attrs.ifname = ref;
  let replies: NetlinkMessage[];
  try {
    ({ replies } = await engine.request(req('RTM_GETLINK', body, attrs)));
  } catch (err) {
    throw missingLink(err, ref);
  }
  const m = replies.find((x) => x.type === 'RTM_NEWLINK');
  if (!m) throw missingLink(new NetlinkError(ENODEV, 'ENODEV', 'RTM_GETLINK', { msg: 'no link in the reply' }), ref);
  return m;
}

/** An ENODEV for a link looked up by name, tagged with that name (error messages and the CLI show it). */
export function missingLink(err: unknown, ref: string | number): unknown {
  if (typeof ref === 'string' && err instanceof NetlinkError && err.code === 'ENODEV') err.link ??= ref;
  return err;
}

/**
 * The context for one call: the same, but each link name is resolved once however often the call
 * names it (the requests of one tick share a round trip, so resolve them together: Promise.all).
 */
export function perCall(ctx: OpContext): OpContext {
  const seen = new Map<string, Promise<number>>();
  return {
    ...ctx,
    linkIndex(ref) {
      if (typeof ref === 'number') return Promise.resolve(ref);
      let p = seen.get(ref);
      if (p === undefined) seen.set(ref, (p = ctx.linkIndex(ref)));
      return p;
    },
  };
}

/**
 * `o` without the keys whose value is undefined (the codec treats present keys as attributes to
 * send), in the same order. A copy, not `delete`: deleting a property turns an object into a
 * slow dictionary, which every later read and the encoder pay for.
 */
export function defined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

/**
 * A list() result: with `onInterrupted: 'partial'`, `interrupted` is set when the dump was cut
 * short. `undecodable` lists the messages of the dump that did not decode (bytes and DecodeError);
 * every other object is in the list.
 */
export type ListResult<T> = T[] & { interrupted?: boolean; undecodable?: Undecodable[] };

/** The dump's messages that `keep` selects, converted; a partial dump's `interrupted` flag carries over. */
export function listOf<T>(
  msgs: DumpResult,
  keep: (m: NetlinkMessage) => boolean,
  convert: (m: NetlinkMessage) => T,
): ListResult<T> {
  const out: ListResult<T> = [];
  for (let i = 0; i < msgs.length; i++) if (keep(msgs[i]!)) out.push(convert(msgs[i]!));
  if (msgs.interrupted) out.interrupted = true;
  if (msgs.undecodable) out.undecodable = msgs.undecodable;
  return out;
}
