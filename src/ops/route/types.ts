/** The public types of routes: what list() and get() report, and what add() and list() take. */
import type { MetricsAttrs, RouteAttrs, RtMsg } from '../../codec/rtnl/route.js';
import type { Encap, EncapSpec } from '../lwtunnel.js';

/** One nexthop of a multipath route, as reported. */
export interface RouteNexthop {
  gateway?: string;
  /** Output interface index. */
  oif: number;
  /** 1..256 (rtnh_hops + 1). */
  weight: number;
  /** RTNH_F_* names: 'onlink', 'linkdown', 'dead', ... */
  flags: string[];
  /** This nexthop's routing realms (its RTA_FLOW). */
  realms?: { from: number; to: number };
  attrs: RouteAttrs;
}

/** A route as rtnl reports it. `attrs` holds every decoded RTA attribute. */
export interface Route {
  family: 4 | 6;
  /** 'default', a host address ('192.0.2.1', no /32, as ip prints it) or 'ADDR/LEN'. */
  dst: string;
  dstLen: number;
  /** RTA_SRC (source-specific routes), as 'ADDR/LEN'. */
  src?: string;
  gateway?: string;
  /** Output interface index (RTA_OIF). */
  oif?: number;
  /** Input interface index (RTA_IIF), in route.get() answers for `iif` lookups. */
  iif?: number;
  /** Preferred source address (RTA_PREFSRC). */
  prefsrc?: string;
  /** The full table id (RTA_TABLE when present, else rtm_table). */
  table: number;
  /** 'kernel', 'boot', 'static', 'dhcp', ... (or the number as text). */
  protocol: string;
  /** 'global', 'link', 'host', ... */
  scope: string;
  /** 'unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'multicast', ... */
  type: string;
  /** RTA_PRIORITY. */
  metric?: number;
  /** RTA_METRICS: mtu, advmss, window, hoplimit, initcwnd, ... */
  metrics?: MetricsAttrs;
  multipath?: RouteNexthop[];
  /** IPv6 router preference: 'low', 'medium', 'high'. */
  pref?: string;
  /** 'onlink', 'linkdown', 'notify', 'cloned', 'rt_offload', ... */
  flags: string[];
  tos: number;
  /** The nexthop object the route uses (RTA_NH_ID); the kernel adds its resolved gateway/multipath. */
  nhid?: number;
  /** A gateway of the other family (RTA_VIA: an IPv6 gateway of an IPv4 route). */
  via?: string;
  /** Lightweight tunnel encapsulation (RTA_ENCAP_TYPE + RTA_ENCAP): MPLS, IP and IP6 typed. */
  encap?: Encap;
  /** Routing realms (RTA_FLOW). */
  realms?: { from: number; to: number };
  /** Seconds left before the route expires (IPv6 routes added with `expires`). */
  expires?: number;
  header: RtMsg;
  attrs: RouteAttrs;
}

/** One nexthop of a multipath route to add. */
export interface RouteNexthopSpec {
  gateway?: string;
  dev?: string | number;
  /** 1..256 (default 1). */
  weight?: number;
  onlink?: boolean;
  /** This nexthop's routing realms (RTA_FLOW): `to`, and optionally `from`. */
  realms?: { from?: number; to: number };
}

/** RTA_METRICS values to set. */
export interface RouteMetrics {
  mtu?: number;
  advmss?: number;
  window?: number;
  rtt?: number;
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  initrwnd?: number;
  features?: number;
  rtoMin?: number;
  quickack?: number;
  fastopenNoCookie?: number;
  /** Congestion control algorithm name (RTAX_CC_ALGO). */
  ccAlgo?: string;
  /** RTAX_LOCK: a bit mask of locked metrics (1 << RTAX_*). */
  lock?: number;
}

