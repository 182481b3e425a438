// The recipes in examples/ run, as root, each in a fresh test namespace with a private
// /run/netns (see test/helpers/sandbox.ts), and are plain JavaScript that Node parses.
//
// A recipe that needs a kernel feature some machines lack starts with `// example-requires: NAME`,
// NAME one of KERNEL_FEATURES below (the documented list; each probes the kernel in a scratch
// namespace). It is skipped, with the reason, only where the probe finds the feature missing, and
// runs (and must pass) everywhere else. Any other NAME fails: a recipe that needs something rtnl
// itself lacks is not a recipe yet, and must not be skipped silently.
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

/** Whether the kernel creates a link of this kind: false only when it does not know the kind. */
const linkKind =
  (options: Record<string, unknown>) =>
  async (nl: Rtnl): Promise<boolean> => {
    try {
      await nl.links.add({ name: 'probe0', ...options } as never);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'EOPNOTSUPP') return false;
      throw err;
    }
  };

/** Kernel features a recipe may require, with a probe: built as modules or left out on some kernels. */
const KERNEL_FEATURES: Record<string, (nl: Rtnl) => Promise<boolean>> = {
  dummy: linkKind({ kind: 'dummy' }),
  vrf: linkKind({ kind: 'vrf', vrf: { table: 10 } }),
  bond: linkKind({ kind: 'bond' }),
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
      const probe = KERNEL_FEATURES[needs];
      assert.ok(
        probe,
        `examples/${f} requires '${needs}', which is not a kernel feature listed in test/docs/examples.test.ts`,
      );
      if (!(await withTestNetns((_ns, nl) => probe(nl)))) {
        t.skip(`needs the kernel feature '${needs}', which this kernel lacks`);
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
