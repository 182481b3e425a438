/**
 * Generates src/codec/constants/*.ts (and src/ffi/constants.ts, src/errno.ts) from uapi headers.
 *
 * Kernel numbers are copied by name, never typed by hand: every `#define NAME <number expr>` and
 * every enumerator of the listed headers becomes `export const NAME = value;`. Macros with
 * arguments (but the _IO/_IOR/_IOW/_IOWR ioctl numbers), strings and names we cannot resolve are
 * skipped.
 *
 * Headers under linux/ are read from a layered tree, newest first:
 *   <kernel>/uapi/linux/...        single headers newer than 6.12 (this machine runs 6.18)
 *   <kernel>/uapi-6.12/linux/...   a complete Linux 6.12 set (linux-libc-dev 6.12)
 *   /usr/include/linux/...         the build machine's headers (Debian 12: Linux 6.1)
 * where <kernel> is the folder given with `--kernel DIR`, else `../shared/kernel` next to the main
 * checkout when it exists. `--system-only` uses /usr/include alone (older constants: only for a
 * machine without the reference tree; the committed files come from the layered tree).
 *
 *   npm run gen:constants -- --kernel /path/to/shared/kernel
 *
 * The generated files are committed: building and testing never read the header trees.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/codec/constants');

function kernelDir(): string | undefined {
  const args = process.argv.slice(2);
  if (args.includes('--system-only')) return undefined;
  const at = args.indexOf('--kernel');
  if (at >= 0) {
    const dir = args[at + 1];
    if (!dir || !existsSync(dir)) throw new Error(`--kernel: no such folder: ${dir ?? '(missing)'}`);
    return resolve(dir);
  }
  // A worktree's root is <somewhere>/wt/<name>; the main checkout's is <somewhere>/main.
  for (const guess of [join(root, '../shared/kernel'), join(root, '../../shared/kernel')]) {
    if (existsSync(join(guess, 'uapi-6.12'))) return resolve(guess);
  }
  throw new Error('no kernel header tree found: pass --kernel DIR, or --system-only for /usr/include alone');
}

const KERNEL = kernelDir();
/**
 * Where a header is read from: every layer that has it, newest first. A name keeps the newest
 * layer's value; names only an older layer has are kept too (the stable branches' Debian headers
 * carry IFLA_BOND_SLAVE_AD_CHURN_* that the newer single if_link.h predates).
 */
function locate(header: string): string[] {
  const layers = KERNEL && header.startsWith('linux/') ? [join(KERNEL, 'uapi'), join(KERNEL, 'uapi-6.12')] : [];
  return [...layers, '/usr/include'].map((dir) => join(dir, header)).filter((path) => existsSync(path));
}

/** The tc actions' headers (linux/tc_act/*.h), one constants module between them. */
const TC_ACT = [
  'bpf',
  'connmark',
  'csum',
  'ct',
  'ctinfo',
  'defact',
  'gact',
  'gate',
  'ife',
  'mirred',
  'mpls',
  'nat',
  'pedit',
  'sample',
  'skbedit',
  'skbmod',
  'tunnel_key',
  'vlan',
];

