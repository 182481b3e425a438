/** Shared pieces of the ip-JSON formatters: names, ip's value formats, small helpers. */
import * as C from '../codec/constants/index.js';
import { idName } from '../ops/ids.js';
import type { Link } from '../ops/links.js';
import { nameOf, PROTOCOL_NAMES, SCOPE_NAMES } from '../ops/names.js';
import { confName } from './names.js';

import type { Json, Names } from '../kinds/json.js';

export { bool, bridgeId, enumValue, hash0x, num, put, timer, type Json, type Names } from '../kinds/json.js';

export function namesFrom(
  links: Iterable<Pick<Link, 'index' | 'name'> & { up?: boolean }>,
): Names & { map: Map<number, string>; up: Map<number, boolean> } {
  const map = new Map<number, string>();
  const up = new Map<number, boolean>();
  for (const l of links) {
    map.set(l.index, l.name);
    if (l.up !== undefined) up.set(l.index, l.up);
  }
  return {
    map,
    up,
    ifname: (i) => map.get(i) ?? `if${i}`,
    isUp: (i) => up.get(i),
    user: (uid) => idName('user', uid),
    group: (gid) => idName('group', gid),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared value formats

/** A protocol (RTPROT_*) as ip prints it: /etc/iproute2/rt_protos first, then the kernel's names. */
export const protocolName = (n: number): string => confName('rt_protos', n) ?? nameOf(PROTOCOL_NAMES, n);
/** A scope as ip prints it: /etc/iproute2/rt_scopes first, then the builtin names. */
export const scopeName = (n: number): string => confName('rt_scopes', n) ?? nameOf(SCOPE_NAMES, n);
/** A realm as ip prints it: /etc/iproute2/rt_realms first, else the number ('cosmos' is 0). */
export const realmName = (n: number): string => confName('rt_realms', n) ?? (n === 0 ? 'cosmos' : String(n));

/** RTA_FLOW as ip -j prints it: { from, to } by realm name, `from` left out when 0. */
export function flowJson(flow: number): Json {
  const from = flow >>> 16;
  const to = realmName(flow & 0xffff);
  return from ? { from: realmName(from), to } : { to };
}

/** Route table names as rtnl_rttable_n2a prints them: /etc/iproute2/rt_tables, the builtin names, else the number. */
export function tableName(id: number): string {
  const conf = confName('rt_tables', id);
  if (conf !== undefined) return conf;
  switch (id) {
    case C.RT_TABLE_UNSPEC:
      return 'unspec';
    case C.RT_TABLE_DEFAULT:
      return 'default';
    case C.RT_TABLE_MAIN:
      return 'main';
    case C.RT_TABLE_LOCAL:
      return 'local';
    default:
      return String(id);
  }
}

/** ll_type_n2a: ARPHRD_* as ip names them, `[N]` for the rest. */
const LINK_TYPES: Record<number, string> = {
  [C.ARPHRD_ETHER]: 'ether',
  [C.ARPHRD_LOOPBACK]: 'loopback',
  [C.ARPHRD_NONE]: 'none',
  [C.ARPHRD_VOID]: 'void',
  [C.ARPHRD_TUNNEL]: 'ipip',
  [C.ARPHRD_TUNNEL6]: 'tunnel6',
  [C.ARPHRD_SIT]: 'sit',
  [C.ARPHRD_IPGRE]: 'gre',
  [C.ARPHRD_IP6GRE]: 'gre6',
  [C.ARPHRD_INFINIBAND]: 'infiniband',
  [C.ARPHRD_PPP]: 'ppp',
  [C.ARPHRD_CAN]: 'can',
  [C.ARPHRD_NETLINK]: 'netlink',
  [C.ARPHRD_IEEE80211]: 'ieee802.11',
};
export const linkTypeName = (t: number): string => LINK_TYPES[t] ?? `[${t}]`;

/** IFF_* names exactly as `ip` prints them (the one list lives in ops). */
export { linkFlagNames as ipLinkFlags } from '../ops/common.js';
