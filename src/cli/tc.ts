/** `rtnl tc`: qdisc, class, filter, chain and actions, with tc's syntax and tc's -j output. */
import type { ActionSpecWithDev, ClassSpec, FilterSpec, FilterTarget, QdiscSpec } from '../ops/tc.js';
import type { U32Match, Verdict } from '../ops/tc-kinds.js';
import { parseClassid } from '../codec/tc/parse.js';
import { Args, invalid, pick, uint, UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText } from './format.js';
import {
  actionJson,
  actionOrder,
  actionText,
  classText,
  filterJson,
  filterText,
  qdiscJson,
  qdiscText,
} from './tc-format.js';

export const TC_USAGE = `Usage: rtnl tc [-s] [-j] OBJECT COMMAND ...
       rtnl tc qdisc {add | replace | change | del} dev DEV [root | ingress | clsact | parent ID]
                     [handle ID] [ingress_block N] [egress_block N] KIND [KIND OPTIONS]
       rtnl tc qdisc show [dev DEV]
       rtnl tc class {add | replace | change | del} dev DEV [parent ID] classid ID htb rate RATE
                     [ceil RATE] [burst SIZE] [cburst SIZE] [prio N] [quantum N] [mtu SIZE]
       rtnl tc class show dev DEV [parent ID]
       rtnl tc filter {add | replace | change | del} {dev DEV [root | ingress | egress | parent ID] |
                     block N} [protocol PROTO] [prio N] [handle ID] [chain N] KIND [KIND OPTIONS]
                     [action ACTION ...]
       rtnl tc filter show {dev DEV [ingress | egress | parent ID] | block N} [chain N]
       rtnl tc chain {add | del | show} dev DEV {ingress | egress | parent ID} [chain N]
       rtnl tc actions {add | del | get | list} action KIND ... [index N]
KIND (qdisc) := pfifo [limit N] | bfifo [limit SIZE] | pfifo_fast | prio [bands N] | mq | ingress | clsact
          | tbf rate RATE burst SIZE {latency TIME | limit SIZE} [peakrate RATE mtu SIZE] [mpu SIZE]
          | htb [default ID] [r2q N] [direct_qlen N]
          | netem [limit N] [delay TIME [JITTER]] [loss PERCENT] [duplicate PERCENT] [corrupt PERCENT]
                  [reorder PERCENT] [gap N] [rate RATE]
          | fq_codel [limit N] [flows N] [target TIME] [interval TIME] [quantum N] [ecn | noecn]
          | fq [limit N] [flow_limit N] [quantum SIZE] [maxrate RATE] [buckets N] [pacing | nopacing]
          | sfq [perturb SECS] [quantum N] [limit N] [divisor N] [flows N] [depth N]
          | cake [bandwidth RATE]
          | red limit SIZE min SIZE max SIZE avpkt SIZE [burst N] [bandwidth RATE] [probability P]
                [ecn] [harddrop] [adaptive] [nodrop]
KIND (filter) := u32 [match SELECTOR ...] [classid ID] [divisor N] [ht ID] [link ID] [hashkey mask M at N]
          | bpf {bytecode 'N,C T F K,...' | fd FD [name NAME]} [da] [classid ID]
          | matchall [classid ID] | flower [src_ip PREFIX] [dst_ip PREFIX] [ip_proto tcp|udp|N]
                                           [src_port N] [dst_port N] [classid ID]
SELECTOR := {ip | ip6} {src | dst} PREFIX | {ip | ip6} {sport | dport | protocol | tos} N [MASK]
          | {u32 | u16 | u8} VALUE MASK at OFFSET
ACTION := mirred {egress | ingress} {redirect | mirror} dev DEV [index N]
          | [gact] {pass | drop | ok | reclassify | pipe | continue} [index N]
          | police rate RATE burst SIZE [mtu SIZE] [conform-exceed VERDICT] [index N]
RATE: 100mbit, 1gbit, 10MBps...; SIZE: 1500b, 64kb, 1mb; TIME: 10ms, 1s, 500us`;

