// The poller's epoll set, on eventfds (no namespace or privilege needed, but the poller is a
// live piece: a real thread and real fds). Arming is done from the main thread with
// EPOLLONESHOT, so these check what that design must get right: a re-arm on an fd that is still
// readable reports at once, and an fd closed behind the poller's back, whose number comes back
// for a new fd, can be waited on again.
import assert from 'node:assert/strict';
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

test('a re-armed fd that is still readable is reported again at once', async () => {
  const fd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  try {
    const first = poller.wait(fd);
    libc.write(fd, one);
    assert.equal((await within(first, 2000, 'first wait')) & 1, 1);
    // Not read: the eventfd stays readable, so the one-shot re-arm must fire by itself.
    for (let i = 0; i < 3; i++) assert.equal((await within(poller.wait(fd), 2000, `re-arm ${i}`)) & 1, 1);
  } finally {
    poller.cancel(fd);
    libc.close(fd);
  }
});

test('an fd closed without cancel() whose number is reused can be waited on', async () => {
  const a = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  const wa = poller.wait(a);
  libc.write(a, one);
  await within(wa, 2000, 'wait on the first fd');
  // Closed behind the poller's back: the kernel drops it from the epoll set; the poller still
  // believes the number is in it.
  libc.close(a);
  const b = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  try {
    assert.equal(b, a, 'the kernel hands out the lowest free number: the same one');
    const wb = poller.wait(b);
    libc.write(b, one);
    assert.equal((await within(wb, 2000, 'wait on the reused number')) & 1, 1);
  } finally {
    poller.cancel(b);
    libc.close(b);
  }
});

test('a cancelled wait is not reported, and a new wait on the same fd is', async () => {
  const fd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  try {
    const stale = poller.wait(fd);
    poller.cancel(fd);
    await assert.rejects(stale, { code: 'ABORT_ERR' });
    const fresh = poller.wait(fd);
    libc.write(fd, one);
    assert.equal((await within(fresh, 2000, 'the new wait')) & 1, 1);
  } finally {
    poller.cancel(fd);
    libc.close(fd);
  }
  await poller.whenStopped();
});