/** header (relative to /usr/include) -> output module; prefixes we keep from it (all when empty). */
const HEADERS: Array<[string, string, string[]]> = [
  [
    'linux/netlink.h',
    'netlink',
    ['NETLINK_', 'NLMSG_', 'NLM_F_', 'NLMSGERR_', 'NLA_', 'NL_ATTR_', 'NL_POLICY_', 'NLMSG_MIN_'],
  ],
  [
    'linux/rtnetlink.h',
    'rtnetlink',
    [
      'RTM_',
      'RTN_',
      'RTPROT_',
      'RT_SCOPE_',
      'RTM_F_',
      'RT_TABLE_',
      'RTA_',
      'RTNH_',
      'RTAX_',
      'RTNLGRP_',
      'RTMGRP_',
      'TCA_',
      'PREFIX_',
      'RTEXT_',
      'NDUSEROPT_',
      'RTNETLINK_',
      'RTAX_FEATURE_',
      'RTNH_F_',
      'IFLA_COST',
      'TCM_',
    ],
  ],
  ['linux/if_link.h', 'if_link', []],
  ['linux/if_addr.h', 'if_addr', []],
  ['linux/neighbour.h', 'neighbour', []],
  ['linux/fib_rules.h', 'fib_rules', []],
  ['linux/net_namespace.h', 'net_namespace', []],
  ['linux/if_bridge.h', 'if_bridge', ['IFLA_BR', 'BRIDGE_', 'BR_', 'MDB', 'MDBA_', 'IFLA_BRIDGE_']],
  ['linux/veth.h', 'veth', []],
  ['linux/if_vlan.h', 'if_vlan', ['VLAN_FLAG_']],
  ['linux/lwtunnel.h', 'lwtunnel', []],
  ['linux/mpls_iptunnel.h', 'mpls_iptunnel', []],
  ['linux/mpls.h', 'mpls', ['MPLS_LS_']],
  ['linux/nexthop.h', 'nexthop', []],
  ['linux/if.h', 'if', ['IFF_', 'IF_OPER_', 'IF_LINK_MODE_', 'IFNAMSIZ', 'IFALIASZ', 'ALTIFNAMSIZ']],
  ['linux/if_arp.h', 'if_arp', ['ARPHRD_']],
  ['linux/if_ether.h', 'if_ether', ['ETH_P_8021Q', 'ETH_P_8021AD', 'ETH_P_IP', 'ETH_P_IPV6', 'ETH_P_ALL', 'ETH_ALEN']],
  ['linux/if_bonding.h', 'if_bonding', ['BOND_MODE_', 'BOND_LINK_', 'BOND_STATE_', 'BOND_XMIT_POLICY_', 'LACP_STATE_']],
  ['linux/icmpv6.h', 'icmpv6', ['ICMPV6_ROUTER_PREF_']],
  ['linux/in.h', 'in', ['IPPROTO_']],
  ['linux/in6.h', 'in6', ['IPPROTO_']],
  [
    'linux/if_tun.h',
    'if_tun',
    [
      'IFF_TUN',
      'IFF_TAP',
      'IFF_NO_PI',
      'IFF_ONE_QUEUE',
      'IFF_VNET_HDR',
      'IFF_MULTI_QUEUE',
      'IFF_PERSIST',
      'IFF_NAPI',
      'IFF_NAPI_FRAGS',
      'IFF_TUN_EXCL',
      'IFF_ATTACH_QUEUE',
      'IFF_DETACH_QUEUE',
      'IFF_NOFILTER',
      'TUN',
      'TUN_F_',
      'TUN_PKT_STRIP',
      'TUN_FLT_ALLMULTI',
    ],
  ],
  ['linux/if_tunnel.h', 'if_tunnel', ['IFLA_GRE_', 'IFLA_IPTUN_', 'IFLA_VTI_', 'GRE_', 'TUNNEL_', 'SIT_', 'IP6_TNL_']],
  ['linux/if_macsec.h', 'if_macsec', []],
  ['linux/ip.h', 'ip', ['IPV4_DEVCONF_']],
  ['linux/ipv6.h', 'ipv6', ['DEVCONF_']],
  ['linux/snmp.h', 'snmp', ['IPSTATS_MIB_', 'ICMP6_MIB_']],
  ['linux/genetlink.h', 'genetlink', []],
  ['linux/ethtool.h', 'ethtool', []],
  // The generated header has the newest message and attribute enums; ethtool_netlink.h adds the
  // rest (ETHTOOL_FLAG_*, ...). Names the first defines are not taken again from the second.
  ['linux/ethtool_netlink_generated.h', 'ethtool_netlink', []],
  ['linux/ethtool_netlink.h', 'ethtool_netlink', []],
  ['linux/pkt_sched.h', 'pkt_sched', []],
  ['linux/pkt_cls.h', 'pkt_cls', []],
  ['linux/gen_stats.h', 'gen_stats', []],
  ...TC_ACT.map((a): [string, string, string[]] => [`linux/tc_act/tc_${a}.h`, 'tc_act', []]),
  ['linux/if_packet.h', 'if_packet', ['PACKET_']],
  // The devlink port handle rtnetlink nests in IFLA_DEVLINK_PORT.
  ['linux/devlink.h', 'devlink', ['DEVLINK_ATTR_BUS_NAME', 'DEVLINK_ATTR_DEV_NAME', 'DEVLINK_ATTR_PORT_INDEX']],
  ['x86_64-linux-gnu/bits/socket.h', 'socket', ['AF_', 'PF_']],
  // For src/ffi (libc calls): written to src/ffi/constants.ts, not the codec.
  ['asm-generic/socket.h', 'ffi', ['SOL_SOCKET', 'SO_RCVBUF', 'SO_SNDBUF', 'SO_RCVBUFFORCE', 'SO_SNDBUFFORCE']],
  ['x86_64-linux-gnu/bits/socket_type.h', 'ffi', ['SOCK_RAW', 'SOCK_CLOEXEC', 'SOCK_NONBLOCK', 'SOCK_DGRAM']],
  [
    'x86_64-linux-gnu/bits/socket.h',
    'ffi',
    ['MSG_PEEK', 'MSG_TRUNC', 'MSG_DONTWAIT', 'SOL_NETLINK', 'SOL_SOCKET', 'AF_NETLINK'],
  ],
  ['linux/sched.h', 'ffi', ['CLONE_NEWNET']],
  ['asm-generic/poll.h', 'ffi', ['POLLIN', 'POLLOUT', 'POLLERR', 'POLLHUP', 'POLLNVAL']],
  [
    'asm-generic/fcntl.h',
    'ffi',
    ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_EXCL', 'O_CLOEXEC', 'O_TRUNC', 'O_NONBLOCK'],
  ],
  ['linux/mount.h', 'ffi', ['MS_BIND', 'MS_REC', 'MS_SHARED', 'MS_SLAVE', 'MS_PRIVATE', 'MS_RDONLY']],
  ['x86_64-linux-gnu/sys/mount.h', 'ffi', ['MNT_DETACH']],
  ['x86_64-linux-gnu/bits/eventfd.h', 'ffi', ['EFD_CLOEXEC', 'EFD_NONBLOCK']],
  // The poller's epoll set (src/ffi/poller.ts).
  ['linux/eventpoll.h', 'ffi', ['EPOLL_CTL_', 'EPOLLIN', 'EPOLLONESHOT']],
  ['x86_64-linux-gnu/bits/epoll.h', 'ffi', ['EPOLL_CLOEXEC']],
  // ioctls (ethtool's SIOCETHTOOL, interface requests). The tun ioctls and IFNAMSIZ are in the
  // codec's if_tun.ts and if.ts, which src/ffi imports: one copy of each number.
  ['linux/sockios.h', 'ffi', ['SIOC']],
  // What the tests' BPF loader (test/helpers/bpf.ts) needs: bpf(2), and "r0 = 0; exit" for tc.
  ['x86_64-linux-gnu/asm/unistd_64.h', 'ffi', ['__NR_bpf']],
  ['linux/bpf_common.h', 'ffi', ['BPF_ALU', 'BPF_JMP', 'BPF_K']],
  ['linux/bpf.h', 'ffi', ['BPF_ALU64', 'BPF_MOV', 'BPF_EXIT', 'BPF_PROG_LOAD', 'BPF_PROG_TYPE_SCHED_CLS']],
  ['asm-generic/errno-base.h', 'errno', ['E']],
  ['asm-generic/errno.h', 'errno', ['E']],
];

