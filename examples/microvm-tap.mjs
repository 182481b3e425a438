// Recipe: networking for a microVM (Firecracker, Cloud Hypervisor, QEMU): a tap device per VM,
// owned by the user the VMM runs as, on a bridge that has the guests' gateway address.
// To hand the tap's queue fd to a VMM process instead (QEMU's `fd=3`), see docs/tuntap.md.
//
// Run as root: node examples/microvm-tap.mjs [--keep]
//
// Equivalent to:
//   ip link add br-vm type bridge; ip addr add 172.30.0.1/24 dev br-vm; ip link set br-vm up
//   ip tuntap add dev tap-vm1 mode tap vnet_hdr user 1000; ip link set tap-vm1 master br-vm up
import { Rtnl } from 'rtnl';

const keep = process.argv.includes('--keep');
const nl = await Rtnl.open();
try {
  await nl.links.add({ name: 'br-vm', kind: 'bridge', up: true, exist: 'ok' });
  await nl.addresses.replace('br-vm', '172.30.0.1/24');
  // A tap the VMM (running as uid 1000) opens by name; no carrier until the VM starts.
  await nl.links.add({ name: 'tap-vm1', kind: 'tap', tuntap: { owner: 1000, vnetHdr: true }, master: 'br-vm', up: true });
  const tap = await nl.links.get('tap-vm1');
  console.log(`tap-vm1: index ${tap.index}, master ${tap.master}, ${tap.operstate}`);
} finally {
  if (!keep) {
    await nl.links.delete('tap-vm1', { ifExists: true });
    await nl.links.delete('br-vm', { ifExists: true });
  }
  await nl.close();
}
