/**
 * `npm run soak [-- --minutes N]`: churn what a busy host does for N minutes (default 60) inside
 * namespaces this run makes, with 8 monitors open, checking after every cycle that no namespace,
 * link, fd or thread leaked. Prints progress every minute and the figures docs/RELIABILITY.md
 * quotes at the end (Ctrl-C ends it early with the figures so far); exits non-zero on a leak. Needs root. Run with --expose-gc for steady heap
 * samples (the npm script does).
 */
import { soak } from '../test/helpers/soak.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const minutes = Number(arg('minutes') ?? 60);
if (!(minutes > 0)) throw new Error('--minutes takes a positive number');
const prefix = `rtnl-soak${process.pid}-`;
let lastPrint = 0;
// Ctrl-C or SIGTERM ends the churn: the report covers what was done, and the namespaces go.
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
const report = await soak({
  ms: minutes * 60_000,
  prefix,
  signal: stop.signal,
  progress: (s, cycles, so) => {
    if (s.t - lastPrint < 60 && cycles > 1) return;
    lastPrint = s.t;
    console.log(
      `${new Date().toISOString()} t=${s.t.toFixed(0)}s cycles=${cycles} rss=${(s.rss / 2 ** 20).toFixed(1)}MiB ` +
        `heap=${(s.heap / 2 ** 20).toFixed(1)}MiB rssSlope=${so.rssSlopeMBh}MB/h deltas fd=${so.fdDelta} ` +
        `threads=${so.threadDelta} netns=${so.netnsDelta} links=${so.linkDelta} leaks=${so.leaks}`,
    );
  },
});
console.log(JSON.stringify(report, null, 2));
const clean = report.leaks.length === 0 && report.fdDelta === 0 && report.threadDelta === 0 && report.netnsDelta === 0;
process.exitCode = clean ? 0 : 1;
