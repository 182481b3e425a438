/**
 * Traffic control: qdiscs, classes, filters, chains and actions (`tc`). Options are given per
 * kind in tc's vocabulary (see tc-kinds.ts); what comes back keeps every decoded attribute.
 *
 * The kernel ignores tcm_ifindex on a qdisc dump (even with strict checking), so a per-device
 * qdisc list dumps all and keeps that device's. Class and filter dumps are per device by design.
 */
import { readFileSync } from 'node:fs';
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import type { TcMsg } from '../codec/tc/common.js';
import type { FilterAttrs, QdiscAttrs } from '../codec/tc/index.js';
import { formatHandle, parseClassid, parseFilterParent, parseQdiscHandle } from '../codec/tc/parse.js';
import { ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import { defined, isCode, listOf, req, type ListResult } from './common.js';
import type { OpContext } from './context.js';
import { qdiscOptionKeys } from '../kinds/tc/registry.js';
import {
  actionAttrsOf,
  checkKeys,
  classidOf,
  intIn,
  htbClassOptions,
  parsePsched,
  parseU32Handle,
  qdiscKinds,
  qdiscOptions,
  u32Selector,
  VERDICT_NAMES,
  type ActionSpec,
  type HtbClassOptions,
  type Psched,
  type QdiscKindOptions,
  type U32Match,
  U32_MAX,
} from './tc-kinds.js';
import { assertNoPollution, checkLinkRef } from './validate.js';

let psched: Psched | undefined;
/** The scheduler clock, read once from /proc/net/psched (the same in every namespace). */
export function clock(): Psched {
  return (psched ??= parsePsched(readFileSync('/proc/net/psched', 'utf8')));
}

/**
 * The clock as a Psched whose fields read /proc/net/psched on first use: the builders touch it
 * only after they have validated their input, so bad input never reaches the file system.
 */
const lazyClock: Psched = {
  get tickInUsec() {
    return clock().tickInUsec;
  },
  get hz() {
    return clock().hz;
  },
};

/** Statistics of a qdisc, class, filter action: TCA_STATS2 (basic, queue, rate estimator). */
export interface TcStats {
  bytes: number;
  packets: number;
  drops: number;
  overlimits: number;
  requeues: number;
  backlog: number;
  qlen: number;
  /** From the rate estimator, when one runs. */
  bps?: number;
  pps?: number;
}

/** A qdisc or class as rtnl reports it. */
export interface TcObject {
  ifindex: number;
  /** The device's name, when it could be resolved. */
  dev?: string;
  kind: string;
  /** 'MAJ:' for qdiscs, 'MAJ:MIN' for classes, as tc prints them. */
  handle: string;
  /** 'root', or the parent's handle ('ffff:fff1' for ingress and clsact). */
  parent: string;
  /** The decoded TCA_OPTIONS of the kind (undefined when the kind sends none). */
  options?: unknown;
  stats?: TcStats;
  /** The kind's TCA_XSTATS, decoded when rtnl knows the kind. */
  xstats?: unknown;
  ingressBlock?: number;
  egressBlock?: number;
  header: TcMsg;
  attrs: QdiscAttrs;
}
export type Qdisc = TcObject & { refcnt: number };
export type TcClass = TcObject;

/** A filter as rtnl reports it. */
export interface Filter {
  ifindex: number;
  dev?: string;
  /** The shared block index, for filters listed by block. */
  block?: number;
  kind: string;
  parent: string;
  /** Ethernet protocol name as tc prints it ('ip', 'ipv6', 'all', '802.1Q') or '0xNNNN'. */
  protocol: string;
  /** tc's pref / prio. */
  pref: number;
  /** The filter handle (u32: 'HTID:HASH:NODE'), absent for the per-priority head message. */
  handle?: string;
  chain: number;
  options?: unknown;
  /** The filter's actions, decoded. */
  actions?: ActionAttrs[];
  header: TcMsg;
  attrs: FilterAttrs;
}

/** Where a filter lives: a device and parent, or a shared block. */
export interface FilterTarget {
  dev?: string | number;
  block?: number;
  /** 'ingress' / 'egress' (clsact hooks), 'root', '1:', '1:10', ... */
  parent?: string | number;
  chain?: number;
}

/** A qdisc to add, replace or change. Equivalent to: tc qdisc add dev DEV [parent P | root | ingress | clsact] [handle H] KIND [OPTIONS] */
export type QdiscSpec = {
  [K in keyof QdiscKindOptions]: {
    dev: string | number;
    kind: K;
    /** Default 'root' ('ingress' and 'clsact' go to ffff:fff1 with handle ffff:). */
    parent?: string | number;
    handle?: string | number;
    options?: QdiscKindOptions[K];
    /** A TCA_OPTIONS value for the codec as is, instead of `options`. */
    rawOptions?: unknown;
    ingressBlock?: number;
    egressBlock?: number;
  };
}[keyof QdiscKindOptions];

/** An htb class. Equivalent to: tc class add dev DEV parent P classid C htb rate R [ceil C] ... */
export interface ClassSpec {
  dev: string | number;
  classid: string | number;
  parent?: string | number;
  kind: 'htb';
  options: HtbClassOptions;
}

/** A filter. Equivalent to: tc filter add dev DEV parent P [protocol PROTO] [prio N] [handle H] [chain N] KIND ... [action ...] */
export interface FilterSpec extends FilterTarget {
  kind: 'u32' | 'bpf' | 'flower' | 'matchall';
  /** 'all' (default), 'ip', 'ipv6', '802.1Q', '802.1ad', or an Ethernet protocol number. */
  protocol?: string | number;
  pref?: number;
  handle?: string | number;
  /** u32: `match` clauses, hash tables and links. */
  u32?: {
    match?: U32Match[];
    /** tc's flowid / classid. */
    classid?: string | number;
    divisor?: number;
    /** The hash table (and bucket) to insert into: '800:', '2:7:'. */
    ht?: string;
    /** Link to hash table: '2:'. */
    link?: string;
    hashkey?: { mask: number; at: number };
  };
  /** bpf: an eBPF program fd (direct-action or not), or classic BPF instructions. */
  bpf?: {
    fd?: number;
    name?: string;
    directAction?: boolean;
    /** Classic BPF: [code, jt, jf, k] per instruction. */
    bytecode?: Array<[number, number, number, number]>;
    classid?: string | number;
  };
  matchall?: { classid?: string | number };
  /** flower keys (codec field names: keyIpv4Dst, keyIpProto, keyTcpDst, ...). */
  flower?: Record<string, unknown>;
  actions?: Array<ActionSpecWithDev>;
}

/** An action as given to filters and `actions.add`: mirred takes `dev` (name or index). */
export type ActionSpecWithDev =
  | (Omit<Extract<ActionSpec, { kind: 'mirred' }>, 'ifindex'> & { dev: string | number })
  | Exclude<ActionSpec, { kind: 'mirred' }>;

const PROTOCOLS: Record<string, number> = {
  all: C.ETH_P_ALL,
  ip: C.ETH_P_IP,
  ipv6: C.ETH_P_IPV6,
  '802.1q': C.ETH_P_8021Q,
  '802.1ad': C.ETH_P_8021AD,
};
const PROTOCOL_NAMES: Record<number, string> = {
  [C.ETH_P_ALL]: 'all',
  [C.ETH_P_IP]: 'ip',
  [C.ETH_P_IPV6]: 'ipv6',
  [C.ETH_P_8021Q]: '802.1Q',
  [C.ETH_P_8021AD]: '802.1ad',
};
const htons = (n: number) => ((n & 0xff) << 8) | ((n >> 8) & 0xff);
/** Protocol name of a filter's tcm_info low 16 bits (network order). */
export const protocolName = (info: number): string => {
  const p = htons(info & 0xffff);
  return PROTOCOL_NAMES[p] ?? `0x${p.toString(16).padStart(4, '0')}`;
};

function protocolNumber(p: string | number | undefined): number {
  if (p === undefined) return C.ETH_P_ALL;
  if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 0xffff) return p;
  if (typeof p === 'string') {
    if (Object.hasOwn(PROTOCOLS, p.toLowerCase())) return PROTOCOLS[p.toLowerCase()]!;
    if (/^0x[0-9a-f]{1,4}$/i.test(p)) return Number.parseInt(p, 16);
  }
  throw new ValidationError('filter.protocol', "expected 'all', 'ip', 'ipv6', '802.1Q', '802.1ad' or a number", p);
}

