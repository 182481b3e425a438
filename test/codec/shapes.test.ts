// Shapes the 6.18 kernel sends that need more than a table row: bridge ids, devconf arrays and
// IPv6 counters, RTM_NEWPREFIX, an ACK as kernels before NLM_F_CAPPED sent it, and bare
// attribute chains. Every case decodes real captured bytes (fixtures/) and re-encodes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  afSpecAttrs,
  constants as C,
  decode,
  decodeAttrs,
  encode,
  encodeAttrs,
  DecodeError,
  type NetlinkMessage,
} from '../../src/codec/index.js';
import { loadFixture, loadHex } from '../helpers/fixtures.js';
import { assertEveryTruncationThrows, assertRoundTrip } from '../helpers/round-trip.js';

const first = (name: string) => decode(loadHex(name))[0] as NetlinkMessage & { attrs: any; body: any };

test('bridge ids are { priority, address } with the priority a number', () => {
  const br = first('link/bridge-stp-reply.hex');
  const data = br.attrs.linkinfo.data;
  assert.deepEqual(data.bridgeId, { priority: data.priority, address: data.bridgeId.address });
  assert.equal(data.bridgeId.priority, 32768);
  assert.match(data.rootId.address, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  const port = first('link/bridge-port-reply.hex').attrs.linkinfo.slaveData;
  assert.equal(port.rootId.priority, 32768);
  assert.equal(port.bridgeId.priority, 32768);
  for (const f of ['link/bridge-stp-reply.hex', 'link/bridge-port-reply.hex']) assertRoundTrip(loadHex(f));
});

test('IFLA_INET_CONF and IFLA_INET6_CONF are objects keyed by devconf name', () => {
  const { inet, inet6 } = first('link/lo-reply.hex').attrs.afSpec;
  // Values as `sysctl net.ipv4.conf.lo` / `net.ipv6.conf.lo` show them in a fresh namespace.
  assert.equal(inet.conf.forwarding, 0);
  assert.equal(inet.conf.acceptRedirects, 1);
  assert.equal(inet.conf.igmpv2UnsolicitedReportInterval, 10000);
  assert.equal(Object.keys(inet.conf).length, C.IPV4_DEVCONF_MAX, 'one value per IPV4_DEVCONF_*');
  assert.equal(inet6.conf.hoplimit, 64);
  assert.equal(inet6.conf.mtu6, 65536);
  assert.equal(inet6.conf.useTempaddr, -1, 'devconf values are signed');
  assert.equal(inet6.conf.disableIpv6, 0);
  // DEVCONF_* newer than every header at hand (6.18 sends 60) stay keyed by their number.
  const unnamed = Object.keys(inet6.conf).filter((k) => /^\d+$/.test(k));
  assert.ok(
    unnamed.every((k) => Number(k) >= C.DEVCONF_MAX),
    `unnamed: ${unnamed}`,
  );
  assertRoundTrip(loadHex('link/lo-reply.hex'));
});

test('IFLA_INET6_STATS and IFLA_INET6_ICMP6STATS are named u64 counters; num counts them', () => {
  const { stats, icmp6stats } = first('link/lo-reply.hex').attrs.afSpec.inet6;
  assert.equal(stats.num, BigInt(Object.keys(stats).length));
  assert.equal(typeof stats.inpkts, 'bigint');
  assert.ok('reasmOverlaps' in stats && 'outforwdatagrams' in stats);
  assert.equal(icmp6stats.num, BigInt(Object.keys(icmp6stats).length));
  assert.deepEqual(Object.keys(icmp6stats), [
    'num',
    'inmsgs',
    'inerrors',
    'outmsgs',
    'outerrors',
    'csumerrors',
    'ratelimithost',
  ]);
});

test('devconf and counter objects encode back, and refuse unknown names', () => {
  const m = first('link/lo-reply.hex');
  const again = decode(encode(m))[0] as typeof m;
  assert.deepEqual(again.attrs.afSpec, m.attrs.afSpec);
  const bad = structuredClone(m);
  bad.attrs.afSpec.inet.conf.nosuch = 1;
  assert.throws(() => encode(bad), /unknown IPV4_DEVCONF_\* name 'nosuch'/);
  bad.attrs.afSpec.inet.conf = { forwarding: 2 ** 31 };
  assert.throws(() => encode(bad), /expected an s32/);
});

test('RTM_NEWPREFIX: prefixmsg and PREFIX_* of a router advertisement', () => {
  const f = loadFixture('prefix/ra-prefix-reply.hex');
  const [m] = decode(f.bytes) as Array<NetlinkMessage & { attrs: any; body: any }>;
  assert.equal(m!.type, 'RTM_NEWPREFIX');
  assert.deepEqual(m!.body, {
    family: C.AF_INET6,
    pad1: 0,
    pad2: 0,
    ifindex: 3,
    type: 3,
    len: 64,
    flags: 0xc0,
    pad3: 0,
  });
  assert.deepEqual(m!.attrs, { address: '2001:db8:5::', cacheinfo: { preferredTime: 14400, validTime: 86400 } });
  assertRoundTrip(f.bytes);
  assertEveryTruncationThrows(f.bytes);
});

test('an ACK from a kernel before NLM_F_CAPPED: the echoed header claims the whole request', () => {
  // The real ACK of this kernel, with NLM_F_CAPPED cleared: exactly what older kernels sent.
  const bytes = loadHex('error/ack-reply.hex').slice();
  const view = new DataView(bytes.buffer);
  assert.ok(view.getUint16(6, true) & C.NLM_F_CAPPED, 'the capture is a capped ACK');
  view.setUint16(6, view.getUint16(6, true) & ~C.NLM_F_CAPPED, true);
  const [m] = decode(bytes) as any[];
  assert.equal(m.type, 'NLMSG_ERROR');
  assert.equal(m.body.error, 0);
  assert.equal(m.body.request.len, 84, 'the length of the request, not of what was echoed');
  assert.equal(m.body.request.type, C.RTM_NEWLINK);
  assert.equal(m.body.request.payload, undefined);
  assertRoundTrip(bytes);
  // With more than the header but less than it claims, the echo is still malformed.
  const longer = new Uint8Array(bytes.length + 4);
  longer.set(bytes);
  new DataView(longer.buffer).setUint32(0, longer.length, true);
  assert.throws(() => decode(longer), DecodeError);
});

/** The payload of the first attribute of `type` after a message's fixed header. */
function payloadOf(bytes: Uint8Array, hlen: number, type: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 16 + hlen; at + 4 <= view.getUint32(0, true); ) {
    const len = view.getUint16(at, true);
    if ((view.getUint16(at + 2, true) & 0x3fff) === type) return bytes.slice(at + 4, at + len);
    at += (len + 3) & ~3;
  }
  throw new Error(`no attribute ${type}`);
}

