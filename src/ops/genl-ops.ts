/**
 * `nl.genl`: generic netlink beyond the families rtnl types. List every family, read a family's
 * attribute policies, watch its multicast groups by name, and send any command with its
 * attributes kept raw (or decoded with an attribute set the caller declares).
 */
import { CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, NETLINK_GENERIC } from '../codec/constants/index.js';
import { decodeAttrs, encodeAttrs } from '../codec/attrs.js';
import {
  type CtrlAttrs,
  type GenlRawAttr,
  type GenlRawMessage,
  genlMessages,
  genlRawBody,
  joinAttrs,
  parseGenlRaw,
  type policyTypeAttrs,
} from '../codec/genl/index.js';
import { MessageTable, type NetlinkMessage } from '../codec/nlmsg.js';
import type { AttrSetDef, SetValues } from '../codec/schema.js';
import { ENOBUFS } from '../errno.js';
import { RtnlError, SysError } from '../errors.js';
import { WaitCancelledError } from '../ffi/poller.js';
import type { OpContext } from './context.js';
import { Engine } from './engine.js';
import { familyFrom, genlEngineOf, resolveFamilyIn, type GenlFamily } from './genl.js';

/** How the kernel validates one attribute of a family (NL_POLICY_TYPE_ATTR_*). */
export type GenlAttrPolicy = Omit<SetValues<typeof policyTypeAttrs>, 'pad'>;

/** A family's attribute policies (CTRL_CMD_GETPOLICY). */
export interface GenlPolicy {
  /** The family's name. */
  family: string;
  /** Command -> the policy index its do and dump requests are validated with. */
  ops: Record<number, { do?: number; dump?: number }>;
  /** Policy index -> attribute type -> its policy. A nested attribute names its policy by `policyIdx`. */
  policies: Record<number, Record<number, GenlAttrPolicy>>;
}

/** What `nl.genl.request()` sends as attributes. */
export type GenlRequestAttrs = Uint8Array | readonly GenlRawAttr[] | Record<string, unknown>;

export interface GenlRequestOptions {
  /** Send a dump (NLM_F_DUMP) and collect every reply. */
  dump?: boolean;
  /** Extra nlmsg flags (NLM_F_CREATE, ...); NLM_F_REQUEST and NLM_F_ACK are always set. */
  flags?: number;
  /** genlmsghdr.version (default: the family's version). */
  version?: number;
  /** The family's own fixed header, for a family with CTRL_ATTR_HDRSIZE > 0 (default zeros). */
  header?: Uint8Array;
  /** Encode object attributes and decode the replies' with this set (declared with `attrs()`). */
  attrs?: AttrSetDef;
  /** Stops a dump. */
  signal?: AbortSignal;
}

/** One reply of `nl.genl.request()`: raw attributes, plus `decoded` when an attribute set was given. */
export interface GenlReply extends GenlRawMessage {
  decoded?: Record<string, any>;
}

export interface GenlMonitorOptions {
  /** Stops the monitor (the loop ends). */
  signal?: AbortSignal;
  /** Receive buffer of the monitor socket (default 1 MiB). */
  rcvbuf?: number;
  /** Yield `{ type: 'subscribed' }` first, once the socket has joined the groups. */
  subscribed?: boolean;
  /** Decode the messages' attributes with this set (for a family rtnl does not type). */
  attrs?: AttrSetDef;
}

/** One event of `nl.genl.monitor()`. */
export type GenlMonitorEvent =
  /**
   * A notification of the family: `attrs` is decoded when the family's attribute set is known
   * (rtnl types it and it was resolved, or `options.attrs` was given); `raw` always has the bytes.
   */
  | { type: 'message'; family: string; cmd: number; version: number; attrs?: Record<string, any>; raw: GenlRawMessage }
  | { type: 'subscribed' }
  /** The kernel dropped notifications (the socket's buffer overflowed). */
  | { type: 'overflow' }
  /** A message that did not decode (kept, so nothing is lost silently). */
  | { type: 'undecodable'; bytes: Uint8Array; error: Error };

const closedError = () => new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');

/** Generic netlink: `genl ctrl`, any family's requests and notifications. */
export class Genl {
  #raw: Engine | undefined;

  constructor(private readonly nl: OpContext) {}

  /**
   * Every generic netlink family this kernel has: id, name, version, header size, highest
   * attribute, its operations with their GENL_* flags, its multicast groups by name.
   *
   * Equivalent to: genl ctrl list
   */
  async families(): Promise<GenlFamily[]> {
    if (this.nl.engine.isClosed) throw closedError();
    const msg: NetlinkMessage = {
      type: 'nlctrl',
      header: {} as NetlinkMessage['header'],
      body: { cmd: CTRL_CMD_GETFAMILY, version: 1 },
      attrs: {},
    };
    const replies = await genlEngineOf(this.nl).dump(msg);
    return replies.filter((m) => m.type === 'nlctrl').map((m) => familyFrom(m.attrs as CtrlAttrs));
  }

