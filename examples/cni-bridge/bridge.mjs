#!/usr/bin/env node
// A CNI plugin (spec 1.0.0) built on rtnl: attach a container's network namespace to a bridge on
// the host with a veth pair, as the reference `bridge` plugin of containernetworking/plugins does,
// with the same configuration keys and the same results. IP addresses come from the IPAM plugin
// the configuration names (host-local, dhcp, static, ...), run exactly as the spec prescribes.
//
// Install: put this file (executable), with config.mjs next to it, in a CNI_PATH directory under the name your network
// configurations use as "type" (e.g. `rtnl-bridge`), in a project where `rtnl` is installed.
// The runtime then runs it with the CNI_* variables set and the configuration on stdin.
//
// What the reference does that this plugin refuses cleanly (error code 2, "unsupported field"):
// `ipMasq` and `macspoofchk` (they need nftables rules; rtnl speaks rtnetlink only) and `vlan`
// (bridge VLAN filtering: rtnl has no bridge VLAN API yet). See docs/cni-plugin.md.
//
// Equivalent to (ADD, roughly):
//   ip link add cni0 type bridge; ip link set cni0 up
//   ip -n CTR link add eth0 type veth peer name vethXXXXXXXX netns HOST
//   ip link set vethXXXXXXXX master cni0 up; bridge link set dev vethXXXXXXXX hairpin on
//   IPAM=... $CNI_PATH/host-local < config          (addresses, gateways, routes)
//   ip -n CTR addr add 10.22.0.2/24 brd + dev eth0; ip -n CTR link set eth0 up
//   ip -n CTR route add default via 10.22.0.1;      ip addr add 10.22.0.1/24 brd + dev cni0
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// The configuration and CNI_* variables are parsed and checked there (a pure module, tested
// without exec): install it next to this file.
import { CniError, fail, parseInvocation, SUPPORTED } from './config.mjs';

const timing = process.env.RTNL_CNI_TIMING === '1';
// process.uptime(), not performance.now(): the same clock (ms since the process started), without
// loading perf_hooks, which took about 1 ms of every run.
const now = () => process.uptime() * 1000;
const t0 = now(); // Node's own start-up

let cniVersion = '1.0.0';
// Run when executed (under any name or link in CNI_PATH); imported, it only exports the commands
// (test/live/faults-new-paths.test.ts calls add() with an injected failure).
const executed = (() => {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
})();
if (executed) await run();

async function run() {
  try {
    const out = await main();
    if (out !== undefined) process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  } catch (err) {
    if (err instanceof CniError && err.cniVersion) cniVersion = err.cniVersion;
    // rtnl's errors carry a stable code ('EEXIST', 'ENODEV', ...): passed on as the details.
    const e = err instanceof CniError ? err : fail(err?.message ?? String(err), err?.code);
    const obj = { cniVersion, code: e.code, msg: e.message };
    if (e.details) obj.details = e.details;
    process.stdout.write(`${JSON.stringify(obj, null, 4)}\n`);
    process.exitCode = 1;
  }
}

