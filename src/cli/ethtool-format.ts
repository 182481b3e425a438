/**
 * Output of `rtnl ethtool`, laid out as ethtool 6.1 prints it, and its JSON (`--json`) in
 * ethtool's layout (iproute2's json_writer: 4-space indents, `[ {` ... `} ]`).
 */
import * as C from '../codec/constants/index.js';
import type { DriverInfo } from '../codec/ethtool/ioctl.js';
import { LEGACY_FEATURES, legacyGroupOf, type Features, type FeaturesSetResult } from '../ops/ethtool/features.js';
import type {
  Channels,
  Coalesce,
  Eee,
  Fec,
  LinkSettings,
  Pause,
  Rings,
  StatsGroup,
  Tsinfo,
} from '../ops/ethtool/settings.js';

/** JSON as ethtool (iproute2's json_writer, pretty) writes it. */
export function jsonw(value: unknown): string {
  let out = '';
  let depth = 0;
  const eol = () => {
    out += `\n${'    '.repeat(depth)}`;
  };
  const str = (s: string) =>
    `"${s.replace(/[\\"\u0000-\u001f]/g, (c) => {
      const map: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
      return map[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    })}"`;
  const write = (v: unknown): void => {
    if (Array.isArray(v)) {
      out += '[';
      depth++;
      out += ' ';
      v.forEach((e, i) => {
        if (i > 0) out += ',';
        write(e);
      });
      if (v.length > 0) out += ' ';
      depth--;
      out += ']';
    } else if (v !== null && typeof v === 'object') {
      out += '{';
      depth++;
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      entries.forEach(([k, x], i) => {
        if (i > 0) out += ',';
        eol();
        out += `${str(k)}: `;
        write(x);
      });
      depth--;
      if (entries.length > 0) eol();
      out += '}';
    } else if (typeof v === 'string') out += str(v);
    else if (typeof v === 'bigint') out += v.toString();
    else out += v === null ? 'null' : String(v);
  };
  write(value);
  return out;
}

/** `ethtool -i`. */
export function formatDriver(d: DriverInfo): string {
  const yn = (n: number) => (n > 0 ? 'yes' : 'no');
  return [
    `driver: ${d.driver}`,
    `version: ${d.version}`,
    `firmware-version: ${d.firmwareVersion}`,
    `expansion-rom-version: ${d.expansionRomVersion}`,
    `bus-info: ${d.busInfo}`,
    `supports-statistics: ${yn(d.nStats)}`,
    `supports-test: ${yn(d.testinfoLen)}`,
    `supports-eeprom-access: ${yn(d.eedumpLen)}`,
    `supports-register-dump: ${yn(d.regdumpLen)}`,
    `supports-priv-flags: ${yn(d.nPrivFlags)}`,
  ].join('\n');
}

/** `ethtool -S`. */
export function formatStats(stats: Record<string, bigint | number>): string {
  return ['NIC statistics:', ...Object.entries(stats).map(([k, v]) => `     ${k}: ${v}`)].join('\n');
}

/**
 * `ethtool -S DEV --all-groups`: "GROUP-COUNTER: value" lines, and RMON histogram buckets as
 * "rmon-rx-etherStatsPktsLOWtoHIGHOctets" (after ethtool 6.1; the test machine has no device
 * with these counters to compare with).
 */
export function formatStatsGroups(dev: string, groups: StatsGroup[]): string {
  const lines = [`Standard stats for ${dev}:`];
  for (const g of groups) {
    for (const [k, v] of Object.entries(g.counters)) lines.push(`${g.group}-${k}: ${v}`);
    for (const [dir, hist] of [
      ['rx', g.histRx],
      ['tx', g.histTx],
    ] as const)
      for (const b of hist ?? [])
        lines.push(`${g.group}-${dir}-etherStatsPkts${b.low}to${b.high || ''}Octets: ${b.value}`);
  }
  return lines.join('\n');
}

