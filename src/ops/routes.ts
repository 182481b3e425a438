/** Routes: list, get (the kernel's lookup), add, replace and delete IPv4 and IPv6 routes. */
import type { z } from 'zod';
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { RtNexthop } from '../codec/rtnl/multipath.js';
import type { MetricsAttrs, RouteAttrs, RtMsg } from '../codec/rtnl/route.js';
import { RtnlError, ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import { defined, isCode, perCall, req, listOf, type ListResult } from './common.js';
import {
  nameOf,
  nexthopFlagNames,
  numberOf,
  PROTOCOL_NAMES,
  ROUTE_TYPE_NAMES,
  ROUTER_PREF,
  ROUTER_PREF_NAMES,
  routeFlagNames,
  SCOPE_ALIASES,
  SCOPE_NAMES,
} from './names.js';
import { parseIPv4, parseIPv6 } from '../codec/ip.js';
import { check, parsePrefix, V } from './validate.js';
import { schemas } from './zod.js';

/** One nexthop of a multipath route, as reported. */
export interface RouteNexthop {
  gateway?: string;
  /** Output interface index. */
  oif: number;
  /** 1..256 (rtnh_hops + 1). */
  weight: number;
  /** RTNH_F_* names: 'onlink', 'linkdown', 'dead', ... */
  flags: string[];
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

const S = schemas((z) => {
  const { family, ip, linkRef, protocol, routeType, scope, table, u32 } = V();
  const weight = z.number().int().min(1).max(256);

  const nexthopSchema = z
    .object({
      gateway: ip.optional(),
      dev: linkRef.optional(),
      weight: weight.optional(),
      onlink: z.boolean().optional(),
    })
    .strict()
    .refine((n) => n.gateway !== undefined || n.dev !== undefined, 'a nexthop needs a gateway or a dev');

  const metricsSchema = z
    .object({
      mtu: u32.optional(),
      advmss: u32.optional(),
      window: u32.optional(),
      rtt: u32.optional(),
      rttvar: u32.optional(),
      ssthresh: u32.optional(),
      cwnd: u32.optional(),
      reordering: u32.optional(),
      hoplimit: u32.optional(),
      initcwnd: u32.optional(),
      initrwnd: u32.optional(),
      features: u32.optional(),
      rtoMin: u32.optional(),
      quickack: u32.optional(),
      fastopenNoCookie: u32.optional(),
      lock: u32.optional(),
      ccAlgo: z
        .string()
        .min(1)
        .max(15)
        .refine((s) => !s.includes('\0'), 'must not contain NUL')
        .optional(),
    })
    .strict();

  const dstSchema = z.union([
    z.literal('default'),
    z.string().refine((s) => parsePrefix(s) !== undefined, 'must be default, ADDR or ADDR/LEN'),
  ]);

  const specSchema = z
    .object({
      dst: dstSchema,
      family: family.optional(),
      gateway: ip.optional(),
      dev: linkRef.optional(),
      src: ip.optional(),
      metric: u32.optional(),
      table: table.optional(),
      protocol: protocol.optional(),
      scope: scope.optional(),
      type: routeType.optional(),
      multipath: z.array(nexthopSchema).min(1).optional(),
      metrics: metricsSchema.optional(),
      pref: z.enum(['low', 'medium', 'high']).optional(),
      onlink: z.boolean().optional(),
      nhid: z.number().int().min(1).max(0xffffffff).optional(),
      via: ip.optional(),
      tos: z.number().int().min(0).max(255).optional(),
      realms: z
        .object({ from: z.number().int().min(0).max(0xffff).optional(), to: z.number().int().min(0).max(0xffff) })
        .strict()
        .optional(),
      expires: u32.optional(),
    })
    .strict();
  const writeOptsSchema = z.object({ echo: z.boolean().optional() }).strict();

  const listSchema = z
    .object({
      table: table.optional(),
      family: family.optional(),
      oif: linkRef.optional(),
      protocol: protocol.optional(),
      type: routeType.optional(),
      scope: scope.optional(),
      gateway: ip.optional(),
      root: dstSchema.optional(),
      match: dstSchema.optional(),
      exact: dstSchema.optional(),
    })
    .strict();

  const getSchema = z
    .object({
      from: ip.optional(),
      oif: linkRef.optional(),
      iif: linkRef.optional(),
      mark: u32.optional(),
      fibMatch: z.boolean().optional(),
      uid: u32.optional(),
      ipproto: z.union([z.enum(['tcp', 'udp', 'icmp', 'icmpv6']), z.number().int().min(0).max(255)]).optional(),
      sport: z.number().int().min(0).max(65535).optional(),
      dport: z.number().int().min(0).max(65535).optional(),
    })
    .strict();

  const deleteOptsSchema = z.object({ ifExists: z.boolean().optional() }).strict();

  // get()'s dst: an address, or a host prefix (/32, /128) which is the same address.
  const getDst = z
    .string()
    .transform((d) => d.replace(/\/(32|128)$/, ''))
    .pipe(V().ip);
  return { specSchema, listSchema, getSchema, deleteOptsSchema, writeOptsSchema, getDst };
});
type Spec = z.output<ReturnType<typeof S>['specSchema']>;

const af = (f: 4 | 6) => (f === 4 ? C.AF_INET : C.AF_INET6);
const familyOf = (addr: string): 4 | 6 => (addr.includes(':') ? 6 : 4);

/** 'ADDR' for a full-length prefix, 'ADDR/LEN' otherwise, 'default' for /0 (as ip prints them). */
function prefixText(addr: string | undefined, len: number, fam: 4 | 6): string {
  if (len === 0 && addr === undefined) return 'default';
  const a = addr ?? (fam === 4 ? '0.0.0.0' : '::');
  return len === (fam === 4 ? 32 : 128) ? a : `${a}/${len}`;
}

/** IPv4 and IPv6 routes only (not the multicast-routing families). */
const isIpRoute = (m: NetlinkMessage): boolean =>
  m.type === 'RTM_NEWROUTE' && (m.body.family === C.AF_INET || m.body.family === C.AF_INET6);

export function toRoute(m: NetlinkMessage): Route {
  const h = m.body as RtMsg;
  const a = m.attrs as RouteAttrs;
  const fam = h.family === C.AF_INET6 ? 6 : 4;
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
  if (a.src !== undefined || (h.srcLen ?? 0) > 0) r.src = `${a.src ?? (fam === 4 ? '0.0.0.0' : '::')}/${h.srcLen ?? 0}`;
  if (a.gateway !== undefined) r.gateway = a.gateway;
  if (a.oif !== undefined) r.oif = a.oif;
  if (a.iif !== undefined) r.iif = a.iif;
  if (a.prefsrc !== undefined) r.prefsrc = a.prefsrc;
  if (a.priority !== undefined) r.metric = a.priority;
  if (a.metrics !== undefined) r.metrics = a.metrics;
  if (a.pref !== undefined) r.pref = nameOf(ROUTER_PREF_NAMES, a.pref);
  if (a.nhId !== undefined) r.nhid = a.nhId;
  if (a.via !== undefined && typeof a.via.addr === 'string') r.via = a.via.addr;
  if (a.flow !== undefined) r.realms = { from: a.flow >>> 16, to: a.flow & 0xffff };
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
      return out;
    });
  }
  return r;
}

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

