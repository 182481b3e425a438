/**
 * Generates src/codec/constants/*.ts from the uapi headers installed on this machine.
 *
 * Kernel numbers are copied by name, never typed by hand: every `#define NAME <number expr>` and
 * every enumerator of the listed headers becomes `export const NAME = value;`. Macros with
 * arguments, strings and names we cannot resolve are skipped. Run with `npm run gen:constants`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/codec/constants');

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
  ['linux/lwtunnel.h', 'lwtunnel', []],
  ['linux/nexthop.h', 'nexthop', []],
  ['linux/if.h', 'if', ['IFF_', 'IF_OPER_', 'IF_LINK_MODE_', 'IFNAMSIZ', 'IFALIASZ', 'ALTIFNAMSIZ']],
  ['linux/if_arp.h', 'if_arp', ['ARPHRD_']],
  ['linux/if_ether.h', 'if_ether', ['ETH_P_8021Q', 'ETH_P_8021AD', 'ETH_P_IP', 'ETH_P_IPV6', 'ETH_P_ALL', 'ETH_ALEN']],
  ['linux/if_bonding.h', 'if_bonding', ['BOND_MODE_', 'BOND_LINK_', 'BOND_STATE_', 'BOND_XMIT_POLICY_', 'LACP_STATE_']],
  ['linux/icmpv6.h', 'icmpv6', ['ICMPV6_ROUTER_PREF_']],
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
    ],
  ],
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
  ['asm-generic/errno-base.h', 'errno', ['E']],
  ['asm-generic/errno.h', 'errno', ['E']],
];

type Entry = { name: string; value: number | bigint };

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
}

function evaluate(expr: string, known: Map<string, number | bigint>): number | bigint | undefined {
  const e = expr.trim().replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
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

function main() {
  mkdirSync(outDir, { recursive: true });
  const known = new Map<string, number | bigint>();
  const index: string[] = [];
  const files = new Map<string, { headers: string[]; lines: string[]; entries: Entry[] }>();
  const emitted = new Map<string, Set<string>>();
  for (const [header, mod, prefixes] of HEADERS) {
    const src = readFileSync(join('/usr/include', header), 'utf8');
    const entries = parse(src, known).filter(
      (e) => !e.name.startsWith('__') && (prefixes.length === 0 || prefixes.some((p) => e.name.startsWith(p))),
    );
    const file = files.get(mod) ?? { headers: [], lines: [], entries: [] };
    // Each name once per output: the codec modules share one namespace (index.ts re-exports all).
    const scope = mod === 'ffi' || mod === 'errno' ? mod : 'codec';
    const seen = emitted.get(scope) ?? new Set<string>();
    emitted.set(scope, seen);
    const fresh = entries.filter((e) => !seen.has(e.name) && (seen.add(e.name), true));
    entries.length = 0;
    entries.push(...fresh);
    file.headers.push(header);
    file.lines.push(...entries.map((e) => `export const ${e.name} = ${e.value.toString()};`));
    file.entries.push(...entries);
    files.set(mod, file);
    console.log(`${header}: ${entries.length} constants`);
  }
  for (const [mod, file] of files) {
    const lines = [
      `// Generated by scripts/gen-constants.ts from ${file.headers.map((h) => `<${h}>`).join(', ')}. Do not edit by hand.`,
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
      writeFileSync(join(outDir, `${mod}.ts`), lines.join('\n'));
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
  for (const [mod, file] of files) {
    if (mod === 'ffi' || mod === 'errno') continue;
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
    ].join('\n'),
  );
  writeFileSync(
    join(outDir, 'index.ts'),
    ['// Generated by scripts/gen-constants.ts. Kernel constants by their uapi names.', ...index, ''].join('\n'),
  );
}

main();
