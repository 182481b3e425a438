/** The tbf qdisc. Equivalent to: tc qdisc ... tbf [OPTIONS] */
import type { Json } from '../json.js';
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, sizeOf, timeOf } from '../../codec/tc/parse.js';
import { ValidationError } from '../../errors.js';
import {
  defineTcKind,
  U32_MAX,
  intIn,
  need,
  ratespec,
  xmittime,
  keywordOptions,
  rateText,
  sizeText,
  timeText,
  tick2time,
  u32Of,
  xmitsize,
  type QdiscKindOptions,
} from './common.js';

export default defineTcKind<QdiscKindOptions['tbf']>({
  kind: 'tbf',
  keys: ['rate', 'burst', 'limit', 'latency', 'peakrate', 'mtu', 'mpu', 'overhead'],
  data: qdiscOptionCases.tbf,
  toAttrs: (o, { clock: ps, field: f }) => {
    need(o.rate, `${f}.rate`);
    need(o.burst, `${f}.burst`);
    const rate = rateOf(o.rate, `${f}.rate`);
    const burst = sizeOf(o.burst, `${f}.burst`);
    if (rate === 0n) throw new ValidationError(`${f}.rate`, 'must be above zero', o.rate);
    if ((o.limit === undefined) === (o.latency === undefined))
      throw new ValidationError(`${f}.limit`, 'give exactly one of limit and latency', o);
    const peak = o.peakrate === undefined ? undefined : rateOf(o.peakrate, `${f}.peakrate`);
    const mtu = o.mtu === undefined ? 0 : sizeOf(o.mtu, `${f}.mtu`);
    if (peak !== undefined && mtu === 0) throw new ValidationError(`${f}.mtu`, 'peakrate needs mtu', o);
    const mpu = o.mpu === undefined ? 0 : sizeOf(o.mpu, `${f}.mpu`);
    const overhead = o.overhead === undefined ? undefined : intIn(o.overhead, 0, 0xffff, `${f}.overhead`);
    let limit: number;
    if (o.limit !== undefined) limit = sizeOf(o.limit, `${f}.limit`);
    else {
      const lat = timeOf(o.latency!, `${f}.latency`);
      let lim = (Number(rate) * lat) / 1e6 + burst;
      if (peak !== undefined) lim = Math.min(lim, (Number(peak) * lat) / 1e6 + mtu);
      limit = Math.min(U32_MAX, Math.floor(lim));
    }
    const parms = {
      ...ratespec('rate', rate, { mpu, overhead }),
      ...(peak === undefined
        ? ratespec('peakrate', 0n, { cellLog: 0 })
        : ratespec('peakrate', peak, { mpu, overhead })),
      limit,
      buffer: xmittime(rate, burst, ps),
      mtu: peak === undefined ? 0 : xmittime(peak, mtu, ps),
    };
    if (peak === undefined) Object.assign(parms, { peakrateLinklayer: 0, peakrateCellAlign: 0 });
    return {
      parms,
      burst,
      ...(rate > BigInt(U32_MAX) ? { rate64: rate } : {}),
      ...(peak !== undefined ? { pburst: mtu } : {}),
      ...(peak !== undefined && peak > BigInt(U32_MAX) ? { prate64: peak } : {}),
    };
  },
  json: (options, { clock: ps }) => {
    const o: Json = {};
    const p = options.parms;
    if (!p) return o;
    const rate = Number(options.rate64 ?? BigInt(p.rate ?? 0));
    o.rate = rate;
    o.burst = u32Of(xmitsize(rate, p.buffer ?? 0, ps));
    const prate = Number(options.prate64 ?? BigInt(p.peakrate ?? 0));
    if (prate && (p.mtu || p.peakrateMpu)) o.minburst = u32Of(xmitsize(prate, p.mtu ?? 0, ps));
    let lat = 1e6 * ((p.limit ?? 0) / rate) - tick2time(p.buffer ?? 0, ps);
    if (prate) {
      const lat2 = 1e6 * ((p.limit ?? 0) / prate) - tick2time(p.mtu ?? 0, ps);
      if (lat2 > lat) lat = lat2;
    }
    if (lat >= 0) o.lat = Math.floor(lat);
    else o.limit = p.limit;
    return o;
  },
  text: (j) => {
    let s = `rate ${rateText(j.rate as number)} burst ${sizeText(j.burst as number)} `;
    if (j.lat !== undefined) s += `lat ${timeText(j.lat as number)} `;
    if (j.limit !== undefined) s += `limit ${sizeText(j.limit as number)} `;
    return s;
  },
  parseArgs: (w) => {
    const o = keywordOptions(w, 'tbf', {
      rate: 'str',
      burst: 'str',
      buffer: 'str',
      maxburst: 'str',
      latency: 'str',
      limit: 'str',
      peakrate: 'str',
      mtu: 'str',
      minburst: 'str',
      mpu: 'str',
      overhead: 'num',
    });
    for (const alias of ['buffer', 'maxburst']) if (o[alias] !== undefined) o.burst = o[alias];
    if (o.minburst !== undefined) o.mtu = o.minburst;
    delete o.buffer;
    delete o.maxburst;
    delete o.minburst;
    return o as unknown as QdiscKindOptions['tbf'];
  },
});
