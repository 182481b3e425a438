/**
 * Actions (pkt_cls.h, tc_act/*.h): one action is a nest of TCA_ACT_* whose TCA_ACT_OPTIONS is
 * chosen by TCA_ACT_KIND; a list of actions (TCA_ACT_TAB, a filter's *_ACT) is a nest whose
 * attribute N is the N-th action. Requests number them from 1, action dumps from 0.
 */
import { DecodeError, EncodeError } from '../../errors.js';
import { compileSet, type CompiledSet } from '../compile.js';
import * as C from '../constants/index.js';
import { attrs, custom, nest, nestBy, struct, type CustomDef, type Kind, type SetValues } from '../schema.js';
import type { Writer } from '../writer.js';
import { bitfield32, gnetStatsAttrs, ratespecFields } from './common.js';

/** The fields every action's parameters start with (the `tc_gen` macro). */
const tcGen = [
  ['index', 'u32'],
  ['capab', 'u32'],
  ['action', 's32'],
  ['refcnt', 's32'],
  ['bindcnt', 's32'],
] as const;

/** struct tcf_t: install, last use, expiry and first use, in jiffies (clock_t in dumps). */
export const tcfT = struct(
  'tcf_t',
  [
    ['install', 'u64'],
    ['lastuse', 'u64'],
    ['expires', 'u64'],
    ['firstuse', 'u64'],
  ],
  32,
);

/** struct tc_mirred: `eaction` is TCA_EGRESS_REDIR, TCA_EGRESS_MIRROR, TCA_INGRESS_REDIR or TCA_INGRESS_MIRROR. */
export const tcMirred = struct('tc_mirred', [...tcGen, ['eaction', 's32'], ['ifindex', 'u32']], 28);
export const mirredAttrs = attrs('TCA_MIRRED', {
  tm: [C.TCA_MIRRED_TM, tcfT],
  parms: [C.TCA_MIRRED_PARMS, tcMirred],
  pad: [C.TCA_MIRRED_PAD, 'binary'],
  // Mirror or redirect to a shared block's devices instead of one device (6.10+).
  blockid: [C.TCA_MIRRED_BLOCKID, 'u32'],
});

/** struct tc_gact: the verdict is `action` (TC_ACT_*). */
export const tcGact = struct('tc_gact', [...tcGen], 20);
/** struct tc_gact_p: a random or deterministic second verdict. */
export const tcGactP = struct(
  'tc_gact_p',
  [
    ['ptype', 'u16'],
    ['pval', 'u16'],
    ['paction', 's32'],
  ],
  8,
);
export const gactAttrs = attrs('TCA_GACT', {
  tm: [C.TCA_GACT_TM, tcfT],
  parms: [C.TCA_GACT_PARMS, tcGact],
  prob: [C.TCA_GACT_PROB, tcGactP],
  pad: [C.TCA_GACT_PAD, 'binary'],
});

/** struct tc_police (TCA_POLICE_TBF). */
export const tcPolice = struct(
  'tc_police',
  [
    ['index', 'u32'],
    ['action', 's32'],
    ['limit', 'u32'],
    ['burst', 'u32'],
    ['mtu', 'u32'],
    ...ratespecFields('rate'),
    ...ratespecFields('peakrate'),
    ['refcnt', 's32'],
    ['bindcnt', 's32'],
    ['capab', 'u32'],
  ],
  56,
);
export const policeAttrs = attrs('TCA_POLICE', {
  tbf: [C.TCA_POLICE_TBF, tcPolice],
  rate: [C.TCA_POLICE_RATE, 'binary'],
  peakrate: [C.TCA_POLICE_PEAKRATE, 'binary'],
  avrate: [C.TCA_POLICE_AVRATE, 'u32'],
  result: [C.TCA_POLICE_RESULT, 'u32'],
  tm: [C.TCA_POLICE_TM, tcfT],
  pad: [C.TCA_POLICE_PAD, 'binary'],
  rate64: [C.TCA_POLICE_RATE64, 'u64'],
  peakrate64: [C.TCA_POLICE_PEAKRATE64, 'u64'],
  pktrate64: [C.TCA_POLICE_PKTRATE64, 'u64'],
  pktburst64: [C.TCA_POLICE_PKTBURST64, 'u64'],
});