type Op = 'add' | 'replace' | 'change' | 'delete';
const MODIFY = ['add', 'replace', 'change', 'delete', 'show', 'list', 'ls', 'help'] as const;

const modifyOp = (w: string): Op | 'show' | 'help' | undefined => {
  if (w === 'del') return 'delete';
  const p = pick(w, MODIFY);
  return p === 'list' || p === 'ls' ? 'show' : p;
};

/** Keyword options of a kind: `key value` pairs, with the value's parser. */
function kindOptions(a: Args, kind: string, known: Record<string, 'num' | 'str' | 'flag'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.peek()!;
    if (k === 'action' || k === 'actions') break;
    const type = known[k];
    if (type === undefined) throw new UsageError(`what is "${k}"? (an option of ${kind}; try "rtnl tc help")`);
    a.shift();
    if (type === 'flag') out[k] = true;
    else {
      const v = a.value(k);
      out[k] = type === 'num' ? uint(k, v) : v;
    }
  }
  return out;
}

const percent = (k: string, v: string): number => {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(v);
  if (!m) throw invalid(k, v, 'expected a percentage');
  return Number(m[1]);
};

function qdiscOptions(kind: string, a: Args): Record<string, unknown> | undefined {
  switch (kind) {
    case 'pfifo':
      return rename(kindOptions(a, kind, { limit: 'num' }));
    case 'bfifo':
      return rename(kindOptions(a, kind, { limit: 'str' }));
    case 'pfifo_fast':
    case 'mq':
    case 'ingress':
    case 'clsact':
    case 'noqueue':
      kindOptions(a, kind, {});
      return {};
    case 'prio': {
      const o: Record<string, unknown> = {};
      while (!a.done) {
        const k = a.shift();
        if (k === 'bands') o.bands = uint(k, a.value(k), 16);
        else if (k === 'priomap') {
          const map: number[] = [];
          while (!a.done && /^\d+$/.test(a.peek()!)) map.push(uint(k, a.shift(), 15));
          o.priomap = map;
        } else throw new UsageError(`what is "${k}"? (an option of prio)`);
      }
      return o;
    }
    case 'tbf': {
      const o = kindOptions(a, kind, {
        rate: 'str',
        burst: 'str',
        buffer: 'str',
        maxburst: 'str',
        latency: 'str',
        limit: 'str',
        peakrate: 'str',
        mtu: 'str',
        minburst: 'str',
        mpu: 'str',
        overhead: 'num',
      });
      for (const alias of ['buffer', 'maxburst']) if (o[alias] !== undefined) o.burst = o[alias];
      if (o.minburst !== undefined) o.mtu = o.minburst;
      delete o.buffer;
      delete o.maxburst;
      delete o.minburst;
      return o;
    }
    case 'htb':
      return rename(kindOptions(a, kind, { default: 'str', r2q: 'num', direct_qlen: 'num' }));
    case 'netem': {
      const o: Record<string, unknown> = {};
      while (!a.done) {
        const k = a.shift();
        if (k === 'limit' || k === 'gap') o[k] = uint(k, a.value(k));
        else if (k === 'delay' || k === 'latency') {
          o.delay = a.value(k);
          if (!a.done && /^\d/.test(a.peek()!)) o.jitter = a.shift();
        } else if (k === 'loss' || k === 'drop') {
          a.accept('random');
          o.loss = percent(k, a.value(k));
        } else if (k === 'duplicate' || k === 'corrupt' || k === 'reorder') o[k] = percent(k, a.value(k));
        else if (k === 'rate') o.rate = a.value(k);
        else throw new UsageError(`what is "${k}"? (an option of netem)`);
      }
      return o;
    }
    case 'fq_codel': {
      const o = kindOptions(a, kind, {
        limit: 'num',
        flows: 'num',
        target: 'str',
        interval: 'str',
        quantum: 'num',
        ce_threshold: 'str',
        memory_limit: 'str',
        ecn: 'flag',
        noecn: 'flag',
      });
      if (o.noecn) o.ecn = false;
      delete o.noecn;
      return rename(o);
    }
    case 'fq': {
      const o = kindOptions(a, kind, {
        limit: 'num',
        flow_limit: 'num',
        quantum: 'str',
        initial_quantum: 'str',
        maxrate: 'str',
        buckets: 'num',
        pacing: 'flag',
        nopacing: 'flag',
      });
      if (o.nopacing) o.pacing = false;
      delete o.nopacing;
      return rename(o);
    }
    case 'sfq':
      return kindOptions(a, kind, {
        perturb: 'num',
        quantum: 'num',
        limit: 'num',
        divisor: 'num',
        flows: 'num',
        depth: 'num',
      });
    case 'cake':
      return kindOptions(a, kind, { bandwidth: 'str' });
    case 'red': {
      const o: Record<string, unknown> = {};
      while (!a.done) {
        const k = a.shift();
        if (['limit', 'min', 'max', 'avpkt', 'bandwidth'].includes(k)) o[k] = a.value(k);
        else if (k === 'burst') o.burst = uint(k, a.value(k));
        else if (k === 'probability') {
          const v = a.value(k);
          if (!/^\d*\.?\d+$/.test(v)) throw invalid(k, v, 'expected a probability such as 0.02');
          o.probability = Number(v);
        } else if (['ecn', 'harddrop', 'adaptive', 'nodrop'].includes(k)) o[k] = true;
        else throw new UsageError(`what is "${k}"? (an option of red)`);
      }
      return o;
    }
    default:
      throw new UsageError(`qdisc kind "${kind}" is not supported by rtnl`);
  }
}

