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
const { Rtnl, netns, sysctl } = await import('./src/index.ts');
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
// What a CNI plugin calls (examples/cni-bridge), in the plain forms that need no schema.
const here = { path: '/proc/self/ns/net' };
nl.engine.request = async () => [];
const { checkAddOptions } = await import('./src/ops/links.ts');
await step('open({ netns: { path } })', async () => (await Rtnl.open({ netns: here })).close());
await step('links.add options: bridge, veth with peer', () => {
  checkAddOptions({ name: 'cni0', kind: 'bridge', mtu: 1500 });
  checkAddOptions({ name: 'eth0', kind: 'veth', address: '02:00:00:00:00:01', peer: { name: 'veth0a', netns: here, mtu: 1500 } });
});
await step('links.set({ master, up }), ({ address }), delete({ ifExists })', async () => {
  await nl.links.set(7, { master: 2, up: true });
  await nl.links.set(7, { address: '62:19:a5:29:42:61' });
  await nl.links.delete(7, { ifExists: true });
});
await step('addresses.add({ broadcast }), list({ link, family }), delete({ ifExists })', async () => {
  await nl.addresses.add(7, '10.22.0.2/24', { broadcast: '+' });
  await nl.addresses.list({ link: 7, family: 4 });
  await nl.addresses.delete(7, '10.22.0.2/24', { ifExists: true });
});
await step('sysctl.get(key, { netns: { path } }), set(key, value) of a missing key', async () => {
  await sysctl.get('net.ipv4.ip_forward', { netns: here });
  await sysctl.set('net/ipv4/conf/rtnl-no-such-link/arp_notify', 1).catch(() => {});
});
await step("monitor(['link', 'address'], { initial: true }) (not iterated)", () => {
  nl.monitor(['link', 'address'], { initial: true });
});
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
    ['open({ netns: { path } })', false],
    ['links.add options: bridge, veth with peer', false],
    ['links.set({ master, up }), ({ address }), delete({ ifExists })', false],
    ['addresses.add({ broadcast }), list({ link, family }), delete({ ifExists })', false],
    ['sysctl.get(key, { netns: { path } }), set(key, value) of a missing key', false],
    ["monitor(['link', 'address'], { initial: true }) (not iterated)", false],
    // `{}` is something to validate: only undefined skips the check.
    ['links.list({})', true],
    ["netns.create('a/b')", true, 'ValidationError name'],
  ]);
});
