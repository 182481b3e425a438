// examples/cni-bridge/bridge.mjs, held against the reference CNI `bridge` plugin
// (containernetworking-plugins, Debian's /usr/lib/cni): the same configuration goes to each, in
// its own fresh pair of test namespaces (a "host" one, where the plugin runs under
// `ip netns exec`, and a "container" one that CNI_NETNS names; never the real host namespace),
// and what each leaves behind is compared field by field, as `ip -j -d` and /proc/sys see it:
// links (flags, mtu, kind, master, bridge port settings), addresses, routes, sysctls, and the
// result JSON (MACs, ifindexes and the random host veth name normalised). Then DEL, and again.
// host-local keeps its leases in a temporary dataDir per run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { netns } from '../../src/index.js';
import { ipJson, needsRoot, testNsName } from '../helpers/netns.js';
import { repoRoot } from '../helpers/sandbox.js';
import { buildSync } from 'esbuild';
import { bundleOptions, LIBRARY } from '../../scripts/bundle.js';
import { writeEntries } from '../../scripts/build-entries.js';

const REF_DIR = '/usr/lib/cni';
const missingRef = ['bridge', 'host-local'].find((p) => !existsSync(join(REF_DIR, p)));
const skip =
  needsRoot ??
  (missingRef &&
    `the reference CNI plugin ${REF_DIR}/${missingRef} is not installed (Debian: containernetworking-plugins)`);

let work = '';
let ours = '';
before(async () => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'rtnl-cni-'));
  ours = join(work, 'rtnl-bridge.mjs');
  // The plugin runs as it ships, plain `node` on the package's files (not tsx, which would triple
  // each run): this checkout's sources built as `npm run build` builds them (the library's
  // CommonJS bundle and the entry files in front of it), its dependencies found through a
  // node_modules link.
  const dist = join(work, 'dist');
  buildSync(bundleOptions(LIBRARY, dist));
  await writeEntries(dist);
  symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'));
  const code = readFileSync(join(repoRoot, 'examples/cni-bridge/bridge.mjs'), 'utf8');
  writeFileSync(ours, code.replace(/import\('rtnl'\)/g, "import('./dist/index.js')"));
  // Its configuration parser, a module of its own, installed next to it.
  writeFileSync(join(work, 'config.mjs'), readFileSync(join(repoRoot, 'examples/cni-bridge/config.mjs'), 'utf8'));
  // CNI_PATH for the delegated IPAM plugin: host-local, unchanged.
  symlinkSync(join(REF_DIR, 'host-local'), join(work, 'host-local'));
});
after(() => work && rmSync(work, { recursive: true, force: true }));

interface Pair {
  host: string;
  ctr: string;
  dataDir: string;
}
interface Run {
  status: number | null;
  out: any;
  raw: string;
  stderr: string;
}

