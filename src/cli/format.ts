/**
 * ip-compatible JSON: pure functions from the ops objects (Link, Address, Route, Neighbour, Rule)
 * to the objects `ip -j [-d]` prints, with iproute2's key names, value types (numbers stay
 * numbers, ids and masks that ip prints as text stay text) and its rules for when a key is left
 * out. The target is the iproute2 on this machine (6.1); a key rtnl cannot reproduce exactly is
 * left out rather than approximated, so jq filters written against `ip -j` keep working.
 *
 * Links, addresses, neighbours and rules are here; routes in format-route.ts, link kind data in
 * format-kinds.ts, shared value formats in format-util.ts (all re-exported from here). The
 * human-readable renderers (text.ts) read these same objects, as ip's print functions share one
 * code path for both outputs.
 */
import * as C from '../codec/constants/index.js';
import type { Address } from '../ops/addresses.js';
import type { Link } from '../ops/links.js';
import type { Neighbour } from '../ops/neighbours.js';
import type { Rule } from '../ops/rules.js';
import { nameOf, ROUTE_TYPE_NAMES } from '../ops/names.js';
import { linkinfoJson } from './format-kinds.js';
import {
  enumValue,
  flowJson,
  hash0x,
  ipLinkFlags,
  linkTypeName,
  protocolName,
  put,
  scopeName,
  tableName,
  type Json,
  type Names,
} from './format-util.js';

export { hash0x, ipLinkFlags, linkTypeName, namesFrom, tableName, type Json, type Names } from './format-util.js';
export { linkinfoJson } from './format-kinds.js';
export { ipRouteFlags, metricsJson, routeJson, type RouteJsonOptions } from './format-route.js';

// ---------------------------------------------------------------------------------------------
// Links

export interface LinkJsonOptions {
  /** -d */
  details?: number;
  /** `ip link` (prints linkmode, ifalias, inet6_addr_gen_mode) rather than `ip address`. */
  linkCommand?: boolean;
  /** -4/-6 on `ip address`: the link/ether line is left out unless -d. */
  family?: 4 | 6;
  /** An RTM_DELLINK. */
  deleted?: boolean;
  /**
   * `ip -6 address show` (without a device) dumps links with family AF_INET6, and the kernel
   * answers that with its short IPv6 view of each link; ip prints only what that carries.
   */
  inet6Dump?: boolean;
}

/** The keys `ip -6 address show` can print for a link (see inet6Dump). */
const INET6_DUMP_KEYS = ['ifindex', 'link', 'ifname', 'flags', 'mtu', 'operstate', 'txqlen', 'link_type', 'address'];

const OPER = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];
const ADDR_GEN_MODES: Record<number, string> = {
  [C.IN6_ADDR_GEN_MODE_EUI64]: 'eui64',
  [C.IN6_ADDR_GEN_MODE_NONE]: 'none',
  [C.IN6_ADDR_GEN_MODE_STABLE_PRIVACY]: 'stable_secret',
  [C.IN6_ADDR_GEN_MODE_RANDOM]: 'random',
};

