/**
 * What the tc operations share: the scheduler clock, statistics, qdisc and class objects, the
 * protocol names of filters, and the base of the tc sections (device lookups, actions).
 */
import { readFileSync } from 'node:fs';
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import type { TcMsg } from '../codec/tc/common.js';
import type { QdiscAttrs } from '../codec/tc/index.js';
import { formatHandle, parseClassid, parseQdiscHandle } from '../codec/tc/parse.js';
import { decodeTcXstats, type TcXstats } from '../codec/tc/xstats.js';
import { DecodeError, ValidationError } from '../errors.js';
import type { TcActionPlugin } from '../kinds/tc/common.js';
import { req } from './common.js';
import type { OpContext } from './context.js';
import {
  actionAttrsOf,
  actionKinds,
  checkKeys,
  intIn,
  parsePsched,
  U32_MAX,
  type ActionSpec,
  type Psched,
} from './tc-kinds.js';
import { checkLinkRef } from './validate.js';

let psched: Psched | undefined;
/** The scheduler clock, read once from /proc/net/psched (the same in every namespace). */
export function clock(): Psched {
  return (psched ??= parsePsched(readFileSync('/proc/net/psched', 'utf8')));
}

/**
 * The clock as a Psched whose fields read /proc/net/psched on first use: the builders touch it
 * only after they have validated their input, so bad input never reaches the file system.
 */
export const lazyClock: Psched = {
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
  /**
   * The kind's statistics (TCA_XSTATS, else TCA_STATS_APP: cake sends only that), decoded when
   * rtnl knows the kind, `{ $raw }` otherwise.
   */
  xstats?: TcXstats;
  ingressBlock?: number;
  egressBlock?: number;
  header: TcMsg;
  attrs: QdiscAttrs;
}
export type Qdisc = TcObject & { refcnt: number };
export type TcClass = TcObject;

/** An action as given to filters and `actions.add`: mirred takes `dev` (name or index). */
export type ActionSpecWithDev =
  | (Omit<Extract<ActionSpec, { kind: 'mirred' }>, 'ifindex'> & { dev: string | number })
  | Exclude<ActionSpec, { kind: 'mirred' }>;

export const PROTOCOLS: Record<string, number> = {
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
export const htons = (n: number) => ((n & 0xff) << 8) | ((n >> 8) & 0xff);
/** Protocol name of a filter's tcm_info low 16 bits (network order). */
export const protocolName = (info: number): string => {
  const p = htons(info & 0xffff);
  return PROTOCOL_NAMES[p] ?? `0x${p.toString(16).padStart(4, '0')}`;
};

export function protocolNumber(p: string | number | undefined): number {
  if (p === undefined) return C.ETH_P_ALL;
  if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 0xffff) return p;
  if (typeof p === 'string') {
    if (Object.hasOwn(PROTOCOLS, p.toLowerCase())) return PROTOCOLS[p.toLowerCase()]!;
    if (/^0x[0-9a-f]{1,4}$/i.test(p)) return Number.parseInt(p, 16);
  }
  throw new ValidationError('filter.protocol', "expected 'all', 'ip', 'ipv6', '802.1Q', '802.1ad' or a number", p);
}

export const qdiscParent = (p: string | number | undefined, field: string): number =>
  p === undefined ? C.TC_H_ROOT : handle32(p, field, parseClassid);

/** A handle, class id or parent: an unsigned 32-bit integer, or a string for `parse`. */
export function handle32(v: unknown, field: string, parse: (text: string, field: string) => number): number {
  if (typeof v === 'number') return intIn(v, 0, U32_MAX, field);
  if (typeof v !== 'string') throw new ValidationError(field, "expected tc notation ('1:10') or a number", v);
  return parse(v, field);
}

/** The actions one message may carry (TCA_ACT_MAX_PRIO). */
const MAX_ACTIONS = C.TCA_ACT_MAX_PRIO;
/** A qdisc, filter or action kind as tc names it (for deletes and lookups: any kind the kernel may have). */
export const checkKindName = (kind: unknown, field: string): string => {
  if (typeof kind !== 'string' || !/^[a-z_0-9]{1,15}$/.test(kind))
    throw new ValidationError(field, 'expected an action kind', kind);
  return kind;
};
/** The options of a delete: only ifExists. */
export function deleteOptions(opts: unknown): { ifExists?: boolean } {
  checkKeys(opts, ['ifExists'], 'options');
  const o = (opts ?? {}) as { ifExists?: unknown };
  if (o.ifExists !== undefined && typeof o.ifExists !== 'boolean')
    throw new ValidationError('options.ifExists', 'expected true or false', o.ifExists);
  return o as { ifExists?: boolean };
}

export function statsOf(
  a: QdiscAttrs | ActionAttrs['stats'] | undefined,
  stats2?: QdiscAttrs['stats2'],
): TcStats | undefined {
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

/** TCA_STATS_APP by kind; bytes that do not fit the kind's shape stay bytes, as in a message. */
function appXstats(kind: string, app: Uint8Array): TcXstats {
  try {
    return decodeTcXstats(kind, app);
  } catch (err) {
    if (err instanceof DecodeError) return { $raw: app };
    throw err;
  }
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
  if (a.xstats !== undefined) o.xstats = a.xstats as TcXstats;
  else if (a.stats2?.app !== undefined) o.xstats = appXstats(o.kind, a.stats2.app);
  if (a.ingressBlock !== undefined) o.ingressBlock = a.ingressBlock;
  if (a.egressBlock !== undefined) o.egressBlock = a.egressBlock;
  return o;
}

/** Operations shared by the tc sections. */
export class TcBase {
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
      const spec = (actionKinds[a?.kind as keyof typeof actionKinds] as TcActionPlugin<unknown> | undefined)?.devOption
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
export function checkActions(list: unknown, field: string): void {
  if (!Array.isArray(list)) throw new ValidationError(field, 'expected an array of actions', list);
  if (list.length > MAX_ACTIONS)
    throw new ValidationError(field, `at most ${MAX_ACTIONS} actions (TCA_ACT_MAX_PRIO)`, list.length);
  for (const [i, a] of list.entries()) {
    const f = `${field}[${i}]`;
    const kind: unknown = a?.kind;
    const plugin =
      typeof kind === 'string' && Object.hasOwn(actionKinds, kind)
        ? (actionKinds[kind as keyof typeof actionKinds] as TcActionPlugin<unknown>)
        : undefined;
    if (plugin?.devOption) {
      const dev = checkLinkRef((a as { dev?: unknown }).dev, `${f}.dev`);
      actionAttrsOf({ ...a, ifindex: typeof dev === 'number' ? dev : 1 } as ActionSpec, lazyClock, f);
    } else actionAttrsOf(a as ActionSpec, lazyClock, f);
  }
}

export const CREATE = C.NLM_F_CREATE | C.NLM_F_EXCL;
export const REPLACE = C.NLM_F_CREATE | C.NLM_F_REPLACE;

export const tcIngressHandle = () => (C.TC_H_INGRESS & C.TC_H_MAJ_MASK) >>> 0;
export const handleOf = (h: string | number, field: string): number => handle32(h, field, parseQdiscHandle);

export const intOf = (v: unknown, lo: number, hi: number, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new ValidationError(field, `expected an integer from ${lo} to ${hi}`, v);
  return v;
};
