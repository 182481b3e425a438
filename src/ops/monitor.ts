/**
 * Monitoring: rtnetlink multicast events as an async iterable that never silently loses state.
 *
 * - The monitor has its own socket (never the request socket), created in the client's
 *   namespace, and joins groups with NETLINK_ADD_MEMBERSHIP by group id (RTNLGRP_*). The bind()
 *   groups field is different: a bitmask whose bit (id - 1) stands for group id, so it only
 *   reaches the first 32 groups (RTMGRP_LINK = 1 << (RTNLGRP_LINK - 1)); ids above 32, such as
 *   RTNLGRP_BRVLAN (33) and RTNLGRP_STATS, can only be joined by id. So rtnl always joins by id.
 * - List-then-watch without a race: subscribe first, dump on the client's request socket, yield
 *   the snapshot, then replay what queued up meanwhile against that snapshot (what the dump
 *   already showed is not applied twice; nothing after it is lost), then go live.
 * - Overflow: ENOBUFS means the kernel dropped events. The monitor re-dumps, yields one
 *   'resync' event listing what was added, changed and removed meanwhile, and goes on.
 * - Waiting parks on the shared poller thread: idle monitors hold no libuv threadpool thread.
 *   Aborting the signal, breaking out of the loop or closing the client closes the socket.
 */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import { DecodeError, SysError } from '../errors.js';
import { ENOBUFS } from '../errno.js';
import { schemas } from './zod.js';
import type { NetnsSpec } from '../ffi/netns.js';
import type { NetlinkSocket } from '../ffi/socket.js';
import { WaitCancelledError } from '../ffi/poller.js';
import type { OpContext } from './context.js';
import { req } from './common.js';
import { plain, plainlyAccepted } from './validate.js';
import type { Nexthop } from './nexthops.js';
// Static: a dynamic import here split the bundle into more chunks (one more module per process).
import { OBJECT_KINDS, type ObjectKind, type ObjectOf, type RtnlObject } from './objects.js';

/** Named groups. 'address', 'route' and 'rule' cover IPv4 and IPv6; the suffixed names one family. */
export type MonitorGroup =
  | 'link'
  | 'address'
  | 'address4'
  | 'address6'
  | 'route'
  | 'route4'
  | 'route6'
  | 'neighbour'
  | 'rule'
  | 'rule4'
  | 'rule6'
  | 'nsid'
  | 'qdisc'
  | 'class'
  | 'filter'
  | 'chain'
  | 'action'
  | 'nexthop';

const GROUPS: Record<MonitorGroup, number[]> = {
  link: [C.RTNLGRP_LINK],
  address: [C.RTNLGRP_IPV4_IFADDR, C.RTNLGRP_IPV6_IFADDR],
  address4: [C.RTNLGRP_IPV4_IFADDR],
  address6: [C.RTNLGRP_IPV6_IFADDR],
  route: [C.RTNLGRP_IPV4_ROUTE, C.RTNLGRP_IPV6_ROUTE],
  route4: [C.RTNLGRP_IPV4_ROUTE],
  route6: [C.RTNLGRP_IPV6_ROUTE],
  neighbour: [C.RTNLGRP_NEIGH],
  rule: [C.RTNLGRP_IPV4_RULE, C.RTNLGRP_IPV6_RULE],
  rule4: [C.RTNLGRP_IPV4_RULE],
  rule6: [C.RTNLGRP_IPV6_RULE],
  nsid: [C.RTNLGRP_NSID],
  // Every tc notification (qdisc, class, filter, chain, action) goes to RTNLGRP_TC.
  qdisc: [C.RTNLGRP_TC],
  class: [C.RTNLGRP_TC],
  filter: [C.RTNLGRP_TC],
  chain: [C.RTNLGRP_TC],
  action: [C.RTNLGRP_TC],
  nexthop: [C.RTNLGRP_NEXTHOP],
};
const GROUP_KIND: Record<MonitorGroup, ObjectKind> = {
  link: 'link',
  address: 'address',
  address4: 'address',
  address6: 'address',
  route: 'route',
  route4: 'route',
  route6: 'route',
  neighbour: 'neighbour',
  rule: 'rule',
  rule4: 'rule',
  rule6: 'rule',
  nsid: 'nsid',
  qdisc: 'qdisc',
  class: 'class',
  filter: 'filter',
  chain: 'chain',
  action: 'action',
  nexthop: 'nexthop',
};
const GROUP_FAMILY: Partial<Record<MonitorGroup, number>> = {
  address4: C.AF_INET,
  address6: C.AF_INET6,
  route4: C.AF_INET,
  route6: C.AF_INET6,
  rule4: C.AF_INET,
  rule6: C.AF_INET6,
};

