/**
 * Generic netlink functions that take the client itself (the public API). Operations inside rtnl
 * hold the client's context and use genl.ts directly; this module imports the client's type, so
 * no operation imports it (the client imports the operations).
 */
import type { GenlFamilyDef } from '../codec/genl/index.js';
import type { Rtnl } from './client.js';
import { contextOf } from './context.js';
import type { Engine } from './engine.js';
import { genlEngineOf, resolveFamilyIn, type GenlFamily } from './genl.js';

/**
 * Resolve a generic netlink family by name: its id, version, header size, operations and
 * multicast groups, asked of nlctrl once per client and cached. With `codec`, the family's
 * messages are registered under its id on the generic netlink table, so they decode.
 * A family this kernel lacks rejects with `genl family 'NAME' not available in this kernel`
 * (code ERR_RTNL_NO_GENL_FAMILY).
 *
 * Equivalent to: genl ctrl get name NAME
 */
export async function resolveFamily(nl: Rtnl, name: string, codec?: GenlFamilyDef): Promise<GenlFamily> {
  return resolveFamilyIn(contextOf(nl), name, codec);
}

/** @internal The client's NETLINK_GENERIC engine (tests reach it). */
export function genlEngine(nl: Rtnl): Engine {
  return genlEngineOf(contextOf(nl));
}
