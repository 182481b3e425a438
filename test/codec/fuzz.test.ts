// The seeded decoder fuzz run (20,000 inputs); `npm run fuzz` runs the 1,000,000-input version.
// Seeds: every fixture of every protocol (rtnetlink and generic netlink), each decoded with its
// own protocol's table, mutated (bit flips, bad lengths) and made valid-but-unusual (unknown
// attributes, duplicates, reversed order, flag bits, odd header fields, several messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messages } from '../../src/codec/index.js';
import { genlMessages } from '../../src/codec/genl/index.js';
import { decodeDrvinfo, decodeGstrings, decodeSsetInfo, decodeStats } from '../../src/codec/ethtool/ioctl.js';
import { DecodeError } from '../../src/errors.js';
import { fixtureCorpus, fuzz, rng, tableFamilies } from '../helpers/fuzz.js';

test('20,000 random, mutated and unusual inputs of every family: each decodes or raises DecodeError, in bounded time', () => {
  const corpus = fixtureCorpus();
  const report = fuzz(corpus, 20_000, 0x5eed);
  assert.deepEqual(report.failures.slice(0, 3), []);
  assert.equal(report.inputs, 20_000);
  assert.ok(report.decoded > 100 && report.rejected > 100, `decoded ${report.decoded}, rejected ${report.rejected}`);
  // A hang bound, not a speed test: an input that loops or explodes (nesting, repeats) takes seconds
  // or never ends; a slow moment of a loaded machine (GC, other processes) stays far below 2 s.
  assert.ok(report.slowestMs < 2_000, `slowest input took ${report.slowestMs} ms (${report.slowestInput})`);
  // Every message family the tables know was a seed, and was fuzzed.
  for (const family of [...tableFamilies(messages), ...tableFamilies(genlMessages), 'ethtool'])
    assert.ok((report.byFamily[family] ?? 0) > 10, `family ${family}: ${report.byFamily[family] ?? 0} inputs`);
  for (const k of ['unknown-attr', 'duplicated-attrs', 'reversed-attrs', 'flag-bits', 'empty-attr', 'several-messages'])
    assert.ok((report.byKind[`unusual/${k}`] ?? 0) > 100, `unusual/${k}: ${report.byKind[`unusual/${k}`] ?? 0}`);
});

test('ethtool ioctl replies: 20,000 random and cut buffers decode or raise DecodeError', () => {
  const r = rng(0x10c7);
  let ok = 0;
  let rejected = 0;
  const failures: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const b = new Uint8Array(Math.floor(r() * 1200));
    for (let j = 0; j < b.length; j++) b[j] = r() < 0.7 ? 0 : Math.floor(r() * 256);
    const count = Math.floor(r() * 40);
    const names = Array.from({ length: count }, (_, k) => (r() < 0.1 ? 'dup' : `c${k}`));
    try {
      switch (i % 4) {
        case 0:
          decodeDrvinfo(b);
          break;
        case 1:
          decodeSsetInfo(b, Math.floor(r() * 64));
          break;
        case 2:
          decodeGstrings(b, count);
          break;
        default:
          decodeStats(b, names, r() < 0.5);
      }
      ok++;
    } catch (err) {
      if (err instanceof DecodeError) rejected++;
      else failures.push(String(err));
    }
  }
  assert.deepEqual(failures.slice(0, 3), []);
  assert.ok(ok > 1000 && rejected > 1000, `decoded ${ok}, rejected ${rejected}`);
});
