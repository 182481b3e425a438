/**
 * Traffic-control messages: qdiscs, classes, filters and chains (struct tcmsg + TCA_*), and
 * standalone actions (struct tcamsg + TCA_ROOT_*). TCA_OPTIONS and TCA_XSTATS are chosen by
 * TCA_KIND, as IFLA_INFO_DATA is by IFLA_INFO_KIND; the per-kind sets live in qdisc.ts, cls.ts
 * and act.ts, the per-kind statistics in xstats.ts.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, nest, nestBy, type SetValues } from '../schema.js';
import { actionRootAttrs } from './act.js';
import { filterOptionCases } from './cls.js';
import { bitfield32, gnetStatsAttrs, stabAttrs, tcamsg, tcEstimator, tcmsg, tcStats } from './common.js';
import { qdiscOptionCases } from './qdisc.js';
import { tcXstatsCases } from './xstats.js';

/** The TCA_* attributes every tcmsg carries, with kind-selected options and xstats. */
function tcAttrs<
  const O extends Record<string, import('../schema.js').Kind>,
  const X extends Record<string, import('../schema.js').Kind>,
>(options: O, xstats: X) {
  return attrs('TCA', {
    kind: [C.TCA_KIND, 'string'],
    options: [C.TCA_OPTIONS, nestBy('kind', options)],
    stats: [C.TCA_STATS, tcStats],
    xstats: [C.TCA_XSTATS, nestBy('kind', xstats)],
    rate: [C.TCA_RATE, tcEstimator],
    fcnt: [C.TCA_FCNT, 'u32'],
    stats2: [C.TCA_STATS2, nest(gnetStatsAttrs)],
    stab: [C.TCA_STAB, nest(stabAttrs)],
    pad: [C.TCA_PAD, 'binary'],
    dumpInvisible: [C.TCA_DUMP_INVISIBLE, 'flag'],
    chain: [C.TCA_CHAIN, 'u32'],
    hwOffload: [C.TCA_HW_OFFLOAD, 'u8'],
    ingressBlock: [C.TCA_INGRESS_BLOCK, 'u32'],
    egressBlock: [C.TCA_EGRESS_BLOCK, 'u32'],
    dumpFlags: [C.TCA_DUMP_FLAGS, bitfield32],
    extWarnMsg: [C.TCA_EXT_WARN_MSG, 'string'],
  });
}

/** Qdisc and class attributes (RTM_*QDISC, RTM_*TCLASS). */
export const qdiscAttrs = tcAttrs(qdiscOptionCases, tcXstatsCases);
export type QdiscAttrs = SetValues<typeof qdiscAttrs>;
/** Filter and chain attributes (RTM_*TFILTER, RTM_*CHAIN). */
export const filterAttrs = tcAttrs(filterOptionCases, {});
export type FilterAttrs = SetValues<typeof filterAttrs>;

export const qdiscMessages: MessageDef = {
  family: 'qdisc',
  types: {
    [C.RTM_NEWQDISC]: 'RTM_NEWQDISC',
    [C.RTM_DELQDISC]: 'RTM_DELQDISC',
    [C.RTM_GETQDISC]: 'RTM_GETQDISC',
  },
  header: tcmsg,
  attrs: qdiscAttrs,
};
export const classMessages: MessageDef = {
  family: 'class',
  types: {
    [C.RTM_NEWTCLASS]: 'RTM_NEWTCLASS',
    [C.RTM_DELTCLASS]: 'RTM_DELTCLASS',
    [C.RTM_GETTCLASS]: 'RTM_GETTCLASS',
  },
  header: tcmsg,
  attrs: qdiscAttrs,
};
export const filterMessages: MessageDef = {
  family: 'filter',
  types: {
    [C.RTM_NEWTFILTER]: 'RTM_NEWTFILTER',
    [C.RTM_DELTFILTER]: 'RTM_DELTFILTER',
    [C.RTM_GETTFILTER]: 'RTM_GETTFILTER',
  },
  header: tcmsg,
  attrs: filterAttrs,
};
export const chainMessages: MessageDef = {
  family: 'chain',
  types: {
    [C.RTM_NEWCHAIN]: 'RTM_NEWCHAIN',
    [C.RTM_DELCHAIN]: 'RTM_DELCHAIN',
    [C.RTM_GETCHAIN]: 'RTM_GETCHAIN',
  },
  header: tcmsg,
  attrs: filterAttrs,
};
export const actionMessages: MessageDef = {
  family: 'action',
  types: {
    [C.RTM_NEWACTION]: 'RTM_NEWACTION',
    [C.RTM_DELACTION]: 'RTM_DELACTION',
    [C.RTM_GETACTION]: 'RTM_GETACTION',
  },
  header: tcamsg,
  attrs: actionRootAttrs,
};

export * from './common.js';
export * from './qdisc.js';
export * from './cls.js';
export * from './act.js';
export * from './xstats.js';
