// Link kinds' IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA tables: keys, wire bytes, and real kernel fixtures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  constants as C,
  decode,
  encode,
  keyOf,
  LAYOUT,
  type AttrSetDef,
  type NetlinkMessage,
} from '../../src/codec/index.js';
import { bondAdInfo, bondArpIpTargets, bondData, bondNsIp6Targets, bondSlaveData } from '../../src/kinds/link/bond.js';
import { bridgeData, bridgePortData, bridgeQuerierState } from '../../src/kinds/link/bridge.js';
import { ipvlanData } from '../../src/kinds/link/ipvlan.js';
import { macvlanData, macvlanMacaddrData } from '../../src/kinds/link/macvlan.js';
import { tunData } from '../../src/kinds/link/tun.js';
import { vlanData, vlanQosAttrs } from '../../src/kinds/link/vlan.js';
import { vrfData, vrfSlaveData } from '../../src/kinds/link/vrf.js';
import { vxlanData } from '../../src/kinds/link/vxlan.js';
import { bareudpData } from '../../src/kinds/link/bareudp.js';
import { geneveData } from '../../src/kinds/link/geneve.js';
import { gre6Data, greData } from '../../src/kinds/link/gre.js';
import { hsrData } from '../../src/kinds/link/hsr.js';
import { macsecData } from '../../src/kinds/link/macsec.js';
import { ip6tnlData, iptunData } from '../../src/kinds/link/ipip.js';
import { netkitData } from '../../src/kinds/link/netkit.js';
import { ovpnData } from '../../src/kinds/link/ovpn.js';
import { vti6Data, vtiData } from '../../src/kinds/link/vti.js';
import { xfrmData } from '../../src/kinds/link/xfrm.js';
import {
  afSpecAttrs,
  inet6Attrs,
  inetAttrs,
  linkAttrs,
  linkInfoAttrs,
  propListAttrs,
  protoDownReasonAttrs,
  xdpAttrs,
} from '../../src/codec/rtnl/link/index.js';
import type { LinkKindPlugin } from '../../src/kinds/link/kind.js';
import { linkKinds } from '../../src/kinds/link/registry.js';
import { kindOptions, linkKindPlugin, type VlanOptions } from '../../src/ops/link-kinds.js';
import { kindFiles, registryText } from '../../scripts/gen-kinds.js';
import { readFileSync } from 'node:fs';
import { allFixtures, loadFixture, type Fixture } from '../helpers/fixtures.js';
import { assertRoundTrip } from '../helpers/round-trip.js';

const K = C as unknown as Record<string, number>;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// ---------------------------------------------------------------------------------------------
// Keys and numbers against the generated constants

/** Named sets, and the sub-prefixes of their kernel prefix that belong to other sets. */
const NAMED: Array<[AttrSetDef, string[]]> = [
  [bridgeData, []],
  [bridgePortData, []],
  [bridgeQuerierState, []],
  [vxlanData, []],
  [macvlanData, []],
  [macvlanMacaddrData, []],
  [vlanData, ['QOS_']],
  [vlanQosAttrs, []],
  [bondData, ['AD_INFO_', 'SLAVE_']],
  [bondAdInfo, []],
  [bondSlaveData, []],
  [vrfData, ['PORT_']],
  [vrfSlaveData, []],
  [tunData, []],
  [ipvlanData, []],
  [greData, []],
  [gre6Data, []],
  [iptunData, []],
  [ip6tnlData, []],
  [vtiData, []],
  [vti6Data, []],
  [geneveData, []],
  [hsrData, []],
  [netkitData, []],
  [ovpnData, []],
  [bareudpData, []],
  [xfrmData, []],
  [macsecData, []],
  [linkInfoAttrs, []],
  [xdpAttrs, []],
  [protoDownReasonAttrs, []],
  [inetAttrs, []],
  [inet6Attrs, []],
  [propListAttrs, []],
];

test("every key is its kernel name in camelCase, with the constant's number", () => {
  for (const [set] of NAMED) {
    for (const [key, [num]] of Object.entries(set.spec)) {
      const names = Object.keys(K).filter((n) => n.startsWith(`${set.prefix}_`) && keyOf(n, set.prefix) === key);
      assert.ok(names.length > 0, `${set.prefix}: no constant for key '${key}'`);
      assert.ok(
        names.some((n) => K[n] === num),
        `${set.prefix}: '${key}' is declared as ${num}, the constant is ${names.map((n) => K[n])}`,
      );
    }
  }
});

