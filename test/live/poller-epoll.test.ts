// The poller's epoll set, on eventfds (no namespace or privilege needed, but the poller is a
// live piece: a real thread and real fds). Arming is done from the main thread with
// EPOLLONESHOT, so these check what that design must get right: a re-arm on an fd that is still
// readable reports at once, and an fd closed behind the poller's back, whose number comes back
// for a new fd, can be waited on again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { EFD_CLOEXEC, EFD_NONBLOCK } from '../../src/ffi/constants.js';
import { libc } from '../../src/ffi/libc.js';
import { poller } from '../../src/ffi/poller.js';

const one = new Uint8Array(new BigUint64Array([1n]).buffer);
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no report in ${ms} ms`)), ms)),
  ]);

/** An eventfd for `fn`, out of the poller and closed afterwards, whatever `fn` does. */
async function withEventfd(fn: (fd: number) => Promise<void>): Promise<void> {
  const fd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  try {
    await fn(fd);
  } finally {
    poller.cancel(fd);
    libc.close(fd);
  }
}

/** Wait on `fd`, make it readable, and check that the wait reports POLLIN. */
async function reportsReadable(fd: number, what: string): Promise<void> {
  const wait = poller.wait(fd);
  libc.write(fd, one);
  assert.equal((await within(wait, 2000, what)) & 1, 1);
}

test('a re-armed fd that is still readable is reported again at once', async () => {
  await withEventfd(async (fd) => {
    await reportsReadable(fd, 'first wait');
    // Not read: the eventfd stays readable, so the one-shot re-arm must fire by itself.
    for (let i = 0; i < 3; i++) assert.equal((await within(poller.wait(fd), 2000, `re-arm ${i}`)) & 1, 1);
  });
});

test('an fd closed without cancel() whose number is reused can be waited on', async () => {
  const a = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  await reportsReadable(a, 'wait on the first fd');
  // Closed behind the poller's back: the kernel drops it from the epoll set; the poller still
  // believes the number is in it.
  libc.close(a);
  await withEventfd(async (b) => {
    assert.equal(b, a, 'the kernel hands out the lowest free number: the same one');
    await reportsReadable(b, 'wait on the reused number');
  });
});

test('a cancelled wait is not reported, and a new wait on the same fd is', async () => {
  await withEventfd(async (fd) => {
    const stale = poller.wait(fd);
    poller.cancel(fd);
    await assert.rejects(stale, { code: 'ABORT_ERR' });
    await reportsReadable(fd, 'the new wait');
  });
  await poller.whenStopped();
});

// Node stops worker threads when the process exits. One stopped while koffi's addon was being
// initialised in it aborted the whole process ("FATAL ERROR: Error::ThrowAsJavaScriptException
// napi_throw", SIGABRT): a program exiting 2-8 ms after its first wait died in about 3% of runs.
// The poller's exit hook now waits until the thread has set up. A listener added after the
// poller's sees whether it had.
test('a process that exits right after its first wait lets the poller thread set up first', () => {
  const src = (m: string) => JSON.stringify(new URL(`../../src/ffi/${m}.ts`, import.meta.url).href);
  const script = `
    import { EFD_CLOEXEC, EFD_NONBLOCK } from ${src('constants')};
    import { libc } from ${src('libc')};
    import { poller } from ${src('poller')};
    void poller.wait(libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)).catch(() => {});
    const { flag } = poller.gen;
    process.once('exit', () => process.stdout.write(String(Atomics.load(flag, 1))));
    process.exit(0);
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '1', 'the thread had set up when the process exited');
});
