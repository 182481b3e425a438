// Traffic-control codec against the golden fixtures in fixtures/tc/: every tc message decodes to
// declared fields (nothing left as unknown or raw but the option-less kinds), and the values
// agree with what `tc -j` printed from the same bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, type ErrorBody, type NetlinkMessage } from '../../src/codec/index.js';
import * as C from '../../src/codec/constants/index.js';
import { actionList, u32Sel, type U32Sel } from '../../src/codec/tc/index.js';
import { Writer } from '../../src/codec/writer.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';

const tcFixtures = allFixtures('tc');
const OPTIONLESS = new Set(['ingress', 'clsact', 'mq', 'noqueue']);

/** Paths of every $unknown, $extra and $raw in a decoded value. */
function irregular(v: unknown, path: string, out: string[]): void {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === '$unknown' || k === '$extra' || k === '$raw') out.push(`${path}.${k}`);
    else irregular(x, `${path}.${k}`, out);
  }
}

/** The echoed request of an NLMSG_ERROR as a whole message again. */
function echoed(h: ErrorBody['request'], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  v.setUint16(4, h.type, true);
  v.setUint16(6, h.flags, true);
  out.set(payload, 16);
  return out;
}

const msgs = (name: string) => decode(loadFixture(`tc/${name}`).bytes);
const objects = (name: string) => msgs(name).filter((m) => !m.type.startsWith('NLMSG_'));

test('there are tc fixtures for qdiscs, classes, filters, chains, actions and refusals', () => {
  const names = tcFixtures.map((f) => f.name);
  for (const want of [
    'tbf-reply',
    'htb-class-reply',
    'u32-reply',
    'chain-reply',
    'mirred-actions-reply',
    'cake-add-reply',
  ])
    assert.ok(names.includes(`tc/${want}.hex`), want);
  assert.ok(tcFixtures.length >= 60, `only ${tcFixtures.length}`);
});

test('every tc message decodes into declared attributes', () => {
  for (const f of tcFixtures) {
    for (const m of decode(f.bytes)) {
      const bad: string[] = [];
      if (m.type === 'NLMSG_ERROR') {
        const { payload, ...h } = (m.body as ErrorBody).request;
        if (payload) for (const inner of decode(echoed(h, payload))) irregular(inner.attrs, `${f.name} echoed`, bad);
      } else {
        irregular(m.attrs, `${f.name} ${m.type}`, bad);
      }
      const kind = (m.attrs as { kind?: string }).kind;
      const allowed = bad.filter((p) => !(OPTIONLESS.has(kind ?? '') && p.endsWith('.options.$raw')));
      assert.deepEqual(allowed, [], f.name);
    }
  }
});

test('tbf: the rate tc printed is TCA_TBF_PARMS rate, or TCA_TBF_RATE64 above 32 bits', () => {
  const [tbf] = objects('tbf-reply.hex').filter((m) => m.attrs.kind === 'tbf');
  const json = loadFixture('tc/tbf-reply.hex').json as Array<{ options: { rate: number } }>;
  assert.equal(tbf!.attrs.options.parms.rate, json[0]!.options.rate);
  assert.equal(tbf!.body.handle, 0x10000);
  assert.equal(tbf!.body.parent, C.TC_H_ROOT);
  const req = msgs('tbf-rate64-replace-request.hex')[0]!;
  assert.equal(req.attrs.options.rate64, 6_250_000_000n); // 50gbit in bytes/s
  assert.equal(req.attrs.options.prate64, 7_500_000_000n);
  assert.equal(req.attrs.options.parms.rate, 0xffffffff);
  // no rate tables: iproute2 6.1 still sends them; the kernel ignores them for tbf (see docs/tc.md)
  assert.ok(req.attrs.options.rtab instanceof Uint8Array);
});

test('htb: qdisc init, class parms, and 64-bit class rates', () => {
  const q = objects('htb-reply.hex').find((m) => m.attrs.kind === 'htb')!;
  assert.equal(q.attrs.options.init.defcls, 0x10);
  assert.equal(q.attrs.options.init.rate2quantum, 10);
  assert.equal(q.attrs.options.directQlen, 1000);
  const classes = objects('htb-class-reply.hex');
  const c20 = classes.find((m) => m.body.handle === 0x10020)!;
  assert.equal(c20.attrs.options.rate64, 6_250_000_000n); // 50gbit
  assert.equal(c20.attrs.options.parms.rate, 0xffffffff);
  assert.equal(c20.attrs.options.parms.prio, 2);
  assert.equal(typeof c20.attrs.xstats.tokens, 'number');
});

