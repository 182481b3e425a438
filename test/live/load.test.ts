// Live (root): load. 10,000 requests pipelined on one client in a fresh namespace: 5,000
// addresses added to one link and deleted again, in Promise.all chunks. Every request must
// resolve exactly once, only after the kernel's ACK for its own sequence number was read, and
// the state must equal `ip -j` after each phase. A mixed phase then checks routing by content:
// requests that succeed and requests that fail, interleaved, each get their own outcome.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetlinkMessage } from '../../src/codec/nlmsg.js';
import { NetlinkError } from '../../src/index.js';
import type { Engine, RequestResult } from '../../src/ops/engine.js';
import { ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

const ADDRESSES = 5_000;
/** How many requests one Promise.all holds. The engine has no limit; this keeps memory flat. */
const CHUNK = 1_000;
const NLMSG_ERROR = 2;

/** 10.77.0.0 upwards, one /32 each (each its own primary, so deletes are independent). */
const addr = (i: number) => `10.77.${i >> 8}.${i & 255}`;

/**
 * Watch the engine: the sequence number each request was given, and each ACK read from the
 * socket (by a header-only parse, cheap enough not to distort the throughput figure).
 */
function watch(engine: Engine) {
  const e = engine as unknown as { request: Engine['request']; seq: number; sock: { recv(): Uint8Array | null } };
  const acked = new Map<number, number>(); // seq -> ACKs seen
  const seqOf = new Map<string, number>(); // address -> seq of its latest request
  const stats = { ackErrors: 0, duplicateAcks: 0, strayAcks: 0, resolvedBeforeAck: 0, resolutions: 0 };
  const issued = new Set<number>();
  const request = e.request;
  const recv = e.sock.recv;
  e.request = function (this: unknown, msg: NetlinkMessage, flags?: number): Promise<RequestResult> {
    const p = request.call(engine, msg, flags);
    const seq = e.seq; // request() took the next sequence number synchronously
    issued.add(seq);
    seqOf.set(String((msg.attrs as { local?: string }).local), seq);
    p.then(
      () => {
        stats.resolutions++;
        if (!acked.has(seq)) stats.resolvedBeforeAck++;
      },
      () => {},
    );
    return p;
  };
  e.sock.recv = function (this: unknown) {
    const d = recv.call(e.sock);
    if (d) {
      const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let at = 0; at + 16 <= d.length; ) {
        const len = v.getUint32(at, true);
        if (len < 16) break;
        if (v.getUint16(at + 4, true) === NLMSG_ERROR) {
          const seq = v.getUint32(at + 8, true);
          if (!issued.has(seq)) stats.strayAcks++;
          else if (acked.has(seq)) stats.duplicateAcks++;
          acked.set(seq, (acked.get(seq) ?? 0) + 1);
          if (v.getInt32(at + 16, true) !== 0) stats.ackErrors++;
        }
        at += (len + 3) & ~3;
      }
    }
    return d;
  };
  return {
    stats,
    acked,
    seqOf,
    restore() {
      e.request = request;
      e.sock.recv = recv;
    },
  };
}

/** Run `count` requests in Promise.all chunks; returns the settled results in order. */
async function pipelined<T>(count: number, fn: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const out: PromiseSettledResult<T>[] = [];
  for (let i = 0; i < count; i += CHUNK) {
    out.push(...(await Promise.allSettled(Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => fn(i + j)))));
  }
  return out;
}

/** The addresses on the link, as ip -j reports them. */
function ipAddrs(ns: string): string[] {
  return ipJson(ns, 'addr', 'show', 'dev', 'load0')[0]
    .addr_info.map((a: any) => `${a.local}/${a.prefixlen}`)
    .sort();
}