/** Run a plugin inside the pair's host namespace, as a runtime would. */
function run(
  which: 'ref' | 'ours',
  pair: Pair,
  command: string,
  conf: object | string,
  env: Record<string, string> = {},
): Run {
  const cmd = which === 'ref' ? [join(REF_DIR, 'bridge')] : [process.execPath, ours];
  const text = typeof conf === 'string' ? conf : JSON.stringify(conf).replaceAll('DATADIR', pair.dataDir);
  const r = spawnSync('ip', ['netns', 'exec', pair.host, ...cmd], {
    cwd: repoRoot,
    input: text,
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: 'ctr1',
      CNI_NETNS: `/run/netns/${pair.ctr}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH: work,
      // The plugin asks for a compile cache (Node's default directory on Node 20): the test's own.
      ...(which === 'ours' ? { NODE_COMPILE_CACHE: join(work, 'compile-cache') } : {}),
      ...env,
    },
  });
  let out: any;
  try {
    out = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  } catch {
    out = undefined;
  }
  return { status: r.status, out, raw: r.stdout, stderr: r.stderr };
}

/** Two fresh namespace pairs (one per plugin), deleted with their dataDirs whatever happens. */
async function withPairs(fn: (ref: Pair, ours: Pair) => Promise<void>): Promise<void> {
  const pairs: Pair[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const p = { host: testNsName('cnih'), ctr: testNsName('cnic'), dataDir: mkdtempSync(join(work, 'ipam-')) };
      pairs.push(p);
      await netns.create(p.host);
      await netns.create(p.ctr);
    }
    await fn(pairs[0], pairs[1]);
  } finally {
    for (const p of pairs) {
      await netns.delete(p.ctr, { ifExists: true });
      await netns.delete(p.host, { ifExists: true });
      rmSync(p.dataDir, { recursive: true, force: true });
    }
  }
}

function sysctlIn(ns: string, key: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'cat', `/proc/sys/${key}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'absent';
}

const PORT_KEYS = ['state', 'priority', 'cost', 'hairpin', 'guard', 'root_block', 'fastleave', 'learning', 'flood'];
const BRIDGE_KEYS = ['stp_state', 'forward_delay', 'ageing_time', 'vlan_filtering', 'mcast_snooping', 'priority'];

/** Wait until the bridge's carrier follows its ports (the kernel updates it after the request). */
async function settle(pair: Pair): Promise<void> {
  // The carrier change goes through the kernel's linkwatch work, which can lag by seconds under load.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const links = ipJson(pair.host, 'link', 'show');
    const br = links.find((l: any) => l.linkinfo?.info_kind === 'bridge');
    if (!br) return;
    const ports = links.filter((l: any) => l.master === br.ifname && l.flags.includes('LOWER_UP'));
    if (br.flags.includes(ports.length > 0 ? 'LOWER_UP' : 'NO-CARRIER')) return;
    if (Date.now() > deadline) assert.fail(`bridge ${br.ifname} carrier did not follow its ports: ${br.flags}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What a plugin left in a pair, with the random and kernel-chosen parts normalised. */
async function snapshot(pair: Pair): Promise<any> {
  await settle(pair);
  const names = new Map<string, string>();
  const norm = (n: string) => names.get(n) ?? n;
  const view = (ns: string) => {
    const links = ipJson(ns, 'link', 'show');
    for (const l of links) if (/^veth[0-9a-f]{8}$/.test(l.ifname)) names.set(l.ifname, 'VETH');
    return {
      links: links
        .map((l: any) => {
          const info = l.linkinfo ?? {};
          const pick = (o: any, keys: string[]) =>
            Object.fromEntries(keys.filter((k) => o?.[k] !== undefined).map((k) => [k, o[k]]));
          return {
            name: norm(l.ifname),
            flags: [...l.flags].sort(),
            mtu: l.mtu,
            master: l.master && norm(l.master),
            promiscuity: l.promiscuity,
            kind: info.info_kind,
            slaveKind: info.info_slave_kind,
            port: info.info_slave_kind === 'bridge' ? pick(info.info_slave_data, PORT_KEYS) : undefined,
            bridge: info.info_kind === 'bridge' ? pick(info.info_data, BRIDGE_KEYS) : undefined,
          };
        })
        .sort((a: any, b: any) => a.name.localeCompare(b.name)),
      addresses: ipJson(ns, 'address', 'show')
        .flatMap((l: any) =>
          (l.addr_info ?? [])
            .filter((a: any) => !a.local.startsWith('fe80:')) // from the random MAC
            .map((a: any) => `${norm(l.ifname)} ${a.local}/${a.prefixlen} ${a.scope} brd=${a.broadcast ?? '-'}`),
        )
        .sort(),
      routes: ['-4', '-6']
        .flatMap((f) => ipJson(ns, f, 'route', 'show', 'table', 'main'))
        .filter((r: any) => !r.dst.startsWith('fe80:'))
        .map(
          (r: any) =>
            `${r.dst} via=${r.gateway ?? '-'} dev=${norm(r.dev)} proto=${r.protocol ?? '-'} scope=${r.scope ?? '-'} metric=${r.metric ?? '-'}`,
        )
        .sort(),
    };
  };
  const host = view(pair.host);
  const ctr = view(pair.ctr);
  const veth = [...names.keys()][0];
  const br = host.links.find((l: any) => l.kind === 'bridge')?.name;
  return {
    host,
    ctr,
    sysctl: {
      ipForward: sysctlIn(pair.host, 'net/ipv4/ip_forward'),
      ip6Forward: sysctlIn(pair.host, 'net/ipv6/conf/all/forwarding'),
      bridgeAcceptRa: br ? sysctlIn(pair.host, `net/ipv6/conf/${br}/accept_ra`) : 'absent',
      vethAcceptRa: veth ? sysctlIn(pair.host, `net/ipv6/conf/${veth}/accept_ra`) : 'absent',
      ctrAcceptDad: sysctlIn(pair.ctr, 'net/ipv6/conf/eth0/accept_dad'),
      ctrArpNotify: sysctlIn(pair.ctr, 'net/ipv4/conf/eth0/arp_notify'),
    },
    leases: readdirSync(join(pair.dataDir))
      .flatMap((d) => readdirSync(join(pair.dataDir, d)))
      .filter((f) => /^[0-9a-f.:]+$/.test(f))
      .sort(),
  };
}

/** The result JSON with each MAC checked against the link it names, then normalised. */
function normResult(pair: Pair, result: any): any {
  const r = structuredClone(result);
  for (const i of r.interfaces ?? []) {
    const ns = i.sandbox ? pair.ctr : pair.host;
    const [link] = ipJson(ns, 'link', 'show', 'dev', i.name);
    assert.equal(i.mac, link.address, `result MAC of ${i.name}`);
    if (!i.mac.startsWith('02:11:22:')) i.mac = 'MAC'; // the ones a case sets stay
    if (/^veth[0-9a-f]{8}$/.test(i.name)) i.name = 'VETH';
    if (i.sandbox) {
      assert.equal(i.sandbox, `/run/netns/${pair.ctr}`);
      i.sandbox = 'SANDBOX';
    }
  }
  return r;
}

const ipam = (ranges: object[][], extra: object = {}) => ({ type: 'host-local', dataDir: 'DATADIR', ranges, ...extra });
const base = { cniVersion: '1.0.0', name: 'rtnltest', type: 'bridge', bridge: 'cnibr0' };
const v4 = [[{ subnet: '10.22.0.0/24' }]];
const v6 = [[{ subnet: '2001:db8:1::/64' }]];

const CASES: Array<[string, object, Record<string, string>?]> = [
  ['layer 2 only (no ipam)', { ...base }],
  ['IPv4, no gateway', { ...base, ipam: ipam(v4) }],
  ['IPv4 gateway, CNI 0.4.0 result', { ...base, cniVersion: '0.4.0', isGateway: true, ipam: ipam(v4) }],
  [
    'default gateway, IPv4 + IPv6, routes, mtu 1400',
    {
      ...base,
      isDefaultGateway: true,
      mtu: 1400,
      ipam: ipam([...v4, ...v6], { routes: [{ dst: '192.0.2.0/24' }, { dst: '198.51.100.0/24', gw: '10.22.0.9' }] }),
    },
  ],
  ['IPv6 only, gateway', { ...base, isGateway: true, ipam: ipam(v6) }],
  ['hairpin', { ...base, hairpinMode: true, ipam: ipam(v4) }],
  ['promiscuous bridge', { ...base, promiscMode: true, ipam: ipam(v4) }],
  ['the container MAC from runtimeConfig', { ...base, runtimeConfig: { mac: '02:11:22:33:44:55' }, ipam: ipam(v4) }],
  [
    'the container MAC from CNI_ARGS',
    { ...base },
    { CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAME=p;MAC=02:11:22:33:44:66' },
  ],
];

describe('CNI bridge plugin: rtnl against the reference', { skip, timeout: 240_000 }, () => {
  for (const [what, conf, env] of CASES) {
    test(`ADD, CHECK and DEL leave the same: ${what}`, async (t) => {
      await withPairs(async (refPair, ourPair) => {
        const ref = run('ref', refPair, 'ADD', conf, env);
        assert.equal(ref.status, 0, `reference ADD failed: ${ref.raw}${ref.stderr}`);
        const got = run('ours', ourPair, 'ADD', conf, env);
        assert.equal(got.status, 0, `rtnl ADD failed: ${got.raw}${got.stderr}`);
        assert.deepEqual(normResult(ourPair, got.out), normResult(refPair, ref.out), 'result JSON');
        assert.deepEqual(await snapshot(ourPair), await snapshot(refPair), 'after ADD');

        // The reference's CHECK fails on its own result without ipam ("no plugin name provided")
        // and with a gateway-less route (it looks for a route without a gateway): rtnl's passes.
        const checkOurs = run('ours', ourPair, 'CHECK', { ...conf, prevResult: got.out }, env);
        assert.equal(checkOurs.status, 0, `CHECK: ${checkOurs.raw}`);
        const checkRef = run('ref', refPair, 'CHECK', { ...conf, prevResult: ref.out }, env);
        if (checkRef.status !== 0) t.diagnostic(`reference CHECK: ${checkRef.out?.msg}`);

        for (const [w, p] of [
          ['ref', refPair],
          ['ours', ourPair],
        ] as const) {
          const d = run(w, p, 'DEL', conf, env);
          assert.equal(d.status, 0, `${w} DEL failed: ${d.raw}`);
        }
        const left = await snapshot(ourPair);
        assert.deepEqual(left, await snapshot(refPair), 'after DEL');
        assert.deepEqual(
          left.ctr.links.map((l: any) => l.name),
          ['lo'],
          'nothing left in the container',
        );
        assert.deepEqual(left.leases, [], 'the IPAM lease is released');
        // DEL again (nothing there), and DEL of a namespace already gone: both succeed.
        assert.equal(run('ours', ourPair, 'DEL', conf).status, 0);
        assert.equal(run('ours', ourPair, 'DEL', conf, { CNI_NETNS: '/run/netns/rtnl-gone' }).status, 0);
      });
    });
  }

  test('CHECK notices a missing address; ADD twice fails as the reference does', async () => {
    const conf = { ...base, isGateway: true, ipam: ipam(v4) };
    await withPairs(async (refPair, ourPair) => {
      const ref = run('ref', refPair, 'ADD', conf);
      const got = run('ours', ourPair, 'ADD', conf);
      assert.equal(got.status, 0, got.raw);
      for (const [w, p, out] of [
        ['ref', refPair, ref.out],
        ['ours', ourPair, got.out],
      ] as const) {
        spawnSync('ip', ['-n', p.ctr, 'addr', 'flush', 'dev', 'eth0', 'scope', 'global']);
        const c = run(w, p, 'CHECK', { ...conf, prevResult: out });
        assert.equal(c.status, 1, `${w} CHECK should fail: ${c.raw}`);
      }
      const again = [run('ref', refPair, 'ADD', conf), run('ours', ourPair, 'ADD', conf)];
      assert.deepEqual(
        again.map((r) => [r.status, r.out?.code, r.out?.msg]),
        Array(2).fill([1, 999, 'container veth name provided (eth0) already exists']),
      );
      assert.deepEqual((await snapshot(ourPair)).leases, ['10.22.0.2'], 'the failed second ADD released its own lease');
    });
  });

  test('an address already on the bridge: the same error without forceAddress, replaced with it', async () => {
    const conf = { ...base, isGateway: true, ipam: ipam(v4) };
    await withPairs(async (refPair, ourPair) => {
      const fresh = () => {
        for (const p of [refPair, ourPair]) {
          spawnSync('ip', ['-n', p.host, 'link', 'del', 'cnibr0']);
          spawnSync('ip', ['-n', p.host, 'link', 'add', 'cnibr0', 'type', 'bridge']);
          spawnSync('ip', ['-n', p.host, 'addr', 'add', '10.99.0.1/24', 'dev', 'cnibr0']);
        }
      };
      fresh();
      const [ref, got] = [run('ref', refPair, 'ADD', conf), run('ours', ourPair, 'ADD', conf)];
      assert.deepEqual([got.status, got.out?.code, got.out?.msg], [ref.status, ref.out?.code, ref.out?.msg]);
      assert.equal(got.status, 1);
      const left = await snapshot(ourPair);
      assert.deepEqual(
        left.ctr.links.map((l: any) => l.name),
        ['lo'],
        'the failed ADD removed its veth',
      );
      assert.deepEqual(left.leases, [], 'and released its lease');
      run('ref', refPair, 'DEL', conf); // the reference leaves its veth behind
      // A bridge that lost its last port has an all-zero MAC, which the reference then fails to
      // pin ("could not set bridge's mac"); rtnl's pins the one it takes from the new port.
      // Compare the two from a fresh bridge.
      fresh();
      const forced = { ...conf, forceAddress: true };
      const [ref2, got2] = [run('ref', refPair, 'ADD', forced), run('ours', ourPair, 'ADD', forced)];
      assert.equal(got2.status, 0, got2.raw);
      assert.deepEqual(normResult(ourPair, got2.out), normResult(refPair, ref2.out));
      assert.deepEqual(await snapshot(ourPair), await snapshot(refPair));
    });
  });

  const BAD: Array<[string, object | string, Record<string, string>?]> = [
    ['malformed JSON', '{"cniVersion":"1.0.0",'],
    ['unsupported CNI version', { ...base, cniVersion: '9.9.9' }],
    ['hairpin and promiscuous at once', { ...base, hairpinMode: true, promiscMode: true }],
    ['an IPAM plugin not in CNI_PATH', { ...base, ipam: { type: 'nosuch' } }],
    ['an IPAM error (bad subnet)', { ...base, ipam: ipam([[{ subnet: '10.1.0.0/33' }]]) }],
    ['a bridge name taken by a veth', { ...base, bridge: 'taken0' }],
    ['a container namespace that does not exist', { ...base }, { CNI_NETNS: '/run/netns/rtnl-gone' }],
    ['no CNI_IFNAME', { ...base }, { CNI_IFNAME: '' }],
  ];
  for (const [what, conf, env] of BAD) {
    test(`bad input gets the same kind of error, and rtnl's leaves nothing: ${what}`, async () => {
      await withPairs(async (refPair, ourPair) => {
        for (const p of [refPair, ourPair])
          spawnSync('ip', ['-n', p.host, 'link', 'add', 'taken0', 'type', 'veth', 'peer', 'name', 'taken1']);
        const before = await snapshot(ourPair);
        const ref = run('ref', refPair, 'ADD', conf, env);
        const got = run('ours', ourPair, 'ADD', conf, env);
        assert.equal(ref.status, 1, `reference: ${ref.raw}`);
        assert.equal(got.status, 1, `rtnl: ${got.raw}${got.stderr}`);
        assert.equal(got.out?.code, ref.out?.code, `error code: ${got.raw} vs reference ${ref.raw}`);
        assert.equal(typeof got.out.msg, 'string');
        assert.deepEqual(await snapshot(ourPair), before, 'a failed ADD leaves nothing behind');
      });
    });
  }

  test('ipMasq, macspoofchk and vlan are refused as unsupported fields (code 2), leaving nothing', async () => {
    await withPairs(async (_ref, ourPair) => {
      const before = await snapshot(ourPair);
      for (const extra of [{ ipMasq: true }, { macspoofchk: true }, { vlan: 5 }]) {
        const got = run('ours', ourPair, 'ADD', { ...base, ...extra, ipam: ipam(v4) });
        assert.equal(got.status, 1, got.raw);
        assert.equal(got.out.code, 2, got.raw);
        assert.match(got.out.msg, new RegExp(Object.keys(extra)[0]));
      }
      assert.deepEqual(await snapshot(ourPair), before);
    });
  });

  test('the plugin asks for a compile cache, and rtnl keeps its bundle there', () => {
    // Every ADD and DEL above ran with NODE_COMPILE_CACHE set to the test's own directory.
    const mine = join(work, 'compile-cache', `rtnl-${process.getuid!()}`);
    const files = existsSync(mine) ? readdirSync(mine) : [];
    assert.equal(files.filter((f) => /^rtnl\.cjs-.*\.v8$/.test(f)).length, 1, files.join(' '));
  });

  test("VERSION answers without loading rtnl; its versions are a subset of the reference's", () => {
    const version = (cmd: string[]) => {
      const r = spawnSync(cmd[0], cmd.slice(1), {
        cwd: repoRoot,
        input: '{}',
        encoding: 'utf8',
        env: { CNI_COMMAND: 'VERSION' },
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return JSON.parse(r.stdout);
    };
    const ref = version([join(REF_DIR, 'bridge')]);
    // A copy whose rtnl cannot be found: VERSION must not need it (it answers before the import).
    const noRtnl = join(work, 'no-rtnl.mjs');
    const code = readFileSync(ours, 'utf8');
    assert.ok(code.includes("import('./dist/index.js')"));
    writeFileSync(noRtnl, code.replace("import('./dist/index.js')", "import('./missing.mjs')"));
    const got = version([process.execPath, noRtnl]);
    assert.equal(got.cniVersion, '1.0.0');
    assert.ok(got.supportedVersions.includes('1.0.0'));
    for (const v of got.supportedVersions) assert.ok(ref.supportedVersions.includes(v), v);
  });
});