/** `ethtool --json -S DEV --all-groups`. */
export function statsGroupsJson(dev: string, groups: StatsGroup[]): unknown {
  const o: Record<string, unknown> = { ifname: dev };
  for (const g of groups) o[g.group] = { ...g.counters };
  return [o];
}

function featureLine(prefix: string, name: string, s: Features[string]): string {
  const suffix = s.fixed
    ? ' [fixed]'
    : s.active !== s.requested
      ? s.requested
        ? ' [requested on]'
        : ' [requested off]'
      : '';
  return `${prefix}${name}: ${s.active ? 'on' : 'off'}${suffix}`;
}

/** The legacy groups' members, and the features in none (ethtool's -k grouping). */
function groupFeatures(f: Features) {
  const groups = LEGACY_FEATURES.map(() => [] as string[]);
  const rest: string[] = [];
  for (const name of Object.keys(f)) {
    const g = legacyGroupOf(name);
    if (g >= 0) groups[g]!.push(name);
    else rest.push(name);
  }
  return { groups, rest };
}

const isUfo = (i: number) => LEGACY_FEATURES[i]!.short === 'ufo'; // no netlink kernel has UFO

/** `ethtool -k`: legacy groups first (with their features indented), then the rest. */
export function formatFeatures(dev: string, f: Features): string {
  const lines = [`Features for ${dev}:`];
  const { groups, rest } = groupFeatures(f);
  groups.forEach((members, i) => {
    if (isUfo(i)) return;
    const long = LEGACY_FEATURES[i]!.long;
    if (members.length === 1) {
      lines.push(featureLine('', long, f[members[0]!]!));
      return;
    }
    lines.push(`${long}: ${members.some((m) => f[m]!.active) ? 'on' : 'off'}`);
    for (const m of members) lines.push(featureLine('\t', m, f[m]!));
  });
  for (const n of rest) lines.push(featureLine('', n, f[n]!));
  return lines.join('\n');
}

/** `ethtool --json -k`. */
export function featuresJson(dev: string, f: Features): unknown {
  const o: Record<string, unknown> = { ifname: dev };
  const { groups, rest } = groupFeatures(f);
  const state = (s: Features[string]) => ({ active: s.active, fixed: s.fixed, requested: s.requested });
  groups.forEach((members, i) => {
    if (isUfo(i)) return;
    const long = LEGACY_FEATURES[i]!.long;
    if (members.length === 1) {
      o[long] = state(f[members[0]!]!);
      return;
    }
    o[long] = { active: members.some((m) => f[m]!.active), fixed: null, requested: null };
    for (const m of members) o[m] = state(f[m]!);
  });
  for (const n of rest) o[n] = state(f[n]!);
  return [o];
}

/**
 * `ethtool -K` output: nothing when the kernel did exactly what was asked; otherwise "Actual
 * changes:" and each difference. `nothingChanged` tells the caller to fail as ethtool does
 * ("Could not change any device features").
 */
export function formatFeaturesSet(r: FeaturesSetResult): { text: string; nothingChanged: boolean } {
  if (r.diff.length === 0) return { text: '', nothingChanged: false };
  const lines = ['Actual changes:'];
  for (const d of r.diff) {
    const note =
      d.requested !== undefined ? ` [requested ${d.requested ? 'on' : 'off'}]` : d.asked ? '' : ' [not requested]';
    lines.push(`${d.name}: ${d.active ? 'on' : 'off'}${note}`);
  }
  return { text: lines.join('\n'), nothingChanged: !r.diff.some((d) => d.changed) };
}

const na = (v: number | undefined) => (v === undefined ? 'n/a' : String(v));
const onOffNa = (v: boolean | undefined) => (v === undefined ? 'n/a' : v ? 'on' : 'off');

