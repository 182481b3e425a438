/** The public types of links: what list() and get() report, and what add() and set() take. */
import type { IfInfoMsg, LinkAttrs } from '../../codec/rtnl/link/index.js';
import type { NetnsSpec } from '../../ffi/netns.js';
import type { CustomLinkKind } from '../../kinds/link/kind.js';
import type { BridgePortOptions } from '../bridge-port.js';
import type { KindOptions, KindOptionsFor, KnownLinkKind, LinkKind } from '../link-kinds.js';

/**
 * A link as rtnl reports it. `attrs` holds every decoded IFLA attribute. A link of a kind with
 * options also carries them under the kind's key (`bridge`, `vxlan`, `macvlan`, `vlan`, ...), in
 * the words links.add() and links.set() take: `{ kind: 'macvlan', macvlan: { mode: 'bridge' } }`.
 */
export interface Link extends KindOptions {
  /** ifindex. */
  index: number;
  /** IFLA_IFNAME. */
  name: string;
  /** IFLA_INFO_KIND: 'veth', 'bridge', ... (absent for physical devices and lo; any string the kernel sends). */
  kind?: LinkKind;
  /** The master's kind, for ports ('bridge', 'bond', 'vrf'). */
  slaveKind?: string;
  /** IFF_* names as `ip` prints them: 'BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP', ... (frozen; shared between links with the same flags). */
  flags: string[];
  /** Whether IFF_UP is set. */
  up: boolean;
  /** 'UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', ... */
  operstate: string;
  /** IFLA_MTU, and the device's limits IFLA_MIN_MTU / IFLA_MAX_MTU. */
  mtu?: number;
  minMtu?: number;
  maxMtu?: number;
  /** Link-layer address, broadcast address and permanent address, as aa:bb:cc:dd:ee:ff. */
  address?: string;
  broadcast?: string;
  permAddress?: string;
  /** Index of the master device. */
  master?: number;
  /** Index of the lower/peer device (IFLA_LINK), in the namespace linkNetnsid names if present. */
  link?: number;
  /** The nsid of the namespace where `link` lives (a veth peer moved elsewhere). */
  linkNetnsid?: number;
  txqlen?: number;
  group?: number;
  /** IFLA_IFALIAS. */
  alias?: string;
  /** Alternative names (IFLA_PROP_LIST). */
  altNames: string[];
  qdisc?: string;
  /** ARPHRD_* link type. */
  type: number;
  /** The raw ifinfomsg. */
  header: IfInfoMsg;
  /** Every decoded IFLA attribute, unknown ones included. */
  attrs: LinkAttrs;
}

/** IPv6 address generation modes, as `ip link set addrgenmode` names them. */
export const ADDR_GEN_MODE_NAMES = ['eui64', 'none', 'stable_secret', 'random'] as const;
export type AddrGenMode = (typeof ADDR_GEN_MODE_NAMES)[number];

/** Options links.add() and links.set() share: interface flags, IPv6 address generation, GSO/GRO sizes. */
export interface LinkFlagOptions {
  /** ARP on the link (false sets IFF_NOARP). */
  arp?: boolean;
  /** IFF_MULTICAST. */
  multicast?: boolean;
  /** IFF_ALLMULTI: receive all multicast. */
  allmulticast?: boolean;
  /** IFF_PROMISC. */
  promisc?: boolean;
  /** IPv6 link-local address generation (IFLA_INET6_ADDR_GEN_MODE). */
  addrGenMode?: AddrGenMode;
  /** IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_GRO_MAX_SIZE and their IPv4 variants. */
  gsoMaxSize?: number;
  gsoMaxSegs?: number;
  groMaxSize?: number;
  gsoIpv4MaxSize?: number;
  groIpv4MaxSize?: number;
}

/** The options of links.add() that every kind shares. */
export interface LinkAddBase extends LinkFlagOptions {
  name: string;
  mtu?: number;
  address?: string;
  broadcast?: string;
  txqlen?: number;
  alias?: string;
  /** Bring it up once created. */
  up?: boolean;
  /** Enslave to this master (name or index). */
  master?: string | number;
  /** The lower device (macvlan, vlan, vxlan 'dev'). */
  link?: string | number;
  group?: number;
  /** Create it directly inside this namespace. */
  netns?: NetnsSpec;
  /** The ifindex to give it (the kernel picks one when absent). */
  index?: number;
  /** IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES (veth: the queue counts). */
  numTxQueues?: number;
  numRxQueues?: number;

  /** 'ok': an existing link of the same name and kind is a success (ensure semantics). Default 'error'. */
  exist?: 'error' | 'ok';
}

/**
 * Options for links.add(): the shared ones, `kind`, and that kind's options under its key. A
 * discriminated union on `kind`: `{ kind: 'bridge', peer: ... }` and `{ kind: 'brigde' }` do not
 * compile. A kind rtnl has no plugin for is named with customLinkKind('gtp') and takes no options.
 */
export type LinkAddOptions =
  | { [K in KnownLinkKind]: LinkAddBase & { kind: K } & KindOptionsFor<K> }[KnownLinkKind]
  | (LinkAddBase & { kind: CustomLinkKind });

/** Options for links.set(). */
export interface LinkSetOptions extends KindOptions, LinkFlagOptions {
  up?: boolean;
  mtu?: number;
  /** Rename. Combined with `netns`, the move and the rename are one atomic request. */
  name?: string;
  address?: string;
  broadcast?: string;
  /** '' removes the alias. */
  alias?: string;
  txqlen?: number;
  /** Enslave to this master; null detaches (nomaster). */
  master?: string | number | null;
  group?: number;
  /** Move into this namespace. */
  netns?: NetnsSpec;
  /** Settings of this link as a bridge port (IFLA_INFO_SLAVE_DATA of kind bridge). */
  bridgePort?: BridgePortOptions;
}