test('decodeAttrs decodes a bare chain (an IFLA_AF_SPEC payload) as decode does', () => {
  const bytes = loadHex('link/lo-reply.hex');
  const chain = payloadOf(bytes, 16, C.IFLA_AF_SPEC);
  const attrs = decodeAttrs(afSpecAttrs, chain);
  assert.deepEqual(attrs, first('link/lo-reply.hex').attrs.afSpec);
  assert.deepEqual(encodeAttrs(afSpecAttrs, attrs), chain);
  chain.fill(0xee);
  assert.notEqual(attrs.inet6?.conf, undefined, 'nothing returned is a view of the input');
});

test('decodeAttrs raises DecodeError, with the offset, for every cut inside an attribute', () => {
  const chain = payloadOf(loadHex('link/lo-reply.hex'), 16, C.IFLA_AF_SPEC);
  const view = new DataView(chain.buffer);
  const ends = new Set<number>([0]);
  for (let at = 0; at < chain.length; at += (view.getUint16(at, true) + 3) & ~3) ends.add(at);
  let cuts = 0;
  for (let n = 1; n < chain.length; n++) {
    if (ends.has(n)) continue;
    assert.throws(
      () => decodeAttrs(afSpecAttrs, chain.subarray(0, n)),
      (e: unknown) => e instanceof DecodeError && e.offset >= 0 && e.offset <= n,
      `cut at ${n}`,
    );
    cuts++;
  }
  assert.ok(cuts > 100);
  assert.throws(() => decodeAttrs(afSpecAttrs, 'nope' as unknown as Uint8Array), DecodeError);
});