test('every attribute of the installed uapi headers is declared', () => {
  for (const [set, others] of NAMED) {
    // One-attribute views of a larger set.
    if (set === macvlanMacaddrData || set === propListAttrs) continue;
    const declared = new Set(Object.values(set.spec).map(([n]) => n));
    for (const name of Object.keys(K)) {
      if (!name.startsWith(`${set.prefix}_`)) continue;
      const rest = name.slice(set.prefix.length + 1);
      if (/^(UNSPEC|MAX)$/.test(rest) || others.some((o) => rest.startsWith(o))) continue;
      assert.ok(declared.has(K[name]!), `${name} is not declared in ${set.prefix}`);
    }
  }
});

/**
 * The top-level IFLA_* table. Its prefix is every nested set's too, so its own attributes are the
 * IFLA_* names outside every `IFLA_X_` family that has an UNSPEC or MAX (or is listed below).
 */
test('the top-level IFLA table: each key is its constant, and every top-level IFLA_* attribute is declared', () => {
  const names = Object.keys(K).filter((n) => n.startsWith('IFLA_'));
  const families = new Set(['IFLA_EVENT_']);
  for (const n of names) {
    const m = /^(IFLA_.+)_(UNSPEC|MAX)$/.exec(n);
    if (m) families.add(`${m[1]}_`);
  }
  // Top-level attributes whose names look like a nested family's.
  const topLevelAnyway = new Set(['IFLA_VF_PORTS', 'IFLA_PORT_SELF']);
  const top = names.filter(
    (n) => !/^IFLA_(UNSPEC|MAX)$/.test(n) && (topLevelAnyway.has(n) || ![...families].some((f) => n.startsWith(f))),
  );
  assert.ok(top.length >= 60, `only ${top.length} top-level IFLA_* names`);
  const byNumber = new Map(top.map((n) => [K[n]!, n]));
  for (const [key, [num]] of Object.entries(linkAttrs.spec)) {
    const name = byNumber.get(num);
    assert.ok(name !== undefined, `IFLA: '${key}' is declared as ${num}, no top-level IFLA_* constant has it`);
    assert.equal(keyOf(name, 'IFLA'), key, `IFLA: ${name} (${num}) is declared as '${key}'`);
  }
  const declared = new Set<number>(Object.values(linkAttrs.spec).map(([n]) => n));
  for (const n of top) assert.ok(declared.has(K[n]!), `${n} is not declared in IFLA`);
  // IFLA_AF_SPEC (AF_UNSPEC messages): one nest per address family, keyed by AF_* number.
  assert.equal(afSpecAttrs.spec.inet[0], C.AF_INET);
  assert.equal(afSpecAttrs.spec.inet6[0], C.AF_INET6);
});

test('bond target nests are indexed by slot', () => {
  for (const set of [bondArpIpTargets, bondNsIp6Targets]) {
    const entries = Object.entries(set.spec);
    assert.equal(entries.length, 16);
    for (const [key, [num]] of entries) assert.equal(key, String(num));
  }
});

// ---------------------------------------------------------------------------------------------
// Synthetic round trips

const ifinfo = { family: 0, pad: 0, type: 0, index: 0, flags: 0, change: 0 };

function newlink(linkinfo: Record<string, unknown>): NetlinkMessage {
  return {
    type: 'RTM_NEWLINK',
    header: { len: 0, type: C.RTM_NEWLINK, flags: 0x605, seq: 7, pid: 0 },
    body: ifinfo,
    attrs: { ifname: 'x0', linkinfo },
  };
}

/** Encode, decode, compare; returns the bytes. */
function roundTrip(msg: NetlinkMessage): Uint8Array {
  const bytes = encode(msg);
  const [back] = decode(bytes);
  assert.deepEqual(back!.body, msg.body);
  assert.deepEqual(back!.attrs, msg.attrs);
  assert.equal(hex(encode(back!)), hex(bytes), 're-encoding the decoded message differs');
  return bytes;
}

/** The whole TLV, header and padding included, reached by a path of attribute types from the top level. */
function tlv(msg: Uint8Array, ...path: number[]): string {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  let pos = 32; // nlmsghdr + ifinfomsg
  let end = view.getUint32(0, true);
  for (let depth = 0; depth < path.length; depth++) {
    let found = -1;
    while (pos < end) {
      const len = view.getUint16(pos, true);
      if ((view.getUint16(pos + 2, true) & 0x3fff) === path[depth]) {
        found = pos;
        break;
      }
      pos += (len + 3) & ~3;
    }
    assert.ok(found >= 0, `attribute ${path.slice(0, depth + 1).join('.')} not found`);
    const len = view.getUint16(found, true);
    if (depth === path.length - 1) return hex(msg.subarray(found, found + ((len + 3) & ~3)));
    pos = found + 4;
    end = found + len;
  }
  throw new Error('empty path');
}
const DATA = [C.IFLA_LINKINFO, C.IFLA_INFO_DATA];
const SLAVE = [C.IFLA_LINKINFO, C.IFLA_INFO_SLAVE_DATA];

