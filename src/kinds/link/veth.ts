/** The veth link kind. IFLA_INFO_DATA (<linux/veth.h>): the peer is a whole link request, ifinfomsg + IFLA_*. */
import * as C from '../../codec/constants/index.js';
import type { IfInfoMsg, LinkAttrs } from '../../codec/rtnl/link/index.js';
import { attrs, lazyAs, type Kind } from '../../codec/schema.js';
import type { NetnsSpec } from '../../ffi/netns.js';
import { linkMessageRef, type LinkKindPlugin } from './kind.js';

/** The peer's value on the wire: its ifinfomsg and its IFLA attributes (ifname, netNsFd, ...). */
export interface VethPeer {
  header: IfInfoMsg;
  attrs: LinkAttrs;
}

export const vethData = attrs('VETH_INFO', {
  // Resolved on first use: the peer's attribute set is the link set that contains this one.
  peer: [C.VETH_INFO_PEER, lazyAs<VethPeer>((): Kind => linkMessageRef.peer!)],
});

/** A veth's peer, given when the pair is created. Equivalent to: ip link add A type veth peer name B [netns NS] [address MAC] [mtu N] [txqueuelen N] */
export interface VethPeerOptions {
  name: string;
  /** Create the peer directly inside this namespace. */
  netns?: NetnsSpec;
  address?: string;
  mtu?: number;
  txqlen?: number;
  /** The peer's queue counts (IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES). */
  numTxQueues?: number;
  numRxQueues?: number;
}

/**
 * Annotated rather than inferred: the peer is a link message, so inferring this object's type
 * would need the link attribute set, which is built from this plugin.
 */
const veth: LinkKindPlugin<'veth', 'peer', VethPeerOptions, { peer?: VethPeer }, typeof vethData, never> & {
  readonly createOnly: true;
} = {
  kind: 'veth',
  optionKey: 'peer',
  createOnly: true,
  data: vethData,
  schema: (z, v) =>
    z
      .object({
        name: v.ifname,
        netns: v.netnsSpec.optional(),
        address: v.mac.optional(),
        mtu: v.mtu.optional(),
        txqlen: v.u32.optional(),
        numTxQueues: z.number().int().min(1).max(4096).optional(),
        numRxQueues: z.number().int().min(1).max(4096).optional(),
      })
      .strict(),
  toAttrs(p, ctx) {
    const attrs: LinkAttrs = { ifname: p.name };
    if (p.address !== undefined) attrs.address = p.address;
    if (p.mtu !== undefined) attrs.mtu = p.mtu;
    if (p.txqlen !== undefined) attrs.txqlen = p.txqlen;
    if (p.numTxQueues !== undefined) attrs.numTxQueues = p.numTxQueues;
    if (p.numRxQueues !== undefined) attrs.numRxQueues = p.numRxQueues;
    if (p.netns !== undefined) attrs.netNsFd = ctx.netnsFd(p.netns);
    return { peer: { header: { family: C.AF_UNSPEC }, attrs } };
  },
  parseArgs(w) {
    if (w.done) return undefined;
    const first = w.shift();
    if (first !== 'peer') throw w.invalid('type veth', first, 'expected "peer"');
    const peer: Record<string, unknown> = {};
    while (!w.done) {
      const k = w.shift();
      if (k === 'name') peer.name = w.value(k);
      else if (k === 'address') peer.address = w.value(k);
      else if (k === 'mtu') peer.mtu = w.uint(k, w.value(k));
      else if (k === 'txqueuelen' || k === 'txqlen' || k === 'qlen') peer.txqlen = w.uint(k, w.value(k));
      else if (k === 'netns') peer.netns = w.netns(w.value(k));
      else if (k === 'numtxqueues') peer.numTxQueues = w.uint(k, w.value(k));
      else if (k === 'numrxqueues') peer.numRxQueues = w.uint(k, w.value(k));
      else if (peer.name === undefined && !k.includes(' ')) peer.name = k;
      else throw w.usage(`unknown veth peer option "${k}"`);
    }
    if (peer.name === undefined) throw w.usage('veth peer needs a name');
    return peer as unknown as VethPeerOptions;
  },
  usage:
    'ARGS for veth:   peer [name] NAME [address LLADDR] [mtu MTU] [txqueuelen N] [netns {PID|NAME}]\n                 [numtxqueues N] [numrxqueues N]',
};

export default veth;
