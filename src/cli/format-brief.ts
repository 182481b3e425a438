/**
 * `-s` statistics, `-br` brief and `-o` one-line output, as ip prints them (without ip's
 * trailing spaces).
 */
import type { Link } from '../ops/links.js';
import { num, type Json } from './format-util.js';

/** IFLA_STATS64 as `ip -s -j` prints it under `stats64`. */
export function stats64Json(l: Link): Json | undefined {
  const s = l.attrs.stats64 as Record<string, unknown> | undefined;
  if (!s) return undefined;
  const n = (k: string) => num(s[k]) ?? 0;
  return {
    rx: {
      bytes: n('rxBytes'),
      packets: n('rxPackets'),
      errors: n('rxErrors'),
      dropped: n('rxDropped'),
      over_errors: n('rxOverErrors'),
      multicast: n('multicast'),
    },
    tx: {
      bytes: n('txBytes'),
      packets: n('txPackets'),
      errors: n('txErrors'),
      dropped: n('txDropped'),
      carrier_errors: n('txCarrierErrors'),
      collisions: n('collisions'),
    },
  };
}

/** The RX/TX lines of `ip -s link show` (columns sized to fit, as ip's size_columns). */
export function statsText(l: Link): string[] {
  const s = l.attrs.stats64 as Record<string, unknown> | undefined;
  if (!s) return [];
  const n = (k: string) => String(num(s[k]) ?? 0);
  const rx = ['rxBytes', 'rxPackets', 'rxErrors', 'rxDropped', 'rxMissedErrors', 'multicast'].map(n);
  const tx = ['txBytes', 'txPackets', 'txErrors', 'txDropped', 'txCarrierErrors', 'collisions'].map(n);
  const cols = [10, 7, 6, 7, 7, 7];
  for (const row of [rx, tx]) row.forEach((v, i) => (cols[i] = Math.max(cols[i]!, v.length)));
  const head = (label: string, words: string[]) =>
    `    ${label}: ${words.map((w, i) => w.padStart(i === 0 ? cols[0]! - 4 : cols[i]!)).join(' ')}`;
  const row = (vals: string[]) => `    ${vals.map((v, i) => v.padStart(cols[i]!)).join(' ')}`;
  return [
    head('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast']),
    row(rx),
    head('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns']),
    row(tx),
  ];
}

/** `ifname@link`, as ip's brief and text outputs name a link. */
const briefName = (j: Json): string =>
  `${j.ifname}${'link' in j ? (j.link === null ? '@NONE' : `@${j.link}`) : j.link_index !== undefined ? `@if${j.link_index}` : ''}`;

/** `ip -br link`: name, state, address and flags in columns. */
export function linkBriefText(j: Json): string {
  const parts = [briefName(j).padEnd(16), String(j.operstate ?? 'UNKNOWN').padEnd(14)];
  parts.push(String(j.address ?? '').padEnd(17));
  parts.push(`<${(j.flags as string[]).join(',')}>`);
  return parts.join(' ').trimEnd();
}

/** `ip -br -j link`: the keys brief output keeps. */
export function linkBriefJson(j: Json): Json {
  const o: Json = {};
  if ('link' in j) o.link = j.link;
  o.ifname = j.ifname;
  o.operstate = j.operstate;
  if (j.address !== undefined) o.address = j.address;
  o.flags = j.flags;
  return o;
}

/** `ip -br address`: name, state, then every address/prefix. */
export function addrBriefText(j: Json): string {
  const addrs = ((j.addr_info as Json[]) ?? []).map((a) => `${a.local}/${a.prefixlen}`);
  return [briefName(j).padEnd(16), String(j.operstate ?? 'UNKNOWN').padEnd(14), ...addrs].join(' ').trimEnd();
}

/** `ip -br -j address`. */
export function addrBriefJson(j: Json): Json {
  const o: Json = {};
  if ('link' in j) o.link = j.link;
  o.ifname = j.ifname;
  o.operstate = j.operstate;
  o.addr_info = ((j.addr_info as Json[]) ?? []).map((a) => ({ local: a.local, prefixlen: a.prefixlen }));
  return o;
}

/** ip's -o: a record's lines joined with a backslash, each line's indentation kept. */
export const oneline = (text: string): string => text.split('\n').join('\\');