  /**
   * A family by name (cached per client); a family this kernel lacks rejects with
   * `genl family 'NAME' not available in this kernel` (ERR_RTNL_NO_GENL_FAMILY).
   *
   * Equivalent to: genl ctrl get name NAME
   */
  async family(name: string): Promise<GenlFamily> {
    if (this.nl.engine.isClosed) throw closedError();
    return resolveFamilyIn(this.nl, name);
  }

  /**
   * The attribute policies of a family (of one command with `cmd`): how the kernel validates
   * each attribute (type, value and length bounds, masks, the policy of nested attributes).
   *
   * Equivalent to: genl ctrl policy name NAME [op CMD]
   */
  async policy(family: string, cmd?: number): Promise<GenlPolicy> {
    if (this.nl.engine.isClosed) throw closedError();
    const f = await resolveFamilyIn(this.nl, family);
    const attrs: CtrlAttrs = { familyId: f.id };
    if (cmd !== undefined) attrs.op = cmd;
    const msg: NetlinkMessage = {
      type: 'nlctrl',
      header: {} as NetlinkMessage['header'],
      body: { cmd: CTRL_CMD_GETPOLICY, version: 1 },
      attrs,
    };
    const out: GenlPolicy = { family: f.name, ops: {}, policies: {} };
    for (const m of await genlEngineOf(this.nl).dump(msg)) {
      const a = m.attrs as CtrlAttrs;
      for (const [op, p] of Object.entries(a.opPolicy ?? {})) {
        const e: { do?: number; dump?: number } = {};
        if (p.do !== undefined) e.do = p.do;
        if (p.dump !== undefined) e.dump = p.dump;
        out.ops[Number(op)] = e;
      }
      for (const [idx, table] of Object.entries(a.policy ?? {})) {
        const t = (out.policies[Number(idx)] ??= {});
        for (const [attr, pol] of Object.entries(table)) {
          const { pad: _pad, ...rest } = pol as SetValues<typeof policyTypeAttrs>;
          t[Number(attr)] = rest;
        }
      }
    }
    return out;
  }

  /**
   * Send any command of any family, for families rtnl does not type: attributes as bytes, as a
   * list of raw TLVs, or as an object encoded with `options.attrs` (a set declared with
   * `attrs()`). Replies keep their attributes raw (`attrs`: TLVs) and, with `options.attrs`,
   * decoded too (`decoded`). Errors reject like every request (NetlinkError with errno and
   * the kernel's extack message).
   *
   * Equivalent to: genl (any family's command; iproute2 has no generic form)
   */
  async request(
    family: string,
    cmd: number,
    attrs: GenlRequestAttrs = [],
    options: GenlRequestOptions = {},
  ): Promise<GenlReply[]> {
    if (this.nl.engine.isClosed) throw closedError();
    const f = await resolveFamilyIn(this.nl, family);
    let bytes: Uint8Array;
    if (attrs instanceof Uint8Array) bytes = attrs;
    else if (Array.isArray(attrs)) bytes = joinAttrs(attrs as readonly GenlRawAttr[]);
    else {
      if (options.attrs === undefined)
        throw new RtnlError('attributes given as an object need options.attrs (their set)', 'ERR_RTNL_INVALID');
      bytes = encodeAttrs(options.attrs, attrs as Record<string, unknown>);
    }
    const msg: NetlinkMessage = {
      type: `genl ${f.name}`,
      header: { type: f.id } as NetlinkMessage['header'],
      body: { $raw: genlRawBody(cmd, options.version ?? f.version, f.hdrsize, bytes, options.header) },
      attrs: {},
    };
    const engine = this.rawEngine();
    const replies = options.dump
      ? await engine.dump(msg, { signal: options.signal, onInterrupted: this.nl.options.onInterrupted })
      : (await engine.request(msg, options.flags ?? 0)).replies;
    return replies
      .filter((m) => m.header.type === f.id)
      .map((m) => {
        const r: GenlReply = parseGenlRaw(m.body.$raw as Uint8Array, f.hdrsize);
        if (options.attrs !== undefined)
          r.decoded = decodeAttrs(options.attrs as AttrSetDef<any>, r.payload) as Record<string, any>;
        return r;
      });
  }

  /**
   * Watch a family's multicast groups, joined by name (see `family(name).mcastGroups`).
   * Notifications arrive decoded where the family's attribute set is known, raw always.
   * The socket is the monitor's own, in the client's namespace, closed when the loop ends,
   * the signal aborts or the client closes.
   *
   * Equivalent to: genl monitor (of one family's groups)
   */
  monitor(
    family: string,
    groups: string | readonly string[],
    options: GenlMonitorOptions = {},
  ): AsyncIterable<GenlMonitorEvent> {
    if (this.nl.engine.isClosed) throw closedError();
    return genlMonitor(this.nl, family, typeof groups === 'string' ? [groups] : [...groups], options);
  }