/** snake_case keys to the ops' camelCase. */
function rename(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
}

/** `dev X` / `root` / `ingress` / `clsact` / `parent P` / `handle H` ... of a qdisc or class command. */
function parseQdisc(op: Op, a: Args): Plan {
  const s: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'root') s.parent = 'root';
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'handle') s.handle = a.value(k);
    else if (k === 'ingress_block') s.ingressBlock = uint(k, a.value(k));
    else if (k === 'egress_block') s.egressBlock = uint(k, a.value(k));
    else if (k === 'help') return help(TC_USAGE);
    else if (op === 'delete' && (k === 'ingress' || k === 'clsact') && a.done) s.kind = k;
    else {
      s.kind = k;
      const opts = qdiscOptions(k, a);
      if (opts && Object.keys(opts).length > 0) s.options = opts;
      break;
    }
  }
  if (s.dev === undefined) throw new UsageError('"dev" is required ("qdisc ' + op + ' dev DEV ...")');
  if (op === 'delete') {
    const { options: _o, ...del } = s;
    return { op: 'tc.qdiscs.delete', args: [del] };
  }
  if (s.kind === undefined) throw new UsageError('the qdisc kind is missing');
  return { op: `tc.qdiscs.${op}`, args: [s as QdiscSpec] };
}

function parseClass(op: Op, a: Args): Plan {
  const s: Record<string, unknown> = {};
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'root') s.parent = 'root';
    else if (k === 'classid') s.classid = a.value(k);
    else if (k === 'help') return help(TC_USAGE);
    else if (k === 'htb') {
      s.kind = 'htb';
      const o = kindOptions(a, 'htb class', {
        rate: 'str',
        ceil: 'str',
        burst: 'str',
        buffer: 'str',
        maxburst: 'str',
        cburst: 'str',
        cbuffer: 'str',
        cmaxburst: 'str',
        prio: 'num',
        quantum: 'num',
        mtu: 'str',
        mpu: 'str',
        overhead: 'num',
      });
      for (const [alias, to] of [
        ['buffer', 'burst'],
        ['maxburst', 'burst'],
        ['cbuffer', 'cburst'],
        ['cmaxburst', 'cburst'],
      ] as const) {
        if (o[alias] !== undefined) o[to] = o[alias];
        delete o[alias];
      }
      s.options = o;
    } else throw new UsageError(`class kind or option "${k}" is not supported by rtnl (htb is)`);
  }
  if (s.dev === undefined) throw new UsageError('"dev" is required');
  if (s.classid === undefined) throw new UsageError('"classid" is required');
  if (op === 'delete') return { op: 'tc.classes.delete', args: [{ dev: s.dev, classid: s.classid }] };
  if (s.kind === undefined) throw new UsageError('the class kind is missing (htb)');
  return { op: `tc.classes.${op}`, args: [s as unknown as ClassSpec] };
}