/** A route to add, replace or delete. */
export interface RouteSpec {
  /** 'default', 'ADDR' (a host route) or 'ADDR/LEN'. */
  dst: string;
  /** Needed only for a 'default' route with no other address to infer it from (default 4). */
  family?: 4 | 6 | 'inet' | 'inet6';
  gateway?: string;
  dev?: string | number;
  /** The preferred source address (RTA_PREFSRC; ip's `src`). */
  src?: string;
  /** RTA_PRIORITY (ip's `metric`). */
  metric?: number;
  /** A table id or 'main' (default), 'local', 'default'. Ids above 255 work. */
  table?: number | 'main' | 'local' | 'default';
  /** Default 'boot', as ip. */
  protocol?: string | number;
  /** Default: 'link' for a device route without gateway, 'host' for local, 'global' otherwise. */
  scope?: 'global' | 'universe' | 'site' | 'link' | 'host' | 'nowhere' | number;
  /** Default 'unicast'. */
  type?:
    | 'unicast'
    | 'local'
    | 'broadcast'
    | 'anycast'
    | 'multicast'
    | 'blackhole'
    | 'unreachable'
    | 'prohibit'
    | 'throw'
    | 'nat'
    | 'xresolve';
  multipath?: RouteNexthopSpec[];
  metrics?: RouteMetrics;
  /** IPv6 router preference. */
  pref?: 'low' | 'medium' | 'high';
  /** Pretend the gateway is on-link (RTNH_F_ONLINK). */
  onlink?: boolean;
  /** Use this nexthop object (RTA_NH_ID) instead of a gateway, device or multipath. */
  nhid?: number;
  /** A gateway of the other family (RTA_VIA): an IPv6 gateway for an IPv4 route (Linux 5.2+). */
  via?: string;
  /**
   * Encapsulate (RTA_ENCAP): `{ type: 'ip', id, dst }` for a collect_md device, `{ type: 'mpls',
   * labels }` (needs kernel MPLS support). Equivalent to: ip route add ... encap ip id N dst ADDR
   */
  encap?: EncapSpec;
  /** The TOS (DSCP) the route matches (rtm_tos; IPv4). */
  tos?: number;
  /** Routing realms (RTA_FLOW): `to`, and optionally the source realm `from`. */
  realms?: { from?: number; to: number };
  /** Seconds until the route expires (RTA_EXPIRES; IPv6 only). */
  expires?: number;
}

/** Options of add(), replace(), change() and append(). */
export interface RouteWriteOptions {
  /** Return the route as the kernel stored it (NLM_F_ECHO). */
  echo?: boolean;
}

export interface RouteListFilter {
  /** Only this table (number or 'main', 'local', 'default'). Default: every table. */
  table?: number | 'main' | 'local' | 'default';
  family?: 4 | 6 | 'inet' | 'inet6';
  /** Only routes out of this interface. */
  oif?: string | number;
  protocol?: string | number;
  type?: RouteSpec['type'];
  /** Only this scope (filtered here). */
  scope?: RouteSpec['scope'];
  /** Only routes through this gateway (RTA_GATEWAY or RTA_VIA; filtered here). */
  gateway?: string;
  /** Only routes whose destination lies within this prefix (ip's `root`; filtered here). */
  root?: string;
  /** Only routes whose destination covers this prefix (ip's `match`; filtered here). */
  match?: string;
  /** Only this exact destination (ip's `exact` or `show PREFIX`; filtered here). */
  exact?: string;
}

export interface RouteGetOptions {
  /** Source address of the lookup. */
  from?: string;
  /** Output interface. */
  oif?: string | number;
  /** Input interface (a lookup as if a packet arrived there; needs `from`). */
  iif?: string | number;
  /** Firewall mark. */
  mark?: number;
  /** Return the FIB entry that matched rather than the resolved route (ip's `fibmatch`). */
  fibMatch?: boolean;
  /** The user id of the lookup (RTA_UID). */
  uid?: number;
  /** IP protocol of the flow: 'tcp', 'udp', 'icmp', 'icmpv6' or a number (RTA_IP_PROTO). */
  ipproto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number;
  /** Source and destination ports of the flow (RTA_SPORT, RTA_DPORT). */
  sport?: number;
  dport?: number;
}