/** One link as `ip -j [-d] link show` prints it. */
export function linkJson(l: Link, names: Names, o: LinkJsonOptions = {}): Json {
  const a = l.attrs as Record<string, any>;
  const h = l.header;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  j.ifindex = l.index;
  if (a.link !== undefined) {
    if (a.link === 0) j.link = null;
    else if (a.linkNetnsid !== undefined) j.link_index = a.link;
    else j.link = names.ifname(a.link);
  }
  j.ifname = a.ifname ?? null;
  j.flags = [...ipLinkFlags(h.flags ?? 0)]; // a copy: M-DOWN may be added below
  if (a.link && a.linkNetnsid === undefined && names.isUp?.(a.link) === false) (j.flags as string[]).push('M-DOWN');
  put(j, 'mtu', a.mtu);
  put(j, 'qdisc', a.qdisc);
  if (a.master !== undefined) j.master = names.ifname(a.master);
  if (a.operstate !== undefined) {
    const s = typeof a.operstate === 'string' ? OPER.indexOf(a.operstate) : a.operstate;
    if (s >= 0 && s < OPER.length) j.operstate = OPER[s];
    else j.operstate_index = typeof a.operstate === 'number' ? a.operstate : s;
  }
  if (o.linkCommand && a.linkmode !== undefined) {
    if (typeof a.linkmode === 'string') j.linkmode = a.linkmode;
    else j.linkmode_index = a.linkmode;
  }
  if (a.group !== undefined) j.group = a.group === 0 ? 'default' : String(a.group);
  if (a.txqlen) j.txqlen = a.txqlen;
  if (!o.family || o.details) {
    j.link_type = linkTypeName(h.type ?? 0);
    put(j, 'address', a.address);
    if (a.broadcast !== undefined) {
      if ((h.flags ?? 0) & C.IFF_POINTOPOINT) j.link_pointtopoint = true;
      j.broadcast = a.broadcast;
    }
  }
  put(j, 'link_netnsid', a.linkNetnsid);
  if (a.protoDown) j.proto_down = true;
  if (o.details) {
    put(j, 'promiscuity', a.promiscuity);
    put(j, 'allmulti', a.allmulti);
    put(j, 'min_mtu', a.minMtu);
    put(j, 'max_mtu', a.maxMtu);
    if (a.linkinfo) j.linkinfo = linkinfoJson(a.linkinfo, names);
    if (o.linkCommand) {
      const mode = a.afSpec?.inet6?.addrGenMode;
      const n = enumValue(mode, { EUI64: 0, NONE: 1, STABLE_PRIVACY: 2, RANDOM: 3 });
      if (n !== undefined) j.inet6_addr_gen_mode = ADDR_GEN_MODES[n] ?? `0x${n.toString(16).padStart(2, '0')}`;
    }
    put(j, 'num_tx_queues', a.numTxQueues);
    put(j, 'num_rx_queues', a.numRxQueues);
    put(j, 'gso_max_size', a.gsoMaxSize);
    put(j, 'gso_max_segs', a.gsoMaxSegs);
    put(j, 'tso_max_size', a.tsoMaxSize);
    put(j, 'tso_max_segs', a.tsoMaxSegs);
    put(j, 'gro_max_size', a.groMaxSize);
    put(j, 'phys_port_name', a.physPortName);
  }
  if ((o.linkCommand || o.details) && a.ifalias !== undefined) j.ifalias = a.ifalias;
  if (l.altNames.length > 0) j.altnames = [...l.altNames];
  if (o.inet6Dump) {
    const short: Json = {};
    for (const k of INET6_DUMP_KEYS) if (k in j && !(k === 'link' && a.linkNetnsid !== undefined)) short[k] = j[k];
    return short;
  }
  return j;
}

// ---------------------------------------------------------------------------------------------
// Addresses

/**
 * IFA_F_* words in print_ifa_flags() order. PERMANENT is inverted: ip prints `dynamic` for an
 * address without it, and nothing for a permanent one.
 */
const IFA_FLAGS: Array<[number, string]> = [
  [C.IFA_F_SECONDARY, 'secondary'],
  [C.IFA_F_NODAD, 'nodad'],
  [C.IFA_F_OPTIMISTIC, 'optimistic'],
  [C.IFA_F_DADFAILED, 'dadfailed'],
  [C.IFA_F_HOMEADDRESS, 'home'],
  [C.IFA_F_DEPRECATED, 'deprecated'],
  [C.IFA_F_TENTATIVE, 'tentative'],
  [C.IFA_F_PERMANENT, 'dynamic'],
  [C.IFA_F_MANAGETEMPADDR, 'mngtmpaddr'],
  [C.IFA_F_NOPREFIXROUTE, 'noprefixroute'],
  [C.IFA_F_MCAUTOJOIN, 'autojoin'],
  [C.IFA_F_STABLE_PRIVACY, 'stable-privacy'],
];

/** The address flag words ip prints, in order (`secondary` is `temporary` on IPv6). */
export function ipAddressFlags(flags: number, family: 4 | 6): string[] {
  const out: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, word] of IFA_FLAGS) {
    if (bit === C.IFA_F_PERMANENT) {
      if (!(rest & bit)) out.push(word);
    } else if (rest & bit) out.push(bit === C.IFA_F_SECONDARY && family === 6 ? 'temporary' : word);
    rest = (rest & ~bit) >>> 0;
  }
  if (rest) out.push(rest.toString(16).padStart(2, '0'));
  return out;
}

export interface AddrJsonOptions {
  /** Monitor and oneline style: the address carries its own `index` and `dev`. */
  withDev?: Names;
  deleted?: boolean;
}

