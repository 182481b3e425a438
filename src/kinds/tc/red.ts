/** The red qdisc. Equivalent to: tc qdisc ... red [OPTIONS] */
import * as C from '../../codec/constants/index.js';
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, sizeOf } from '../../codec/tc/parse.js';
import { ValidationError } from '../../errors.js';
import type { Json } from '../json.js';
import {
  defineTcKind,
  U32_MAX,
  intIn,
  need,
  redEwma,
  redIdle,
  redP,
  sizeText,
  type QdiscKindOptions,
} from './common.js';

/*
 * Printing follows iproute2 6.1's tc/q_red.c (red_print_opt, red_print_xstats) and tc_red.c
 * (tc_red_print_flags), checked against the format strings of the tc 6.1 binary: limit, min and
 * max (bytes in JSON, tc's sizes in text), then the four flags (JSON: always, true or false;
 * text: the set ones), the flags from TCA_RED_FLAGS when present. ewma, probability (or Plog) and
 * Scell_log are printed with -d only, which rtnl's tc does not take: they are left out.
 */
const FLAG_NAMES: Array<[string, number]> = [
  ['ecn', C.TC_RED_ECN],
  ['harddrop', C.TC_RED_HARDDROP],
  ['adaptive', C.TC_RED_ADAPTATIVE],
  ['nodrop', C.TC_RED_NODROP],
];

export default defineTcKind<QdiscKindOptions['red']>({
  kind: 'red',
  keys: ['limit', 'min', 'max', 'avpkt', 'burst', 'bandwidth', 'probability', 'ecn', 'harddrop', 'adaptive', 'nodrop'],
  data: qdiscOptionCases.red,
  toAttrs: (o, { clock: ps, field: f }) => {
    for (const k of ['limit', 'min', 'max', 'avpkt'] as const) need(o[k], `${f}.${k}`);
    const limit = sizeOf(o.limit, `${f}.limit`);
    const qmin = sizeOf(o.min, `${f}.min`);
    const qmax = sizeOf(o.max, `${f}.max`);
    const avpkt = sizeOf(o.avpkt, `${f}.avpkt`);
    if (!limit || !qmin || !qmax || !avpkt)
      throw new ValidationError(`${f}.limit`, 'limit, min, max and avpkt must be above 0', o);
    if (qmax <= qmin) throw new ValidationError(`${f}.max`, 'must be above min', o.max);
    const prob = o.probability ?? 0.02;
    if (typeof prob !== 'number' || !(prob > 0 && prob <= 1))
      throw new ValidationError(`${f}.probability`, 'expected a number above 0, at most 1', prob);
    const rate = rateOf(o.bandwidth ?? '10mbit', `${f}.bandwidth`);
    const burst =
      o.burst === undefined ? Math.floor((2 * qmin + qmax) / (3 * avpkt)) : intIn(o.burst, 1, U32_MAX, `${f}.burst`);
    const wlog = redEwma(qmin, burst, avpkt, f);
    const plog = redP(qmin, qmax, prob, f);
    const { clog, stab } = redIdle(wlog, avpkt, Math.min(U32_MAX, Number(rate)), ps, f);
    const value =
      (o.ecn ? C.TC_RED_ECN : 0) |
      (o.harddrop ? C.TC_RED_HARDDROP : 0) |
      (o.adaptive ? C.TC_RED_ADAPTATIVE : 0) |
      (o.nodrop ? C.TC_RED_NODROP : 0);
    return {
      parms: {
        limit,
        qthMin: qmin,
        qthMax: qmax,
        wlog,
        plog,
        scellLog: clog,
        flags: value & C.TC_RED_HISTORIC_FLAGS,
      },
      stab,
      maxP: Math.min(U32_MAX, Math.floor(prob * 2 ** 32)),
      flags: { value, selector: C.TC_RED_HISTORIC_FLAGS | C.TC_RED_NODROP },
    };
  },
  json: (o) => {
    const p = o.parms;
    if (!p) return {};
    const flags = o.flags !== undefined ? (o.flags.value ?? 0) : (p.flags ?? 0);
    const j: Json = { limit: p.limit, min: p.qthMin, max: p.qthMax };
    for (const [name, bit] of FLAG_NAMES) j[name] = (flags & bit) !== 0;
    return j;
  },
  text: (j) => {
    if (j.limit === undefined) return '';
    let s = `limit ${sizeText(j.limit as number)} min ${sizeText(j.min as number)} max ${sizeText(j.max as number)} `;
    for (const [name] of FLAG_NAMES) if (j[name]) s += `${name} `;
    return s;
  },
  xstatsJson: (x) => ({ marked: x.marked ?? 0, early: x.early ?? 0, pdrop: x.pdrop ?? 0, other: x.other ?? 0 }),
  xstatsText: (x) => [`  marked ${x.marked ?? 0} early ${x.early ?? 0} pdrop ${x.pdrop ?? 0} other ${x.other ?? 0} `],
  parseArgs: (w) => {
    const o: Record<string, unknown> = {};
    while (!w.done) {
      const k = w.shift();
      if (['limit', 'min', 'max', 'avpkt', 'bandwidth'].includes(k)) o[k] = w.value(k);
      else if (k === 'burst') o.burst = w.uint(k, w.value(k));
      else if (k === 'probability') {
        const v = w.value(k);
        if (!/^\d*\.?\d+$/.test(v)) throw w.invalid(k, v, 'expected a probability such as 0.02');
        o.probability = Number(v);
      } else if (['ecn', 'harddrop', 'adaptive', 'nodrop'].includes(k)) o[k] = true;
      else throw w.usage(`what is "${k}"? (an option of red)`);
    }
    return o as unknown as QdiscKindOptions['red'];
  },
});
