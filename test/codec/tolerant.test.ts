// MessageTable.eachTolerant: one message that does not decode costs only itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, messages } from '../../src/codec/index.js';
import { loadHex } from '../helpers/fixtures.js';

test('eachTolerant: good messages decode, a bad one is handed over with its bytes, broken framing ends it', () => {
  const lo = loadHex('link/lo-reply.hex');
  const bad = Uint8Array.from(lo);
  new DataView(bad.buffer).setUint16(32, 2, true); // first attribute: nla_len 2
  const tail = Uint8Array.from([0xff, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]); // nlmsg_len 255
  const buf = new Uint8Array(lo.length * 3 + tail.length);
  buf.set(lo, 0);
  buf.set(bad, lo.length);
  buf.set(lo, lo.length * 2);
  buf.set(tail, lo.length * 3);
  const good: string[] = [];
  const bads: Array<[Uint8Array, DecodeError, number]> = [];
  messages.eachTolerant(
    buf,
    (m) => good.push(m.attrs.ifname),
    (raw, err, at) => bads.push([raw, err, at]),
  );
  assert.deepEqual(good, ['lo', 'lo']);
  assert.equal(bads.length, 2);
  assert.deepEqual(bads[0]![0], bad);
  assert.equal(bads[0]![2], lo.length);
  assert.match(bads[0]![1].message, /attribute length 2/);
  assert.deepEqual(bads[1]![0], tail);
  assert.match(bads[1]![1].message, /nlmsg_len 255 runs past the buffer/);
  assert.throws(() => messages.decode(buf), DecodeError, 'decode() itself stays strict');
});
