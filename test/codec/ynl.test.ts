// rtnl's attribute sets against the kernel's own YNL specs (fixtures/ynl-digest.json): the same
// numbers, compatible types, every spec attribute declared. Where rtnl and a spec disagree on
// purpose, the exception says why; an exception nothing needs any more fails the test too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { constants as C } from '../../src/codec/index.js';
import { coverage, coverageTable, digest, rtnlSets, walk, type FindingKind } from '../helpers/ynl.js';

const K = C as unknown as Record<string, number>;

/** Deliberate differences: `spec/set/attribute` -> [kind, why]. */
const EXCEPTIONS: Record<string, [FindingKind, string]> = {
  // The spec calls these legacy attributes strings; the kernel never sends cost, priority or
  // wireless, and IFLA_PROTINFO is a per-family nest (see protinfo in link/index.ts).
  'rt-link/link-attrs/cost': ['type', 'never sent by the kernel; kept as bytes'],
  'rt-link/link-attrs/priority': ['type', 'never sent by the kernel; kept as bytes'],
  'rt-link/link-attrs/wireless': ['type', 'wireless extensions events; kept as bytes'],
  'rt-link/link-attrs/protinfo': ['type', 'a nest chosen by ifi_family, not a string'],
  'rt-link/link-attrs/devlink-port': ['type', 'a DEVLINK_ATTR_* nest (rtnl_fill_devlink_port)'],
  'rt-link/linkinfo-ip6tnl-attrs/flags': ['type', 'ip6_tunnel.c puts the host-order IP6_TNL_F_* word (nla_put_u32)'],
  'rt-link/linkinfo-netkit-attrs/peer-info': ['type', 'a whole link request (ifinfomsg + IFLA_*), as for veth'],
  'rt-link/stats-attrs/link-xstats': ['type', 'a LINK_XSTATS_TYPE_* nest per driver (bridge typed)'],
  'rt-link/stats-attrs/link-xstats-slave': ['type', 'a LINK_XSTATS_TYPE_* nest per driver (bridge typed)'],
  'rt-link/stats-attrs/af-spec': ['type', 'a nest per address family (rtnl_fill_statsinfo)'],
  'rt-link/link-attrs/proto-down-reason': ['type', 'rtnl_fill_proto_down puts a nest (IFLA_PROTO_DOWN_REASON_*)'],
  'rt-link/linkinfo-bridge-attrs/vlan-protocol': ['type', 'br_netlink.c puts it with nla_put_be16'],
  'rt-link/linkinfo-bridge-attrs/fdb-flush': ['type', 'only its presence counts; iproute2 sends it empty'],
  'rt-link/linkinfo-bridge-attrs/mcast-querier-state': ['type', 'a BRIDGE_QUERIER_* nest, typed by rtnl'],
  'rt-link/bond-slave-attrs/prio': ['type', 'bond_netlink.c: nla_put_s32 and NLA_S32'],
  'rt-addr/addr-attrs/target-netnsid': ['type', 'an s32 netns id (ifa_policy NLA_S32)'],
  'rt-route/route-attrs/sport': ['type', 'a __be16 port (nla_put_be16)'],
  'rt-route/route-attrs/encap': ['type', 'a LWTUNNEL_ENCAP_* nest chosen by encap-type (lwtunnel.ts)'],
  'rt-route/route-attrs/dport': ['type', 'a __be16 port (nla_put_be16)'],
  'rt-route/metrics/unspec': ['missing', 'number 0 is never sent'],
  'rt-neigh/neighbour-attrs/unspec': ['missing', 'number 0 is never sent'],
  'rt-neigh/neighbour-attrs/port': ['type', 'a __be16 port (nla_put_be16)'],
  'rt-neigh/neighbour-attrs/fdb-ext-attrs': ['type', 'a NFEA_* nest, typed by rtnl'],
  'rt-rule/fib-rule-attrs/dst': ['type', '4 or 16 bytes by family: IPv6 rules carry 16'],
  'rt-rule/fib-rule-attrs/src': ['type', '4 or 16 bytes by family: IPv6 rules carry 16'],
  'rt-rule/fib-rule-attrs/tun-id': ['type', 'a __be64 tunnel id (nla_put_be64)'],
  'tc/cake-attrs/overhead': ['type', 'cake_policy: NLA_S32 (a negative overhead is allowed)'],
  'tc/netem-attrs/pad': ['type', 'the padding of nla_put_u64_64bit: empty, not a u32'],
  'tc/flower-attrs/key-vlan-id': ['type', 'cls_flower reads and puts it in host order (nla_get_u16, nla_put_u16)'],
  'tc/flower-attrs/key-cvlan-id': ['type', 'cls_flower reads and puts it in host order (nla_get_u16, nla_put_u16)'],
  'tc/flower-attrs/key-mpls-label': ['type', 'cls_flower puts it in host order (nla_put_u32), pkt_cls.h says be32'],
  'tc/act-mirred-attrs/blockid': ['type', 'act_mirred: NLA_U32 both ways (nla_put_u32)'],
  'tc/tca-stats-attrs/app': [
    'type',
    'selected by TCA_KIND outside TCA_STATS2: bytes here, decoded by decodeTcXstats (xstats.ts)',
  ],
  'tc/attrs/options[prio]': [
    'kind',
    'tc sends tc_prio_qopt then a nested TCA_OPTIONS (addattr_nest_compat); the bare struct the kernel dumps decodes too',
  ],
  'tc/attrs/xstats[dualpi2]': ['kind', 'struct tc_dualpi2_xstats is newer than the headers rtnl generates from'],
};
// tc kinds rtnl neither builds nor types the options of (their TCA_OPTIONS stay bytes; several of
// these qdiscs' statistics are typed, in xstats.ts).
for (const kind of [
  ...['cbs', 'choke', 'codel', 'drr', 'dualpi2', 'etf', 'ets', 'fq_pie', 'gred', 'hfsc', 'hhf', 'mqprio'],
  ...['multiq', 'pie', 'plug', 'qfq', 'sfb', 'taprio'],
  ...['basic', 'cgroup', 'flow', 'fw', 'route'],
]) {
  EXCEPTIONS[`tc/attrs/options[${kind}]`] = ['kind', `rtnl does not build ${kind}: its options stay bytes`];
}
for (const kind of [
  ...['bpf', 'connmark', 'csum', 'ct', 'ctinfo', 'gate', 'ife', 'mpls', 'nat', 'pedit', 'sample', 'simple'],
  ...['skbedit', 'skbmod', 'tunnel_key', 'vlan'],
]) {
  EXCEPTIONS[`tc/act-attrs/options[${kind}]`] = [
    'kind',
    `rtnl does not build the ${kind} action: its options stay bytes`,
  ];
}
// Bridge port options: the spec says flag, but br_port_fill_attrs puts a u8 (0 or 1) and
// br_port_policy wants NLA_U8, so a flag would be refused.
for (const a of [
  'mode',
  'guard',
  'protect',
  'fast-leave',
  'learning',
  'unicast-flood',
  'proxyarp',
  'learning-sync',
  'proxyarp-wifi',
  'mcast-flood',
  'mcast-to-ucast',
  'vlan-tunnel',
  'bcast-flood',
  'neigh-suppress',
  'isolated',
  'mrp-ring-open',
  'mrp-in-open',
  'locked',
  'mab',
  'neigh-vlan-suppress',
]) {
  EXCEPTIONS[`rt-link/linkinfo-brport-attrs/${a}`] = ['type', 'a u8 on the wire both ways, not a flag'];
}

