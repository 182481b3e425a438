// `rtnl decode`: fixture hex (with comments), raw binary on stdin, and bad input. No root.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inputBytes } from '../../src/cli/decode.js';
import { loadHex } from '../helpers/fixtures.js';
import { ROOT, rtnl } from './helpers.js';

describe('rtnl decode', () => {
  test('a fixture file: the message type, attributes, bigints as strings and unknown bytes as hex', async () => {
    const r = await rtnl(['decode', 'fixtures/link/bridge-port-reply.hex']);
    assert.equal(r.status, 0, r.stderr);
    const [m] = JSON.parse(r.stdout);
    assert.equal(m.type, 'RTM_NEWLINK');
    assert.equal(m.header.type, 16);
    assert.equal(m.body.index, 7);
    assert.equal(m.attrs.ifname, 'p0');
    assert.equal(m.attrs.master, 2);
    assert.equal(m.attrs.linkinfo.kind, 'veth');
    assert.equal(m.attrs.linkinfo.slaveKind, 'bridge');
    assert.equal(m.attrs.linkinfo.slaveData.state, 'DISABLED');
    assert.equal(m.attrs.stats64.rxPackets, '0', 'u64 prints as a decimal string');
    assert.equal(m.attrs.$unknown, undefined, 'every attribute of a 6.18 reply is named');
    assert.equal(m.attrs.map.pad, undefined, 'zero struct padding is not decoded');
    assert.equal(m.attrs.linkinfo.slaveData.rootId.priority, 32768, 'a bridge priority is a number');
  });

  test('byte fields print as hex', async () => {
    const r = await rtnl(['decode', 'fixtures/tc/bpf-cbpf-reply.hex']);
    assert.equal(r.status, 0, r.stderr);
    const filter = (JSON.parse(r.stdout) as Array<{ attrs: { options?: { ops?: unknown } } }>).find(
      (m) => m.attrs.options?.ops !== undefined,
    );
    // The classic BPF program `ret #-1` (tc ... bpf bytecode '1,6 0 0 4294967295'), as bytes.
    assert.equal(filter?.attrs.options?.ops, '06000000ffffffff');
  });

  test('raw binary on stdin, and hex on stdin', async () => {
    const bytes = loadHex('route/get-reply.hex');
    const text = readFileSync(join(ROOT, 'fixtures/route/get-reply.hex'), 'utf8');
    const [bin, hex] = await Promise.all([rtnl(['decode', '-'], bytes), rtnl(['-j', 'decode'], text)]);
    assert.equal(bin.status, 0, bin.stderr);
    const [m] = JSON.parse(bin.stdout);
    assert.equal(m.type, 'RTM_NEWROUTE');
    assert.equal(m.attrs.dst, '192.0.2.5');
    assert.equal(hex.status, 0, hex.stderr);
    assert.equal(hex.stdout.trim().split('\n').length, 1, '-j prints one line');
    assert.deepEqual(JSON.parse(hex.stdout), JSON.parse(bin.stdout));
  });

  test('bad input: text that is not hex, truncated bytes, a missing file', async () => {
    const truncated = loadHex('route/get-reply.hex').slice(0, 30);
    const [notHex, trunc, missing] = await Promise.all([
      rtnl(['decode'], '# comment\n1400 0000 zz\n'),
      rtnl(['decode'], truncated),
      rtnl(['decode', 'no/such/file.hex']),
    ]);
    for (const r of [notHex, trunc, missing]) {
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^Error: [^\n]+\n$/);
    }
    assert.match(notHex.stderr, /not hex/);
    assert.match(trunc.stderr, /offset/);
  });

  test('input detection: comments and whitespace are ignored, binary passes through', () => {
    assert.deepEqual([...inputBytes(Buffer.from('# c\n01 02 # x\n0304\n'))], [1, 2, 3, 4]);
    const raw = Uint8Array.of(0x14, 0, 0, 0, 3, 0);
    assert.equal(inputBytes(raw), raw);
  });
});