async function main() {
  const env = process.env;
  const command = env.CNI_COMMAND;
  if (command === 'VERSION') return { cniVersion: '1.0.0', supportedVersions: SUPPORTED };
  const stdin = readFileSync(0);
  const parsed = parseInvocation(env, stdin);
  cniVersion = parsed.cniVersion;
  const { command: cmd, n, args } = parsed;

  const tImport = now();
  // Keep V8's compiled code across runs: a runtime starts this plugin for every container, so each
  // start after the first skips compiling rtnl. rtnl keeps its bundle's code where the program asks
  // for a compile cache: Node's own on 22.1+ (which also caches this plugin's modules), else the
  // directory NODE_COMPILE_CACHE names, here the one Node would use. NODE_DISABLE_COMPILE_CACHE
  // turns it off.
  if (module.enableCompileCache) module.enableCompileCache();
  else if (!env.NODE_DISABLE_COMPILE_CACHE) env.NODE_COMPILE_CACHE ||= join(tmpdir(), 'node-compile-cache');
  const rtnl = await import('rtnl'); // only now: VERSION and bad input never load it
  const tWork = now();
  try {
    if (cmd === 'ADD') return await add(rtnl, n, args, stdin);
    if (cmd === 'DEL') return await del(rtnl, n, args, stdin);
    return await check(rtnl, n, args, stdin);
  } finally {
    if (timing) {
      const t = (a, b) => (b - a).toFixed(1);
      process.stderr.write(
        `rtnl-cni timing: node ${t0.toFixed(1)} ms, import ${t(tImport, tWork)} ms, work ${t(tWork, now())} ms\n`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ADD

/** ADD: `rtnl` is the imported module ({ Rtnl, sysctl }), `n` and `args` what parseInvocation returned. */
export async function add({ Rtnl, sysctl }, n, args, stdin) {
  const ctrNs = { path: args.netns };
  if (!existsSync(args.netns)) throw fail(`failed to open netns "${args.netns}": no such file or directory`);
  const host = await Rtnl.open();
  let ctr;
  try {
    ctr = await Rtnl.open({ netns: ctrNs });
  } catch (err) {
    await host.close(); // nothing was made yet: only the host client to let go of
    throw err;
  }
  const undo = []; // run in reverse if ADD fails: a failed ADD leaves nothing behind
  try {
    const br = await ensureBridge(host, sysctl, n, undo);
    if (await ctr.links.exists(args.ifName))
      throw fail(`container veth name provided (${args.ifName}) already exists`);
    const { hostName, contMac } = await makeVeth(ctr, n, args.ifName);
    undo.push(() => ctr.links.delete(args.ifName, { ifExists: true }));
    await sysctl.set(`net/ipv6/conf/${hostName}/accept_ra`, '0').catch(() => {});
    await host.links.set(hostName, { master: br.index, up: true });
    if (n.hairpinMode) await host.links.set(hostName, { bridgePort: { hairpin: true } });

    const result = {
      cniVersion,
      interfaces: [
        { name: n.bridge, mac: br.address },
        { name: hostName, mac: '' },
        { name: args.ifName, mac: contMac, sandbox: args.netns },
      ],
    };
    if (n.ipamType) {
      const ipam = execPlugin(n.ipamType, 'ADD', args.path, stdin);
      undo.push(() => execPlugin(n.ipamType, 'DEL', args.path, stdin, true));
      const ips = (ipam.ips ?? []).map(({ version: _v, ...ip }) => ip);
      if (ips.length === 0) throw fail('IPAM plugin returned missing IP config');
      result.ips = ips;
      result.routes = ipam.routes ?? [];
      const gws = calcGateways(result, n);
      await configureContainer(ctr, sysctl, ctrNs, args.ifName, result);
      if (n.isGateway) {
        for (const g of [gws[4], gws[6]]) {
          for (const gw of g.gws) await ensureAddr(host, br, gw, n.forceAddress);
          if (g.gws.length > 0) {
            const key = g.family === 4 ? 'net/ipv4/ip_forward' : 'net/ipv6/conf/all/forwarding';
            if ((await sysctl.get(key)) !== '1') await sysctl.set(key, '1');
          }
        }
      }
      if (result.routes.length === 0) delete result.routes;
    } else {
      await ctr.links.set(args.ifName, { up: true });
    }
    result.interfaces[1].mac = (await host.links.get(hostName)).address;
    result.interfaces[0].mac = (await host.links.get(n.bridge)).address;
    result.dns = n.dns ?? {};
    undo.length = 0;
    return versioned(result);
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        /* best effort: report the first error */
      }
    }
    throw err;
  } finally {
    await ctr.close();
    await host.close();
  }
}

/** The bridge, created if missing (and removed again by `undo` if this ADD then fails). */
async function ensureBridge(host, sysctl, n, undo) {
  let br;
  let created = false;
  try {
    br = await host.links.add({ name: n.bridge, kind: 'bridge', ...(n.mtu ? { mtu: n.mtu } : {}) });
    created = true;
  } catch (err) {
    if (err.code !== 'EEXIST') throw fail(`failed to create bridge "${n.bridge}": could not add "${n.bridge}": ${err.message}`);
    br = await host.links.get(n.bridge);
    if (br.kind !== 'bridge') throw fail(`failed to create bridge "${n.bridge}": "${n.bridge}" already exists but is not a bridge`);
  }
  // Undone only while it has no ports: a concurrent ADD may have attached a container meanwhile.
  if (created)
    undo.push(async () => {
      if ((await host.links.list({ master: br.index })).length === 0)
        await host.links.delete(br.index, { ifExists: true });
    });
  if (n.promiscMode) await host.links.set(n.bridge, { promisc: true });
  await sysctl.set(`net/ipv6/conf/${n.bridge}/accept_ra`, '0').catch(() => {});
  await host.links.set(n.bridge, { up: true });
  return br;
}

/**
 * `bytes` random bytes from the kernel, in hex. Read from /dev/urandom rather than through
 * node:crypto, whose loading took about 3 ms of every ADD.
 */
function randomHex(bytes) {
  const b = Buffer.alloc(bytes);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let at = 0; at < bytes; ) at += readSync(fd, b, at, bytes - at, null);
  } finally {
    closeSync(fd);
  }
  return b.toString('hex');
}