const VERDICTS = ['pass', 'ok', 'drop', 'shot', 'reclassify', 'pipe', 'continue', 'stolen', 'trap'];

/** `action KIND ...` clauses (tc's action syntax) up to the end. */
function parseActions(a: Args): ActionSpecWithDev[] {
  const out: ActionSpecWithDev[] = [];
  while (!a.done) {
    const k = a.shift();
    if (k !== 'action' && k !== 'actions') throw new UsageError(`"${k}" is garbage (expected "action")`);
    let kind = a.shift();
    let spec: Record<string, unknown>;
    if (kind === 'mirred') {
      spec = { kind, direction: 'egress' };
      while (!a.done && a.peek() !== 'action') {
        const w = a.shift();
        if (w === 'egress' || w === 'ingress') spec.direction = w;
        else if (w === 'redirect' || w === 'mirror') spec.action = w;
        else if (w === 'dev') spec.dev = a.value(w);
        else if (w === 'index') spec.index = uint(w, a.value(w));
        else if (VERDICTS.includes(w)) continue;
        else throw new UsageError(`what is "${w}"? (an option of mirred)`);
      }
      if (spec.action === undefined) throw new UsageError('mirred needs "redirect" or "mirror"');
      if (spec.dev === undefined) throw new UsageError('mirred needs "dev DEV"');
    } else if (kind === 'gact' || VERDICTS.includes(kind)) {
      const verdict = kind === 'gact' ? a.shift() : kind;
      if (!VERDICTS.includes(verdict)) throw invalid('gact', verdict, `expected one of ${VERDICTS.join(', ')}`);
      spec = { kind: 'gact', action: verdict as Verdict };
      kind = 'gact';
      while (!a.done && a.peek() !== 'action') {
        const w = a.shift();
        if (w === 'index') spec.index = uint(w, a.value(w));
        else throw new UsageError(`what is "${w}"? (an option of gact)`);
      }
    } else if (kind === 'police') {
      spec = { kind };
      while (!a.done && a.peek() !== 'action') {
        const w = a.shift();
        if (w === 'rate' || w === 'burst' || w === 'mtu') spec[w] = a.value(w);
        else if (w === 'buffer' || w === 'maxburst') spec.burst = a.value(w);
        else if (w === 'index') spec.index = uint(w, a.value(w));
        else if (w === 'conform-exceed') spec.exceed = a.value(w).split('/')[0];
        else if (VERDICTS.includes(w)) spec.exceed = w;
        else throw new UsageError(`what is "${w}"? (an option of police)`);
      }
    } else throw new UsageError(`action "${kind}" is not supported by rtnl (mirred, gact, police are)`);
    out.push(spec as ActionSpecWithDev);
  }
  return out;
}

