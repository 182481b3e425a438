/**
 * Bridge ports and VLANs over AF_BRIDGE link messages (`bridge link`, `bridge vlan`). The FDB is
 * in neighbours (`family: 'bridge'`).
 */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { BridgeAfSpecAttrs } from '../codec/rtnl/link/af-bridge.js';
import type { BridgeLinkAttrs, IfInfoMsg } from '../codec/rtnl/link/index.js';
import { ValidationError } from '../errors.js';
import { bridgePortAttrs, bridgePortSchema, type BridgePortAttrs, type BridgePortOptions } from './bridge-port.js';
import { linkFlagNames, listOf, req, type ListResult } from './common.js';
import type { OpContext } from './context.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** A bridge port as `bridge link show` reports it. */
export interface BridgePort {
  index: number;
  name: string;
  flags: string[];
  mtu?: number;
  /** The bridge's index. */
  master?: number;
  /** IFLA_LINK (the veth peer, ...). */
  link?: number;
  /** The port's IFLA_BRPORT_* settings (IFLA_PROTINFO). */
  port: BridgePortAttrs;
  /** IFLA_BRIDGE_* (VLANs, when asked for). */
  afSpec?: BridgeAfSpecAttrs;
  header: IfInfoMsg;
  attrs: BridgeLinkAttrs;
}

/** One VLAN of a port (`bridge vlan`). */
export interface BridgeVlanSpec {
  /** The port (or the bridge itself with `self: true`). */
  dev: string | number;
  /** 1-4094. */
  vid: number;
  /** With vid: the last VLAN of a range. */
  vidEnd?: number;
  /** Untagged on egress. */
  untagged?: boolean;
  /** The port VLAN id (ingress untagged frames). */
  pvid?: boolean;
  /** The bridge device itself (BRIDGE_FLAGS_SELF) rather than a port (BRIDGE_FLAGS_MASTER). */
  self?: boolean;
}

const S = schemas((z) => {
  const { linkRef } = V();
  const vid = z.number().int().min(1).max(4094);
  const vlanSchema = z
    .object({
      dev: linkRef,
      vid,
      vidEnd: vid.optional(),
      untagged: z.boolean().optional(),
      pvid: z.boolean().optional(),
      self: z.boolean().optional(),
    })
    .strict();
  return {
    port: bridgePortSchema(z),
    list: z.object({ master: linkRef.optional(), dev: linkRef.optional(), vlans: z.boolean().optional() }).strict(),
    vlanSchema,
  };
});

function toBridgePort(m: NetlinkMessage): BridgePort {
  const h = m.body as IfInfoMsg;
  const a = m.attrs as BridgeLinkAttrs;
  const p: BridgePort = {
    index: h.index ?? 0,
    name: a.ifname ?? '',
    flags: linkFlagNames(h.flags ?? 0),
    port: (a.protinfo ?? {}) as BridgePortAttrs,
    header: h,
    attrs: a,
  };
  if (a.mtu !== undefined) p.mtu = a.mtu;
  if (a.master !== undefined) p.master = a.master;
  if (a.link !== undefined) p.link = a.link;
  if (a.afSpec !== undefined) p.afSpec = a.afSpec;
  return p;
}

const isLink = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWLINK';

export class Bridge {
  constructor(private readonly nl: OpContext) {}

