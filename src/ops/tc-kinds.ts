/**
 * Traffic-control kinds for the operations: the qdisc kinds are plugins in src/kinds/tc (one
 * file each, re-exported here); htb classes, actions and u32 selectors are built here, the way
 * tc computes them. Pure: the scheduler clock comes in as `Psched`.
 */
import * as C from '../codec/constants/index.js';
import { ValidationError } from '../errors.js';
import { formatHandle, parseClassid, rateOf, sizeOf } from '../codec/tc/parse.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import type { U32Key, U32Sel } from '../codec/tc/cls.js';
import type { TcKindContext } from '../kinds/plugin.js';
import {
  checkKeys,
  intIn,
  need,
  ratespec,
  rateTable,
  U32_MAX,
  xmittime,
  type HtbClassOptions,
  type Num,
  type Psched,
  type QdiscKindOptions,
  type TcKindPlugin,
} from '../kinds/tc/common.js';
import { qdiscKinds } from '../kinds/tc/registry.js';
import { parsePrefix } from './validate.js';

export * from '../kinds/tc/common.js';
export { qdiscKinds };

/** A context for pure uses (tests, the CLI's request builder): the clock given, no link lookups. */
export function tcKindContext(clock: Psched, field: string): TcKindContext {
  return {
    clock,
    field,
    linkIndex: (ref) =>
      typeof ref === 'number' ? Promise.resolve(ref) : Promise.reject(new Error(`no link lookup here: ${ref}`)),
    netnsFd: () => {
      throw new Error('tc kinds take no namespace');
    },
  };
}

/** The TCA_OPTIONS value of a qdisc kind for `options`. */
export function qdiscOptions(kind: keyof QdiscKindOptions, options: unknown, ctx: TcKindContext): unknown {
  return (qdiscKinds[kind] as TcKindPlugin<unknown>).toAttrs(options, ctx);
}