function parseU32(a: Args, s: FilterSpec): void {
  const u: NonNullable<FilterSpec['u32']> = {};
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
          o[field] = uint(field, a.value(field));
          if (!a.done && /^0x[0-9a-f]+$/i.test(a.peek()!)) {
            const mask = uint(`${field} mask`, a.shift());
            const full = field === 'sport' || field === 'dport' ? 0xffff : 0xff;
            if (mask !== full) throw new UsageError(`rtnl supports only a full mask for "match ${what} ${field}"`);
          }
        } else throw new UsageError(`"match ${what} ${field}" is not supported by rtnl`);
        match.push((what === 'ip' ? { ip: o } : { ip6: o }) as U32Match);
      } else if (what === 'u32' || what === 'u16' || what === 'u8') {
        const val = uint(what, a.value(what));
        const mask = uint(`${what} mask`, a.value(what));
        // `at OFFSET` may be left out, as tc allows (offset 0)
        const at = a.accept('at') ? uint('at', a.value('at')) : 0;
        match.push({ [what]: [val, mask, at] } as U32Match);
      } else throw new UsageError(`"match ${what}" is not supported by rtnl (ip, ip6, u32, u16, u8 are)`);
    } else if (k === 'classid' || k === 'flowid') u.classid = a.value(k);
    else if (k === 'divisor') u.divisor = uint(k, a.value(k), 256);
    else if (k === 'ht') u.ht = a.value(k);
    else if (k === 'link') u.link = a.value(k);
    else if (k === 'hashkey') {
      if (a.shift() !== 'mask') throw new UsageError('"hashkey" needs "mask M at N"');
      const mask = uint('mask', a.value('mask'));
      if (a.shift() !== 'at') throw new UsageError('"hashkey" needs "mask M at N"');
      u.hashkey = { mask, at: uint('at', a.value('at')) };
    } else throw new UsageError(`what is "${k}"? (a u32 option)`);
  }
  if (match.length) u.match = match;
  s.u32 = u;
}

function parseFilterKind(kind: string, a: Args, s: FilterSpec): void {
  switch (kind) {
    case 'u32':
      return parseU32(a, s);
    case 'bpf': {
      const b: NonNullable<FilterSpec['bpf']> = {};
      while (!a.done && a.peek() !== 'action') {
        const k = a.shift();
        if (k === 'bytecode') {
          const parts = a
            .value(k)
            .split(',')
            .filter((x) => x.trim() !== '');
          const n = uint('bytecode', parts.shift() ?? '');
          const insns = parts.map(
            (p) =>
              p
                .trim()
                .split(/\s+/)
                .map((x) => uint('bytecode', x)) as [number, number, number, number],
          );
          if (insns.length !== n || insns.some((i) => i.length !== 4))
            throw invalid(k, String(n), 'count and instructions disagree');
          b.bytecode = insns;
        } else if (k === 'fd') b.fd = uint(k, a.value(k));
        else if (k === 'name' || k === 'section') b.name = a.value(k);
        else if (k === 'da' || k === 'direct-action') b.directAction = true;
        else if (k === 'classid' || k === 'flowid') b.classid = a.value(k);
        else throw new UsageError(`what is "${k}"? (a bpf option; rtnl takes bytecode or fd)`);
      }
      s.bpf = b;
      return;
    }
    case 'matchall': {
      const o = kindOptions(a, kind, { classid: 'str', flowid: 'str' });
      s.matchall = { classid: (o.classid ?? o.flowid) as string | undefined };
      if (s.matchall.classid === undefined) delete s.matchall.classid;
      return;
    }
    case 'flower': {
      const o = kindOptions(a, kind, {
        src_ip: 'str',
        dst_ip: 'str',
        ip_proto: 'str',
        src_port: 'num',
        dst_port: 'num',
        classid: 'str',
        flowid: 'str',
      });
      const fl: Record<string, unknown> = {};
      const ipProto =
        o.ip_proto === 'tcp'
          ? 6
          : o.ip_proto === 'udp'
            ? 17
            : o.ip_proto === undefined
              ? undefined
              : uint('ip_proto', String(o.ip_proto), 255);
      for (const [key, attr] of [
        ['src_ip', 'Src'],
        ['dst_ip', 'Dst'],
      ] as const) {
        const v = o[key] as string | undefined;
        if (v === undefined) continue;
        const [addr, len] = v.split('/');
        const v6 = addr!.includes(':');
        const bits = len === undefined ? (v6 ? 128 : 32) : uint(key, len, v6 ? 128 : 32);
        fl[`keyIpv${v6 ? 6 : 4}${attr}`] = addr;
        fl[`keyIpv${v6 ? 6 : 4}${attr}Mask`] = maskText(bits, v6);
      }
      if (ipProto !== undefined) fl.keyIpProto = ipProto;
      const l4 = ipProto === 17 ? 'Udp' : 'Tcp';
      if (o.src_port !== undefined) fl[`key${l4}Src`] = o.src_port;
      if (o.dst_port !== undefined) fl[`key${l4}Dst`] = o.dst_port;
      if (o.classid ?? o.flowid) fl.classid = parseClassid(String(o.classid ?? o.flowid), 'classid');
      fl.flags = 0;
      s.flower = fl;
      return;
    }
    default:
      throw new UsageError(`filter kind "${kind}" is not supported by rtnl (u32, bpf, matchall, flower are)`);
  }
}

