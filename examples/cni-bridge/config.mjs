// The input of the CNI bridge plugin (bridge.mjs), parsed and checked: the CNI_* variables,
// CNI_ARGS and the network configuration. Pure: no I/O, no exec, no rtnl. The plugin reads stdin
// and its environment and passes them in; tests give it hostile configurations directly.
//
// Every refusal is a CniError with the spec's code (1 incompatible version, 2 unsupported field,
// 4 bad environment, 6 undecodable input, 7 invalid configuration; 999 for the rest, as the
// reference plugin does) and a message that names the field.

/** The CNI spec versions the plugin speaks. */
export const SUPPORTED = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'];

/** A CNI error: the plugin prints it as the spec's error object, exit status 1. */
export class CniError extends Error {
  constructor(code, msg, details) {
    super(msg);
    this.code = code;
    this.details = details;
  }
}
/** A generic failure (code 999, as the reference plugin's). */
export const fail = (msg, details) => new CniError(999, msg, details);
const unsupported = (key, value, why) =>
  new CniError(2, `unsupported field in network configuration: "${key}": ${JSON.stringify(value)}`, why);
const invalid = (key, value, why) =>
  new CniError(
    7,
    `invalid network configuration: "${key}"${value === undefined ? '' : `: ${JSON.stringify(value)}`}`,
    why,
  );
const badEnv = (key, value, why) => new CniError(4, `invalid ${key}: ${JSON.stringify(value)}`, why);

/** The environment each command needs. */
const REQUIRED = {
  ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  DEL: ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'],
};
const BOOLEANS = ['isGateway', 'isDefaultGateway', 'forceAddress', 'hairpinMode', 'promiscMode', 'ipMasq', 'macspoofchk'];
const POLLUTING = new Set(['__proto__', 'constructor', 'prototype']);
/** An interface name the kernel takes: 1-15 bytes, no '/', ':', whitespace or NUL, not '.' or '..'. */
const isIfName = (s) =>
  typeof s === 'string' &&
  Buffer.byteLength(s) >= 1 &&
  Buffer.byteLength(s) <= 15 &&
  !/[/:\s\0]/.test(s) &&
  s !== '.' &&
  s !== '..';
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
/** A plugin name: a file name in CNI_PATH, never a path. */
const PLUGIN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The container id, as the spec allows it. */
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** No own __proto__, constructor or prototype key at any depth (JSON.parse makes them own keys). */
function checkKeys(v, path, depth = 0) {
  if (v === null || typeof v !== 'object') return;
  if (depth > 32) throw invalid(path, undefined, 'nested more than 32 levels deep');
  for (const k of Object.keys(v)) {
    const p = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (POLLUTING.has(k)) throw invalid(p, undefined, 'not an allowed key');
    checkKeys(v[k], p, depth + 1);
  }
}

/**
 * Parse one invocation: `env` (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH,
 * CNI_ARGS) and the configuration bytes from stdin. Returns `{ command, cniVersion, conf, n, args }`:
 * the configuration as given, the plugin's settings with the reference's defaults, and the
 * CNI_* arguments. VERSION is answered before this is called. A CniError thrown after the
 * configuration's version was read carries it as `cniVersion`, for the error object.
 */
export function parseInvocation(env, stdin) {
  let cniVersion = '1.0.0';
  try {
    const command = env.CNI_COMMAND;
    let conf;
    try {
      conf = JSON.parse(Buffer.from(stdin).toString('utf8'));
      if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) throw new Error('not a JSON object');
    } catch (err) {
      throw new CniError(6, `error unmarshall network config: ${err.message}`);
    }
    if (typeof conf.cniVersion === 'string') cniVersion = conf.cniVersion;
    if (!SUPPORTED.includes(conf.cniVersion))
      throw new CniError(
        1,
        'incompatible CNI versions',
        `config's cniVersion is ${JSON.stringify(conf.cniVersion)}, plugin supports ${JSON.stringify(SUPPORTED)}`,
      );
    if (!Object.hasOwn(REQUIRED, command ?? '')) throw new CniError(4, `unknown CNI_COMMAND: ${command ?? '(unset)'}`);
    const missing = REQUIRED[command].filter((k) => !env[k]);
    if (missing.length > 0) throw new CniError(4, `required env variables [${missing.join(',')}] missing`);
    const args = checkEnv(env);
    const n = netConf(conf, env.CNI_ARGS ?? '');
    return { command, cniVersion, conf, n, args };
  } catch (err) {
    if (err instanceof CniError) err.cniVersion = cniVersion;
    throw err;
  }
}

