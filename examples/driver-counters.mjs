// Recipe: what `ethtool -S` prints, for every interface, on a timer, as a monitoring agent
// collects it: one SIOCETHTOOL read per interface (names and values together, re-read when a
// driver's counter set changes), no process spawned. Interfaces without per-driver counters
// (lo, bridges) are skipped. Prints the counters that moved since the previous round.
//
// Run: node examples/driver-counters.mjs [rounds] [interval-ms]     (reading needs no root)
//
// Equivalent to: for dev in $(ls /sys/class/net); do ethtool -S $dev; done
import { Rtnl } from 'rtnl';

const rounds = Number(process.argv[2] ?? 2);
const interval = Number(process.argv[3] ?? 500);

const nl = await Rtnl.open();
try {
  /** ifname -> counter name -> last value (bigint: exact) */
  const last = new Map();
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, interval));
    let devices = 0;
    let moved = 0;
    for (const link of await nl.links.list()) {
      let stats;
      try {
        stats = await nl.ethtool.stats(link.name);
      } catch (err) {
        if (err.code === 'EOPNOTSUPP' || err.code === 'ENODEV') continue; // no counters, or gone
        throw err;
      }
      devices++;
      const before = last.get(link.name);
      for (const [name, value] of Object.entries(stats)) {
        const was = before?.[name];
        if (was !== undefined && was !== value) {
          moved++;
          console.log(`${link.name} ${name} +${value - was}`);
        }
      }
      last.set(link.name, stats);
    }
    console.log(`round ${round + 1}: ${devices} interfaces with per-driver counters, ${moved} counters moved`);
  }
} finally {
  await nl.close();
}