function maskText(bits: number, v6: boolean): string {
  if (!v6)
    return [0, 1, 2, 3]
      .map((i) => Math.max(0, Math.min(8, bits - i * 8)))
      .map((b) => (0xff << (8 - b)) & 0xff)
      .join('.');
  const groups: string[] = [];
  for (let i = 0; i < 8; i++)
    groups.push((((0xffff << (16 - Math.max(0, Math.min(16, bits - i * 16)))) & 0xffff) >>> 0).toString(16));
  return groups.join(':');
}

/** The location words of a filter or chain command; returns the first word it does not know. */
function filterTarget(a: Args, s: FilterTarget & Record<string, unknown>, showOnly = false): string | undefined {
  while (!a.done) {
    const k = a.shift();
    if (k === 'dev') s.dev = a.value(k);
    else if (k === 'block') s.block = uint(k, a.value(k));
    else if (k === 'root') s.parent = 'root';
    else if (k === 'ingress' || k === 'egress') s.parent = k;
    else if (k === 'parent') s.parent = a.value(k);
    else if (k === 'chain') s.chain = uint(k, a.value(k));
    else if (!showOnly && (k === 'protocol' || k === 'proto')) {
      const v = a.value(k);
      s.protocol = /^\d+$/.test(v) ? Number(v) : v;
    } else if (!showOnly && (k === 'prio' || k === 'pref' || k === 'priority' || k === 'preference'))
      s.pref = uint(k, a.value(k), 0xffff);
    else if (!showOnly && k === 'handle') s.handle = a.value(k);
    else return k;
  }
  return undefined;
}

function parseFilter(op: Op, a: Args): Plan {
  const s = {} as FilterSpec & Record<string, unknown>;
  const kind = filterTarget(a, s);
  if (kind === 'help') return help(TC_USAGE);
  if (op === 'delete') {
    if (kind !== undefined) s.kind = kind as FilterSpec['kind'];
    return { op: 'tc.filters.delete', args: [s] };
  }
  if (kind === undefined) throw new UsageError('the filter kind is missing');
  s.kind = kind as FilterSpec['kind'];
  parseFilterKind(kind, a, s);
  if (!a.done) s.actions = parseActions(a);
  return { op: `tc.filters.${op}`, args: [s] };
}

export interface TcShow {
  what: 'qdisc' | 'class' | 'filter' | 'chain' | 'actions';
  filter: Record<string, unknown>;
}

function parseShow(what: TcShow['what'], a: Args): Plan {
  const f: Record<string, unknown> = {};
  if (what === 'qdisc' || what === 'class') {
    while (!a.done) {
      const k = a.shift();
      if (k === 'dev') f.dev = a.value(k);
      else if (k === 'parent' && what === 'class') f.parent = a.value(k);
      else if (k === 'help') return help(TC_USAGE);
      else throw new UsageError(`"${what} show ${k}" is not supported by rtnl`);
    }
    if (what === 'class' && f.dev === undefined) throw new UsageError('"class show" needs "dev DEV"');
  } else {
    const extra = filterTarget(a, f as FilterTarget & Record<string, unknown>, true);
    if (extra === 'help') return help(TC_USAGE);
    if (extra !== undefined) throw new UsageError(`"${what} show ${extra}" is not supported by rtnl`);
    if (f.dev === undefined && f.block === undefined)
      throw new UsageError(`"${what} show" needs "dev DEV" or "block N"`);
  }
  return { op: 'tc.show', args: [{ what, filter: f } satisfies TcShow] };
}

