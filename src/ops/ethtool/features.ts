/**
 * Netdev features (`ethtool -k` / `-K`): the kernel's four bitsets turned into one state per
 * feature, ethtool's legacy group names (tx-checksumming, scatter-gather, ...), and the request
 * and reply of a change.
 */
import type { FeaturesAttrs } from '../../codec/ethtool/attrs.js';
import { ValidationError } from '../../errors.js';
import { bitsetBits } from './bitset.js';

/** One feature as the kernel reports it. */
export interface FeatureState {
  /** Whether it is on now. */
  active: boolean;
  /** Whether it was asked for (the "wanted" set); differs from active while the kernel cannot do it. */
  requested: boolean;
  /** Whether it cannot be changed (not in the device's hw set, or in its nochange set). */
  fixed: boolean;
}

/** Features by kernel name, in the kernel's bit order (empty names skipped). */
export type Features = Record<string, FeatureState>;

/**
 * The kernel's answer as one state per feature. `names` (ETH_SS_FEATURES) is needed when the
 * bitsets came in compact form; a verbose answer names its bits itself.
 */
export function featureStates(attrs: FeaturesAttrs, names?: readonly string[]): Features {
  const hw = bitsetBits(attrs.hw, names);
  const by = (set: FeaturesAttrs['wanted']) => {
    const on = new Set<number>();
    for (const b of bitsetBits(set, names)) if (b.value) on.add(b.index);
    return on;
  };
  const wanted = by(attrs.wanted);
  const active = by(attrs.active);
  const nochange = by(attrs.nochange);
  const out: Features = {};
  for (const b of hw) {
    if (!b.name) continue;
    out[b.name] = {
      active: active.has(b.index),
      requested: wanted.has(b.index),
      fixed: !b.value || nochange.has(b.index),
    };
  }
  return out;
}

/** ethtool's legacy offload names and the kernel features each stands for ('*': any run of characters). */
export const LEGACY_FEATURES: ReadonlyArray<{ short: string; long: string; pattern: string }> = [
  { short: 'rx', long: 'rx-checksumming', pattern: 'rx-checksum' },
  { short: 'tx', long: 'tx-checksumming', pattern: 'tx-checksum-*' },
  { short: 'sg', long: 'scatter-gather', pattern: 'tx-scatter-gather*' },
  { short: 'tso', long: 'tcp-segmentation-offload', pattern: 'tx-tcp*-segmentation' },
  { short: 'ufo', long: 'udp-fragmentation-offload', pattern: 'tx-udp-fragmentation' },
  { short: 'gso', long: 'generic-segmentation-offload', pattern: 'tx-generic-segmentation' },
  { short: 'gro', long: 'generic-receive-offload', pattern: 'rx-gro' },
  { short: 'lro', long: 'large-receive-offload', pattern: 'rx-lro' },
  { short: 'rxvlan', long: 'rx-vlan-offload', pattern: 'rx-vlan-hw-parse' },
  { short: 'txvlan', long: 'tx-vlan-offload', pattern: 'tx-vlan-hw-insert' },
  { short: 'ntuple', long: 'ntuple-filters', pattern: 'rx-ntuple-filter' },
  { short: 'rxhash', long: 'receive-hashing', pattern: 'rx-hashing' },
];

/** Whether a kernel feature name matches a legacy pattern (at most one '*'). */
export function legacyMatch(name: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return name === pattern;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return name.length >= head.length + tail.length && name.startsWith(head) && name.endsWith(tail);
}

/** The legacy group (index into LEGACY_FEATURES) a feature belongs to, or -1. */
export function legacyGroupOf(name: string): number {
  return LEGACY_FEATURES.findIndex((g) => legacyMatch(name, g.pattern));
}

/**
 * The kernel features a change names, in the order given: a kernel feature name stands for
 * itself; a legacy name (long or short: 'tx-checksumming', 'tx') for every feature of its group,
 * in the kernel's order, as `ethtool -K` sends them (the kernel reports the fixed ones as not
 * applied). An unknown name is a ValidationError.
 */
export function expandFeatureChanges(
  known: readonly string[],
  changes: Record<string, boolean>,
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const names = new Set(known);
  for (const [key, on] of Object.entries(changes)) {
    if (typeof on !== 'boolean') throw new ValidationError(`features.${key}`, 'expected true or false', on);
    if (names.has(key)) {
      out[key] = on;
      continue;
    }
    const g = LEGACY_FEATURES.find((l) => l.long === key || l.short === key);
    const members = g ? known.filter((n) => n && legacyMatch(n, g.pattern)) : [];
    if (members.length === 0) throw new ValidationError(`features.${key}`, 'no such feature on this kernel', key);
    for (const n of members) out[n] ??= on;
  }
  return out;
}

/** What the kernel did with a change (the FEATURES_SET reply). */
export interface FeaturesSetResult {
  /** Features whose active state changed, with their new state (asked for or not). */
  changed: Record<string, boolean>;
  /** Features the kernel did not set as asked, with what was asked (a fixed feature, a dependency). */
  notApplied: Record<string, boolean>;
  /** Every feature named above, in the kernel's order, as `ethtool -K` lists them under "Actual changes". */
  diff: Array<{ name: string; active: boolean; changed: boolean; requested?: boolean; asked: boolean }>;
}

/**
 * Read a FEATURES_SET reply: `wanted` holds the bits the kernel could not set as requested
 * (value: what was asked), `active` the bits whose state changed (value: the new state).
 * `asked` is the change as sent (kernel names).
 */
export function featuresSetResult(
  attrs: FeaturesAttrs,
  names: readonly string[] | undefined,
  asked: Record<string, boolean> = {},
): FeaturesSetResult {
  const changed: Record<string, boolean> = {};
  const notApplied: Record<string, boolean> = {};
  const rows = new Map<number, FeaturesSetResult['diff'][number]>();
  for (const b of bitsetBits(attrs.active, names)) {
    if (!b.name) continue;
    changed[b.name] = b.value;
    rows.set(b.index, { name: b.name, active: b.value, changed: true, asked: b.name in asked });
  }
  for (const b of bitsetBits(attrs.wanted, names)) {
    if (!b.name) continue;
    notApplied[b.name] = b.value;
    const row = rows.get(b.index);
    // Not changed and not as asked: it stayed as it was, the opposite of what was asked.
    if (row) row.requested = b.value;
    else rows.set(b.index, { name: b.name, active: !b.value, changed: false, requested: b.value, asked: true });
  }
  const diff = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return { changed, notApplied, diff };
}
