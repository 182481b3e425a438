/** tc filter and tc chain: add, replace, change, delete and list filters and chains. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import type { TcMsg } from '../codec/tc/common.js';
import type { FilterAttrs } from '../codec/tc/index.js';
import { formatHandle, parseFilterParent } from '../codec/tc/parse.js';
import { ValidationError } from '../errors.js';
import type { TcFilterPlugin } from '../kinds/tc/common.js';
import { defined, isCode, listOf, req, type ListResult } from './common.js';
import {
  checkActions,
  checkKindName,
  CREATE,
  deleteOptions,
  handle32,
  htons,
  intOf,
  lazyClock,
  protocolName,
  protocolNumber,
  REPLACE,
  TcBase,
  type ActionSpecWithDev,
} from './tc-common.js';
import {
  checkKeys,
  filterKinds,
  hexHandle,
  kindList,
  tcKindContext,
  U32_MAX,
  type FilterKindOptions,
} from './tc-kinds.js';
import { assertNoPollution } from './validate.js';

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

/**
 * Each filter kind's options under its own key (`u32: {...}`, `bpf: {...}`): u32 `match`
 * clauses, hash tables and links; bpf an eBPF program fd or classic BPF; matchall a classid;
 * flower keys by the codec's field names (keyIpv4Dst, keyIpProto, keyTcpDst, ...).
 */
export type FilterKindSpecs = { -readonly [K in keyof FilterKindOptions]?: FilterKindOptions[K] };

/** A filter. Equivalent to: tc filter add dev DEV parent P [protocol PROTO] [prio N] [handle H] [chain N] KIND ... [action ...] */
export interface FilterSpec extends FilterTarget, FilterKindSpecs {
  /** The filter kind: a plugin of src/kinds/tc/filter. */
  kind: keyof FilterKindOptions;
  /** 'all' (default), 'ip', 'ipv6', '802.1Q', '802.1ad', or an Ethernet protocol number. */
  protocol?: string | number;
  pref?: number;
  handle?: string | number;
  actions?: Array<ActionSpecWithDev>;
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
  if (h.handle) {
    const text = filterPlugin(a.kind)?.handleText;
    f.handle = text ? text(h.handle) : `0x${h.handle.toString(16)}`;
  }
  if (a.options !== undefined) {
    f.options = a.options;
    const act = (a.options as { act?: ActionAttrs[] }).act;
    if (act) f.actions = act;
  }
  return f;
}

/** The filter kinds, whose options each go under the kind's own key. */
const FILTER_KINDS = Object.keys(filterKinds) as Array<keyof FilterKindOptions>;
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

export class Filters extends TcBase {
  protected async target(t: FilterTarget, field: string): Promise<{ ifindex: number; parent: number }> {
    if ((t.dev === undefined) === (t.block === undefined))
      throw new ValidationError(`${field}.dev`, 'give exactly one of dev and block', t);
    if (t.chain !== undefined) intOf(t.chain, 0, U32_MAX, `${field}.chain`);
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
        : (filterPlugin(spec.kind)?.parseHandle?.(spec.handle, 'filter.handle') ?? hexHandle(spec.handle));
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
  const plugin = filterPlugin(spec.kind);
  if (!plugin)
    throw new ValidationError('filter.kind', `expected ${kindList(filterKinds)}`, (spec as { kind?: unknown })?.kind);
  const options = (spec as unknown as Record<string, unknown>)[spec.kind] ?? {};
  if (plugin.keys) checkKeys(options, plugin.keys, `filter.${spec.kind}`);
  return plugin.toAttrs(options, {
    ...tcKindContext(lazyClock, `filter.${spec.kind}`),
    protocol: proto,
    handle: spec.handle,
    hasActions: spec.actions !== undefined,
  });
}

/** A filter kind's plugin, or undefined for a kind rtnl does not know. */
export function filterPlugin(kind: unknown): TcFilterPlugin<unknown> | undefined {
  return typeof kind === 'string' && Object.hasOwn(filterKinds, kind)
    ? (filterKinds[kind as keyof typeof filterKinds] as TcFilterPlugin<unknown>)
    : undefined;
}

/** A chain as rtnl reports it. */
export interface Chain {
  ifindex: number;
  parent: string;
  chain: number;
  header: TcMsg;
  attrs: FilterAttrs;
}
