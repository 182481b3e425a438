/**
 * Walks rtnl's attribute sets alongside the kernel's YNL specs (fixtures/ynl-digest.json, made by
 * scripts/gen-ynl-digest.ts): each rtnl set is paired with its spec set, starting from the message
 * roots and following nests and sub-messages, and every spec attribute is looked up by number.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttrSetDef, Kind } from '../../src/codec/index.js';
import { FAMILIES } from '../../src/codec/messages.js';
import { addressAttrs } from '../../src/codec/rtnl/address.js';
import { inet6LinkAttrs, linkAttrs } from '../../src/codec/rtnl/link/index.js';
import { neighbourAttrs } from '../../src/codec/rtnl/neighbour.js';
import { neightblAttrs } from '../../src/codec/rtnl/neightbl.js';
import { routeAttrs } from '../../src/codec/rtnl/route.js';
import { ruleAttrs } from '../../src/codec/rtnl/rule.js';
import { statsAttrs } from '../../src/codec/rtnl/stats.js';
import { actionAttrs } from '../../src/codec/tc/act.js';
import { filterAttrs, qdiscAttrs } from '../../src/codec/tc/index.js';

export type Details = {
  nest?: string;
  struct?: string;
  subMessage?: string;
  be?: boolean;
  subType?: string;
  multi?: boolean;
  hint?: string;
};
export type Row = [name: string, num: number, type: string, details?: Details];
export interface Digest {
  [spec: string]: {
    sets: { [set: string]: { prefix?: string; subsetOf?: string; attrs: Row[] } };
    subMessages: { [name: string]: { [format: string]: string | null } };
    /** Formats that are (or start with) a fixed header: format -> the struct's spec name. */
    subMessageHeaders?: { [name: string]: { [format: string]: string } };
  };
}

const ROOT = join(import.meta.dirname, '../..');
export const digest = JSON.parse(readFileSync(join(ROOT, 'fixtures/ynl-digest.json'), 'utf8')) as Digest;

/** The message roots: rtnl's top-level set and the spec set it answers to. */
export const ROOTS: Array<[AttrSetDef, string, string]> = [
  [linkAttrs, 'rt-link', 'link-attrs'],
  // An AF_INET6 link message: the same attributes, IFLA_PROTINFO holding IFLA_INET6_*.
  [inet6LinkAttrs, 'rt-link', 'link-attrs'],
  [statsAttrs, 'rt-link', 'stats-attrs'],
  [addressAttrs, 'rt-addr', 'addr-attrs'],
  [routeAttrs, 'rt-route', 'route-attrs'],
  [neighbourAttrs, 'rt-neigh', 'neighbour-attrs'],
  [neightblAttrs, 'rt-neigh', 'ndt-attrs'],
  [ruleAttrs, 'rt-rule', 'fib-rule-attrs'],
  // tc: qdiscs and classes, filters and chains (the same TCA_* with other kinds' options), and
  // one action (a filter's action list is hand-written, so it is walked from here).
  [qdiscAttrs, 'tc', 'attrs'],
  [filterAttrs, 'tc', 'attrs'],
  [actionAttrs, 'tc', 'act-attrs'],
];

export type FindingKind = 'missing' | 'type' | 'name' | 'kind';
/** Something rtnl and the spec disagree on, by a stable key: `rt-link/link-attrs/wireless`. */
export interface Finding {
  key: string;
  kind: FindingKind;
  detail: string;
}

/** A kind with lazy() resolved. */
function resolved(k: Kind): Exclude<Kind, { tag: 'lazy' }> {
  let out = k;
  while (typeof out === 'object' && out.tag === 'lazy') out = out.get();
  return out as Exclude<Kind, { tag: 'lazy' }>;
}

/** rtnl's kind as a short label: 'u32', 'struct:ifla_cacheinfo', 'nest', 'custom:uint', ... */
export function label(k: Kind): string {
  const r = resolved(k);
  if (typeof r === 'string') return r;
  if (r.tag === 'struct') return `struct:${r.name}`;
  if (r.tag === 'custom') return `custom:${r.name}`;
  if (r.tag === 'multi') return `multi:${label(r.inner)}`;
  if (r.tag === 'indexed') return `indexed:${label(r.inner)}`;
  return r.tag;
}

const INTS = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64']);

