/**
 * The u32 filter. Equivalent to: tc filter ... u32 [match SELECTOR ...] [classid ID] [divisor N]
 * [ht ID] [link ID] [hashkey mask M at N]
 */
import * as C from '../../../codec/constants/index.js';
import { parseIPv4, parseIPv6 } from '../../../codec/ip.js';
import { filterOptionCases, type U32Key, type U32Pcnt, type U32Sel } from '../../../codec/tc/cls.js';
import { formatHandle } from '../../../codec/tc/parse.js';
import { ValidationError } from '../../../errors.js';
import type { Json } from '../../json.js';
import { checkKeys, classidOf, clsFlagsJson, clsFlagsText, defineFilterKind, hex, intIn, U32_MAX } from '../common.js';

/** One `match` of a u32 filter, as tc's `match ip ...`, `match ip6 ...` and `match u32 ...`. */
export type U32Match =
  | { ip: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number; tos?: number } }
  | { ip6: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number } }
  | { u32: [value: number, mask: number, at: number] }
  | { u16: [value: number, mask: number, at: number] }
  | { u8: [value: number, mask: number, at: number] };

/** u32 options: `match` clauses, hash tables and links. Equivalent to: tc filter ... u32 [match ...] [classid ID] [divisor N] [ht ID] [link ID] [hashkey mask M at N] */
export interface U32FilterOptions {
  match?: U32Match[];
  /** tc's flowid / classid. */
  classid?: string | number;
  divisor?: number;
  /** The hash table (and bucket) to insert into: '800:', '2:7:'. */
  ht?: string;
  /** Link to hash table: '2:'. */
  link?: string;
  hashkey?: { mask: number; at: number };
}

