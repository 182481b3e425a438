/** htb classes. Equivalent to: tc class ... htb rate R [ceil C] [burst B] [cburst B] [prio N] [quantum N] [mtu M] */
import { qdiscOptionCases } from '../../../codec/tc/qdisc.js';
import { rateOf, sizeOf } from '../../../codec/tc/parse.js';
import { ValidationError } from '../../../errors.js';
import type { Json } from '../../json.js';
import {
  defineTcKind,
  intIn,
  keywordOptions,
  need,
  ratespec,
  rateText,
  sizeText,
  u32Of,
  U32_MAX,
  xmitsize,
  xmittime,
  type HtbClassOptions,
} from '../common.js';

export default defineTcKind<HtbClassOptions>({
  kind: 'htb',
  keys: ['rate', 'ceil', 'burst', 'cburst', 'prio', 'quantum', 'mtu', 'mpu', 'overhead'],
  data: qdiscOptionCases.htb,
  // With tc's default buffers: a rate's worth of HZ plus the MTU.
  toAttrs: (o, { clock: ps, field: f }) => {
    need(o.rate, `${f}.rate`);
    const rate = rateOf(o.rate, `${f}.rate`);
    if (rate === 0n) throw new ValidationError(`${f}.rate`, 'must be above zero', o.rate);
    const ceil = o.ceil === undefined ? rate : rateOf(o.ceil, `${f}.ceil`);
    const mtu = o.mtu === undefined ? 1600 : sizeOf(o.mtu, `${f}.mtu`);
    const mpu = o.mpu === undefined ? 0 : sizeOf(o.mpu, `${f}.mpu`);
    const overhead = o.overhead === undefined ? undefined : intIn(o.overhead, 0, 0xffff, `${f}.overhead`);
    const buffer = o.burst === undefined ? Number(rate) / ps.hz + mtu : sizeOf(o.burst, `${f}.burst`);
    const cbuffer = o.cburst === undefined ? Number(ceil) / ps.hz + mtu : sizeOf(o.cburst, `${f}.cburst`);
    return {
      ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
      ...(ceil > BigInt(U32_MAX) ? { ceil64: ceil } : {}),
      parms: {
        ...ratespec('rate', rate, { mpu, overhead }),
        ...ratespec('ceil', ceil, { mpu, overhead }),
        buffer: xmittime(rate, buffer, ps),
        cbuffer: xmittime(ceil, cbuffer, ps),
        quantum: intIn(o.quantum ?? 0, 0, U32_MAX, `${f}.quantum`),
        level: 0,
        prio: intIn(o.prio ?? 0, 0, 7, `${f}.prio`),
      },
    };
  },
  json: (options, { clock: ps }) => {
    const p = options.parms;
    const o: Json = {};
    if (!p) return o;
    if (!p.level) o.prio = p.prio;
    const rate = Number(options.rate64 ?? BigInt(p.rate ?? 0));
    const ceil = Number(options.ceil64 ?? BigInt(p.ceil ?? 0));
    o.rate = rate;
    o.ceil = ceil;
    o.burst = u32Of(xmitsize(rate, p.buffer ?? 0, ps));
    o.cburst = u32Of(xmitsize(ceil, p.cbuffer ?? 0, ps));
    return o;
  },
  text: (j) => {
    if (j.rate === undefined) return '';
    let s = j.prio !== undefined ? `prio ${j.prio} ` : '';
    s += `rate ${rateText(j.rate as number)} ceil ${rateText(j.ceil as number)} burst ${sizeText(j.burst as number)} cburst ${sizeText(j.cburst as number)} `;
    return s;
  },
  xstatsText: (x) =>
    x && !('$raw' in x)
      ? [` lended: ${x.lends} borrowed: ${x.borrows} giants: ${x.giants}`, ` tokens: ${x.tokens} ctokens: ${x.ctokens}`]
      : [],
  parseArgs: (w) => {
    const o = keywordOptions(w, 'htb class', {
      rate: 'str',
      ceil: 'str',
      burst: 'str',
      buffer: 'str',
      maxburst: 'str',
      cburst: 'str',
      cbuffer: 'str',
      cmaxburst: 'str',
      prio: 'num',
      quantum: 'num',
      mtu: 'str',
      mpu: 'str',
      overhead: 'num',
    });
    for (const [alias, to] of [
      ['buffer', 'burst'],
      ['maxburst', 'burst'],
      ['cbuffer', 'cburst'],
      ['cmaxburst', 'cburst'],
    ] as const) {
      if (o[alias] !== undefined) o[to] = o[alias];
      delete o[alias];
    }
    return o as unknown as HtbClassOptions;
  },
});