test('bridge: IFLA_BR_* round-trips; be16 protocol, u64 timers, bridge id and flags on the wire', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'bridge',
      data: {
        forwardDelay: 1500,
        helloTime: 200,
        maxAge: 2000,
        ageingTime: 30000,
        stpState: 1,
        priority: 0x1000,
        vlanFiltering: 1,
        vlanProtocol: '8021AD',
        groupFwdMask: 0x4000,
        rootId: { priority: 0x1000, address: '02:00:00:00:00:01' },
        bridgeId: { priority: 0x8000, address: '02:00:00:00:00:02' },
        rootPort: 1,
        rootPathCost: 100,
        helloTimer: 150n,
        gcTimer: 29000n,
        groupAddr: '01:80:c2:00:00:0e',
        fdbFlush: true,
        mcastSnooping: 0,
        mcastLastMemberIntvl: 100n,
        vlanDefaultPvid: 1,
        multiBoolopt: { optval: 1, optmask: 7 },
        mcastQuerierState: { ipAddress: '192.0.2.9', ipPort: 4, ipOtherTimer: 2550n, ipv6Address: 'fe80::1' },
      },
    }),
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_VLAN_PROTOCOL), '06000800' + '88a8' + '0000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_HELLO_TIMER), '0c001000' + '9600000000000000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_FORWARD_DELAY), '08000100' + 'dc050000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_ROOT_ID), '0c000a00' + '1000' + '020000000001');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_GROUP_ADDR), '0a001400' + '0180c200000e' + '0000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_FDB_FLUSH), '04001500');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BR_MULTI_BOOLOPT), '0c002e00' + '01000000' + '07000000');
  assert.equal(
    tlv(bytes, ...DATA, C.IFLA_BR_MCAST_QUERIER_STATE, C.BRIDGE_QUERIER_IP_ADDRESS),
    '08000100' + 'c0000209',
  );
});

test('bridge port: IFLA_BRPORT_* round-trips; state is named, booleans are u8', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'veth',
      slaveKind: 'bridge',
      slaveData: {
        state: 'FORWARDING',
        priority: 32,
        cost: 100,
        mode: 1,
        learning: 0,
        unicastFlood: 1,
        designatedPort: 0x8001,
        messageAgeTimer: 0n,
        flush: true,
        multicastRouter: 2,
        backupPort: 7,
        mcastEhtHostsLimit: 512,
        locked: 1,
        rootId: { priority: 0x8000, address: '02:00:00:00:00:02' },
      },
    }),
  );
  assert.equal(tlv(bytes, ...SLAVE, C.IFLA_BRPORT_STATE), '05000100' + '03000000');
  assert.equal(tlv(bytes, ...SLAVE, C.IFLA_BRPORT_LEARNING), '05000800' + '00000000');
  assert.equal(tlv(bytes, ...SLAVE, C.IFLA_BRPORT_FLUSH), '04001800');
  // A state this machine's headers do not name stays a number.
  const [msg] = decode(encode(newlink({ kind: 'veth', slaveKind: 'bridge', slaveData: { state: 9 } })));
  assert.equal(msg!.attrs.linkinfo.slaveData.state, 9);
});

test('vxlan: IFLA_VXLAN_* round-trips; port 4789 is 12 b5, addresses and the port range are network order', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'vxlan',
      data: {
        id: 42,
        group: '239.1.1.1',
        link: 3,
        local: '192.0.2.1',
        ttl: 64,
        tos: 0,
        learning: 0,
        ageing: 300,
        limit: 0,
        portRange: { low: 1000, high: 2000 },
        proxy: 0,
        l2miss: 1,
        port: 4789,
        udpCsum: 1,
        udpZeroCsum6Tx: 0,
        gbp: true,
        remcsumNopartial: true,
        collectMetadata: 0,
        label: 0x12345,
        ttlInherit: true,
        df: 'INHERIT',
        vnifilter: 0,
      },
    }),
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_PORT), '06000f00' + '12b5' + '0000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_ID), '08000100' + '2a000000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_GROUP), '08000200' + 'ef010101');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_PORT_RANGE), '08000a00' + '03e8' + '07d0');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_LABEL), '08001a00' + '00012345');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_GBP), '04001700');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_DF), '05001d00' + '02000000');
  // TTL_INHERIT: requests send an empty flag (NLA_FLAG policy); replies carry a u8.
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VXLAN_TTL_INHERIT), '04001c00');
  const v6 = roundTrip(
    newlink({ kind: 'vxlan', data: { id: 43, group6: 'ff05::100', local6: '2001:db8::1', ttlInherit: 1 } }),
  );
  assert.equal(tlv(v6, ...DATA, C.IFLA_VXLAN_GROUP6), '14001000' + 'ff050000000000000000000000000100');
  assert.equal(tlv(v6, ...DATA, C.IFLA_VXLAN_TTL_INHERIT), '05001c00' + '01000000');
});

