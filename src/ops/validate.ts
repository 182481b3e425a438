/**
 * Input validation (zod). Every op checks its input here before anything is encoded or sent,
 * and a rejection is a ValidationError naming the field and the value.
 *
 * The schemas are built on first use (see zod.ts): `check(V().linkRef, ref, 'link')`.
 */
import type { z } from 'zod';
import { parseIPv4, parseIPv6 } from '../codec/ip.js';
import { ValidationError } from '../errors.js';
import { explain, type Issue } from './issues.js';
import { namesOf, PROTOCOL_NAMES, ROUTE_TYPE_NAMES, SCOPE_ALIASES, SCOPE_NAMES } from './names.js';
import { schemas } from './zod.js';

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

export interface Prefix {
  family: 4 | 6;
  address: string;
  prefixLen: number;
}

export /** Whether `addr` lies inside prefix `p`. */
function prefixContains(p: Prefix, addr: string): boolean {
  const six = p.family === 6;
  if (addr.includes(':') !== six) return false;
  const a = six ? parseIPv6(addr) : parseIPv4(addr);
  const b = six ? parseIPv6(p.address) : parseIPv4(p.address);
  if (!a || !b) return false;
  for (let i = 0, bits = p.prefixLen; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** 'ADDR' or 'ADDR/LEN'; without a length, the full host length. */
export function parsePrefix(s: string): Prefix | undefined {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const family = addr.includes(':') ? 6 : 4;
  const bytes = family === 6 ? parseIPv6(addr) : parseIPv4(addr);
  if (!bytes) return undefined;
  const max = family === 6 ? 128 : 32;
  let prefixLen = max;
  if (slash >= 0) {
    const len = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(len)) return undefined;
    prefixLen = Number(len);
    if (prefixLen > max) return undefined;
  }
  return { family, address: addr, prefixLen };
}

const POLLUTING = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuse own keys that could pollute prototypes (`__proto__`, `constructor`, `prototype`), at any
 * depth of plain objects and arrays. JSON.parse creates `__proto__` as an own key; some schema
 * outputs would then assign it and swap the prototype, silently dropping the key.
 */
export function assertNoPollution(value: unknown, field: string, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 32 || value instanceof Uint8Array) return;
  for (const k of Object.keys(value)) {
    if (POLLUTING.has(k)) throw new ValidationError(field ? `${field}.${k}` : k, 'is not an allowed key', k);
    assertNoPollution((value as Record<string, unknown>)[k], field ? `${field}.${k}` : k, depth + 1);
  }
}

/** @internal For tests: how many times check() ran (each call should validate its input once). */
export const validationCounts = { passes: 0 };

/**
 * Parse with a schema; on failure, throw ValidationError naming the first bad field, what was
 * given and what is allowed, in rtnl's words (see issues.ts), never the validation library's.
 */
export function check<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  validationCounts.passes++;
  assertNoPollution(value, field);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const { path, message, value: bad } = explain(schema, value, r.error.issues[0] as unknown as Issue);
  throw new ValidationError([field, ...path].filter(Boolean).join('.'), message, bad);
}

/** An ASCII interface name that linkRef accepts (1-15 bytes, no '/', ':', NUL or whitespace). */
const PLAIN_IFNAME = /^[A-Za-z0-9_.@+-]{1,15}$/;
const NETNS_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const LOWER_MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const isUint = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Predicates that hold only for values the shared schemas (V()) accept and return unchanged,
 * decided without zod. A false only means "ask the schema", which words the error.
 */
