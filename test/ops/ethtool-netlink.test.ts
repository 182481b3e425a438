// nl.ethtool's netlink operations against the kernel's recorded answers to ethtool 6.1: each
// request we build must equal ethtool's own (fixtures/ethtool/*-request.hex), and each answer
// must read as ethtool printed it. No root: the transport replays the fixtures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constants as C } from '../../src/codec/index.js';
import { NetlinkError } from '../../src/errors.js';
import { Ethtool } from '../../src/ops/ethtool/index.js';
import { replayTransport, statsStrsets } from '../helpers/ethtool-replay.js';

/** An Ethtool over a replay transport (no client: these calls never reach the ioctl or links). */
function ethtoolWith(cases: Parameters<typeof replayTransport>[0]) {
  const nl = { engine: { isClosed: false } } as never; // a client context that is open
  const e = new Ethtool(nl);
  const t = replayTransport(cases);
  e.transport = t;
  return { e, t };
}

test('features: ethtool -k, byte for byte, and the states it printed', async () => {
  const { e, t } = ethtoolWith({
    [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features',
    [C.ETHTOOL_MSG_FEATURES_GET]: 'features-veth',
  });
  const f = await e.features('v0');
  assert.deepEqual(f['tx-checksum-ipv4'], { active: false, requested: false, fixed: true });
  assert.deepEqual(f['tx-checksum-ip-generic'], { active: true, requested: true, fixed: false });
  assert.deepEqual(f['rx-gro'], { active: false, requested: false, fixed: false });
  assert.equal(Object.keys(f)[0], 'tx-scatter-gather');
  assert.ok(!('' in f));
  // The string set is fetched once per client.
  await e.features('v0');
  assert.equal(t.log.filter((c) => c === C.ETHTOOL_MSG_STRSET_GET).length, 1);
});

test('features.set: legacy names expand as ethtool -K expands them; the reply says what changed', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features',
    [C.ETHTOOL_MSG_FEATURES_SET]: 'features-set-veth',
  });
  const r = await e.features.set('v0', { 'tx-checksumming': false, gro: false });
  assert.deepEqual(r.notApplied, {});
  assert.equal(r.changed['tx-checksum-ip-generic'], false);
  assert.equal(r.changed['rx-gro'], undefined); // gro was already off
  await assert.rejects(e.features.set('v0', { 'no-such-feature': true }), { code: 'ERR_RTNL_VALIDATION' });
});

test('features.set on a fixed feature: the kernel accepts the request and reports it not applied', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features',
    [C.ETHTOOL_MSG_FEATURES_SET]: 'features-set-fixed-lo',
  });
  const r = await e.features.set('lo', { 'rx-checksumming': false });
  assert.deepEqual(r, {
    changed: {},
    notApplied: { 'rx-checksum': false },
    diff: [{ name: 'rx-checksum', active: true, changed: false, requested: false, asked: true }],
  });
});

test('channels and channels.set: ethtool -l / -L', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_CHANNELS_GET]: 'channels-veth',
    [C.ETHTOOL_MSG_CHANNELS_SET]: 'channels-set-veth',
  });
  assert.deepEqual(await e.channels('v0'), { rxMax: 2, txMax: 2, rxCount: 2, txCount: 2 });
  await e.channels.set('v0', { rxCount: 2, txCount: 2 });
  await assert.rejects(e.channels.set('v0', { rx: 2 } as never), { code: 'ERR_RTNL_VALIDATION' });
});

test('too many channels: the kernel refusal is a NetlinkError with its extack text', async () => {
  const { e } = ethtoolWith({ [C.ETHTOOL_MSG_CHANNELS_SET]: 'channels-set-too-many' });
  const err = await e.channels.set('v0', { rxCount: 3 }).catch((x) => x);
  assert.ok(err instanceof NetlinkError);
  assert.equal(err.code, 'EINVAL');
  assert.equal(err.extack.msg, 'requested channel count exceeds maximum');
  // It names the command and the device, not only the family every ethtool call shares.
  assert.equal(err.request, 'ETHTOOL_MSG_CHANNELS_SET on v0');
  assert.match(
    err.message,
    /^ETHTOOL_MSG_CHANNELS_SET on v0 failed with EINVAL: requested channel count exceeds maximum/,
  );
});

test('coalesce and coalesce.set on tun: ethtool -c / -C rx-frames 8', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_COALESCE_GET]: 'coalesce-tun',
    [C.ETHTOOL_MSG_COALESCE_SET]: 'coalesce-set-tun',
  });
  assert.deepEqual(await e.coalesce('tun0'), { rxMaxFrames: 0 });
  await e.coalesce.set('tun0', { rxMaxFrames: 8 });
});

