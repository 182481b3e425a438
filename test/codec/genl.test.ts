// NETLINK_GENERIC: genlmsghdr, the nlctrl family (CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY) from
// real `genl ctrl` captures, and families registered on the table at run time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import {
  attrs,
  genlFamily,
  genlMessageDef,
  genlMessages,
  genlRawBody,
  joinAttrs,
  MessageTable,
  messages,
  parseGenlRaw,
  splitAttrs,
} from '../../src/codec/index.js';
import { loadFixture } from '../helpers/fixtures.js';
import { assertRoundTrip } from '../helpers/round-trip.js';

test('CTRL_CMD_GETFAMILY request and reply: id, version, ops and multicast groups', () => {
  const [req] = genlMessages.decode(loadFixture('genl/getfamily-nlctrl-request.hex').bytes);
  assert.equal(req!.type, 'nlctrl');
  assert.equal(req!.header.type, C.GENL_ID_CTRL);
  assert.deepEqual(req!.body, { cmd: C.CTRL_CMD_GETFAMILY, version: 0, reserved: 0 });
  assert.deepEqual(req!.attrs, { familyName: 'nlctrl' });

  const f = loadFixture('genl/getfamily-nlctrl-reply.hex');
  const [m] = genlMessages.decode(f.bytes);
  assert.equal(m!.body.cmd, C.CTRL_CMD_NEWFAMILY);
  assert.equal(m!.attrs.familyId, C.GENL_ID_CTRL);
  assert.equal(m!.attrs.familyName, 'nlctrl');
  assert.deepEqual(m!.attrs.ops, [
    { id: C.CTRL_CMD_GETFAMILY, flags: m!.attrs.ops[0].flags },
    { id: C.CTRL_CMD_GETPOLICY, flags: m!.attrs.ops[1].flags },
  ]);
  assert.ok(m!.attrs.ops[0].flags & C.GENL_CMD_CAP_DO);
  assert.deepEqual(m!.attrs.mcastGroups, [{ id: 16, name: 'notify' }]);
  assertRoundTrip(f.bytes, genlMessages);
});

test('a family the kernel lacks: ENOENT, the request echoed as an nlctrl message', () => {
  const [e] = genlMessages.decode(loadFixture('genl/getfamily-missing-reply.hex').bytes);
  assert.equal(e!.body.error, -2);
  assert.equal(e!.body.request.type, C.GENL_ID_CTRL);
  const [echoed] = genlMessages.decode(loadFixture('genl/getfamily-missing-request.hex').bytes);
  assert.equal(echoed!.attrs.familyName, 'wireguard');
});

test('CTRL_CMD_GETPOLICY: policy index -> attribute -> policy, and op -> do/dump policy', () => {
  const f = loadFixture('genl/getpolicy-nlctrl-reply.hex');
  const msgs = genlMessages.decode(f.bytes).filter((m) => m.type === 'nlctrl');
  const op = msgs.find((m) => m.attrs.opPolicy?.[C.CTRL_CMD_GETFAMILY]);
  assert.deepEqual({ ...op!.attrs.opPolicy[C.CTRL_CMD_GETFAMILY] }, { do: 0, dump: 0 });
  const pol = msgs.find((m) => m.attrs.policy?.[0]?.[C.CTRL_ATTR_FAMILY_NAME]);
  assert.deepEqual({ ...pol!.attrs.policy[0][C.CTRL_ATTR_FAMILY_NAME] }, { maxLength: 15, type: 'NUL_STRING' });
  assertRoundTrip(f.bytes, genlMessages);
});

test('elements numbered out of order, or without NLA_F_NESTED, are kept and re-encode as they came', () => {
  const f = loadFixture('genl/getfamily-nlctrl-reply.hex');
  const bytes = Uint8Array.from(f.bytes);
  const [m] = genlMessages.decode(bytes);
  // Renumber the second CTRL_ATTR_OPS element (2 -> 7): the list decodes the same, and the
  // original numbering survives the round trip.
  const enc = genlMessages.encode(m!);
  const at = Buffer.from(enc).indexOf(Buffer.from([0x14, 0, 2, 0]));
  assert.ok(at > 0);
  enc[at + 2] = 7;
  const [again] = genlMessages.decode(enc);
  assert.deepEqual(again!.attrs.ops, m!.attrs.ops);
  assertRoundTrip(enc, genlMessages);
});

test('a family registered at run time decodes by its id, and cmd selects its attribute set', () => {
  const table = new MessageTable([], { protocol: C.NETLINK_GENERIC });
  const a = attrs('T_A', { name: [1, 'string'] });
  const b = attrs('T_B', { count: [1, 'u32'] });
  table.register(genlMessageDef(genlFamily({ name: 'test', attrs: a, cmds: { 5: b } }), 0x30));
  const one = table.encode({ type: 'test', header: {} as any, body: { cmd: 1, version: 1 }, attrs: { name: 'x' } });
  const five = table.encode({ type: 'test', header: {} as any, body: { cmd: 5, version: 1 }, attrs: { count: 9 } });
  assert.deepEqual(table.decode(one)[0]!.attrs, { name: 'x' });
  assert.deepEqual(table.decode(five)[0]!.attrs, { count: 9 });
  assert.equal(table.decode(five)[0]!.header.type, 0x30);
  // Re-registered under another id (a family that came back): the old id is forgotten.
  table.register(genlMessageDef(genlFamily({ name: 'test', attrs: a }), 0x31));
  assert.equal(table.typeNumber('test'), 0x31);
  assert.match(table.decode(one)[0]!.type, /^UNKNOWN/);
  assert.equal(messages.protocol, C.NETLINK_ROUTE);
  assert.equal(genlMessages.protocol, C.NETLINK_GENERIC);
});

test('raw generic netlink: a real reply splits into TLVs and joins back byte for byte', () => {
  const bytes = loadFixture('genl/getfamily-ethtool-reply.hex').bytes;
  const body = bytes.subarray(16, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true));
  const raw = parseGenlRaw(body);
  assert.equal(raw.cmd, C.CTRL_CMD_NEWFAMILY);
  const name = raw.attrs.find((a) => a.type === C.CTRL_ATTR_FAMILY_NAME)!;
  assert.equal(new TextDecoder().decode(name.bytes), 'ethtool\0');
  // nlctrl sends its nests without NLA_F_NESTED: the flag bits are kept as they came.
  assert.equal(raw.attrs.find((a) => a.type === C.CTRL_ATTR_OPS)!.flags, 0);
  assert.deepEqual(joinAttrs(raw.attrs), raw.payload);
  assert.deepEqual(genlRawBody(raw.cmd, raw.version, 0, raw.payload), body);
  // The typed decoder agrees on what the raw list holds.
  const [m] = genlMessages.decode(bytes);
  assert.equal(raw.attrs.length, Object.keys(m!.attrs).length);
  assert.throws(() => splitAttrs(Uint8Array.of(8, 0, 1, 0)), /does not fit/);
});
