// Live (root): the everyday `ip`/`bridge` settings of issue 18 — link flags and limits, altnames,
// bridge port settings, address and neighbour selectors, flush and get, the FDB in a monitor's
// snapshot, and the CLI's -br/-o/-s — each through the API and the CLI, checked against ip and bridge.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/index.js';
import { rtnl } from '../cli/helpers.js';
import { ipJson, needsRoot, withTestNetns, withTestNetnses } from '../helpers/netns.js';
import { netns } from '../../src/index.js';

const bridgeJson = (ns: string, ...args: string[]): any =>
  JSON.parse(execFileSync('bridge', ['-n', ns, '-j', ...args], { encoding: 'utf8' }) || '[]');
const text = (cmd: string, ns: string, ...args: string[]): string[] =>
  execFileSync(cmd, ['-n', ns, ...args], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);

async function cli(ns: string, ...args: string[]): Promise<string[]> {
  const r = await rtnl(['-n', ns, ...args]);
  assert.equal(r.status, 0, `rtnl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

describe('ip parity', { skip: needsRoot }, () => {
  test('link flags, GSO/GRO limits, ifindex, queue counts and altnames agree with ip -j -d', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({
        name: 'v0',
        kind: 'veth',
        index: 77,
        numTxQueues: 3,
        numRxQueues: 2,
        arp: false,
        peer: { name: 'v1', numTxQueues: 4 },
      });
      await nl.links.set('v0', {
        promisc: true,
        allmulticast: true,
        multicast: false,
        addrGenMode: 'none',
        gsoMaxSize: 32768,
        gsoMaxSegs: 100,
        groMaxSize: 30000,
        gsoIpv4MaxSize: 32000,
        groIpv4MaxSize: 31000,
      });
      await nl.links.addAltNames('v0', ['an-alternative-name-longer-than-ifnamsiz', 'alt2']);
      await nl.links.deleteAltNames('v0', 'alt2');
      const [j] = ipJson(ns, 'link', 'show', 'dev', 'v0');
      assert.equal(j.ifindex, 77);
      for (const f of ['NOARP', 'PROMISC', 'ALLMULTI']) assert.ok(j.flags.includes(f), f);
      assert.ok(!j.flags.includes('MULTICAST'));
      assert.deepEqual(
        [j.num_tx_queues, j.num_rx_queues, j.gso_max_size, j.gso_max_segs, j.gro_max_size, j.inet6_addr_gen_mode],
        [3, 2, 32768, 100, 30000, 'none'],
      );
      assert.deepEqual(j.altnames, ['an-alternative-name-longer-than-ifnamsiz']);
      assert.equal(ipJson(ns, 'link', 'show', 'dev', 'v1')[0].num_tx_queues, 4);
      const l = await nl.links.get('v0');
      assert.deepEqual(l.altNames, j.altnames);
      // ip 6.1 does not print the IPv4 variants; rtnl reads back what it set.
      assert.deepEqual([l.attrs.gsoIpv4MaxSize, l.attrs.groIpv4MaxSize], [32000, 31000]);
      await nl.links.set('v0', { arp: true, multicast: true, promisc: false });
      const flags = ipJson(ns, 'link', 'show', 'dev', 'v0')[0].flags;
      assert.ok(!flags.includes('NOARP') && flags.includes('MULTICAST') && !flags.includes('PROMISC'));
      // The kernel refuses IFLA_AF_SPEC at creation; rtnl says so before sending.
      await assert.rejects(
        nl.links.add({ name: 'v2', kind: 'veth', addrGenMode: 'none' } as never),
        (e) => e instanceof ValidationError && e.field === 'link.addrGenMode',
      );

      // The CLI says the same through ip's words.
      await cli(ns, 'link', 'set', 'v1', 'arp', 'off', 'promisc', 'on', 'gso_max_segs', '50', 'addrgenmode', 'random');
      await cli(ns, 'link', 'property', 'add', 'dev', 'v1', 'altname', 'peer-alt');
      const [k] = ipJson(ns, 'link', 'show', 'dev', 'v1');
      assert.ok(k.flags.includes('NOARP') && k.flags.includes('PROMISC'));
      assert.deepEqual([k.gso_max_segs, k.inet6_addr_gen_mode, k.altnames], [50, 'random', ['peer-alt']]);
      await cli(ns, 'link', 'property', 'del', 'dev', 'v1', 'altname', 'peer-alt');
      assert.equal(ipJson(ns, 'link', 'show', 'dev', 'v1')[0].altnames, undefined);
      await cli(ns, 'link', 'add', 'w0', 'index', '90', 'numtxqueues', '5', 'type', 'veth', 'peer', 'name', 'w1');
      assert.deepEqual(((j) => [j.ifindex, j.num_tx_queues])(ipJson(ns, 'link', 'show', 'dev', 'w0')[0]), [90, 5]);
      const r = await rtnl(['-n', ns, 'link', 'set', 'v1', 'protodown', 'on']);
      assert.equal(r.stderr.trim(), 'Error: "protodown" is not supported by rtnl');
    });
  });

  test('bridge port settings: links.set(bridgePort) and bridge.setPort agree with ip -d and bridge -d', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge', up: true });
      await nl.links.add({ name: 'p0', kind: 'veth', peer: { name: 'p1' }, master: 'br0' });
      await nl.links.set('p1', { up: true });
      await nl.links.set('p0', { up: true });
      await nl.links.set('p0', {
        bridgePort: {
          hairpin: true,
          cost: 7,
          priority: 3,
          learning: false,
          flood: false,
          proxyArp: true,
          groupFwdMask: 8,
          mcastFlood: false,
        },
      });
      const sd = ipJson(ns, 'link', 'show', 'dev', 'p0')[0].linkinfo.info_slave_data;
      assert.deepEqual(
        [sd.hairpin, sd.cost, sd.priority, sd.learning, sd.flood, sd.proxy_arp, sd.group_fwd_mask, sd.mcast_flood],
        [true, 7, 3, false, false, true, '0x8', false],
      );
      await nl.bridge.setPort('p0', {
        isolated: true,
        neighSuppress: true,
        bcastFlood: false,
        cost: 11,
        state: 'disabled',
      });
      const [b] = bridgeJson(ns, '-d', 'link', 'show', 'dev', 'p0');
      assert.deepEqual(
        [b.isolated, b.neigh_suppress, b.bcast_flood, b.cost, b.state, b.hairpin],
        [true, true, false, 11, 'disabled', true],
      );
      const [port] = await nl.bridge.listPorts({ dev: 'p0' });
      assert.equal(port!.port.cost, 11);
      assert.equal(port!.master, (await nl.links.get('br0')).index);
      // The kernel takes no master filter in an AF_BRIDGE dump (EINVAL): rtnl filters.
      assert.deepEqual(
        (await nl.bridge.listPorts({ master: 'br0' })).map((p) => p.name),
        ['p0'],
      );

      // CLI: ip's bridge_slave words, bridge's link set words, and bridge -j -d link show.
      await cli(ns, 'link', 'set', 'p0', 'type', 'bridge_slave', 'isolated', 'off', 'learning', 'on', 'cost', '5');
      await cli(ns, 'bridge', 'link', 'set', 'dev', 'p0', 'hairpin', 'off', 'neigh_suppress', 'off', 'priority', '9');
      const ours = JSON.parse((await cli(ns, '-j', '-d', 'bridge', 'link', 'show'))[0]!);
      assert.deepEqual(ours, bridgeJson(ns, '-d', 'link', 'show'));
      assert.deepEqual(await cli(ns, 'bridge', 'link', 'show'), text('bridge', ns, 'link', 'show'));
    });
  });

  test('bridge fdb through the CLI equals bridge; a monitor snapshot includes the FDB', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge' });
      await nl.links.add({ name: 'p0', kind: 'veth', peer: { name: 'p1' }, master: 'br0' });
      await cli(ns, 'bridge', 'fdb', 'add', '02:00:00:00:00:09', 'dev', 'p0', 'master', 'static');
      assert.deepEqual(await cli(ns, 'bridge', 'fdb', 'show'), text('bridge', ns, 'fdb', 'show'));
      assert.deepEqual(
        JSON.parse((await cli(ns, '-j', 'bridge', 'fdb', 'show', 'brport', 'p0'))[0]!),
        bridgeJson(ns, 'fdb', 'show', 'brport', 'p0'),
      );
      const r = await rtnl(['-n', ns, 'bridge', 'vlan', 'add', 'dev', 'p0', 'vid', '10']);
      // This kernel has no bridge VLAN filtering: the request is encoded and refused by the kernel.
      assert.notEqual(r.status, 0);
      const ac = new AbortController();
      const seen: string[] = [];
      for await (const ev of nl.monitor('neighbour', { signal: ac.signal, initial: true })) {
        if (ev.type === 'synced') break;
        if (ev.type === 'neighbour.new' && ev.object.family === 'bridge') seen.push(ev.object.lladdr ?? '');
      }
      ac.abort();
      assert.ok(seen.includes('02:00:00:00:00:09'), `FDB entries in the snapshot: ${seen.join(' ')}`);
    });
  });

  test('address selectors, flush with selectors, IFA_PROTO; IPv6-only flags refused on IPv4', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } });
      await nl.addresses.add('v0', '192.0.2.1/24');
      await nl.addresses.add('v0', '192.0.2.2/24', { label: 'v0:a' });
      await nl.addresses.add('v0', '198.51.100.1/24', { scope: 'link', proto: 'kernel_ll' });
      await nl.addresses.add('v1', '203.0.113.1/24', { label: 'v1:b' });
      const sel = async (f: object) => (await nl.addresses.list(f)).map((a) => a.address).sort();
      // ip -j prints `{}` for each address a selector leaves out (iproute2 6.1); those are dropped.
      const ipSel = (...args: string[]) =>
        ipJson(ns, '-4', 'address', 'show', ...args)
          .flatMap((l: any) => l.addr_info.map((a: any) => a.local))
          .filter(Boolean)
          .sort();
      assert.deepEqual(await sel({ family: 4, scope: 'link' }), ipSel('scope', 'link'));
      assert.deepEqual(await sel({ family: 4, label: 'v*:?' }), ipSel('label', 'v*:?'));
      assert.deepEqual(await sel({ family: 4, to: '192.0.2.0/24' }), ipSel('to', '192.0.2.0/24'));
      assert.deepEqual(await sel({ family: 4, secondary: true }), ipSel('secondary'));
      assert.deepEqual(await sel({ family: 4, primary: true }), ipSel('primary'));
      assert.equal((await nl.addresses.list({ to: '198.51.100.1' }))[0]!.proto, 'kernel_ll');
      // CLI show with selectors prints what ip prints.
      const ours = JSON.parse((await cli(ns, '-j', '-4', 'address', 'show', 'to', '192.0.2.0/24', 'secondary'))[0]!);
      assert.deepEqual(
        ours.map((l: any) => [l.ifname, l.addr_info.map((a: any) => a.local)]),
        ipJson(ns, '-4', 'address', 'show', 'to', '192.0.2.0/24', 'secondary').map((l: any) => [
          l.ifname,
          l.addr_info.map((a: any) => a.local).filter(Boolean),
        ]),
      );
      assert.equal(await nl.addresses.flush(undefined, { label: 'v1:*' }), 1);
      await cli(ns, 'address', 'flush', 'scope', 'link');
      assert.deepEqual(ipSel(), ['192.0.2.1', '192.0.2.2']);
      await assert.rejects(
        nl.addresses.add('v0', '192.0.2.5/24', { flags: ['optimistic'] }),
        (e) => e instanceof ValidationError && /only for IPv6/.test(e.message),
      );
    });
  });

  test('neighbours: get, change, proxy, show ADDR, flush agree with ip', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true });
      await nl.neighbours.add({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:07', state: 'stale' });
      await nl.neighbours.add({ dev: 'v0', address: '192.0.2.8', lladdr: '02:00:00:00:00:08' });
      await nl.neighbours.add({ dev: 'v0', address: '198.51.100.9', proxy: true });
      const got = await nl.neighbours.get({ address: '192.0.2.7', dev: 'v0' });
      assert.equal(got.lladdr, '02:00:00:00:00:07');
      assert.deepEqual(got.state, ['STALE']);
      await nl.neighbours.change({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:17', state: 'stale' });
      // ip 6.1 prints `neigh get` as text even with -j.
      assert.match(text('ip', ns, 'neigh', 'get', '192.0.2.7', 'dev', 'v0')[0]!, /lladdr 02:00:00:00:00:17 STALE$/);
      await assert.rejects(nl.neighbours.change({ dev: 'v0', address: '192.0.2.99', lladdr: '02:00:00:00:00:99' }), {
        code: 'ENOENT',
      });
      assert.deepEqual(
        await cli(ns, 'neigh', 'get', '192.0.2.8', 'dev', 'v0'),
        text('ip', ns, 'neigh', 'get', '192.0.2.8', 'dev', 'v0'),
      );
      for (const args of [
        ['show', '192.0.2.7'],
        ['show', 'proxy'],
        ['show', 'to', '192.0.2.0/24', 'nud', 'all'],
      ])
        assert.deepEqual(
          JSON.parse((await cli(ns, '-j', 'neigh', ...args))[0]!),
          ipJson(ns, 'neigh', ...args),
          args.join(' '),
        );
      // flush: as ip, PERMANENT entries stay unless nud says otherwise.
      assert.equal(await nl.neighbours.flush({ link: 'v0' }), 1);
      assert.deepEqual(
        ipJson(ns, 'neigh', 'show', 'dev', 'v0').map((n: any) => n.dst),
        ['192.0.2.8'],
      );
      await cli(ns, 'neigh', 'flush', 'dev', 'v0', 'nud', 'permanent');
      await cli(ns, 'neigh', 'flush', 'proxy');
      assert.deepEqual(ipJson(ns, 'neigh', 'show', 'nud', 'all'), []);
      assert.deepEqual(ipJson(ns, 'neigh', 'show', 'proxy'), []);
    });
  });

  test('CLI -br, -o and -s print what ip prints (without trailing spaces)', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } });
      await nl.links.set('lo', { up: true });
      await nl.addresses.add('v0', '192.0.2.1/24');
      await nl.addresses.add('v0', '2001:db8::1/64', { flags: ['nodad'] });
      for (const args of [
        ['-br', 'link', 'show'],
        ['-br', 'address', 'show'],
        ['-o', 'link', 'show'],
        ['-o', 'address', 'show'],
        ['-s', 'link', 'show', 'lo'],
        ['-s', 'address', 'show', 'dev', 'lo'],
      ])
        assert.deepEqual(await cli(ns, ...args), text('ip', ns, ...args), args.join(' '));
      for (const args of [
        ['-br', 'link', 'show'],
        ['-br', 'address', 'show'],
        ['-s', 'link', 'show'],
      ])
        assert.deepEqual(
          JSON.parse((await cli(ns, '-j', ...args))[0]!),
          JSON.parse(execFileSync('ip', ['-n', ns, '-j', ...args], { encoding: 'utf8' })),
          args.join(' '),
        );
    });
  });

  test('netns ids: set, list-id, list with ids in the order ip prints, identify, pids, exec', async () => {
    await withTestNetnses(2, async ([a, b], [na]) => {
      await na!.nsids.set(b!, 7);
      assert.equal(await na!.nsids.get(b!), 7);
      assert.deepEqual(
        (await na!.nsids.list()).map((e) => e.nsid),
        [7],
      );
      await assert.rejects(na!.nsids.set(b!, 8), { code: 'EEXIST' });
      assert.deepEqual(await cli(a!, 'netns', 'list-id'), text('ip', a!, 'netns', 'list-id'));
      assert.deepEqual(
        JSON.parse((await cli(a!, '-j', 'netns', 'list-id'))[0]!),
        JSON.parse(execFileSync('ip', ['-n', a!, '-j', 'netns', 'list-id'], { encoding: 'utf8' })),
      );
      // The whole list (other tests' namespaces come and go): compare the lines of our two.
      const mine = (lines: string[]) => lines.filter((l) => l.startsWith(a!) || l.startsWith(b!));
      assert.deepEqual(mine(await cli(a!, 'netns', 'list')), mine(text('ip', a!, 'netns', 'list')));
      await cli(a!, 'netns', 'set', b!, 'auto').catch(() => undefined); // already has one: EEXIST
      assert.deepEqual(
        await netns.identify(),
        execFileSync('ip', ['netns', 'identify'], { encoding: 'utf8' }).split('\n').filter(Boolean),
      );
      const out = await cli(a!, 'netns', 'exec', a!, 'sh', '-c', 'echo $$; ip netns identify $$');
      assert.equal(out[1], a);
      assert.deepEqual(await netns.pids(a!), []);
      const r = await rtnl(['netns', 'exec', a!, 'sh', '-c', 'exit 3']);
      assert.equal(r.status, 3);
    });
  });

  test('names from iproute2 configuration: custom table, protocol and scope words in and out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtnl-names-'));
    writeFileSync(join(dir, 'rt_tables'), '255 local\n254 main\n253 default\n0 unspec\n');
    mkdirSync(join(dir, 'rt_tables.d'));
    writeFileSync(join(dir, 'rt_tables.d', 'blue.conf'), '# a comment\n0x64 blue\n');
    writeFileSync(join(dir, 'rt_protos'), '4 static\n250 myproto\n');
    writeFileSync(join(dir, 'rt_scopes'), '0 global\n253 link\n254 host\n255 nowhere\n');
    const saved = process.env.RTNL_IPROUTE2_DIR;
    process.env.RTNL_IPROUTE2_DIR = dir;
    try {
      await withTestNetns(async (ns, nl) => {
        await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true });
        await cli(ns, 'route', 'add', '192.0.2.0/24', 'dev', 'v0', 'table', 'blue', 'proto', 'myproto');
        // ip reads the machine's files, which lack these names: it prints the numbers.
        const [r] = ipJson(ns, 'route', 'show', 'table', '100');
        assert.deepEqual([r.dst, r.protocol], ['192.0.2.0/24', '250']);
        assert.equal(JSON.parse((await cli(ns, '-j', 'route', 'show', 'table', 'blue'))[0]!).length, 1);
        const ours = JSON.parse((await cli(ns, '-j', 'route', 'show', 'table', 'all'))[0]!).find(
          (x: any) => x.dst === '192.0.2.0/24',
        );
        assert.deepEqual([ours.dst, ours.table, ours.protocol], ['192.0.2.0/24', 'blue', 'myproto']);
      });
    } finally {
      if (saved === undefined) delete process.env.RTNL_IPROUTE2_DIR;
      else process.env.RTNL_IPROUTE2_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-d text is spelled as ip spells it (vxlan, bridge, bridge_slave, link line)', async () => {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 'br0', kind: 'bridge' });
      await nl.links.add({ name: 'up0', kind: 'veth', peer: { name: 'up1' }, master: 'br0' });
      await nl.links.add({
        name: 'vx0',
        kind: 'vxlan',
        vxlan: { id: 42, port: 4789, local: '192.0.2.1', remote: '192.0.2.2', dev: 'up0', learning: false },
      });
      // Timers move between the two reads.
      const mask = (lines: string[]) => lines.map((l) => l.replace(/ +\d+\.\d\d/g, ' T'));
      assert.deepEqual(mask(await cli(ns, '-d', 'link', 'show')), mask(text('ip', ns, '-d', 'link', 'show')));
    });
  });
});