test('RTM_NEWNEIGHTBL: ndtmsg, NDTA_* and NDTPA_* agree with ip -j ntable show', () => {
  const f = loadFixture('neightbl/dump-reply.hex');
  const msgs = decode(f.bytes).filter((m) => m.type === 'RTM_NEWNEIGHTBL') as any[];
  const ip = f.json as any[];
  assert.equal(msgs.length, ip.length);
  for (const [i, m] of msgs.entries()) {
    const j = ip[i];
    const p = m.attrs.parms;
    assert.equal(m.attrs.name, j.name);
    assert.equal(m.body.family, j.family === 'inet' ? C.AF_INET : C.AF_INET6);
    assert.equal(m.attrs.thresh1, j.thresh1);
    if (j.gc_interval !== undefined) assert.equal(m.attrs.gcInterval, BigInt(j.gc_interval));
    assert.equal(p.refcnt, j.refcnt);
    assert.equal(p.reachableTime, BigInt(j.reachable));
    assert.equal(p.baseReachableTime, BigInt(j.base_reachable));
    assert.equal(p.gcStaletime, BigInt(j.gc_stale));
    assert.equal(p.ucastProbes, j.ucast_probes);
    assert.equal(p.proxyQlen, j.proxy_queue);
    assert.equal(p.locktime, BigInt(j.locktime));
    assert.equal(j.dev === undefined, p.ifindex === undefined, 'per-device messages carry NDTPA_IFINDEX');
    if (j.dev === undefined) {
      assert.equal(typeof m.attrs.config.entries, 'number');
      assert.equal(typeof m.attrs.stats.lookups, 'bigint');
    }
    assert.equal(m.attrs.$unknown, undefined);
    assert.equal(p.$unknown, undefined);
  }
  assertRoundTrip(f.bytes);
  assertEveryTruncationThrows(f.bytes);
  assertRoundTrip(loadHex('neightbl/dump-request.hex'));
});

test('RTM_NEWSTATS: if_stats_msg and IFLA_STATS_*; RTM_GETSTATS decodes as a request', () => {
  const [req] = decode(loadHex('stats/lo-request.hex')) as any[];
  assert.equal(req.type, 'RTM_GETSTATS');
  assert.equal(req.body.filterMask, 31, 'every group: IFLA_STATS_FILTER_BIT(1..5)');
  const [m] = decode(loadHex('stats/lo-reply.hex')) as any[];
  assert.equal(m.type, 'RTM_NEWSTATS');
  assert.equal(m.body.ifindex, 1);
  assert.equal(m.attrs.link64.rxPackets, 0n);
  assert.deepEqual(m.attrs.linkOffloadXstats.hwSInfo, { l3Stats: { request: 0, used: 0 } });
  assert.deepEqual(m.attrs.afSpec, {});
  assert.equal(m.attrs.$unknown, undefined);
  // A bridge's and a port's own counters (IFLA_STATS_LINK_XSTATS / _SLAVE, LINK_XSTATS_TYPE_BRIDGE).
  const [br] = decode(loadHex('stats/bridge-reply.hex')) as any[];
  assert.equal(typeof br.attrs.linkXstats.bridge.mcast.igmpV2queriesRx, 'bigint');
  const [port] = decode(loadHex('stats/bridge-port-reply.hex')) as any[];
  assert.equal(typeof port.attrs.linkXstatsSlave.bridge.stp.rxBpdu, 'bigint');
  for (const m of [br, port])
    assert.equal(
      JSON.stringify(m, (k, v) => (k === '$unknown' ? 'UNKNOWN' : typeof v === 'bigint' ? 0 : v)).includes('UNKNOWN'),
      false,
    );
  for (const f of [
    'stats/lo-request.hex',
    'stats/lo-reply.hex',
    'stats/bridge-reply.hex',
    'stats/bridge-port-reply.hex',
  ]) {
    assertRoundTrip(loadHex(f));
    assertEveryTruncationThrows(loadHex(f));
  }
});

