// The seeded decoder fuzz run (20,000 inputs); `npm run fuzz` runs the 1,000,000-input version.
// Seeds: every fixture of every protocol (rtnetlink and generic netlink), each decoded with its
// own protocol's table, mutated (bit flips, bad lengths) and made valid-but-unusual (unknown
// attributes, duplicates, reversed order, flag bits, odd header fields, several messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messages } from '../../src/codec/index.js';
import { genlMessages } from '../../src/codec/genl/index.js';
import { fixtureCorpus, fuzz, tableFamilies } from '../helpers/fuzz.js';

test('20,000 random, mutated and unusual inputs of every family: each decodes or raises DecodeError, in bounded time', () => {
  const corpus = fixtureCorpus();
  const report = fuzz(corpus, 20_000, 0x5eed);
  assert.deepEqual(report.failures.slice(0, 3), []);
  assert.equal(report.inputs, 20_000);
  assert.ok(report.decoded > 100 && report.rejected > 100, `decoded ${report.decoded}, rejected ${report.rejected}`);
  assert.ok(report.slowestMs < 250, `slowest input took ${report.slowestMs} ms (${report.slowestInput})`);
  // Every message family the tables know was a seed, and was fuzzed.
  for (const family of [...tableFamilies(messages), ...tableFamilies(genlMessages)])
    assert.ok((report.byFamily[family] ?? 0) > 50, `family ${family}: ${report.byFamily[family] ?? 0} inputs`);
  for (const k of ['unknown-attr', 'duplicated-attrs', 'reversed-attrs', 'flag-bits', 'empty-attr', 'several-messages'])
    assert.ok((report.byKind[`unusual/${k}`] ?? 0) > 100, `unusual/${k}: ${report.byKind[`unusual/${k}`] ?? 0}`);
});
