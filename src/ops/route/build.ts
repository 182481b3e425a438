/** Encoding: a route spec checked and built into the message that adds, replaces or deletes it. */
import * as C from '../../codec/constants/index.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import type { RtNexthop } from '../../codec/rtnl/multipath.js';
import type { MetricsAttrs, RouteAttrs } from '../../codec/rtnl/route.js';
import { ValidationError } from '../../errors.js';
import { defined, familyNumber, perCall, req } from '../common.js';
import type { OpContext } from '../context.js';
import { numberOf, PROTOCOL_NAMES, ROUTE_TYPE_NAMES, ROUTER_PREF, SCOPE_ALIASES, SCOPE_NAMES } from '../names.js';
import { check, parsePrefix } from '../validate.js';
import { flowOf } from '../realms.js';
import { encapAttrs, type EncapSpec } from '../lwtunnel.js';
import { S, type Spec } from './schema.js';
import type { RouteSpec } from './types.js';

export const familyOf = (addr: string): 4 | 6 => (addr.includes(':') ? 6 : 4);

/**
 * The family of a route spec, checking that every address in it agrees. The first address (in
 * the order family, dst, gateway, src, nexthop gateways) sets it; a later one that disagrees is
 * named in the ValidationError.
 */
function routeFamily(s: Spec, raw: RouteSpec): 4 | 6 {
  let fam: 4 | 6 | undefined = s.family;
  let from = 'route.family';
  const see = (addr: string | undefined, field: string, value: unknown) => {
    if (addr === undefined) return;
    const f = familyOf(addr);
    if (fam === undefined) {
      fam = f;
      from = field;
    } else if (f !== fam) {
      throw new ValidationError(field, `is an IPv${f} address but ${from} is IPv${fam}`, value);
    }
  };
  if (s.dst !== 'default') see(s.dst, 'route.dst', raw.dst);
  see(s.gateway, 'route.gateway', raw.gateway);
  see(s.src, 'route.src', raw.src);
  s.multipath?.forEach((nh, i) => see(nh.gateway, `route.multipath.${i}.gateway`, nh.gateway));
  return fam ?? 4;
}

/** The RTM_NEWROUTE (add, replace) or RTM_DELROUTE (delete) message of a route spec, its link names resolved. */
export async function buildRoute(
  ctx: OpContext,
  route: RouteSpec,
  op: 'add' | 'replace' | 'delete',
): Promise<NetlinkMessage> {
  const s = check(S().specSchema, route, 'route');
  const fam = routeFamily(s, route);
  if (s.pref !== undefined && fam !== 6)
    throw new ValidationError('route.pref', 'only IPv6 routes have a router preference', route.pref);
  if (s.multipath && s.gateway !== undefined)
    throw new ValidationError('route.gateway', 'give the gateways in multipath, not both', route.gateway);
  if (s.via !== undefined && (s.gateway !== undefined || s.multipath || s.nhid !== undefined))
    throw new ValidationError('route.via', 'give either via or gateway/multipath/nhid', route.via);
  if (s.via !== undefined && (s.via.includes(':') ? 6 : 4) === fam)
    throw new ValidationError('route.via', `is an IPv${fam} address like the route: give it as gateway`, route.via);
  if (s.expires !== undefined && fam !== 6)
    throw new ValidationError('route.expires', 'only IPv6 routes expire', route.expires);
  if (s.nhid !== undefined && (s.gateway !== undefined || s.dev !== undefined || s.multipath))
    throw new ValidationError('route.nhid', 'a nexthop object replaces gateway, dev and multipath', route.nhid);
  const del = op === 'delete';
  const dst = s.dst === 'default' ? undefined : parsePrefix(s.dst)!;
  const type = s.type === undefined ? (del ? C.RTN_UNSPEC : C.RTN_UNICAST) : numberOf(ROUTE_TYPE_NAMES, s.type);
  const tableId = s.table ?? (type === C.RTN_LOCAL || type === C.RTN_NAT ? C.RT_TABLE_LOCAL : C.RT_TABLE_MAIN);

  let scopeNum: number;
  if (s.scope !== undefined) scopeNum = numberOf(SCOPE_NAMES, s.scope, SCOPE_ALIASES);
  else if (del) scopeNum = C.RT_SCOPE_NOWHERE;
  else if (fam === 6) scopeNum = C.RT_SCOPE_UNIVERSE;
  else if (type === C.RTN_LOCAL || type === C.RTN_NAT) scopeNum = C.RT_SCOPE_HOST;
  else if (type === C.RTN_BROADCAST || type === C.RTN_MULTICAST || type === C.RTN_ANYCAST) scopeNum = C.RT_SCOPE_LINK;
  else if (
    (type === C.RTN_UNICAST || type === C.RTN_UNSPEC) &&
    s.gateway === undefined &&
    s.via === undefined &&
    !s.multipath &&
    s.nhid === undefined
  )
    scopeNum = C.RT_SCOPE_LINK;
  else scopeNum = C.RT_SCOPE_UNIVERSE;

  const body = {
    family: familyNumber(fam),
    dstLen: dst?.prefixLen ?? 0,
    srcLen: 0,
    tos: s.tos ?? 0,
    table: tableId < 256 ? tableId : C.RT_TABLE_UNSPEC,
    protocol: s.protocol !== undefined ? numberOf(PROTOCOL_NAMES, s.protocol) : del ? C.RTPROT_UNSPEC : C.RTPROT_BOOT,
    scope: scopeNum,
    type,
    flags: s.onlink ? C.RTNH_F_ONLINK : 0,
  };
  const attrs: RouteAttrs = defined({
    dst: dst?.address,
    gateway: s.gateway,
    prefsrc: s.src,
    priority: s.metric,
    // As ip: rtm_table carries ids up to 255, RTA_TABLE only the larger ones.
    table: tableId < 256 ? undefined : tableId,
    pref: s.pref === undefined ? undefined : ROUTER_PREF[s.pref],
    nhId: s.nhid,
    flow: flowOf(s.realms),
    expires: s.expires,
  });
  if (s.encap !== undefined) Object.assign(attrs, encapAttrs(s.encap as EncapSpec));
  if (s.via !== undefined) attrs.via = { family: s.via.includes(':') ? C.AF_INET6 : C.AF_INET, addr: s.via };
  // Every link name of the route is resolved once, all in one round trip.
  const nl = perCall(ctx);
  const [oif, ...hopIndexes] = await Promise.all([
    s.dev === undefined ? undefined : nl.linkIndex(s.dev),
    ...(s.multipath ?? []).map((nh) => (nh.dev === undefined ? 0 : nl.linkIndex(nh.dev))),
  ]);
  if (oif !== undefined) attrs.oif = oif;
  if (s.metrics !== undefined && Object.keys(s.metrics).length > 0)
    attrs.metrics = defined({ ...s.metrics }) as MetricsAttrs;
  if (s.multipath) {
    attrs.multipath = s.multipath.map(
      (nh, i): RtNexthop => ({
        flags: nh.onlink ? C.RTNH_F_ONLINK : 0,
        hops: (nh.weight ?? 1) - 1,
        ifindex: hopIndexes[i] ?? 0,
        attrs: defined({ gateway: nh.gateway, flow: flowOf(nh.realms) }),
      }),
    );
  }
  return req(del ? 'RTM_DELROUTE' : 'RTM_NEWROUTE', body, attrs);
}
