/** Encoding shared by links.add() and links.set(): the interface flags and the common IFLA attributes. */
import * as C from '../../codec/constants/index.js';
import type { LinkAttrs } from '../../codec/rtnl/link/index.js';
import { defined } from '../common.js';
import type { AddrGenMode, LinkSetOptions } from './types.js';

const ADDR_GEN_MODES: Record<AddrGenMode, number> = {
  eui64: C.IN6_ADDR_GEN_MODE_EUI64,
  none: C.IN6_ADDR_GEN_MODE_NONE,
  stable_secret: C.IN6_ADDR_GEN_MODE_STABLE_PRIVACY,
  random: C.IN6_ADDR_GEN_MODE_RANDOM,
};

/** The ifi_flags/ifi_change pair for up, arp, multicast, allmulticast and promisc. */
export function flagChange(o: LinkSetOptions): { flags: number; change: number } {
  let flags = 0;
  let change = 0;
  const bit = (v: boolean | undefined, mask: number, inverted = false) => {
    if (v === undefined) return;
    change |= mask;
    if (v !== inverted) flags |= mask;
  };
  bit(o.up, C.IFF_UP);
  bit(o.arp, C.IFF_NOARP, true);
  bit(o.multicast, C.IFF_MULTICAST);
  bit(o.allmulticast, C.IFF_ALLMULTI);
  bit(o.promisc, C.IFF_PROMISC);
  return { flags, change };
}

/** The IFLA attributes that add() and set() share. */
export function commonAttrs(o: Omit<LinkSetOptions, 'master' | 'netns'>): LinkAttrs {
  const attrs = defined({
    ifname: o.name,
    mtu: o.mtu,
    address: o.address,
    broadcast: o.broadcast,
    txqlen: o.txqlen,
    ifalias: o.alias,
    group: o.group,
    gsoMaxSize: o.gsoMaxSize,
    gsoMaxSegs: o.gsoMaxSegs,
    groMaxSize: o.groMaxSize,
    gsoIpv4MaxSize: o.gsoIpv4MaxSize,
    groIpv4MaxSize: o.groIpv4MaxSize,
  }) as LinkAttrs;
  if (o.addrGenMode !== undefined) attrs.afSpec = { inet6: { addrGenMode: ADDR_GEN_MODES[o.addrGenMode] as never } };
  return attrs;
}