/** The CNI_* arguments, each checked before any of them is used. */
function checkEnv(env) {
  const args = { containerId: env.CNI_CONTAINERID, netns: env.CNI_NETNS, ifName: env.CNI_IFNAME, path: env.CNI_PATH };
  if (!CONTAINER_ID.test(args.containerId)) throw badEnv('CNI_CONTAINERID', args.containerId);
  if (!isIfName(args.ifName))
    throw badEnv('CNI_IFNAME', args.ifName, 'an interface name: 1 to 15 bytes, no "/", ":", whitespace or NUL');
  if (args.netns !== undefined && args.netns !== '' && (!args.netns.startsWith('/') || args.netns.includes('\0')))
    throw badEnv('CNI_NETNS', args.netns, 'an absolute path');
  if (args.path.includes('\0')) throw badEnv('CNI_PATH', args.path);
  return args;
}

/** The reference plugin's configuration keys, with its defaults. */
function netConf(c, cniArgs) {
  checkKeys(c, '');
  if (c.vlan !== undefined && c.vlan !== 0) {
    if (!Number.isInteger(c.vlan) || c.vlan < 0 || c.vlan > 4094)
      throw fail(`invalid VLAN ID ${c.vlan} (must be between 0 and 4094)`);
    throw unsupported('vlan', c.vlan, 'bridge VLAN filtering is not supported by rtnl (nor by every kernel)');
  }
  for (const k of BOOLEANS)
    if (c[k] !== undefined && c[k] !== null && typeof c[k] !== 'boolean')
      throw invalid(k, c[k], 'expected true or false');
  if (c.ipMasq === true)
    throw unsupported('ipMasq', true, 'IP masquerading needs nftables rules; rtnl speaks rtnetlink only');
  if (c.macspoofchk === true)
    throw unsupported('macspoofchk', true, 'MAC spoof checking needs nftables rules; rtnl speaks rtnetlink only');
  if (c.name !== undefined && typeof c.name !== 'string') throw invalid('name', c.name, 'expected a string');
  for (const k of ['ipam', 'dns', 'prevResult', 'runtimeConfig', 'args'])
    if (c[k] !== undefined && (c[k] === null || typeof c[k] !== 'object' || Array.isArray(c[k])))
      throw invalid(k, c[k], 'expected an object');
  if (c.ipam?.type !== undefined && (typeof c.ipam.type !== 'string' || !PLUGIN.test(c.ipam.type)))
    throw invalid('ipam.type', c.ipam.type, 'a plugin name in CNI_PATH, not a path');
  const n = {
    name: c.name,
    bridge: c.bridge ?? 'cni0',
    isGateway: c.isGateway === true || c.isDefaultGateway === true,
    isDefaultGateway: c.isDefaultGateway === true,
    forceAddress: c.forceAddress === true,
    hairpinMode: c.hairpinMode === true,
    promiscMode: c.promiscMode === true,
    mtu: c.mtu ?? 0,
    ipamType: c.ipam?.type ?? '',
    dns: c.dns,
    prevResult: c.prevResult,
    // The container's MAC: CNI_ARGS MAC=..., overridden by args.cni.mac, then runtimeConfig.mac.
    mac: macOf(c.runtimeConfig?.mac, 'runtimeConfig.mac') || macOf(c.args?.cni?.mac, 'args.cni.mac') || argsMac(cniArgs) || undefined,
  };
  if (typeof n.bridge !== 'string' || n.bridge === '') throw new CniError(7, 'invalid network configuration: "bridge"');
  if (!isIfName(n.bridge))
    throw invalid('bridge', n.bridge, 'an interface name: 1 to 15 bytes, no "/", ":", whitespace or NUL');
  if (!Number.isInteger(n.mtu) || n.mtu < 0) throw new CniError(7, `invalid network configuration: "mtu": ${c.mtu}`);
  if (n.mtu > 65535) throw invalid('mtu', n.mtu, 'at most 65535');
  if (n.hairpinMode && n.promiscMode) throw fail('cannot set hairpin mode and promiscuous mode at the same time.');
  return n;
}

/** A MAC given in the configuration: absent, empty (unset), or aa:bb:cc:dd:ee:ff. */
function macOf(v, key) {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !MAC.test(v)) throw invalid(key, v, 'expected a MAC address like 02:00:00:00:00:01');
  return v;
}

/** MAC=... from CNI_ARGS ("K=V;K=V"); other keys are an error unless IgnoreUnknown is set. */
function argsMac(cniArgs) {
  if (!cniArgs) return undefined;
  const pairs = cniArgs.split(';').map((kv) => {
    const i = kv.indexOf('=');
    if (i < 1) throw fail(`ARGS: invalid pair "${kv}"`);
    return [kv.slice(0, i), kv.slice(i + 1)];
  });
  const kv = Object.fromEntries(pairs);
  const ignore = /^(1|true)$/i.test(kv.IgnoreUnknown ?? '');
  const unknown = pairs.map(([k]) => k).filter((k) => k !== 'MAC' && k !== 'IgnoreUnknown');
  if (unknown.length > 0 && !ignore) throw fail(`ARGS: unknown args ${JSON.stringify(unknown)}`);
  return macOf(Object.hasOwn(kv, 'MAC') ? kv.MAC : undefined, 'CNI_ARGS MAC');
}
