// Recipe: a monitoring agent. It keeps an up-to-date picture of the links and their addresses
// from netlink events (an initial snapshot, then changes), survives overflow (a 'resync' event
// carries what changed while events were lost), and stops cleanly on SIGINT/SIGTERM or after
// the number of seconds given.
//
// Run: node examples/monitoring-agent.mjs [seconds]     (reading needs no root)
//
// Equivalent to: ip -d link show; ip addr show; ip monitor link address
import { Rtnl } from 'rtnl';

const seconds = Number(process.argv[2] ?? 0);
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => stop.abort());
if (seconds > 0) setTimeout(() => stop.abort(), seconds * 1000).unref();

/** ifindex -> { name, up, addresses } */
const links = new Map();
const entry = (index) => {
  let e = links.get(index);
  if (!e) links.set(index, (e = { name: `#${index}`, up: false, addresses: new Set() }));
  return e;
};
const print = (what) =>
  console.log(
    `${what}: ${[...links.values()].map((l) => `${l.name}${l.up ? '' : ' (down)'} [${[...l.addresses].join(' ')}]`).join(', ')}`,
  );

function apply(ev) {
  if (ev.kind === 'link') {
    if (ev.action === 'del') links.delete(ev.object.index);
    else Object.assign(entry(ev.object.index), { name: ev.object.name, up: ev.object.up });
  } else if (ev.kind === 'address') {
    const a = `${ev.object.address}/${ev.object.prefixLen}`;
    if (ev.action === 'del') links.get(ev.object.index)?.addresses.delete(a);
    else entry(ev.object.index).addresses.add(a);
  }
}

const nl = await Rtnl.open();
try {
  for await (const ev of nl.monitor(['link', 'address'], { initial: true, signal: stop.signal })) {
    if (ev.type === 'synced') print('initial state');
    else if (ev.type === 'resync') {
      // Events were lost; the resync lists what was added, changed and removed meanwhile.
      for (const o of ev.removed) if ('name' in o) links.delete(o.index);
      for (const o of [...ev.added, ...ev.changed])
        if ('name' in o) Object.assign(entry(o.index), { name: o.name, up: o.up });
        else if ('prefixLen' in o) entry(o.index).addresses.add(`${o.address}/${o.prefixLen}`);
      print('resynced');
    } else {
      apply(ev);
      if (!ev.initial) print(`${ev.type} ${ev.kind === 'link' ? ev.object.name : ev.object.address}`);
    }
  }
} finally {
  await nl.close();
}