/** The schemas of monitor()'s groups and options, built on first use (see zod.ts). */
const PLAIN_OPTIONS = {
  signal: (v: unknown) => v instanceof AbortSignal,
  initial: plain.bool,
  allNsid: plain.bool,
  rcvbuf: (v: unknown) => Number.isInteger(v) && (v as number) >= 4096 && (v as number) <= 1 << 30,
  track: plain.bool,
};

/**
 * Whether nl.monitor()'s groups and options plainly pass (known group names, options of the
 * simplest valid forms), decided without zod: a monitor program then does not load it.
 */
export function plainMonitorArgs(groups: readonly unknown[], options: unknown): boolean {
  if (groups.length === 0) return false;
  for (const g of groups) if (typeof g !== 'string' || !Object.hasOwn(GROUPS, g)) return false;
  return plainlyAccepted(options, PLAIN_OPTIONS);
}

export const monitorSchemas = schemas((z) => {
  const monitorGroupsSchema = z
    .array(z.enum(Object.keys(GROUPS) as [MonitorGroup, ...MonitorGroup[]]))
    .min(1, 'give at least one group');
  const monitorOptionsSchema = z
    .object({
      signal: z.instanceof(AbortSignal).optional(),
      initial: z.boolean().optional(),
      allNsid: z.boolean().optional(),
      rcvbuf: z
        .number()
        .int()
        .min(4096)
        .max(1 << 30)
        .optional(),
      track: z.boolean().optional(),
    })
    .strict();
  return { monitorGroupsSchema, monitorOptionsSchema };
});

/** Options of nl.monitor(). */
export interface MonitorOptions {
  /** Stops the monitor: the loop ends and the socket is closed. */
  signal?: AbortSignal;
  /** First yield the current state (as '*.new' events with initial: true), then a 'synced' event. */
  initial?: boolean;
  /** Receive events from every namespace with an nsid here (NETLINK_LISTEN_ALL_NSID); events carry `nsid`. */
  allNsid?: boolean;
  /** Receive buffer of the monitor socket (default 4 MiB). Small buffers overflow sooner. */
  rcvbuf?: number;
  /**
   * Track state so an overflow can be reported as a diff (default true). Without `initial`, this
   * costs one silent dump at start. With false, an overflow still yields 'resync', listing the
   * current state as `added` with `complete: false`.
   */
  track?: boolean;
}

/** A change: 'link.new', 'link.del', 'address.new', ... with the object as list() returns it. */
export type ChangeEvent = {
  [K in ObjectKind]: {
    type: `${K}.new` | `${K}.del`;
    /** Narrows `object`: `if (ev.kind === 'link') ev.object.name`. */
    kind: K;
    action: 'new' | 'del';
    object: ObjectOf[K];
    /** Set for events of the initial snapshot. */
    initial?: true;
    /** With allNsid: the nsid of the namespace the event came from (absent: the client's own). */
    nsid?: number;
    /**
     * The client's namespace as it was opened (`Rtnl.open({ netns })`), for events from it;
     * absent for a client in the process's own namespace, and for events tagged with `nsid`.
     */
    netns?: NetnsSpec;
    /**
     * Set on a 'nexthop.del' (or 'nexthop.new' for a group that lost members) that rtnl made
     * itself: the kernel removes the nexthops of a device that goes down or away without a
     * notification, so the monitor re-dumps nexthops after such a link event and reports the
     * difference. A synthetic 'nexthop.del' carries an RTM_DELNEXTHOP `message` built from the
     * nexthop as last seen (header seq and len 0).
     */
    synthetic?: true;
    /** The decoded netlink message. */
    message: NetlinkMessage;
  };
}[ObjectKind];