/** One entry of addr_info as `ip -j address show` prints it. */
export function addrInfoJson(ad: Address, o: AddrJsonOptions = {}): Json {
  const a = ad.attrs as Record<string, any>;
  const h = ad.header;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  if (o.withDev) {
    j.index = ad.index;
    j.dev = o.withDev.ifname(ad.index);
  }
  j.family = ad.family === 6 ? 'inet6' : 'inet';
  const local = a.local ?? a.address;
  if (local !== undefined) {
    j.local = local;
    if (a.address !== undefined && a.address !== local) j.address = a.address;
    j.prefixlen = h.prefixLen ?? 0;
  }
  put(j, 'metric', a.rtPriority);
  put(j, 'broadcast', a.broadcast);
  put(j, 'anycast', a.anycast);
  j.scope = scopeName(h.scope ?? 0);
  const flags = ipAddressFlags(a.flags ?? h.flags ?? 0, ad.family);
  for (const f of flags) {
    if (/^[0-9a-f]+$/.test(f)) j.ifa_flags = f;
    else j[f] = true;
  }
  put(j, 'label', a.label);
  const ci = a.cacheinfo;
  if (ci) {
    j.valid_life_time = ci.valid >>> 0;
    j.preferred_life_time =
      ci.prefered === 0xffffffff || !((a.flags ?? h.flags ?? 0) & C.IFA_F_DEPRECATED)
        ? ci.prefered >>> 0
        : ci.prefered | 0;
  }
  return j;
}

/**
 * `ip -j address show`: each link with its addr_info. With a family, links without an address of
 * that family are left out, as ip does.
 */
