/** Decoding: an RTM_NEWROUTE message as a Route. */
import * as C from '../../codec/constants/index.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import type { RtNexthop } from '../../codec/rtnl/multipath.js';
import type { RouteAttrs, RtMsg } from '../../codec/rtnl/route.js';
import {
  nameOf,
  nexthopFlagNames,
  PROTOCOL_NAMES,
  ROUTE_TYPE_NAMES,
  ROUTER_PREF_NAMES,
  routeFlagNames,
  SCOPE_NAMES,
} from '../names.js';
import { anyAddress, ipFamily, prefixOf } from '../common.js';
import { realmsOf } from '../realms.js';
import { encapOf } from '../lwtunnel.js';
import type { Route, RouteNexthop } from './types.js';

/** 'ADDR' for a full-length prefix, 'ADDR/LEN' otherwise, 'default' for /0 (as ip prints them). */
function prefixText(addr: string | undefined, len: number, fam: 4 | 6): string {
  if (len === 0 && addr === undefined) return 'default';
  const a = addr ?? anyAddress(fam);
  return len === (fam === 4 ? 32 : 128) ? a : `${a}/${len}`;
}

/** IPv4 and IPv6 routes only (not the multicast-routing families). */
export const isIpRoute = (m: NetlinkMessage): boolean =>
  m.type === 'RTM_NEWROUTE' && (m.body.family === C.AF_INET || m.body.family === C.AF_INET6);

export function toRoute(m: NetlinkMessage): Route {
  const h = m.body as RtMsg;
  const a = m.attrs as RouteAttrs;
  const fam = ipFamily(h.family);
  const r: Route = {
    family: fam,
    dst: prefixText(a.dst, h.dstLen ?? 0, fam),
    dstLen: h.dstLen ?? 0,
    table: a.table ?? h.table ?? 0,
    protocol: nameOf(PROTOCOL_NAMES, h.protocol ?? 0),
    scope: nameOf(SCOPE_NAMES, h.scope ?? 0),
    type: nameOf(ROUTE_TYPE_NAMES, h.type ?? 0),
    flags: routeFlagNames(h.flags ?? 0),
    tos: h.tos ?? 0,
    header: h,
    attrs: a,
  };
  if (a.src !== undefined || (h.srcLen ?? 0) > 0) r.src = prefixOf(a.src, h.srcLen, fam);
  if (a.gateway !== undefined) r.gateway = a.gateway;
  if (a.oif !== undefined) r.oif = a.oif;
  if (a.iif !== undefined) r.iif = a.iif;
  if (a.prefsrc !== undefined) r.prefsrc = a.prefsrc;
  if (a.priority !== undefined) r.metric = a.priority;
  if (a.metrics !== undefined) r.metrics = a.metrics;
  if (a.pref !== undefined) r.pref = nameOf(ROUTER_PREF_NAMES, a.pref);
  if (a.nhId !== undefined) r.nhid = a.nhId;
  if (a.via !== undefined && typeof a.via.addr === 'string') r.via = a.via.addr;
  if (a.flow !== undefined) r.realms = realmsOf(a.flow);
  if (a.encapType !== undefined) r.encap = encapOf(a.encapType, a.encap);
  if (a.cacheinfo?.expires) r.expires = Math.trunc(a.cacheinfo.expires / 100);
  if (a.multipath !== undefined) {
    r.multipath = a.multipath.map((nh: RtNexthop) => {
      const out: RouteNexthop = {
        oif: nh.ifindex ?? 0,
        weight: (nh.hops ?? 0) + 1,
        flags: nexthopFlagNames(nh.flags ?? 0),
        attrs: nh.attrs ?? {},
      };
      if (nh.attrs?.gateway !== undefined) out.gateway = nh.attrs.gateway;
      if (nh.attrs?.flow !== undefined) out.realms = realmsOf(nh.attrs.flow);
      return out;
    });
  }
  return r;
}