/** TCA_ACT_OPTIONS by TCA_ACT_KIND. */
export const actionOptionCases = {
  mirred: nest(mirredAttrs),
  gact: nest(gactAttrs),
  police: nest(policeAttrs),
} as const satisfies Record<string, Kind>;

/** One action: TCA_ACT_*. tc sends TCA_ACT_OPTIONS with NLA_F_NESTED. */
export const actionAttrs = attrs('TCA_ACT', {
  kind: [C.TCA_ACT_KIND, 'string'],
  options: [C.TCA_ACT_OPTIONS, nestBy('kind', actionOptionCases), { nestedFlag: true }],
  index: [C.TCA_ACT_INDEX, 'u32'],
  stats: [C.TCA_ACT_STATS, nest(gnetStatsAttrs)],
  pad: [C.TCA_ACT_PAD, 'binary'],
  cookie: [C.TCA_ACT_COOKIE, 'binary'],
  flags: [C.TCA_ACT_FLAGS, bitfield32],
  hwStats: [C.TCA_ACT_HW_STATS, bitfield32],
  usedHwStats: [C.TCA_ACT_USED_HW_STATS, bitfield32],
  inHwCount: [C.TCA_ACT_IN_HW_COUNT, 'u32'],
});
export type ActionAttrs = SetValues<typeof actionAttrs>;

/**
 * Where an action sat in its list, when that differs from "attribute N+1 for element N, no
 * flags" (dumps number from 0). Non-enumerable, so it never shows in a printed or compared value.
 */
export const ACTION_SLOT: unique symbol = Symbol('rtnl.tc.actionSlot');
interface Slot {
  type: number;
}

const NLA_TYPE_MASK = 0x3fff;

/** A list of actions: attribute N of the nest is the N-th action, itself a nest of TCA_ACT_*. */
export const actionList: CustomDef<ActionAttrs[]> = (() => {
  let set: CompiledSet | undefined;
  const actSet = () => (set ??= compileSet(actionAttrs));
  return custom<ActionAttrs[]>({
    name: 'tc-action[]',
    decode(buf, view, at, len, path) {
      const s = actSet();
      const out: ActionAttrs[] = [];
      const end = at + len;
      let pos = at;
      while (pos < end) {
        const p = `${path}[${out.length}]`;
        if (end - pos < 4) throw new DecodeError(`${end - pos} stray bytes after the last action`, pos, p);
        const alen = view.getUint16(pos, true);
        const type = view.getUint16(pos + 2, true);
        if (alen < 4 || alen > end - pos) throw new DecodeError(`action length ${alen} out of range`, pos, p);
        const a = s.decode(buf, view, pos + 4, pos + alen, p) as ActionAttrs;
        if (type !== out.length + 1) Object.defineProperty(a, ACTION_SLOT, { value: { type } satisfies Slot });
        out.push(a);
        pos += (alen + 3) & ~3;
      }
      return out;
    },
    encode(w: Writer, v, path) {
      if (!Array.isArray(v)) throw new EncodeError('expected an array of actions', path);
      const s = actSet();
      v.forEach((a, i) => {
        const slot = (a as { [ACTION_SLOT]?: Slot })[ACTION_SLOT];
        const type = slot ? slot.type : i + 1;
        if (!slot && (i + 1) & ~NLA_TYPE_MASK) throw new EncodeError('too many actions', path);
        const start = w.beginAttr(type, String(i));
        s.encode(w, a as Record<string, unknown>, `${path}[${i}]`);
        w.endAttr(start);
      });
    },
  });
})();

/** The message attributes of RTM_NEWACTION / RTM_DELACTION / RTM_GETACTION (TCA_ROOT_*). */
export const actionRootAttrs = attrs('TCA_ROOT', {
  tab: [C.TCA_ROOT_TAB, actionList],
  flags: [C.TCA_ROOT_FLAGS, bitfield32],
  count: [C.TCA_ROOT_COUNT, 'u32'],
  timeDelta: [C.TCA_ROOT_TIME_DELTA, 'u32'],
  extWarnMsg: [C.TCA_ROOT_EXT_WARN_MSG, 'string'],
});
export type ActionRootAttrs = SetValues<typeof actionRootAttrs>;