test('macvlan and macvtap: mode is named, source addresses are a nest of MACADDR', () => {
  for (const kind of ['macvlan', 'macvtap']) {
    const bytes = roundTrip(
      newlink({
        kind,
        data: {
          mode: 'SOURCE',
          flags: C.MACVLAN_FLAG_NOPROMISC,
          macaddrMode: 'SET',
          macaddrData: { macaddr: ['02:00:00:00:00:01', '02:00:00:00:00:02'] },
          macaddrCount: 2,
          bcQueueLen: 1000,
        },
      }),
    );
    assert.equal(tlv(bytes, ...DATA, C.IFLA_MACVLAN_MODE), '08000100' + '10000000');
    assert.equal(tlv(bytes, ...DATA, C.IFLA_MACVLAN_FLAGS), '06000200' + '01000000');
    assert.equal(
      tlv(bytes, ...DATA, C.IFLA_MACVLAN_MACADDR_DATA),
      '1c000500' + '0a000400020000000001' + '0000' + '0a000400020000000002' + '0000',
    );
  }
  // Several modes at once are not a named value: the number stays.
  const [msg] = decode(
    encode(newlink({ kind: 'macvlan', data: { mode: C.MACVLAN_MODE_VEPA | C.MACVLAN_MODE_BRIDGE } })),
  );
  assert.equal(msg!.attrs.linkinfo.data.mode, 6);
});

test('vlan: id, flags struct, QoS mapping nests, be16 protocol', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'vlan',
      data: {
        id: 100,
        protocol: '8021Q',
        flags: { flags: 1, mask: 0xffffffff },
        egressQos: {
          mapping: [
            { from: 0, to: 3 },
            { from: 1, to: 5 },
          ],
        },
        ingressQos: { mapping: [{ from: 2, to: 2 }] },
      },
    }),
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VLAN_PROTOCOL), '06000500' + '8100' + '0000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VLAN_ID), '06000100' + '6400' + '0000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VLAN_FLAGS), '0c000200' + '01000000' + 'ffffffff');
  assert.equal(
    tlv(bytes, ...DATA, C.IFLA_VLAN_EGRESS_QOS),
    '1c000300' + '0c000100' + '0000000003000000' + '0c000100' + '0100000005000000',
  );
});

test('bond: mode and hash policy named, ARP/NS targets by slot, AD info nest; bond port data', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'bond',
      data: {
        mode: 'ACTIVEBACKUP',
        miimon: 100,
        updelay: 200,
        useCarrier: 1,
        arpInterval: 0,
        arpIpTarget: { 0: '10.0.0.1', 3: '10.0.0.4' },
        nsIp6Target: { 0: '2001:db8::1' },
        arpValidate: 0,
        xmitHashPolicy: 'LAYER34',
        adActorSysPrio: 65535,
        adActorSystem: '02:00:00:00:00:aa',
        missedMax: 2,
        adInfo: { aggregator: 1, numPorts: 2, actorKey: 9, partnerKey: 1, partnerMac: '00:00:00:00:00:00' },
        coupledControl: 1,
      },
    }),
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BOND_MODE), '05000100' + '01000000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BOND_XMIT_HASH_POLICY), '05000e00' + '01000000');
  assert.equal(
    tlv(bytes, ...DATA, C.IFLA_BOND_ARP_IP_TARGET),
    '14000800' + '08000000' + '0a000001' + '08000300' + '0a000004',
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BOND_NS_IP6_TARGET, 0), '14000000' + '20010db8000000000000000000000001');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_BOND_AD_INFO, C.IFLA_BOND_AD_INFO_NUM_PORTS), '06000200' + '0200' + '0000');

  const port = roundTrip(
    newlink({
      kind: 'dummy',
      slaveKind: 'bond',
      slaveData: {
        state: 'BACKUP',
        miiStatus: 'UP',
        linkFailureCount: 3,
        permHwaddr: '02:00:00:00:00:01',
        queueId: 0,
        prio: -5,
        adAggregatorId: 1,
        adActorOperPortState: C.LACP_STATE_LACP_ACTIVITY | C.LACP_STATE_AGGREGATION,
        adPartnerOperPortState: 0x3d,
      },
    }),
  );
  assert.equal(tlv(port, ...SLAVE, C.IFLA_BOND_SLAVE_STATE), '05000100' + '01000000');
  assert.equal(tlv(port, ...SLAVE, C.IFLA_BOND_SLAVE_PRIO), '08000900' + 'fbffffff');
  assert.equal(tlv(port, ...SLAVE, C.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE), '06000800' + '3d00' + '0000');
});

