// How the libc shim loads koffi (no root). On Linux with glibc on x64 or arm64 it loads koffi's
// prebuilt binary itself, which saves every one-shot program koffi's JavaScript loader (3-4 ms);
// these check that it does here, that the binary is the one koffi would load, and that the poller's
// thread, which loads the same file, works with it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { EFD_CLOEXEC, EFD_NONBLOCK } from '../../src/ffi/constants.js';
import { koffiEntry, koffiLoad, libc } from '../../src/ffi/libc.js';
import { poller } from '../../src/ffi/poller.js';

const require = createRequire(import.meta.url);
const musl = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string];
const glibcHere =
  process.platform === 'linux' && musl !== undefined && !existsSync(`/lib/ld-musl-${musl}.so.1`)
    ? false
    : 'rtnl loads the binary itself only on Linux with glibc, on x64 or arm64';

test('koffi: its prebuilt binary is loaded directly, and it is the one koffi itself loads', { skip: glibcHere }, () => {
  assert.equal(koffiLoad, 'prebuilt');
  const file = koffiEntry();
  assert.match(file, new RegExp(`/@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi\\.node$`));
  const pkg = JSON.parse(readFileSync(join(dirname(require.resolve('koffi')), 'package.json'), 'utf8')) as {
    version: string;
  };
  assert.equal((require(file) as { version: string }).version, pkg.version);
  // koffi's own loader, required after rtnl's, picks the very same binary: Node hands it the module
  // rtnl loaded.
  const viaKoffi = require('koffi') as { default: unknown };
  assert.equal(viaKoffi.default, require(file));
});

test('koffi: the poller thread, which loads the file koffiEntry() names, reports readiness', async () => {
  const fd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  let timer: NodeJS.Timeout | undefined;
  try {
    const wait = poller.wait(fd);
    libc.write(fd, new Uint8Array(new BigUint64Array([1n]).buffer));
    const revents = await Promise.race([
      wait,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no report in 5 s')), 5000);
      }),
    ]);
    assert.equal(revents & 1, 1);
  } finally {
    clearTimeout(timer);
    poller.cancel(fd);
    libc.close(fd);
  }
});
