// zod is loaded on first validation, not when rtnl is imported (src/ops/zod.ts): `import('zod')`
// alone costs about 35 ms, more than rtnl's start-up budget. A fresh process imports src/index.ts
// and reports after each step whether any file under node_modules/zod/ was loaded: by an ESM
// import (seen by a resolve hook) or by require() (seen in require.cache). No request reaches the
// kernel: the client's dumps are stubbed to return nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs in the hooks thread: counts resolutions that land in zod's package. */
const HOOK = `
let hits;
export function initialize(data) { hits = data.hits; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/zod/')) Atomics.add(hits, 0, 1);
  return r;
}`;

const CHILD = `
import { createRequire, register } from 'node:module';
const hits = new Int32Array(new SharedArrayBuffer(4));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), { data: { hits } });
const require = createRequire(import.meta.url);
const zodLoaded = () => Atomics.load(hits, 0) > 0 || Object.keys(require.cache).some((p) => p.includes('/node_modules/zod/'));
const steps = [];
const step = async (name, fn) => {
  let error;
  try { await fn(); } catch (err) { error = err?.constructor?.name + ' ' + err?.field; }
  steps.push(error === undefined ? [name, zodLoaded()] : [name, zodLoaded(), error]);
};
const { Rtnl, netns } = await import('./src/index.ts');
steps.push(['import', zodLoaded()]);
let nl;
await step('Rtnl.open()', async () => { nl = await Rtnl.open(); });
nl.engine.dump = async () => [];
nl.engine.dumpBatches = async function* () {};
await step('links.list()', () => nl.links.list());
await step('addresses.list()', () => nl.addresses.list());
await step('routes.list()', () => nl.routes.list());
await step('routes.stream()', async () => { for await (const r of nl.routes.stream()) void r; });
await step('neighbours.list()', () => nl.neighbours.list());
await step('rules.list()', () => nl.rules.list());
await step('netns.list()', () => netns.list());
await step('links.list({})', () => nl.links.list({}));
await step("netns.create('a/b')", () => netns.create('a/b'));
await nl.close();
process.stdout.write(JSON.stringify(steps));
`;

function runChild(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD],
      { cwd: ROOT, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`child failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

test('importing rtnl, and calls with nothing to validate, do not load zod; the first validation does', {
  timeout: 60_000,
}, async () => {
  assert.deepEqual(await runChild(), [
    ['import', false],
    ['Rtnl.open()', false],
    ['links.list()', false],
    ['addresses.list()', false],
    ['routes.list()', false],
    ['routes.stream()', false],
    ['neighbours.list()', false],
    ['rules.list()', false],
    ['netns.list()', false],
    // `{}` is something to validate: only undefined skips the check.
    ['links.list({})', true],
    ["netns.create('a/b')", true, 'ValidationError name'],
  ]);
});
