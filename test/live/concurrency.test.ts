// Live (root): 8 clients in 8 namespaces doing 1,000 mixed operations at once: rtnetlink
// (veth and address adds), ioctl (tap creation on /dev/net/tun, ethtool per-driver counters)
// and generic netlink (ethtool channels). Every object is named after its namespace, so an
// operation that ran in the wrong namespace either fails (no such device there) or leaves its
// object in the wrong place; `ip -n NS -j` afterwards must show each namespace holding exactly
// its own objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipJson, needsRoot, withTestNetnses } from '../helpers/netns.js';

const CLIENTS = 8;
const UNITS = 25; // per client; each unit is 5 operations: 8 x 25 x 5 = 1,000

test('8 clients in 8 namespaces, 1,000 mixed operations at once: none lands in the wrong namespace', {
  skip: needsRoot,
}, async (t) => {
  await withTestNetnses(CLIENTS, async (names, clients) => {
    let ops = 0;
    const wrong: string[] = [];
    const t0 = performance.now();
    await Promise.all(
      clients.map((nl, i) =>
        Promise.all(
          Array.from({ length: UNITS }, async (_, j) => {
            const v = `c${i}v${j}`;
            await nl.links.add({ name: v, kind: 'veth', peer: { name: `c${i}p${j}` } });
            ops++;
            await nl.addresses.add(v, `10.${i}.${j}.1/24`);
            ops++;
            // ioctl in the client's namespace: the peer index it reports must be this namespace's peer.
            const stats = await nl.ethtool.stats(v, { numbers: true });
            ops++;
            const peer = await nl.links.get(`c${i}p${j}`);
            if (stats.peer_ifindex !== peer.index)
              wrong.push(`${v}: peer_ifindex ${stats.peer_ifindex} != ${peer.index}`);
            // generic netlink in the client's namespace.
            const ch = await nl.ethtool.channels(v);
            ops++;
            if (!(typeof ch.rxMax === 'number' || typeof ch.combinedMax === 'number' || Object.keys(ch).length > 0))
              wrong.push(`${v}: channels ${JSON.stringify(ch)}`);
            // ioctl on /dev/net/tun, opened inside the namespace.
            await nl.links.add({ name: `c${i}t${j}`, kind: 'tap' });
            ops++;
          }),
        ),
      ),
    );
    const ms = performance.now() - t0;
    assert.equal(ops, CLIENTS * UNITS * 5);
    assert.deepEqual(wrong, []);
    for (const [i, ns] of names.entries()) {
      const links = (ipJson(ns, 'link', 'show') as Array<{ ifname: string }>)
        .map((l) => l.ifname)
        .filter((n) => n !== 'lo');
      const stray = links.filter((n) => !n.startsWith(`c${i}`));
      assert.deepEqual(stray, [], `namespace ${i} holds another namespace's links`);
      assert.equal(links.length, UNITS * 3, `namespace ${i}: ${links.length} links`);
      const addrs = (ipJson(ns, '-4', 'addr', 'show') as Array<{ addr_info: Array<{ local: string }> }>)
        .flatMap((l) => l.addr_info.map((a) => a.local))
        .filter((a) => a !== '127.0.0.1');
      assert.equal(addrs.length, UNITS, `namespace ${i}: ${addrs.length} addresses`);
      assert.ok(
        addrs.every((a) => a.startsWith(`10.${i}.`)),
        `namespace ${i} holds another's addresses`,
      );
    }
    t.diagnostic(
      `concurrency: ${ops} operations (rtnetlink, ethtool ioctl, tap ioctl, generic netlink) from ${CLIENTS} clients in ${CLIENTS} namespaces at once in ${Math.round(ms)} ms: 0 in the wrong namespace`,
    );
  });
});
