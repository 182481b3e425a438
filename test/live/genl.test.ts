// Live (root): generic netlink family resolution, in a fresh namespace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GENL_ID_CTRL } from '../../src/codec/constants/index.js';
import { resolveFamily, RtnlError } from '../../src/index.js';
import { genlEngine } from '../../src/ops/genl-client.js';
import { needsRoot, openFds, withTestNetns } from '../helpers/netns.js';

describe('generic netlink', { skip: needsRoot }, () => {
  test('resolveFamily: nlctrl by name, cached per client; a missing family is a clear error', async () => {
    const before = openFds();
    await withTestNetns(async (_ns, nl) => {
      const ctrl = await resolveFamily(nl, 'nlctrl');
      assert.equal(ctrl.id, GENL_ID_CTRL);
      assert.equal(ctrl.name, 'nlctrl');
      assert.ok(ctrl.version >= 1);
      assert.equal(ctrl.mcastGroups.notify, GENL_ID_CTRL);
      assert.ok(ctrl.ops.length >= 1);
      assert.equal(await resolveFamily(nl, 'nlctrl'), ctrl, 'cached');
      await assert.rejects(resolveFamily(nl, 'wireguard'), (e: unknown) => {
        assert.ok(e instanceof RtnlError);
        assert.equal(e.message, "genl family 'wireguard' not available in this kernel");
        assert.equal(e.code, 'ERR_RTNL_NO_GENL_FAMILY');
        return true;
      });
      assert.equal(genlEngine(nl).isClosed, false);
    });
    assert.equal(openFds(), before, 'the generic netlink socket closes with the client');
  });
});
