/**
 * `rtnl ethtool`: ethtool's commands over nl.ethtool, with ethtool's syntax and output.
 *
 *   rtnl [-n NETNS] [-j] ethtool [--json] OPTION DEV [ARGS...]
 */
import type { Ethtool } from '../ops/ethtool/index.js';
import { Args, onOff, uint, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import {
  featuresJson,
  fecJson,
  formatChannels,
  formatCoalesce,
  formatDriver,
  formatEee,
  formatFeatures,
  formatFeaturesSet,
  formatFec,
  formatLinkSettings,
  formatPause,
  formatRings,
  formatStats,
  formatStatsGroups,
  statsGroupsJson,
  formatTsinfo,
  jsonw,
  pauseJson,
} from './ethtool-format.js';

export const ETHTOOL_USAGE = `Usage: rtnl ethtool DEV                          link settings
       rtnl ethtool [--json] OPTION DEV [ARGS...]
OPTION := { -i | --driver                    driver information
          | -S | --statistics                per-driver counters; DEV --all-groups | --groups G...:
                                             the standard groups (eth-phy, eth-mac, eth-ctrl, rmon)
          | -k | --show-features | --show-offload
          | -K | --features | --offload      DEV FEATURE on|off ...
          | -g | --show-ring   | -G | --set-ring       DEV [rx N] [rx-mini N] [rx-jumbo N] [tx N]
          | -l | --show-channels | -L | --set-channels DEV [rx N] [tx N] [other N] [combined N]
          | -c | --show-coalesce | -C | --coalesce     DEV [adaptive-rx on|off] [rx-usecs N] ...
          | -a | --show-pause  | -A | --pause          DEV [autoneg on|off] [rx on|off] [tx on|off]
          | -s | --change DEV [speed N] [duplex half|full] [autoneg on|off] [lanes N]
          | -T | --show-time-stamping
          | --show-eee | --show-fec | --show-priv-flags }
--json is honoured for -k, -a, --show-fec and -S --all-groups, as by ethtool 6.1.`;

type Mode =
  | 'driver'
  | 'stats'
  | 'features'
  | 'features.set'
  | 'rings'
  | 'rings.set'
  | 'channels'
  | 'channels.set'
  | 'coalesce'
  | 'coalesce.set'
  | 'pause'
  | 'pause.set'
  | 'tsinfo'
  | 'eee'
  | 'fec'
  | 'privflags'
  | 'link.set'
  | 'link';

const OPTIONS: Record<string, Mode> = {
  '-i': 'driver',
  '--driver': 'driver',
  '-S': 'stats',
  '--statistics': 'stats',
  '-k': 'features',
  '--show-features': 'features',
  '--show-offload': 'features',
  '-K': 'features.set',
  '--features': 'features.set',
  '--offload': 'features.set',
  '-g': 'rings',
  '--show-ring': 'rings',
  '-G': 'rings.set',
  '--set-ring': 'rings.set',
  '-l': 'channels',
  '--show-channels': 'channels',
  '-L': 'channels.set',
  '--set-channels': 'channels.set',
  '-c': 'coalesce',
  '--show-coalesce': 'coalesce',
  '-C': 'coalesce.set',
  '--coalesce': 'coalesce.set',
  '-a': 'pause',
  '--show-pause': 'pause',
  '-A': 'pause.set',
  '--pause': 'pause.set',
  '-T': 'tsinfo',
  '--show-time-stamping': 'tsinfo',
  '--show-eee': 'eee',
  '--show-fec': 'fec',
  '--show-priv-flags': 'privflags',
  '-s': 'link.set',
  '--change': 'link.set',
};

/** ethtool's argument names for the set commands: word -> [ops key, kind]. */
const RING_ARGS: Record<string, [string, 'u32' | 'bool']> = {
  rx: ['rx', 'u32'],
  'rx-mini': ['rxMini', 'u32'],
  'rx-jumbo': ['rxJumbo', 'u32'],
  tx: ['tx', 'u32'],
  'rx-buf-len': ['rxBufLen', 'u32'],
  'cqe-size': ['cqeSize', 'u32'],
  'tx-push': ['txPush', 'bool'],
  'rx-push': ['rxPush', 'bool'],
};
const CHANNEL_ARGS: Record<string, [string, 'u32' | 'bool']> = {
  rx: ['rxCount', 'u32'],
  tx: ['txCount', 'u32'],
  other: ['otherCount', 'u32'],
  combined: ['combinedCount', 'u32'],
};
const COALESCE_ARGS: Record<string, [string, 'u32' | 'bool']> = {
  'adaptive-rx': ['useAdaptiveRx', 'bool'],
  'adaptive-tx': ['useAdaptiveTx', 'bool'],
  'sample-interval': ['rateSampleInterval', 'u32'],
  'stats-block-usecs': ['statsBlockUsecs', 'u32'],
  'pkt-rate-low': ['pktRateLow', 'u32'],
  'pkt-rate-high': ['pktRateHigh', 'u32'],
  'rx-usecs': ['rxUsecs', 'u32'],
  'rx-frames': ['rxMaxFrames', 'u32'],
  'rx-usecs-irq': ['rxUsecsIrq', 'u32'],
  'rx-frames-irq': ['rxMaxFramesIrq', 'u32'],
  'tx-usecs': ['txUsecs', 'u32'],
  'tx-frames': ['txMaxFrames', 'u32'],
  'tx-usecs-irq': ['txUsecsIrq', 'u32'],
  'tx-frames-irq': ['txMaxFramesIrq', 'u32'],
  'rx-usecs-low': ['rxUsecsLow', 'u32'],
  'rx-frames-low': ['rxMaxFramesLow', 'u32'],
  'tx-usecs-low': ['txUsecsLow', 'u32'],
  'tx-frames-low': ['txMaxFramesLow', 'u32'],
  'rx-usecs-high': ['rxUsecsHigh', 'u32'],
  'rx-frames-high': ['rxMaxFramesHigh', 'u32'],
  'tx-usecs-high': ['txUsecsHigh', 'u32'],
  'tx-frames-high': ['txMaxFramesHigh', 'u32'],
  'cqe-mode-rx': ['useCqeModeRx', 'bool'],
  'cqe-mode-tx': ['useCqeModeTx', 'bool'],
};
const PAUSE_ARGS: Record<string, [string, 'u32' | 'bool']> = {
  autoneg: ['autoneg', 'bool'],
  rx: ['rx', 'bool'],
  tx: ['tx', 'bool'],
};

function settings(a: Args, table: Record<string, [string, 'u32' | 'bool']>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  while (!a.done) {
    const word = a.shift();
    const spec = table[word];
    if (!spec) throw new UsageError(`unknown parameter "${word}" (known: ${Object.keys(table).join(', ')})`);
    if (spec[0] in out) throw new UsageError(`parameter "${word}" given twice`);
    const v = a.value(word);
    out[spec[0]] = spec[1] === 'bool' ? onOff(word, v) : uint(word, v);
  }
  if (Object.keys(out).length === 0) throw new UsageError('no parameter to change given');
  return out;
}

export function parseEthtool(words: string[], g: Globals): Plan {
  const a = new Args(words, 'ethtool');
  let json = g.json;
  while (a.peek() === '--json' || a.peek() === '-j') {
    a.shift();
    json = true;
  }
  const opt = a.peek();
  if (opt === undefined || opt === 'help' || opt === '-h' || opt === '--help') return help(ETHTOOL_USAGE);
  if (!opt.startsWith('-')) {
    a.shift();
    if (!a.done) throw new UsageError(`unexpected parameter "${a.peek()}"`);
    if (json) throw new UsageError('"--json" is not supported for the link settings (nor by ethtool)');
    return { op: 'ethtool.link', args: [opt, false] };
  }
  const mode = OPTIONS[opt];
  if (!mode) throw new UsageError(`option "${opt}" is unknown or not supported, try "rtnl ethtool help"`);
  a.shift();
  if (a.done) throw new UsageError(`"${opt}" needs a device name`);
  const dev = a.shift();
  let change: Record<string, number | boolean> | undefined;
  switch (mode) {
    case 'features.set': {
      change = {};
      while (!a.done) {
        const name = a.shift();
        change[name] = onOff(name, a.value(name));
      }
      if (Object.keys(change).length === 0) throw new UsageError('no feature to change given');
      break;
    }
    case 'rings.set':
      change = settings(a, RING_ARGS);
      break;
    case 'channels.set':
      change = settings(a, CHANNEL_ARGS);
      break;
    case 'coalesce.set':
      change = settings(a, COALESCE_ARGS);
      break;
    case 'pause.set':
      change = settings(a, PAUSE_ARGS);
      break;
    case 'link.set': {
      const c: Record<string, number | boolean | string> = {};
      while (!a.done) {
        const w = a.shift();
        const v = a.value(w);
        if (w in c) throw new UsageError(`parameter "${w}" given twice`);
        if (w === 'speed') c.speed = uint(w, v);
        else if (w === 'duplex') {
          if (v !== 'half' && v !== 'full') throw new UsageError(`duplex: "${v}" is not half or full`);
          c.duplex = v;
        } else if (w === 'autoneg') c.autoneg = onOff(w, v);
        else if (w === 'lanes') c.lanes = uint(w, v);
        else throw new UsageError(`unknown parameter "${w}" (known: speed, duplex, autoneg, lanes)`);
      }
      if (Object.keys(c).length === 0) throw new UsageError('no parameter to change given');
      change = c as never;
      break;
    }
    case 'stats': {
      if (a.done) break;
      const w = a.shift();
      if (w === '--all-groups') change = { groups: [] as string[] } as never;
      else if (w === '--groups') {
        const groups: string[] = [];
        while (!a.done) groups.push(a.shift());
        if (groups.length === 0)
          throw new UsageError('"--groups" needs group names (eth-phy, eth-mac, eth-ctrl, rmon)');
        change = { groups } as never;
      } else throw new UsageError(`unexpected parameter "${w}"`);
      if (!a.done) throw new UsageError(`unexpected parameter "${a.peek()}"`);
      break;
    }
    default:
      if (!a.done) throw new UsageError(`unexpected parameter "${a.peek()}"`);
  }
  // As ethtool 6.1: JSON only where it has it.
  if (json && !['features', 'pause', 'fec'].includes(mode) && !(mode === 'stats' && change !== undefined))
    throw new UsageError(
      `"--json" is not supported with "${opt}" (ethtool has JSON for -k, -a, --show-fec, -S --all-groups)`,
    );
  return { op: `ethtool.${mode}`, args: change === undefined ? [dev, json] : [dev, json, change] };
}

/** Run a parsed `rtnl ethtool` plan against `e` (nl.ethtool); output through `out`. */
export async function runEthtool(e: Ethtool, plan: Plan, out: (s: string) => void): Promise<void> {
  const [dev, json, change] = plan.args as [string, boolean, Record<string, any> | undefined];
  const emit = (text: string, data: unknown) => out(json && data !== undefined ? jsonw(data) : text);
  switch (plan.op) {
    case 'ethtool.driver':
      return out(formatDriver(await e.driver(dev)));
    case 'ethtool.stats': {
      if (change !== undefined) {
        const want = (change as { groups: string[] }).groups;
        const groups = await e.statsGroups(dev, want.length ? want : undefined);
        return emit(formatStatsGroups(dev, groups), statsGroupsJson(dev, groups));
      }
      const stats = await e.stats(dev).catch((err) => {
        if (err?.code === 'EOPNOTSUPP') throw new UsageError('no stats available');
        throw err;
      });
      return out(formatStats(stats));
    }
    case 'ethtool.features': {
      const f = await e.features(dev);
      return emit(formatFeatures(dev, f), featuresJson(dev, f));
    }
    case 'ethtool.features.set': {
      const r = formatFeaturesSet(await e.features.set(dev, change!));
      if (r.text) out(r.text);
      if (r.nothingChanged) throw new UsageError('Could not change any device features');
      return;
    }
    case 'ethtool.rings':
      return out(formatRings(dev, await e.rings(dev)));
    case 'ethtool.rings.set':
      return e.rings.set(dev, change!);
    case 'ethtool.channels':
      return out(formatChannels(dev, await e.channels(dev)));
    case 'ethtool.channels.set':
      return e.channels.set(dev, change!);
    case 'ethtool.coalesce':
      return out(formatCoalesce(dev, await e.coalesce(dev)));
    case 'ethtool.coalesce.set':
      return e.coalesce.set(dev, change!);
    case 'ethtool.pause': {
      const p = await e.pause(dev);
      return emit(formatPause(dev, p), pauseJson(dev, p));
    }
    case 'ethtool.pause.set':
      return e.pause.set(dev, change!);
    case 'ethtool.link':
      return out(formatLinkSettings(dev, await e.link(dev)));
    case 'ethtool.link.set':
      return e.link.set(dev, change!);
    case 'ethtool.tsinfo':
      return out(formatTsinfo(dev, await e.tsinfo(dev)));
    case 'ethtool.eee':
      return out(formatEee(dev, await e.eee(dev)));
    case 'ethtool.fec': {
      const f = await e.fec(dev);
      return emit(formatFec(dev, f), fecJson(dev, f));
    }
    case 'ethtool.privflags': {
      const flags = await e.privateFlags(dev);
      const w = Math.max(0, ...Object.keys(flags).map((k) => k.length));
      return out(
        [
          `Private flags for ${dev}:`,
          ...Object.entries(flags).map(([k, v]) => `${`${k}:`.padEnd(w + 2)}${v ? 'on' : 'off'}`),
        ].join('\n'),
      );
    }
    default:
      throw new Error(`unexpected plan ${plan.op}`);
  }
}

export const ethtoolCommand: ObjectCommand = {
  name: 'ethtool',
  usage: ETHTOOL_USAGE,
  parse: parseEthtool,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    await runEthtool(nl.ethtool, plan, ctx.out);
  },
};