/** `ethtool -l`. */
export function formatChannels(dev: string, c: Channels): string {
  return [
    `Channel parameters for ${dev}:`,
    'Pre-set maximums:',
    `RX:\t\t${na(c.rxMax)}`,
    `TX:\t\t${na(c.txMax)}`,
    `Other:\t\t${na(c.otherMax)}`,
    `Combined:\t${na(c.combinedMax)}`,
    'Current hardware settings:',
    `RX:\t\t${na(c.rxCount)}`,
    `TX:\t\t${na(c.txCount)}`,
    `Other:\t\t${na(c.otherCount)}`,
    `Combined:\t${na(c.combinedCount)}`,
  ].join('\n');
}

/** `ethtool -g` (laid out after ethtool 6.1's; no device here has rings to compare with). */
export function formatRings(dev: string, r: Rings): string {
  const split = r.tcpDataSplit === undefined ? 'n/a' : (['unknown', 'off', 'on'][r.tcpDataSplit] ?? 'unknown');
  return [
    `Ring parameters for ${dev}:`,
    'Pre-set maximums:',
    `RX:\t\t${na(r.rxMax)}`,
    `RX Mini:\t${na(r.rxMiniMax)}`,
    `RX Jumbo:\t${na(r.rxJumboMax)}`,
    `TX:\t\t${na(r.txMax)}`,
    'Current hardware settings:',
    `RX:\t\t${na(r.rx)}`,
    `RX Mini:\t${na(r.rxMini)}`,
    `RX Jumbo:\t${na(r.rxJumbo)}`,
    `TX:\t\t${na(r.tx)}`,
    `RX Buf Len:\t\t${na(r.rxBufLen)}`,
    `CQE Size:\t\t${na(r.cqeSize)}`,
    `TX Push:\t${onOffNa(r.txPush)}`,
    `TCP data split:\t${split}`,
  ].join('\n');
}

/** `ethtool -c`. */
export function formatCoalesce(dev: string, c: Coalesce): string {
  return [
    `Coalesce parameters for ${dev}:`,
    `Adaptive RX: ${onOffNa(c.useAdaptiveRx)}  TX: ${onOffNa(c.useAdaptiveTx)}`,
    `stats-block-usecs: ${na(c.statsBlockUsecs)}`,
    `sample-interval: ${na(c.rateSampleInterval)}`,
    `pkt-rate-low: ${na(c.pktRateLow)}`,
    `pkt-rate-high: ${na(c.pktRateHigh)}`,
    '',
    `rx-usecs: ${na(c.rxUsecs)}`,
    `rx-frames: ${na(c.rxMaxFrames)}`,
    `rx-usecs-irq: ${na(c.rxUsecsIrq)}`,
    `rx-frames-irq: ${na(c.rxMaxFramesIrq)}`,
    '',
    `tx-usecs: ${na(c.txUsecs)}`,
    `tx-frames: ${na(c.txMaxFrames)}`,
    `tx-usecs-irq: ${na(c.txUsecsIrq)}`,
    `tx-frames-irq: ${na(c.txMaxFramesIrq)}`,
    '',
    `rx-usecs-low: ${na(c.rxUsecsLow)}`,
    `rx-frame-low: ${na(c.rxMaxFramesLow)}`,
    `tx-usecs-low: ${na(c.txUsecsLow)}`,
    `tx-frame-low: ${na(c.txMaxFramesLow)}`,
    '',
    `rx-usecs-high: ${na(c.rxUsecsHigh)}`,
    `rx-frame-high: ${na(c.rxMaxFramesHigh)}`,
    `tx-usecs-high: ${na(c.txUsecsHigh)}`,
    `tx-frame-high: ${na(c.txMaxFramesHigh)}`,
    '',
    `CQE mode RX: ${onOffNa(c.useCqeModeRx)}  TX: ${onOffNa(c.useCqeModeTx)}`,
    '',
  ].join('\n');
}

/** `ethtool -a`. */
export function formatPause(dev: string, p: Pause): string {
  return [
    `Pause parameters for ${dev}:`,
    `Autonegotiate:\t${onOffNa(p.autoneg)}`,
    `RX:\t\t${onOffNa(p.rx)}`,
    `TX:\t\t${onOffNa(p.tx)}`,
  ].join('\n');
}

