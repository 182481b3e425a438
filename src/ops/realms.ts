/**
 * Routing realms (RTA_FLOW of routes and their nexthops, FRA_FLOW of rules): one u32 with the
 * source realm in the high 16 bits and the destination realm in the low 16.
 */

/** A flow attribute as { from, to } (`from` 0: no source realm). */
export const realmsOf = (flow: number): { from: number; to: number } => ({ from: flow >>> 16, to: flow & 0xffff });

/** { from?, to } as a flow attribute (undefined stays undefined). */
export const flowOf = (r: { from?: number; to: number } | undefined): number | undefined =>
  r === undefined ? undefined : (((r.from ?? 0) << 16) | r.to) >>> 0;
