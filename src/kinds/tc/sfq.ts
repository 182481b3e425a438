/** The sfq qdisc. Equivalent to: tc qdisc ... sfq [OPTIONS] */
import { qdiscOptionCases } from '../../codec/tc/qdisc.js';
import * as C from '../../codec/constants/index.js';
import type { Json } from '../json.js';
import { defineTcKind, U32_MAX, gText, intIn, keywordOptions, sizeText, type QdiscKindOptions } from './common.js';

/*
 * Printing follows iproute2 6.1's tc/q_sfq.c (sfq_print_opt, sfq_print_xstats), checked against
 * the format strings of the tc 6.1 binary: limit and quantum, depth and headdrop when set,
 * divisor, perturb when set, and with a RED flow limit its ewma, min, max, probability and flags.
 * `flows` is printed with -d only and the RED counters with -s inside the options; rtnl's tc
 * prints neither. The xstats (`allot`) are a class's: the kernel sends none for the qdisc.
 */
const RED_FLAGS: Array<[string, number]> = [
  ['ecn', C.TC_RED_ECN],
  ['harddrop', C.TC_RED_HARDDROP],
  ['adaptive', C.TC_RED_ADAPTATIVE],
  ['nodrop', C.TC_RED_NODROP],
];

export default defineTcKind<QdiscKindOptions['sfq']>({
  kind: 'sfq',
  keys: ['perturb', 'quantum', 'limit', 'divisor', 'flows', 'depth'],
  data: qdiscOptionCases.sfq,
  toAttrs: (o, { field: f }) => ({
    quantum: intIn(o.quantum ?? 0, 0, U32_MAX, `${f}.quantum`),
    perturbPeriod: intIn(o.perturb ?? 0, 0, 0x7fffffff, `${f}.perturb`),
    limit: intIn(o.limit ?? 0, 0, U32_MAX, `${f}.limit`),
    divisor: intIn(o.divisor ?? 0, 0, 65536, `${f}.divisor`),
    flows: intIn(o.flows ?? 0, 0, 65536, `${f}.flows`),
    depth: intIn(o.depth ?? 0, 0, U32_MAX, `${f}.depth`),
    ...Object.fromEntries(
      ['headdrop', 'redLimit', 'qthMin', 'qthMax', 'wlog', 'plog', 'scellLog', 'flags', 'maxP']
        .concat(['probDrop', 'forcedDrop', 'probMark', 'forcedMark', 'probMarkHead', 'forcedMarkHead'])
        .map((k) => [k, 0]),
    ),
  }),
  json: (o) => {
    const j: Json = { limit: o.limit, quantum: o.quantum };
    if (o.depth) j.depth = o.depth;
    if (o.headdrop) j.headdrop = true;
    j.divisor = o.divisor;
    if (o.perturbPeriod) j.perturb = o.perturbPeriod;
    if (o.qthMin) {
      j.ewma = o.wlog;
      j.min = o.qthMin;
      j.max = o.qthMax;
      j.probability = (o.maxP ?? 0) / 2 ** 32;
      for (const [name, bit] of RED_FLAGS) j[name] = ((o.flags ?? 0) & bit) !== 0;
    }
    return j;
  },
  text: (j) => {
    let s = `limit ${j.limit}p quantum ${sizeText(j.quantum as number)} `;
    if (j.depth !== undefined) s += `depth ${j.depth} `;
    if (j.headdrop) s += 'headdrop ';
    s += `divisor ${j.divisor} `;
    if (j.perturb !== undefined) s += `perturb ${j.perturb}sec `;
    if (j.min !== undefined) {
      s += `ewma ${j.ewma} min ${sizeText(j.min as number)} max ${sizeText(j.max as number)} `;
      s += `probability ${gText(j.probability as number)} `;
      for (const [name] of RED_FLAGS) if (j[name]) s += `${name} `;
    }
    return s;
  },
  xstatsJson: (x) => ({ allot: x.allot ?? 0 }),
  xstatsText: (x) => [`  allot ${x.allot ?? 0}`],
  parseArgs: (w) =>
    keywordOptions(w, 'sfq', {
      perturb: 'num',
      quantum: 'num',
      limit: 'num',
      divisor: 'num',
      flows: 'num',
      depth: 'num',
    }),
});
