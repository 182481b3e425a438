// Live (root): monitors never die. Unexpected and undecodable messages (unknown types, unknown
// families, truncated, wrong lengths, control messages) are put into a live monitor's stream
// through the @internal test seam, each between real messages: every bad one yields an
// 'undecodable' event (or is skipped when it is a message the monitor does not watch), the real
// ones around it are all delivered, and the monitor goes on to report a real change afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MonitorEvent } from '../../src/index.js';
import { monitorSeam } from '../../src/ops/monitor.js';
import { loadHex } from '../helpers/fixtures.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

const lo = loadHex('link/lo-reply.hex'); // RTM_NEWLINK lo, as the kernel sent it
const addr = loadHex('address/ipv4-reply.hex'); // RTM_NEWADDR

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** A copy of `msg` changed by `edit` (a DataView over the copy). */
const edited = (msg: Uint8Array, edit: (v: DataView, b: Uint8Array) => void) => {
  const b = Uint8Array.from(msg);
  edit(new DataView(b.buffer), b);
  return b;
};
/** A bare netlink message: header (type, flags) and a body of `body` bytes of `fill`. */
const raw = (type: number, body: number, fill = 0) => {
  const b = new Uint8Array(16 + body).fill(fill, 16);
  const v = new DataView(b.buffer);
  v.setUint32(0, b.length, true);
  v.setUint16(4, type, true);
  return b;
};

/**
 * Each case: a datagram (the bad message after a real lo, and before another when framing allows)
 * and what the monitor must yield for it: how many lo events and how many undecodable ones.
 */
const CASES: Array<{ name: string; datagram: Uint8Array; lo: number; bad: number }> = [
  { name: 'unknown message type 0x7fff', datagram: cat(lo, raw(0x7fff, 16), lo), lo: 2, bad: 1 },
  { name: 'unknown message type 99 (between rtnetlink types)', datagram: cat(lo, raw(99, 16), lo), lo: 2, bad: 1 },
  { name: 'NLMSG_NOOP', datagram: cat(lo, raw(1, 0), lo), lo: 2, bad: 0 },
  { name: 'NLMSG_DONE in a monitor stream', datagram: cat(lo, raw(3, 4), lo), lo: 2, bad: 1 },
  { name: 'NLMSG_ERROR in a monitor stream', datagram: cat(lo, raw(2, 20), lo), lo: 2, bad: 1 },
  {
    name: 'RTM_NEWLINK with family 99',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint8(16, 99)),
      lo,
    ),
    lo: -1, // ifinfomsg's family is informational: it may decode as a third lo
    bad: -1,
  },
  {
    name: 'RTM_NEWADDR with family 99 (a link monitor does not watch addresses)',
    datagram: cat(
      lo,
      edited(addr, (v) => v.setUint8(16, 99)),
      lo,
    ),
    lo: 2,
    bad: -1,
  },
  // The codec reads a short fixed header as zeros by design (kernels grow these structs), so these
  // may decode (as a link with index 0) or be undecodable; the real ones around must arrive.
  { name: 'RTM_NEWLINK body cut short (8 of 16 bytes)', datagram: cat(lo, raw(16, 8), lo), lo: 2, bad: -1 },
  { name: 'RTM_NEWLINK with no body', datagram: cat(lo, raw(16, 0), lo), lo: 2, bad: -1 },
  {
    name: 'attribute length 2 (below 4)',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint16(32, 2, true)),
      lo,
    ),
    lo: 2,
    bad: 1,
  },
  {
    name: 'attribute length past the message',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint16(32, 0xfff0, true)),
      lo,
    ),
    lo: 2,
    bad: 1,
  },
  {
    name: 'nlmsg_len past the datagram (truncated)',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint32(0, lo.length + 64, true)),
    ),
    lo: 1,
    bad: 1,
  },
  {
    name: 'datagram cut in the middle of a message',
    datagram: cat(lo, lo.subarray(0, 40)),
    lo: 1,
    bad: 1,
  },
  {
    name: 'nlmsg_len 8 (below the header)',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint32(0, 8, true)),
    ),
    lo: 1,
    bad: 1,
  },
  { name: 'nlmsg_len 0', datagram: cat(lo, edited(lo, (v) => v.setUint32(0, 0, true)).subarray(0, 20)), lo: 1, bad: 1 },
  { name: '7 stray bytes after a message', datagram: cat(lo, Uint8Array.of(1, 2, 3, 4, 5, 6, 7)), lo: 1, bad: 1 },
  { name: 'an empty datagram', datagram: new Uint8Array(0), lo: 0, bad: 0 },
  {
    name: 'a message shorter than nlmsg_len says, with an aligned tail of garbage',
    datagram: cat(
      lo,
      edited(lo, (v) => v.setUint32(0, lo.length - 3, true)),
      lo,
    ),
    lo: 2,
    bad: -1,
  },
];