const qdiscParent = (p: string | number | undefined, field: string): number =>
  p === undefined ? C.TC_H_ROOT : handle32(p, field, parseClassid);

/** A handle, class id or parent: an unsigned 32-bit integer, or a string for `parse`. */
function handle32(v: unknown, field: string, parse: (text: string, field: string) => number): number {
  if (typeof v === 'number') return intIn(v, 0, U32_MAX, field);
  if (typeof v !== 'string') throw new ValidationError(field, "expected tc notation ('1:10') or a number", v);
  return parse(v, field);
}

/** The actions one message may carry (TCA_ACT_MAX_PRIO). */
const MAX_ACTIONS = C.TCA_ACT_MAX_PRIO;
/** How many 8-byte entries (bpf instructions, nexthop group members) one attribute holds. */
const ATTR_ENTRIES_8 = Math.floor((0xffff - 4) / 8);
/** A qdisc, filter or action kind as tc names it (for deletes and lookups: any kind the kernel may have). */
const checkKindName = (kind: unknown, field: string): string => {
  if (typeof kind !== 'string' || !/^[a-z_0-9]{1,15}$/.test(kind))
    throw new ValidationError(field, 'expected an action kind', kind);
  return kind;
};
/** The options of a delete: only ifExists. */
function deleteOptions(opts: unknown): { ifExists?: boolean } {
  checkKeys(opts, ['ifExists'], 'options');
  const o = (opts ?? {}) as { ifExists?: unknown };
  if (o.ifExists !== undefined && typeof o.ifExists !== 'boolean')
    throw new ValidationError('options.ifExists', 'expected true or false', o.ifExists);
  return o as { ifExists?: boolean };
}

function statsOf(a: QdiscAttrs | ActionAttrs['stats'] | undefined, stats2?: QdiscAttrs['stats2']): TcStats | undefined {
  const s2 = stats2 ?? (a as ActionAttrs['stats']);
  if (!s2 || (s2.basic === undefined && s2.queue === undefined)) return undefined;
  const out: TcStats = {
    bytes: Number(s2.basic?.bytes ?? 0n),
    packets: s2.basic?.packets ?? 0,
    drops: s2.queue?.drops ?? 0,
    overlimits: s2.queue?.overlimits ?? 0,
    requeues: s2.queue?.requeues ?? 0,
    backlog: s2.queue?.backlog ?? 0,
    qlen: s2.queue?.qlen ?? 0,
  };
  const r = s2.rateEst64 ?? s2.rateEst;
  if (r) {
    out.bps = Number(r.bps ?? 0);
    out.pps = Number(r.pps ?? 0);
  }
  return out;
}

