/**
 * Traffic control: qdiscs, classes, filters, chains and actions (`tc`). Options are given per
 * kind in tc's vocabulary (see tc-kinds.ts); what comes back keeps every decoded attribute.
 *
 * The kernel ignores tcm_ifindex on a qdisc dump (even with strict checking), so a per-device
 * qdisc list dumps all and keeps that device's. Class and filter dumps are per device by design.
 */
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import { Actions } from './tc-action.js';
import { Classes } from './tc-class.js';
import { Filters } from './tc-filter.js';
import { Qdiscs } from './tc-qdisc.js';

export { clock, protocolName, toTcObject } from './tc-common.js';
export type { ActionSpecWithDev, Qdisc, TcClass, TcObject, TcStats } from './tc-common.js';
export { Qdiscs, type QdiscSpec } from './tc-qdisc.js';
export { Classes, type ClassSpec } from './tc-class.js';
export {
  Filters,
  filterOptionsOf,
  toFilter,
  type Chain,
  type Filter,
  type FilterKindSpecs,
  type FilterSpec,
  type FilterTarget,
} from './tc-filter.js';
export { Actions, type Action } from './tc-action.js';
export { u32HandleText } from './tc-kinds.js';

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
