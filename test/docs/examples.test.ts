// The recipes in examples/ run, as root, each in a fresh test namespace with a private
// /run/netns (see test/helpers/sandbox.ts), and are plain JavaScript that Node parses.
//
// A recipe that needs a feature rtnl does not have yet starts with `// example-requires: NAME`;
// it is skipped, with the reason, while the probe for NAME below says the feature is missing,
// and runs (and must pass) once it is there. Add a probe here for a new NAME.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Rtnl } from '../../src/index.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { repoRoot, runSandboxed, toSources } from '../helpers/sandbox.js';

const dir = join(repoRoot, 'examples');
const recipes = readdirSync(dir).filter((f) => f.endsWith('.mjs'));

/** Whether rtnl has a feature, asked of a client in a scratch test namespace. */
const PROBES: Record<string, (nl: Rtnl) => Promise<boolean>> = {
  tap: async (nl) => {
    try {
      await nl.links.add({ name: 'probetap0', kind: 'tap' } as never);
      return true;
    } catch {
      return false;
    }
  },
  tc: async (nl) => typeof nl.tc?.qdiscs?.replace === 'function',
};

/** Arguments a recipe runs with here (a long-running one is given a duration). */
const ARGS: Record<string, string[]> = { 'monitoring-agent.mjs': ['1'] };

test('there are recipes, and each is plain JavaScript that Node parses', () => {
  assert.ok(recipes.length >= 4, recipes.join());
  for (const f of recipes) {
    const r = spawnSync(process.execPath, ['--check', join(dir, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}:\n${r.stderr}`);
  }
});

for (const f of recipes) {
  const code = readFileSync(join(dir, f), 'utf8');
  const needs = /^\/\/ example-requires: (\S+)/m.exec(code)?.[1];
  test(`examples/${f} runs`, { skip: needsRoot, timeout: 60_000 }, async (t) => {
    if (needs) {
      const probe = PROBES[needs];
      assert.ok(probe, `examples/${f} requires '${needs}', which has no probe in test/docs/examples.test.ts`);
      if (!(await withTestNetns((_ns, nl) => probe(nl)))) {
        t.skip(`needs ${needs}, which rtnl does not support yet`);
        return;
      }
    }
    await withTestNetns(async (ns) => {
      const r = runSandboxed(ns, f, toSources(code), ARGS[f] ?? []);
      assert.equal(r.status, 0, `examples/${f} failed:\n${r.stderr || r.error}\n--- stdout ---\n${r.stdout}`);
      assert.ok(r.stdout.trim().length > 0, `examples/${f} printed nothing`);
      t.diagnostic(r.stdout.trim().split('\n').slice(0, 3).join(' | '));
    });
  });
}