type Entry = { name: string; value: number | bigint };

/**
 * Modules written in parts, so that no generated file runs far past ~600 lines: [part, the first
 * name in it], in the order the header defines them. A part runs until the next one starts; a part
 * may be the module itself again. The module re-exports its parts, so importers of `if_link.js`
 * (and index.ts) still see every name; the names/ tables stay one per module.
 */
const PARTS: Record<string, Array<[string, string]>> = {
  // The link's own attributes (IFLA_*, inet, inet6) | the bridge's and its ports' | IFLA_INFO_*
  // and the kinds' data (vlan ... bond) | VFs, port profiles, ipoib, hsr | stats, XDP, events and
  // the later kinds (tun, rmnet, mctp, dsa, ovpn).
  if_link: [
    ['if_link_bridge', 'IFLA_BR_UNSPEC'],
    ['if_link_info', 'IFLA_INFO_UNSPEC'],
    ['if_link_vf', 'IFLA_VF_INFO_UNSPEC'],
    ['if_link_stats', 'IFLA_STATS_UNSPEC'],
  ],
  // The generated header's attribute enums | its messages, then ethtool_netlink.h's additions.
  ethtool_netlink: [
    ['ethtool_netlink_attrs', 'ETHTOOL_A_HEADER_UNSPEC'],
    ['ethtool_netlink', 'ETHTOOL_MSG_USER_NONE'],
  ],
};