/** Events were lost to an overflow; this is what changed meanwhile, from a fresh dump. */
export interface ResyncEvent {
  type: 'resync';
  added: RtnlObject[];
  changed: RtnlObject[];
  removed: RtnlObject[];
  /** False when state was not tracked and `added` is simply everything that exists now. */
  complete: boolean;
}

/** The initial snapshot has been yielded in full; live changes follow. */
export interface SyncedEvent {
  type: 'synced';
}

/**
 * A message the monitor could not decode (a shape rtnl does not know yet, or malformed bytes): a
 * copy of its bytes and the DecodeError. One bad message costs only itself; the monitor goes on.
 */
export interface UndecodableEvent {
  type: 'undecodable';
  bytes: Uint8Array;
  error: DecodeError;
  /** With allNsid: the nsid of the namespace it came from (absent: the client's own). */
  nsid?: number;
}

/**
 * Everything a monitor yields: changes, 'resync' after an overflow, 'synced' after the initial
 * snapshot, and 'undecodable' for a message that did not decode.
 */
export type MonitorEvent = ChangeEvent | ResyncEvent | SyncedEvent | UndecodableEvent;

/**
 * @internal Test seam: when set, the monitor reads its datagrams through this instead of
 * `sock.recv()`, so a test can put bytes of its choosing into a live monitor's stream.
 */
export const monitorSeam: { recv?: (sock: NetlinkSocket) => Uint8Array | null } = {};

interface Entry {
  kind: ObjectKind;
  obj: RtnlObject;
}

