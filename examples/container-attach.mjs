// Recipe: attach a "container" (a network namespace) to a bridge on the host, as a container
// runtime or CNI bridge plugin does: a bridge with the gateway address, a veth pair with one end
// on the bridge and the other moved into the namespace as eth0, addresses, a default route and
// forwarding. Then tear it all down again (pass --keep to leave it in place).
//
// Run as root: node examples/container-attach.mjs [--keep]
//
// Equivalent to:
//   ip netns add ctr1
//   ip link add br-lab type bridge; ip addr add 10.88.0.1/24 dev br-lab; ip link set br-lab up
//   ip link add veth-ctr1 type veth peer name vc-ctr1
//   ip link set veth-ctr1 master br-lab up; ip link set vc-ctr1 netns ctr1 name eth0
//   ip -n ctr1 addr add 10.88.0.2/24 dev eth0; ip -n ctr1 link set eth0 up; ip -n ctr1 link set lo up
//   ip -n ctr1 route add default via 10.88.0.1
//   ip netns exec ctr1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
import { netns, Rtnl, sysctl } from 'rtnl';

const NS = 'ctr1';
const keep = process.argv.includes('--keep');

await netns.create(NS);
const host = await Rtnl.open();
const ctr = await Rtnl.open({ netns: NS });
try {
  const br = await host.links.add({ name: 'br-lab', kind: 'bridge', bridge: { stpState: 0 }, up: true, exist: 'ok' });
  await host.addresses.replace('br-lab', '10.88.0.1/24');
  await host.links.add({ name: 'veth-ctr1', kind: 'veth', peer: { name: 'vc-ctr1' } });
  await host.links.set('veth-ctr1', { master: br.index, up: true });
  await host.links.set('vc-ctr1', { netns: NS, name: 'eth0' });      // move and rename in one request

  await ctr.addresses.add('eth0', '10.88.0.2/24');
  await ctr.links.set('eth0', { up: true });
  await ctr.links.set('lo', { up: true });
  await ctr.routes.add({ dst: 'default', gateway: '10.88.0.1' });
  await sysctl.set('net.ipv6.conf.all.disable_ipv6', '1', { netns: NS });

  const eth0 = await ctr.links.get('eth0');
  const [route] = (await ctr.routes.list({ table: 'main', family: 4 })).filter((r) => r.dst === 'default');
  console.log(`${NS}: eth0 index ${eth0.index}, ${eth0.address}, default via ${route?.gateway}`);
} finally {
  await ctr.close();
  if (!keep) {
    await host.links.delete('veth-ctr1', { ifExists: true });       // takes eth0 in ctr1 with it
    await host.links.delete('br-lab', { ifExists: true });
    await netns.delete(NS, { ifExists: true });
  }
  await host.close();
}
