/** The mirred action. Equivalent to: action mirred (egress|ingress) (redirect|mirror) dev DEV [index N] */
import * as C from '../../../codec/constants/index.js';
import { actionOptionCases } from '../../../codec/tc/act.js';
import { ValidationError } from '../../../errors.js';
import type { Json } from '../../json.js';
import { defineActionKind, intIn, tmJson, VERDICT_NAMES, VERDICT_WORDS } from '../common.js';

/** mirred: redirect or mirror to a device. Equivalent to: action mirred (egress|ingress) (redirect|mirror) dev DEV */
export interface MirredAction {
  kind: 'mirred';
  direction?: 'egress' | 'ingress';
  action: 'redirect' | 'mirror';
  /** The target's ifindex (operations resolve `dev`). */
  ifindex: number;
  index?: number;
}

export default defineActionKind<MirredAction>({
  kind: 'mirred',
  keys: ['kind', 'direction', 'action', 'ifindex', 'index'],
  data: actionOptionCases.mirred,
  devOption: true,
  toAttrs: (a, { index, field: f }) => {
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
      parms: {
        index,
        capab: 0,
        action,
        refcnt: 0,
        bindcnt: 0,
        eaction,
        ifindex: intIn(a.ifindex, 1, 0x7fffffff, `${f}.dev`),
      },
    };
  },
  json: (opts, ctx) => {
    const j: Json = {};
    const p = opts?.parms;
    if (!p) return j;
    const e = p.eaction;
    j.mirred_action = e === C.TCA_EGRESS_REDIR || e === C.TCA_INGRESS_REDIR ? 'redirect' : 'mirror';
    j.direction = e === C.TCA_EGRESS_REDIR || e === C.TCA_EGRESS_MIRROR ? 'egress' : 'ingress';
    j.to_dev = ctx.ifname(p.ifindex);
    j.control_action = { type: VERDICT_NAMES[p.action] ?? String(p.action) };
    j.index = p.index;
    j.ref = p.refcnt;
    j.bind = p.bindcnt;
    if (ctx.stats && opts.tm) tmJson(opts.tm, j);
    return j;
  },
  text: (a) =>
    ` (${a.direction === 'egress' ? 'Egress' : 'Ingress'} ${a.mirred_action === 'redirect' ? 'Redirect' : 'Mirror'} to device ${a.to_dev}) ${(a.control_action as Json | undefined)?.type}`,
  parseArgs: (w) => {
    const spec: Record<string, unknown> = { kind: 'mirred', direction: 'egress' };
    while (!w.done && w.peek() !== 'action') {
      const k = w.shift();
      if (k === 'egress' || k === 'ingress') spec.direction = k;
      else if (k === 'redirect' || k === 'mirror') spec.action = k;
      else if (k === 'dev') spec.dev = w.value(k);
      else if (k === 'index') spec.index = w.uint(k, w.value(k));
      else if (VERDICT_WORDS.includes(k)) continue;
      else throw w.usage(`what is "${k}"? (an option of mirred)`);
    }
    if (spec.action === undefined) throw w.usage('mirred needs "redirect" or "mirror"');
    if (spec.dev === undefined) throw w.usage('mirred needs "dev DEV"');
    return spec as unknown as MirredAction;
  },
});
