/** Routes: list, get (the kernel's lookup), add, replace and delete IPv4 and IPv6 routes. */
import * as C from '../codec/constants/index.js';
import type { RouteAttrs } from '../codec/rtnl/route.js';
import { RtnlError, ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import { defined, familyNumber, ipprotoNumber, isCode, perCall, req, type ListResult } from './common.js';
import { numberOf, PROTOCOL_NAMES, ROUTE_TYPE_NAMES } from './names.js';
import { check } from './validate.js';
import { buildRoute, familyOf } from './route/build.js';
import { isIpRoute, toRoute } from './route/decode.js';
import { clientFilter, plainListFilter } from './route/filter.js';
import { S } from './route/schema.js';
import type { Route, RouteGetOptions, RouteListFilter, RouteSpec, RouteWriteOptions } from './route/types.js';

export { toRoute } from './route/decode.js';
export type {
  Route,
  RouteGetOptions,
  RouteListFilter,
  RouteMetrics,
  RouteNexthop,
  RouteNexthopSpec,
  RouteSpec,
  RouteWriteOptions,
} from './route/types.js';

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
    const keep = clientFilter(f);
    try {
      return await this.nl.engine.dumpConverted(msg, keep ? (m) => isIpRoute(m) && keep(m) : isIpRoute, toRoute, {
        onInterrupted: this.nl.options.onInterrupted,
      });
    } catch (err) {
      // A single-family dump of a table that does not exist: "FIB table does not exist".
      if (f.table !== undefined && f.family !== undefined && isCode(err, 'ENOENT')) return [];
      throw err;
    }
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
      family: familyNumber(f.family),
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
    const body = { family: familyNumber(fam), dstLen: full, srcLen: o.from === undefined ? 0 : full, flags };
    const attrs: RouteAttrs = defined({
      dst: d,
      src: o.from,
      mark: o.mark,
      uid: o.uid,
      ipProto: ipprotoNumber(o.ipproto),
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
    const msg = await buildRoute(this.nl, route, op);
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
      const msg = await buildRoute(this.nl, route, 'delete');
      await this.nl.engine.request(msg);
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ESRCH', 'ENODEV')) return false;
      throw err;
    }
  }
}

publicCalls(Routes, 'routes', {
  list: {},
  get: { show: (dst: string) => [dst] },
  add: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
  replace: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
  delete: { show: (r: RouteSpec) => [r?.dst], errnos: { ESRCH: 'no such route' } },
});