describe('load', { skip: needsRoot }, () => {
  test('10,000 pipelined requests on one client: each resolves once, with its own reply; state equals ip -j', async (t) => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'load0', kind: 'veth', peer: { name: 'load1' } });
      const index = (await nl.links.get('load0')).index;
      const expected = Array.from({ length: ADDRESSES }, (_, i) => `${addr(i)}/32`).sort();
      const w = watch(nl.engine);
      try {
        const t0 = performance.now();
        const added = await pipelined(ADDRESSES, (i) => nl.addresses.add(index, `${addr(i)}/32`));
        const t1 = performance.now();
        const rejectedAdd = added.filter((r) => r.status === 'rejected');
        assert.deepEqual(rejectedAdd.slice(0, 3), [], `${rejectedAdd.length} adds rejected`);
        const mine = (await nl.addresses.list({ link: index, family: 4 }))
          .map((a) => `${a.address}/${a.prefixLen}`)
          .sort();
        assert.deepEqual(mine, expected, 'list() after the adds');
        assert.deepEqual(ipAddrs(ns), expected, 'ip -j addr after the adds');

        const t2 = performance.now();
        const deleted = await pipelined(ADDRESSES, (i) => nl.addresses.delete(index, `${addr(i)}/32`));
        const t3 = performance.now();
        const rejectedDel = deleted.filter((r) => r.status === 'rejected');
        assert.deepEqual(rejectedDel.slice(0, 3), [], `${rejectedDel.length} deletes rejected`);
        assert.ok(deleted.every((r) => r.status === 'fulfilled' && r.value === true));
        assert.deepEqual(await nl.addresses.list({ link: index }), [], 'list() after the deletes');
        assert.deepEqual(ipAddrs(ns), [], 'ip -j addr after the deletes');

        const requests = added.length + deleted.length;
        const s = w.stats;
        // Each of the 10,000 requests (plus the two list dumps, which end with DONE, not an ACK).
        const acks = [...w.acked.values()];
        const mismatches =
          s.ackErrors + s.duplicateAcks + s.strayAcks + s.resolvedBeforeAck + rejectedAdd.length + rejectedDel.length;
        assert.equal(requests, 2 * ADDRESSES);
        assert.equal(s.resolutions, requests, 'every request resolved');
        assert.equal(acks.length, requests, 'one ACK per request');
        assert.ok(
          acks.every((n) => n === 1),
          'no ACK seen twice',
        );
        assert.equal(mismatches, 0, JSON.stringify(s));
        const secs = (t1 - t0 + (t3 - t2)) / 1000;
        t.diagnostic(
          `load: ${requests} requests (${ADDRESSES} adds + ${ADDRESSES} deletes, Promise.all chunks of ${CHUNK}), ` +
            `${s.resolutions} resolved, 0 rejected, ${mismatches} mismatches; ` +
            `${Math.round(requests / secs)} requests/s overall (adds ${Math.round(ADDRESSES / ((t1 - t0) / 1000))}/s, ` +
            `deletes ${Math.round(ADDRESSES / ((t3 - t2) / 1000))}/s); final state equals ip -j`,
        );
      } finally {
        w.restore();
      }
    });
  });

  test('1,000 pipelined requests, half succeeding and half failing, interleaved: each gets its own outcome', async (t) => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'load0', kind: 'veth', peer: { name: 'load1' } });
      const index = (await nl.links.get('load0')).index;
      // Even i: a new address (succeeds). Odd i: an address added beforehand (EEXIST).
      await pipelined(500, (i) => nl.addresses.add(index, `${addr(2 * i + 1)}/32`));
      const results = await pipelined(1000, (i) => nl.addresses.add(index, `${addr(i)}/32`));
      let wrong = 0;
      results.forEach((r, i) => {
        const ok =
          i % 2 === 0
            ? r.status === 'fulfilled'
            : r.status === 'rejected' && r.reason instanceof NetlinkError && r.reason.code === 'EEXIST';
        if (!ok) wrong++;
      });
      assert.equal(wrong, 0);
      assert.equal((await nl.addresses.list({ link: index, family: 4 })).length, 1000);
      t.diagnostic(
        `mixed: 1000 requests (500 succeed, 500 EEXIST, interleaved), ${wrong} got another request's outcome`,
      );
    });
  });
});