/** rtnl sets with no spec set to check against, and why. */
const NOT_IN_SPEC: Record<string, string> = {
  VETH_INFO: 'rt-link.yaml has no veth sub-message',
  MPLS_IPTUNNEL: 'rt-route.yaml keeps RTA_ENCAP binary (no lwtunnel sub-messages)',
  LWTUNNEL_IP: 'rt-route.yaml keeps RTA_ENCAP binary (no lwtunnel sub-messages)',
  LWTUNNEL_IP6: 'rt-route.yaml keeps RTA_ENCAP binary (no lwtunnel sub-messages)',
  IFLA_VXLAN: 'rt-link.yaml has no vxlan sub-message',
  IFLA_MACVLAN: 'rt-link.yaml has no macvlan sub-message (macvtap shares it)',
  'IFLA_MACVLAN#2': 'the MACADDR_DATA view of IFLA_MACVLAN',
  IFLA_IPVLAN: 'rt-link.yaml has no ipvlan sub-message',
  IFLA_VRF_PORT: 'rt-link.yaml has no vrf member-data format',
  BRIDGE_QUERIER: 'the spec keeps IFLA_BR_MCAST_QUERIER_STATE as binary',
  NFEA: 'the spec keeps NDA_FDB_EXT_ATTRS as binary',
  IFLA_BOND_ARP_IP_TARGET: 'an indexed array in the spec (sub-type u32), no set',
  IFLA_BOND_NS_IP6_TARGET: 'an indexed array in the spec (sub-type binary), no set',
  IFLA_PROTO_DOWN_REASON: 'the spec types IFLA_PROTO_DOWN_REASON as a string',
  DEVLINK_ATTR: 'the spec keeps IFLA_DEVLINK_PORT as binary',
  NHA: 'nexthop messages have no YNL spec among the digested ones (rt-link, rt-addr, rt-route, rt-neigh, rt-rule, tc)',
  NHA_RES_GROUP: 'a nexthop set: no digested spec (see NHA)',
  NHA_RES_BUCKET: 'a nexthop set: no digested spec (see NHA)',
  NHA_GROUP_STATS: 'a nexthop set: no digested spec (see NHA)',
  NHA_GROUP_STATS_ENTRY: 'a nexthop set: no digested spec (see NHA)',
  'AF#2': 'the spec keeps IFLA_STATS_AF_SPEC as binary',
  'IFLA_OFFLOAD_XSTATS#2': 'HW_S_INFO, an indexed array in the spec: its entries are checked',
  IFLA_BAREUDP: 'rt-link.yaml has no bareudp sub-message',
  IFLA_XFRM: 'rt-link.yaml has no xfrm sub-message',
  IFLA_MACSEC: 'rt-link.yaml has no macsec sub-message',
  LINK_XSTATS_TYPE: 'the spec keeps IFLA_STATS_LINK_XSTATS(_SLAVE) as binary',
  BRIDGE_XSTATS: 'inside IFLA_STATS_LINK_XSTATS, which the spec keeps as binary',
  'IFLA#4': 'an AF_BRIDGE link message: the spec does not select IFLA_AF_SPEC / PROTINFO by family',
  IFLA_BRIDGE: 'the AF_BRIDGE IFLA_AF_SPEC: no spec describes it',
  IFLA_BRIDGE_VLAN_TUNNEL: 'inside the AF_BRIDGE IFLA_AF_SPEC: no spec describes it',
  NETNSA: 'namespace ids: no YNL spec (rt-link has none for RTM_NEWNSID)',
  PREFIX: 'RTM_NEWPREFIX: no YNL spec',
  'IFLA_STATS#2': 'RTM_GETSTATS request attributes (IFLA_STATS_GETSET_*): the spec has no request set',
  'IFLA_STATS#3': 'IFLA_STATS_GET_FILTERS masks of a request: the spec has no request set',
  TCA_ROOT: 'tc.yaml has no set for the RTM_*ACTION message attributes (TCA_ROOT_*)',
  'TCA#2': "prio's compat nest after tc_prio_qopt, as tc sends it: the spec has only the struct",
  TCA_PRIO: 'the empty nest inside TCA#2 (older kernels read TCA_PRIO_MQ there)',
};
test('the digest agrees with the generated constants, name for name', () => {
  let checked = 0;
  for (const { sets } of Object.values(digest)) {
    for (const set of Object.values(sets)) {
      if (!set.prefix) continue;
      const prefix = set.prefix.toUpperCase().replace(/-/g, '_');
      for (const [name, num] of set.attrs) {
        const c = `${prefix}${name.toUpperCase().replace(/-/g, '_')}`;
        if (K[c] === undefined) continue; // DPLL_A_ID: dpll.h is not generated
        assert.equal(K[c], num, c);
        checked++;
      }
    }
  }
  assert.ok(checked > 500, `${checked} names checked`);
});