/** A veth pair made in the container, its peer in this (the host's) namespace under a random name. */
async function makeVeth(ctr, n, ifName) {
  for (let i = 0; ; i++) {
    const hostName = `veth${randomHex(4)}`;
    const mtu = n.mtu ? { mtu: n.mtu } : {};
    try {
      const link = await ctr.links.add({
        name: ifName,
        kind: 'veth',
        ...mtu,
        ...(n.mac ? { address: n.mac } : {}),
        peer: { name: hostName, netns: { path: '/proc/self/ns/net' }, ...mtu },
      });
      return { hostName, contMac: link.address };
    } catch (err) {
      // The container name was free a moment ago: EEXIST is the random host name.
      if (err.code !== 'EEXIST' || i >= 9) throw fail(`failed to make veth pair: ${err.message}`);
    }
  }
}

/** Gateways per family (computed as .1 of the subnet with isGateway), and the default routes. */
function calcGateways(result, n) {
  const gws = { 4: { family: 4, gws: [], defaultRouteFound: false }, 6: { family: 6, gws: [], defaultRouteFound: false } };
  for (const ipc of result.ips) {
    const [ip, len] = ipc.address.split('/');
    const family = ip.includes(':') ? 6 : 4;
    const g = gws[family];
    const defaultNet = family === 4 ? '0.0.0.0/0' : '::/0';
    ipc.interface = 2;
    if (!ipc.gateway && n.isGateway) ipc.gateway = ipString(family, network(family, ip, Number(len)) + 1n);
    if (n.isDefaultGateway && !g.defaultRouteFound) {
      g.defaultRouteFound = result.routes.some((r) => r.gw && r.dst === defaultNet);
      if (!g.defaultRouteFound) {
        result.routes.push({ dst: defaultNet, gw: ipc.gateway });
        g.defaultRouteFound = true;
      }
    }
    if (n.isGateway) g.gws.push(`${ipc.gateway}/${len}`);
  }
  // The keys in the reference's order (interface, address, gateway).
  result.ips = result.ips.map(({ interface: i, address, gateway, ...rest }) =>
    gateway ? { interface: i, address, gateway, ...rest } : { interface: i, address, ...rest },
  );
  return gws;
}

/** The container side: sysctls, addresses, link up, routes (gateway-less routes via the family's gateway). */
async function configureContainer(ctr, sysctl, ctrNs, ifName, result) {
  await sysctl.set(`net/ipv6/conf/${ifName}/accept_dad`, '0', { netns: ctrNs }).catch(() => {});
  await sysctl.set(`net/ipv4/conf/${ifName}/arp_notify`, '1', { netns: ctrNs }).catch(() => {});
  const gw = {};
  for (const ipc of result.ips) {
    const v6 = ipc.address.includes(':');
    await ctr.addresses.add(ifName, ipc.address, v6 ? undefined : { broadcast: '+' });
    if (ipc.gateway && !gw[v6 ? 6 : 4]) gw[v6 ? 6 : 4] = ipc.gateway;
  }
  await ctr.links.set(ifName, { up: true });
  for (const r of result.routes) {
    const family = r.dst.includes(':') ? 6 : 4;
    const gateway = r.gw ?? gw[family];
    await ctr.routes.add({ dst: r.dst, dev: ifName, ...(gateway ? { gateway } : {}) });
  }
}

/** The gateway address on the bridge (replacing another of the same family with forceAddress). */
async function ensureAddr(host, br, gw, force) {
  const [ip, len] = gw.split('/');
  const family = ip.includes(':') ? 6 : 4;
  for (const a of await host.addresses.list({ link: br.index, family })) {
    if (a.address === ip && a.prefixLen === Number(len)) return;
    if (family === 4 || overlaps(family, a.address, a.prefixLen, ip, Number(len))) {
      if (!force) throw fail(`failed to set bridge addr: "${br.name}" already has an IP address different from ${gw}`);
      await host.addresses.delete(br.index, `${a.address}/${a.prefixLen}`);
    }
  }
  await host.addresses.add(br.index, gw, family === 4 ? { broadcast: '+' } : undefined);
  // Pin the bridge's MAC (the one it had before its first port), or it follows the lowest port
  // MAC as ports come and go. A bridge whose last port went away has none (all zeros): then pin
  // the one it took from its new port.
  const zero = (mac) => !mac || /^(00:){5}00$/.test(mac);
  const mac = zero(br.address) ? (await host.links.get(br.index)).address : br.address;
  if (!zero(mac)) await host.links.set(br.index, { address: mac });
}

// ---------------------------------------------------------------------------------------------
// DEL and CHECK

async function del({ Rtnl }, n, args, stdin) {
  if (n.ipamType) execPlugin(n.ipamType, 'DEL', args.path, stdin);
  if (!args.netns || !existsSync(args.netns)) return undefined; // already gone: success
  const ctr = await Rtnl.open({ netns: { path: args.netns } });
  try {
    await ctr.links.delete(args.ifName, { ifExists: true }); // takes the host end with it
  } finally {
    await ctr.close();
  }
  return undefined;
}