test('what virtual devices cannot do is a clean EOPNOTSUPP, and the set requests are ethtool-exact', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_RINGS_GET]: 'rings-veth-refused',
    [C.ETHTOOL_MSG_RINGS_SET]: 'rings-set-tun-refused',
    [C.ETHTOOL_MSG_PAUSE_GET]: 'pause-veth-refused',
    [C.ETHTOOL_MSG_PAUSE_SET]: 'pause-set-veth-refused',
    [C.ETHTOOL_MSG_EEE_GET]: 'eee-veth-refused',
    [C.ETHTOOL_MSG_FEC_GET]: 'fec-veth-refused',
    [C.ETHTOOL_MSG_PRIVFLAGS_GET]: 'privflags-veth-refused',
    [C.ETHTOOL_MSG_COALESCE_GET]: 'coalesce-veth-refused',
  });
  for (const p of [
    e.rings('v0'),
    e.rings.set('tun0', { rx: 256 }),
    e.pause('v0'),
    e.pause.set('v0', { rx: true }),
    e.eee('v0'),
    e.fec('v0'),
    e.privateFlags('v0'),
    e.coalesce('v0'),
  ])
    await assert.rejects(p, (err: unknown) => err instanceof NetlinkError && err.code === 'EOPNOTSUPP');
});

test('tsinfo and link settings: ethtool -T, ethtool DEV', async () => {
  const { e } = ethtoolWith({
    [C.ETHTOOL_MSG_TSINFO_GET]: 'tsinfo-veth',
    [C.ETHTOOL_MSG_LINKINFO_GET]: 'linkinfo-veth',
    [C.ETHTOOL_MSG_LINKMODES_GET]: 'linkmodes-veth',
    [C.ETHTOOL_MSG_LINKSTATE_GET]: 'linkstate-veth',
    [C.ETHTOOL_MSG_DEBUG_GET]: 'debug-veth',
    [C.ETHTOOL_MSG_WOL_GET]: 'wol-veth',
  });
  assert.deepEqual(await e.tsinfo('v0'), {
    timestamping: ['software-transmit', 'software-receive', 'software-system-clock'],
    txTypes: [],
    rxFilters: [],
  });
  const l = await e.link('v0');
  assert.deepEqual([l.speed, l.duplex, l.autoneg, l.link, l.supported.length], [10000, 'full', false, false, 0]);
  assert.deepEqual(l.reported, ['info', 'modes', 'state']); // veth refuses debug and wol
});

test('link.set: ethtool -s tun0 speed 1000 duplex full autoneg off, byte for byte; veth refuses', async () => {
  const { e } = ethtoolWith({ [C.ETHTOOL_MSG_LINKMODES_SET]: 'linkmodes-set-tun' });
  await e.link.set('tun0', { speed: 1000, duplex: 'full', autoneg: false });
  const r = ethtoolWith({ [C.ETHTOOL_MSG_LINKMODES_SET]: 'linkmodes-set-veth-refused' });
  await assert.rejects(r.e.link.set('v0', { speed: 1000, duplex: 'full', autoneg: false }), { code: 'EOPNOTSUPP' });
  await assert.rejects(e.link.set('tun0', { duplex: 'sideways' as never }), { code: 'ERR_RTNL_VALIDATION' });
});

test('statistics groups: the kernel names the groups and their counters; none has counters on a veth', async () => {
  const { e, t } = ethtoolWith({
    [C.ETHTOOL_MSG_STATS_GET]: { case: 'stats-groups-veth', compare: false }, // ethtool asks in compact form
    [C.ETHTOOL_MSG_STRSET_GET]: statsStrsets,
  });
  const g = await e.statsGroups('v0');
  assert.deepEqual(
    g.map((x) => [x.group, Object.keys(x.counters).length]),
    [
      ['eth-phy', 0],
      ['eth-mac', 0],
      ['eth-ctrl', 0],
      ['rmon', 0],
      ['phydev', 0],
    ],
  );
  assert.ok(t.log.filter((c) => c === C.ETHTOOL_MSG_STRSET_GET).length >= 5);
  await assert.rejects(e.statsGroups('v0', ['nope']), { code: 'ERR_RTNL_VALIDATION' });
});

test('a device is a name or an index; anything else is a ValidationError before a request', async () => {
  const { e, t } = ethtoolWith({});
  for (const bad of ['', 'has space', 'a/b', 'x'.repeat(16), 0, -1, 1.5])
    await assert.rejects(e.channels(bad as never), { code: 'ERR_RTNL_VALIDATION' });
  assert.deepEqual(t.log, []);
});
