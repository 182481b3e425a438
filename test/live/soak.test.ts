// Live (root): the one-minute soak. The same churn and checks as `npm run soak` (60 minutes for
// the figures in docs/RELIABILITY.md): taps, veths moved into namespaces, namespaces, addresses,
// routes, nexthops, tc (htb, u32, mirred), an ethtool statistics poller and generic netlink, with 8 monitors open; after every
// cycle no namespace, link, fd or thread may have leaked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { needsRoot, runNsPrefix } from '../helpers/netns.js';
import { soak } from '../helpers/soak.js';

// Heap samples after a full GC (node --test does not pass --expose-gc).
setFlagsFromString('--expose-gc');
(globalThis as { gc?: () => void }).gc ??= runInNewContext('gc') as () => void;

test('soak, one minute: no namespace, link, fd or thread leaks after any cycle', { skip: needsRoot }, async (t) => {
  const r = await soak({ ms: Number(process.env.RTNL_SOAK_MS ?? 60_000), prefix: `${runNsPrefix}soak-` });
  t.diagnostic(
    `soak: ${r.cycles} cycles of ${r.steps.join(', ')} in ${r.seconds} s, ${r.events} monitor events ` +
      `(${r.undecodable} undecodable); RSS ${r.rssStartMiB} -> ${r.rssEndMiB} MiB, heap ${r.heapStartMiB} -> ` +
      `${r.heapEndMiB} MiB; deltas fd ${r.fdDelta}, threads ${r.threadDelta}, netns ${r.netnsDelta}, links ${r.linkDelta}`,
  );
  assert.deepEqual(r.leaks, []);
  assert.deepEqual(
    [r.fdDelta, r.threadDelta, r.netnsDelta, r.linkDelta],
    [0, 0, 0, 0],
    'fd, thread, netns, link deltas',
  );
  assert.ok(r.cycles >= 10, `only ${r.cycles} cycles`);
  assert.equal(r.undecodable, 0);
  // One minute is too short for a slope; a leak of a few KiB per cycle still shows in the heap.
  assert.ok(r.heapEndMiB - r.heapStartMiB < 16, `heap grew ${r.heapStartMiB} -> ${r.heapEndMiB} MiB`);
});
