// The seeded decoder fuzz run (20,000 inputs); `npm run fuzz` runs the 1,000,000-input version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allFixtures } from '../helpers/fixtures.js';
import { fuzz } from '../helpers/fuzz.js';

test('20,000 random and mutated inputs: every one decodes or raises DecodeError, in bounded time', () => {
  const report = fuzz(
    allFixtures().map((f) => f.bytes),
    20_000,
    0x5eed,
  );
  assert.deepEqual(report.failures.slice(0, 3), []);
  assert.equal(report.inputs, 20_000);
  assert.ok(report.decoded > 100 && report.rejected > 100, `decoded ${report.decoded}, rejected ${report.rejected}`);
  assert.ok(report.slowestMs < 250, `slowest input took ${report.slowestMs} ms (${report.slowestInput})`);
});
