// Runs last (the folder name sorts last in test/*/*.test.ts): the host namespace must be exactly
// as test/aaa-host/snapshot.test.ts found it, and no namespace of this run may be left behind.
// Only this run's namespaces are judged (by the run's prefix, see testNsName): other programs,
// other test runs included, may make and delete namespaces meanwhile without failing it.
import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { test } from 'node:test';
import { diffHost, loadSnapshot, snapshotFile, snapshotHost } from '../helpers/host.js';
import { needsRoot, runNsPrefix } from '../helpers/netns.js';

test('the host namespace is unchanged by the run, and no namespace is left behind', {
  skip: needsRoot && `${needsRoot}; without root no test can change the host`,
}, (t) => {
  const file = snapshotFile();
  const before = loadSnapshot(file);
  if (!before) {
    t.skip(`no snapshot at ${file}: run the whole suite (npm test), so test/aaa-host runs first in the same runner`);
    return;
  }
  try {
    const after = snapshotHost();
    const diff = diffHost({ ...before, netns: [] }, { ...after, netns: [] });
    const leftover = after.netns.filter((n) => n.startsWith(runNsPrefix));
    const foreign = after.netns.filter((n) => !n.startsWith(runNsPrefix) && !before.netns.includes(n));
    assert.deepEqual(leftover, [], `namespaces of this run (${runNsPrefix}*) left behind: ${leftover.join(', ')}`);
    assert.deepEqual(diff, [], `the host namespace changed during the run:\n${diff.join('\n')}`);
    t.diagnostic(
      `host unchanged: ${after.links.length} links, ${after.addresses.length} addresses, ${after.routes.length} routes, ` +
        `${after.rules.length} rules compared; 0 differences, 0 namespaces of this run (${runNsPrefix}*) left behind` +
        (foreign.length
          ? `; not ours, ignored: ${foreign.length} namespace(s) made meanwhile (${foreign.join(', ')})`
          : ''),
    );
  } finally {
    unlinkSync(file);
  }
});
