// Recipe: traffic shaping. Limit what a container may send to 10 Mbit/s with a token bucket
// (tbf) on the host side of its veth, then remove the limit.
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
  await nl.tc.qdiscs.replace({
    dev: 'veth-shape',
    parent: 'root',
    kind: 'tbf',
    options: { rate: '10mbit', burst: '32kb', latency: '50ms' }, // or bytes/s, bytes, microseconds
  });
  for (const q of await nl.tc.qdiscs.list({ dev: 'veth-shape' }))
    console.log(q.kind, q.handle, q.parent, `sent ${q.stats?.bytes ?? 0} bytes`);
  await nl.tc.qdiscs.delete({ dev: 'veth-shape', parent: 'root' });
} finally {
  await nl.links.delete('veth-shape', { ifExists: true });
  await nl.close();
}