  /** An engine whose table knows no family: every reply keeps its bytes. Closed with the client. */
  private rawEngine(): Engine {
    if (this.#raw === undefined) {
      const sock = this.nl.openSocket({ protocol: NETLINK_GENERIC, rcvbuf: this.nl.options.rcvbuf });
      const warn =
        this.nl.options.onWarning ??
        ((message: string, request: string) => process.emitWarning(`${request}: ${message}`, 'RtnlWarning'));
      const engine = new Engine(sock, new MessageTable([], { protocol: NETLINK_GENERIC }), warn);
      this.nl.onClose(() => engine.close());
      this.#raw = engine;
    }
    return this.#raw;
  }
}

async function* genlMonitor(
  nl: OpContext,
  name: string,
  groups: string[],
  opts: GenlMonitorOptions,
): AsyncGenerator<GenlMonitorEvent, void, undefined> {
  if (nl.engine.isClosed) throw closedError();
  if (opts.signal?.aborted) return;
  const family = await resolveFamilyIn(nl, name);
  const ids: number[] = [];
  for (const g of groups) {
    const id = family.mcastGroups[g];
    if (id === undefined)
      throw new RtnlError(
        `genl family '${family.name}' has no multicast group '${g}' (it has: ${Object.keys(family.mcastGroups).join(', ') || 'none'})`,
        'ERR_RTNL_NO_GENL_GROUP',
      );
    ids.push(id);
  }
  yield* genlSubscription<GenlMonitorEvent>(nl, ids, opts, (data, events) =>
    rawMessages.eachTolerant(
      data,
      (m: NetlinkMessage) => {
        if (m.header.type !== family.id) return;
        try {
          const body = m.body.$raw as Uint8Array;
          const raw = parseGenlRaw(body, family.hdrsize);
          const ev: GenlMonitorEvent = {
            type: 'message',
            family: family.name,
            cmd: raw.cmd,
            version: raw.version,
            raw,
          };
          if (opts.attrs !== undefined)
            ev.attrs = decodeAttrs(opts.attrs as AttrSetDef<any>, raw.payload) as Record<string, any>;
          else if (genlMessages.typeName(family.id) === family.name) {
            const [decoded] = genlMessages.decode(reframe(m, body));
            ev.attrs = decoded?.attrs as Record<string, any>;
          }
          events.push(ev);
        } catch (error) {
          events.push({ type: 'undecodable', bytes: m.body.$raw as Uint8Array, error: error as Error });
        }
      },
      (bytes, error) => events.push({ type: 'undecodable', bytes, error }),
    ),
  );
}

/**
 * @internal The loop of every generic netlink monitor (nl.genl.monitor(), nl.ethtool.monitor()):
 * its own NETLINK_GENERIC socket in the client's namespace, joined to `groups` by id, tracked so
 * that closing the client ends it, read through the poller. `decode` turns each datagram into
 * events (undecodable messages included); a receive buffer overflow (ENOBUFS) is an event.
 */
export async function* genlSubscription<E>(
  nl: OpContext,
  groups: number[],
  opts: { signal?: AbortSignal; rcvbuf?: number; subscribed?: boolean },
  decode: (data: Uint8Array, events: E[]) => void,
): AsyncGenerator<E | { type: 'subscribed' } | { type: 'overflow' }, void, undefined> {
  // The body runs at the first next(), and the caller's family lookup may come from the cache: a
  // client closed since monitor() was called must not get a socket that nothing would close.
  if (nl.engine.isClosed) throw closedError();
  const sock = nl.openSocket({ protocol: NETLINK_GENERIC, groups, rcvbuf: opts.rcvbuf ?? 1 << 20 });
  const untrack = nl.trackMonitor(sock);
  try {
    if (opts.subscribed) yield { type: 'subscribed' };
    for (;;) {
      if (opts.signal?.aborted || sock.isClosed) return;
      let data: Uint8Array | null;
      try {
        data = sock.recv();
      } catch (err) {
        if (err instanceof SysError && err.errno === ENOBUFS) {
          yield { type: 'overflow' };
          continue;
        }
        throw err;
      }
      if (data === null) {
        try {
          await sock.waitReadable(opts.signal);
        } catch (err) {
          if (err instanceof WaitCancelledError) return;
          throw err;
        }
        continue;
      }
      const events: E[] = [];
      decode(data, events);
      for (const ev of events) yield ev;
    }
  } finally {
    untrack();
    sock.close();
  }
}

/** A table that knows no family: monitors read every message's bytes, then decode what they can. */
const rawMessages = new MessageTable([], { protocol: NETLINK_GENERIC });

/** One message's bytes again (nlmsghdr + body), to decode it with the shared generic netlink table. */
function reframe(m: NetlinkMessage, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  v.setUint16(4, m.header.type, true);
  v.setUint16(6, m.header.flags, true);
  v.setUint32(8, m.header.seq, true);
  v.setUint32(12, m.header.pid, true);
  out.set(body, 16);
  return out;
}