export const plain = {
  bool: (v: unknown): boolean => typeof v === 'boolean',
  u32: (v: unknown): boolean => isUint(v, 0, 0xffffffff),
  mtu: (v: unknown): boolean => isUint(v, 1, 65536),
  ifname: (v: unknown): boolean => typeof v === 'string' && PLAIN_IFNAME.test(v) && v !== '.' && v !== '..',
  linkRef: (v: unknown): boolean => isUint(v, 1, 0x7fffffff) || plain.ifname(v),
  /** A MAC address already in lower case (the schema lower-cases the others). */
  mac: (v: unknown): boolean => typeof v === 'string' && LOWER_MAC.test(v),
  ipv4: (v: unknown): boolean => typeof v === 'string' && parseIPv4(v) !== undefined,
  /** 4 or 6 (the schema turns 'inet' and 'inet6' into those). */
  family: (v: unknown): boolean => v === 4 || v === 6,
  netnsName: (v: unknown): v is string => typeof v === 'string' && NETNS_NAME.test(v) && v !== '.' && v !== '..',
  /** A namespace name, { name } or { path } (a path of at least one character, without NUL). */
  netns: (v: unknown): boolean => {
    if (plain.netnsName(v)) return true;
    if (!isPlainObject(v)) return false;
    const keys = Object.keys(v);
    if (keys.length !== 1) return false;
    if (keys[0] === 'path') return typeof v.path === 'string' && v.path !== '' && !v.path.includes('\0');
    return keys[0] === 'name' && plain.netnsName(v.name);
  },
};

/**
 * Whether `value` is a plain object whose keys are all in `fields`, each value undefined or
 * accepted by its predicate: then the operation's strict object schema accepts it and returns
 * the same values, and zod need not be loaded for it. A false only means "ask the schema".
 */
export function plainlyAccepted(
  value: unknown,
  fields: Record<string, (v: unknown) => boolean>,
): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === undefined) continue;
    const ok = Object.hasOwn(fields, k) ? fields[k]! : undefined;
    if (ok === undefined || !ok(v)) return false;
  }
  return true;
}

/**
 * `check(V().linkRef, value, field)` that accepts the common cases (an index, a plain ASCII
 * name) without zod: an operation that names its link neither loads zod for it nor runs a
 * schema per call. Anything else goes through the schema, for the same result or the same error.
 */
export function checkLinkRef(value: unknown, field: string): string | number {
  if (plain.linkRef(value)) return value as string | number;
  return check(V().linkRef, value, field);
}

/** `check(V().netnsSpec, value, field)`, without zod for a name, { name } or { path }. */
export function checkNetns(value: unknown, field: string): unknown {
  return plain.netns(value) ? value : check(V().netnsSpec, value, field);
}

/** `check(V().prefix, value, field)` without zod when parsePrefix accepts the string (the schema's own test). */
export function checkPrefix(value: unknown, field: string): Prefix {
  const p = typeof value === 'string' ? parsePrefix(value) : undefined;
  return p ?? check(V().prefix, value, field);
}

