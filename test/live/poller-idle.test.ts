// Live (root): nothing stays behind. The poller thread that waits for monitors and slow replies
// stops once nothing waits, and starts again on demand: a program that closed every client and
// monitor holds no rtnl thread or fd. Counted in a fresh process (/proc/self/task, /proc/self/fd),
// so no other test's state is in the figures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

const src = (p: string) => JSON.stringify(new URL(`../../src/${p}`, import.meta.url).href);

// Twice: open a client, run 8 monitors until each has seen an event, close everything; then wait
// up to 2 s for the thread and fd counts to return to what the process had before the first open.
const script = (ns: string) => `
  const { Rtnl } = await import(${src('index.ts')});
  const { poller } = await import(${src('ffi/poller.ts')});
  const { readdirSync } = await import('node:fs');
  const fds = () => readdirSync('/proc/self/fd').length;
  const threads = () => readdirSync('/proc/self/task').length;
  const before = { fds: fds(), threads: threads() };
  const rounds = [];
  for (let round = 0; round < 2; round++) {
    const nl = await Rtnl.open({ netns: ${JSON.stringify(ns)} });
    const ac = new AbortController();
    const seen = [];
    const loops = Array.from({ length: 8 }, (_, i) => (async () => {
      for await (const ev of nl.monitor('link', { signal: ac.signal, track: false })) {
        if (ev.type === 'link.new' && ev.object.name === 'pi' + round) { seen[i] = true; break; }
      }
    })());
    await new Promise((r) => setTimeout(r, 50));
    const running = poller.running;
    const busy = { fds: fds(), threads: threads() };
    await nl.links.add({ name: 'pi' + round, kind: 'bridge' });
    await Promise.all(loops);
    await nl.links.delete('pi' + round);
    ac.abort();
    await nl.close();
    const t0 = performance.now();
    while ((threads() !== before.threads || fds() !== before.fds) && performance.now() - t0 < 2000)
      await new Promise((r) => setTimeout(r, 10));
    rounds.push({ running, busy, seen: seen.filter(Boolean).length, after: { fds: fds(), threads: threads() },
      stoppedMs: Math.round(performance.now() - t0), stillRunning: poller.running });
  }
  console.log(JSON.stringify({ before, rounds }));`;

test('the poller thread stops when nothing waits and starts again on demand: no thread or fd left', {
  skip: needsRoot,
}, async (t) => {
  await withTestNetns(async (ns) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(ns)], {
      encoding: 'utf8',
      timeout: 20_000, // the process must also exit on its own: nothing may hold it
    });
    const { before, rounds } = JSON.parse(out.trim().split('\n').at(-1)!);
    for (const [i, r] of rounds.entries()) {
      assert.equal(r.running, true, `round ${i}: the poller started for the monitors`);
      assert.equal(r.seen, 8, `round ${i}: every monitor saw its event`);
      assert.ok(r.busy.threads > before.threads, `round ${i}: a thread while monitors wait`);
      assert.deepEqual(r.after, before, `round ${i}: threads and fds after closing everything`);
      assert.equal(r.stillRunning, false);
    }
    t.diagnostic(
      `poller: before ${before.threads} threads / ${before.fds} fds; with 8 monitors ` +
        `${rounds[0].busy.threads} / ${rounds[0].busy.fds}; after closing ${rounds[0].after.threads} / ` +
        `${rounds[0].after.fds} (${rounds[0].stoppedMs} ms), second round the same: ${rounds[1].after.threads} / ${rounds[1].after.fds}`,
    );
  });
});
