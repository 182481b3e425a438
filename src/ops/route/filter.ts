/** The list filters applied here rather than by the kernel, and the zod-free fast path of list(). */
import { parseIPv4, parseIPv6 } from '../../codec/ip.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import type { RouteAttrs, RtMsg } from '../../codec/rtnl/route.js';
import { anyAddress, ipFamily } from '../common.js';
import { numberOf, SCOPE_ALIASES, SCOPE_NAMES } from '../names.js';
import { parsePrefix } from '../validate.js';
import type { ListFilter } from './schema.js';

/** Whether prefix `inner` lies within prefix `outer` (same family). */
function within(inner: { family: 4 | 6; address: string; prefixLen: number }, outer: typeof inner): boolean {
  if (inner.family !== outer.family || inner.prefixLen < outer.prefixLen) return false;
  const a = inner.family === 4 ? parseIPv4(inner.address)! : parseIPv6(inner.address)!;
  const b = outer.family === 4 ? parseIPv4(outer.address)! : parseIPv6(outer.address)!;
  for (let bit = 0; bit < outer.prefixLen; bit++) {
    const m = 0x80 >> (bit % 8);
    if ((a[bit >> 3]! & m) !== (b[bit >> 3]! & m)) return false;
  }
  return true;
}

/** The filters the kernel does not apply (ip applies them too, after the dump), or undefined. */
export function clientFilter(f: ListFilter): ((m: NetlinkMessage) => boolean) | undefined {
  if (f.scope === undefined && f.gateway === undefined && !f.root && !f.match && !f.exact) return undefined;
  const scope = f.scope === undefined ? undefined : numberOf(SCOPE_NAMES, f.scope, SCOPE_ALIASES);
  const pfx = (p: string | undefined, fam: 4 | 6) =>
    p === undefined
      ? undefined
      : p === 'default'
        ? { family: fam, address: anyAddress(fam), prefixLen: 0 }
        : parsePrefix(p)!;
  return (m) => {
    const h = m.body as RtMsg;
    const a = m.attrs as RouteAttrs;
    const fam = ipFamily(h.family);
    if (scope !== undefined && h.scope !== scope) return false;
    if (f.gateway !== undefined) {
      const gws = [
        a.gateway,
        a.via?.addr,
        ...(a.multipath ?? []).flatMap((nh) => [nh.attrs?.gateway, nh.attrs?.via?.addr]),
      ];
      if (!gws.includes(f.gateway)) return false;
    }
    const dst = { family: fam, address: a.dst ?? anyAddress(fam), prefixLen: h.dstLen ?? 0 } as const;
    const root = pfx(f.root, fam);
    if (root && !within(dst, root)) return false;
    const match = pfx(f.match, fam);
    if (match && !within(match, dst)) return false;
    const exact = pfx(f.exact, fam);
    if (exact && !(within(dst, exact) && dst.prefixLen === exact.prefixLen)) return false;
    return true;
  };
}

/**
 * A list filter of only `family` (4 or 6) and a numeric `table`, as the schema would return it,
 * without zod; undefined for anything else (the schema then decides). "Every IPv4 route" is a
 * one-shot program's common question, and loading zod for it cost ~35 ms.
 */
export function plainListFilter(o: unknown): ListFilter | undefined {
  if (o === null || typeof o !== 'object' || Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  const { family, table, ...rest } = o as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  if (family !== undefined && family !== 4 && family !== 6) return undefined;
  if (table !== undefined && !(Number.isInteger(table) && (table as number) >= 1 && (table as number) <= 0xffffffff))
    return undefined;
  return o as { family?: 4 | 6; table?: number };
}