function parseChain(op: Op | 'show', a: Args): Plan {
  if (op === 'show') return parseShow('chain', a);
  const s = {} as FilterTarget & Record<string, unknown>;
  const extra = filterTarget(a, s, true);
  if (extra !== undefined) throw new UsageError(`"chain ${op} ${extra}" is garbage`);
  if (s.chain === undefined) throw new UsageError('"chain" is required');
  if (op !== 'add' && op !== 'delete') throw new UsageError(`"chain ${op}" is not supported (add, del, show are)`);
  return { op: op === 'add' ? 'tc.filters.addChain' : 'tc.filters.deleteChain', args: [s] };
}

function parseActionsCmd(words: string[]): Plan {
  const [cmd, ...rest] = words as [string, ...string[]];
  const a = new Args(rest, 'tc actions');
  const c =
    cmd === 'del'
      ? 'delete'
      : pick(cmd ?? 'list', ['add', 'replace', 'change', 'delete', 'get', 'list', 'ls', 'show', 'help'] as const);
  if (c === 'help') return help(TC_USAGE);
  if (c === 'add' || c === 'replace' || c === 'change') {
    const acts = parseActions(a);
    if (acts.length === 0) throw new UsageError('"actions add" needs "action KIND ..."');
    return { op: 'tc.actions.add', args: [acts] };
  }
  if (a.shift() !== 'action') throw new UsageError('expected "action KIND"');
  const kind = a.shift();
  let index: number | undefined;
  while (!a.done) {
    const k = a.shift();
    if (k === 'index') index = uint(k, a.value(k));
    else throw new UsageError(`"${k}" is garbage`);
  }
  if (c === 'delete' || c === 'get') {
    if (index === undefined) throw new UsageError(`"actions ${c}" needs "index N"`);
    return c === 'delete'
      ? { op: 'tc.actions.delete', args: [kind, index] }
      : { op: 'tc.show', args: [{ what: 'actions', filter: { kind, index } }] };
  }
  return { op: 'tc.show', args: [{ what: 'actions', filter: { kind } } satisfies TcShow] };
}

const OBJECTS = ['qdisc', 'class', 'filter', 'chain', 'actions', 'help'] as const;

export function parseTc(words: string[], g: Globals): Plan {
  // tc's own options may follow the object name, as in `tc -s -j qdisc show`.
  while (words[0]?.startsWith('-')) {
    const o = words[0].replace(/^--?/, '');
    if (o === 's' || o === 'stats' || o === 'statistics') g.stats++;
    else if (o === 'j' || o === 'json') g.json = true;
    else if (o === 'p' || o === 'pretty') g.pretty = true;
    else if (o === 'd' || o === 'details') g.details++;
    else throw new UsageError(`option "${words[0]}" is unknown to "rtnl tc" (-s, -j, -p, -d are known)`);
    words = words.slice(1);
  }
  if (words.length === 0) return help(TC_USAGE);
  const [first, ...rest] = words as [string, ...string[]];
  const obj = first === 'action' ? 'actions' : pick(first, OBJECTS);
  if (obj === 'help' || obj === undefined) {
    if (obj === 'help') return help(TC_USAGE);
    throw new UsageError(`object "${first}" is unknown, try "rtnl tc help"`);
  }
  if (obj === 'actions') return parseActionsCmd(rest.length ? rest : ['list']);
  const [cmd = 'show', ...args] = rest;
  const op = modifyOp(cmd);
  const a = new Args(args, `tc ${obj}`);
  if (op === undefined) throw new UsageError(`command "${cmd}" is unknown, try "rtnl tc help"`);
  if (op === 'help') return help(TC_USAGE);
  if (obj === 'chain') return parseChain(op, a);
  if (op === 'show') return parseShow(obj, a);
  if (obj === 'qdisc') return parseQdisc(op, a);
  if (obj === 'class') return parseClass(op, a);
  return parseFilter(op, a);
}