async function check({ Rtnl }, n, args, stdin) {
  if (n.ipamType) execPlugin(n.ipamType, 'CHECK', args.path, stdin);
  const prev = n.prevResult;
  if (!prev) throw fail('Required prevResult missing');
  const find = (pred) => (prev.interfaces ?? []).find(pred);
  const brIf = find((i) => i.name === n.bridge && !i.sandbox);
  const ctrIf = find((i) => i.name === args.ifName && i.sandbox === args.netns);
  if (!brIf) throw fail(`CNI created bridge ${n.bridge} in host namespace was not found`);
  if (!ctrIf) throw fail(`Sandbox in prevResult doesn't match configured netns: ${args.netns}`);
  const host = await Rtnl.open();
  let ctr;
  try {
    ctr = await Rtnl.open({ netns: { path: args.netns } });
  } catch (err) {
    await host.close();
    throw err;
  }
  try {
    const br = await host.links.get(n.bridge).catch(() => undefined);
    if (!br) throw fail(`Interface name ${n.bridge} not found`);
    if (br.kind !== 'bridge') throw fail(`Interface ${n.bridge} does not have link type of bridge`);
    if (brIf.mac && brIf.mac !== br.address) throw fail(`Bridge interface ${n.bridge} Mac doesn't match: ${brIf.mac}`);
    if (br.flags.includes('PROMISC') !== n.promiscMode)
      throw fail(`Bridge interface ${n.bridge} configured Promisc Mode ${n.promiscMode} doesn't match current state`);
    const c = await ctr.links.get(args.ifName).catch(() => undefined);
    if (!c) throw fail(`Interface name ${args.ifName} not found`);
    if (c.kind !== 'veth') throw fail(`Error: Container interface ${args.ifName} not of type veth`);
    if (ctrIf.mac && ctrIf.mac !== c.address)
      throw fail(`Interface ${args.ifName} Mac ${ctrIf.mac} doesn't match container Mac: ${c.address}`);
    const veth = (await host.links.list({ master: br.index })).find((l) => l.index === c.link && l.link === c.index);
    if (!veth) throw fail(`CNI veth created for bridge ${n.bridge} was not found`);
    const have = (await ctr.addresses.list({ link: c.index })).map((a) => `${a.address}/${a.prefixLen}`);
    for (const ipc of prev.ips ?? [])
      if (!have.includes(ipc.address)) throw fail(`Failed to match addr ${ipc.address} on interface ${args.ifName}`);
    const routes = await ctr.routes.list({ table: 'main' });
    for (const r of prev.routes ?? []) {
      const dst = r.dst === '0.0.0.0/0' || r.dst === '::/0' ? 'default' : r.dst;
      if (!routes.some((x) => x.dst === dst && (!r.gw || x.gateway === r.gw)))
        throw fail(`Failed to find a route for dst ${r.dst}`);
    }
  } finally {
    await ctr.close();
    await host.close();
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Run a delegated plugin as the spec says: found in CNI_PATH, the same environment (CNI_COMMAND
 * set to `command`) and the same configuration on stdin. Its error object is passed on as is.
 */
function execPlugin(type, command, cniPath, stdin, quiet = false) {
  const dir = cniPath.split(':').find((d) => d && existsSync(join(d, type)));
  if (!dir) throw fail(`failed to find plugin "${type}" in path [${cniPath.split(':').join(' ')}]`);
  const r = spawnSync(join(dir, type), [], {
    input: stdin,
    env: { ...process.env, CNI_COMMAND: command },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (quiet) return undefined;
  if (r.error) throw fail(`failed to run plugin "${type}": ${r.error.message}`);
  let out;
  try {
    out = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  } catch {
    throw new CniError(6, `decoding result of "${type}" failed`, r.stdout.slice(0, 200));
  }
  if (r.status !== 0) {
    if (out?.code) throw new CniError(out.code, out.msg, out.details);
    throw fail(`plugin "${type}" failed (exit status ${r.status})`, r.stderr.trim() || undefined);
  }
  return out;
}

/** Results for CNI versions before 1.0.0 carry the IP version in each ips entry. */
function versioned(result) {
  if (cniVersion === '1.0.0') return result;
  for (const ipc of result.ips ?? []) ipc.version = ipc.address.includes(':') ? '6' : '4';
  return result;
}

function network(family, ip, len) {
  const bits = family === 4 ? 32n : 128n;
  const mask = ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(len))) - 1n);
  return ipBig(family, ip) & mask;
}

function overlaps(family, a, alen, b, blen) {
  const len = Math.min(alen, blen);
  return network(family, a, len) === network(family, b, len);
}

function ipBig(family, ip) {
  if (family === 4) return ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
  const [head, tail = ''] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g || '0'}`), 0n);
}

function ipString(family, v) {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as every IPv6 printer does.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best[1] < 2) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}