const IPPROTO = { tcp: C.IPPROTO_TCP, udp: C.IPPROTO_UDP, icmp: C.IPPROTO_ICMP, icmpv6: C.IPPROTO_ICMPV6 } as const;

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

type ListFilter = z.output<ReturnType<typeof S>['listSchema']>;

/** The filters the kernel does not apply (ip applies them too, after the dump), or undefined. */
function clientFilter(f: ListFilter): ((m: NetlinkMessage) => boolean) | undefined {
  if (f.scope === undefined && f.gateway === undefined && !f.root && !f.match && !f.exact) return undefined;
  const scope = f.scope === undefined ? undefined : numberOf(SCOPE_NAMES, f.scope, SCOPE_ALIASES);
  const pfx = (p: string | undefined, fam: 4 | 6) =>
    p === undefined
      ? undefined
      : p === 'default'
        ? { family: fam, address: fam === 4 ? '0.0.0.0' : '::', prefixLen: 0 }
        : parsePrefix(p)!;
  return (m) => {
    const h = m.body as RtMsg;
    const a = m.attrs as RouteAttrs;
    const fam = h.family === C.AF_INET6 ? 6 : 4;
    if (scope !== undefined && h.scope !== scope) return false;
    if (f.gateway !== undefined) {
      const gws = [
        a.gateway,
        a.via?.addr,
        ...(a.multipath ?? []).flatMap((nh) => [nh.attrs?.gateway, nh.attrs?.via?.addr]),
      ];
      if (!gws.includes(f.gateway)) return false;
    }
    const dst = { family: fam, address: a.dst ?? (fam === 4 ? '0.0.0.0' : '::'), prefixLen: h.dstLen ?? 0 } as const;
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
function plainListFilter(o: unknown): z.output<ReturnType<typeof S>['listSchema']> | undefined {
  if (o === null || typeof o !== 'object' || Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  const { family, table, ...rest } = o as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  if (family !== undefined && family !== 4 && family !== 6) return undefined;
  if (table !== undefined && !(Number.isInteger(table) && (table as number) >= 1 && (table as number) <= 0xffffffff))
    return undefined;
  return o as { family?: 4 | 6; table?: number };
}

export class Routes {
  constructor(private readonly nl: OpContext) {}

  /**
   * List routes. Every filter is applied by the kernel (strict dump filtering); without `table`,
   * every table is listed. Cached clones (RTM_F_CLONED) are not included.
   *
   * Equivalent to: ip [-4|-6] route show table all|ID [dev DEV] [proto P] [type T] [scope S]
   *   [via GW] [root P] [match P] [exact P]
   */
  async list(filter?: RouteListFilter): Promise<ListResult<Route>> {
    const { msg, f } = await this.dumpRequest(filter);
    let msgs: NetlinkMessage[];
    try {
      msgs = await this.nl.engine.dump(msg, { onInterrupted: this.nl.options.onInterrupted });
    } catch (err) {
      // A single-family dump of a table that does not exist: "FIB table does not exist".
      if (f.table !== undefined && f.family !== undefined && isCode(err, 'ENOENT')) return [];
      throw err;
    }
    const keep = clientFilter(f);
    return listOf(msgs, keep ? (m) => isIpRoute(m) && keep(m) : isIpRoute, toRoute);
  }

  /**
   * Stream routes as the kernel dumps them, without collecting them: a table of a million routes
   * never sits in memory. Same filters as list(). If the kernel flags the dump as interrupted by
   * concurrent changes, the stream ends with DumpInterruptedError (a stream cannot be retried),
   * unless `onInterrupted: 'partial'` was given when the client was opened.
   *
   * Equivalent to: ip route show [table ID] [dev DEV] (streamed)
   */
  async *stream(filter?: RouteListFilter, opts: { signal?: AbortSignal } = {}): AsyncGenerator<Route, void, undefined> {
    const { msg, f } = await this.dumpRequest(filter);
    const keep = clientFilter(f) ?? (() => true);
    const onInterrupted = this.nl.options.onInterrupted === 'partial' ? 'partial' : 'throw';
    for await (const batch of this.nl.engine.dumpBatches(msg, { signal: opts.signal, onInterrupted })) {
      for (const m of batch) if (isIpRoute(m) && keep(m)) yield toRoute(m);
    }
  }

  private async dumpRequest(filter: RouteListFilter | undefined) {
    // No filter, or only a family and a numeric table: zod is not loaded (see zod.ts).
    const f = filter === undefined ? {} : (plainListFilter(filter) ?? check(S().listSchema, filter, 'filter'));
    const body = {
      family: f.family === undefined ? C.AF_UNSPEC : af(f.family),
      table: f.table === undefined ? 0 : f.table < 256 ? f.table : C.RT_TABLE_UNSPEC,
      protocol: f.protocol === undefined ? 0 : numberOf(PROTOCOL_NAMES, f.protocol),
      type: f.type === undefined ? 0 : numberOf(ROUTE_TYPE_NAMES, f.type),
    };
    const attrs: RouteAttrs = {};
    if (f.table !== undefined) attrs.table = f.table;
    if (f.oif !== undefined) attrs.oif = await this.nl.linkIndex(f.oif);
    return { msg: req('RTM_GETROUTE', body, attrs), f };
  }

  /**
   * Ask the kernel which route it would use for `dst`. Raises NetlinkError (e.g. 'ENETUNREACH')
   * when there is none.
   *
   * Equivalent to: ip route get ADDR [from ADDR] [oif DEV] [iif DEV] [mark N] [uid N]
   *   [ipproto P] [sport N] [dport N] [fibmatch]
   */
  async get(dst: string, options: RouteGetOptions = {}): Promise<Route> {
    const d = check(S().getDst, dst, 'dst');
    const o = check(S().getSchema, options, 'options');
    const fam = familyOf(d);
    if (o.from !== undefined && familyOf(o.from) !== fam) {
      throw new ValidationError(
        'options.from',
        `is an IPv${familyOf(o.from)} address but dst is IPv${fam}`,
        options.from,
      );
    }
    const full = fam === 4 ? 32 : 128;
    let flags = o.fibMatch ? C.RTM_F_FIB_MATCH : 0;
    // ip asks IPv4 lookups to report the table the route came from.
    if (fam === 4) flags |= C.RTM_F_LOOKUP_TABLE;
    const body = { family: af(fam), dstLen: full, srcLen: o.from === undefined ? 0 : full, flags };
    const attrs: RouteAttrs = defined({
      dst: d,
      src: o.from,
      mark: o.mark,
      uid: o.uid,
      ipProto: o.ipproto === undefined ? undefined : typeof o.ipproto === 'number' ? o.ipproto : IPPROTO[o.ipproto],
      sport: o.sport,
      dport: o.dport,
    });
    const nl = perCall(this.nl);
    const [oif, iif] = await Promise.all([
      o.oif === undefined ? undefined : nl.linkIndex(o.oif),
      o.iif === undefined ? undefined : nl.linkIndex(o.iif),
    ]);
    if (oif !== undefined) attrs.oif = oif;
    if (iif !== undefined) attrs.iif = iif;
    const { replies } = await this.nl.engine.request(req('RTM_GETROUTE', body, attrs));
    const m = replies.find((x) => x.type === 'RTM_NEWROUTE');
    if (!m) throw new RtnlError('RTM_GETROUTE: the kernel acknowledged without a route', 'ERR_RTNL_NO_REPLY');
    return toRoute(m);
  }

  /**
   * Add a route. An existing one raises NetlinkError 'EEXIST'. With `echo: true`, returns the
   * route as the kernel stored it (NLM_F_ECHO).
   *
   * Equivalent to: ip route add [TYPE] DST [tos T] [via GW | via inet6 GW] [dev DEV] [src ADDR]
   *   [metric N] [table ID] [proto P] [scope S] [pref P] [onlink] [nhid ID] [realms FROM/TO]
   *   [expires S] [mtu N ...] [nexthop via GW dev DEV weight W ...]
   */
  add(route: RouteSpec, opts: RouteWriteOptions & { echo: true }): Promise<Route>;
  add(route: RouteSpec, opts?: RouteWriteOptions): Promise<Route | undefined>;
  async add(route: RouteSpec, opts: RouteWriteOptions = {}): Promise<Route | undefined> {
    return this.write(route, 'add', C.NLM_F_CREATE | C.NLM_F_EXCL, opts);
  }

  /**
   * Add a route, or replace the one with the same destination, table, tos and metric.
   *
   * Equivalent to: ip route replace DST [options]
   */
  replace(route: RouteSpec, opts: RouteWriteOptions & { echo: true }): Promise<Route>;
  replace(route: RouteSpec, opts?: RouteWriteOptions): Promise<Route | undefined>;
  async replace(route: RouteSpec, opts: RouteWriteOptions = {}): Promise<Route | undefined> {
    return this.write(route, 'replace', C.NLM_F_CREATE | C.NLM_F_REPLACE, opts);
  }

  /**
   * Change an existing route (replace without create): a missing one raises NetlinkError
   * 'ENOENT' (IPv4) or 'ESRCH' (IPv6).
   *
   * Equivalent to: ip route change DST [options]
   */
  change(route: RouteSpec, opts: RouteWriteOptions & { echo: true }): Promise<Route>;
  change(route: RouteSpec, opts?: RouteWriteOptions): Promise<Route | undefined>;
  async change(route: RouteSpec, opts: RouteWriteOptions = {}): Promise<Route | undefined> {
    return this.write(route, 'replace', C.NLM_F_REPLACE, opts);
  }

  /**
   * Add a route after the existing ones with the same destination, table, tos and metric
   * (IPv4: a route of lower preference; IPv6: one more nexthop of a multipath route).
   *
   * Equivalent to: ip route append DST [options]
   */
  append(route: RouteSpec, opts: RouteWriteOptions & { echo: true }): Promise<Route>;
  append(route: RouteSpec, opts?: RouteWriteOptions): Promise<Route | undefined>;
  async append(route: RouteSpec, opts: RouteWriteOptions = {}): Promise<Route | undefined> {
    return this.write(route, 'add', C.NLM_F_CREATE | C.NLM_F_APPEND, opts);
  }

  private async write(
    route: RouteSpec,
    op: 'add' | 'replace',
    flags: number,
    opts: RouteWriteOptions,
  ): Promise<Route | undefined> {
    const o =
      opts.echo === undefined && Object.keys(opts).length === 0 ? {} : check(S().writeOptsSchema, opts, 'options');
    const msg = await this.build(route, op);
    const { replies } = await this.nl.engine.request(msg, o.echo ? flags | C.NLM_F_ECHO : flags);
    if (!o.echo) return undefined;
    const m = replies.find((x) => x.type === 'RTM_NEWROUTE');
    if (!m) throw new RtnlError('RTM_NEWROUTE: the kernel did not echo the route', 'ERR_RTNL_NO_REPLY');
    return toRoute(m);
  }

  /**
   * Delete every route list(filter) returns (default: table main); returns how many were
   * deleted. Each is deleted by its own message (as `ip route flush` does), so only it goes.
   *
   * Equivalent to: ip route flush [table ID] [dev DEV] [proto P] [type T] [scope S] [via GW]
   *   [root P] [match P] [exact P]
   */
  async flush(filter: RouteListFilter = {}): Promise<number> {
    const routes = await this.list({ table: 'main', ...filter });
    let n = 0;
    for (const r of routes) {
      if ((r.header.flags ?? 0) & C.RTM_F_CLONED) continue;
      const attrs = { ...r.attrs } as Record<string, unknown>;
      delete attrs.cacheinfo;
      try {
        await this.nl.engine.request(req('RTM_DELROUTE', r.header, attrs));
        n++;
      } catch (err) {
        if (!isCode(err, 'ESRCH', 'ENOENT')) throw err;
      }
    }
    return n;
  }

  /**
   * Delete a route. Fields left out match any route (as with ip). With `ifExists: true`, a
   * missing route (or device) is not an error (returns false).
   *
   * Equivalent to: ip route del DST [via GW] [dev DEV] [metric N] [table ID] [proto P] [TYPE]
   */
  async delete(route: RouteSpec, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const o = check(S().deleteOptsSchema, opts, 'options');
    try {
      // Building resolves `dev` by name: a device that is gone cannot have the route either.
      const msg = await this.build(route, 'delete');
      await this.nl.engine.request(msg);
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ESRCH', 'ENODEV')) return false;
      throw err;
    }
  }

  private async build(route: RouteSpec, op: 'add' | 'replace' | 'delete'): Promise<NetlinkMessage> {
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
      family: af(fam),
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
      table: tableId,
      pref: s.pref === undefined ? undefined : ROUTER_PREF[s.pref],
      nhId: s.nhid,
      flow: s.realms === undefined ? undefined : (((s.realms.from ?? 0) << 16) | s.realms.to) >>> 0,
      expires: s.expires,
    });
    if (s.via !== undefined) attrs.via = { family: s.via.includes(':') ? C.AF_INET6 : C.AF_INET, addr: s.via };
    // Every link name of the route is resolved once, all in one round trip.
    const nl = perCall(this.nl);
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
          attrs: nh.gateway === undefined ? {} : { gateway: nh.gateway },
        }),
      );
    }
    return req(del ? 'RTM_DELROUTE' : 'RTM_NEWROUTE', body, attrs);
  }
}

publicCalls(Routes, 'routes', {
  list: {},
  get: { show: (dst: string) => [dst] },
  add: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
  replace: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
  delete: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
});