test('monitors never die: every injected bad message costs only itself', { skip: needsRoot }, async (t) => {
  await withTestNetns(async (_ns, nl) => {
    const queue = CASES.map((c) => c.datagram);
    let fed = 0;
    monitorSeam.recv = (sock) => {
      const next = queue.shift();
      if (next === undefined) return sock.recv();
      fed++;
      return next;
    };
    const ac = new AbortController();
    const events: MonitorEvent[] = [];
    // Events by the datagram they came from (a datagram's events are yielded before the next read).
    const perCase = CASES.map(() => ({ lo: 0, bad: 0 }));
    try {
      const done = (async () => {
        for await (const ev of nl.monitor('link', { signal: ac.signal, track: false })) {
          events.push(ev);
          const c = perCase[fed - 1];
          if (c && fed <= CASES.length) {
            if (ev.type === 'undecodable') c.bad++;
            else if (ev.type === 'link.new' && ev.object.name === 'lo') c.lo++;
          }
          if (ev.type === 'link.new' && ev.object.name === 'after0') ac.abort();
        }
      })();
      while (queue.length > 0) await new Promise((r) => setImmediate(r));
      // A real change after all of them: the monitor is still alive and still decoding.
      await nl.links.add({ name: 'after0', kind: 'bridge' });
      await done;
    } finally {
      monitorSeam.recv = undefined;
      ac.abort();
    }
    assert.equal(fed, CASES.length);
    for (const [i, c] of CASES.entries()) {
      const got = perCase[i]!;
      if (c.lo >= 0) assert.equal(got.lo, c.lo, `${c.name}: real messages delivered`);
      else assert.ok(got.lo >= 2, `${c.name}: real messages delivered`);
      if (c.bad >= 0) assert.equal(got.bad, c.bad, `${c.name}: undecodable events`);
      else assert.ok(got.bad <= 1, `${c.name}: at most one undecodable event`);
    }
    const loCount = perCase.reduce((n, c) => n + c.lo, 0);
    const badCount = perCase.reduce((n, c) => n + c.bad, 0);
    for (const e of events)
      if (e.type === 'undecodable') assert.ok(e.error.message.length > 0 && e.bytes instanceof Uint8Array);
    assert.ok(events.some((e) => e.type === 'link.new' && e.object.name === 'after0'));
    assert.ok(
      events.every((e) => ['link.new', 'link.del', 'undecodable'].includes(e.type)),
      'no other kind of event',
    );
    t.diagnostic(
      `monitor: ${CASES.length} hostile datagrams injected, ${loCount} real messages around them all delivered, ` +
        `${badCount} undecodable events, and the monitor reported the next real change`,
    );
    t.diagnostic(
      `monitor: per case (lo events/undecodable): ${CASES.map((c, i) => `${c.name} ${perCase[i]!.lo}/${perCase[i]!.bad}`).join('; ')}`,
    );
  });
});