/** Whether rtnl's kind can carry what the spec says the attribute carries. */
export function compatible(row: Row, k: Kind): boolean {
  const [, , type, d = {}] = row;
  let l = label(k);
  if (l.startsWith('custom:')) return true; // hand-written for a shape the spec's type cannot say
  if (d.multi && l.startsWith('multi:')) l = l.slice(6);
  if (INTS.has(type)) {
    const want = d.be ? `be${type.slice(1)}` : type;
    return l === want || (type === 'u32' && d.hint === 'ipv4' && l === 'ipv4');
  }
  switch (type) {
    case 'binary':
      return ['binary', 'ip', 'ipv4', 'ipv6', 'mac'].includes(l) || l.startsWith('struct:');
    case 'string':
      return l === 'string';
    case 'flag':
      return l === 'flag';
    case 'nest':
      return l === 'nest' || l === 'binary';
    case 'indexed-array':
      return l === 'nest' || l === 'binary' || l === `indexed:${d.subType ?? 'nest'}`;
    case 'bitfield32':
      return l === 'struct:nla_bitfield32';
    case 'sub-message':
      return l === 'nestBy';
    case 'pad':
    case 'unused':
      return l === 'binary';
    case 'uint':
      return false; // only the custom 'uint' (above) takes 4 or 8 bytes
    default:
      return false;
  }
}

/** kebab-case spec name -> rtnl's camelCase key. */
export const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export interface Walk {
  findings: Finding[];
  /** spec -> set -> attribute numbers rtnl declares there (in any pairing). */
  named: Map<string, Map<string, Set<number>>>;
  /** Pairings walked: `rt-link/linkinfo-bridge-attrs` -> the rtnl sets walked with it. */
  pairs: Map<string, AttrSetDef[]>;
  /** Spec attributes kept as bytes by rtnl although the spec types their inside (nest set names). */
  rawNests: Set<string>;
}

export function walk(): Walk {
  const out: Walk = { findings: [], named: new Map(), pairs: new Map(), rawNests: new Set() };
  // A sub-message format one rtnl set leaves untyped may be typed by another walked with the same
  // spec set (tc's options-msg: qdisc kinds in qdiscAttrs, filter kinds in filterAttrs).
  const typedFormats = new Set<string>();
  const untyped = new Map<string, Finding>();
  const seen = new Map<AttrSetDef, Set<string>>();
  const visit = (set: AttrSetDef, spec: string, setName: string) => {
    const pairKey = `${spec}/${setName}`;
    const done = seen.get(set) ?? new Set<string>();
    if (done.has(pairKey)) return;
    done.add(pairKey);
    seen.set(set, done);
    out.pairs.set(`${spec}/${setName}`, [...(out.pairs.get(`${spec}/${setName}`) ?? []), set]);
    const specSet = digest[spec]!.sets[setName];
    if (!specSet) throw new Error(`${spec}: no set ${setName}`);
    const byNum = new Map<number, [string, Kind]>();
    for (const [key, [num, kind]] of Object.entries(set.spec)) byNum.set(num, [key, kind]);
    const named = out.named.get(spec) ?? new Map<string, Set<number>>();
    out.named.set(spec, named);
    const here = named.get(setName) ?? new Set<number>();
    named.set(setName, here);
    for (const row of specSet.attrs) {
      const [name, num, type, d = {}] = row;
      const key = `${spec}/${setName}/${name}`;
      const got = byNum.get(num);
      if (!got) {
        out.findings.push({
          key,
          kind: 'missing',
          detail: `${name} (${num}, ${type}) is not declared in ${set.prefix}`,
        });
        continue;
      }
      here.add(num);
      const [rkey, kind] = got;
      if (rkey !== camel(name)) out.findings.push({ key, kind: 'name', detail: `${num} is '${rkey}' in rtnl` });
      if (!compatible(row, kind)) {
        const want = `${type}${d.be ? ' big-endian' : ''}${d.multi ? ' multi' : ''}`;
        out.findings.push({ key, kind: 'type', detail: `spec ${want}, rtnl ${label(kind)}` });
      }
      const r = resolved(kind);
      if (d.nest && type === 'indexed-array') {
        // Entries keyed by index (or, in rtnl, by what the index means): each is the spec's nest.
        const entry = typeof r === 'object' && r.tag === 'indexed' ? resolved(r.inner) : undefined;
        if (typeof entry === 'object' && entry.tag === 'nest') visit(entry.set, spec, d.nest);
        else if (typeof r === 'object' && r.tag === 'nest') {
          for (const [, k] of Object.values(r.set.spec)) {
            const e = resolved(k);
            if (typeof e === 'object' && e.tag === 'nest') visit(e.set, spec, d.nest);
          }
        } else out.rawNests.add(`${spec}/${d.nest}`);
      } else if (d.nest) {
        const inner = typeof r === 'object' && r.tag === 'multi' ? resolved(r.inner) : r;
        if (typeof inner === 'object' && inner.tag === 'nest') visit(inner.set, spec, d.nest);
        else out.rawNests.add(`${spec}/${d.nest}`);
      }
      if (d.subMessage && typeof r === 'object' && r.tag === 'nestBy') {
        const headers = digest[spec]!.subMessageHeaders?.[d.subMessage] ?? {};
        for (const [format, target] of Object.entries(digest[spec]!.subMessages[d.subMessage]!)) {
          const c = (r.cases as Record<string, Kind>)[format];
          const rc = c === undefined ? undefined : resolved(c);
          const header = headers[format];
          const fk = `${key}[${format}]`;
          if (!header && !target) {
            // no content (clsact, ingress, mq): nothing to type
          } else if (rc === undefined || typeof rc !== 'object') {
            untyped.set(fk, { key: fk, kind: 'kind', detail: `no typed ${format} data` });
          } else if (header) {
            typedFormats.add(fk);
            // A fixed header (tc_fifo_qopt ...), alone or followed by the format's attributes.
            const struct =
              rc.tag === 'headered' ? rc.header : rc.tag === 'struct' || rc.tag === 'custom' ? rc : undefined;
            const want = header.replace(/-/g, '_');
            if (!struct || (target !== null) !== (rc.tag === 'headered'))
              out.findings.push({
                key: fk,
                kind: 'kind',
                detail: `spec ${header}${target ? ` + ${target}` : ''}, rtnl ${label(rc)}`,
              });
            else if (struct.name !== want)
              out.findings.push({ key: fk, kind: 'name', detail: `spec struct ${want}, rtnl ${struct.name}` });
            if (target && rc.tag === 'headered') visit(rc.set, spec, target);
          } else if (rc.tag !== 'nest') {
            untyped.set(fk, { key: fk, kind: 'kind', detail: `no typed ${format} data` });
          } else {
            typedFormats.add(fk);
            visit(rc.set, spec, target!);
          }
        }
      }
    }
  };
  for (const [set, spec, name] of ROOTS) visit(set, spec, name);
  for (const [k, f] of untyped) if (!typedFormats.has(k)) out.findings.push(f);
  return out;
}

