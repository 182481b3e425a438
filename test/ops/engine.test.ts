// The request engine against recorded kernel replies (fixtures), with no kernel and no root:
// framing, sequence routing, error mapping with extended ACK, and the DUMP_INTR policies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, messages, type NetlinkMessage } from '../../src/codec/index.js';
import { Engine, type EngineSocket } from '../../src/ops/engine.js';
import { DumpInterruptedError, NetlinkError } from '../../src/errors.js';
import { loadHex } from '../helpers/fixtures.js';

const NLM_F_DUMP_INTR = 0x10;

/** Re-stamp recorded reply messages with the sequence number of the request they answer. */
function stamp(bytes: Uint8Array, seq: number, mutate?: (m: NetlinkMessage, i: number) => void): Uint8Array {
  const msgs = decode(bytes);
  msgs.forEach((m, i) => {
    m.header.seq = seq;
    mutate?.(m, i);
  });
  return encode(msgs);
}

/**
 * A socket that answers each request with a recorded reply. `script` maps the n-th request to
 * the datagrams to queue (given the request's seq); replies can be held back to test reordering.
 */
class FakeSocket implements EngineSocket {
  queue: Uint8Array[] = [];
  sent: NetlinkMessage[] = [];
  closed = false;
  constructor(private readonly script: (req: NetlinkMessage, n: number) => Uint8Array[]) {}
  send(bytes: Uint8Array): void {
    for (const m of decode(bytes)) {
      this.sent.push(m);
      this.queue.push(...this.script(m, this.sent.length - 1));
    }
  }
  recv(): Uint8Array | null {
    return this.queue.shift() ?? null;
  }
  waitReadable(): Promise<void> {
    return new Promise(() => {});
  }
  close(): void {
    this.closed = true;
  }
}

const ack = (seq: number) => stamp(loadHex('error/ack-reply.hex'), seq);
const getLink: NetlinkMessage = { type: 'RTM_GETLINK', header: {} as never, body: { family: 0, index: 1 }, attrs: {} };