/** `ethtool --json -a`. */
export function pauseJson(dev: string, p: Pause): unknown {
  return [{ ifname: dev, autonegotiate: p.autoneg, rx: p.rx, tx: p.tx }];
}

/** `ethtool -T`. */
export function formatTsinfo(dev: string, t: Tsinfo): string {
  const list = (names: string[]) => (names.length === 0 ? [' none'] : names.map((n) => `\n\t${n}`));
  const modes = (title: string, names: string[]) =>
    names.length === 0 ? `${title}: none` : [`${title}:`, ...names.map((n) => `\t${n}`)].join('\n');
  return [
    `Time stamping parameters for ${dev}:`,
    `Capabilities:${list(t.timestamping).join('')}`,
    `PTP Hardware Clock: ${t.phcIndex === undefined ? 'none' : t.phcIndex}`,
    modes('Hardware Transmit Timestamp Modes', t.txTypes),
    modes('Hardware Receive Filter Modes', t.rxFilters),
  ].join('\n');
}

/** `ethtool --show-eee` (after ethtool 6.1's layout; no device here has EEE to compare with). */
export function formatEee(dev: string, e: Eee): string {
  const status =
    e.enabled === undefined
      ? 'not supported'
      : e.enabled
        ? e.active
          ? 'enabled - active'
          : 'enabled - inactive'
        : 'disabled';
  const modes = (m: string[]) => (m.length === 0 ? ' Not reported' : ` ${m.join(' ')}`);
  return [
    `EEE settings for ${dev}:`,
    `\tEEE status: ${status}`,
    `\tTx LPI: ${e.txLpiEnabled ? `${e.txLpiTimer ?? 0} (us)` : 'disabled'}`,
    `\tSupported EEE link modes: ${modes(e.supported)}`,
    `\tAdvertised EEE link modes: ${modes(e.advertised)}`,
    `\tLink partner advertised EEE link modes: ${modes(e.peer)}`,
  ].join('\n');
}

/** `ethtool --show-fec` (after ethtool 6.1's layout; no device here has FEC to compare with). */
export function formatFec(dev: string, f: Fec): string {
  return [
    `FEC parameters for ${dev}:`,
    `Supported/Configured FEC encodings: ${f.configured.length ? f.configured.join(' ') : 'None'}`,
    `Active FEC encoding: ${f.active ?? 'None'}`,
  ].join('\n');
}

/** `ethtool --json --show-fec`. */
export function fecJson(dev: string, f: Fec): unknown {
  return [{ ifname: dev, config: f.configured, active: f.active === undefined ? [] : [f.active] }];
}

const PORT_BITS = ['TP', 'AUI', 'BNC', 'MII', 'FIBRE', 'Backplane'];
const NOT_MODES = new Set([...PORT_BITS, 'Autoneg', 'Pause', 'Asym_Pause']);
const FEC_BITS: Record<string, string> = { FEC_NONE: 'None', FEC_BASER: 'BaseR', FEC_RS: 'RS', FEC_LLRS: 'LLRS' };
const PORTS: Record<number, string> = {
  [C.PORT_TP]: 'Twisted Pair',
  [C.PORT_AUI]: 'AUI',
  [C.PORT_MII]: 'MII',
  [C.PORT_FIBRE]: 'FIBRE',
  [C.PORT_BNC]: 'BNC',
  [C.PORT_DA]: 'Direct Attach Copper',
  [C.PORT_NONE]: 'None',
  [C.PORT_OTHER]: 'Other',
};
const WOL_LETTERS: Record<string, string> = {
  phy: 'p',
  ucast: 'u',
  mcast: 'm',
  bcast: 'b',
  arp: 'a',
  magic: 'g',
  magicsecure: 's',
  filter: 'f',
};

