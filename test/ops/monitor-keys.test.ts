// A tracking monitor keys each object as the kernel does, so the 'del' of an object finds its
// 'new'. Found by the soak: a bridge FDB entry announced on a port is deleted with the bridge's
// own index once the bridge took over that MAC, and keyed by port, every such entry stayed in the
// monitor's state forever (about 2 KiB per tap or veth churned through a bridge).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Neighbour } from '../../src/index.js';
import { OBJECT_KINDS } from '../../src/ops/objects.js';

const key = (n: Partial<Neighbour>) => OBJECT_KINDS.neighbour.key(n as Neighbour);

test('a bridge FDB entry has one key whichever port it points at', () => {
  const onPort = { family: 'bridge', index: 3, master: 2, lladdr: '62:bf:0d:fc:61:8e' } as const;
  const onBridge = { family: 'bridge', index: 2, master: 2, lladdr: '62:bf:0d:fc:61:8e' } as const;
  assert.equal(key(onPort), key(onBridge));
  // Still apart: another VLAN, another bridge, another MAC.
  assert.notEqual(key(onPort), key({ ...onPort, vlan: 10 }));
  assert.notEqual(key(onPort), key({ ...onPort, master: 7 }));
  assert.notEqual(key(onPort), key({ ...onPort, lladdr: '02:00:00:00:00:01' }));
  // An FDB entry of a device that is no bridge port (a vxlan's remote, a NIC's own list) stays
  // keyed by its device.
  const own = { family: 'bridge', index: 4, lladdr: '02:00:00:00:00:01' } as const;
  assert.notEqual(key(own), key({ ...own, index: 5 }));
  // ARP and NDP entries are per device.
  assert.notEqual(
    key({ family: 4, index: 3, address: '192.0.2.1' } as Partial<Neighbour>),
    key({ family: 4, index: 2, address: '192.0.2.1' } as Partial<Neighbour>),
  );
});