test('every request carries NLM_F_REQUEST|NLM_F_ACK and a fresh sequence number', async () => {
  const sock = new FakeSocket((m) => [ack(m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  await Promise.all([engine.request(getLink), engine.request(getLink), engine.request(getLink)]);
  const seqs = sock.sent.map((m) => m.header.seq);
  assert.equal(new Set(seqs).size, 3);
  for (const m of sock.sent) assert.equal(m.header.flags & 0x5, 0x5);
});

test('pipelined replies are routed by sequence, whatever their order', async () => {
  const held: Array<[number, Uint8Array]> = [];
  const sock = new FakeSocket((m) => {
    held.push([m.header.seq, loadHex('link/lo-reply.hex')]);
    return [];
  });
  const engine = new Engine(sock, messages, () => {});
  const p = [0, 1, 2, 3].map(() => engine.request(getLink));
  await new Promise((r) => setImmediate(r));
  // Answer in reverse order, each with an object then the ACK, tagging the ifindex with the seq.
  for (const [seq, bytes] of held.reverse()) {
    sock.queue.push(
      stamp(bytes, seq, (m) => (m.body.index = seq % 1000)),
      ack(seq),
    );
  }
  (engine as any).drain();
  const results = await Promise.all(p);
  const seqs = sock.sent.map((m) => m.header.seq);
  results.forEach((r, i) => assert.equal(r.replies[0]!.body.index, seqs[i]! % 1000));
});

test('a kernel error becomes NetlinkError with code, errno and the extended-ACK text', async () => {
  const sock = new FakeSocket((m) => [stamp(loadHex('error/unknown-kind-reply.hex'), m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const err = await engine
    .request({
      type: 'RTM_NEWLINK',
      header: {} as never,
      body: {},
      attrs: { ifname: 'x', linkinfo: { kind: 'nosuch' } },
    })
    .catch((e) => e);
  assert.ok(err instanceof NetlinkError);
  assert.equal(err.code, 'EOPNOTSUPP');
  assert.equal(err.errno, 95);
  assert.equal(err.request, 'RTM_NEWLINK');
  assert.match(err.message, /Unknown device type/);
});

test('NLMSGERR_ATTR_OFFS resolves to the path of the attribute in our request', async () => {
  // The uncapped error echoes the request the kernel rejected; we send the same request.
  const [errMsg] = decode(loadHex('error/policy-offs-uncapped-reply.hex'));
  const r = errMsg!.body.request;
  const echoed = new Uint8Array(16 + r.payload.length);
  new DataView(echoed.buffer).setUint32(0, echoed.length, true);
  new DataView(echoed.buffer).setUint16(4, r.type, true);
  echoed.set(r.payload, 16);
  const [request] = decode(echoed);
  const sock = new FakeSocket((m) => [stamp(loadHex('error/policy-offs-uncapped-reply.hex'), m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const err = await engine.request(request!).catch((e) => e);
  assert.ok(err instanceof NetlinkError);
  assert.equal(typeof err.extack.offs, 'number');
  assert.ok(err.attrPath, 'attrPath resolved');
  // The kernel pointed at IFLA_MTU, sent with a 2-byte payload (kept raw by our decoder).
  assert.equal(err.attrPath, 'mtu');
  assert.match(err.message, /at mtu/);
});

test('a warning on a successful ACK is surfaced, not lost', async () => {
  const warnings: string[] = [];
  const sock = new FakeSocket((m) => [
    encode({
      type: 'NLMSG_ERROR',
      header: { len: 0, type: 2, flags: 0x300, seq: m.header.seq, pid: 0 },
      body: { error: 0, request: { len: 16, type: 18, flags: 5, seq: m.header.seq, pid: 0 } },
      attrs: { msg: 'something odd' },
    }),
  ]);
  const engine = new Engine(sock, messages, (msg) => warnings.push(msg));
  const r = await engine.request(getLink);
  assert.equal(r.extack.msg, 'something odd');
  assert.deepEqual(warnings, ['something odd']);
});

const dumpReq: NetlinkMessage = { type: 'RTM_GETLINK', header: {} as never, body: { family: 0 }, attrs: {} };
const linkDump = loadHex('done/link-dump-reply.hex');
const linkCount = decode(linkDump).filter((m) => m.type === 'RTM_NEWLINK').length;

test('a multipart dump streams every message until NLMSG_DONE', async () => {
  const sock = new FakeSocket((m) => [stamp(linkDump, m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const out = await engine.dump(dumpReq);
  assert.equal(out.length, linkCount);
  assert.ok(linkCount >= 3);
});

const interrupted = (seq: number) =>
  stamp(linkDump, seq, (m) => (m.type === 'NLMSG_DONE' ? (m.header.flags |= NLM_F_DUMP_INTR) : undefined));

test("DUMP_INTR, even only on NLMSG_DONE: 'retry' dumps again and returns the clean result", async () => {
  const sock = new FakeSocket((m, n) => [n === 0 ? interrupted(m.header.seq) : stamp(linkDump, m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const out = await engine.dump(dumpReq);
  assert.equal(sock.sent.length, 2);
  assert.equal(out.length, linkCount);
  assert.equal(out.interrupted, undefined);
});

test("DUMP_INTR: 'retry' is bounded, then throws DumpInterruptedError with the partial result", async () => {
  const sock = new FakeSocket((m) => [interrupted(m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const err = await engine.dump(dumpReq, { retries: 2 }).catch((e) => e);
  assert.ok(err instanceof DumpInterruptedError);
  assert.equal(sock.sent.length, 3);
  assert.equal(err.partial.length, linkCount);
});

test("DUMP_INTR: 'partial' returns what arrived, flagged; 'throw' throws at once", async () => {
  const sock = new FakeSocket((m) => [interrupted(m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const out = await engine.dump(dumpReq, { onInterrupted: 'partial' });
  assert.equal(out.interrupted, true);
  assert.equal(out.length, linkCount);
  await assert.rejects(engine.dump(dumpReq, { onInterrupted: 'throw' }), DumpInterruptedError);
  assert.equal(sock.sent.length, 2);
});

test('dumpConverted: converted as it arrives, with the same interruption policy as dump()', async () => {
  const isLink = (m: NetlinkMessage) => m.type === 'RTM_NEWLINK';
  const name = (m: NetlinkMessage) => (m.attrs as { ifname?: string }).ifname;
  const clean = new Engine(new FakeSocket((m) => [stamp(linkDump, m.header.seq)]), messages, () => {});
  const names = (await clean.dump(dumpReq)).filter(isLink).map(name);
  assert.deepEqual([...(await clean.dumpConverted(dumpReq, isLink, name))], names);

  const sock = new FakeSocket((m, n) => [n === 0 ? interrupted(m.header.seq) : stamp(linkDump, m.header.seq)]);
  const retried = await new Engine(sock, messages, () => {}).dumpConverted(dumpReq, isLink, name);
  assert.deepEqual([...retried], names);
  assert.equal(sock.sent.length, 2);
  assert.equal(retried.interrupted, undefined);

  const always = new Engine(new FakeSocket((m) => [interrupted(m.header.seq)]), messages, () => {});
  const partial = await always.dumpConverted(dumpReq, isLink, name, { onInterrupted: 'partial' });
  assert.deepEqual([...partial], names);
  assert.equal(partial.interrupted, true);
  // A give-up carries the raw messages, as dump()'s does.
  const err = await always.dumpConverted(dumpReq, isLink, name, { retries: 1 }).catch((e) => e);
  assert.ok(err instanceof DumpInterruptedError);
  assert.equal(err.partial.length, linkCount);
  assert.equal((err.partial[0] as NetlinkMessage).type, 'RTM_NEWLINK');
  await assert.rejects(always.dumpConverted(dumpReq, isLink, name, { onInterrupted: 'throw' }), DumpInterruptedError);
});

test('a dump that fails reports the error NLMSG_DONE carries', async () => {
  const sock = new FakeSocket((m) => [stamp(loadHex('done/route-dump-missing-table-reply.hex'), m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const err = await engine
    .dump({ type: 'RTM_GETROUTE', header: {} as never, body: { family: 2 }, attrs: { table: 1000 } })
    .catch((e) => e);
  assert.ok(err instanceof NetlinkError);
  assert.ok(err.extack.msg);
});

test('replies for unknown sequence numbers are ignored', async () => {
  const sock = new FakeSocket((m) => [ack(m.header.seq + 100), ack(m.header.seq)]);
  const engine = new Engine(sock, messages, () => {});
  const r = await engine.request(getLink);
  assert.deepEqual(r.replies, []);
});

test('close() rejects what is pending and closes the socket', async () => {
  const sock = new FakeSocket(() => []);
  const engine = new Engine(sock, messages, () => {});
  const p = engine.request(getLink);
  await new Promise((r) => setImmediate(r));
  engine.close();
  await assert.rejects(p, /closed/);
  assert.ok(sock.closed);
});

/** The messages of a buffer, and a copy of it with message `n`'s first attribute made malformed. */
function breakMessage(bytes: Uint8Array, n: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += (view.getUint32(pos, true) + 3) & ~3;
  view.setUint16(pos + 16 + 16, 2, true); // nla_len 2 (below 4) after nlmsghdr + ifinfomsg
  return out;
}

test('a dump keeps every message that decodes and lists the ones that do not (undecodable)', async () => {
  const sock = new FakeSocket((m) => [breakMessage(stamp(loadHex('done/link-dump-reply.hex'), m.header.seq), 1)]);
  const engine = new Engine(sock, messages, () => {});
  const all = decode(loadHex('done/link-dump-reply.hex')).filter((m) => m.type === 'RTM_NEWLINK');
  assert.ok(all.length >= 3);
  const got = await engine.dump(getLink);
  assert.deepEqual(
    got.map((m) => m.attrs.ifname),
    all.filter((_, i) => i !== 1).map((m) => m.attrs.ifname),
  );
  assert.equal(got.undecodable?.length, 1);
  assert.match(got.undecodable![0]!.error.message, /attribute length 2 is below 4/);
  assert.equal(new DataView(got.undecodable![0]!.bytes.buffer).getUint32(0, true), got.undecodable![0]!.bytes.length);
  // The socket stays usable.
  assert.equal((await engine.dump(getLink)).length, all.length - 1);
});

test('a request whose reply does not decode rejects with the DecodeError', async () => {
  const sock = new FakeSocket((m) => [
    breakMessage(stamp(loadHex('link/lo-reply.hex'), m.header.seq), 0),
    ack(m.header.seq),
  ]);
  const engine = new Engine(sock, messages, () => {});
  await assert.rejects(engine.request(getLink), /attribute length 2 is below 4/);
});