function modeLines(prefix: string, bits: string[]): string[] {
  const modes = bits.filter((b) => !NOT_MODES.has(b) && !(b in FEC_BITS));
  const fec = bits.filter((b) => b in FEC_BITS).map((b) => FEC_BITS[b]!);
  const pause = bits.includes('Pause');
  const asym = bits.includes('Asym_Pause');
  const use = pause ? (asym ? 'Symmetric Receive-only' : 'Symmetric') : asym ? 'Transmit-only' : 'No';
  const head = prefix === 'Supported' ? 'Supports auto-negotiation' : `${prefix} auto-negotiation`;
  return [
    `\t${prefix} link modes:${prefix === 'Supported' ? '   ' : '  '}${modes.length ? modes.join(' ') : 'Not reported'}`,
    `\t${prefix} pause frame use: ${use}`,
    `\t${head}: ${bits.includes('Autoneg') ? 'Yes' : 'No'}`,
    `\t${prefix} FEC modes: ${fec.length ? fec.join(' ') : 'Not reported'}`,
  ];
}

/**
 * Plain `ethtool DEV`. Laid out as ethtool 6.1 prints it for the parts the device reports;
 * compared with ethtool on veth, tun, bridge and lo. A NIC's link mode lists are printed on one
 * line each (ethtool wraps them by speed), and extended link state is not printed.
 */
export function formatLinkSettings(dev: string, s: LinkSettings): string {
  const lines = [`Settings for ${dev}:`];
  if (s.reported.includes('modes')) {
    const ports = s.supported.filter((b) => PORT_BITS.includes(b));
    lines.push(`\tSupported ports: [ ${ports.join(' ')} ]`);
    lines.push(...modeLines('Supported', s.supported), ...modeLines('Advertised', s.advertised));
    if (s.peer.length) lines.push(...modeLines('Link partner advertised', s.peer));
    lines.push(`\tSpeed: ${s.speed === undefined ? 'Unknown!' : `${s.speed}Mb/s`}`);
    lines.push(
      `\tDuplex: ${s.duplex === 'full' ? 'Full' : s.duplex === 'half' ? 'Half' : s.duplex === undefined ? 'Unknown!' : 'Unknown! (255)'}`,
    );
    if (s.lanes !== undefined) lines.push(`\tLanes: ${s.lanes}`);
    lines.push(`\tAuto-negotiation: ${s.autoneg ? 'on' : 'off'}`);
  }
  if (s.reported.includes('info')) {
    if (s.port !== undefined) lines.push(`\tPort: ${PORTS[s.port] ?? `Unknown! (${s.port})`}`);
    if (s.phyaddr !== undefined) lines.push(`\tPHYAD: ${s.phyaddr}`);
    if (s.transceiver !== undefined)
      lines.push(
        `\tTransceiver: ${s.transceiver === C.XCVR_INTERNAL ? 'internal' : s.transceiver === C.XCVR_EXTERNAL ? 'external' : 'Unknown!'}`,
      );
    if (s.port === C.PORT_TP) {
      const mdix = s.tpMdix === C.ETH_TP_MDI ? 'off' : s.tpMdix === C.ETH_TP_MDI_X ? 'on' : 'Unknown';
      lines.push(`\tMDI-X: ${mdix}${s.tpMdixCtrl === C.ETH_TP_MDI_AUTO && mdix !== 'Unknown' ? ' (auto)' : ''}`);
    }
  }
  if (s.wolSupported !== undefined) {
    const letters = (names: string[]) => names.map((n) => WOL_LETTERS[n] ?? '').join('') || 'd';
    lines.push(`\tSupports Wake-on: ${letters(s.wolSupported)}`, `\tWake-on: ${letters(s.wolEnabled ?? [])}`);
  }
  if (s.msglevel !== undefined) {
    lines.push(`        Current message level: 0x${s.msglevel.toString(16).padStart(8, '0')} (${s.msglevel})`);
    lines.push(`${' '.repeat(30)}${(s.msglevelNames ?? []).join(' ')}`);
  }
  if (s.link !== undefined) lines.push(`\tLink detected: ${s.link ? 'yes' : 'no'}`);
  return lines.join('\n');
}
