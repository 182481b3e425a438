/**
 * ethtool notifications (`ethtool --monitor`): the kernel's *_NTF messages on the ethtool
 * family's "monitor" multicast group, as typed events, read by the loop every generic netlink
 * monitor shares (genlSubscription in genl-ops.ts).
 */
import type { FeaturesAttrs } from '../../codec/ethtool/attrs.js';
import { ETHTOOL_MCGRP_MONITOR, ethtoolReplies } from '../../codec/ethtool/messages.js';
import * as C from '../../codec/constants/index.js';
import { type GenlMsgHdr, genlMessages } from '../../codec/genl/index.js';
import type { NetlinkMessage } from '../../codec/nlmsg.js';
import { RtnlError } from '../../errors.js';
import type { OpContext } from '../context.js';
import { genlSubscription } from '../genl-ops.js';
import { featureStates, type Features } from './features.js';
import {
  type Channels,
  type Coalesce,
  type Eee,
  type Fec,
  type Pause,
  type Rings,
  channelsFrom,
  coalesceFrom,
  eeeFrom,
  fecFrom,
  pauseFrom,
  ringsFrom,
} from './settings.js';
import { bitsetBits } from './bitset.js';

/** The device a notification is about. */
export interface EthtoolEventDevice {
  ifindex?: number;
  ifname?: string;
}

/** One ethtool notification, typed by what changed. `attrs` is the decoded message. */
export type EthtoolEvent =
  | ({ type: 'features'; features: Features } & EventBase)
  | ({ type: 'channels'; channels: Channels } & EventBase)
  | ({ type: 'rings'; rings: Rings } & EventBase)
  | ({ type: 'coalesce'; coalesce: Coalesce } & EventBase)
  | ({ type: 'pause'; pause: Pause } & EventBase)
  | ({ type: 'eee'; eee: Eee } & EventBase)
  | ({ type: 'fec'; fec: Fec } & EventBase)
  | ({ type: 'privateFlags'; privateFlags: Record<string, boolean> } & EventBase)
  /** Link info/modes, debug, wol, module, ...: the decoded attributes only. */
  | ({ type: 'other'; name: string } & EventBase)
  /** With `{ subscribed: true }`: the socket has joined the group; every change from now on arrives. */
  | { type: 'subscribed' }
  /** The kernel dropped notifications (the socket's buffer overflowed): re-read what matters. */
  | { type: 'overflow' }
  /** A message that did not decode (kept, so nothing is lost silently). */
  | { type: 'undecodable'; bytes: Uint8Array; error: Error };

interface EventBase {
  dev: EthtoolEventDevice;
  cmd: number;
  attrs: Record<string, any>;
}

export interface EthtoolMonitorOptions {
  /** Stops the monitor (the loop ends). */
  signal?: AbortSignal;
  /** Receive buffer of the monitor socket (default 1 MiB). */
  rcvbuf?: number;
  /** Yield `{ type: 'subscribed' }` first, once the socket has joined the group. */
  subscribed?: boolean;
}

/** @internal The monitor loop; `strings(set)` gives a global string set (feature names). */
export async function* ethtoolMonitor(
  nl: OpContext,
  resolve: () => Promise<{ mcastGroups: Record<string, number> }>,
  strings: (set: number) => Promise<string[]>,
  opts: EthtoolMonitorOptions,
): AsyncGenerator<EthtoolEvent, void, undefined> {
  if (opts.signal?.aborted) return;
  const family = await resolve();
  const group = family.mcastGroups[ETHTOOL_MCGRP_MONITOR];
  if (group === undefined) throw new RtnlError('the ethtool family has no monitor group', 'ERR_RTNL_PROTOCOL');
  const featureNames = await strings(C.ETH_SS_FEATURES);
  yield* genlSubscription<EthtoolEvent>(nl, [group], opts, (data, events) =>
    genlMessages.eachTolerant(
      data,
      (m: NetlinkMessage) => {
        if (m.type !== 'ethtool') return;
        events.push(toEvent(m, featureNames));
      },
      (bytes, error) => events.push({ type: 'undecodable', bytes, error }),
    ),
  );
}

function toEvent(m: NetlinkMessage, featureNames: readonly string[]): EthtoolEvent {
  const cmd = (m.body as GenlMsgHdr).cmd ?? 0;
  const attrs = m.attrs as Record<string, any>;
  const h = attrs.header ?? {};
  const dev: EthtoolEventDevice = {};
  if (h.devIndex !== undefined) dev.ifindex = h.devIndex;
  if (h.devName !== undefined) dev.ifname = h.devName;
  const base = { dev, cmd, attrs };
  switch (cmd) {
    case C.ETHTOOL_MSG_FEATURES_NTF:
      return { type: 'features', features: featureStates(attrs as FeaturesAttrs, featureNames), ...base };
    case C.ETHTOOL_MSG_CHANNELS_NTF:
      return { type: 'channels', channels: channelsFrom(attrs), ...base };
    case C.ETHTOOL_MSG_RINGS_NTF:
      return { type: 'rings', rings: ringsFrom(attrs), ...base };
    case C.ETHTOOL_MSG_COALESCE_NTF:
      return { type: 'coalesce', coalesce: coalesceFrom(attrs), ...base };
    case C.ETHTOOL_MSG_PAUSE_NTF:
      return { type: 'pause', pause: pauseFrom(attrs), ...base };
    case C.ETHTOOL_MSG_EEE_NTF:
      return { type: 'eee', eee: eeeFrom(attrs), ...base };
    case C.ETHTOOL_MSG_FEC_NTF:
      return { type: 'fec', fec: fecFrom(attrs), ...base };
    case C.ETHTOOL_MSG_PRIVFLAGS_NTF: {
      const flags: Record<string, boolean> = {};
      for (const b of bitsetBits(attrs.flags)) flags[b.name] = b.value;
      return { type: 'privateFlags', privateFlags: flags, ...base };
    }
    default:
      return { type: 'other', name: ethtoolReplies[cmd]?.name ?? `cmd ${cmd}`, ...base };
  }
}