export const tcCommand: ObjectCommand = {
  name: 'tc',
  usage: TC_USAGE,
  parse: parseTc,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const nl = await ctx.client();
    const { clock } = await import('../ops/tc.js');
    const ps = clock();
    const g = ctx.g;
    if (plan.op !== 'tc.show') {
      const [, obj, method] = plan.op.split('.') as [string, 'qdiscs' | 'classes' | 'filters' | 'actions', string];
      const target = nl.tc[obj] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      await target[method]!.apply(target, plan.args);
      return;
    }
    const { what, filter } = plan.args[0] as TcShow;
    const names = new Map((await nl.links.list()).map((l) => [l.index, l.name]));
    const stats = g.stats > 0;
    const print = (objs: unknown[], text: (o: any) => string) => {
      if (g.json) ctx.out(jsonText(objs, g.pretty));
      else for (const o of objs) ctx.out(text(o));
    };
    if (what === 'qdisc') {
      const list = await nl.tc.qdiscs.list(filter);
      const o = { dev: filter.dev === undefined, stats, ps };
      if (g.json)
        ctx.out(
          jsonText(
            list.map((q) => qdiscJson(q, o)),
            g.pretty,
          ),
        );
      else for (const q of list) ctx.out(qdiscText(q, o));
    } else if (what === 'class') {
      const list = await nl.tc.classes.list(filter as { dev: string });
      const o = { dev: false, stats, ps };
      if (g.json)
        ctx.out(
          jsonText(
            list.map((c) => ({
              class: c.kind,
              handle: c.handle,
              parent: c.parent,
              options: c.options,
              ...(stats ? { stats: c.stats, xstats: c.xstats } : {}),
            })),
            g.pretty,
          ),
        );
      else for (const c of list) ctx.out(classText(c, o));
    } else if (what === 'filter') {
      const list = await nl.tc.filters.list(filter as FilterTarget);
      const o = {
        dev: filter.dev === undefined,
        parent: filter.parent === undefined,
        block: filter.block === undefined,
        stats,
        names,
      };
      const objs = list.map((f) => {
        const j = filterJson(f, o);
        if (filter.chain !== undefined) delete j.chain;
        return j;
      });
      if (g.json) ctx.out(jsonText(objs, g.pretty));
      else for (const f of list) ctx.out(filterText(f, o));
    } else if (what === 'chain') {
      const list = await nl.tc.filters.listChains(filter as FilterTarget);
      print(
        list.map((c) => ({ parent: c.parent, chain: c.chain })),
        (c) => `chain parent ${c.parent} chain ${c.chain}`,
      );
    } else {
      const kind = filter.kind as string;
      const acts =
        filter.index === undefined
          ? await nl.tc.actions.list(kind)
          : [await nl.tc.actions.get(kind, filter.index as number)];
      const objs = acts.map((x, i) =>
        actionJson(x.attrs, filter.index === undefined ? actionOrder(x.attrs, i) : 1, names, stats, true),
      );
      if (g.json)
        ctx.out(
          jsonText([{ 'total acts': filter.index === undefined ? acts.length : 0 }, { actions: objs }], g.pretty),
        );
      else {
        // tc prints TCA_ROOT_COUNT, which the kernel sends with a dump but not with a get.
        const lines = [`total acts ${filter.index === undefined ? acts.length : 0}`];
        for (const j of objs) lines.push('', ...actionText(j, stats).slice(0, -1));
        ctx.out(lines.join('\n'));
      }
    }
  },
};