export function addrShowJson(
  links: Link[],
  addrs: Address[],
  names: Names,
  o: LinkJsonOptions & { dev?: boolean } = {},
): Json[] {
  const byIndex = new Map<number, Address[]>();
  for (const a of addrs) {
    if (o.family && a.family !== o.family) continue;
    let list = byIndex.get(a.index);
    if (!list) byIndex.set(a.index, (list = []));
    list.push(a);
  }
  const out: Json[] = [];
  for (const l of links) {
    const mine = byIndex.get(l.index) ?? [];
    if (o.family && mine.length === 0) continue;
    const inet6Dump = o.family === 6 && !o.dev;
    out.push({
      ...linkJson(l, names, { ...o, linkCommand: false, inet6Dump }),
      addr_info: mine.map((a) => addrInfoJson(a)),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Neighbours

/** NUD_* in print_neigh_state() order. */
const NUD: Array<[number, string]> = [
  [C.NUD_INCOMPLETE, 'INCOMPLETE'],
  [C.NUD_REACHABLE, 'REACHABLE'],
  [C.NUD_STALE, 'STALE'],
  [C.NUD_DELAY, 'DELAY'],
  [C.NUD_PROBE, 'PROBE'],
  [C.NUD_FAILED, 'FAILED'],
  [C.NUD_NOARP, 'NOARP'],
  [C.NUD_PERMANENT, 'PERMANENT'],
];
export function ipNudState(state: number): string[] {
  const out: string[] = [];
  let rest = state;
  for (const [bit, name] of NUD) {
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

/**
 * Whether `ip neigh show` (without `nud all`) lists an entry: NOARP and NONE entries are hidden
 * unless they are proxies or externally learned.
 */
export function neighShownByDefault(n: Neighbour): boolean {
  const state = n.header.state ?? 0;
  const flags = n.header.flags ?? 0;
  const mask = 0xff & ~C.NUD_NOARP;
  return (state & mask) !== 0 || (flags & (C.NTF_PROXY | C.NTF_EXT_LEARNED)) !== 0;
}

export interface NeighJsonOptions {
  devFiltered?: boolean;
  deleted?: boolean;
}

/** One entry as `ip -j neigh show` prints it. */
export function neighJson(n: Neighbour, names: Names, o: NeighJsonOptions = {}): Json {
  const h = n.header;
  const a = n.attrs as Record<string, any>;
  const flags = h.flags ?? 0;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  put(j, 'dst', a.dst);
  if (!o.devFiltered && h.ifindex) j.dev = names.ifname(h.ifindex);
  put(j, 'lladdr', a.lladdr);
  if (flags & C.NTF_ROUTER) j.router = null;
  if (flags & C.NTF_PROXY) j.proxy = null;
  if (flags & C.NTF_EXT_LEARNED) j.extern_learn = null;
  if (flags & C.NTF_OFFLOADED) j.offload = null;
  if (h.state) j.state = ipNudState(h.state);
  if (a.protocol !== undefined) j.protocol = protocolName(a.protocol);
  return j;
}

// ---------------------------------------------------------------------------------------------
// Rules

/** A few IP protocol names (ip asks getprotobynumber); others print as the number. */
const IP_PROTOS: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  132: 'sctp',
  136: 'udplite',
};

export interface RuleJsonOptions {
  details?: number;
  deleted?: boolean;
}

function rulePrefix(j: Json, key: string, addr: string | undefined, len: number, hostLen: number, all: boolean): void {
  if (addr !== undefined) {
    j[key] = addr;
    if (len !== hostLen) j[`${key}len`] = len;
  } else if (len) {
    j[key] = '0';
    j[`${key}len`] = len;
  } else if (all) j[key] = 'all';
}

function portRange(j: Json, key: string, r: { start?: number; end?: number } | undefined): void {
  if (!r) return;
  if (r.start === r.end) j[key] = r.start;
  else {
    j[`${key}_start`] = r.start;
    j[`${key}_end`] = r.end;
  }
}

/** One rule as `ip -j [-d] rule show` prints it. */
export function ruleJson(r: Rule, o: RuleJsonOptions = {}): Json {
  const h = r.header;
  const a = r.attrs as Record<string, any>;
  const hostLen = r.family === 6 ? 128 : 32;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  j.priority = a.priority ?? 0;
  if ((h.flags ?? 0) & C.FIB_RULE_INVERT) j.not = null;
  rulePrefix(j, 'src', a.src, h.srcLen ?? 0, hostLen, true);
  rulePrefix(j, 'dst', a.dst, h.dstLen ?? 0, hostLen, false);
  if (h.tos) j.tos = hash0x(h.tos);
  if (a.fwmark !== undefined || a.fwmask !== undefined) {
    j.fwmark = hash0x(a.fwmark ?? 0);
    if (a.fwmask !== undefined && a.fwmask !== 0xffffffff) j.fwmask = hash0x(a.fwmask);
  }
  if (a.iifname !== undefined) {
    j.iif = a.iifname;
    if ((h.flags ?? 0) & C.FIB_RULE_IIF_DETACHED) j.iif_detached = true;
  }
  if (a.oifname !== undefined) {
    j.oif = a.oifname;
    if ((h.flags ?? 0) & C.FIB_RULE_OIF_DETACHED) j.oif_detached = true;
  }
  if (a.l3mdev) j.l3mdev = null;
  if (a.uidRange) {
    j.uid_start = a.uidRange.start;
    j.uid_end = a.uidRange.end;
  }
  if (a.ipProto !== undefined) j.ipproto = IP_PROTOS[a.ipProto] ?? String(a.ipProto);
  portRange(j, 'sport', a.sportRange);
  portRange(j, 'dport', a.dportRange);
  const table = a.table ?? h.table ?? 0;
  if (table) {
    j.table = tableName(table);
    if (a.suppressPrefixlen !== undefined && a.suppressPrefixlen !== 0xffffffff)
      j.suppress_prefixlen = a.suppressPrefixlen | 0;
    if (a.suppressIfgroup !== undefined && a.suppressIfgroup !== 0xffffffff)
      j.suppress_ifgroup = a.suppressIfgroup === 0 ? 'default' : String(a.suppressIfgroup);
  }
  if (a.flow !== undefined) {
    const f = flowJson(a.flow);
    if (f.from !== undefined) j.flow_from = f.from;
    j.flow_to = f.to;
  }
  const action = h.action ?? 0;
  if (action === C.FR_ACT_GOTO) {
    j.goto = a.goto ?? 'none';
    if ((h.flags ?? 0) & C.FIB_RULE_UNRESOLVED) j.unresolved = true;
  } else if (action === C.FR_ACT_NOP) j.nop = null;
  else if (action !== C.FR_ACT_TO_TBL) j.action = nameOf(ROUTE_TYPE_NAMES, action);
  if (a.protocol !== undefined && ((a.protocol !== C.RTPROT_UNSPEC && a.protocol !== C.RTPROT_KERNEL) || o.details)) {
    j.protocol = protocolName(a.protocol);
  }
  return j;
}

// ---------------------------------------------------------------------------------------------
// Output

/** JSON text: bigints as decimal strings, bytes as hex, as `rtnl decode` and -j print them. */
export function jsonText(value: unknown, pretty: boolean): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      typeof v === 'bigint'
        ? v.toString()
        : v instanceof Uint8Array
          ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')
          : v,
    pretty ? 4 : undefined,
  );
}
