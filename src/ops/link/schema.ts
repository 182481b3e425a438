/** The zod schemas of links.add(), set(), list() and the alternative names, built on first use (see zod.ts). */
import type { z } from 'zod';
import * as C from '../../codec/constants/index.js';
import { bridgePortSchema } from '../bridge-port.js';
import {
  kindOptionKeys,
  kindOptions,
  kindOptionSchemas,
  linkKindPlugin,
  type GivenKindOptions,
} from '../link-kinds.js';
import { check, plain, plainlyAccepted, V } from '../validate.js';
import { schemas } from '../zod.js';
import { ADDR_GEN_MODE_NAMES, type LinkAddBase, type LinkAddOptions } from './types.js';

export const S = schemas((z) => {
  const { ifname, linkRef, mac, mtu, netnsSpec, u32 } = V();
  const kindName = z.string().regex(/^[a-z0-9_-]{1,15}$/, 'must be a link kind like veth, bridge, vxlan');

  const common = {
    mtu: mtu.optional(),
    address: mac.optional(),
    broadcast: mac.optional(),
    txqlen: u32.optional(),
    alias: z
      .string()
      .max(255)
      .refine((s) => !s.includes('\0'), 'must not contain NUL')
      .optional(),
    up: z.boolean().optional(),
    master: linkRef.optional(),
    group: u32.optional(),
    arp: z.boolean().optional(),
    multicast: z.boolean().optional(),
    allmulticast: z.boolean().optional(),
    promisc: z.boolean().optional(),
    addrGenMode: z.enum(ADDR_GEN_MODE_NAMES).optional(),
    gsoMaxSize: u32.optional(),
    gsoMaxSegs: u32.optional(),
    groMaxSize: u32.optional(),
    gsoIpv4MaxSize: u32.optional(),
    groIpv4MaxSize: u32.optional(),
  };

  const addSchema = z
    .object({
      name: ifname,
      kind: kindName,
      ...common,
      // The kernel refuses IFLA_AF_SPEC on a link being created (EAFNOSUPPORT), as with ip.
      addrGenMode: z.never({ message: 'can only be set on an existing link (links.set)' }).optional(),
      link: linkRef.optional(),
      netns: netnsSpec.optional(),
      index: z.number().int().min(1).max(0x7fffffff).optional(),
      numTxQueues: z.number().int().min(1).max(4096).optional(),
      numRxQueues: z.number().int().min(1).max(4096).optional(),
      exist: z.enum(['error', 'ok']).optional(),
      // Each kind's own schema checks its options (kindOptions()).
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, z.unknown().optional()])),
    })
    .strict();

  // set() validates each key's kind options in the same pass (the link's kind is not known yet).
  const keySchemas = kindOptionSchemas();
  const setSchema = z
    .object({
      ...common,
      name: ifname.optional(),
      master: z.union([linkRef, z.null()]).optional(),
      netns: netnsSpec.optional(),
      bridgePort: bridgePortSchema(z).optional(),
      ...Object.fromEntries(kindOptionKeys.map((k) => [k, (keySchemas[k] ?? z.unknown()).optional()])),
    })
    .strict();

  const listSchema = z.object({ kind: kindName.optional(), master: linkRef.optional() }).strict();
  const deleteSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  // ALTIFNAMSIZ: up to 127 bytes, with the same characters as a name.
  const altName = z
    .string()
    .refine(
      (s) => Buffer.byteLength(s) >= 1 && Buffer.byteLength(s) < C.ALTIFNAMSIZ,
      `must be 1 to ${C.ALTIFNAMSIZ - 1} bytes`,
    )
    .refine(
      (s) => s !== '.' && s !== '..' && !/[/:\s\0]/.test(s),
      "must not be '.' or '..' or contain '/', ':', NUL or whitespace",
    );
  const altNames = z.union([altName.transform((n) => [n]), z.array(altName).min(1)]);
  return { addSchema, setSchema, listSchema, deleteSchema, altNames };
});

/**
 * Options that the schemas accept and return unchanged, recognised without zod (see
 * plainlyAccepted): the common shapes of add(), set() and delete(), such as a CNI plugin's bridge,
 * veth pair and `{ master, up }`. Anything else goes through the schemas.
 */
const PLAIN_COMMON = {
  mtu: plain.mtu,
  address: plain.mac,
  broadcast: plain.mac,
  txqlen: plain.u32,
  up: plain.bool,
  master: plain.linkRef,
  group: plain.u32,
  arp: plain.bool,
  multicast: plain.bool,
  allmulticast: plain.bool,
  promisc: plain.bool,
};
const KIND_NAME = /^[a-z0-9_-]{1,15}$/;
const PLAIN_ADD = {
  ...PLAIN_COMMON,
  name: plain.ifname,
  kind: (v: unknown) => typeof v === 'string' && KIND_NAME.test(v),
  link: plain.linkRef,
  netns: plain.netns,
  exist: (v: unknown) => v === 'error' || v === 'ok',
};
const PLAIN_VETH_PEER = {
  name: plain.ifname,
  netns: plain.netns,
  address: plain.mac,
  mtu: plain.mtu,
  txqlen: plain.u32,
};
const PLAIN_ADD_VETH = {
  ...PLAIN_ADD,
  peer: (v: unknown) => plainlyAccepted(v, PLAIN_VETH_PEER) && plain.ifname(v.name),
};
/** set()'s plain options. */
export const PLAIN_SET = {
  ...PLAIN_COMMON,
  name: plain.ifname,
  master: (v: unknown) => v === null || plain.linkRef(v),
  netns: plain.netns,
};
/** delete()'s plain options. */
export const PLAIN_DELETE = { ifExists: plain.bool };

/** Whether add()'s options plainly pass: a name, a kind, common options, and a veth's plain peer. */
function plainAdd(o: unknown): o is LinkAddBase & { kind: string } & Record<string, unknown> {
  const kind = (o as { kind?: unknown } | null)?.kind;
  if (!plainlyAccepted(o, kind === 'veth' ? PLAIN_ADD_VETH : PLAIN_ADD)) return false;
  return plain.ifname(o.name) && typeof o.kind === 'string';
}

/** add()'s schema for each kind: the shared options and that kind's own, validated in one pass. */
const addSchemas = new Map<string, z.ZodType>();
function addSchemaFor(kind: unknown): z.ZodType {
  const k = typeof kind === 'string' && linkKindPlugin(kind) !== undefined ? kind : '';
  let schema = addSchemas.get(k);
  if (schema === undefined) {
    const own = Object.entries(k ? kindOptionSchemas(k) : {}).map(([key, sc]) => [key, sc.optional()]);
    schema = own.length > 0 ? S().addSchema.extend(Object.fromEntries(own)) : S().addSchema;
    addSchemas.set(k, schema);
  }
  return schema;
}

/**
 * Validate links.add() options: the shared ones (zod) and the kind's, before anything is sent.
 * Throws ValidationError naming the field.
 */
export function checkAddOptions(options: LinkAddOptions): {
  o: LinkAddBase & { kind: string } & Record<string, unknown>;
  given: GivenKindOptions;
} {
  // One validation pass: the shared options and the kind's own (the kind picks the schema).
  const kind = options !== null && typeof options === 'object' ? (options as { kind?: unknown }).kind : undefined;
  const o = plainAdd(options)
    ? options
    : (check(addSchemaFor(kind), options, 'link') as LinkAddBase & { kind: string } & Record<string, unknown>);
  return { o, given: kindOptions(o, 'link', o.kind, true) };
}
