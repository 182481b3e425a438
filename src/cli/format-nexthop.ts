/** Nexthops and their buckets as `ip -j [-d] nexthop show` and `ip -j nexthop bucket show` print them. */
import type { NexthopBucket, Nexthop } from '../ops/nexthops.js';
import { encapJson, encapText } from './encap.js';
import { ipRouteFlags } from './format-route.js';
import type { Json, Names } from './format-util.js';

export interface NexthopJsonOptions {
  details?: number;
  /** -s: a group's hw_stats and group_stats; -s -s adds packets_hw. */
  stats?: number;
  deleted?: boolean;
}

/**
 * One nexthop, keys in ip's order: id, group, type, resilient_args, gateway, dev, scope,
 * blackhole, protocol, flags, fdb. Weights are the kernel's full 16-bit weights (iproute2 6.1
 * reads only the low byte and prints a weight above 256 wrongly).
 */
export function nexthopJson(n: Nexthop, names: Names, o: NexthopJsonOptions = {}): Json {
  const h = n.header;
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  j.id = n.id;
  if (n.group) {
    j.group = n.group.map((g) => (g.weight === 1 ? { id: g.id } : { id: g.id, weight: g.weight }));
    if (n.groupType !== 'mpath') j.type = typeof n.groupType === 'number' ? `${n.groupType}` : n.groupType;
  }
  if (n.resilient) {
    j.resilient_args = {
      buckets: n.resilient.buckets,
      idle_timer: n.resilient.idleTimer,
      unbalanced_timer: n.resilient.unbalancedTimer,
      unbalanced_time: n.resilient.unbalancedTime,
    };
  }
  if (n.encap) encapJson(j, n.encap, 'nexthop');
  if (n.gateway !== undefined) j.gateway = n.gateway;
  if (n.oif) j.dev = names.ifname(n.oif);
  if ((h.scope ?? 0) !== 0 || o.details) j.scope = n.scope;
  if (n.blackhole) j.blackhole = null;
  if ((h.protocol ?? 0) !== 0 || o.details) j.protocol = n.protocol;
  j.flags = ipRouteFlags(h.flags ?? 0);
  if (n.fdb) j.fdb = null;
  // As upstream iproute2 (6.10+) prints them; iproute2 6.1 has neither.
  if (n.hwStats && (o.details || o.stats)) j.hw_stats = { enabled: n.hwStats.enabled, used: n.hwStats.used ?? false };
  if (n.groupStats && o.stats) {
    j.group_stats = n.groupStats.map((s) => {
      const e: Json = { id: s.id, packets: s.packets };
      if ((o.stats ?? 0) > 1) e.packets_hw = s.packetsHw ?? 0;
      return e;
    });
  }
  return j;
}

/** One bucket: { id, bucket: { index, idle_time, nhid }, flags }. */
export function nexthopBucketJson(b: NexthopBucket, o: { deleted?: boolean } = {}): Json {
  const j: Json = {};
  if (o.deleted) j.deleted = true;
  j.id = b.id;
  j.bucket = { index: b.index, idle_time: b.idleTime, nhid: b.nhId };
  j.flags = ipRouteFlags(b.header.flags ?? 0);
  return j;
}

/** ip's text line for a nexthop, from its JSON (no trailing space). */
export function nexthopText(j: Json): string {
  const w: string[] = [];
  if (j.deleted) w.push('Deleted');
  w.push(`id ${j.id}`);
  if (j.group) {
    const g = (j.group as Array<{ id: number; weight?: number }>)
      .map((m) => (m.weight === undefined ? `${m.id}` : `${m.id},${m.weight}`))
      .join('/');
    w.push(`group ${g}`);
  }
  if (j.type !== undefined) w.push(`type ${j.type}`);
  const r = j.resilient_args as Record<string, number> | undefined;
  if (r) {
    w.push(
      `buckets ${r.buckets} idle_timer ${r.idle_timer} unbalanced_timer ${r.unbalanced_timer} unbalanced_time ${r.unbalanced_time}`,
    );
  }
  if (j.encap !== undefined) w.push(encapText(j, 'nexthop'));
  if (j.gateway !== undefined) w.push(`via ${j.gateway}`);
  if (j.dev !== undefined) w.push(`dev ${j.dev}`);
  if (j.scope !== undefined) w.push(`scope ${j.scope}`);
  if ('blackhole' in j) w.push('blackhole');
  if (j.protocol !== undefined) w.push(`proto ${j.protocol}`);
  for (const f of j.flags as string[]) w.push(f);
  if ('fdb' in j) w.push('fdb');
  const hw = j.hw_stats as { enabled: boolean; used: boolean } | undefined;
  if (hw) w.push(`hw_stats ${hw.enabled ? 'on' : 'off'} used ${hw.used ? 'on' : 'off'}`);
  const stats = j.group_stats as Array<{ id: number; packets: number; packets_hw?: number }> | undefined;
  if (!stats) return w.join(' ');
  // Upstream's layout: the members' counters on lines of their own, under "  stats:".
  const lines = stats.map(
    (s) => `    id ${s.id} packets ${s.packets}${s.packets_hw === undefined ? '' : ` packets_hw ${s.packets_hw}`}`,
  );
  return [w.join(' '), '  stats:', ...lines].join('\n');
}

/** ip's text line for a bucket. */
export function nexthopBucketText(j: Json): string {
  const b = j.bucket as Record<string, number>;
  const w = [`${j.deleted ? 'Deleted ' : ''}id ${j.id} index ${b.index} idle_time ${b.idle_time} nhid ${b.nhid}`];
  for (const f of j.flags as string[]) w.push(f);
  return w.join(' ');
}
