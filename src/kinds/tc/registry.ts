/**
 * The tc kinds rtnl builds, one file each: qdiscs in this directory, class options in class/,
 * filters in filter/, actions in action/. Kept by hand; test/ops/tc-kinds.test.ts checks that
 * every kind file is listed here and every entry is a kind file of its name.
 */
import type { QdiscKindOptions, TcKindPlugin } from './common.js';
import pfifo from './pfifo.js';
import bfifo from './bfifo.js';
import pfifo_fast from './pfifo_fast.js';
import prio from './prio.js';
import tbf from './tbf.js';
import htb from './htb.js';
import netem from './netem.js';
import fq_codel from './fq_codel.js';
import fq from './fq.js';
import sfq from './sfq.js';
import cake from './cake.js';
import red from './red.js';
import mq from './mq.js';
import ingress from './ingress.js';
import clsact from './clsact.js';
import noqueue from './noqueue.js';
import htbClass from './class/htb.js';
import u32 from './filter/u32.js';
import bpf from './filter/bpf.js';
import flower from './filter/flower.js';
import matchall from './filter/matchall.js';
import mirred from './action/mirred.js';
import gact from './action/gact.js';
import police from './action/police.js';

/** Each qdisc kind's plugin, by TCA_KIND. */
export const qdiscKinds: { [K in keyof QdiscKindOptions]: TcKindPlugin<QdiscKindOptions[K]> } = {
  pfifo,
  bfifo,
  pfifo_fast,
  prio,
  tbf,
  htb,
  netem,
  fq_codel,
  fq,
  sfq,
  cake,
  red,
  mq,
  ingress,
  clsact,
  noqueue,
};

/**
 * The printer of a qdisc kind: its plugin, or for pfifo_head_drop, which rtnl does not build,
 * pfifo's JSON (tc prints its limit with -j only).
 */
export function qdiscPrinter(
  kind: string,
): Pick<TcKindPlugin<unknown>, 'json' | 'text' | 'xstatsJson' | 'xstatsText'> | undefined {
  if (kind === 'pfifo_head_drop') return { json: pfifo.json };
  return Object.hasOwn(qdiscKinds, kind)
    ? (qdiscKinds[kind as keyof QdiscKindOptions] as TcKindPlugin<unknown>)
    : undefined;
}

/** Each class kind's plugin (its options, TCA_OPTIONS of a class), by TCA_KIND: src/kinds/tc/class/KIND.ts. */
export const classKinds = {
  htb: htbClass,
} as const;

/** Each filter kind's plugin, by TCA_KIND: src/kinds/tc/filter/KIND.ts. */
export const filterKinds = {
  u32,
  bpf,
  flower,
  matchall,
} as const;

/** Each action kind's plugin, by TCA_ACT_KIND: src/kinds/tc/action/KIND.ts. */
export const actionKinds = {
  mirred,
  gact,
  police,
} as const;
