/** tc qdisc: add, replace, change, delete and list qdiscs. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { TcMsg } from '../codec/tc/common.js';
import { ValidationError } from '../errors.js';
import { defined, isCode, listOf, req, type ListResult } from './common.js';
import {
  checkKindName,
  CREATE,
  deleteOptions,
  handleOf,
  lazyClock,
  qdiscParent,
  REPLACE,
  TcBase,
  tcIngressHandle,
  toTcObject,
  type Qdisc,
} from './tc-common.js';
import {
  checkKeys,
  intIn,
  qdiscKinds,
  qdiscOptions,
  U32_MAX,
  type QdiscKindOptions,
  type TcKindPlugin,
} from './tc-kinds.js';
import { assertNoPollution } from './validate.js';

/** A qdisc to add, replace or change. Equivalent to: tc qdisc add dev DEV [parent P | root | ingress | clsact] [handle H] KIND [OPTIONS] */
export type QdiscSpec = {
  [K in keyof QdiscKindOptions]: {
    dev: string | number;
    kind: K;
    /** Default 'root' ('ingress' and 'clsact' go to ffff:fff1 with handle ffff:). */
    parent?: string | number;
    handle?: string | number;
    options?: QdiscKindOptions[K];
    /** A TCA_OPTIONS value for the codec as is, instead of `options`. */
    rawOptions?: unknown;
    ingressBlock?: number;
    egressBlock?: number;
  };
}[keyof QdiscKindOptions];

const QDISC_KEYS = ['dev', 'kind', 'parent', 'handle', 'options', 'rawOptions', 'ingressBlock', 'egressBlock'];

export class Qdiscs extends TcBase {
  /**
   * List qdiscs: all, or one device's. Statistics (TCA_STATS2) always come with them.
   *
   * Equivalent to: tc [-s] qdisc show [dev DEV]
   */
  async list(filter: { dev?: string | number } = {}): Promise<ListResult<Qdisc>> {
    assertNoPollution(filter, 'filter');
    const ifindex = filter.dev === undefined ? 0 : await this.index(filter.dev, 'filter.dev');
    const msgs = await this.nl.engine.dump(req('RTM_GETQDISC', { family: C.AF_UNSPEC, ifindex }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const names = await this.names();
    // The kernel answers a qdisc dump with every device's qdiscs, whatever tcm_ifindex says.
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWQDISC' && (ifindex === 0 || m.body.ifindex === ifindex),
      (m) =>
        Object.assign(toTcObject(m, names), {
          // A qdisc's handle is its major number; tc prints even 0 as '0:'.
          handle: `${(((m.body as TcMsg).handle ?? 0) >>> 16).toString(16)}:`,
          refcnt: (m.body as TcMsg).info ?? 0,
        }),
    );
  }

  /** Add a qdisc; one already there raises NetlinkError 'EEXIST'. Equivalent to: tc qdisc add dev DEV ... KIND [OPTIONS] */
  async add(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), CREATE);
  }

  /** Add or replace. Equivalent to: tc qdisc replace dev DEV ... KIND [OPTIONS] */
  async replace(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), REPLACE);
  }

  /** Change an existing qdisc's options. Equivalent to: tc qdisc change dev DEV ... KIND [OPTIONS] */
  async change(spec: QdiscSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), 0);
  }

  /**
   * Delete the qdisc at `parent` (default root) or with `handle`. With `ifExists`, a missing one
   * returns false.
   *
   * Equivalent to: tc qdisc del dev DEV (root | ingress | clsact | parent P) [handle H]
   */
  async delete(
    spec: { dev: string | number; parent?: string | number; handle?: string | number; kind?: string },
    opts: { ifExists?: boolean } = {},
  ): Promise<boolean> {
    assertNoPollution(spec, 'qdisc');
    checkKeys(spec ?? null, ['dev', 'parent', 'handle', 'kind'], 'qdisc');
    if (spec.kind !== undefined) checkKindName(spec.kind, 'qdisc.kind');
    const o = deleteOptions(opts);
    const ingress =
      spec.kind === 'ingress' || spec.kind === 'clsact' || spec.parent === 'ingress' || spec.parent === 'clsact';
    const parent = ingress ? C.TC_H_INGRESS : qdiscParent(spec.parent, 'qdisc.parent');
    const handle =
      spec.handle === undefined ? (ingress ? tcIngressHandle() : 0) : handleOf(spec.handle, 'qdisc.handle');
    const ifindex = await this.index(spec.dev, 'qdisc.dev');
    const body = { family: C.AF_UNSPEC, ifindex, parent, handle };
    try {
      await this.nl.engine.request(req('RTM_DELQDISC', body, defined({ kind: spec.kind })));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT', 'EINVAL')) return false;
      throw err;
    }
  }

  private async build(spec: QdiscSpec): Promise<NetlinkMessage> {
    assertNoPollution(spec, 'qdisc');
    if (spec === null || typeof spec !== 'object') throw new ValidationError('qdisc', 'expected a qdisc spec', spec);
    checkKeys(spec, QDISC_KEYS, 'qdisc');
    const plugin =
      typeof spec.kind === 'string' && Object.hasOwn(qdiscKinds, spec.kind)
        ? (qdiscKinds[spec.kind as keyof QdiscKindOptions] as TcKindPlugin<unknown>)
        : undefined;
    if (!plugin)
      throw new ValidationError(
        'qdisc.kind',
        `unknown qdisc kind (known: ${Object.keys(qdiscKinds).join(', ')})`,
        spec.kind,
      );
    const ingress = spec.kind === 'ingress' || spec.kind === 'clsact';
    if (ingress && spec.parent !== undefined && spec.parent !== spec.kind && spec.parent !== 'ingress')
      throw new ValidationError('qdisc.parent', `${spec.kind} has no parent to choose`, spec.parent);
    if (spec.rawOptions === undefined && plugin.keys) checkKeys(spec.options, plugin.keys, 'qdisc.options');
    for (const k of ['ingressBlock', 'egressBlock'] as const)
      if (spec[k] !== undefined) intIn(spec[k], 1, U32_MAX, `qdisc.${k}`);
    const options =
      spec.rawOptions !== undefined
        ? spec.rawOptions
        : qdiscOptions(spec.kind as keyof QdiscKindOptions, spec.options ?? {}, {
            clock: lazyClock,
            field: 'qdisc.options',
            linkIndex: (ref) => this.nl.linkIndex(ref),
            netnsFd: () => {
              throw new ValidationError('qdisc.options', 'a tc kind takes no namespace');
            },
          });
    const handle =
      spec.handle === undefined ? (ingress ? tcIngressHandle() : 0) : handleOf(spec.handle, 'qdisc.handle');
    const parent = ingress ? C.TC_H_INGRESS : qdiscParent(spec.parent, 'qdisc.parent');
    // The device last: resolving a name is a request, and bad input must not cost one.
    const ifindex = await this.index(spec.dev, 'qdisc.dev');
    const body = { family: C.AF_UNSPEC, ifindex, handle, parent, info: 0 };
    return req(
      'RTM_NEWQDISC',
      body,
      defined({
        kind: spec.kind,
        options,
        ingressBlock: spec.ingressBlock,
        egressBlock: spec.egressBlock,
      }),
    );
  }
}
