// `rtnl ethtool`: argument parsing (pure), and output that must equal what ethtool 6.1 printed
// from the very datagrams the fixtures hold (fixtures/ethtool/*.txt, *.json). No root.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultGlobals, UsageError } from '../../src/cli/args.js';
import { parseEthtool, runEthtool } from '../../src/cli/ethtool.js';
import { formatFeaturesSet, jsonw } from '../../src/cli/ethtool-format.js';
import { constants as C } from '../../src/codec/index.js';
import { Ethtool } from '../../src/ops/ethtool/index.js';
import { replayTransport, statsStrsets } from '../helpers/ethtool-replay.js';
import { FIXTURES } from '../helpers/fixtures.js';

const g = defaultGlobals();
const printed = (name: string) => readFileSync(join(FIXTURES, 'ethtool', name), 'utf8').replace(/\n$/, '');

/** Run `rtnl ethtool WORDS` against replayed fixtures; returns what it printed. */
async function run(words: string[], cases: Parameters<typeof replayTransport>[0]): Promise<string> {
  const e = new Ethtool({ engine: { isClosed: false } } as never); // an open client context
  e.transport = replayTransport(cases);
  const out: string[] = [];
  await runEthtool(e, parseEthtool(words, g), (s) => out.push(s));
  return out.join('\n');
}

test('parse: options, long forms, --json, and set arguments by ethtool name', () => {
  assert.deepEqual(parseEthtool(['-i', 'eth0'], g), { op: 'ethtool.driver', args: ['eth0', false] });
  assert.deepEqual(parseEthtool(['--statistics', 'eth0'], g), { op: 'ethtool.stats', args: ['eth0', false] });
  assert.deepEqual(parseEthtool(['--json', '-k', 'eth0'], g), { op: 'ethtool.features', args: ['eth0', true] });
  assert.deepEqual(parseEthtool(['-K', 'eth0', 'tx-checksumming', 'off', 'gro', 'on'], g).args, [
    'eth0',
    false,
    { 'tx-checksumming': false, gro: true },
  ]);
  assert.deepEqual(parseEthtool(['-G', 'eth0', 'rx', '512', 'tx-push', 'on'], g).args[2], { rx: 512, txPush: true });
  assert.deepEqual(parseEthtool(['-L', 'eth0', 'combined', '4'], g).args[2], { combinedCount: 4 });
  assert.deepEqual(parseEthtool(['-C', 'eth0', 'adaptive-rx', 'off', 'rx-frames', '8'], g).args[2], {
    useAdaptiveRx: false,
    rxMaxFrames: 8,
  });
  assert.deepEqual(parseEthtool(['-A', 'eth0', 'autoneg', 'off', 'rx', 'on'], g).args[2], { autoneg: false, rx: true });
  assert.deepEqual(parseEthtool(['-s', 'tun0', 'speed', '1000', 'duplex', 'full', 'autoneg', 'off'], g), {
    op: 'ethtool.link.set',
    args: ['tun0', false, { speed: 1000, duplex: 'full', autoneg: false }],
  });
  assert.deepEqual(parseEthtool(['eth0'], g), { op: 'ethtool.link', args: ['eth0', false] });
  assert.equal(parseEthtool(['help'], g).op, 'help');
  for (const bad of [
    ['-k'],
    ['-x', 'eth0'],
    ['-k', 'eth0', 'extra'],
    ['-K', 'eth0'],
    ['-K', 'eth0', 'gro', 'maybe'],
    ['-G', 'eth0', 'rx'],
    ['-G', 'eth0', 'rx', 'many'],
    ['-L', 'eth0', 'rx', '1', 'rx', '2'],
    ['-C', 'eth0', 'nonsense', '1'],
    ['--json', '-i', 'eth0'],
    ['-s', 'eth0', 'duplex', 'sideways'],
    ['-s', 'eth0'],
    ['eth0', 'extra'],
    ['--json', 'eth0'],
    ['--json', '-l', 'eth0'],
    ['--json', '-S', 'eth0'],
  ])
    assert.throws(() => parseEthtool(bad, g), UsageError, bad.join(' '));
});

