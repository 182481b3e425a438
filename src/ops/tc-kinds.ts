/**
 * Traffic-control kinds for the operations: every kind is a plugin in src/kinds/tc (qdiscs there,
 * class options in class/, filters in filter/, actions in action/; listed in registry.ts). This
 * module re-exports them and dispatches by kind. Pure: the scheduler clock comes in as `Psched`.
 */
import type { ActionAttrs } from '../codec/tc/act.js';
import { formatHandle } from '../codec/tc/parse.js';
import { ValidationError } from '../errors.js';
import type { TcKindContext } from '../kinds/plugin.js';
import type { GactAction } from '../kinds/tc/action/gact.js';
import type { MirredAction } from '../kinds/tc/action/mirred.js';
import type { PoliceAction } from '../kinds/tc/action/police.js';
import {
  checkKeys,
  intIn,
  U32_MAX,
  type HtbClassOptions,
  type Psched,
  type QdiscKindOptions,
  type TcActionPlugin,
  type TcKindPlugin,
  type TcOptionsOf,
} from '../kinds/tc/common.js';
import { actionKinds, classKinds, filterKinds, qdiscKinds, qdiscPrinter } from '../kinds/tc/registry.js';

export * from '../kinds/tc/common.js';
export {
  parseU32Handle,
  u32HandleText,
  u32Selector,
  type U32Match,
  type U32FilterOptions,
} from '../kinds/tc/filter/u32.js';
export type { BpfFilterOptions } from '../kinds/tc/filter/bpf.js';
export type { MatchallFilterOptions } from '../kinds/tc/filter/matchall.js';
export type { FlowerFilterOptions } from '../kinds/tc/filter/flower.js';
export type { GactAction, MirredAction, PoliceAction };
export { actionKinds, classKinds, filterKinds, qdiscKinds, qdiscPrinter };

/** The options of each filter kind rtnl builds, keyed by kind (from the registry). */
export type FilterKindOptions = { -readonly [K in keyof typeof filterKinds]: TcOptionsOf<(typeof filterKinds)[K]> };
/** The options of each class kind rtnl builds, keyed by kind (from the registry). */
export type ClassKindOptions = { -readonly [K in keyof typeof classKinds]: TcOptionsOf<(typeof classKinds)[K]> };
/** An action's options, by its `kind` (from the registry). */
export type ActionSpec = {
  -readonly [K in keyof typeof actionKinds]: TcOptionsOf<(typeof actionKinds)[K]>;
}[keyof typeof actionKinds];

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

/** 'a', 'b' or 'c': the known kinds, as an error message lists them. */
export const kindList = (kinds: object): string => {
  const k = Object.keys(kinds).map((x) => `'${x}'`);
  return k.length > 1 ? `${k.slice(0, -1).join(', ')} or ${k[k.length - 1]}` : (k[0] ?? '');
};

/** The TCA_OPTIONS value of a qdisc kind for `options`. */
export function qdiscOptions(kind: keyof QdiscKindOptions, options: unknown, ctx: TcKindContext): unknown {
  return (qdiscKinds[kind] as TcKindPlugin<unknown>).toAttrs(options, ctx);
}

/** htb class options (TCA_OPTIONS of an htb class), with tc's default buffers. */
export function htbClassOptions(o: HtbClassOptions, ps: Psched, f: string): Record<string, unknown> {
  return classKinds.htb.toAttrs(o, tcKindContext(ps, f)) as Record<string, unknown>;
}

/** One action's TCA_ACT_* value, as tc builds it. */
export function actionAttrsOf(a: ActionSpec, ps: Psched, f: string): ActionAttrs {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ValidationError(f, 'expected an action', a);
  const kind = (a as { kind?: unknown }).kind;
  const known = typeof kind === 'string' && Object.hasOwn(actionKinds, kind);
  const plugin = known ? (actionKinds[kind as keyof typeof actionKinds] as TcActionPlugin<unknown>) : undefined;
  // The keys first; mirred's `dev` is resolved to `ifindex` by the operations.
  if (plugin?.keys) checkKeys(a, plugin.devOption ? [...plugin.keys, 'dev'] : plugin.keys, f);
  const index = a.index === undefined ? 0 : intIn(a.index, 0, U32_MAX, `${f}.index`);
  if (!plugin) throw new ValidationError(`${f}.kind`, `expected ${kindList(actionKinds)}`, kind);
  return { kind, options: plugin.toAttrs(a, { ...tcKindContext(ps, f), index }) } as ActionAttrs;
}

export { formatHandle };