/** A qdisc or class message as rtnl reports it. */
export function toTcObject(m: NetlinkMessage, names?: Map<number, string>): TcObject {
  const h = m.body as TcMsg;
  const a = m.attrs as QdiscAttrs;
  const o: TcObject = {
    ifindex: h.ifindex ?? 0,
    kind: a.kind ?? '',
    handle: formatHandle(h.handle ?? 0),
    parent: formatHandle(h.parent ?? 0),
    header: h,
    attrs: a,
  };
  const dev = names?.get(o.ifindex);
  if (dev !== undefined) o.dev = dev;
  if (a.options !== undefined) o.options = a.options;
  const st = statsOf(undefined, a.stats2);
  if (st) o.stats = st;
  if (a.xstats !== undefined) o.xstats = a.xstats;
  if (a.ingressBlock !== undefined) o.ingressBlock = a.ingressBlock;
  if (a.egressBlock !== undefined) o.egressBlock = a.egressBlock;
  return o;
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

/** A filter message as rtnl reports it. */
export function toFilter(m: NetlinkMessage, names?: Map<number, string>): Filter {
  const h = m.body as TcMsg;
  const a = m.attrs as FilterAttrs;
  const info = h.info ?? 0;
  const f: Filter = {
    ifindex: h.ifindex ?? 0,
    kind: a.kind ?? '',
    parent: formatHandle(h.parent ?? 0),
    protocol: protocolName(info),
    pref: info >>> 16,
    chain: a.chain ?? 0,
    header: h,
    attrs: a,
  };
  if (h.ifindex === -1 || (h.ifindex ?? 0) >>> 0 === C.TCM_IFINDEX_MAGIC_BLOCK) {
    f.block = h.parent ?? 0;
  } else {
    const dev = names?.get(f.ifindex);
    if (dev !== undefined) f.dev = dev;
  }
  if (h.handle) f.handle = a.kind === 'u32' ? u32HandleText(h.handle) : `0x${h.handle.toString(16)}`;
  if (a.options !== undefined) {
    f.options = a.options;
    const act = (a.options as { act?: ActionAttrs[] }).act;
    if (act) f.actions = act;
  }
  return f;
}

/** Operations shared by the tc sections. */
class TcBase {
  constructor(protected readonly nl: OpContext) {}

  protected async index(dev: string | number, field: string): Promise<number> {
    const ref = checkLinkRef(dev, field);
    return typeof ref === 'number' ? ref : this.nl.linkIndex(ref);
  }

  /** Every link's name by ifindex (one RTM_GETLINK dump), to print `dev` as tc does. */
  protected async names(): Promise<Map<number, string>> {
    const msgs = await this.nl.engine.dump(req('RTM_GETLINK', { family: C.AF_UNSPEC }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const names = new Map<number, string>();
    for (const m of msgs)
      if (m.type === 'RTM_NEWLINK') names.set(m.body.index as number, (m.attrs.ifname as string | undefined) ?? '');
    return names;
  }

  protected async actionAttrs(list: ActionSpecWithDev[], field: string): Promise<ActionAttrs[]> {
    checkActions(list, field);
    const out: ActionAttrs[] = [];
    for (const [i, a] of list.entries()) {
      const spec =
        a?.kind === 'mirred'
          ? ({
              ...a,
              ifindex: await this.index((a as { dev: string | number }).dev, `${field}[${i}].dev`),
            } as ActionSpec)
          : (a as ActionSpec);
      out.push(actionAttrsOf(spec, lazyClock, `${field}[${i}]`));
    }
    return out;
  }
}

/**
 * Validate a list of actions whole, devices included, before any is resolved: resolving a mirred
 * device is a request, and bad input must not cost one.
 */
function checkActions(list: unknown, field: string): void {
  if (!Array.isArray(list)) throw new ValidationError(field, 'expected an array of actions', list);
  if (list.length > MAX_ACTIONS)
    throw new ValidationError(field, `at most ${MAX_ACTIONS} actions (TCA_ACT_MAX_PRIO)`, list.length);
  for (const [i, a] of list.entries()) {
    const f = `${field}[${i}]`;
    if (a?.kind === 'mirred') {
      const dev = checkLinkRef((a as { dev?: unknown }).dev, `${f}.dev`);
      actionAttrsOf({ ...a, ifindex: typeof dev === 'number' ? dev : 1 } as ActionSpec, lazyClock, f);
    } else actionAttrsOf(a as ActionSpec, lazyClock, f);
  }
}

const CREATE = C.NLM_F_CREATE | C.NLM_F_EXCL;
const QDISC_KEYS = ['dev', 'kind', 'parent', 'handle', 'options', 'rawOptions', 'ingressBlock', 'egressBlock'];
const HTB_CLASS_KEYS = ['rate', 'ceil', 'burst', 'cburst', 'prio', 'quantum', 'mtu', 'mpu', 'overhead'];
const FILTER_KINDS = ['u32', 'bpf', 'flower', 'matchall'] as const;
const FILTER_KEYS = [
  'dev',
  'block',
  'parent',
  'chain',
  'kind',
  'protocol',
  'pref',
  'handle',
  'actions',
  ...FILTER_KINDS,
];
const REPLACE = C.NLM_F_CREATE | C.NLM_F_REPLACE;

export class Qdiscs extends TcBase {
  /**
   * List qdiscs: all, or one device's. Statistics (TCA_STATS2) always come with them.
   *
   * Equivalent to: tc [-s] qdisc show [dev DEV]
   */
  async list(filter: { dev?: string | number } = {}): Promise<ListResult<Qdisc>> {
    assertNoPollution(filter, 'filter');
    const ifindex = filter.dev === undefined ? 0 : await this.index(filter.dev, 'filter.dev');
    const msgs = await this.nl.engine.dump(req('RTM_GETQDISC', { family: C.AF_UNSPEC, ifindex }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const names = await this.names();
    // The kernel answers a qdisc dump with every device's qdiscs, whatever tcm_ifindex says.
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWQDISC' && (ifindex === 0 || m.body.ifindex === ifindex),
      (m) =>
        Object.assign(toTcObject(m, names), {
          // A qdisc's handle is its major number; tc prints even 0 as '0:'.
          handle: `${(((m.body as TcMsg).handle ?? 0) >>> 16).toString(16)}:`,
          refcnt: (m.body as TcMsg).info ?? 0,
        }),
    );
  }

  /** Add a qdisc; one already there raises NetlinkError 'EEXIST'. Equivalent to: tc qdisc add dev DEV ... KIND [OPTIONS] */
  async add(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), CREATE);
  }

  /** Add or replace. Equivalent to: tc qdisc replace dev DEV ... KIND [OPTIONS] */
  async replace(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), REPLACE);
  }

  /** Change an existing qdisc's options. Equivalent to: tc qdisc change dev DEV ... KIND [OPTIONS] */
  async change(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), 0);
  }

  /**
   * Delete the qdisc at `parent` (default root) or with `handle`. With `ifExists`, a missing one
   * returns false.
   *
   * Equivalent to: tc qdisc del dev DEV (root | ingress | clsact | parent P) [handle H]
   */
  async delete(
    spec: { dev: string | number; parent?: string | number; handle?: string | number; kind?: string },
    opts: { ifExists?: boolean } = {},
  ): Promise<boolean> {
    assertNoPollution(spec, 'qdisc');
    checkKeys(spec ?? null, ['dev', 'parent', 'handle', 'kind'], 'qdisc');
    if (spec.kind !== undefined) checkKindName(spec.kind, 'qdisc.kind');
    const o = deleteOptions(opts);
    const ingress =
      spec.kind === 'ingress' || spec.kind === 'clsact' || spec.parent === 'ingress' || spec.parent === 'clsact';
    const parent = ingress ? C.TC_H_INGRESS : qdiscParent(spec.parent, 'qdisc.parent');
    const handle =
      spec.handle === undefined ? (ingress ? tcIngressHandle() : 0) : handleOf(spec.handle, 'qdisc.handle');
    const ifindex = await this.index(spec.dev, 'qdisc.dev');
    const body = { family: C.AF_UNSPEC, ifindex, parent, handle };
    try {
      await this.nl.engine.request(req('RTM_DELQDISC', body, defined({ kind: spec.kind })));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT', 'EINVAL')) return false;
      throw err;
    }
  }

  private async build(spec: QdiscSpec): Promise<NetlinkMessage> {
    assertNoPollution(spec, 'qdisc');
    if (spec === null || typeof spec !== 'object') throw new ValidationError('qdisc', 'expected a qdisc spec', spec);
    checkKeys(spec, QDISC_KEYS, 'qdisc');
    const plugin =
      typeof spec.kind === 'string' && Object.hasOwn(qdiscKinds, spec.kind)
        ? qdiscKinds[spec.kind as keyof QdiscKindOptions]
        : undefined;
    if (!plugin)
      throw new ValidationError(
        'qdisc.kind',
        `unknown qdisc kind (known: ${Object.keys(qdiscKinds).join(', ')})`,
        spec.kind,
      );
    const ingress = spec.kind === 'ingress' || spec.kind === 'clsact';
    if (ingress && spec.parent !== undefined && spec.parent !== spec.kind && spec.parent !== 'ingress')
      throw new ValidationError('qdisc.parent', `${spec.kind} has no parent to choose`, spec.parent);
    if (spec.rawOptions === undefined)
      checkKeys(spec.options, qdiscOptionKeys[spec.kind as keyof QdiscKindOptions], 'qdisc.options');
    for (const k of ['ingressBlock', 'egressBlock'] as const)
      if (spec[k] !== undefined) intIn(spec[k], 1, U32_MAX, `qdisc.${k}`);
    const options =
      spec.rawOptions !== undefined
        ? spec.rawOptions
        : qdiscOptions(spec.kind as keyof QdiscKindOptions, spec.options ?? {}, {
            clock: lazyClock,
            field: 'qdisc.options',
            linkIndex: (ref) => this.nl.linkIndex(ref),
            netnsFd: () => {
              throw new ValidationError('qdisc.options', 'a tc kind takes no namespace');
            },
          });
    const handle =
      spec.handle === undefined ? (ingress ? tcIngressHandle() : 0) : handleOf(spec.handle, 'qdisc.handle');
    const parent = ingress ? C.TC_H_INGRESS : qdiscParent(spec.parent, 'qdisc.parent');
    // The device last: resolving a name is a request, and bad input must not cost one.
    const ifindex = await this.index(spec.dev, 'qdisc.dev');
    const body = { family: C.AF_UNSPEC, ifindex, handle, parent, info: 0 };
    return req(
      'RTM_NEWQDISC',
      body,
      defined({
        kind: spec.kind,
        options,
        ingressBlock: spec.ingressBlock,
        egressBlock: spec.egressBlock,
      }),
    );
  }
}