/** A module's lines by part (the module's own first), as PARTS says; one part when it says nothing. */
function splitParts(mod: string, lines: string[], entries: Entry[]): Map<string, string[]> {
  const out = new Map<string, string[]>([[mod, []]]);
  const starts = new Map(PARTS[mod]?.map(([part, first]) => [first, part]));
  let part = mod;
  for (const [i, line] of lines.entries()) {
    const next = starts.get(entries[i]!.name);
    if (next !== undefined) {
      part = next;
      starts.delete(entries[i]!.name);
    }
    if (!out.has(part)) out.set(part, []);
    out.get(part)!.push(line);
  }
  if (starts.size > 0) throw new Error(`${mod}: no ${[...starts.keys()].join(', ')} to start a part at`);
  return out;
}

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
}

/** Sizes of the C types ioctl numbers are declared with (LP64: x86_64, aarch64). Others: skipped. */
const IOCTL_ARG_SIZES: Record<string, number> = { int: 4, 'unsigned int': 4, __u32: 4, __s32: 4 };
/** asm-generic/ioctl.h's field layout, read from the header itself. */
let ioctlLayout: Map<string, number | bigint> | undefined;

/** _IO('T', 227), _IOW('T', 202, int), ...: the number the macro builds, or undefined. */
function ioctlNumber(dir: string, type: string, nr: string, arg: string | undefined): number | undefined {
  if (!ioctlLayout) {
    ioctlLayout = new Map();
    parse(readFileSync('/usr/include/asm-generic/ioctl.h', 'utf8'), ioctlLayout);
  }
  const n = (name: string) => Number(ioctlLayout!.get(name));
  const size = arg === undefined ? 0 : IOCTL_ARG_SIZES[arg.trim().replace(/\s+/g, ' ')];
  const t = /^'(.)'$/.exec(type.trim());
  if (size === undefined || !t || !/^\d+$/.test(nr.trim())) return undefined;
  const d = { '': n('_IOC_NONE'), R: n('_IOC_READ'), W: n('_IOC_WRITE'), WR: n('_IOC_READ') | n('_IOC_WRITE') }[dir]!;
  const nrShift = 0;
  const typeShift = nrShift + n('_IOC_NRBITS');
  const sizeShift = typeShift + n('_IOC_TYPEBITS');
  const dirShift = sizeShift + n('_IOC_SIZEBITS');
  return ((d << dirShift) | (t[1]!.charCodeAt(0) << typeShift) | (Number(nr) << nrShift) | (size << sizeShift)) >>> 0;
}

function evaluate(expr: string, known: Map<string, number | bigint>): number | bigint | undefined {
  const io = /^\s*_IO(R|W|WR)?\(\s*('.')\s*,\s*(\d+)\s*(?:,([^)]*))?\)\s*$/.exec(expr);
  if (io) return ioctlNumber(io[1] ?? '', io[2]!, io[3]!, io[4]);
  // The kernel's BIT(n) (vdso/bits.h), as nexthop.h's NHA_OP_FLAG_* use it.
  const e = expr
    .trim()
    .replace(/\bBIT\(\s*(\d+)\s*\)/g, '(1 << $1)')
    // eventpoll.h's casts: (__poll_t)0x00000001, ((__force __poll_t)(1U << 30)).
    .replace(/\((?:__force\s+)?__poll_t\)/g, '')
    .replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
  if (!e) return undefined;
  const tokens = e.match(/0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<|>>|[()|&~+\-*]|\s+/g);
  if (!tokens || tokens.join('') !== e) return undefined;
  let js = '';
  for (const t of tokens) {
    if (/^[A-Za-z_]/.test(t)) {
      if (t === 'sizeof') return undefined;
      const v = known.get(t);
      if (v === undefined) return undefined;
      js += `(${v.toString()})`;
    } else if (/^0[0-7]+$/.test(t))
      js += String(parseInt(t, 8)); // C octal
    else js += t;
  }
  try {
    const v = Function(`"use strict"; return (${js});`)() as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    // C enums and defines here are unsigned 32-bit or small ints; keep >>> 0 for masks.
    return v < 0 && /<</.test(js) ? v >>> 0 : v;
  } catch {
    return undefined;
  }
}

