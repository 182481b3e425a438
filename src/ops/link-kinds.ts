/**
 * Kind-specific link options (`bridge: {...}`, `vxlan: {...}`, ...) turned into IFLA_INFO_DATA.
 * Friendly names follow `ip link add ... type KIND ...`; anything else under a kind key is
 * passed to the codec by its attribute key (the codec rejects keys it does not know).
 */
import * as C from '../codec/constants/index.js';
import { ValidationError } from '../errors.js';
import type { Rtnl } from './client.js';
import { linkIndex } from './common.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** The option keys, one per kind family. */
export const kindOptionKeys = ['bridge', 'vxlan', 'macvlan', 'vlan', 'bond', 'vrf'] as const;

/** Which kinds each option key may configure. */
const KEY_KINDS: Record<(typeof kindOptionKeys)[number], string[]> = {
  bridge: ['bridge'],
  vxlan: ['vxlan'],
  macvlan: ['macvlan', 'macvtap'],
  vlan: ['vlan'],
  bond: ['bond'],
  vrf: ['vrf'],
};

/** Bridge options (IFLA_BR_*), set at creation or later with links.set(). Equivalent to: ip link ... type bridge stp_state N forward_delay N ... */
export interface BridgeOptions {
  /** 0: STP off, 1: kernel STP. Equivalent to: ip link ... type bridge stp_state N */
  stpState?: number;
  /** In hundredths of a second, as the kernel takes it (ip's forward_delay). */
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  priority?: number;
  vlanFiltering?: number;
  /** 0x8100 (802.1Q) or 0x88a8 (802.1ad), or the names '802.1Q' / '802.1ad'. */
  vlanProtocol?: number | '802.1Q' | '802.1ad';
  vlanDefaultPvid?: number;
  mcastSnooping?: number;
  [attr: string]: unknown;
}

/** VXLAN options (IFLA_VXLAN_*). Equivalent to: ip link add NAME type vxlan id N dstport P local A remote B dev D ttl T [no]learning */
export interface VxlanOptions {
  /** VNI. Equivalent to: ip link add NAME type vxlan id N */
  id: number;
  /** UDP destination port (ip's dstport), e.g. 4789. */
  port?: number;
  local?: string;
  /** Multicast group. */
  group?: string;
  /** Unicast remote (shares the kernel attribute with group). */
  remote?: string;
  /** The underlay device (ip's dev). */
  dev?: string | number;
  ttl?: number;
  tos?: number;
  learning?: boolean;
  [attr: string]: unknown;
}

/** macvlan/macvtap options. Equivalent to: ip link add NAME link DEV type macvlan mode MODE */
export interface MacvlanOptions {
  mode?: 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';
  [attr: string]: unknown;
}

/** VLAN options. Equivalent to: ip link add NAME link DEV type vlan id N protocol 802.1Q */
export interface VlanOptions {
  id: number;
  protocol?: '802.1Q' | '802.1ad';
  [attr: string]: unknown;
}

/** Bond options. Equivalent to: ip link add NAME type bond mode MODE miimon N */
export interface BondOptions {
  mode?:
    | 'balance-rr'
    | 'active-backup'
    | 'balance-xor'
    | 'broadcast'
    | '802.3ad'
    | 'balance-tlb'
    | 'balance-alb'
    | number;
  miimon?: number;
  [attr: string]: unknown;
}

/** VRF options. Equivalent to: ip link add NAME type vrf table N */
export interface VrfOptions {
  table: number | 'main' | 'local' | 'default';
}

/** Kind-specific options of links.add() and links.set(), one key per kind family. */
export interface KindOptions {
  bridge?: BridgeOptions;
  vxlan?: VxlanOptions;
  /** For macvlan and macvtap. */
  macvlan?: MacvlanOptions;
  vlan?: VlanOptions;
  bond?: BondOptions;
  vrf?: VrfOptions;
}

const MACVLAN_MODES = {
  private: C.MACVLAN_MODE_PRIVATE,
  vepa: C.MACVLAN_MODE_VEPA,
  bridge: C.MACVLAN_MODE_BRIDGE,
  passthru: C.MACVLAN_MODE_PASSTHRU,
  source: C.MACVLAN_MODE_SOURCE,
};
const BOND_MODES = {
  'balance-rr': C.BOND_MODE_ROUNDROBIN,
  'active-backup': C.BOND_MODE_ACTIVEBACKUP,
  'balance-xor': C.BOND_MODE_XOR,
  broadcast: C.BOND_MODE_BROADCAST,
  '802.3ad': C.BOND_MODE_8023AD,
  'balance-tlb': C.BOND_MODE_TLB,
  'balance-alb': C.BOND_MODE_ALB,
};
const VLAN_PROTOCOLS = { '802.1Q': C.ETH_P_8021Q, '802.1ad': C.ETH_P_8021AD };