test("vrf: table, and the port's table", () => {
  const bytes = roundTrip(newlink({ kind: 'vrf', data: { table: 10 } }));
  assert.equal(tlv(bytes, ...DATA, C.IFLA_VRF_TABLE), '08000100' + '0a000000');
  const port = roundTrip(newlink({ kind: 'veth', slaveKind: 'vrf', slaveData: { table: 10 } }));
  assert.equal(tlv(port, ...SLAVE, C.IFLA_VRF_PORT_TABLE), '08000100' + '0a000000');
});

test('tun: type is named TUN/TAP, flags are u8, queue counts u32', () => {
  const bytes = roundTrip(
    newlink({
      kind: 'tun',
      data: {
        owner: 1000,
        group: 1000,
        type: 'TAP',
        pi: 0,
        vnetHdr: 1,
        persist: 1,
        multiQueue: 1,
        numQueues: 4,
        numDisabledQueues: 0,
      },
    }),
  );
  assert.equal(tlv(bytes, ...DATA, C.IFLA_TUN_TYPE), '05000300' + '02000000');
  assert.equal(tlv(bytes, ...DATA, C.IFLA_TUN_NUM_QUEUES), '08000800' + '04000000');
});

test('ipvlan and ipvtap: mode L2/L3/L3S as u16, flags u16', () => {
  for (const kind of ['ipvlan', 'ipvtap']) {
    const bytes = roundTrip(newlink({ kind, data: { mode: 'L3S', flags: C.IPVLAN_F_VEPA } }));
    assert.equal(tlv(bytes, ...DATA, C.IFLA_IPVLAN_MODE), '06000100' + '0200' + '0000');
    assert.equal(tlv(bytes, ...DATA, C.IFLA_IPVLAN_FLAGS), '06000200' + '0200' + '0000');
  }
});

// ---------------------------------------------------------------------------------------------
// Real kernel fixtures

/** Kernel prefix of each kind's data and slave data, to tell newer attributes from wrong kinds. */
const DATA_PREFIX: Record<string, string> = {
  bridge: 'IFLA_BR',
  vxlan: 'IFLA_VXLAN',
  macvlan: 'IFLA_MACVLAN',
  macvtap: 'IFLA_MACVLAN',
  vlan: 'IFLA_VLAN',
  bond: 'IFLA_BOND',
  vrf: 'IFLA_VRF',
  tun: 'IFLA_TUN',
  ipvlan: 'IFLA_IPVLAN',
  ipvtap: 'IFLA_IPVLAN',
  veth: 'VETH_INFO',
  gre: 'IFLA_GRE',
  gretap: 'IFLA_GRE',
  erspan: 'IFLA_GRE',
  ip6gre: 'IFLA_GRE',
  ip6gretap: 'IFLA_GRE',
  ipip: 'IFLA_IPTUN',
  sit: 'IFLA_IPTUN',
  ip6tnl: 'IFLA_IPTUN',
  vti: 'IFLA_VTI',
  vti6: 'IFLA_VTI',
  geneve: 'IFLA_GENEVE',
  hsr: 'IFLA_HSR',
  bareudp: 'IFLA_BAREUDP',
  xfrm: 'IFLA_XFRM',
  macsec: 'IFLA_MACSEC',
};
const SLAVE_PREFIX: Record<string, string> = { bridge: 'IFLA_BRPORT', bond: 'IFLA_BOND_SLAVE', vrf: 'IFLA_VRF_PORT' };

const linkFixtures = allFixtures('link').filter((f) => decode(f.bytes).some((m) => m.attrs.linkinfo));
const infoOf = (f: Fixture) =>
  decode(f.bytes).find((m) => m.type === 'RTM_NEWLINK' && m.attrs.linkinfo)!.attrs.linkinfo;

/** Only attributes newer than this machine's uapi headers may decode as unknown. */
function assertOnlyNewerUnknown(where: string, data: any, prefix: string | undefined): void {
  if (!data || typeof data !== 'object' || prefix === undefined) return;
  assert.ok(!('$raw' in data), `${where}: data kept raw`);
  const max = K[`${prefix}_MAX`];
  for (const u of data.$unknown ?? []) {
    assert.ok(
      max !== undefined && u.type > max,
      `${where}: attribute ${u.type} (${hex(u.bytes)}) decoded as unknown; is its kind wrong?`,
    );
  }
}

