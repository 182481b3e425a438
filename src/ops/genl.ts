/**
 * Generic netlink (NETLINK_GENERIC): one engine per client, opened on first use in the client's
 * namespace and closed with the client, over the shared generic netlink message table; and
 * family resolution through nlctrl (CTRL_CMD_GETFAMILY), cached per client.
 *
 * A family built on this (ethtool, ...) declares its codec with `genlFamily()` (rtnl/codec),
 * resolves it with `resolveFamily(nl, name, codec)` (genl-client.ts; `resolveFamilyIn(ctx, ...)` inside rtnl), which registers the codec under the
 * family's id so its messages decode, and sends requests on `genlEngineOf(ctx)` as
 * `{ type: name, body: { cmd, version }, attrs }`.
 */
import { CTRL_CMD_GETFAMILY, NETLINK_GENERIC } from '../codec/constants/index.js';
import { genlMessageDef, genlMessages, type CtrlAttrs, type GenlFamilyDef } from '../codec/genl/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import { ENOENT } from '../errno.js';
import { NetlinkError, RtnlError } from '../errors.js';
import type { NetlinkSocket } from '../ffi/socket.js';
import type { OpContext } from './context.js';
import { Engine } from './engine.js';

/** A generic netlink family as this kernel offers it (CTRL_CMD_GETFAMILY). */
export interface GenlFamily {
  /** Its name, e.g. 'ethtool'. */
  name: string;
  /** Its id: the nlmsg_type of its messages. Assigned by the kernel when the family registers. */
  id: number;
  /** Its version, for genlmsghdr.version. */
  version: number;
  /** Size of its user header after genlmsghdr (0 for most families). */
  hdrsize: number;
  /** Its highest attribute number. */
  maxattr: number;
  /** The commands it offers, with their GENL_* flags (GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, ...). */
  ops: Array<{ id: number; flags: number }>;
  /** Its multicast groups: name -> group id (for NETLINK_ADD_MEMBERSHIP). */
  mcastGroups: Record<string, number>;
}

interface GenlState {
  engine: Engine;
  families: Map<string, Promise<GenlFamily>>;
}

const states = new WeakMap<OpContext, GenlState>();
// A client collected without close() still releases its generic netlink socket.
const registry = new FinalizationRegistry<NetlinkSocket>((sock) => {
  try {
    sock.close();
  } catch {
    /* already closed */
  }
});

function state(ctx: OpContext): GenlState {
  let s = states.get(ctx);
  if (s === undefined) {
    if (ctx.engine.isClosed) throw new RtnlError('the client is closed', 'ERR_RTNL_CLOSED');
    const sock = ctx.openSocket({ protocol: NETLINK_GENERIC, rcvbuf: ctx.options.rcvbuf });
    const warn =
      ctx.options.onWarning ??
      ((message: string, request: string) => process.emitWarning(`${request}: ${message}`, 'RtnlWarning'));
    const engine = new Engine(sock, genlMessages, warn);
    registry.register(ctx, sock, engine);
    ctx.onClose(() => {
      registry.unregister(engine);
      engine.close();
    });
    s = { engine, families: new Map() };
    states.set(ctx, s);
  }
  return s;
}

/** @internal The client's NETLINK_GENERIC engine, opened on first use in the client's namespace and closed with the client. */
export function genlEngineOf(ctx: OpContext): Engine {
  return state(ctx).engine;
}

/** @internal resolveFamily() (genl-client.ts) for an operation, which holds the client's context. */
export async function resolveFamilyIn(ctx: OpContext, name: string, codec?: GenlFamilyDef): Promise<GenlFamily> {
  if (codec !== undefined && codec.name !== name)
    throw new RtnlError(`genl codec '${codec.name}' given for family '${name}'`, 'ERR_RTNL_GENL_CODEC');
  const s = state(ctx);
  let p = s.families.get(name);
  if (p === undefined) {
    p = lookup(s.engine, name);
    s.families.set(name, p);
    p.catch(() => s.families.delete(name));
  }
  const family = await p;
  if (codec !== undefined) genlMessages.register(genlMessageDef(codec, family.id));
  return family;
}

async function lookup(engine: Engine, name: string): Promise<GenlFamily> {
  const request: NetlinkMessage = {
    type: 'nlctrl',
    header: {} as NetlinkMessage['header'],
    body: { cmd: CTRL_CMD_GETFAMILY, version: 1 },
    attrs: { familyName: name } satisfies CtrlAttrs,
  };
  let replies: NetlinkMessage[];
  try {
    ({ replies } = await engine.request(request));
  } catch (err) {
    if (err instanceof NetlinkError && err.errno === ENOENT)
      throw new RtnlError(`genl family '${name}' not available in this kernel`, 'ERR_RTNL_NO_GENL_FAMILY', {
        cause: err,
      });
    throw err;
  }
  const a = replies[0]?.attrs as CtrlAttrs | undefined;
  if (a?.familyId === undefined)
    throw new RtnlError(`nlctrl sent no id for genl family '${name}'`, 'ERR_RTNL_PROTOCOL');
  return familyFrom(a, name);
}

/** @internal A GenlFamily from nlctrl's CTRL_ATTR_* answer (GETFAMILY, one family or a dump's). */
export function familyFrom(a: CtrlAttrs, name = ''): GenlFamily {
  const mcastGroups: Record<string, number> = {};
  for (const g of a.mcastGroups ?? []) if (g.name !== undefined && g.id !== undefined) mcastGroups[g.name] = g.id;
  return {
    name: a.familyName ?? name,
    id: a.familyId ?? 0,
    version: a.version ?? 0,
    hdrsize: a.hdrsize ?? 0,
    maxattr: a.maxattr ?? 0,
    ops: (a.ops ?? []).map((o) => ({ id: o.id ?? 0, flags: o.flags ?? 0 })),
    mcastGroups,
  };
}
