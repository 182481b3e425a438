/**
 * `npm run fuzz [-- COUNT [SEED]]`: the long decoder fuzz run (default 1,000,000 inputs).
 * Prints the figures docs/RELIABILITY.md quotes, and exits non-zero on any failure.
 */
import { fixtureCorpus, fuzz } from '../test/helpers/fuzz.js';

const count = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() & 0xffffffff);
const t0 = performance.now();
const report = fuzz(fixtureCorpus(), count, seed);
const secs = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify(
    {
      seed,
      inputs: report.inputs,
      decoded: report.decoded,
      rejected: report.rejected,
      failures: report.failures.length,
      slowestMs: +report.slowestMs.toFixed(2),
      slowestInput: report.slowestInput,
      slowestRetimedMs: +report.slowestRetimedMs.toFixed(3),
      slowestHex: report.slowestHex.length > 512 ? `${report.slowestHex.slice(0, 512)}...` : report.slowestHex,
      seconds: +secs.toFixed(1),
      byKind: report.byKind,
      byFamily: report.byFamily,
    },
    null,
    2,
  ),
);
for (const f of report.failures.slice(0, 5)) console.error(`FAILURE ${f.error}\n  input ${f.input}`);
process.exit(report.failures.length === 0 ? 0 : 1);