export async function* monitor(
  nl: OpContext,
  groups: MonitorGroup[],
  opts: MonitorOptions,
): AsyncGenerator<MonitorEvent, void, undefined> {
  // groups and opts were validated by nl.monitor(), where the call is made.
  if (opts.signal?.aborted) return;
  const ids = [...new Set(groups.flatMap((g) => GROUPS[g]))];
  // The kernel drops the nexthops of a device that goes down or away without RTM_DELNEXTHOP:
  // link events tell us when to look (see nexthopRecheck below).
  const watchNexthops = groups.includes('nexthop');
  if (watchNexthops && !ids.includes(C.RTNLGRP_LINK)) ids.push(C.RTNLGRP_LINK);
  const kinds = new Map<ObjectKind, number>(); // kind -> family filter (AF_UNSPEC = all)
  for (const g of groups) {
    const k = GROUP_KIND[g];
    const fam = GROUP_FAMILY[g] ?? C.AF_UNSPEC;
    kinds.set(k, kinds.has(k) && kinds.get(k) !== fam ? C.AF_UNSPEC : fam);
  }
  const sock = nl.openSocket({ groups: ids, rcvbuf: opts.rcvbuf ?? 4 << 20, listenAllNsid: opts.allNsid });
  const untrack = nl.trackMonitor(sock);
  const track = opts.track ?? true;
  /** Known objects by `kind/key`, when tracking. */
  const state = new Map<string, Entry>();

  const dumpAll = async (): Promise<Array<[ObjectKind, NetlinkMessage]>> => {
    const out: Array<[ObjectKind, NetlinkMessage]> = [];
    for (const [kind, family] of kinds) {
      const spec = OBJECT_KINDS[kind];
      const msgs: NetlinkMessage[] = [];
      if (spec.dump) msgs.push(...(await spec.dump(nl)));
      else
        for (const body of [spec.dumpBody(family), ...(spec.moreDumps?.(family) ?? [])])
          msgs.push(...(await nl.engine.dump(req(spec.dumpType, body))));
      for (const m of msgs) {
        if (spec.newTypes.includes(m.type) && spec.accept(m, family)) out.push([kind, m]);
      }
    }
    return out;
  };

  /** Nexthops are always tracked, so one that vanishes with its device can be reported. */
  const keeps = (kind: ObjectKind) => track || kind === 'nexthop';

  /**
   * After a link went down or away: re-dump nexthops and report what the kernel removed (or
   * changed: a group that lost members) without telling anyone.
   */
  const nexthopRecheck = async (): Promise<ChangeEvent[]> => {
    const spec = OBJECT_KINDS.nexthop;
    const fresh = new Map<string, NetlinkMessage>();
    for (const m of await nl.engine.dump(req(spec.dumpType, spec.dumpBody(C.AF_UNSPEC))))
      if (m.type === 'RTM_NEWNEXTHOP') fresh.set(`nexthop/${spec.key(spec.convert(m))}`, m);
    const out: ChangeEvent[] = [];
    const emit = (action: 'new' | 'del', obj: RtnlObject, message: NetlinkMessage) => {
      const ev = {
        type: `nexthop.${action}`,
        kind: 'nexthop',
        action,
        object: obj,
        synthetic: true,
        message,
      } as ChangeEvent;
      if (nl.options.netns !== undefined) ev.netns = nl.options.netns;
      out.push(ev);
    };
    for (const [key, e] of [...state]) {
      if (e.kind !== 'nexthop') continue;
      const m = fresh.get(key);
      const n = e.obj as Nexthop;
      if (!m) {
        state.delete(key);
        const header = { len: 0, type: C.RTM_DELNEXTHOP, flags: 0, seq: 0, pid: 0 };
        emit('del', n, { type: 'RTM_DELNEXTHOP', header, body: n.header, attrs: n.attrs });
      } else {
        const obj = spec.convert(m);
        if (!spec.same(n, obj)) {
          state.set(key, { kind: 'nexthop', obj });
          emit('new', obj, m);
        }
      }
    }
    return out;
  };
  /** Whether a link message says the kernel may have dropped nexthops on that device. */
  const linkDropsNexthops = (m: NetlinkMessage): boolean => {
    if (m.type !== 'RTM_DELLINK' && m.type !== 'RTM_NEWLINK') return false;
    const flags = (m.body.flags as number) ?? 0;
    if (m.type === 'RTM_NEWLINK' && flags & C.IFF_UP && flags & C.IFF_LOWER_UP) return false;
    const index = m.body.index as number;
    for (const e of state.values()) if (e.kind === 'nexthop' && (e.obj as Nexthop).oif === index) return true;
    return false;
  };

  try {
    if (watchNexthops && !opts.initial && !track) {
      const spec = OBJECT_KINDS.nexthop;
      for (const m of await nl.engine.dump(req(spec.dumpType, spec.dumpBody(C.AF_UNSPEC)))) {
        if (m.type !== 'RTM_NEWNEXTHOP') continue;
        const obj = spec.convert(m);
        state.set(`nexthop/${spec.key(obj)}`, { kind: 'nexthop', obj });
      }
    }
    if (opts.initial || track) {
      const snapshot = await dumpAll();
      for (const [kind, m] of snapshot) {
        const obj = OBJECT_KINDS[kind].convert(m);
        state.set(`${kind}/${OBJECT_KINDS[kind].key(obj)}`, { kind, obj });
        if (opts.initial) {
          const ev = {
            type: `${kind}.new`,
            kind,
            action: 'new',
            object: obj,
            initial: true,
            message: m,
          } as ChangeEvent;
          if (nl.options.netns !== undefined) ev.netns = nl.options.netns;
          yield ev;
        }
      }
      if (opts.initial) yield { type: 'synced' };
    }
    // Events queued while we dumped are compared with the snapshot: what it already shows is skipped.
    let catchUp = opts.initial || track;
    for (;;) {
      if (opts.signal?.aborted || sock.isClosed) return;
      let data: Uint8Array | null;
      try {
        data = monitorSeam.recv ? monitorSeam.recv(sock) : sock.recv();
      } catch (err) {
        if (err instanceof SysError && err.errno === ENOBUFS) {
          yield await resync();
          catchUp = true;
          continue;
        }
        throw err;
      }
      if (data === null) {
        catchUp = false;
        try {
          await sock.waitReadable(opts.signal);
        } catch (err) {
          if (err instanceof WaitCancelledError) return;
          throw err;
        }
        continue;
      }
      const nsid = sock.lastNsid;
      const events: Array<ChangeEvent | UndecodableEvent> = [];
      const table = nl.engine.table;
      let recheck = false;
      const onMessage = (m: NetlinkMessage, at: number) => {
        const kind = table.familyOf(m.header.type) as ObjectKind | undefined;
        if (watchNexthops && kind === 'link' && nsid === undefined && linkDropsNexthops(m)) recheck = true;
        if (!kind) {
          // A type no rtnetlink family has, or a control message (DONE, ERROR) that has no place
          // in a multicast stream: reported, not dropped silently. NOOP is there to be ignored.
          if (m.header.type === C.NLMSG_NOOP) return;
          const ev: UndecodableEvent = {
            type: 'undecodable',
            bytes: data.slice(at, at + m.header.len),
            error: new DecodeError(`unexpected message type ${m.header.type} in a monitor stream`, at),
          };
          if (nsid !== undefined) ev.nsid = nsid;
          events.push(ev);
          return;
        }
        if (!kinds.has(kind)) return;
        const spec = OBJECT_KINDS[kind];
        if (!spec.accept(m, kinds.get(kind)!)) return;
        const action = spec.newTypes.includes(m.type) ? 'new' : 'del';
        const obj = spec.convert(m);
        if (nsid === undefined && (keeps(kind) || catchUp)) {
          const key = `${kind}/${spec.key(obj)}`;
          const had = state.get(key)?.obj;
          if (catchUp && (action === 'new' ? had !== undefined && spec.same(had, obj) : had === undefined)) return;
          // Already reported by a recheck.
          if (kind === 'nexthop' && action === 'del' && had === undefined) return;
          if (keeps(kind)) {
            if (action === 'new') state.set(key, { kind, obj });
            else state.delete(key);
          }
        }
        const ev = { type: `${kind}.${action}`, kind, action, object: obj, message: m } as ChangeEvent;
        if (nsid !== undefined) ev.nsid = nsid;
        else if (nl.options.netns !== undefined) ev.netns = nl.options.netns;
        events.push(ev);
      };
      table.eachTolerant(data, onMessage, (bytes, error) => {
        const ev: UndecodableEvent = { type: 'undecodable', bytes, error };
        if (nsid !== undefined) ev.nsid = nsid;
        events.push(ev);
      });
      for (const ev of events) yield ev;
      if (recheck) for (const ev of await nexthopRecheck()) yield ev;
    }
  } finally {
    untrack();
    sock.close();
  }

  async function resync(): Promise<ResyncEvent> {
    // Drop whatever is still queued: it predates the dump we are about to take.
    drainQueued(sock);
    const fresh = new Map<string, Entry>();
    for (const [kind, m] of await dumpAll()) {
      const obj = OBJECT_KINDS[kind].convert(m);
      fresh.set(`${kind}/${OBJECT_KINDS[kind].key(obj)}`, { kind, obj });
    }
    if (!track)
      return {
        type: 'resync',
        added: [...fresh.values()].map((e) => e.obj),
        changed: [],
        removed: [],
        complete: false,
      };
    const added: RtnlObject[] = [];
    const changed: RtnlObject[] = [];
    const removed: RtnlObject[] = [];
    for (const [key, e] of fresh) {
      const had = state.get(key);
      if (!had) added.push(e.obj);
      else if (!OBJECT_KINDS[e.kind].same(had.obj, e.obj)) changed.push(e.obj);
    }
    for (const [key, e] of state) if (!fresh.has(key)) removed.push(e.obj);
    state.clear();
    for (const [k, v] of fresh) state.set(k, v);
    return { type: 'resync', added, changed, removed, complete: true };
  }
}

function drainQueued(sock: NetlinkSocket): void {
  for (let i = 0; i < 100_000; i++) {
    try {
      if (sock.recv() === null) return;
    } catch (err) {
      if (!(err instanceof SysError && err.errno === ENOBUFS)) throw err;
    }
  }
}
