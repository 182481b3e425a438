/** Assertions shared by the codec tests. */
import assert from 'node:assert/strict';
import { messages } from '../../src/codec/messages.js';
import type { MessageTable } from '../../src/codec/nlmsg.js';
import { DecodeError } from '../../src/errors.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** encode(decode(bytes)) equals bytes, and decode(encode(msgs)) equals msgs. */
export function assertRoundTrip(bytes: Uint8Array, table: MessageTable = messages): void {
  const msgs = table.decode(bytes);
  const again = table.encode(msgs);
  assert.equal(hex(again), hex(bytes), 're-encoding is not byte-exact');
  assert.deepEqual(table.decode(again), msgs);
}

/** Offsets where a buffer may legitimately end: after each message, and in trailing zeros. */
function validEnds(bytes: Uint8Array): Set<number> {
  const ends = new Set<number>([0]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + 16 <= bytes.length) {
    const len = view.getUint32(pos, true);
    if (len < 16) break;
    const end = pos + len;
    ends.add(end);
    pos = (end + 3) & ~3;
    ends.add(Math.min(pos, bytes.length));
  }
  return ends;
}

/**
 * Cutting the buffer anywhere inside a message raises DecodeError, never another error and
 * never a silent partial result. Cuts at message boundaries are valid buffers and are skipped,
 * as are cuts that leave only zero bytes of the next header (indistinguishable from padding).
 */
export function assertEveryTruncationThrows(bytes: Uint8Array, table: MessageTable = messages): number {
  const ends = validEnds(bytes);
  let checked = 0;
  for (let n = 1; n < bytes.length; n++) {
    if (ends.has(n)) continue;
    const cut = bytes.subarray(0, n);
    let start = 0;
    for (const e of ends) if (e <= n && e > start) start = e;
    if (cut.subarray(start).every((b) => b === 0)) continue;
    assert.throws(
      () => table.decode(cut),
      (e: unknown) => e instanceof DecodeError,
      `cut at ${n} of ${bytes.length} did not raise DecodeError`,
    );
    checked++;
  }
  return checked;
}
