// Link kinds this kernel cannot create (GRE, IP-in-IP, VTI, geneve, hsr, bareudp, xfrm): the
// requests iproute2 sends decode into typed data, and the kernel refuses each with EOPNOTSUPP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../src/codec/index.js';
import { EOPNOTSUPP } from '../../src/errno.js';
import { loadHex } from '../helpers/fixtures.js';
import { assertRoundTrip } from '../helpers/round-trip.js';

const KINDS = [
  'gre',
  'gretap',
  'erspan',
  'ip6gre',
  'ip6gretap',
  'ipip',
  'sit',
  'ip6tnl',
  'vti',
  'vti6',
  'geneve',
  'hsr',
  'bareudp',
  'xfrm',
  'macsec',
];

const data = (kind: string) => {
  const m = decode(loadHex(`link/${kind}-add-request.hex`)).find((x) => x.type === 'RTM_NEWLINK') as any;
  assert.equal(m.attrs.linkinfo.kind, kind);
  return m.attrs.linkinfo.data;
};

for (const kind of KINDS) {
  test(`${kind}: iproute2's request decodes typed and re-encodes; the kernel refuses it`, () => {
    const d = data(kind);
    assert.ok(d && !('$raw' in d) && !d.$unknown, `${kind} data is typed`);
    assertRoundTrip(loadHex(`link/${kind}-add-request.hex`));
    const [err] = decode(loadHex(`error/${kind}-add-reply.hex`)) as any[];
    assert.equal(err.body.error, -EOPNOTSUPP);
    assert.equal(err.attrs.msg, 'Unknown device type');
  });
}

test('the values iproute2 was given come back out of the typed data', () => {
  // ip link add gre1 type gre local 192.0.2.1 remote 192.0.2.2 ttl 64 key 42
  const gre = data('gre');
  assert.deepEqual([gre.local, gre.remote, gre.ttl, gre.ikey, gre.okey], ['192.0.2.1', '192.0.2.2', 64, 42, 42]);
  // GRE_KEY (__cpu_to_be16(0x2000), which the generator cannot evaluate): one bit, read big-endian.
  assert.equal(gre.iflags, gre.oflags);
  assert.equal(gre.iflags & (gre.iflags - 1), 0, 'one GRE flag bit');
  assert.ok(gre.iflags >= 0x100, 'the GRE flag bits are in the high byte when read big-endian');
  // ... type erspan ... seq key 10 erspan_ver 2 erspan_dir egress erspan_hwid 7
  const es = data('erspan');
  assert.deepEqual([es.erspanVer, es.erspanDir, es.erspanHwid, es.ikey], [2, 1, 7, 10]);
  // ... type ip6gre local 2001:db8::1 remote 2001:db8::2 hoplimit 32 flowlabel 0x12345
  const g6 = data('ip6gre');
  assert.deepEqual([g6.local, g6.remote, g6.ttl], ['2001:db8::1', '2001:db8::2', 32]);
  assert.equal(g6.flowinfo & 0xfffff, 0x12345);
  // ... type sit local 192.0.2.1 remote 192.0.2.2 ttl 32 6rd-prefix 2001:db8::/32
  const sit = data('sit');
  assert.deepEqual([sit.local, sit.ttl, sit['6rdPrefix'], sit['6rdPrefixlen']], ['192.0.2.1', 32, '2001:db8::', 32]);
  // ... type ip6tnl mode ip6ip6 local 2001:db8::1 remote 2001:db8::2 encaplimit 4
  const t6 = data('ip6tnl');
  assert.deepEqual([t6.remote, t6.encapLimit], ['2001:db8::2', 4]);
  // ... type vti local 192.0.2.1 remote 192.0.2.2 ikey 7 okey 8
  const vti = data('vti');
  assert.deepEqual([vti.ikey, vti.okey], [7, 8]);
  // ... type geneve id 7 remote 192.0.2.9
  assert.deepEqual([data('geneve').id, data('geneve').remote], [7, '192.0.2.9']);
  // ... type hsr slave1 k0 slave2 k1 supervision 45 version 1
  assert.deepEqual([data('hsr').multicastSpec, data('hsr').version], [45, 1]);
  // ... type bareudp dstport 6635 ethertype mpls_uc srcportmin 2000 multiproto
  const bu = data('bareudp');
  assert.deepEqual([bu.port, bu.ethertype, bu.srcportMin, bu.multiprotoMode], [6635, 0x8847, 2000, true]);
  // ... type xfrm dev k0 if_id 7
  assert.equal(data('xfrm').ifId, 7);
  // ... type macsec port 11 encrypt on validate strict
  const ms = data('macsec');
  assert.deepEqual([ms.port, ms.encrypt, ms.validation], [11, 1, 'STRICT']);
});
