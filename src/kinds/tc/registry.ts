/** The qdisc kinds rtnl builds, one file each. */
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
 * The option keys each kind takes (QdiscKindOptions at run time): a key of another kind, or a
 * typo, is refused rather than silently left out.
 */
export const qdiscOptionKeys: { [K in keyof QdiscKindOptions]: ReadonlyArray<keyof QdiscKindOptions[K] & string> } = {
  pfifo: ['limit'],
  bfifo: ['limit'],
  pfifo_fast: [],
  prio: ['bands', 'priomap'],
  tbf: ['rate', 'burst', 'limit', 'latency', 'peakrate', 'mtu', 'mpu', 'overhead'],
  htb: ['default', 'r2q', 'directQlen'],
  netem: ['limit', 'delay', 'jitter', 'loss', 'duplicate', 'corrupt', 'reorder', 'gap', 'rate'],
  fq_codel: ['limit', 'flows', 'target', 'interval', 'quantum', 'ceThreshold', 'memoryLimit', 'ecn'],
  fq: ['limit', 'flowLimit', 'quantum', 'initialQuantum', 'maxrate', 'buckets', 'pacing'],
  sfq: ['perturb', 'quantum', 'limit', 'divisor', 'flows', 'depth'],
  cake: ['bandwidth'],
  red: ['limit', 'min', 'max', 'avpkt', 'burst', 'bandwidth', 'probability', 'ecn', 'harddrop', 'adaptive', 'nodrop'],
  mq: [],
  ingress: [],
  clsact: [],
  noqueue: [],
};