/** The schema of each kind option key, built on first use (see zod.ts). */
const S = schemas((z) => {
  const { ip, linkRef, port, table, u32, u8, vxlanId } = V();
  const bridgeSchema = z
    .object({
      stpState: z.number().int().min(0).max(2).optional(),
      forwardDelay: u32.optional(),
      helloTime: u32.optional(),
      maxAge: u32.optional(),
      ageingTime: u32.optional(),
      priority: z.number().int().min(0).max(65535).optional(),
      vlanFiltering: z.number().int().min(0).max(1).optional(),
      vlanProtocol: z.union([z.literal(0x8100), z.literal(0x88a8), z.enum(['802.1Q', '802.1ad'])]).optional(),
      vlanDefaultPvid: z.number().int().min(0).max(4094).optional(),
      mcastSnooping: z.number().int().min(0).max(1).optional(),
    })
    .catchall(z.unknown());

  const vxlanSchema = z
    .object({
      id: vxlanId,
      port: port.optional(),
      local: ip.optional(),
      group: ip.optional(),
      remote: ip.optional(),
      dev: linkRef.optional(),
      ttl: u8.optional(),
      tos: u8.optional(),
      learning: z.boolean().optional(),
    })
    .catchall(z.unknown())
    .refine((v) => !(v.group && v.remote), { message: 'give group or remote, not both', path: ['remote'] })
    .refine(
      (v) => {
        const fam = [v.local, v.group ?? v.remote].filter(Boolean).map((a) => (a!.includes(':') ? 6 : 4));
        return fam.length < 2 || fam[0] === fam[1];
      },
      { message: 'local and group/remote must be the same address family', path: ['local'] },
    );

  const macvlanSchema = z
    .object({ mode: z.enum(['private', 'vepa', 'bridge', 'passthru', 'source']).optional() })
    .catchall(z.unknown());
  const vlanSchema = z
    .object({ id: z.number().int().min(0).max(4094), protocol: z.enum(['802.1Q', '802.1ad']).optional() })
    .catchall(z.unknown());
  const bondSchema = z
    .object({
      mode: z
        .union([z.enum(Object.keys(BOND_MODES) as [string, ...string[]]), z.number().int().min(0).max(6)])
        .optional(),
      miimon: u32.optional(),
    })
    .catchall(z.unknown());
  const vrfSchema = z.object({ table }).strict();

  return {
    bridge: bridgeSchema,
    vxlan: vxlanSchema,
    macvlan: macvlanSchema,
    vlan: vlanSchema,
    bond: bondSchema,
    vrf: vrfSchema,
  };
});

/**
 * Check kind options before anything is sent or looked up: each given key's schema, and, when the
 * kind is known, that the key applies to it. Throws ValidationError naming the field.
 */
export function validateKindOptions(o: KindOptions, field: string, kind?: string): void {
  const given = kindOptionKeys.filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new ValidationError(field, `options for several kinds at once: ${given.join(', ')}`);
  for (const key of given) {
    if (kind !== undefined && !KEY_KINDS[key].includes(kind))
      throw new ValidationError(`${field}.${key}`, `${key} options do not apply to a ${kind} link`, o[key]);
    check(S()[key], o[key], `${field}.${key}`);
  }
}

/**
 * IFLA_INFO_DATA for `kind` from the options object, or undefined when no kind option was given.
 * Throws ValidationError when options for another kind were given.
 */
export async function kindData(
  nl: Rtnl,
  kind: string,
  o: KindOptions,
  field: string,
): Promise<Record<string, unknown> | undefined> {
  let data: Record<string, unknown> | undefined;
  for (const key of kindOptionKeys) {
    const v = o[key];
    if (v === undefined) continue;
    if (!KEY_KINDS[key].includes(kind))
      throw new ValidationError(`${field}.${key}`, `${key} options do not apply to a ${kind} link`, v);
    const f = `${field}.${key}`;
    switch (key) {
      case 'bridge': {
        const b = check(S().bridge, v, f);
        const out: Record<string, unknown> = { ...b };
        if (typeof b.vlanProtocol === 'string') out.vlanProtocol = VLAN_PROTOCOLS[b.vlanProtocol];
        data = out;
        break;
      }
      case 'vxlan': {
        const { id, port: p, local, group, remote, dev, ttl, tos, learning, ...rest } = check(S().vxlan, v, f);
        const out: Record<string, unknown> = { id };
        const peer = group ?? remote;
        if (peer) out[peer.includes(':') ? 'group6' : 'group'] = peer;
        if (local) out[local.includes(':') ? 'local6' : 'local'] = local;
        if (dev !== undefined) out.link = await linkIndex(nl, dev);
        if (p !== undefined) out.port = p;
        if (ttl !== undefined) out.ttl = ttl;
        if (tos !== undefined) out.tos = tos;
        if (learning !== undefined) out.learning = learning ? 1 : 0;
        data = { ...out, ...rest };
        break;
      }
      case 'macvlan': {
        const { mode, ...rest } = check(S().macvlan, v, f);
        data = { ...(mode ? { mode: MACVLAN_MODES[mode] } : {}), ...rest };
        break;
      }
      case 'vlan': {
        const { id, protocol, ...rest } = check(S().vlan, v, f);
        data = { ...(protocol ? { protocol: VLAN_PROTOCOLS[protocol] } : {}), id, ...rest };
        break;
      }
      case 'bond': {
        const { mode, ...rest } = check(S().bond, v, f);
        data = {
          ...(mode !== undefined
            ? { mode: typeof mode === 'number' ? mode : BOND_MODES[mode as keyof typeof BOND_MODES] }
            : {}),
          ...rest,
        };
        break;
      }
      case 'vrf': {
        data = { table: check(S().vrf, v, f).table };
        break;
      }
    }
  }
  return data;
}