const tcIngressHandle = () => (C.TC_H_INGRESS & C.TC_H_MAJ_MASK) >>> 0;
const handleOf = (h: string | number, field: string): number => handle32(h, field, parseQdiscHandle);

export class Classes extends TcBase {
  /** List a device's classes (under `parent`, or all). Equivalent to: tc [-s] class show dev DEV [parent P] */
  async list(filter: { dev: string | number; parent?: string | number }): Promise<ListResult<TcClass>> {
    assertNoPollution(filter, 'filter');
    checkKeys(filter ?? null, ['dev', 'parent'], 'filter');
    const parent = filter.parent === undefined ? 0 : qdiscParent(filter.parent, 'filter.parent');
    const ifindex = await this.index(filter?.dev, 'filter.dev');
    const msgs = await this.nl.engine.dump(req('RTM_GETTCLASS', { family: C.AF_UNSPEC, ifindex, parent }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const names = new Map([[ifindex, typeof filter.dev === 'string' ? filter.dev : String(filter.dev)]]);
    if (typeof filter.dev === 'number') names.clear();
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWTCLASS' && (parent === 0 || m.body.parent === parent),
      (m) => toTcObject(m, names),
    );
  }

  /** Add a class. Equivalent to: tc class add dev DEV parent P classid C htb rate R ... */
  async add(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), CREATE);
  }
  /** Equivalent to: tc class replace dev DEV parent P classid C htb rate R ... */
  async replace(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), REPLACE);
  }
  /** Equivalent to: tc class change dev DEV parent P classid C htb rate R ... */
  async change(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), 0);
  }

  /** Delete a class. Equivalent to: tc class del dev DEV classid C */
  async delete(
    spec: { dev: string | number; classid: string | number },
    opts: { ifExists?: boolean } = {},
  ): Promise<boolean> {
    assertNoPollution(spec, 'class');
    checkKeys(spec ?? null, ['dev', 'classid'], 'class');
    const o = deleteOptions(opts);
    const handle = classidOf(spec.classid, 'class.classid');
    const ifindex = await this.index(spec.dev, 'class.dev');
    const body = { family: C.AF_UNSPEC, ifindex, handle, parent: 0 };
    try {
      await this.nl.engine.request(req('RTM_DELTCLASS', body));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT')) return false;
      throw err;
    }
  }

  private async build(spec: ClassSpec): Promise<NetlinkMessage> {
    assertNoPollution(spec, 'class');
    checkKeys(spec ?? null, ['dev', 'classid', 'parent', 'kind', 'options'], 'class');
    checkKeys(spec.options, HTB_CLASS_KEYS, 'class.options');
    if (spec?.kind !== 'htb') throw new ValidationError('class.kind', "rtnl builds 'htb' classes", spec?.kind);
    const handle = classidOf(spec.classid, 'class.classid');
    const parent =
      spec.parent === undefined ? (handle & C.TC_H_MAJ_MASK) >>> 0 : qdiscParent(spec.parent, 'class.parent');
    const options = htbClassOptions(spec.options ?? ({} as HtbClassOptions), lazyClock, 'class.options');
    const ifindex = await this.index(spec.dev, 'class.dev');
    return req('RTM_NEWTCLASS', { family: C.AF_UNSPEC, ifindex, handle, parent, info: 0 }, { kind: 'htb', options });
  }
}

