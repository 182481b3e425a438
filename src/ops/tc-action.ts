/** tc actions: standalone actions, add, delete, get and list. */
import * as C from '../codec/constants/index.js';
import type { ActionAttrs } from '../codec/tc/act.js';
import { ValidationError } from '../errors.js';
import { isCode, req, type ListResult } from './common.js';
import {
  checkKindName,
  CREATE,
  deleteOptions,
  intOf,
  statsOf,
  TcBase,
  type ActionSpecWithDev,
  type TcStats,
} from './tc-common.js';
import { VERDICT_NAMES } from './tc-kinds.js';

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