test('u32: selector keys from pkt_cls.h (be32 mask and value, offsets), hash tables and links', () => {
  const add = msgs('u32-add-request.hex')[0]!;
  const sel = add.attrs.options.sel as U32Sel;
  assert.equal(sel.nkeys, 2);
  assert.deepEqual(sel.keys![0], { mask: 0xffffff00, val: 0xc0000200, off: 16, offmask: 0 }); // dst 192.0.2.0/24
  assert.deepEqual(sel.keys![1], { mask: 0x0000ffff, val: 80, off: 20, offmask: 0 }); // dport 80
  assert.equal(add.attrs.options.classid, 0x10010);
  const link = msgs('u32-link-add-request.hex')[0]!;
  assert.equal(link.attrs.options.link, 0x200000);
  assert.equal(link.attrs.options.sel.hmask, 0xff);
  assert.equal(link.attrs.options.sel.hoff, 12);
  // a selector re-encodes on its own, and keys default nkeys
  const w = new Writer();
  u32Sel.encode(w, { flags: 1, keys: [{ mask: 0xffffffff, val: 1, off: 12, offmask: 0 }] }, 'sel');
  const bytes = w.finish();
  assert.equal(bytes.length, 32);
  assert.equal(bytes[2], 1);
});

test('filter actions: mirred inside u32, numbered from 1 in requests', () => {
  const req = msgs('u32-mirred-add-request.hex')[0]!;
  const [act] = req.attrs.options.act;
  assert.equal(act.kind, 'mirred');
  assert.equal(act.options.parms.eaction, C.TCA_EGRESS_REDIR);
  assert.equal(act.options.parms.action, C.TC_ACT_STOLEN);
  const reply = objects('clsact-filters-reply.hex').find((m) => m.attrs.options?.act)!;
  assert.equal(reply.attrs.options.act[0].stats.basic.packets, 0);
});

test('standalone action dumps number their actions from 0, and keep that on re-encoding', () => {
  const [m] = objects('mirred-actions-reply.hex');
  const tab = m!.attrs.tab as Array<{ kind: string; options: { parms: { index: number } } }>;
  assert.equal(m!.attrs.count, tab.length);
  assert.deepEqual(
    tab.map((a) => a.options.parms.index),
    [1, 2, 3, 7],
  );
  // a fresh list numbers from 1
  const fresh: NetlinkMessage = {
    type: 'RTM_GETACTION',
    header: { len: 0, type: C.RTM_GETACTION, flags: 0, seq: 0, pid: 0 },
    body: { family: 0 },
    attrs: { tab: [{ kind: 'mirred', index: 7 }] },
  };
  const bytes = encode(fresh);
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint16(16 + 4 + 4 + 2, true), 1); // first action's nla_type
  assert.ok(actionList);
});

test('bpf: classic BPF ops; the kernel refuses flower, matchall, gact, police and missing qdiscs with extack text', () => {
  const bpf = objects('bpf-cbpf-reply.hex').find((m) => m.attrs.options)!;
  assert.equal(bpf.attrs.options.opsLen, 1);
  assert.equal(bpf.attrs.options.ops.length, 8);
  for (const [name, text] of [
    ['flower-add-reply.hex', 'TC classifier not found'],
    ['matchall-add-reply.hex', 'TC classifier not found'],
    ['cake-add-reply.hex', 'Specified qdisc kind is unknown'],
    ['gact-action-add-reply.hex', 'Failed to load TC action module'],
  ] as const) {
    const [err] = msgs(name);
    assert.equal(err!.type, 'NLMSG_ERROR', name);
    assert.ok((err!.body as { error: number }).error < 0, name);
    assert.match(String(err!.attrs.msg), new RegExp(text), name);
  }
  const flower = msgs('flower-add-request.hex')[0]!;
  assert.equal(flower.attrs.options.keyIpv4Dst, '192.0.2.1');
  assert.equal(flower.attrs.options.keyTcpDst, 80);
  assert.equal(flower.attrs.options.keyEthType, 0x0800);
});

test('an ACK can carry a warning: htb class add with a big quantum', () => {
  const [ack] = msgs('htb-class-add-reply.hex');
  assert.equal((ack!.body as { error: number }).error, 0);
  assert.match(String(ack!.attrs.msg), /quantum of class 10010 is big/);
});
