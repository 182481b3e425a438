/**
 * CNI plugin wall time: the reference `bridge` plugin (Go, /usr/lib/cni) against rtnl's
 * examples/cni-bridge/bridge.mjs, ADD then DEL, one process each, as a container runtime runs
 * them. Not part of `npm test` or `npm run bench`:
 *
 *   npm run build && tsx bench/cni.ts [ROUNDS]
 *
 * rtnl's plugin runs as it ships: plain `node bridge.mjs`, whose `import('rtnl')` resolves to this
 * package's dist/ (a package may import itself by name). Each round makes a fresh pair of
 * namespaces per plugin ("host" and "container", named rtnl-bench-cni-*), runs ADD and DEL inside
 * the host one with nsenter, and deletes them. host-local keeps its leases in a temporary dir.
 * The plugin reports its own split (RTNL_CNI_TIMING=1): Node start-up until its first line,
 * `import('rtnl')`, and the work (of which loading zod, at rtnl's first validated call, is
 * measured in a process of its own) (netlink, sysctls, the IPAM plugin's process). An empty module
 * run the same way is the floor of any Node plugin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE } from './lib.js';

const root = join(import.meta.dirname, '..');
const REF = '/usr/lib/cni';
const rounds = Number(process.argv[2] ?? 15);
if (!existsSync(join(REF, 'bridge')))
  throw new Error(`${REF}/bridge is missing (apt-get install containernetworking-plugins)`);
if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: npm run build first');

const work = mkdtempSync(join(tmpdir(), 'rtnl-bench-cni-'));
symlinkSync(join(REF, 'host-local'), join(work, 'host-local'));
writeFileSync(join(work, 'empty.mjs'), '');
const plugin = join(root, 'examples/cni-bridge/bridge.mjs');
const ZOD_PROBE = "const t = performance.now(); require('zod'); process.stdout.write(String(performance.now() - t));";

const sh = (...args: string[]) => {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
};

/** Run `cmd` in namespace `host` with the CNI environment; wall time in ms and the stderr. */
function timed(host: string, ctr: string, cmd: string[], command: string, conf: string) {
  const t = process.hrtime.bigint();
  const r = spawnSync('nsenter', [`--net=/run/netns/${host}`, ...cmd], {
    input: conf,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      CNI_COMMAND: command,
      CNI_CONTAINERID: 'bench',
      CNI_NETNS: `/run/netns/${ctr}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH: work,
      RTNL_CNI_TIMING: '1',
    },
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} ${command}: ${r.stdout}${r.stderr}`);
  return { ms, stderr: r.stderr };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const peers = {
  reference: [join(REF, 'bridge')],
  rtnl: [NODE, plugin],
} as const;
const times: Record<string, number[]> = {};
const push = (k: string, v: number) => (times[k] ??= []).push(v);
sh('ip', 'netns', 'add', 'rtnl-bench-cni-h0');
try {
  for (let round = 0; round <= rounds; round++) {
    const emptyMs = timed('rtnl-bench-cni-h0', '', [NODE, join(work, 'empty.mjs')], 'VERSION', '{}').ms;
    if (round > 0) push('node: an empty module', emptyMs);
    // What rtnl's first validated call pays to load zod (its CommonJS build, as rtnl loads it).
    const zod = spawnSync(process.execPath, ['-e', ZOD_PROBE], { cwd: root, encoding: 'utf8' });
    if (round > 0 && zod.status === 0)
      push('(in work) loading zod, measured in a separate process', Number(zod.stdout));
    for (const [name, cmd] of Object.entries(peers)) {
      const host = `rtnl-bench-cni-h-${name}`;
      const ctr = `rtnl-bench-cni-c-${name}`;
      const dataDir = mkdtempSync(join(work, 'ipam-'));
      const conf = JSON.stringify({
        cniVersion: '1.0.0',
        name: 'bench',
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.22.0.0/24' }]] },
      });
      sh('ip', 'netns', 'add', host);
      sh('ip', 'netns', 'add', ctr);
      try {
        const add = timed(host, ctr, [...cmd], 'ADD', conf);
        const del = timed(host, ctr, [...cmd], 'DEL', conf);
        if (round === 0) continue; // page cache warm-up
        push(`${name} ADD`, add.ms);
        push(`${name} DEL`, del.ms);
        for (const [op, r] of [
          ['ADD', add],
          ['DEL', del],
        ] as const) {
          const m = /node ([\d.]+) ms, import ([\d.]+) ms, work ([\d.]+) ms/.exec(r.stderr);
          if (!m) continue;
          push(`${name} ${op}: node start-up`, Number(m[1]));
          push(`${name} ${op}: import('rtnl')`, Number(m[2]));
          push(`${name} ${op}: work (zod, netlink, sysctls, the IPAM process)`, Number(m[3]));
        }
      } finally {
        spawnSync('ip', ['netns', 'del', ctr]);
        spawnSync('ip', ['netns', 'del', host]);
      }
    }
  }
} finally {
  spawnSync('ip', ['netns', 'del', 'rtnl-bench-cni-h0']);
  rmSync(work, { recursive: true, force: true });
}

console.log(`| what | median ms (${rounds} runs) |\n|---|---:|`);
for (const [k, v] of Object.entries(times)) console.log(`| ${k} | ${median(v).toFixed(1)} |`);