for (const f of linkFixtures) {
  test(`${f.name}: decodes with no mistyped attribute and re-encodes byte-exact`, () => {
    const li = infoOf(f);
    assertOnlyNewerUnknown(`${f.name} data`, li.data, DATA_PREFIX[li.kind]);
    assertOnlyNewerUnknown(`${f.name} slave data`, li.slaveData, SLAVE_PREFIX[li.slaveKind]);
    assertRoundTrip(f.bytes);
  });
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** iproute2's ifla_bridge_id: "8000.2:0:0:0:0:1". */
const bridgeIdText = (id: { priority: number; address: string }) =>
  `${id.priority.toString(16).padStart(4, '0')}.${id.address
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':')}`;

/** Compare `ip -j -d` info_data with ours, key by key. Returns how many keys were compared. */
function compareWithIp(
  where: string,
  json: Record<string, unknown>,
  ours: Record<string, any>,
  alias: Record<string, string>,
  skip: string[],
): number {
  let n = 0;
  for (const [jk, jv] of Object.entries(json)) {
    if (skip.includes(jk)) continue;
    const key = alias[jk] ?? camel(jk);
    assert.ok(key in ours, `${where}: ip prints ${jk}, we decoded no '${key}'`);
    const ov = ours[key];
    const msg = `${where}: ${jk} = ${JSON.stringify(jv)}, ours ${key} = ${String(ov)}`;
    if (typeof jv === 'boolean') assert.equal(Number(ov) !== 0, jv, msg);
    else if (typeof jv === 'number') assert.equal(key.endsWith('Timer') ? Number(ov) / 100 : Number(ov), jv, msg);
    else if (typeof jv === 'string' && typeof ov === 'string') assert.equal(ov.toLowerCase(), jv.toLowerCase(), msg);
    else if (typeof jv === 'string' && typeof ov === 'number') assert.equal(ov, parseInt(jv, 16), msg);
    else if (typeof jv === 'string') assert.equal(bridgeIdText(ov), jv, msg);
    else assert.deepEqual(ov, jv, msg);
    n++;
  }
  return n;
}

/**
 * The reply fixtures of a kind (or of a master's kind, for port data). There must be at least
 * `min`, and each must carry ip's JSON: a comparison over no fixture proves nothing.
 */
function withJson(kind: string, slave = false, min = 1): Fixture[] {
  const fx = linkFixtures.filter(
    (f) => f.name.endsWith('-reply.hex') && (slave ? infoOf(f).slaveKind : infoOf(f).kind) === kind,
  );
  assert.ok(fx.length >= min, `${kind}${slave ? ' port' : ''}: ${fx.length} reply fixtures, expected ${min} or more`);
  for (const f of fx) assert.ok(f.json !== undefined, `${f.name}: its .json (ip -j -d) is missing`);
  return fx;
}

test('bridge fixtures agree with ip -j -d', () => {
  for (const f of withJson('bridge', false, 2)) {
    const data = infoOf(f).data;
    const ip = (f.json as any)[0].linkinfo.info_data;
    const n = compareWithIp(f.name, ip, data, {}, ['no_linklocal_learn', 'mcast_vlan_snooping', 'mst_enabled']);
    assert.ok(n >= 30, `${f.name}: only ${n} keys compared`);
    assert.equal(data.stpState, ip.stp_state);
    const bit = (b: number) => (data.multiBoolopt.optval >> b) & 1;
    assert.equal(bit(C.BR_BOOLOPT_NO_LL_LEARN), ip.no_linklocal_learn);
    assert.equal(bit(C.BR_BOOLOPT_MCAST_VLAN_SNOOPING), ip.mcast_vlan_snooping);
  }
});

test('bridge port fixtures agree with ip -j -d', () => {
  for (const f of withJson('bridge', true)) {
    const ip = (f.json as any)[0].linkinfo.info_slave_data;
    const alias = {
      hairpin: 'mode',
      root_block: 'protect',
      fastleave: 'fastLeave',
      flood: 'unicastFlood',
      proxy_arp: 'proxyarp',
      proxy_arp_wifi: 'proxyarpWifi',
      mcast_to_unicast: 'mcastToUcast',
    };
    const n = compareWithIp(f.name, ip, infoOf(f).slaveData, alias, ['group_fwd_mask_str']);
    assert.ok(n >= 25, `${f.name}: only ${n} keys compared`);
  }
});

test('vxlan fixtures agree with ip -j -d (id, port, ttl, learning, addresses)', () => {
  for (const f of withJson('vxlan', false, 2)) {
    const data = infoOf(f).data;
    const ip = (f.json as any)[0].linkinfo.info_data;
    compareWithIp(f.name, ip, data, { remote: 'group' }, ['link']);
    assert.equal(data.id, ip.id);
    assert.equal(data.port, ip.port);
    assert.equal(data.ttl, ip.ttl);
    assert.equal(data.learning, ip.learning ? 1 : 0);
  }
});

test('macvlan and macvtap fixtures agree with ip -j -d (mode, broadcast queue)', () => {
  const fx = [...withJson('macvlan', false, 4), ...withJson('macvtap')];
  for (const f of fx) {
    const ip = (f.json as any)[0].linkinfo.info_data;
    compareWithIp(f.name, ip, infoOf(f).data, { bcqueuelen: 'bcQueueLen', usedbcqueuelen: 'bcQueueLenUsed' }, []);
    assert.equal(infoOf(f).data.mode, ip.mode.toUpperCase());
  }
});

test('tun and tap fixtures agree with ip -j -d', () => {
  const fx = withJson('tun', false, 2);
  assert.deepEqual(fx.map((f) => (f.json as any)[0].linkinfo.info_data.type).sort(), ['tap', 'tun']);
  for (const f of fx) {
    const ip = (f.json as any)[0].linkinfo.info_data;
    const n = compareWithIp(f.name, ip, infoOf(f).data, {}, []);
    assert.equal(n, 5, `${f.name}: ${n} keys compared`);
  }
});

// ---------------------------------------------------------------------------------------------
// The plugins: generated registry, one vocabulary both ways

const PLUGINS = linkKinds as unknown as Record<string, LinkKindPlugin>;

test('the registry is what scripts/gen-kinds.ts writes, and each file is named after its kind', () => {
  const committed = readFileSync(new URL('../../src/kinds/link/registry.ts', import.meta.url), 'utf8');
  assert.equal(committed, registryText(kindFiles()), 'run npm run gen:kinds');
  for (const [key, plugin] of Object.entries(PLUGINS)) assert.equal(plugin.kind, key);
  // The codec decodes every kind that declares data through its plugin's table.
  for (const plugin of Object.values(PLUGINS)) {
    const cases = (linkInfoAttrs.spec.data[1] as { cases: Record<string, { set: unknown }> }).cases;
    if (plugin.data) assert.equal(cases[plugin.kind]?.set, plugin.data, plugin.kind);
    else assert.equal(cases[plugin.kind], undefined, plugin.kind);
  }
});

/** A kind context for conversions without a kernel: link references are already indexes. */
const offline = {
  linkIndex: async (ref: string | number) => {
    assert.equal(typeof ref, 'number', 'a read-back dev is an index');
    return ref as number;
  },
  netnsFd: () => assert.fail('no namespace in these options'),
};

/** The first RTM_NEWLINK with a linkinfo, and its kind's plugin. */
function kindMessage(f: Fixture) {
  const msg = decode(f.bytes).find((m) => m.type === 'RTM_NEWLINK' && m.attrs.linkinfo);
  return msg && { msg, info: msg.attrs.linkinfo, plugin: PLUGINS[msg.attrs.linkinfo.kind] };
}

/** Replace a message's IFLA_INFO_DATA and encode it. */
function withData(msg: NetlinkMessage, data: unknown): Uint8Array {
  const linkinfo = { ...msg.attrs.linkinfo, data };
  // Keep how iproute2 laid the linkinfo out (a kind string sent without its NUL).
  const layoutOf = (o: object): unknown => (o as Record<symbol, unknown>)[LAYOUT];
  if (layoutOf(msg.attrs.linkinfo)) Object.defineProperty(linkinfo, LAYOUT, { value: layoutOf(msg.attrs.linkinfo) });
  const attrs = { ...msg.attrs, linkinfo };
  if (layoutOf(msg.attrs)) Object.defineProperty(attrs, LAYOUT, { value: layoutOf(msg.attrs) });
  return encode({ ...msg, attrs });
}

test("vlan flags by name: iproute2's reorder_hdr off gvrp on loose_binding on reads back as names", () => {
  const [msg] = decode(loadFixture('link/vlan-flags-add-request.hex').bytes);
  const data = msg!.attrs.linkinfo.data;
  assert.deepEqual(data.flags, { flags: C.VLAN_FLAG_GVRP | C.VLAN_FLAG_LOOSE_BINDING, mask: 7 });
  const plugin = linkKindPlugin('vlan')!;
  const options = plugin.fromAttrs!(data) as VlanOptions;
  assert.deepEqual(options.flags, { reorderHdr: false, gvrp: true, looseBinding: true });
  assert.deepEqual((plugin.json!(data, {} as never) as { flags: string[] }).flags, ['GVRP', 'LOOSE_BINDING']);
  // Replies carry mask ~0: every flag reads back.
  assert.deepEqual(plugin.fromAttrs!({ id: 5, flags: { flags: C.VLAN_FLAG_REORDER_HDR, mask: 0xffffffff } }), {
    id: 5,
    flags: { reorderHdr: true, gvrp: false, looseBinding: false, mvrp: false, bridgeBinding: false },
  });
});

test('requests iproute2 sent: decode -> options -> encode gives the same bytes (vlan, bond, vrf, dummy too)', async () => {
  const requests = allFixtures('link').filter((f) => f.name.endsWith('-request.hex'));
  const seen = new Set<string>();
  for (const f of requests) {
    const { msg, info, plugin } = kindMessage(f) ?? {};
    // Decoding-only kinds (gre, sit, ... : no options) are checked by tunnel-kinds.test.ts.
    if (!msg || !plugin || plugin.createOnly || (info.data !== undefined && !plugin.fromAttrs)) continue;
    const options = info.data === undefined ? undefined : plugin.fromAttrs!(info.data);
    if (options === undefined) {
      assert.equal(info.data, undefined, `${f.name}: data read back as no options`);
      assert.equal(hex(encode(msg)), hex(f.bytes), f.name);
    } else {
      // What was read is valid input, and turns back into the same attributes.
      kindOptions({ [plugin.optionKey!]: options }, 'link', plugin.kind);
      const bytes = withData(msg, await plugin.toAttrs!(options, offline));
      if (plugin.kind === 'vxlan') {
        // vxlan's attributes come out in rtnl's order, not the command line's: compare them as a set.
        assert.deepEqual(decode(bytes)[0]!.attrs.linkinfo.data, info.data, f.name);
        assert.equal(bytes.length, f.bytes.length, f.name);
      } else assert.equal(hex(bytes), hex(f.bytes), `${f.name}: ${JSON.stringify(options)}`);
    }
    seen.add(plugin.kind);
  }
  for (const kind of ['vlan', 'bond', 'vrf', 'dummy', 'ifb', 'bridge', 'vxlan', 'macvlan', 'ipvlan'])
    assert.ok(seen.has(kind), `no ${kind} request fixture was round-tripped`);
});

test('replies the kernel sent: options read back are valid input and a fixpoint of options -> attributes', async () => {
  let n = 0;
  for (const f of linkFixtures.filter((x) => x.name.endsWith('-reply.hex'))) {
    const { msg, info, plugin } = kindMessage(f)!;
    if (!plugin?.fromAttrs || plugin.createOnly || info.data === undefined) continue;
    const options = plugin.fromAttrs(info.data);
    assert.ok(options !== undefined, f.name);
    const { options: valid } = kindOptions({ [plugin.optionKey!]: options }, 'link', plugin.kind);
    assert.deepEqual(valid, options, `${f.name}: validation changed what was read`);
    const [again] = decode(withData(msg, await plugin.toAttrs!(options, offline)));
    assert.deepEqual(plugin.fromAttrs(again!.attrs.linkinfo.data), options, f.name);
    n++;
  }
  assert.ok(n >= 8, `only ${n} reply fixtures with kind options`);
});

test("one spelling per value: macvlan mode 'bridge', vlan protocol '802.1Q', bond mode 'active-backup'", () => {
  const read = (kind: string, data: Record<string, unknown>) => PLUGINS[kind]!.fromAttrs!(data);
  assert.deepEqual(read('macvlan', { mode: 'BRIDGE' }), { mode: 'bridge' });
  assert.deepEqual(read('macvtap', { mode: 'VEPA', flags: 0 }), { mode: 'vepa', nopromisc: false });
  assert.deepEqual(read('vlan', { id: 5, protocol: '8021Q' }), { id: 5, protocol: '802.1Q' });
  assert.deepEqual(read('vlan', { id: 5, protocol: '8021AD' }), { id: 5, protocol: '802.1ad' });
  assert.deepEqual(read('bridge', { vlanProtocol: '8021AD', mcastQueryIntvl: 12500n }), {
    vlanProtocol: '802.1ad',
    mcastQueryIntvl: 12500,
  });
  assert.deepEqual(read('bond', { mode: 'ACTIVEBACKUP', xmitHashPolicy: 'LAYER34' }), {
    mode: 'active-backup',
    xmitHashPolicy: 'layer3+4',
  });
  assert.deepEqual(read('vxlan', { id: 1, df: 'INHERIT', ttlInherit: 1, ttl: 0 }), {
    id: 1,
    df: 'inherit',
    ttl: 'inherit',
  });
});
