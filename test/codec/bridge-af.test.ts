// AF_BRIDGE link messages: ifi_family selects what IFLA_AF_SPEC (IFLA_BRIDGE_*) and IFLA_PROTINFO
// (IFLA_BRPORT_*) hold. Requests are iproute2's `bridge vlan add` / `bridge link set` (this kernel
// refuses the VLAN ones: no VLAN filtering); notifications and dumps are the kernel's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import { decode, encode } from '../../src/codec/index.js';
import { loadFixture } from '../helpers/fixtures.js';
import { assertRoundTrip } from '../helpers/round-trip.js';

test('bridge vlan add: IFLA_AF_SPEC holds IFLA_BRIDGE_VLAN_INFO, not AF_INET (was DecodeError afSpec.inet)', () => {
  const f = loadFixture('link/bridge-vlan-add-request.hex');
  const [m] = decode(f.bytes);
  assert.equal(m!.type, 'RTM_SETLINK');
  assert.equal(m!.body.family, C.AF_BRIDGE);
  assert.deepEqual(m!.attrs.afSpec, {
    vlanInfo: [{ flags: C.BRIDGE_VLAN_INFO_PVID | C.BRIDGE_VLAN_INFO_UNTAGGED, vid: 10 }],
  });
  assertRoundTrip(f.bytes);
  const refused = decode(loadFixture('error/bridge-vlan-add-reply.hex').bytes)[0]!;
  assert.equal(refused.body.error, -95); // EOPNOTSUPP: no VLAN filtering in this kernel
});

test('a VLAN range is a RANGE_BEGIN and a RANGE_END entry, in order', () => {
  const f = loadFixture('link/bridge-vlan-range-add-request.hex');
  const [m] = decode(f.bytes);
  assert.deepEqual(m!.attrs.afSpec.vlanInfo, [
    { flags: C.BRIDGE_VLAN_INFO_UNTAGGED | C.BRIDGE_VLAN_INFO_RANGE_BEGIN, vid: 100 },
    { flags: C.BRIDGE_VLAN_INFO_UNTAGGED | C.BRIDGE_VLAN_INFO_RANGE_END, vid: 102 },
  ]);
  assertRoundTrip(f.bytes);
});

test('an AF_BRIDGE RTM_NEWLINK with VLAN entries decodes, and encodes as built', () => {
  // What a VLAN-filtering bridge sends every link monitor (this kernel cannot): built from the
  // captured request's attributes, as an RTM_NEWLINK notification.
  const [req] = decode(loadFixture('link/bridge-vlan-range-add-request.hex').bytes);
  const bytes = encode({ type: 'RTM_NEWLINK', header: { seq: 0 } as any, body: req!.body, attrs: req!.attrs });
  const [m] = decode(bytes);
  assert.equal(m!.type, 'RTM_NEWLINK');
  assert.deepEqual(m!.attrs.afSpec, req!.attrs.afSpec);
  assertRoundTrip(bytes);
});

test('bridge link set: IFLA_PROTINFO holds IFLA_BRPORT_*', () => {
  const f = loadFixture('link/bridge-port-set-request.hex');
  const [m] = decode(f.bytes);
  assert.deepEqual({ ...m!.attrs.protinfo }, { guard: 1, cost: 10 });
  assertRoundTrip(f.bytes);
});

test('bridge -d link show: port state from IFLA_PROTINFO agrees with bridge -j', () => {
  const f = loadFixture('link/bridge-af-dump-reply.hex');
  const links = decode(f.bytes).filter((m) => m.type === 'RTM_NEWLINK');
  const json = f.json as any[];
  assert.equal(links.length, json.length);
  links.forEach((m, i) => {
    const p = m.attrs.protinfo;
    assert.equal(m.body.family, C.AF_BRIDGE);
    assert.equal(m.attrs.ifname, json[i].ifname);
    assert.equal(String(p.state).toLowerCase(), json[i].state);
    assert.equal(p.priority, json[i].priority);
    assert.equal(p.cost, json[i].cost);
    assert.equal(p.guard === 1, json[i].guard);
    assert.equal(p.learning === 1, json[i].learning);
  });
});

test('link notifications while enslaving: AF_BRIDGE ones get IFLA_BRPORT_*, AF_UNSPEC ones AF_INET/AF_INET6', () => {
  const f = loadFixture('link/bridge-enslave-notify.hex');
  const msgs = decode(f.bytes);
  const bridge = msgs.filter((m) => m.body.family === C.AF_BRIDGE);
  const unspec = msgs.filter((m) => m.body.family === C.AF_UNSPEC);
  assert.ok(bridge.length >= 2 && unspec.length >= 2);
  assert.ok(
    bridge.some((m) => m.type === 'RTM_DELLINK'),
    'the port leaving the bridge',
  );
  for (const m of bridge) if (m.type === 'RTM_NEWLINK') assert.equal(typeof m.attrs.protinfo.cost, 'number');
  for (const m of unspec) assert.equal(typeof m.attrs.afSpec.inet6.flags, 'number');
  assertRoundTrip(f.bytes);
});