/** The shared schemas, built on first use (see zod.ts). Modules call V() inside their own builders. */
export const V = schemas((z) => {
  /** An interface name as the kernel accepts it: 1-15 bytes, not '.' or '..', no '/', ':', NUL or whitespace. */
  const ifname = z
    .string()
    .refine((s) => utf8Length(s) >= 1 && utf8Length(s) <= 15, 'must be 1 to 15 bytes')
    .refine((s) => s !== '.' && s !== '..', "must not be '.' or '..'")
    .refine((s) => !/[/:\s\0]/.test(s), "must not contain '/', ':', NUL or whitespace")
    .describe('an interface name (1 to 15 bytes)');

  /** An interface by name or by index. */
  const linkRef = z
    .union([ifname, z.number().int().positive().max(0x7fffffff)])
    .describe('an interface name (1 to 15 bytes) or index (an integer from 1)');

  const u32 = z.number().int().min(0).max(0xffffffff);
  const u16 = z.number().int().min(0).max(0xffff);
  const u8 = z.number().int().min(0).max(0xff);

  const mtu = z.number().int().min(1).max(65536);

  const mac = z
    .string()
    .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'must be a MAC address like 02:00:00:00:00:01')
    .transform((s) => s.toLowerCase())
    .describe('a MAC address like 02:00:00:00:00:01');

  const ipv4 = z
    .string()
    .refine((s) => parseIPv4(s) !== undefined, 'must be an IPv4 address')
    .describe('an IPv4 address');
  const ipv6 = z
    .string()
    .refine((s) => parseIPv6(s) !== undefined, 'must be an IPv6 address')
    .describe('an IPv6 address');
  const ip = z
    .string()
    .refine((s) => (s.includes(':') ? parseIPv6(s) : parseIPv4(s)) !== undefined, 'must be an IPv4 or IPv6 address')
    .describe('an IPv4 or IPv6 address');

  const prefix = z
    .string()
    .transform((s, ctx) => {
      const p = parsePrefix(s);
      if (!p) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an address with an optional /prefix-length (IPv4 up to /32, IPv6 up to /128)',
        });
        return z.NEVER;
      }
      return p;
    })
    .describe('an address with an optional /prefix-length, like 192.0.2.1/24 or 2001:db8::1/64');

  /** A routing table: a number 1..2^32-1, or 'main', 'local', 'default'. */
  const table = z.union([
    z.number().int().min(1).max(0xffffffff),
    z.enum(['main', 'local', 'default']).transform((n) => ({ main: 254, local: 255, default: 253 })[n]),
  ]);

  const vxlanId = z.number().int().min(0).max(0xffffff);
  const port = z.number().int().min(1).max(65535);

  /** A namespace name, as `ip netns` stores it: one path component. */
  const netnsName = z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,255}$/, "must be letters, digits, '.', '_' or '-'")
    .refine((s) => s !== '.' && s !== '..', "must not be '.' or '..'")
    .describe("a namespace name (letters, digits, '.', '_' or '-')");

  const netnsSpec = z
    .union([
      netnsName,
      z.object({ name: netnsName }).strict(),
      z
        .object({
          path: z
            .string()
            .min(1)
            .refine((p) => !p.includes('\0'), 'must not contain NUL'),
        })
        .strict(),
      z.object({ pid: z.number().int().positive() }).strict(),
      z.object({ fd: z.number().int().min(0) }).strict(),
    ])
    .describe('a namespace name, or { name }, { path }, { pid } or { fd }');

  // -------------------------------------------------------------------------------------------
  // Addresses, routes, neighbours, rules

  /** An address family: 4 or 6 (or 'inet', 'inet6'), normalised to 4 | 6. */
  const family = z
    .union([z.literal(4), z.literal(6), z.literal('inet'), z.literal('inet6')])
    .transform((f): 4 | 6 => (f === 4 || f === 'inet' ? 4 : 6));

  /** A lifetime in seconds, or 'forever' (0xffffffff, INFINITY_LIFE_TIME). */
  const lifetime = z.union([u32, z.literal('forever')]).transform((v) => (v === 'forever' ? 0xffffffff : v));

  /** A link-layer address of any length: colon-separated hex bytes (02:00:00:00:00:01, or 4 bytes for IP tunnels). */
  const lladdr = z
    .string()
    .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){0,31}$/, 'must be a link-layer address like 02:00:00:00:00:01')
    .transform((s) => s.toLowerCase());

  /** A name from `table` or a number 0..255 (scopes, protocols, route types). */
  const namedU8 = (table: Readonly<Record<number, string>>, extra: readonly string[] = []) => {
    const names = namesOf(table, extra);
    return z.union([z.enum(names), u8], { error: `must be one of ${names.join(', ')}, or a number 0 to 255` });
  };

  const scope = namedU8(SCOPE_NAMES, Object.keys(SCOPE_ALIASES));
  const protocol = namedU8(PROTOCOL_NAMES);
  const routeType = z.enum(namesOf(ROUTE_TYPE_NAMES), {
    error: `must be one of ${namesOf(ROUTE_TYPE_NAMES).join(', ')}`,
  });

  return {
    ifname,
    linkRef,
    u32,
    u16,
    u8,
    mtu,
    mac,
    ipv4,
    ipv6,
    ip,
    prefix,
    table,
    vxlanId,
    port,
    netnsName,
    netnsSpec,
    family,
    lifetime,
    lladdr,
    scope,
    protocol,
    routeType,
  };
});
