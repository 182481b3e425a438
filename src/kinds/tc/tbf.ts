/** The tbf qdisc. Equivalent to: tc qdisc ... tbf [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import { rateOf, sizeOf, timeOf } from '../../codec/tc/parse.js';
import { ValidationError } from '../../errors.js';
import { defineTcKind, U32_MAX, intIn, need, ratespec, xmittime, type QdiscKindOptions } from './common.js';

export default defineTcKind<QdiscKindOptions['tbf']>({
  kind: 'tbf',
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
});
