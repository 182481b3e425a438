/**
 * Bridge port settings (IFLA_BRPORT_*): one option object for both ways of setting them,
 * `ip link set DEV type bridge_slave ...` (IFLA_INFO_SLAVE_DATA) and `bridge link set dev DEV ...`
 * (IFLA_PROTINFO of an AF_BRIDGE RTM_SETLINK). Both carry the same attributes.
 */
import * as C from '../codec/constants/index.js';
import type { bridgePortData } from '../kinds/link/bridge.js';
import type { SetValues } from '../codec/schema.js';
import { defined } from './common.js';
import type { OpContext } from './context.js';
import type { Zod } from './zod.js';

/** STP port states, as `bridge link` names them. */
export const BRIDGE_PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;
export type BridgePortState = (typeof BRIDGE_PORT_STATES)[number];

/** A bridge port's settings. Every key is optional; only what is given is sent. */
export interface BridgePortOptions {
  /** STP state (BR_STATE_*): a name or its number. */
  state?: BridgePortState | number;
  priority?: number;
  cost?: number;
  /** Send frames back out of the port they came in on (IFLA_BRPORT_MODE). */
  hairpin?: boolean;
  /** BPDU guard. */
  guard?: boolean;
  /** Root port protection (IFLA_BRPORT_PROTECT). */
  rootBlock?: boolean;
  fastLeave?: boolean;
  learning?: boolean;
  /** Flood unknown unicast (IFLA_BRPORT_UNICAST_FLOOD). */
  flood?: boolean;
  mcastFlood?: boolean;
  bcastFlood?: boolean;
  mcastToUnicast?: boolean;
  proxyArp?: boolean;
  proxyArpWifi?: boolean;
  /** 0 disabled, 1 temporary (learned), 2 permanent. */
  mcastRouter?: number;
  neighSuppress?: boolean;
  isolated?: boolean;
  /** Which link-local group addresses (01:80:c2:00:00:0X) the port forwards: a 16-bit mask. */
  groupFwdMask?: number;
  vlanTunnel?: boolean;
  locked?: boolean;
  /** MAC authentication bypass (Linux 6.2+). */
  mab?: boolean;
  /** Fail over to this port (name or index); null removes it. */
  backupPort?: string | number | null;
  /** Flush the port's FDB entries. */
  flush?: boolean;
}

/** The zod schema of BridgePortOptions (built lazily by the caller's schemas()). */
export function bridgePortSchema(z: Zod) {
  const b = z.boolean().optional();
  const u = (max: number) => z.number().int().min(0).max(max).optional();
  return z
    .object({
      state: z.union([z.enum(BRIDGE_PORT_STATES), z.number().int().min(0).max(4)]).optional(),
      priority: u(63),
      cost: u(0xffffffff),
      hairpin: b,
      guard: b,
      rootBlock: b,
      fastLeave: b,
      learning: b,
      flood: b,
      mcastFlood: b,
      bcastFlood: b,
      mcastToUnicast: b,
      proxyArp: b,
      proxyArpWifi: b,
      mcastRouter: u(3),
      neighSuppress: b,
      isolated: b,
      groupFwdMask: u(0xffff),
      vlanTunnel: b,
      locked: b,
      mab: b,
      backupPort: z.union([z.string().min(1).max(15), z.number().int().min(0), z.null()]).optional(),
      flush: b,
    })
    .strict();
}

export type BridgePortAttrs = SetValues<typeof bridgePortData>;

const u8 = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);

/** BridgePortOptions (validated) -> IFLA_BRPORT_* attributes. */
export async function bridgePortAttrs(nl: OpContext, o: BridgePortOptions): Promise<BridgePortAttrs> {
  const state =
    o.state === undefined
      ? undefined
      : typeof o.state === 'number'
        ? o.state
        : [C.BR_STATE_DISABLED, C.BR_STATE_LISTENING, C.BR_STATE_LEARNING, C.BR_STATE_FORWARDING, C.BR_STATE_BLOCKING][
            BRIDGE_PORT_STATES.indexOf(o.state)
          ];
  const attrs: Record<string, unknown> = defined({
    state,
    priority: o.priority,
    cost: o.cost,
    mode: u8(o.hairpin),
    guard: u8(o.guard),
    protect: u8(o.rootBlock),
    fastLeave: u8(o.fastLeave),
    learning: u8(o.learning),
    unicastFlood: u8(o.flood),
    mcastFlood: u8(o.mcastFlood),
    bcastFlood: u8(o.bcastFlood),
    mcastToUcast: u8(o.mcastToUnicast),
    proxyarp: u8(o.proxyArp),
    proxyarpWifi: u8(o.proxyArpWifi),
    multicastRouter: o.mcastRouter,
    neighSuppress: u8(o.neighSuppress),
    isolated: u8(o.isolated),
    groupFwdMask: o.groupFwdMask,
    vlanTunnel: u8(o.vlanTunnel),
    locked: u8(o.locked),
    mab: u8(o.mab),
  });
  if (o.backupPort === null) attrs.backupPort = 0;
  else if (o.backupPort !== undefined) attrs.backupPort = await nl.linkIndex(o.backupPort);
  if (o.flush) attrs.flush = true;
  return attrs as BridgePortAttrs;
}
