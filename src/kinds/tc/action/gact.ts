/** The gact action. Equivalent to: action [gact] (pass|drop|ok|reclassify|pipe|continue|trap) [index N] */
import { actionOptionCases } from '../../../codec/tc/act.js';
import type { Json } from '../../json.js';
import { defineActionKind, tmJson, verdict, VERDICT_NAMES, VERDICT_WORDS, type Verdict } from '../common.js';

/** gact: a verdict. Equivalent to: action gact (pass|drop|ok|reclassify|pipe|continue|trap) */
export interface GactAction {
  kind: 'gact';
  action: Verdict;
  index?: number;
}

export default defineActionKind<GactAction>({
  kind: 'gact',
  keys: ['kind', 'action', 'index'],
  data: actionOptionCases.gact,
  // tc takes a bare verdict (`action drop`) as gact.
  aliases: VERDICT_WORDS,
  toAttrs: (a, { index, field: f }) => ({
    parms: { index, capab: 0, action: verdict(a.action, `${f}.action`), refcnt: 0, bindcnt: 0 },
  }),
  json: (opts, ctx) => {
    const j: Json = {};
    const p = opts?.parms;
    if (!p) return j;
    j.control_action = { type: VERDICT_NAMES[p.action] ?? String(p.action) };
    j.index = p.index;
    j.ref = p.refcnt;
    j.bind = p.bindcnt;
    if (ctx.stats && opts.tm) tmJson(opts.tm, j);
    return j;
  },
  // After `action gact` or the alias: the verdict comes first.
  parseArgs: (w) => {
    const v = w.shift();
    if (!VERDICT_WORDS.includes(v)) throw w.invalid('gact', v, `expected one of ${VERDICT_WORDS.join(', ')}`);
    const spec: Record<string, unknown> = { kind: 'gact', action: v as Verdict };
    while (!w.done && w.peek() !== 'action') {
      const k = w.shift();
      if (k === 'index') spec.index = w.uint(k, w.value(k));
      else throw w.usage(`what is "${k}"? (an option of gact)`);
    }
    return spec as unknown as GactAction;
  },
});