export class Filters extends TcBase {
  protected async target(t: FilterTarget, field: string): Promise<{ ifindex: number; parent: number }> {
    if ((t.dev === undefined) === (t.block === undefined))
      throw new ValidationError(`${field}.dev`, 'give exactly one of dev and block', t);
    if (t.chain !== undefined) intIn(t.chain, 0, U32_MAX, `${field}.chain`);
    if (t.block !== undefined) {
      if (!Number.isInteger(t.block) || t.block <= 0 || t.block > 0xffffffff)
        throw new ValidationError(`${field}.block`, 'expected a block index above 0', t.block);
      return { ifindex: C.TCM_IFINDEX_MAGIC_BLOCK | 0, parent: t.block };
    }
    // The parent before the device: resolving a name is a request.
    const parent = t.parent === undefined ? 0 : handle32(t.parent, `${field}.parent`, parseFilterParent);
    const ifindex = await this.index(t.dev!, `${field}.dev`);
    return { ifindex, parent };
  }

  /**
   * List the filters at a device's parent (or a block). Each filter kind reports a head message
   * per priority (no handle) and one per filter.
   *
   * Equivalent to: tc [-s] filter show (dev DEV [ingress | egress | parent P] | block N) [chain N]
   */
  async list(target: FilterTarget): Promise<ListResult<Filter>> {
    assertNoPollution(target, 'filter');
    checkKeys(target ?? null, ['dev', 'block', 'parent', 'chain'], 'filter');
    const { ifindex, parent } = await this.target(target, 'filter');
    const msgs = await this.nl.engine.dump(
      req(
        'RTM_GETTFILTER',
        { family: C.AF_UNSPEC, ifindex, parent, handle: 0, info: 0 },
        defined({ chain: target.chain }),
      ),
      { onInterrupted: this.nl.options.onInterrupted },
    );
    const names = target.dev === undefined ? undefined : await this.names();
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWTFILTER',
      (m) => toFilter(m, names),
    );
  }

  /** Add a filter. Equivalent to: tc filter add dev DEV parent P protocol PROTO prio N KIND ... */
  async add(spec: FilterSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), CREATE);
  }
  /** Equivalent to: tc filter replace ... */
  async replace(spec: FilterSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), REPLACE);
  }
  /** Equivalent to: tc filter change ... */
  async change(spec: FilterSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), 0);
  }

  /**
   * Delete filters: all of a parent's (no pref), a priority's, or one by handle (with kind).
   *
   * Equivalent to: tc filter del dev DEV parent P [prio N [handle H KIND]]
   */
  async delete(
    spec: FilterTarget & { pref?: number; protocol?: string | number; handle?: string | number; kind?: string },
    opts: { ifExists?: boolean } = {},
  ): Promise<boolean> {
    assertNoPollution(spec, 'filter');
    checkKeys(spec ?? null, ['dev', 'block', 'parent', 'chain', 'pref', 'protocol', 'handle', 'kind'], 'filter');
    const o = deleteOptions(opts);
    if (spec.kind !== undefined) checkKindName(spec.kind, 'filter.kind');
    const pref = spec.pref === undefined ? 0 : intOf(spec.pref, 0, 0xffff, 'filter.pref');
    const proto = spec.protocol === undefined ? 0 : protocolNumber(spec.protocol);
    const handle =
      spec.handle === undefined
        ? 0
        : spec.kind === 'u32'
          ? parseU32Handle(spec.handle, 'filter.handle')
          : handleNum(spec.handle);
    const { ifindex, parent } = await this.target(spec, 'filter');
    try {
      await this.nl.engine.request(
        req(
          'RTM_DELTFILTER',
          { family: C.AF_UNSPEC, ifindex, parent, handle, info: ((pref << 16) | htons(proto)) >>> 0 },
          defined({ kind: spec.kind, chain: spec.chain }),
        ),
      );
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT', 'EINVAL')) return false;
      throw err;
    }
  }

  private async build(spec: FilterSpec): Promise<NetlinkMessage> {
    assertNoPollution(spec, 'filter');
    checkKeys(spec ?? null, FILTER_KEYS, 'filter');
    for (const k of FILTER_KINDS)
      if (spec[k] !== undefined && spec.kind !== k)
        throw new ValidationError(`filter.${k}`, `options of a ${k} filter, on a ${String(spec.kind)} filter`, spec[k]);
    const pref = spec.pref === undefined ? 0 : intOf(spec.pref, 1, 0xffff, 'filter.pref');
    const proto = protocolNumber(spec.protocol);
    // Actions are resolved (mirred devices looked up) after everything else is validated.
    const actions = spec.actions;
    if (actions !== undefined) checkActions(actions, 'filter.actions');
    const { options, handle } = filterOptionsOf(spec, proto);
    const { ifindex, parent } = await this.target(spec, 'filter');
    if (actions !== undefined) options.act = await this.actionAttrs(actions, 'filter.actions');
    return req(
      'RTM_NEWTFILTER',
      { family: C.AF_UNSPEC, ifindex, parent, handle, info: ((pref << 16) | htons(proto)) >>> 0 },
      defined({ kind: spec.kind, chain: spec.chain, options }),
    );
  }

  /** List chains. Equivalent to: tc chain show dev DEV (ingress | egress | parent P) */
  async listChains(target: FilterTarget): Promise<ListResult<Chain>> {
    assertNoPollution(target, 'chain');
    const { ifindex, parent } = await this.target(target, 'chain');
    const msgs = await this.nl.engine.dump(req('RTM_GETCHAIN', { family: C.AF_UNSPEC, ifindex, parent }));
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWCHAIN',
      (m) => ({
        ifindex: m.body.ifindex,
        parent: formatHandle(m.body.parent),
        chain: m.attrs.chain ?? 0,
        header: m.body as TcMsg,
        attrs: m.attrs as FilterAttrs,
      }),
    );
  }

  /** Add an empty chain. Equivalent to: tc chain add dev DEV (ingress | parent P) chain N */
  async addChain(target: FilterTarget & { chain: number }): Promise<void> {
    assertNoPollution(target, 'chain');
    const { ifindex, parent } = await this.target(target, 'chain');
    const chain = intOf(target.chain, 0, 0xffffffff, 'chain.chain');
    await this.nl.engine.request(
      req('RTM_NEWCHAIN', { family: C.AF_UNSPEC, ifindex, parent, handle: 0, info: 0 }, { chain }),
      CREATE,
    );
  }

  /** Delete a chain and its filters. Equivalent to: tc chain del dev DEV (ingress | parent P) chain N */
  async deleteChain(target: FilterTarget & { chain: number }): Promise<void> {
    assertNoPollution(target, 'chain');
    const { ifindex, parent } = await this.target(target, 'chain');
    const chain = intOf(target.chain, 0, 0xffffffff, 'chain.chain');
    await this.nl.engine.request(
      req('RTM_DELCHAIN', { family: C.AF_UNSPEC, ifindex, parent, handle: 0, info: 0 }, { chain }),
    );
  }
}

