// A route or rule whose header gives a prefix length but whose message carries no address for it
// reads as the family's any-address with that length, as ip prints it ("0.0.0.0/8", "::/64").
// The kernel sends the address whenever the length is not zero; the fallback is for messages that
// lack it (a request given to `rtnl decode`, another sender), built here by hand for that reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import type { NetlinkMessage } from '../../src/codec/nlmsg.js';
import { toRoute } from '../../src/ops/routes.js';
import { toRule } from '../../src/ops/rules.js';

const header = { len: 0, type: 0, flags: 0, seq: 0, pid: 0 };
const rtmsg = (family: number, dstLen: number, srcLen: number) => ({
  family,
  dstLen,
  srcLen,
  tos: 0,
  table: C.RT_TABLE_MAIN,
  protocol: C.RTPROT_BOOT,
  scope: C.RT_SCOPE_UNIVERSE,
  type: C.RTN_UNICAST,
  flags: 0,
});

test('a route prefix without its address is the any-address of its family', () => {
  const route = (family: number, dstLen: number, srcLen: number) =>
    toRoute({ type: 'RTM_NEWROUTE', header, body: rtmsg(family, dstLen, srcLen), attrs: {} } as NetlinkMessage);
  assert.equal(route(C.AF_INET, 8, 0).dst, '0.0.0.0/8');
  assert.equal(route(C.AF_INET6, 16, 0).dst, '::/16');
  assert.equal(route(C.AF_INET, 0, 0).dst, 'default');
  assert.equal(route(C.AF_INET6, 0, 64).src, '::/64');
  assert.equal(route(C.AF_INET, 0, 24).src, '0.0.0.0/24');
  assert.equal(route(C.AF_INET, 0, 0).src, undefined, 'no source prefix: no src');
});

test('a rule prefix without its address is the any-address of its family', () => {
  const rule = (family: number, srcLen: number) =>
    toRule({
      type: 'RTM_NEWRULE',
      header,
      body: { ...rtmsg(family, 0, srcLen), action: C.FR_ACT_TO_TBL },
      attrs: { table: C.RT_TABLE_MAIN, priority: 100 },
    } as unknown as NetlinkMessage);
  assert.equal(rule(C.AF_INET, 8).from, '0.0.0.0/8');
  assert.equal(rule(C.AF_INET6, 32).from, '::/32');
});