/** htb class options (TCA_OPTIONS of an htb class), with tc's default buffers. */
export function htbClassOptions(o: HtbClassOptions, ps: Psched, f: string): Record<string, unknown> {
  need(o.rate, `${f}.rate`);
  const rate = rateOf(o.rate, `${f}.rate`);
  if (rate === 0n) throw new ValidationError(`${f}.rate`, 'must be above zero', o.rate);
  const ceil = o.ceil === undefined ? rate : rateOf(o.ceil, `${f}.ceil`);
  const mtu = o.mtu === undefined ? 1600 : sizeOf(o.mtu, `${f}.mtu`);
  const mpu = o.mpu === undefined ? 0 : sizeOf(o.mpu, `${f}.mpu`);
  const overhead = o.overhead === undefined ? undefined : intIn(o.overhead, 0, 0xffff, `${f}.overhead`);
  const buffer = o.burst === undefined ? Number(rate) / ps.hz + mtu : sizeOf(o.burst, `${f}.burst`);
  const cbuffer = o.cburst === undefined ? Number(ceil) / ps.hz + mtu : sizeOf(o.cburst, `${f}.cburst`);
  return {
    ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
    ...(ceil > BigInt(U32_MAX) ? { ceil64: ceil } : {}),
    parms: {
      ...ratespec('rate', rate, { mpu, overhead }),
      ...ratespec('ceil', ceil, { mpu, overhead }),
      buffer: xmittime(rate, buffer, ps),
      cbuffer: xmittime(ceil, cbuffer, ps),
      quantum: intIn(o.quantum ?? 0, 0, U32_MAX, `${f}.quantum`),
      level: 0,
      prio: intIn(o.prio ?? 0, 0, 7, `${f}.prio`),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

/** mirred: redirect or mirror to a device. Equivalent to: action mirred (egress|ingress) (redirect|mirror) dev DEV */
export interface MirredAction {
  kind: 'mirred';
  direction?: 'egress' | 'ingress';
  action: 'redirect' | 'mirror';
  /** The target's ifindex (ops resolve names). */
  ifindex: number;
  index?: number;
}
/** gact: a verdict. Equivalent to: action gact (pass|drop|ok|reclassify|pipe|continue|trap) */
export interface GactAction {
  kind: 'gact';
  action: Verdict;
  index?: number;
}
/** police: a token bucket. Equivalent to: action police rate R burst B [mtu M] [conform-exceed (drop|pass|...)] */
export interface PoliceAction {
  kind: 'police';
  rate: number | bigint | string;
  burst: Num;
  mtu?: Num;
  exceed?: Verdict;
  index?: number;
}
export type ActionSpec = MirredAction | GactAction | PoliceAction;
export type Verdict = 'ok' | 'pass' | 'drop' | 'shot' | 'reclassify' | 'pipe' | 'continue' | 'stolen' | 'trap';

/** The keys each action takes (mirred's `dev` is resolved to `ifindex` by the operations). */
const ACTION_KEYS: Record<ActionSpec['kind'], readonly string[]> = {
  mirred: ['kind', 'direction', 'action', 'ifindex', 'dev', 'index'],
  gact: ['kind', 'action', 'index'],
  police: ['kind', 'rate', 'burst', 'mtu', 'exceed', 'index'],
};

const VERDICTS: Record<Verdict, number> = {
  ok: C.TC_ACT_OK,
  pass: C.TC_ACT_OK,
  drop: C.TC_ACT_SHOT,
  shot: C.TC_ACT_SHOT,
  reclassify: C.TC_ACT_RECLASSIFY,
  pipe: C.TC_ACT_PIPE,
  continue: C.TC_ACT_UNSPEC,
  stolen: C.TC_ACT_STOLEN,
  trap: C.TC_ACT_TRAP,
};
/** The names tc prints for TC_ACT_* verdicts. */
export const VERDICT_NAMES: Record<number, string> = {
  [C.TC_ACT_UNSPEC]: 'continue',
  [C.TC_ACT_OK]: 'pass',
  [C.TC_ACT_RECLASSIFY]: 'reclassify',
  [C.TC_ACT_SHOT]: 'drop',
  [C.TC_ACT_PIPE]: 'pipe',
  [C.TC_ACT_STOLEN]: 'stolen',
  [C.TC_ACT_QUEUED]: 'queued',
  [C.TC_ACT_REPEAT]: 'repeat',
  [C.TC_ACT_REDIRECT]: 'redirect',
  [C.TC_ACT_TRAP]: 'trap',
};

const verdict = (v: unknown, field: string): number => {
  const n = typeof v === 'string' && Object.hasOwn(VERDICTS, v) ? VERDICTS[v as Verdict] : undefined;
  if (n === undefined) throw new ValidationError(field, `expected one of ${Object.keys(VERDICTS).join(', ')}`, v);
  return n;
};

/** One action's TCA_ACT_* value, as tc builds it. */
export function actionAttrsOf(a: ActionSpec, ps: Psched, f: string): ActionAttrs {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ValidationError(f, 'expected an action', a);
  const kind = (a as { kind?: unknown }).kind;
  if (typeof kind === 'string' && Object.hasOwn(ACTION_KEYS, kind))
    checkKeys(a, ACTION_KEYS[kind as ActionSpec['kind']], f);
  const index = a.index === undefined ? 0 : intIn(a.index, 0, U32_MAX, `${f}.index`);
  switch (a?.kind) {
    case 'mirred': {
      const dir = a.direction ?? 'egress';
      if (dir !== 'egress' && dir !== 'ingress')
        throw new ValidationError(`${f}.direction`, "expected 'egress' or 'ingress'", dir);
      if (a.action !== 'redirect' && a.action !== 'mirror')
        throw new ValidationError(`${f}.action`, "expected 'redirect' or 'mirror'", a.action);
      const eaction =
        dir === 'egress'
          ? a.action === 'redirect'
            ? C.TCA_EGRESS_REDIR
            : C.TCA_EGRESS_MIRROR
          : a.action === 'redirect'
            ? C.TCA_INGRESS_REDIR
            : C.TCA_INGRESS_MIRROR;
      const action = a.action === 'redirect' ? C.TC_ACT_STOLEN : C.TC_ACT_PIPE;
      return {
        kind: 'mirred',
        options: {
          parms: {
            index,
            capab: 0,
            action,
            refcnt: 0,
            bindcnt: 0,
            eaction,
            ifindex: intIn(a.ifindex, 1, 0x7fffffff, `${f}.dev`),
          },
        },
      } as ActionAttrs;
    }
    case 'gact':
      return {
        kind: 'gact',
        options: { parms: { index, capab: 0, action: verdict(a.action, `${f}.action`), refcnt: 0, bindcnt: 0 } },
      } as ActionAttrs;
    case 'police': {
      need(a.rate, `${f}.rate`);
      need(a.burst, `${f}.burst`);
      const rate = rateOf(a.rate, `${f}.rate`);
      const burst = sizeOf(a.burst, `${f}.burst`);
      const mtu = a.mtu === undefined ? 0 : sizeOf(a.mtu, `${f}.mtu`);
      const { table, cellLog } = rateTable(rate, mtu, 0, ps);
      return {
        kind: 'police',
        options: {
          tbf: {
            index,
            action: verdict(a.exceed ?? 'drop', `${f}.exceed`),
            limit: 0,
            burst: xmittime(rate, burst, ps),
            mtu,
            ...ratespec('rate', rate, { cellLog }),
            ...ratespec('peakrate', 0n, { cellLog: 0 }),
            peakrateLinklayer: 0,
            peakrateCellAlign: 0,
            refcnt: 0,
            bindcnt: 0,
            capab: 0,
          },
          rate: table,
          ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
        },
      } as ActionAttrs;
    }
    default:
      throw new ValidationError(`${f}.kind`, "expected 'mirred', 'gact' or 'police'", (a as { kind?: unknown })?.kind);
  }
}

// ---------------------------------------------------------------------------------------------
// u32

/** One `match` of a u32 filter, as tc's `match ip ...`, `match ip6 ...` and `match u32 ...`. */
export type U32Match =
  | { ip: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number; tos?: number } }
  | { ip6: { src?: string; dst?: string; protocol?: number; sport?: number; dport?: number } }
  | { u32: [value: number, mask: number, at: number] }
  | { u16: [value: number, mask: number, at: number] }
  | { u8: [value: number, mask: number, at: number] };

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
function packPrefix(keys: U32Key[], prefix: string, off: number, family: 4 | 6, field: string): void {
  const p = parsePrefix(prefix);
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

/** A class id given as a number or in tc notation. */
export const classidOf = (v: number | string, field: string): number => {
  if (typeof v === 'number') return intIn(v, 0, U32_MAX, field);
  if (typeof v !== 'string') throw new ValidationError(field, "expected tc notation ('1:10') or a number", v);
  return parseClassid(v, field);
};
export { formatHandle };