function parse(src: string, known: Map<string, number | bigint>): Entry[] {
  const text = stripComments(src).replace(/\\\n/g, ' ');
  const out: Entry[] = [];
  const add = (name: string, value: number | bigint | undefined) => {
    const had = known.get(name);
    if (had !== undefined) {
      if (value !== undefined && value !== had && !name.startsWith('__'))
        console.warn(`warning: ${name} is ${had} and ${value}: keeping ${had}`);
      out.push({ name, value: had });
      return;
    }
    if (value === undefined) return;
    known.set(name, value);
    out.push({ name, value });
  };
  const re = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$|\benum\b[^{;]*\{([^}]*)\}/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1] !== undefined) {
      if (m[2] === '(') continue; // function-like macro
      add(m[1], evaluate(m[3]!, known));
      continue;
    }
    let next = 0;
    let prev: string | undefined;
    for (const raw of m[4]!.replace(/^[ \t]*#.*$/gm, '').split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const eq = item.indexOf('=');
      const name = (eq >= 0 ? item.slice(0, eq) : item).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        prev = undefined;
        continue;
      }
      let value: number | bigint | undefined;
      if (eq >= 0) value = evaluate(item.slice(eq + 1), known);
      else value = prev === undefined && next === 0 ? 0 : next;
      if (value === undefined) {
        prev = undefined;
        continue;
      }
      add(name, value);
      next = Number(value) + 1;
      prev = name;
    }
  }
  return out;
}

/**
 * Attribute numbers the kernel's rtnetlink YNL specs define that none of the headers above do yet
 * (RTA_FLOWLABEL, FRA_SPORT_MASK, ...), named as the C headers name them: the set's name-prefix
 * plus the attribute, upper-cased. Read from the committed digest (scripts/gen-ynl-digest.ts).
 * Every spec name a header does define must have the
 * header's number, or generation stops: the specs and the headers are checked against each other.
 */
function specOnly(
  known: Map<string, number | bigint>,
  files: Map<string, { headers: string[]; lines: string[]; entries: Entry[] }>,
  seen: Set<string>,
) {
  const path = join(root, 'fixtures/ynl-digest.json');
  if (!existsSync(path)) return;
  type Sets = Record<string, { prefix?: string; attrs: Array<[string, number, string]> }>;
  const digest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { sets: Sets }>;
  const entries: Entry[] = [];
  for (const [spec, { sets }] of Object.entries(digest)) {
    for (const set of Object.values(sets)) {
      if (!set.prefix) continue; // subsets: their members are named by the set they subset
      const prefix = set.prefix.toUpperCase().replace(/-/g, '_');
      for (const [attr, value] of set.attrs) {
        const name = `${prefix}${attr.toUpperCase().replace(/-/g, '_')}`;
        const had = known.get(name);
        if (had !== undefined) {
          if (Number(had) !== value) throw new Error(`${spec}: ${name} is ${value} in the spec, ${had} in the headers`);
          continue;
        }
        if (seen.has(name)) continue;
        seen.add(name);
        known.set(name, value);
        entries.push({ name, value });
        raiseMax(`${prefix}MAX`, value, known, files);
      }
    }
  }
  if (entries.length === 0) return;
  files.set('ynl', {
    headers: ['fixtures/ynl-digest.json (the rtnetlink YNL specs)'],
    lines: entries.map((e) => `export const ${e.name} = ${e.value};`),
    entries,
  });
  console.log(`YNL specs: ${entries.length} attribute numbers no header has`);
}

/**
 * A set's `*_MAX` marker as the newest kernel has it: where the specs define attributes past a
 * header's marker (FRA_SPORT_MASK..FRA_DSCP_MASK past fib_rules.h's FRA_MAX = 27, Linux 6.15+),
 * the marker is raised in the header's module to the highest number the specs define.
 */