  /**
   * List bridge ports (and bridges) with their port settings; with `vlans: true`, each with its
   * VLANs in `afSpec.vlanInfo`.
   *
   * Equivalent to: bridge -d link show [master BR] [dev DEV]; bridge vlan show
   */
  async listPorts(
    filter: { master?: string | number; dev?: string | number; vlans?: boolean } = {},
  ): Promise<ListResult<BridgePort>> {
    const f = check(S().list, filter, 'filter');
    // The kernel's AF_BRIDGE link dump takes only IFLA_EXT_MASK (any other attribute is EINVAL
    // under strict checking): master and dev are filtered here, as `bridge link show` does.
    const attrs: BridgeLinkAttrs = { extMask: f.vlans ? C.RTEXT_FILTER_BRVLAN : 0 };
    const master = f.master === undefined ? undefined : await this.nl.linkIndex(f.master);
    const dev = f.dev === undefined ? undefined : await this.nl.linkIndex(f.dev);
    const msgs = await this.nl.engine.dump(req('RTM_GETLINK', { family: C.AF_BRIDGE }, attrs), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const out = listOf(msgs, isLink, toBridgePort);
    if (master === undefined && dev === undefined) return out;
    const some: ListResult<BridgePort> = out.filter(
      (p) => (master === undefined || p.master === master) && (dev === undefined || p.index === dev),
    );
    if (out.interrupted) some.interrupted = true;
    return some;
  }

  /**
   * Change a bridge port's settings through the bridge (IFLA_PROTINFO of an AF_BRIDGE
   * RTM_SETLINK). `links.set(dev, { bridgePort })` sends the same settings as `ip` does.
   *
   * Equivalent to: bridge link set dev DEV [cost N] [priority N] [state STATE] [hairpin on|off]
   *   [learning on|off] [flood on|off] [isolated on|off] [neigh_suppress on|off] ...
   */
  async setPort(dev: string | number, options: BridgePortOptions): Promise<void> {
    const ref = check(V().linkRef, dev, 'dev');
    const o = check(S().port, options, 'port') as BridgePortOptions;
    if (Object.keys(o).length === 0) throw new ValidationError('port', 'no setting given', options);
    const index = await this.nl.linkIndex(ref);
    const protinfo = await bridgePortAttrs(this.nl, o);
    await this.nl.engine.request(req('RTM_SETLINK', { family: C.AF_BRIDGE, index }, { protinfo }));
  }

  /**
   * Add a VLAN (or a range) to a bridge port. Needs a bridge with vlan_filtering (a kernel
   * built with CONFIG_BRIDGE_VLAN_FILTERING).
   *
   * Equivalent to: bridge vlan add dev DEV vid VID[-END] [pvid] [untagged] [self|master]
   */
  async addVlan(spec: BridgeVlanSpec): Promise<void> {
    await this.nl.engine.request(await this.vlanMessage('RTM_SETLINK', spec));
  }

  /**
   * Remove a VLAN (or a range) from a bridge port.
   *
   * Equivalent to: bridge vlan del dev DEV vid VID[-END] [self|master]
   */
  async deleteVlan(spec: BridgeVlanSpec): Promise<void> {
    await this.nl.engine.request(await this.vlanMessage('RTM_DELLINK', spec));
  }

  /** The AF_BRIDGE message that adds or removes VLANs (exposed for the codec tests). */
  async vlanMessage(type: 'RTM_SETLINK' | 'RTM_DELLINK', spec: BridgeVlanSpec): Promise<NetlinkMessage> {
    const s = check(S().vlanSchema, spec, 'vlan');
    if (s.vidEnd !== undefined && s.vidEnd < s.vid)
      throw new ValidationError('vlan.vidEnd', 'must not be less than vid', spec.vidEnd);
    const index = await this.nl.linkIndex(s.dev);
    const base = (s.pvid ? C.BRIDGE_VLAN_INFO_PVID : 0) | (s.untagged ? C.BRIDGE_VLAN_INFO_UNTAGGED : 0);
    const vlanInfo =
      s.vidEnd === undefined || s.vidEnd === s.vid
        ? [{ flags: base, vid: s.vid }]
        : [
            { flags: base | C.BRIDGE_VLAN_INFO_RANGE_BEGIN, vid: s.vid },
            { flags: base | C.BRIDGE_VLAN_INFO_RANGE_END, vid: s.vidEnd },
          ];
    const afSpec: BridgeAfSpecAttrs = { vlanInfo };
    if (s.self) afSpec.flags = C.BRIDGE_FLAGS_SELF;
    return req(type, { family: C.AF_BRIDGE, index }, { afSpec });
  }
}
