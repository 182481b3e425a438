/**
 * The flower filter. Equivalent to: tc filter ... flower [src_ip PREFIX] [dst_ip PREFIX]
 * [ip_proto tcp|udp|N] [src_port N] [dst_port N] [classid ID]
 */
import * as C from '../../../codec/constants/index.js';
import { filterOptionCases } from '../../../codec/tc/cls.js';
import { parseClassid } from '../../../codec/tc/parse.js';
import { defineFilterKind, hexHandle, keywordOptions } from '../common.js';

/** flower keys, by the codec's field names (keyIpv4Dst, keyIpProto, keyTcpDst, ...). Equivalent to: tc filter ... flower [src_ip P] [dst_ip P] [ip_proto X] [src_port N] [dst_port N] */
export type FlowerFilterOptions = Record<string, unknown>;

function maskText(bits: number, v6: boolean): string {
  if (!v6)
    return [0, 1, 2, 3]
      .map((i) => Math.max(0, Math.min(8, bits - i * 8)))
      .map((b) => (0xff << (8 - b)) & 0xff)
      .join('.');
  const groups: string[] = [];
  for (let i = 0; i < 8; i++)
    groups.push((((0xffff << (16 - Math.max(0, Math.min(16, bits - i * 16)))) & 0xffff) >>> 0).toString(16));
  return groups.join(':');
}

export default defineFilterKind<FlowerFilterOptions>({
  kind: 'flower',
  data: filterOptionCases.flower,
  // tc puts the filter's protocol into the flow key too.
  toAttrs: (fl, ctx) => ({
    options: { ...(ctx.protocol !== C.ETH_P_ALL ? { keyEthType: ctx.protocol } : {}), ...(fl ?? {}) },
    handle: ctx.handle === undefined ? 0 : hexHandle(ctx.handle),
  }),
  parseArgs: (w) => {
    const o = keywordOptions(w, 'flower', {
      src_ip: 'str',
      dst_ip: 'str',
      ip_proto: 'str',
      src_port: 'num',
      dst_port: 'num',
      classid: 'str',
      flowid: 'str',
    });
    const fl: Record<string, unknown> = {};
    const ipProto =
      o.ip_proto === 'tcp'
        ? 6
        : o.ip_proto === 'udp'
          ? 17
          : o.ip_proto === undefined
            ? undefined
            : w.uint('ip_proto', String(o.ip_proto), 255);
    for (const [key, attr] of [
      ['src_ip', 'Src'],
      ['dst_ip', 'Dst'],
    ] as const) {
      const v = o[key] as string | undefined;
      if (v === undefined) continue;
      const [addr, len] = v.split('/');
      const v6 = addr!.includes(':');
      const bits = len === undefined ? (v6 ? 128 : 32) : w.uint(key, len, v6 ? 128 : 32);
      fl[`keyIpv${v6 ? 6 : 4}${attr}`] = addr;
      fl[`keyIpv${v6 ? 6 : 4}${attr}Mask`] = maskText(bits, v6);
    }
    if (ipProto !== undefined) fl.keyIpProto = ipProto;
    const l4 = ipProto === 17 ? 'Udp' : 'Tcp';
    if (o.src_port !== undefined) fl[`key${l4}Src`] = o.src_port;
    if (o.dst_port !== undefined) fl[`key${l4}Dst`] = o.dst_port;
    if (o.classid ?? o.flowid) fl.classid = parseClassid(String(o.classid ?? o.flowid), 'classid');
    fl.flags = 0;
    return fl;
  },
});
