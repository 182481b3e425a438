// Live (root): a monitor that meets a message it cannot decode yields it as an 'undecodable'
// event and goes on. The bytes are put into the live stream through the @internal test seam.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MonitorEvent } from '../../src/index.js';
import { monitorSeam } from '../../src/ops/monitor.js';
import { loadHex } from '../helpers/fixtures.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

describe('monitor', { skip: needsRoot }, () => {
  test('one undecodable message costs only itself: an undecodable event, then the monitor goes on', async () => {
    await withTestNetns(async (_ns, nl) => {
      // A datagram of two RTM_NEWLINK: lo as captured, and lo with its first attribute broken.
      const lo = loadHex('link/lo-reply.hex');
      const bad = Uint8Array.from(lo);
      new DataView(bad.buffer).setUint16(32, 2, true); // nla_len 2, below 4
      const datagram = new Uint8Array(lo.length + bad.length);
      datagram.set(lo, 0);
      datagram.set(bad, lo.length);
      let injected = false;
      monitorSeam.recv = (sock) => {
        if (injected) return sock.recv();
        injected = true;
        return datagram;
      };
      const ac = new AbortController();
      const events: MonitorEvent[] = [];
      try {
        const it = nl.monitor('link', { signal: ac.signal, track: false });
        const done = (async () => {
          for await (const ev of it) {
            events.push(ev);
            if (ev.type === 'link.new' && ev.object.name === 'u0') ac.abort();
          }
        })();
        // Wait until the injected datagram was read, then change something real.
        while (!injected) await new Promise((r) => setImmediate(r));
        await nl.links.add({ name: 'u0', kind: 'veth', peer: { name: 'u1' } });
        await done;
      } finally {
        monitorSeam.recv = undefined;
        ac.abort();
      }
      assert.equal(events[0]?.type, 'link.new');
      assert.equal(events[0]?.type === 'link.new' && events[0].object.name, 'lo');
      const u = events[1];
      assert.equal(u?.type, 'undecodable');
      if (u?.type === 'undecodable') {
        assert.match(u.error.message, /attribute length 2 is below 4/);
        assert.deepEqual(u.bytes, bad);
      }
      assert.ok(events.some((e) => e.type === 'link.new' && e.object.name === 'u0'));
    });
  });
});
