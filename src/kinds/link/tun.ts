/**
 * The tun link kind (tun and tap devices: tap.ts shares these options). IFLA_INFO_DATA
 * (IFLA_TUN_*), per tun_fill_info in drivers/net/tun.c. The kernel does not create these through
 * RTM_NEWLINK: the create hook makes them by ioctl(TUNSETIFF) on /dev/net/tun (src/ops/tuntap.ts),
 * and their flags are fixed once made (create-only options: not to set(), read as attrs).
 */
import * as C from '../../codec/constants/index.js';
import { attrs, type SetValues } from '../../codec/schema.js';
import type { Zod } from '../../ops/zod.js';
import { bool, enumValue, type Json, type Names } from '../json.js';
import type { LinkCreateHook, LinkKindPlugin } from './kind.js';

/** IFLA_TUN_TYPE is the device's IFF_TUN or IFF_TAP bit. */
const tunTypes: Readonly<Record<number, string>> = { [C.IFF_TUN]: 'TUN', [C.IFF_TAP]: 'TAP' };

export const tunData = attrs('IFLA_TUN', {
  owner: [C.IFLA_TUN_OWNER, 'u32'],
  group: [C.IFLA_TUN_GROUP, 'u32'],
  type: [C.IFLA_TUN_TYPE, 'u8', { enum: tunTypes }],
  pi: [C.IFLA_TUN_PI, 'u8'],
  vnetHdr: [C.IFLA_TUN_VNET_HDR, 'u8'],
  persist: [C.IFLA_TUN_PERSIST, 'u8'],
  multiQueue: [C.IFLA_TUN_MULTI_QUEUE, 'u8'],
  numQueues: [C.IFLA_TUN_NUM_QUEUES, 'u32'],
  numDisabledQueues: [C.IFLA_TUN_NUM_DISABLED_QUEUES, 'u32'],
});

/** tun/tap options: the IFF_* flags given to TUNSETIFF, persistence and ownership. */
export interface TunTapOptions {
  /** IFF_MULTI_QUEUE: several fds may attach, one queue each. Equivalent to: ip tuntap add ... multi_queue */
  multiQueue?: boolean;
  /** IFF_VNET_HDR: frames carry a virtio-net header (what VMMs use). Equivalent to: ip tuntap add ... vnet_hdr */
  vnetHdr?: boolean;
  /** Packet information: a 4-byte header before each frame (off by default: IFF_NO_PI). Equivalent to: ip tuntap add ... pi */
  pi?: boolean;
  /** IFF_ONE_QUEUE, kept for `ip tuntap`'s one_queue; the kernel ignores it. */
  oneQueue?: boolean;
  /** Keep the device when its last fd closes (TUNSETPERSIST). Equivalent to: ip tuntap add (always persistent) */
  persist?: boolean;
  /** The user who may attach without CAP_NET_ADMIN: a uid or a name from /etc/passwd. Equivalent to: ip tuntap add ... user U */
  owner?: number | string;
  /** The group that may attach without CAP_NET_ADMIN: a gid or a name from /etc/group. Equivalent to: ip tuntap add ... group G */
  group?: number | string;
}

/** The schema of TunTapOptions (strict). */
export function tunTapSchema(z: Zod) {
  const id = z.union([z.number().int().min(0).max(0xfffffffe), z.string().min(1).max(255)]);
  return z
    .object({
      multiQueue: z.boolean().optional(),
      vnetHdr: z.boolean().optional(),
      pi: z.boolean().optional(),
      oneQueue: z.boolean().optional(),
      persist: z.boolean().optional(),
      owner: id.optional(),
      group: id.optional(),
    })
    .strict();
}

/** info_data as `ip -j -d` prints it: queue counts for multi-queue devices only, owner and group by name when known. */
export function tunJson(d: SetValues<typeof tunData>, names: Names): Json {
  const j: Json = {};
  if (d.type !== undefined) {
    const t = enumValue(d.type, { TUN: C.IFF_TUN, TAP: C.IFF_TAP });
    j.type = t === C.IFF_TUN ? 'tun' : t === C.IFF_TAP ? 'tap' : 'UNKNOWN';
  }
  if (d.pi !== undefined) j.pi = bool(d.pi);
  if (d.vnetHdr !== undefined) j.vnet_hdr = bool(d.vnetHdr);
  if (d.multiQueue !== undefined) {
    j.multi_queue = bool(d.multiQueue);
    if (d.multiQueue) {
      if (d.numQueues !== undefined) j.numqueues = d.numQueues;
      if (d.numDisabledQueues !== undefined) j.numdisabled = d.numDisabledQueues;
    }
  }
  if (d.persist !== undefined) j.persist = bool(d.persist);
  if (d.owner !== undefined) j.user = names.user?.(d.owner) ?? d.owner;
  if (d.group !== undefined) j.group = names.group?.(d.group) ?? d.group;
  return j;
}

/** ip's text: `multi_queue` is a bare word when on and absent when off (print_bool), the rest `key value`. */
function tunText(j: Json): string {
  let out = '';
  for (const [k, v] of Object.entries(j)) {
    if (k === 'multi_queue') out += v ? ' multi_queue' : '';
    else out += ` ${k} ${typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v)}`;
  }
  return out.slice(1);
}

/** For exist: 'ok': whether an existing link is the tun/tap these options would make (type and flags). */
export function tunMatches(
  kind: 'tun' | 'tap',
  info: { kind?: string; data?: unknown },
  o: TunTapOptions | undefined,
): boolean {
  if (info.kind !== 'tun') return false;
  const d = (info.data ?? {}) as SetValues<typeof tunData>;
  const type = enumValue(d.type, { TUN: C.IFF_TUN, TAP: C.IFF_TAP });
  return (
    type === (kind === 'tun' ? C.IFF_TUN : C.IFF_TAP) &&
    bool(d.pi) === !!o?.pi &&
    bool(d.vnetHdr) === !!o?.vnetHdr &&
    bool(d.multiQueue) === !!o?.multiQueue
  );
}

type TunAttrs = SetValues<typeof tunData>;

/**
 * The tun/tap operations module, imported once on first use and then reused. An import() per
 * creation cost little under plain node but, under a loader such as tsx, sent every one to the
 * loader's thread, whose memory grew by a few hundred bytes each time (the soak's RSS slope).
 */
let tuntapOps: Promise<typeof import('../../ops/tuntap.js')> | undefined;

/** What the tun and tap plugins share: the create-only options and the create hook (loaded on first use). */
export function tunTapParts(kind: 'tun' | 'tap') {
  return {
    optionKey: 'tuntap' as const,
    createOnly: true as const,
    schema: (z: Zod) => tunTapSchema(z),
    create: async (): Promise<LinkCreateHook<TunTapOptions>> =>
      (await (tuntapOps ??= import('../../ops/tuntap.js'))).tunCreateHook(kind),
    matches: (info: { kind?: string; data?: unknown }, options: TunTapOptions | undefined) =>
      tunMatches(kind, info, options),
  };
}

/**
 * IFLA_INFO_KIND 'tun': tun devices, and taps as the kernel reports them. Annotated like veth's,
 * so that its create-only key stays out of the options read back.
 */
const tun: LinkKindPlugin<'tun', 'tuntap', TunTapOptions, TunAttrs, typeof tunData, never> & {
  readonly createOnly: true;
} = {
  kind: 'tun',
  data: tunData,
  json: tunJson,
  text: tunText,
  ...tunTapParts('tun'),
};

export default tun;
