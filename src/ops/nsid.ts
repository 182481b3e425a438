/**
 * Namespace ids (RTM_*NSID): the number by which this client's namespace refers to another one
 * (link-netnsid, monitor events tagged with allNsid). `ip netns set|list-id`.
 */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { NsidAttrs } from '../codec/rtnl/nsid.js';
import type { NetnsSpec } from '../ffi/netns.js';
import { listOf, netnsFdFor, req, type ListResult } from './common.js';
import type { OpContext } from './context.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** One nsid this namespace has assigned. */
export interface NsidInfo {
  nsid: number;
  attrs: NsidAttrs;
}

const S = schemas((z) => ({ id: z.union([z.number().int().min(0).max(0x7fffffff), z.literal('auto')]) }));

const isNsid = (m: NetlinkMessage): boolean => m.type === 'RTM_NEWNSID';
const toNsid = (m: NetlinkMessage): NsidInfo => ({
  nsid: (m.attrs as NsidAttrs).nsid ?? -1,
  attrs: m.attrs as NsidAttrs,
});

export class Nsids {
  constructor(private readonly nl: OpContext) {}

  /**
   * Every nsid this namespace has assigned to other namespaces.
   *
   * Equivalent to: ip netns list-id
   */
  async list(): Promise<ListResult<NsidInfo>> {
    const msgs = await this.nl.engine.dump(req('RTM_GETNSID', { family: C.AF_UNSPEC }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    return listOf(msgs, isNsid, toNsid);
  }

  /**
   * The nsid of a namespace as seen from this client's namespace, or undefined when it has none.
   *
   * Equivalent to: ip netns list (the "(id: N)" part)
   */
  async get(spec: NetnsSpec): Promise<number | undefined> {
    const ns = netnsFdFor(check(V().netnsSpec, spec, 'netns') as NetnsSpec);
    try {
      const { replies } = await this.nl.engine.request(req('RTM_GETNSID', { family: C.AF_UNSPEC }, { fd: ns.fd }));
      const id = (replies.find(isNsid)?.attrs as NsidAttrs | undefined)?.nsid;
      return id === undefined || id < 0 ? undefined : id;
    } finally {
      ns.release();
    }
  }

  /**
   * Give a namespace an nsid in this client's namespace ('auto': the kernel picks one). An id
   * is assigned once; a second assignment raises NetlinkError 'EEXIST'.
   *
   * Equivalent to: ip netns set NAME ID|auto
   */
  async set(spec: NetnsSpec, id: number | 'auto'): Promise<void> {
    const n = check(S().id, id, 'id');
    const ns = netnsFdFor(check(V().netnsSpec, spec, 'netns') as NetnsSpec);
    try {
      await this.nl.engine.request(
        req('RTM_NEWNSID', { family: C.AF_UNSPEC }, { fd: ns.fd, nsid: n === 'auto' ? -1 : n }),
      );
    } finally {
      ns.release();
    }
  }
}
