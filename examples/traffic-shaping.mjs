// example-requires: tc
// Recipe: traffic shaping. Limit what a container may send to 10 Mbit/s with a token bucket
// (tbf) on the host side of its veth, then remove the limit.
//
// Written against a qdisc API (`nl.qdiscs`) that is not in rtnl yet: until it is, the test suite
// skips this recipe (see the `example-requires` line above), and running it fails.
//
// Run as root: node examples/traffic-shaping.mjs
//
// Equivalent to:
//   ip link add veth-shape type veth peer name vs-peer; ip link set veth-shape up
//   tc qdisc replace dev veth-shape root tbf rate 10mbit burst 32kb latency 50ms
//   tc -s qdisc show dev veth-shape
//   tc qdisc del dev veth-shape root
import { Rtnl } from 'rtnl';

const nl = await Rtnl.open();
try {
  await nl.links.add({ name: 'veth-shape', kind: 'veth', peer: { name: 'vs-peer' }, up: true });
  await nl.qdiscs.replace({
    link: 'veth-shape',
    parent: 'root',
    kind: 'tbf',
    tbf: { rate: 10_000_000 / 8, burst: 32 * 1024, latency: 50_000 }, // bytes/s, bytes, microseconds
  });
  for (const q of await nl.qdiscs.list({ link: 'veth-shape' })) console.log(q.kind, q.handle, q.parent);
  await nl.qdiscs.delete({ link: 'veth-shape', parent: 'root' });
} finally {
  await nl.links.delete('veth-shape', { ifExists: true });
  await nl.close();
}
