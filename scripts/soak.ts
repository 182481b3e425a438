/**
 * `npm run soak [-- --minutes N] [--steps a,b | --skip a,b] [--samples FILE] [--smaps] [--trim]`:
 * churn what a busy host does for N minutes (default 60) inside
 * namespaces this run makes, with 8 monitors open, checking after every cycle that no namespace,
 * link, fd or thread leaked. Prints progress every minute and the figures docs/RELIABILITY.md
 * quotes at the end (Ctrl-C ends it early with the figures so far); exits non-zero on a leak. Needs
 * root. Run with --expose-gc for steady heap samples (the npm script does).
 *
 * To find which step makes memory grow: `--steps` runs only the named steps, `--skip` runs all
 * but the named ones; `--samples FILE` writes every sample (one per 10 cycles: RSS, heap, external,
 * ArrayBuffers, glibc's bytes in use and free, and with `--smaps`, resident memory by mapping
 * kind) as JSON lines; `--smaps` also lists the mappings that grew most. `--trim` (a diagnostic)
 * calls malloc_trim(0) before each sample, so RSS leaves out the free memory glibc keeps.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { STEPS, soak } from '../test/helpers/soak.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const minutes = Number(arg('minutes') ?? 60);
if (!(minutes > 0)) throw new Error('--minutes takes a positive number');
const names = (list: string | undefined) => {
  const picked = (list ?? '').split(',').filter(Boolean);
  for (const n of picked)
    if (!STEPS.some((s) => s.name === n)) throw new Error(`no step ${n}; the steps are ${STEPS.map((s) => s.name)}`);
  return picked;
};
const only = names(arg('steps'));
const skip = names(arg('skip'));
const steps = STEPS.filter((s) => (only.length === 0 || only.includes(s.name)) && !skip.includes(s.name));
const samplesFile = arg('samples');
if (samplesFile) writeFileSync(samplesFile, '');
const prefix = `rtnl-soak${process.pid}-`;
let lastPrint = 0;
// Ctrl-C or SIGTERM ends the churn: the report covers what was done, and the namespaces go.
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
const report = await soak({
  ms: minutes * 60_000,
  prefix,
  steps,
  smaps: process.argv.includes('--smaps'),
  trim: process.argv.includes('--trim'),
  signal: stop.signal,
  // Written as they come, not kept: the run must not grow the heap it measures.
  onSample: samplesFile ? (s) => appendFileSync(samplesFile, `${JSON.stringify(s)}\n`) : undefined,
  progress: (s, cycles, so) => {
    if (s.t - lastPrint < 60 && cycles > 1) return;
    lastPrint = s.t;
    console.log(
      `${new Date().toISOString()} t=${s.t.toFixed(0)}s cycles=${cycles} rss=${(s.rss / 2 ** 20).toFixed(1)}MiB ` +
        `heap=${(s.heap / 2 ** 20).toFixed(1)}/${(s.heapTotal / 2 ** 20).toFixed(1)}MiB ` +
        `malloc=${(s.malloc.inUse / 2 ** 20).toFixed(1)}+${(s.malloc.free / 2 ** 20).toFixed(1)}free MiB rssSlope=${so.rssSlopeMBh}MB/h deltas fd=${so.fdDelta} ` +
        `threads=${so.threadDelta} netns=${so.netnsDelta} links=${so.linkDelta} leaks=${so.leaks} load=${s.load.toFixed(1)}`,
    );
  },
});
console.log(JSON.stringify(report, null, 2));
const clean = report.leaks.length === 0 && report.fdDelta === 0 && report.threadDelta === 0 && report.netnsDelta === 0;
process.exitCode = clean ? 0 : 1;
