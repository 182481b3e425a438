// Runs first (the folder name sorts first in test/*/*.test.ts): records the host namespace's
// links, addresses, routes, rules and named namespaces, for test/zzz-host/check.test.ts to
// compare at the end of the run. The file is keyed by the test runner's pid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removeStaleSnapshots, saveSnapshot, snapshotFile, snapshotHost } from '../helpers/host.js';
import { needsRoot } from '../helpers/netns.js';

test('snapshot the host namespace before the run', {
  skip: needsRoot && `${needsRoot}; without root no test can change the host`,
}, (t) => {
  const stale = removeStaleSnapshots();
  const state = snapshotHost();
  assert.ok(state.links.length > 0, 'ip -j link show listed no links');
  saveSnapshot(state);
  t.diagnostic(
    `host snapshot ${snapshotFile()}: ${state.links.length} links, ${state.addresses.length} addresses, ${state.routes.length} routes, ` +
      `${state.rules.length} rules, ${state.netns.length} named namespaces${state.netns.length ? ` (${state.netns.join(', ')})` : ''}` +
      (stale ? `; removed ${stale} stale snapshot(s)` : ''),
  );
});
