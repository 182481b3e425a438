/** The police action. Equivalent to: action police rate R burst B [mtu M] [conform-exceed VERDICT] [index N] */
import { actionOptionCases } from '../../../codec/tc/act.js';
import { rateOf, sizeOf } from '../../../codec/tc/parse.js';
import {
  defineActionKind,
  need,
  ratespec,
  rateTable,
  U32_MAX,
  verdict,
  VERDICT_WORDS,
  xmittime,
  type Num,
  type Verdict,
} from '../common.js';

/** police: a token bucket. Equivalent to: action police rate R burst B [mtu M] [conform-exceed (drop|pass|...)] */
export interface PoliceAction {
  kind: 'police';
  rate: number | bigint | string;
  burst: Num;
  mtu?: Num;
  exceed?: Verdict;
  index?: number;
}

export default defineActionKind<PoliceAction>({
  kind: 'police',
  keys: ['kind', 'rate', 'burst', 'mtu', 'exceed', 'index'],
  data: actionOptionCases.police,
  // The kernel refuses police without a rate table, so this one is computed as tc does.
  toAttrs: (a, { index, clock: ps, field: f }) => {
    need(a.rate, `${f}.rate`);
    need(a.burst, `${f}.burst`);
    const rate = rateOf(a.rate, `${f}.rate`);
    const burst = sizeOf(a.burst, `${f}.burst`);
    const mtu = a.mtu === undefined ? 0 : sizeOf(a.mtu, `${f}.mtu`);
    const { table, cellLog } = rateTable(rate, mtu, 0, ps);
    return {
      tbf: {
        index,
        action: verdict(a.exceed ?? 'drop', `${f}.exceed`),
        limit: 0,
        burst: xmittime(rate, burst, ps),
        mtu,
        ...ratespec('rate', rate, { cellLog }),
        ...ratespec('peakrate', 0n, { cellLog: 0 }),
        peakrateLinklayer: 0,
        peakrateCellAlign: 0,
        refcnt: 0,
        bindcnt: 0,
        capab: 0,
      },
      rate: table,
      ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
    };
  },
  parseArgs: (w) => {
    const spec: Record<string, unknown> = { kind: 'police' };
    while (!w.done && w.peek() !== 'action') {
      const k = w.shift();
      if (k === 'rate' || k === 'burst' || k === 'mtu') spec[k] = w.value(k);
      else if (k === 'buffer' || k === 'maxburst') spec.burst = w.value(k);
      else if (k === 'index') spec.index = w.uint(k, w.value(k));
      else if (k === 'conform-exceed') spec.exceed = w.value(k).split('/')[0];
      else if (VERDICT_WORDS.includes(k)) spec.exceed = k;
      else throw w.usage(`what is "${k}"? (an option of police)`);
    }
    return spec as unknown as PoliceAction;
  },
});