/** pack_key: merge a key into the selector the way tc does (same offset: values OR together). */
function packKey(keys: U32Key[], val: number, mask: number, off: number, field: string): void {
  val = (val & mask) >>> 0;
  for (const k of keys) {
    if (k.off === off && k.offmask === 0) {
      if (((val ^ k.val) & mask & k.mask) >>> 0 !== 0)
        throw new ValidationError(field, 'contradicts an earlier match at the same offset', val);
      k.val = (k.val | val) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return;
    }
  }
  if (keys.length >= 128) throw new ValidationError(field, 'too many keys', keys.length);
  keys.push({ mask: mask >>> 0, val, off, offmask: 0 });
}
function packN(keys: U32Key[], bits: 8 | 16 | 32, val: number, mask: number, off: number, field: string): void {
  const max = bits === 32 ? U32_MAX : (1 << bits) - 1;
  intIn(val, 0, max, field);
  intIn(mask, 0, max, field);
  intIn(off, -0x80000000, 0x7fffffff, field); // the key's offset is a signed 32-bit number
  if (bits !== 32) {
    const shift = bits === 16 ? (off % 4 === 0 ? 16 : 0) : 24 - 8 * (off % 4);
    if (bits === 16 && off % 2 !== 0) throw new ValidationError(field, 'a u16 match needs an even offset', off);
    val = (val << shift) >>> 0;
    mask = (mask << shift) >>> 0;
  } else if (off % 4 !== 0)
    throw new ValidationError(field, 'a u32 match needs an offset that is a multiple of 4', off);
  packKey(keys, val, mask, off - (off % 4), field);
}
/** ADDR[/LEN] with its family, or undefined when it is not one. */
function prefixOf(s: string): { family: 4 | 6; address: string; prefixLen: number } | undefined {
  const slash = s.indexOf('/');
  const address = slash < 0 ? s : s.slice(0, slash);
  const family = address.includes(':') ? 6 : 4;
  if (!(family === 6 ? parseIPv6(address) : parseIPv4(address))) return undefined;
  const max = family === 6 ? 128 : 32;
  let prefixLen = max;
  if (slash >= 0) {
    const len = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(len)) return undefined;
    prefixLen = Number(len);
    if (prefixLen > max) return undefined;
  }
  return { family, address, prefixLen };
}
function packPrefix(keys: U32Key[], prefix: string, off: number, family: 4 | 6, field: string): void {
  const p = prefixOf(prefix);
  if (!p || p.family !== family) throw new ValidationError(field, `expected an IPv${family} prefix`, prefix);
  const bytes = Buffer.from(family === 4 ? p.address.split('.').map(Number) : ipv6Bytes(p.address));
  let left = p.prefixLen;
  for (let i = 0; i < bytes.length / 4 && left > 0; i++) {
    const bits = Math.min(32, left);
    const mask = bits === 32 ? U32_MAX : ((~(U32_MAX >>> bits) >>> 0) as number);
    packKey(keys, bytes.readUInt32BE(i * 4), mask, off + i * 4, field);
    left -= bits;
  }
}
function ipv6Bytes(addr: string): number[] {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The u32 selector for a list of matches, as tc builds it (sorted into keys by offset as given). */
export function u32Selector(matches: U32Match[], terminal: boolean, f: string): U32Sel {
  if (!Array.isArray(matches)) throw new ValidationError(f, 'expected a list of matches', matches);
  const keys: U32Key[] = [];
  matches.forEach((m, i) => {
    const p = `${f}[${i}]`;
    if (m === null || typeof m !== 'object' || Object.keys(m).length !== 1)
      throw new ValidationError(p, "expected one of 'ip', 'ip6', 'u32', 'u16', 'u8'", m);
    for (const k of ['u32', 'u16', 'u8'] as const)
      if (
        k in m &&
        (!Array.isArray((m as Record<string, unknown>)[k]) || (m as Record<string, unknown[]>)[k]!.length !== 3)
      )
        throw new ValidationError(`${p}.${k}`, 'expected [value, mask, at]', (m as Record<string, unknown>)[k]);
    if ('ip' in m) {
      const o = m.ip;
      checkKeys(o ?? null, ['src', 'dst', 'protocol', 'sport', 'dport', 'tos'], `${p}.ip`);
      if (o.src !== undefined) packPrefix(keys, o.src, 12, 4, `${p}.ip.src`);
      if (o.dst !== undefined) packPrefix(keys, o.dst, 16, 4, `${p}.ip.dst`);
      if (o.tos !== undefined) packN(keys, 8, o.tos, 0xff, 1, `${p}.ip.tos`);
      if (o.protocol !== undefined) packN(keys, 8, o.protocol, 0xff, 9, `${p}.ip.protocol`);
      if (o.sport !== undefined) packN(keys, 16, o.sport, 0xffff, 20, `${p}.ip.sport`);
      if (o.dport !== undefined) packN(keys, 16, o.dport, 0xffff, 22, `${p}.ip.dport`);
    } else if ('ip6' in m) {
      const o = m.ip6;
      checkKeys(o ?? null, ['src', 'dst', 'protocol', 'sport', 'dport'], `${p}.ip6`);
      if (o.src !== undefined) packPrefix(keys, o.src, 8, 6, `${p}.ip6.src`);
      if (o.dst !== undefined) packPrefix(keys, o.dst, 24, 6, `${p}.ip6.dst`);
      if (o.protocol !== undefined) packN(keys, 8, o.protocol, 0xff, 6, `${p}.ip6.protocol`);
      if (o.sport !== undefined) packN(keys, 16, o.sport, 0xffff, 40, `${p}.ip6.sport`);
      if (o.dport !== undefined) packN(keys, 16, o.dport, 0xffff, 42, `${p}.ip6.dport`);
    } else if ('u32' in m) packN(keys, 32, m.u32[0], m.u32[1], m.u32[2], `${p}.u32`);
    else if ('u16' in m) packN(keys, 16, m.u16[0], m.u16[1], m.u16[2], `${p}.u16`);
    else if ('u8' in m) packN(keys, 8, m.u8[0], m.u8[1], m.u8[2], `${p}.u8`);
    else throw new ValidationError(p, "expected one of 'ip', 'ip6', 'u32', 'u16', 'u8'", m);
  });
  return {
    flags: terminal ? C.TC_U32_TERMINAL : 0,
    offshift: 0,
    nkeys: keys.length,
    pad: 0,
    offmask: 0,
    off: 0,
    offoff: 0,
    hoff: 0,
    hmask: 0,
    keys,
  };
}

/** A u32 handle 'HTID:HASH:NODE' (hex; parts may be empty), e.g. '800:', '2:7:', '800::800'. */
export function parseU32Handle(text: string | number, field: string): number {
  if (typeof text === 'number') return intIn(text, 0, U32_MAX, field);
  const m = /^([0-9a-f]{0,3})(?::([0-9a-f]{0,2})(?::([0-9a-f]{0,3}))?)?$/i.exec(text);
  if (!m || text === '')
    throw new ValidationError(field, `expected a u32 handle like '800:', '2:7:' or '800::800', got '${text}'`, text);
  const n = (s: string | undefined) => (s ? Number.parseInt(s, 16) : 0);
  return ((n(m[1]) << 20) | (n(m[2]) << 12) | n(m[3])) >>> 0;
}

/** A u32 handle as tc prints it (sprint_u32_handle): '800:', '800::800', '2:7:800', '2:7'. */
export function u32HandleText(h: number): string {
  if (h === 0) return 'none';
  const htid = h >>> 20;
  const hash = (h >>> 12) & 0xff;
  const node = h & 0xfff;
  let s = htid ? `${htid.toString(16)}:` : '';
  if (hash) s += hash.toString(16);
  if (node) s += `:${node.toString(16)}`;
  return s;
}

const intOf = (v: unknown, lo: number, hi: number, field: string): number => intIn(v, lo, hi, field);

export default defineFilterKind<U32FilterOptions>({
  kind: 'u32',
  keys: ['match', 'classid', 'divisor', 'ht', 'link', 'hashkey'],
  data: filterOptionCases.u32,
  parseHandle: parseU32Handle,
  handleText: u32HandleText,
  toAttrs: (u, ctx) => {
    checkKeys(u.hashkey, ['mask', 'at'], `${ctx.field}.hashkey`);
    const handle = ctx.handle === undefined ? 0 : parseU32Handle(ctx.handle, 'filter.handle');
    const classid = u.classid === undefined ? undefined : classidOf(u.classid, 'filter.u32.classid');
    const options: Record<string, unknown> = {};
    if (u.divisor !== undefined) options.divisor = intOf(u.divisor, 1, 256, 'filter.u32.divisor');
    if (u.match !== undefined || u.divisor === undefined) {
      const sel = u32Selector(u.match ?? [], classid !== undefined || ctx.hasActions, 'filter.u32.match');
      if (u.hashkey) {
        sel.hmask = intOf(u.hashkey.mask, 0, 0xffffffff, 'filter.u32.hashkey.mask');
        sel.hoff = intOf(u.hashkey.at, -0x8000, 0x7fff, 'filter.u32.hashkey.at');
      }
      if (u.match === undefined && sel.keys!.length === 0) sel.keys!.push({ mask: 0, val: 0, off: 0, offmask: 0 });
      sel.nkeys = sel.keys!.length;
      options.sel = sel;
    }
    if (u.ht !== undefined) options.hash = parseU32Handle(u.ht, 'filter.u32.ht');
    if (u.link !== undefined) options.link = parseU32Handle(u.link, 'filter.u32.link');
    if (classid !== undefined) options.classid = classid;
    return { options, handle };
  },
  json: (opts, { handle, stats }) => {
    const j: Json = {};
    if (handle) j.fh = u32HandleText(handle);
    if (handle & 0xfff) j.order = handle & 0xfff;
    const sel = opts.sel as U32Sel | undefined;
    if (opts.divisor !== undefined) j.ht_divisor = opts.divisor;
    else if (opts.hash !== undefined) {
      j.key_ht = hex(opts.hash >>> 20);
      j.bkt = hex((opts.hash >>> 12) & 0xff);
    }
    if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
    if (opts.link !== undefined) j.link = u32HandleText(opts.link);
    if (opts.flags !== undefined) clsFlagsJson(opts.flags, j);
    // With CONFIG_CLS_U32_PERF the kernel counts lookups and hits (f_u32.c prints them with -s).
    const pcnt = stats && sel ? (opts.pcnt as U32Pcnt | undefined) : undefined;
    if (pcnt) {
      j.rule_hit = Number(pcnt.rcnt);
      j.success = Number(pcnt.rhit);
    }
    if (sel) {
      // tc prints one "match" object per key into the same JSON object: the last one stands
      // (and with -s, each key's "success" count after it: the last stands too).
      const keys = (sel.keys ?? []).slice(0, sel.nkeys ?? 0);
      const k = keys[keys.length - 1];
      if (k) j.match = { value: hex(k.val), mask: hex(k.mask), offmask: k.offmask ? 'nexthdr+' : '', off: k.off };
      if (k && pcnt) j.success = Number(pcnt.kcnts[keys.length - 1] ?? 0n);
      if (sel.hmask) {
        j.hash_mask = hex(sel.hmask);
        j.hash_off = sel.hoff;
      }
    }
    return j;
  },
  textLines: (op, opts) => {
    let words = '';
    if (op.fh !== undefined) words += `fh ${op.fh} `;
    if (op.order !== undefined) words += `order ${op.order} `;
    if (op.ht_divisor !== undefined) words += `ht divisor ${op.ht_divisor} `;
    if (op.key_ht !== undefined) words += `key ht ${op.key_ht} bkt ${op.bkt} `;
    const sel = opts?.sel as U32Sel | undefined;
    const terminal = sel !== undefined && ((sel.flags ?? 0) & C.TC_U32_TERMINAL) !== 0;
    // tc 6.1 stars a terminal flowid, and names a terminal selector without one.
    if (op.flowid !== undefined) words += `${terminal ? '*' : ''}flowid ${op.flowid} `;
    else if (terminal) words += 'terminal flowid ';
    if (op.link !== undefined) words += `link ${op.link} `;
    words += clsFlagsText(op);
    // The JSON has the counters only with -s (see json above).
    const pcnt = op.rule_hit !== undefined && sel ? (opts?.pcnt as U32Pcnt | undefined) : undefined;
    if (pcnt) words += `(rule hit ${pcnt.rcnt} success ${pcnt.rhit})`;
    const lines: string[] = [];
    for (const [i, k] of (sel?.keys ?? []).slice(0, sel?.nkeys ?? 0).entries())
      lines.push(
        `  match ${hex(k.val).padStart(8, '0')}/${hex(k.mask).padStart(8, '0')} at ${k.offmask ? 'nexthdr+' : ''}${k.off}${pcnt ? ` (success ${pcnt.kcnts[i] ?? 0n} ) ` : ''}`,
      );
    if (sel?.hmask) lines.push(`    hash mask ${hex(sel.hmask).padStart(8, '0')} at ${sel.hoff ?? 0} `);
    return { words, lines };
  },
  parseArgs: (a) => {
    const u: U32FilterOptions = {};
    const match: U32Match[] = [];
    while (!a.done && a.peek() !== 'action') {
      const k = a.shift();
      if (k === 'match') {
        const what = a.shift();
        if (what === 'ip' || what === 'ip6') {
          const field = a.shift();
          const o: Record<string, unknown> = {};
          if (field === 'src' || field === 'dst') o[field] = a.value(field);
          else if (['sport', 'dport', 'protocol', 'tos'].includes(field)) {
            o[field] = a.uint(field, a.value(field));
            if (!a.done && /^0x[0-9a-f]+$/i.test(a.peek()!)) {
              const mask = a.uint(`${field} mask`, a.shift());
              const full = field === 'sport' || field === 'dport' ? 0xffff : 0xff;
              if (mask !== full) throw a.usage(`rtnl supports only a full mask for "match ${what} ${field}"`);
            }
          } else throw a.usage(`"match ${what} ${field}" is not supported by rtnl`);
          match.push((what === 'ip' ? { ip: o } : { ip6: o }) as U32Match);
        } else if (what === 'u32' || what === 'u16' || what === 'u8') {
          const val = a.uint(what, a.value(what));
          const mask = a.uint(`${what} mask`, a.value(what));
          // `at OFFSET` may be left out, as tc allows (offset 0)
          let at = 0;
          if (a.peek() === 'at') {
            a.shift();
            at = a.uint('at', a.value('at'));
          }
          match.push({ [what]: [val, mask, at] } as U32Match);
        } else throw a.usage(`"match ${what}" is not supported by rtnl (ip, ip6, u32, u16, u8 are)`);
      } else if (k === 'classid' || k === 'flowid') u.classid = a.value(k);
      else if (k === 'divisor') u.divisor = a.uint(k, a.value(k), 256);
      else if (k === 'ht') u.ht = a.value(k);
      else if (k === 'link') u.link = a.value(k);
      else if (k === 'hashkey') {
        if (a.shift() !== 'mask') throw a.usage('"hashkey" needs "mask M at N"');
        const mask = a.uint('mask', a.value('mask'));
        if (a.shift() !== 'at') throw a.usage('"hashkey" needs "mask M at N"');
        u.hashkey = { mask, at: a.uint('at', a.value('at')) };
      } else throw a.usage(`what is "${k}"? (a u32 option)`);
    }
    if (match.length) u.match = match;
    return u;
  },
});