test('-k prints what ethtool -k printed: veth, lo, bridge, tun, tap', async () => {
  for (const [dev, fx] of [
    ['v0', 'features-veth'],
    ['lo', 'features-lo'],
    ['br0', 'features-bridge'],
    ['tun0', 'features-tun'],
    ['tap0', 'features-tap'],
  ] as const) {
    const got = await run(['-k', dev], {
      [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features',
      [C.ETHTOOL_MSG_FEATURES_GET]: fx,
    });
    assert.equal(got, printed(`${fx}.txt`), dev);
  }
});

test('--json -k prints what ethtool --json -k printed, layout included', async () => {
  const got = await run(['--json', '-k', 'lo'], {
    [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features-json',
    [C.ETHTOOL_MSG_FEATURES_GET]: 'features-lo-json',
  });
  assert.equal(got, printed('features-lo.json'));
  assert.deepEqual(JSON.parse(got), JSON.parse(printed('features-lo.json')));
});

test('-l, -c, -T print what ethtool printed', async () => {
  assert.equal(
    await run(['-l', 'v0'], { [C.ETHTOOL_MSG_CHANNELS_GET]: 'channels-veth' }),
    printed('channels-veth.txt'),
  );
  assert.equal(
    await run(['-l', 'tun0'], { [C.ETHTOOL_MSG_CHANNELS_GET]: 'channels-tun' }),
    printed('channels-tun.txt'),
  );
  // ethtool's -c output ends with an empty line, as ours does.
  assert.equal(
    await run(['-c', 'tun0'], { [C.ETHTOOL_MSG_COALESCE_GET]: 'coalesce-tun' }),
    printed('coalesce-tun.txt'),
  );
  assert.equal(await run(['-T', 'v0'], { [C.ETHTOOL_MSG_TSINFO_GET]: 'tsinfo-veth' }), printed('tsinfo-veth.txt'));
  assert.equal(await run(['-T', 'lo'], { [C.ETHTOOL_MSG_TSINFO_GET]: 'tsinfo-lo' }), printed('tsinfo-lo.txt'));
});

test('-S --all-groups (text and --json) prints what ethtool printed', async () => {
  const cases = {
    [C.ETHTOOL_MSG_STATS_GET]: { case: 'stats-groups-veth', compare: false },
    [C.ETHTOOL_MSG_STRSET_GET]: statsStrsets,
  };
  assert.equal(await run(['-S', 'v0', '--all-groups'], cases), printed('stats-groups-veth.txt'));
  assert.equal(await run(['--json', '-S', 'v0', '--all-groups'], cases), printed('stats-groups-veth.json'));
  assert.deepEqual(parseEthtool(['-S', 'eth0', '--groups', 'eth-mac', 'rmon'], g).args[2], {
    groups: ['eth-mac', 'rmon'],
  });
});

test('-K: "Actual changes" as ethtool lists them; nothing changed is an error', async () => {
  const out = await run(['-K', 'lo', 'rx-checksumming', 'off'], {
    [C.ETHTOOL_MSG_STRSET_GET]: 'strset-features',
    [C.ETHTOOL_MSG_FEATURES_SET]: 'features-set-fixed-lo',
  }).catch((e) => e);
  assert.ok(out instanceof UsageError);
  assert.equal(out.message, 'Could not change any device features');
  const r = formatFeaturesSet({
    changed: { 'tx-checksum-ip-generic': false, 'tx-tcp-segmentation': false },
    notApplied: {},
    diff: [
      { name: 'tx-checksum-ip-generic', active: false, changed: true, asked: true },
      { name: 'tx-tcp-segmentation', active: false, changed: true, asked: false },
    ],
  });
  assert.equal(r.text, 'Actual changes:\ntx-checksum-ip-generic: off\ntx-tcp-segmentation: off [not requested]');
  assert.equal(r.nothingChanged, false);
});

test('the JSON writer lays out as iproute2/ethtool: [ { ... } ], 4-space indents, null', () => {
  assert.equal(
    jsonw([{ ifname: 'x', a: { b: true, c: null } }]),
    '[ {\n        "ifname": "x",\n        "a": {\n            "b": true,\n            "c": null\n        }\n    } ]',
  );
  assert.equal(
    jsonw([{ ifname: 'x', config: ['Auto', 'RS'], active: [] }]).includes('"config": [ "Auto","RS" ]'),
    true,
  );
});
