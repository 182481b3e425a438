// Live (root): what one call costs. Each call validates its input once, resolves each link name
// once (one ioctl(SIOCGIFINDEX) each, no netlink message), and reads a created link back with a GET
// sent in the same datagram as the create.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Rtnl } from '../../src/index.js';
import { IfIndexSocket } from '../../src/ffi/ifindex.js';
import { validationCounts } from '../../src/ops/validate.js';
import { kernelHasKind, needsRoot, withTestNetns, withTestNetnses } from '../helpers/netns.js';

/** What `fn` cost: requests made, datagrams sent (round trips) and validation passes. */
async function cost<T>(
  nl: Rtnl,
  fn: () => Promise<T>,
): Promise<{ result: T; requests: number; sends: number; passes: number; lookups: number }> {
  const c = nl.engine.counts;
  const [requests, sends, passes, lookups] = [c.requests, c.sends, validationCounts.passes, IfIndexSocket.lookups];
  const result = await fn();
  return {
    result,
    requests: c.requests - requests,
    sends: c.sends - sends,
    passes: validationCounts.passes - passes,
    lookups: IfIndexSocket.lookups - lookups,
  };
}

describe('round trips and validation passes', { skip: needsRoot }, () => {
  test('links.add of a vxlan with dev and master: 2 round trips, one validation pass', async (t) => {
    if (!kernelHasKind('vxlan')) return t.skip('no vxlan in this kernel');
    await withTestNetns(async (_ns, nl) => {
      const br = await nl.links.add({ name: 'br0', kind: 'bridge' });
      const u0 = await nl.links.add({ name: 'u0', kind: 'veth', peer: { name: 'u1' } });
      const c = await cost(nl, () =>
        nl.links.add({ name: 'vx0', kind: 'vxlan', master: 'br0', up: true, vxlan: { id: 42, dev: 'u0', port: 4789 } }),
      );
      // br0 and u0 are resolved by SIOCGIFINDEX (an ioctl on the client's socket, no netlink
      // message); then one datagram: RTM_NEWLINK, and RTM_GETLINK vx0 to read it back.
      assert.deepEqual([c.sends, c.requests, c.passes, c.lookups], [1, 2, 1, 2]);
      const vx = c.result;
      assert.equal(vx.master, br.index, 'read back after it was enslaved');
      assert.equal(vx.attrs.linkinfo?.data && (vx.attrs.linkinfo.data as { link?: number }).link, u0.index);
      assert.deepEqual([vx.name, vx.kind, vx.up], ['vx0', 'vxlan', true]);
    });
  });

  test('a link without names to resolve: one round trip, and add() returns what get() returns', async (t) => {
    if (!kernelHasKind('vxlan')) return t.skip('no vxlan in this kernel');
    await withTestNetns(async (_ns, nl) => {
      const c = await cost(nl, () => nl.links.add({ name: 'e0', kind: 'veth', peer: { name: 'e1' }, mtu: 1400 }));
      // A plain veth is checked by the zod-free predicates (validate.ts `plain`): no schema pass.
      assert.deepEqual([c.sends, c.requests, c.passes], [1, 2, 0]);
      const got = await nl.links.get('e0');
      assert.deepEqual(c.result, got);
      // A name used twice in one call (the link, and the kind's own dev) is resolved once.
      const twice = await cost(nl, () =>
        nl.links.add({ name: 'vx1', kind: 'vxlan', link: 'e0', vxlan: { id: 7, dev: 'e0', port: 4789 } }),
      );
      assert.deepEqual([twice.sends, twice.requests, twice.passes, twice.lookups], [1, 2, 1, 1]);
      const data = twice.result.attrs.linkinfo?.data as { link?: number } | undefined;
      assert.equal(data?.link, got.index);
    });
  });

  test('links.set by name: one request; with kind options the link is read once', async () => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge' });
      await nl.links.add({ name: 's0', kind: 'veth', peer: { name: 's1' } });
      let c = await cost(nl, () => nl.links.set('s0', { mtu: 1300, up: true }));
      // A plain name and plain options are checked without a schema pass (validate.ts `plain`).
      assert.deepEqual([c.sends, c.requests, c.passes], [1, 1, 0]);
      c = await cost(nl, () => nl.links.set('s0', { master: 'br0' }));
      assert.deepEqual([c.sends, c.requests, c.lookups], [1, 1, 1]); // br0 by SIOCGIFINDEX
      c = await cost(nl, () => nl.links.set('br0', { bridge: { stpState: 0 } }));
      assert.deepEqual([c.sends, c.requests], [2, 2]);
      const s0 = await nl.links.get('s0');
      assert.deepEqual([s0.mtu, s0.up, s0.master], [1300, true, (await nl.links.get('br0')).index]);
    });
  });

  test('routes.add resolves a device named by several nexthops once', async () => {
    await withTestNetns(async (_ns, nl) => {
      await nl.links.add({ name: 'r0', kind: 'veth', peer: { name: 'r1' }, up: true });
      await nl.links.set('r1', { up: true });
      await nl.addresses.add('r0', '192.0.2.1/24');
      const c = await cost(nl, () =>
        nl.routes.add({
          dst: '10.2.0.0/16',
          dev: 'r0',
          multipath: [
            { gateway: '192.0.2.2', dev: 'r0' },
            { gateway: '192.0.2.3', dev: 'r0', weight: 2 },
          ],
        }),
      );
      // r0 is looked up once (SIOCGIFINDEX), then one datagram: RTM_NEWROUTE.
      assert.deepEqual([c.sends, c.requests, c.passes, c.lookups], [1, 1, 1, 1]);
    });
  });

  test('a link created in another namespace is read back from there (no echo reaches us)', async () => {
    await withTestNetnses(2, async ([, b], [na]) => {
      const link = await na!.links.add({ name: 'far0', kind: 'veth', peer: { name: 'far1' }, netns: b! });
      assert.equal(link.name, 'far0');
      assert.equal(await na!.links.exists('far0'), false);
    });
  });
});
