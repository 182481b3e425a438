/** The macvlan link kind (macvtap.ts reuses it). IFLA_INFO_DATA (IFLA_MACVLAN_*), per macvlan_policy and macvlan_fill_info in drivers/net/macvlan.c. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs, multi, nest, type SetValues } from '../../codec/schema.js';
import { put, type Json } from '../json.js';
import { defineLinkKind } from './kind.js';

/** IFLA_MACVLAN_MACADDR_DATA: the source-mode address list, one IFLA_MACVLAN_MACADDR per address. */
export const macvlanMacaddrData = attrs('IFLA_MACVLAN', {
  macaddr: [C.IFLA_MACVLAN_MACADDR, multi('mac')],
});

export const macvlanData = attrs('IFLA_MACVLAN', {
  mode: [C.IFLA_MACVLAN_MODE, 'u32', { enum: enumOf('MACVLAN_MODE_') }],
  // MACVLAN_FLAG_* bits.
  flags: [C.IFLA_MACVLAN_FLAGS, 'u16'],
  // Request only: what to do with MACADDR / MACADDR_DATA in source mode.
  macaddrMode: [C.IFLA_MACVLAN_MACADDR_MODE, 'u32', { enum: enumOf('MACVLAN_MACADDR_') }],
  macaddr: [C.IFLA_MACVLAN_MACADDR, 'mac'],
  macaddrData: [C.IFLA_MACVLAN_MACADDR_DATA, nest(macvlanMacaddrData)],
  macaddrCount: [C.IFLA_MACVLAN_MACADDR_COUNT, 'u32'],
  bcQueueLen: [C.IFLA_MACVLAN_BC_QUEUE_LEN, 'u32'],
  bcQueueLenUsed: [C.IFLA_MACVLAN_BC_QUEUE_LEN_USED, 'u32'],
  // Linux 6.7+: more multicast addresses than this are delivered unqueued (-1: never).
  bcCutoff: [C.IFLA_MACVLAN_BC_CUTOFF, 's32'],
});

/** ip's macvlan modes. */
export const MACVLAN_MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'] as const;
export type MacvlanMode = (typeof MACVLAN_MODES)[number];
const MODE_NUMBER: Record<MacvlanMode, number> = {
  private: C.MACVLAN_MODE_PRIVATE,
  vepa: C.MACVLAN_MODE_VEPA,
  bridge: C.MACVLAN_MODE_BRIDGE,
  passthru: C.MACVLAN_MODE_PASSTHRU,
  source: C.MACVLAN_MODE_SOURCE,
};
/** The mode as decoded ('BRIDGE', or a number for several bits) -> ip's word, or the number. */
function modeWord(v: unknown): MacvlanMode | number | undefined {
  if (typeof v === 'string') return v.toLowerCase() as MacvlanMode;
  const hit = MACVLAN_MODES.find((m) => MODE_NUMBER[m] === v);
  return hit ?? (typeof v === 'number' ? v : undefined);
}

/** macvlan and macvtap options. Equivalent to: ip link add NAME link DEV type macvlan mode MODE [nopromisc] [bcqueuelen N] */
export interface MacvlanOptions {
  /** ip's word; a number only for a combination of mode bits read back from the kernel. */
  mode?: MacvlanMode | number;
  /** passthru mode: do not put the lower device in promiscuous mode (MACVLAN_FLAG_NOPROMISC). */
  nopromisc?: boolean;
  /** Length of the broadcast/multicast queue (ip's bcqueuelen). */
  bcQueueLen?: number;
  /** Multicast addresses beyond this many are delivered unqueued (-1: never). Linux 6.7+, ip's bc_cutoff. */
  bcCutoff?: number;
}

type MacvlanAttrs = SetValues<typeof macvlanData>;

function macvlanJson(d: Record<string, any>): Json {
  const j: Json = {};
  const mode = modeWord(d.mode);
  if (mode !== undefined) j.mode = String(mode);
  if ((d.flags ?? 0) & C.MACVLAN_FLAG_NOPROMISC) j.nopromisc = true;
  put(j, 'bcqueuelen', d.bcQueueLen);
  put(j, 'usedbcqueuelen', d.bcQueueLenUsed);
  return j;
}

/** The macvlan plugin; macvtap.ts is the same with another kind name. */
export const macvlanKind = <const K extends string>(kind: K) =>
  defineLinkKind<MacvlanOptions, MacvlanAttrs>()({
    kind,
    optionKey: 'macvlan',
    data: macvlanData,
    schema: (z, v) =>
      z
        .object({
          mode: z.union([z.enum(MACVLAN_MODES), v.u32]).optional(),
          nopromisc: z.boolean().optional(),
          bcQueueLen: v.u32.optional(),
          bcCutoff: z.number().int().min(-1).max(0x7fffffff).optional(),
        })
        .strict(),
    toAttrs(o) {
      const d: MacvlanAttrs = {};
      if (o.mode !== undefined) d.mode = typeof o.mode === 'number' ? o.mode : MODE_NUMBER[o.mode];
      if (o.nopromisc !== undefined) d.flags = o.nopromisc ? C.MACVLAN_FLAG_NOPROMISC : 0;
      if (o.bcQueueLen !== undefined) d.bcQueueLen = o.bcQueueLen;
      if (o.bcCutoff !== undefined) d.bcCutoff = o.bcCutoff;
      return d;
    },
    fromAttrs(d) {
      const o: MacvlanOptions = {};
      const mode = modeWord(d.mode);
      if (mode !== undefined) o.mode = mode;
      if (d.flags !== undefined) o.nopromisc = (d.flags & C.MACVLAN_FLAG_NOPROMISC) !== 0;
      if (d.bcQueueLen !== undefined) o.bcQueueLen = d.bcQueueLen;
      if (d.bcCutoff !== undefined) o.bcCutoff = d.bcCutoff;
      return o;
    },
    json: macvlanJson,
    parseArgs(w) {
      const o: MacvlanOptions = {};
      while (!w.done) {
        const k = w.shift();
        if (k === 'mode') o.mode = w.value(k) as MacvlanMode;
        else if (k === 'nopromisc') o.nopromisc = true;
        else if (k === 'bcqueuelen') o.bcQueueLen = w.uint(k, w.value(k));
        else if (k === 'bc_cutoff') {
          const val = w.value(k);
          o.bcCutoff = val === '-1' ? -1 : w.uint(k, val, 0x7fffffff);
        } else throw w.usage(`unknown ${kind} option "${k}"`);
      }
      return Object.keys(o).length ? o : undefined;
    },
    usage: `ARGS for ${kind}: mode {private|vepa|bridge|passthru|source} [nopromisc] [bcqueuelen N] [bc_cutoff N]`,
  });

export default macvlanKind('macvlan');