test('every attribute set rtnl declares matches its YNL spec set, or is a listed exception', () => {
  const w = walk();
  const problems: string[] = [];
  const used = new Set<string>();
  for (const f of w.findings) {
    const ex = EXCEPTIONS[f.key];
    if (ex && ex[0] === f.kind) used.add(f.key);
    else problems.push(`${f.kind} ${f.key}: ${f.detail}`);
  }
  for (const key of Object.keys(EXCEPTIONS)) if (!used.has(key)) problems.push(`stale exception ${key}`);
  const paired = new Set([...w.pairs.values()].flat());
  const sets = rtnlSets();
  for (const name of Object.keys(NOT_IN_SPEC)) if (!sets.has(name)) problems.push(`stale reason for ${name}`);
  for (const [name, set] of sets) {
    if (!paired.has(set) && !NOT_IN_SPEC[name]) problems.push(`rtnl set ${name} has no spec set and no reason`);
    if (paired.has(set) && NOT_IN_SPEC[name]) problems.push(`rtnl set ${name} is paired now: drop its reason`);
  }
  assert.deepEqual(problems, []);
});

test('docs/CODEC-COVERAGE.md has the current coverage table', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/CODEC-COVERAGE.md'), 'utf8');
  const table = coverageTable(coverage(walk()));
  assert.ok(doc.includes(table), `docs/CODEC-COVERAGE.md should contain:\n${table}`);
});