function raiseMax(
  marker: string,
  value: number,
  known: Map<string, number | bigint>,
  files: Map<string, { headers: string[]; lines: string[]; entries: Entry[] }>,
) {
  const had = known.get(marker);
  if (had === undefined || Number(had) >= value) return;
  known.set(marker, value);
  for (const file of files.values()) {
    const e = file.entries.find((x) => x.name === marker);
    if (!e) continue;
    e.value = value;
    const i = file.lines.indexOf(`export const ${marker} = ${had.toString()};`);
    if (i >= 0) file.lines[i] = `export const ${marker} = ${value};`;
    console.log(`  ${marker} = ${value}: raised from ${had} by the YNL specs`);
  }
}

function main() {
  mkdirSync(outDir, { recursive: true });
  const known = new Map<string, number | bigint>();
  const index: string[] = [];
  const files = new Map<string, { headers: string[]; lines: string[]; entries: Entry[] }>();
  const emitted = new Map<string, Set<string>>();
  for (const [header, mod, prefixes] of HEADERS) {
    const paths = locate(header);
    if (paths.length === 0) {
      console.log(`${header}: not found, skipped`);
      continue;
    }
    // Each layer parsed on its own, then merged, the layer that defines the most names first
    // (newest first among equals): a name any layer has is kept. uapi numbers never change, so
    // layers disagree only on markers that grow (*_MAX, __*_CNT, masks): the larger value wins.
    // (The single pkt_sched.h and pkt_cls.h said to be newer equal 6.1's, older than 6.12's.)
    const layers = paths
      .map((p) => ({ p, entries: parse(readFileSync(p, 'utf8'), new Map(known)) }))
      .sort((x, y) => y.entries.length - x.entries.length);
    const path = layers[0]!.p;
    const older = new Set<string>();
    const taken = new Map<string, Entry>();
    for (const [i, layer] of layers.entries()) {
      for (const e of layer.entries) {
        const had = taken.get(e.name);
        if (!had) {
          taken.set(e.name, { ...e });
          if (i > 0) older.add(e.name);
        } else if (had.value !== e.value) {
          const marker = e.name.startsWith('__') || /_(MAX|CNT|MASK)$/.test(e.name);
          if (!marker) console.warn(`warning: ${e.name} is ${had.value} and ${e.value}: keeping the larger`);
          if (e.value > had.value) had.value = e.value;
        }
      }
    }
    for (const e of taken.values()) if (!known.has(e.name)) known.set(e.name, e.value);
    const all = [...taken.values()].map((e) => ({ name: e.name, value: known.get(e.name)! }));
    const entries = all.filter(
      // Names with two underscores are the header's own markers, unless asked for (__NR_*).
      (e) =>
        (!e.name.startsWith('__') || prefixes.some((p) => p.startsWith('__') && e.name.startsWith(p))) &&
        (prefixes.length === 0 || prefixes.some((p) => e.name.startsWith(p))),
    );
    const file = files.get(mod) ?? { headers: [], lines: [], entries: [] };
    // Each name once per output: the codec modules share one namespace (index.ts re-exports all).
    const scope = mod === 'ffi' || mod === 'errno' ? mod : 'codec';
    const seen = emitted.get(scope) ?? new Set<string>();
    emitted.set(scope, seen);
    const fresh = entries.filter((e) => !seen.has(e.name) && (seen.add(e.name), true));
    entries.length = 0;
    entries.push(...fresh);
    for (const e of entries) if (older.has(e.name)) console.log(`  ${e.name} = ${e.value}: not in the fullest layer`);
    // Which layer each header came from, without this machine's paths.
    const layer = path.startsWith('/usr/include/') ? '' : path.includes('/uapi-6.12/') ? ' 6.12' : ' newer';
    file.headers.push(`${header}${layer}`);
    file.lines.push(...entries.map((e) => `export const ${e.name} = ${e.value.toString()};`));
    file.entries.push(...entries);
    files.set(mod, file);
    console.log(`${header}: ${entries.length} constants (${path})`);
  }
  specOnly(known, files, emitted.get('codec')!);
  for (const [mod, file] of files) {
    const lines = [
      `// Generated by scripts/gen-constants.ts from ${file.headers.map((h) => (h.startsWith('fixtures/') ? h : `<${h}>`)).join(', ')}. Do not edit by hand.`,
      ...file.lines,
    ];
    if (mod === 'errno') {
      const names = new Map<number, string>();
      for (const e of file.entries) if (!names.has(Number(e.value))) names.set(Number(e.value), e.name);
      lines.push('/** errno number -> its first name in the headers. */');
      lines.push('export const ERRNO_NAMES: Readonly<Record<number, string>> = {');
      for (const [n, name] of names) lines.push(`  ${n}: '${name}',`);
      lines.push('};');
    }
    lines.push('');
    // errno is shared by src/ffi and src/ops, so it lives outside the codec.
    if (mod === 'errno') writeFileSync(join(root, 'src/errno.ts'), lines.join('\n'));
    else if (mod === 'ffi') writeFileSync(join(root, 'src/ffi/constants.ts'), lines.join('\n'));
    else {
      const [own, ...rest] = [...splitParts(mod, file.lines, file.entries)];
      for (const [part, partLines] of rest) {
        const head = lines[0]!.replace('. Do not edit', ` (a part of ${mod}.ts). Do not edit`);
        writeFileSync(join(outDir, `${part}.ts`), [head, ...partLines, ''].join('\n'));
      }
      const reexports = rest.map(([part]) => `export * from './${part}.js';`);
      writeFileSync(join(outDir, `${mod}.ts`), [lines[0], ...own![1], ...reexports, ''].join('\n'));
      index.push(`export * from './${mod}.js';`);
    }
  }
  // Each codec module's constants as NAME=value, space-separated and sorted by name, in
  // constants/names/ (not re-exported by index.ts), for the name tables of enums.ts. Reading the
  // namespace's 1,700 entries cost ~8 ms at start-up, an array literal ~1 ms; a string costs next
  // to nothing until it is read.
  const namesDir = join(outDir, 'names');
  mkdirSync(namesDir, { recursive: true });
  const nameModules: string[] = [];
  // Per module, the first words of its names (IFLA of IFLA_IFNAME): enumOf() looks only into the
  // tables that hold its prefix's first word instead of searching every table (src/codec/enums.ts).
  const heads: string[] = [];
  for (const [mod, file] of files) {
    if (mod === 'ffi' || mod === 'errno') continue;
    heads.push(` ${[...new Set(file.entries.map((e) => e.name.split('_')[0]))].sort().join(' ')} `);
    const entries = file.entries
      .map((e) => ({ name: e.name, text: `${e.name}=${Number(e.value)}` }))
      .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      .map((e) => e.text);
    // Lines of at most ~100 characters, each a literal ending in a space but the last.
    const lines: string[] = [];
    let line = '';
    for (const [i, e] of entries.entries()) {
      const piece = i < entries.length - 1 ? `${e} ` : e;
      if (line && line.length + piece.length > 90) {
        lines.push(line);
        line = '';
      }
      line += piece;
    }
    lines.push(line);
    writeFileSync(
      join(namesDir, `${mod}.ts`),
      [
        `// Generated by scripts/gen-constants.ts: ../${mod}.ts as NAME=value, sorted by name.`,
        'export const NAMES =',
        lines.map((l) => `  ${JSON.stringify(l)}`).join(' +\n') + ';',
        '',
      ].join('\n'),
    );
    nameModules.push(mod);
  }
  writeFileSync(
    join(namesDir, 'index.ts'),
    [
      '// Generated by scripts/gen-constants.ts: the NAME=value table of every codec constant module.',
      ...nameModules.map((m) => `import { NAMES as ${m}Names } from './${m}.js';`),
      '',
      'export const NAME_TABLES: readonly string[] = [',
      ...nameModules.map((m) => `  ${m}Names,`),
      '];',
      '',
      '/** For each table of NAME_TABLES, the first words of its names (before the first _), space-separated. */',
      'export const NAME_HEADS: readonly string[] = [',
      ...heads.map((h) => `  ${JSON.stringify(h)},`),
      '];',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(outDir, 'index.ts'),
    ['// Generated by scripts/gen-constants.ts. Kernel constants by their uapi names.', ...index, ''].join('\n'),
  );
}

main();
