/**
 * Per-driver statistics (`ethtool -S`) of every interface on a host with 200 veth pairs: rtnl's
 * nl.ethtool.stats() over every link, against spawning `ethtool -S` once per interface (what an
 * agent that shells out does). Root; works in its own namespace, deleted at the end.
 * Not part of `npm test`. Run: npx tsx bench/ethtool-stats.ts [PAIRS]
 */
import { spawnSync } from 'node:child_process';
import { netns, Rtnl } from '../src/index.js';

const pairs = Number(process.argv[2] ?? 200);
const ns = `rtnl-bench-et-${process.pid}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await netns.create(ns);
try {
  const nl = await Rtnl.open({ netns: ns });
  for (let i = 0; i < pairs; i++) await nl.links.add({ name: `ea${i}`, kind: 'veth', peer: { name: `eb${i}` } });
  const names = (await nl.links.list({ kind: 'veth' })).map((l) => l.name);
  if (names.length !== 2 * pairs) throw new Error(`expected ${2 * pairs} veths, got ${names.length}`);

  // Warm up (the ioctl socket, JIT), then time whole passes over every interface.
  for (const n of names.slice(0, 20)) await nl.ethtool.stats(n);
  const passes: number[] = [];
  let counters = 0;
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    counters = 0;
    for (const n of names) counters += Object.keys(await nl.ethtool.stats(n)).length;
    passes.push(performance.now() - t0);
  }
  const rtnlMs = median(passes);

  // The same with a fresh spawn of ethtool per interface (inside the namespace, as an agent
  // running in it would): one pass, the first 100 interfaces, scaled.
  const sample = names.slice(0, Math.min(100, names.length));
  const t1 = performance.now();
  for (const n of sample) {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'ethtool', '-S', n], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ethtool -S ${n}: ${r.stderr}`);
  }
  const spawnPerIf = (performance.now() - t1) / sample.length;
  // Without the `ip netns exec` hop: ethtool alone, for a fairer floor of one process per interface.
  const t2 = performance.now();
  for (const n of sample.slice(0, 50)) spawnSync('nsenter', [`--net=/run/netns/${ns}`, 'ethtool', '-S', n]);
  const nsenterPerIf = (performance.now() - t2) / Math.min(50, sample.length);

  // Netlink: the features (one FEATURES_GET per interface; the names are fetched once per client)
  // and channels of every interface.
  const featPasses: number[] = [];
  const chanPasses: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    await Promise.all(names.map((n) => nl.ethtool.features(n)));
    featPasses.push(performance.now() - t);
    t = performance.now();
    for (const n of names) await nl.ethtool.channels(n);
    chanPasses.push(performance.now() - t);
  }
  const t3 = performance.now();
  for (const n of sample.slice(0, 50)) spawnSync('nsenter', [`--net=/run/netns/${ns}`, 'ethtool', '-k', n]);
  const spawnKPerIf = (performance.now() - t3) / Math.min(50, sample.length);

  const perIfUs = (rtnlMs * 1000) / names.length;
  console.log(
    JSON.stringify(
      {
        interfaces: names.length,
        countersPerPass: counters,
        rtnlPassMs: +rtnlMs.toFixed(2),
        rtnlPerInterfaceUs: +perIfUs.toFixed(1),
        spawnIpNetnsExecEthtoolPerInterfaceMs: +spawnPerIf.toFixed(2),
        spawnNsenterEthtoolPerInterfaceMs: +nsenterPerIf.toFixed(2),
        speedupVsIpNetnsExec: +((spawnPerIf * 1000) / perIfUs).toFixed(1),
        speedupVsNsenter: +((nsenterPerIf * 1000) / perIfUs).toFixed(1),
        featuresPerInterfaceUs: +((median(featPasses) * 1000) / names.length).toFixed(1),
        channelsPerInterfaceUs: +((median(chanPasses) * 1000) / names.length).toFixed(1),
        spawnNsenterEthtoolKPerInterfaceMs: +spawnKPerIf.toFixed(2),
        node: process.version,
      },
      null,
      2,
    ),
  );
  await nl.close();
} finally {
  await netns.delete(ns, { ifExists: true });
}
