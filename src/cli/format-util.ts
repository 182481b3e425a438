/** Shared pieces of the ip-JSON formatters: names, ip's value formats, small helpers. */
import * as C from '../codec/constants/index.js';
import { idName } from '../ops/ids.js';
import type { Link } from '../ops/links.js';

import type { Names } from '../kinds/json.js';

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

/** Route table names as rtnl_rttable_n2a prints them (the builtin names; others as a decimal string). */
export function tableName(id: number): string {
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