/**
 * A filter's TCA_OPTIONS (without its actions, which need device lookups) and tcm_handle, from
 * its spec. Pure. Equivalent to: the KIND OPTIONS part of tc filter add ... KIND OPTIONS
 */
export function filterOptionsOf(
  spec: FilterSpec,
  proto: number = protocolNumber(spec.protocol),
): { options: Record<string, unknown>; handle: number } {
  let options: Record<string, unknown>;
  let handle = 0;
  switch (spec.kind) {
    case 'u32': {
      const u = spec.u32 ?? {};
      checkKeys(u, ['match', 'classid', 'divisor', 'ht', 'link', 'hashkey'], 'filter.u32');
      checkKeys(u.hashkey, ['mask', 'at'], 'filter.u32.hashkey');
      if (spec.handle !== undefined) handle = parseU32Handle(spec.handle, 'filter.handle');
      const classid = u.classid === undefined ? undefined : classidOf(u.classid, 'filter.u32.classid');
      options = {};
      if (u.divisor !== undefined) options.divisor = intOf(u.divisor, 1, 256, 'filter.u32.divisor');
      if (u.match !== undefined || u.divisor === undefined) {
        const sel = u32Selector(u.match ?? [], classid !== undefined || spec.actions !== undefined, 'filter.u32.match');
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
      break;
    }
    case 'bpf': {
      const b = spec.bpf ?? {};
      checkKeys(b, ['fd', 'name', 'directAction', 'bytecode', 'classid'], 'filter.bpf');
      if ((b.fd === undefined) === (b.bytecode === undefined))
        throw new ValidationError('filter.bpf.fd', 'give exactly one of fd and bytecode', b);
      if (spec.handle !== undefined) handle = handleNum(spec.handle);
      options = {};
      if (b.classid !== undefined) options.classid = classidOf(b.classid, 'filter.bpf.classid');
      if (b.bytecode !== undefined) {
        if (!Array.isArray(b.bytecode) || b.bytecode.length === 0 || b.bytecode.length > ATTR_ENTRIES_8)
          throw new ValidationError(
            'filter.bpf.bytecode',
            `expected 1 to ${ATTR_ENTRIES_8} instructions (what one attribute holds)`,
            Array.isArray(b.bytecode) ? b.bytecode.length : b.bytecode,
          );
        for (const [i, ins] of b.bytecode.entries())
          if (!Array.isArray(ins) || ins.length !== 4)
            throw new ValidationError(`filter.bpf.bytecode[${i}]`, 'expected [code, jt, jf, k]', ins);
        const ops = new Uint8Array(b.bytecode.length * 8);
        const v = new DataView(ops.buffer);
        b.bytecode.forEach(([code, jt, jf, k], i) => {
          v.setUint16(i * 8, intOf(code, 0, 0xffff, `filter.bpf.bytecode[${i}]`), true);
          v.setUint8(i * 8 + 2, intOf(jt, 0, 0xff, `filter.bpf.bytecode[${i}]`));
          v.setUint8(i * 8 + 3, intOf(jf, 0, 0xff, `filter.bpf.bytecode[${i}]`));
          v.setUint32(i * 8 + 4, intOf(k, 0, 0xffffffff, `filter.bpf.bytecode[${i}]`), true);
        });
        options.opsLen = b.bytecode.length;
        options.ops = ops;
      } else {
        options.fd = intOf(b.fd, 0, 0x7fffffff, 'filter.bpf.fd');
        options.name = b.name ?? `fd${b.fd}`;
      }
      if (b.directAction) options.flags = C.TCA_BPF_FLAG_ACT_DIRECT;
      break;
    }
    case 'matchall':
      checkKeys(spec.matchall, ['classid'], 'filter.matchall');
      options = defined({
        classid:
          spec.matchall?.classid === undefined
            ? undefined
            : classidOf(spec.matchall.classid, 'filter.matchall.classid'),
      });
      if (spec.handle !== undefined) handle = handleNum(spec.handle);
      break;
    case 'flower':
      // tc puts the filter's protocol into the flow key too.
      options = { ...(proto !== C.ETH_P_ALL ? { keyEthType: proto } : {}), ...(spec.flower ?? {}) };
      if (spec.handle !== undefined) handle = handleNum(spec.handle);
      break;
    default:
      throw new ValidationError(
        'filter.kind',
        "expected 'u32', 'bpf', 'flower' or 'matchall'",
        (spec as { kind?: unknown })?.kind,
      );
  }
  return { options, handle };
}

const handleNum = (h: string | number): number => {
  if (typeof h === 'number') return intIn(h, 0, U32_MAX, 'filter.handle');
  if (typeof h !== 'string' || !/^(0x)?[0-9a-f]{1,8}$/i.test(h))
    throw new ValidationError('filter.handle', 'expected a hex handle', h);
  return Number.parseInt(h, 16) >>> 0;
};
const intOf = (v: unknown, lo: number, hi: number, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new ValidationError(field, `expected an integer from ${lo} to ${hi}`, v);
  return v;
};

/** A chain as rtnl reports it. */
export interface Chain {
  ifindex: number;
  parent: string;
  chain: number;
  header: TcMsg;
  attrs: FilterAttrs;
}

/** A standalone action as rtnl reports it. */
export interface Action {
  kind: string;
  index: number;
  /** tc's control action ('pass', 'drop', 'pipe', 'stolen', ...). */
  verdict?: string;
  stats?: TcStats;
  options?: unknown;
  attrs: ActionAttrs;
}

function toAction(a: ActionAttrs): Action {
  const parms = a.options as
    | { parms?: { index?: number; action?: number }; tbf?: { index?: number; action?: number } }
    | undefined;
  const p = parms?.parms ?? parms?.tbf;
  const out: Action = { kind: a.kind ?? '', index: p?.index ?? a.index ?? 0, attrs: a };
  if (p?.action !== undefined) out.verdict = VERDICT_NAMES[p.action] ?? String(p.action);
  if (a.options !== undefined) out.options = a.options;
  const st = statsOf(a.stats);
  if (st) out.stats = st;
  return out;
}

export class Actions extends TcBase {
  /** List the actions of one kind. Equivalent to: tc [-s] actions list action KIND */
  async list(kind: string): Promise<ListResult<Action>> {
    checkKindName(kind, 'kind');
    const msgs = await this.nl.engine.dump(
      req(
        'RTM_GETACTION',
        { family: C.AF_UNSPEC },
        { tab: [{ kind }], flags: { value: C.TCA_FLAG_LARGE_DUMP_ON, selector: C.TCA_FLAG_LARGE_DUMP_ON } },
      ),
      { onInterrupted: this.nl.options.onInterrupted },
    );
    const out: ListResult<Action> = [];
    for (const m of msgs)
      if (m.type === 'RTM_GETACTION' || m.type === 'RTM_NEWACTION')
        for (const a of m.attrs.tab ?? []) out.push(toAction(a));
    if (msgs.interrupted) out.interrupted = true;
    return out;
  }

  /** Get one action. Equivalent to: tc [-s] actions get action KIND index N */
  async get(kind: string, index: number): Promise<Action> {
    checkKindName(kind, 'kind');
    const r = await this.nl.engine.request(
      req('RTM_GETACTION', { family: C.AF_UNSPEC }, { tab: [{ kind, index: intOf(index, 1, 0xffffffff, 'index') }] }),
    );
    const a = r.replies[0]?.attrs.tab?.[0] as ActionAttrs | undefined;
    if (!a) throw new ValidationError('index', 'the kernel returned no action', index);
    return toAction(a);
  }

  /** Add standalone actions. Equivalent to: tc actions add action KIND ... [index N] */
  async add(actions: ActionSpecWithDev | ActionSpecWithDev[]): Promise<void> {
    const list = Array.isArray(actions) ? actions : [actions];
    await this.nl.engine.request(
      req('RTM_NEWACTION', { family: C.AF_UNSPEC }, { tab: await this.actionAttrs(list, 'actions') }),
      CREATE,
    );
  }

  /** Delete an action by kind and index. Equivalent to: tc actions del action KIND index N */
  async delete(kind: string, index: number, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    checkKindName(kind, 'kind');
    const o = deleteOptions(opts);
    const i = intOf(index, 1, 0xffffffff, 'index');
    try {
      await this.nl.engine.request(req('RTM_DELACTION', { family: C.AF_UNSPEC }, { tab: [{ kind, index: i }] }));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT', 'EINVAL')) return false;
      throw err;
    }
  }
}

/** Traffic control: `tc`. */
export class Tc {
  /** Equivalent to: tc qdisc */
  readonly qdiscs: Qdiscs;
  /** Equivalent to: tc class */
  readonly classes: Classes;
  /** Equivalent to: tc filter (and tc chain: filters.listChains) */
  readonly filters: Filters;
  /** Equivalent to: tc actions */
  readonly actions: Actions;
  constructor(nl: OpContext) {
    this.qdiscs = new Qdiscs(nl);
    this.classes = new Classes(nl);
    this.filters = new Filters(nl);
    this.actions = new Actions(nl);
  }
}

/** What an error message shows of a tc object: where it sits and its kind, in tc's words. */
const where = (o: unknown): unknown[] => {
  if (o === null || typeof o !== 'object') return [o];
  const s = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['dev', 'block', 'parent', 'handle', 'classid', 'chain', 'pref', 'kind', 'index'])
    if (s[k] !== undefined && (typeof s[k] !== 'object' || s[k] === null)) out[k] = s[k];
  return [out];
};
// ENOENT means the object itself is missing only on delete and get; elsewhere (a parent, a
// chain) the kernel's extended ACK says what it could not find.
const at = { show: where };
const gone = (what: string) => ({ show: where, errnos: { ENOENT: `no such ${what}` } });

publicCalls(Qdiscs, 'tc.qdiscs', { list: at, add: at, replace: at, change: at, delete: gone('qdisc') });
publicCalls(Classes, 'tc.classes', { list: at, add: at, replace: at, change: at, delete: gone('class') });
publicCalls(Filters, 'tc.filters', {
  list: at,
  add: at,
  replace: at,
  change: at,
  delete: gone('filter'),
  listChains: at,
  addChain: at,
  deleteChain: gone('chain'),
});
publicCalls(Actions, 'tc.actions', {
  list: { show: (kind: string) => [kind] },
  get: { show: (kind: string, index: number) => [kind, index], errnos: { ENOENT: 'no such action' } },
  add: { show: (a: unknown) => (Array.isArray(a) ? [a.map((x) => where(x)[0])] : where(a)) },
  delete: { show: (kind: string, index: number) => [kind, index], errnos: { ENOENT: 'no such action' } },
});
