// The code cache the CLI uses on Node 20 (src/boot/code-cache.ts): written once, used after, never
// stale, and never read from a file another user could have written.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { cacheDirFor, loadBundle } from '../../src/boot/code-cache.js';

// V8 keeps every script it compiled in an in-memory cache keyed by its source, and a hit there
// skips the cached data altogether: each load below must reach the code cache, as a new process does.
setFlagsFromString('--no-compilation-cache');

type Bundle = { answer: () => number; file: string };

/** A CommonJS bundle: enough functions that V8's cache holds real code. */
function bundle(dir: string, answer: number): string {
  const file = join(dir, 'bundle.cjs');
  const fns = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + ${answer}; }`).join('\n');
  writeFileSync(
    file,
    `${fns}\nmodule.exports = { answer: () => f1(0), file: __filename, req: typeof require('node:path').join };\n`,
  );
  return file;
}

function withDirs(body: (src: string, cache: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'rtnl-code-cache-'));
  try {
    body(mkdtempSync(join(root, 'src-')), join(root, 'cache'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const load = (file: string, dir: string | undefined) => loadBundle<Bundle>(file, dir, { writeAtExit: false });

test('the first load compiles and writes a private cache; the next load runs the cached code', () => {
  withDirs((src, cache) => {
    const file = bundle(src, 42);
    const first = load(file, cache);
    assert.equal(first.outcome, 'miss');
    assert.equal(first.exports.answer(), 42);
    assert.equal(first.exports.file, file, '__filename is the bundle');
    assert.equal(first.writeCache(), true);
    assert.equal(first.writeCache(), false, 'written once');
    assert.equal(statSync(cache).mode & 0o777, 0o700);
    assert.equal(statSync(first.cacheFile!).mode & 0o777, 0o600);
    const second = load(file, cache);
    assert.equal(second.outcome, 'used');
    assert.equal(second.exports.answer(), 42);
    assert.equal(second.writeCache(), false, 'a used cache is not written again');
  });
});

test('an edited bundle of the same length gets a cache of its own, and the old one is removed', () => {
  withDirs((src, cache) => {
    const file = bundle(src, 42);
    load(file, cache).writeCache();
    bundle(src, 43); // same length, other code: V8 alone would accept the old cache
    const edited = load(file, cache);
    assert.equal(edited.outcome, 'miss');
    assert.equal(edited.exports.answer(), 43);
    edited.writeCache();
    assert.deepEqual(
      readdirSync(cache).filter((n) => n.startsWith('bundle.cjs-')),
      [edited.cacheFile!.slice(cache.length + 1)],
    );
    assert.equal(load(file, cache).outcome, 'used');
  });
});

test('two installed copies of a bundle, of different versions, each keep their own cache', () => {
  withDirs((src, cache) => {
    const other = mkdtempSync(join(src, 'other-'));
    const a = bundle(src, 1);
    const b = bundle(other, 2); // the same name, elsewhere: a global CLI and a project's own
    load(a, cache).writeCache();
    load(b, cache).writeCache();
    for (let i = 0; i < 2; i++) {
      const ra = load(a, cache);
      const rb = load(b, cache);
      assert.deepEqual([ra.outcome, rb.outcome], ['used', 'used']);
      assert.deepEqual([ra.exports.answer(), rb.exports.answer()], [1, 2]);
    }
    assert.equal(readdirSync(cache).length, 2);
  });
});

test('a cache that others can write, or that is a symlink, is not used; V8 refusing one rewrites it', () => {
  withDirs((src, cache) => {
    const file = bundle(src, 7);
    const first = load(file, cache);
    first.writeCache();
    chmodSync(first.cacheFile!, 0o666);
    const open = load(file, cache);
    assert.equal(open.outcome, 'refused');
    assert.equal(open.exports.answer(), 7, 'the bundle still loads, from source');
    assert.equal(open.writeCache(), false);
    chmodSync(first.cacheFile!, 0o600);
    if (process.getuid?.() === 0) {
      chownSync(first.cacheFile!, 65534, 65534);
      assert.equal(load(file, cache).outcome, 'refused', "another user's file");
      chownSync(first.cacheFile!, 0, 0);
    }
    assert.equal(load(file, cache).outcome, 'used');

    writeFileSync(first.cacheFile!, Buffer.alloc(4096, 0x5a), { mode: 0o600 });
    const junk = load(file, cache);
    assert.equal(junk.outcome, 'rejected');
    assert.equal(junk.exports.answer(), 7);
    assert.equal(junk.writeCache(), true);
    assert.equal(load(file, cache).outcome, 'used');

    rmSync(first.cacheFile!);
    symlinkSync(join(src, 'elsewhere'), first.cacheFile!);
    writeFileSync(join(src, 'elsewhere'), Buffer.alloc(16), { mode: 0o600 });
    assert.equal(load(file, cache).outcome, 'miss', 'a symlink is not followed');

    chmodSync(cache, 0o777);
    rmSync(first.cacheFile!);
    assert.equal(load(file, cache).writeCache(), false, 'no cache is written into a directory others can write');
  });
});

test('the cache directory follows Node: NODE_COMPILE_CACHE, the temp dir, NODE_DISABLE_COMPILE_CACHE', () => {
  const uid = process.getuid!();
  assert.equal(cacheDirFor({ NODE_COMPILE_CACHE: '/x' }), `/x/rtnl-${uid}`);
  assert.equal(cacheDirFor({}), join(tmpdir(), 'node-compile-cache', `rtnl-${uid}`));
  assert.equal(cacheDirFor({ NODE_COMPILE_CACHE: '/x', NODE_DISABLE_COMPILE_CACHE: '1' }), undefined);
  withDirs((src) => {
    const off = load(bundle(src, 1), undefined);
    assert.equal(off.outcome, 'off');
    assert.equal(off.cacheFile, undefined);
    assert.equal(off.writeCache(), false);
  });
});
