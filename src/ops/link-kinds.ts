/**
 * Link kind options in links.add()/set() and Link, over the kind plugins of src/kinds/link.
 * Nothing here names a kind: each plugin brings its option key, schema and conversions, and the
 * types below are derived from the generated registry.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { CustomLinkKind, LinkKindPlugin } from '../kinds/link/kind.js';
import { linkKinds } from '../kinds/link/registry.js';
import type { KindContext } from '../kinds/plugin.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

export type { BondOptions } from '../kinds/link/bond.js';
export type { BridgeOptions } from '../kinds/link/bridge.js';
export type { IpvlanOptions } from '../kinds/link/ipvlan.js';
export type { MacvlanOptions } from '../kinds/link/macvlan.js';
export type { VethPeerOptions } from '../kinds/link/veth.js';
export type { VlanOptions } from '../kinds/link/vlan.js';
export type { VrfOptions } from '../kinds/link/vrf.js';
export type { VxlanOptions } from '../kinds/link/vxlan.js';

type Plugins = typeof linkKinds;
/** The link kinds rtnl has a plugin for: 'veth', 'bridge', 'vxlan', ... */
export type KnownLinkKind = keyof Plugins;
/** A link kind: a known one, or one named with customLinkKind() (no kind options). */
export type LinkKind = KnownLinkKind | CustomLinkKind;

type OptionsOf<P> = P extends LinkKindPlugin<any, any, infer O, any, any, any> ? O : never;
type KeyOf<P> = P extends LinkKindPlugin<any, infer Key, any, any, any, any> ? Key : never;
type ReadKeyOf<P> = P extends { readonly createOnly: true } ? never : KeyOf<P>;
/**
 * Keys some plugin declares create-only. tap shares tun's 'tuntap' key but is not annotated
 * create-only (see tap.ts), so a key is left out of what reads back when any of its kinds is.
 */
type CreateOnlyKey = {
  [K in KnownLinkKind]: Plugins[K] extends { readonly createOnly: true } ? KeyOf<Plugins[K]> : never;
}[KnownLinkKind];

/** The kind options links.add() takes for kind K, under the kind's key (`bridge: {...}`, a veth's `peer`). */
export type KindOptionsFor<K extends KnownLinkKind> = { [Key in KeyOf<Plugins[K]>]?: OptionsOf<Plugins[K]> };

/**
 * Kind options that can be read back and set on an existing link, one key per kind family
 * (`bridge`, `vxlan`, `macvlan` for macvlan and macvtap, ...). Link carries the same keys.
 */
export type KindOptions = {
  [K in KnownLinkKind as Exclude<ReadKeyOf<Plugins[K]>, CreateOnlyKey>]?: OptionsOf<Plugins[K]>;
};

const PLUGINS = linkKinds as unknown as Readonly<Record<string, LinkKindPlugin>>;

/** The plugin of a kind, or undefined for a kind rtnl does not know. */
export function linkKindPlugin(kind: string | undefined): LinkKindPlugin | undefined {
  return kind !== undefined && Object.hasOwn(PLUGINS, kind) ? PLUGINS[kind] : undefined;
}

/** Every option key, and a plugin for each (macvlan and macvtap share theirs). */
const BY_KEY = new Map<string, LinkKindPlugin>();
for (const p of Object.values(PLUGINS)) if (p.optionKey && !BY_KEY.has(p.optionKey)) BY_KEY.set(p.optionKey, p);
/** The option keys of every kind: each may appear in links.add()/set() options. */
export const kindOptionKeys: readonly string[] = [...BY_KEY.keys()];

const built = new WeakMap<LinkKindPlugin, () => z.ZodType>();
function schemaOf(p: LinkKindPlugin): z.ZodType | undefined {
  const make = p.schema;
  if (!make) return undefined;
  let get = built.get(p);
  if (!get) {
    get = schemas((zod) => make(zod, V()));
    built.set(p, get);
  }
  return get();
}

