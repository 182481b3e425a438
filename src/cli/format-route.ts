/** Routes as `ip -j [-d] route show` prints them. */
import * as C from '../codec/constants/index.js';
import { encapOf } from '../ops/lwtunnel.js';
import type { Route } from '../ops/routes.js';
import { nameOf, ROUTE_TYPE_NAMES, ROUTER_PREF_NAMES } from '../ops/names.js';
import { encapJson } from './encap.js';
import { flowJson, hash0x, protocolName, put, scopeName, tableName, type Json, type Names } from './format-util.js';

export interface RouteJsonOptions {
  details?: number;
  /** A `table` filter was given: ip then leaves the table out. */
  tableFiltered?: boolean;
  /** A `dev` filter was given: ip then leaves dev out. */
  devFiltered?: boolean;
  /** A `via` filter was given: ip then leaves the gateway out. */
  viaFiltered?: boolean;
  /** A `proto` filter was given: ip then leaves the protocol out. */
  protocolFiltered?: boolean;
  /** A `scope` filter was given: ip then leaves the scope out. */
  scopeFiltered?: boolean;
  deleted?: boolean;
}

/** print_rt_flags(): RTNH_F_* and the RTM_F_ offload bits, in ip's order. */
const RT_FLAGS: Array<[number, string]> = [
  [C.RTNH_F_DEAD, 'dead'],
  [C.RTNH_F_ONLINK, 'onlink'],
  [C.RTNH_F_PERVASIVE, 'pervasive'],
  [C.RTNH_F_OFFLOAD, 'offload'],
  [C.RTNH_F_TRAP, 'trap'],
  [C.RTM_F_NOTIFY, 'notify'],
  [C.RTNH_F_LINKDOWN, 'linkdown'],
  [C.RTNH_F_UNRESOLVED, 'unresolved'],
  [C.RTM_F_OFFLOAD, 'rt_offload'],
  [C.RTM_F_TRAP, 'rt_trap'],
  [C.RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];
export const ipRouteFlags = (flags: number): string[] => RT_FLAGS.filter(([bit]) => flags & bit).map(([, w]) => w);

/**
 * RTCF_* from <linux/in_route.h> (not in the generated constants), copied by name, in the order
 * print_cache_flags() prints them. They sit in the high half of rtm_flags of a cloned IPv4 route.
 */
const RTCF_LOCAL = 0x80000000;
const RTCF_REJECT = 0x40000000;
const RTCF_MULTICAST = 0x20000000;
const RTCF_BROADCAST = 0x10000000;
const RTCF_DNAT = 0x08000000;
const RTCF_SNAT = 0x00800000;
const RTCF_MASQ = 0x00400000;
const RTCF_DIRECTDST = 0x00020000;
const RTCF_DIRECTSRC = 0x04000000;
const RTCF_REDIRECTED = 0x00040000;
const RTCF_DOREDIRECT = 0x01000000;
const RTCF_FAST = 0x00200000;
const RTCF_NOTIFY = 0x00010000;
const RTCF_TPROXY = 0x00080000;
const CACHE_FLAGS: Array<[number, string]> = [
  [RTCF_LOCAL, 'local'],
  [RTCF_REJECT, 'reject'],
  [RTCF_MULTICAST, 'mc'],
  [RTCF_BROADCAST, 'brd'],
  [RTCF_DNAT, 'dst-nat'],
  [RTCF_SNAT, 'src-nat'],
  [RTCF_MASQ, 'masq'],
  [RTCF_DIRECTDST, 'dst-direct'],
  [RTCF_DIRECTSRC, 'src-direct'],
  [RTCF_REDIRECTED, 'redirected'],
  [RTCF_DOREDIRECT, 'redirect'],
  [RTCF_FAST, 'fastroute'],
  [RTCF_NOTIFY, 'notify'],
  [RTCF_TPROXY, 'proxy'],
];

/** RTAX_* names as ip's mx_names. */
const METRIC_NAMES: Array<[string, string]> = [
  ['mtu', 'mtu'],
  ['window', 'window'],
  ['rtt', 'rtt'],
  ['rttvar', 'rttvar'],
  ['ssthresh', 'ssthresh'],
  ['cwnd', 'cwnd'],
  ['advmss', 'advmss'],
  ['reordering', 'reordering'],
  ['hoplimit', 'hoplimit'],
  ['initcwnd', 'initcwnd'],
  ['features', 'features'],
  ['rtoMin', 'rto_min'],
  ['initrwnd', 'initrwnd'],
  ['quickack', 'quickack'],
  ['ccAlgo', 'congctl'],
  ['fastopenNoCookie', 'fastopen_no_cookie'],
];

/** print_rta_metrics(): one object inside a one-element array, as ip prints it. */
export function metricsJson(m: Record<string, any>): Json[] {
  const j: Json = {};
  for (const [key, name] of METRIC_NAMES) {
    const v = m[key];
    if (v === undefined) continue;
    if (key === 'hoplimit' && (v | 0) === -1) continue;
    if (key === 'features') continue; // ip prints feature words; left out rather than approximated
    if (key === 'rtt' || key === 'rttvar' || key === 'rtoMin') {
      const ms = key === 'rtt' ? Math.floor(v / 8) : key === 'rttvar' ? Math.floor(v / 4) : v;
      j[name] = ms >= 1000 ? ms / 1000 : ms;
    } else j[name] = v;
  }
  return [j];
}

function gatewayJson(j: Json, a: Record<string, any>): void {
  put(j, 'gateway', a.gateway);
  if (a.via)
    j.via = {
      family: a.via.family === C.AF_INET6 ? 'inet6' : a.via.family === C.AF_INET ? 'inet' : String(a.via.family),
      host: a.via.addr,
    };
}

/** One route as `ip -j [-d] route show` prints it. */
export function routeJson(r: Route, names: Names, o: RouteJsonOptions = {}): Json {
  const h = r.header;
  const a = r.attrs as Record<string, any>;
  const flags = h.flags ?? 0;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  if (h.type !== C.RTN_UNICAST || o.details) j.type = nameOf(ROUTE_TYPE_NAMES, h.type ?? 0);
  j.dst = r.dst;
  if (r.src !== undefined) {
    const [addr, len] = r.src.split('/');
    j.src = Number(len) === (r.family === 4 ? 32 : 128) ? addr : r.src;
  }
  put(j, 'nhid', a.nhId);
  if (r.encap) encapJson(j, r.encap, 'route');
  if (h.tos) j.tos = hash0x(h.tos);
  if (!o.viaFiltered) gatewayJson(j, a);
  if (a.oif !== undefined && !o.devFiltered) j.dev = names.ifname(a.oif);
  if (r.table && (r.table !== C.RT_TABLE_MAIN || o.details) && !o.tableFiltered) j.table = tableName(r.table);
  if (!(flags & C.RTM_F_CLONED)) {
    if ((h.protocol !== C.RTPROT_BOOT || o.details) && !o.protocolFiltered) j.protocol = protocolName(h.protocol ?? 0);
    if ((h.scope !== C.RT_SCOPE_UNIVERSE || o.details) && !o.scopeFiltered) j.scope = scopeName(h.scope ?? 0);
  }
  put(j, 'prefsrc', a.prefsrc);
  put(j, 'metric', a.priority);
  j.flags = ipRouteFlags(flags);
  if (a.mark) j.mark = a.mark;
  if (a.flow !== undefined) j.flow = flowJson(a.flow);
  put(j, 'uid', a.uid);
  if (r.family === 4 && flags & C.RTM_F_CLONED)
    j.cache = CACHE_FLAGS.filter(([bit]) => (flags >>> 0) & bit).map(([, w]) => w);
  if (a.cacheinfo) {
    if (a.cacheinfo.expires) j.expires = Math.trunc(a.cacheinfo.expires / 100);
    if (a.cacheinfo.error) j.error = a.cacheinfo.error;
  }
  if (a.metrics) j.metrics = metricsJson(a.metrics);
  if (a.iif !== undefined) j.iif = names.ifname(a.iif);
  if (a.pref !== undefined) j.pref = nameOf(ROUTER_PREF_NAMES, a.pref);
  if (a.multipath) {
    j.nexthops = (a.multipath as Array<Record<string, any>>).map((nh) => {
      const n: Json = {};
      if (nh.attrs?.encapType !== undefined) encapJson(n, encapOf(nh.attrs.encapType, nh.attrs.encap), 'route');
      gatewayJson(n, nh.attrs ?? {});
      if (nh.attrs?.flow !== undefined) n.flow = flowJson(nh.attrs.flow);
      n.dev = names.ifname(nh.ifindex ?? 0);
      n.weight = (nh.hops ?? 0) + 1;
      n.flags = ipRouteFlags(nh.flags ?? 0);
      return n;
    });
  }
  return j;
}