test('IFLA_VFINFO_LIST: one typed IFLA_VF_INFO per VF survives encode and decode', () => {
  // No SR-IOV device here, so no capture: what rtnl_fill_vfinfo would send, built from values.
  const mac = new Uint8Array(32);
  mac.set([2, 0, 0, 0, 0, 7]);
  const vf = (n: number) => ({
    mac: { vf: n, mac },
    vlan: { vf: n, vlan: 100 + n, qos: 0 },
    rate: { vf: n, minTxRate: 0, maxTxRate: 1000 },
    spoofchk: { vf: n, setting: 1 },
    linkState: { vf: n, linkState: C.IFLA_VF_LINK_STATE_AUTO },
    trust: { vf: n, setting: 0 },
    // Zero padding is not decoded (see struct.ts); the encoder writes zeros where it is absent.
    ibNodeGuid: { vf: n, guid: 0x0123456789abcdefn },
    stats: { rxPackets: 1n, txPackets: 2n, rxDropped: 0n },
    vlanList: { info: [{ vf: n, vlan: 100 + n, qos: 0, vlanProto: 0x8100 }] },
  });
  const msg = {
    type: 'RTM_NEWLINK',
    header: { len: 0, type: C.RTM_NEWLINK, flags: 0, seq: 1, pid: 0 },
    body: { family: 0, pad: 0, type: 1, index: 5, flags: 0, change: 0 },
    attrs: { ifname: 'pf0', numVf: 2, vfinfoList: { info: [vf(0), vf(1)] } },
  };
  const bytes = encode(msg as NetlinkMessage);
  const [back] = decode(bytes) as any[];
  assert.deepEqual(back.attrs.vfinfoList, msg.attrs.vfinfoList);
  assertRoundTrip(bytes);

  // Padding that is not zero is kept, so no byte of a message is lost.
  const odd = structuredClone(msg);
  (odd.attrs.vfinfoList.info[1]!.ibNodeGuid as Record<string, unknown>).pad = new Uint8Array([1, 2, 3, 4]);
  const oddBytes = encode(odd as NetlinkMessage);
  const [oddBack] = decode(oddBytes) as any[];
  assert.deepEqual(oddBack.attrs.vfinfoList.info[1].ibNodeGuid.pad, new Uint8Array([1, 2, 3, 4]));
  assert.equal('pad' in oddBack.attrs.vfinfoList.info[0].ibNodeGuid, false, 'zero padding is left out');
  assertRoundTrip(oddBytes);
});

test('IFLA_PROTINFO of an AF_INET6 link message holds IFLA_INET6_*', () => {
  const f = loadFixture('link/inet6-protinfo-reply.hex');
  const msgs = decode(f.bytes).filter((m) => m.type === 'RTM_NEWLINK') as any[];
  assert.ok(msgs.length > 0);
  for (const m of msgs) {
    assert.equal(m.body.family, C.AF_INET6);
    const p = m.attrs.protinfo;
    assert.equal(typeof p.flags, 'number');
    assert.equal(p.conf.hoplimit, 64);
    assert.equal(typeof p.stats.inpkts, 'bigint');
    assert.equal(p.icmp6stats.num, 7n);
    assert.equal(typeof p.cacheinfo.reachableTime, 'number');
    assert.equal(p.$unknown, undefined);
  }
  assertRoundTrip(f.bytes);
  assertEveryTruncationThrows(f.bytes);
});