/** Validated kind options: the plugin, its key and the options, or none given. */
export interface GivenKindOptions {
  plugin?: LinkKindPlugin;
  key?: string;
  options?: unknown;
}

/**
 * Find and validate the kind options in an add/set options object, before anything is sent or
 * looked up. With `kind` (add), the key must be that kind's; without (set), the kind is checked
 * once the link is known. Throws ValidationError naming the field.
 */
export function kindOptions(
  o: Record<string, unknown>,
  field: string,
  kind?: string,
  validated = false,
): GivenKindOptions {
  const given = kindOptionKeys.filter((k) => o[k] !== undefined);
  if (given.length === 0) return {};
  if (given.length > 1) throw new ValidationError(field, `options for several kinds at once: ${given.join(', ')}`);
  const key = given[0]!;
  const value = o[key];
  let plugin: LinkKindPlugin | undefined;
  if (kind !== undefined) {
    plugin = linkKindPlugin(kind);
    if (plugin?.optionKey !== key)
      throw new ValidationError(`${field}.${key}`, `${key} options do not apply to a ${kind} link`, value);
  } else {
    plugin = BY_KEY.get(key)!;
    if (plugin.createOnly)
      throw new ValidationError(`${field}.${key}`, `${key} can only be given when the link is created`, value);
  }
  const schema = validated ? undefined : schemaOf(plugin);
  const options = schema ? check(schema, value, `${field}.${key}`) : value;
  return { plugin, key, options };
}

/**
 * The schemas of kind options, for an operation that validates them in the same pass as the rest
 * of its input (then kindOptions(..., validated = true) only finds them): with `kind`, that kind's
 * own (add); without, each key's as kindOptions() would check it (set).
 */
export function kindOptionSchemas(kind?: string): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  if (kind !== undefined) {
    const p = linkKindPlugin(kind);
    const schema = p?.optionKey ? schemaOf(p) : undefined;
    if (schema) out[p!.optionKey!] = schema;
  } else
    for (const [key, p] of BY_KEY) {
      const schema = p.createOnly ? undefined : schemaOf(p);
      if (schema) out[key] = schema;
    }
  return out;
}

/** IFLA_INFO_DATA from validated options (the link's real kind is `kind`). */
export async function kindData(
  kind: string,
  given: GivenKindOptions,
  ctx: KindContext,
  field: string,
): Promise<Record<string, unknown> | undefined> {
  if (given.key === undefined) return undefined;
  const plugin = linkKindPlugin(kind);
  if (plugin?.optionKey !== given.key || !plugin.toAttrs)
    throw new ValidationError(`${field}.${given.key}`, `${given.key} options do not apply to a ${kind} link`);
  return (await plugin.toAttrs(given.options, ctx)) as Record<string, unknown>;
}

/** The options of a decoded IFLA_INFO_DATA in the input vocabulary, under the kind's key. */
export function readKindOptions(kind: string | undefined, data: unknown): [string, unknown] | undefined {
  const plugin = linkKindPlugin(kind);
  if (!plugin?.optionKey || plugin.createOnly || !plugin.fromAttrs) return undefined;
  if (data === undefined || data === null || typeof data !== 'object' || '$raw' in data) return undefined;
  const options = plugin.fromAttrs(data);
  return options === undefined ? undefined : [plugin.optionKey, options];
}

/** `TYPE := { ... }` and each kind's `ARGS for KIND:` lines, for the CLI's usage text. */
export function linkKindUsage(): string {
  const lines = ['TYPE := {'];
  for (const kind of Object.keys(PLUGINS)) {
    const last = lines[lines.length - 1]!;
    if (last.length + kind.length > 90) lines.push(`         ${kind} |`);
    else lines[lines.length - 1] = `${last} ${kind} |`;
  }
  lines[lines.length - 1] += ' ... }';
  for (const p of Object.values(PLUGINS)) if (p.usage) lines.push(p.usage);
  return lines.join('\n');
}