/** Named / total attributes per spec, and in all. */
export function coverage(w: Walk): Array<{ spec: string; sets: number; walked: number; named: number; total: number }> {
  const rows = [];
  for (const [spec, d] of Object.entries(digest)) {
    let named = 0;
    let total = 0;
    let walked = 0;
    for (const [setName, set] of Object.entries(d.sets)) {
      total += set.attrs.length;
      const n = w.named.get(spec)?.get(setName);
      if (n) walked++;
      named += set.attrs.filter(([, num]) => n?.has(num)).length;
    }
    rows.push({ spec, sets: Object.keys(d.sets).length, walked, named, total });
  }
  return rows;
}

/**
 * Every attribute set rtnl declares for NETLINK_ROUTE: each family's sets (and those its header
 * field selects), and everything reachable from them through nests, sub-messages and headers.
 */
export function rtnlSets(): Map<string, AttrSetDef> {
  const out = new Map<string, AttrSetDef>();
  const kind = (k: Kind) => {
    const r = resolved(k);
    if (typeof r !== 'object') return;
    if (r.tag === 'nest' || r.tag === 'headered') set(r.set);
    else if (r.tag === 'multi' || r.tag === 'indexed') kind(r.inner);
    else if (r.tag === 'nestBy') for (const c of Object.values(r.cases as Record<string, Kind>)) kind(c);
  };
  const set = (s: AttrSetDef) => {
    if ([...out.values()].includes(s)) return;
    let name = s.prefix;
    for (let i = 2; out.has(name); i++) name = `${s.prefix}#${i}`;
    out.set(name, s);
    for (const [, k] of Object.values(s.spec)) kind(k);
  };
  for (const [s] of ROOTS) set(s);
  for (const def of FAMILIES) {
    set(def.attrs);
    for (const c of Object.values(def.select?.cases ?? {})) if (c.attrs) set(c.attrs);
  }
  return out;
}

/** The coverage table of docs/CODEC-COVERAGE.md (`npx tsx scripts/ynl-coverage.ts` prints it). */
export function coverageTable(rows: ReturnType<typeof coverage>): string {
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  const lines = ['| spec | attribute sets (walked / in spec) | attributes named / in spec | |', '|---|---|---|---|'];
  let named = 0;
  let total = 0;
  for (const r of rows) {
    lines.push(`| ${r.spec} | ${r.walked} / ${r.sets} | ${r.named} / ${r.total} | ${pct(r.named, r.total)} |`);
    named += r.named;
    total += r.total;
  }
  lines.push(`| **all** | | **${named} / ${total}** | **${pct(named, total)}** |`);
  return lines.join('\n');
}
