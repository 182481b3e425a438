/** The zod schemas of route specs, list filters and lookups (built on first use, see zod.ts). */
import type { z } from 'zod';
import { parsePrefix, V } from '../validate.js';
import { schemas } from '../zod.js';
import { encapZod } from '../lwtunnel.js';

export const S = schemas((z) => {
  const { family, ip, linkRef, protocol, routeType, scope, table, u32 } = V();
  const weight = z.number().int().min(1).max(256);

  const realmsSchema = z
    .object({ from: z.number().int().min(0).max(0xffff).optional(), to: z.number().int().min(0).max(0xffff) })
    .strict();
  const nexthopSchema = z
    .object({
      gateway: ip.optional(),
      dev: linkRef.optional(),
      weight: weight.optional(),
      onlink: z.boolean().optional(),
      realms: realmsSchema.optional(),
    })
    .strict()
    .refine((n) => n.gateway !== undefined || n.dev !== undefined, 'a nexthop needs a gateway or a dev');

  const metricsSchema = z
    .object({
      mtu: u32.optional(),
      advmss: u32.optional(),
      window: u32.optional(),
      rtt: u32.optional(),
      rttvar: u32.optional(),
      ssthresh: u32.optional(),
      cwnd: u32.optional(),
      reordering: u32.optional(),
      hoplimit: u32.optional(),
      initcwnd: u32.optional(),
      initrwnd: u32.optional(),
      features: u32.optional(),
      rtoMin: u32.optional(),
      quickack: u32.optional(),
      fastopenNoCookie: u32.optional(),
      lock: u32.optional(),
      ccAlgo: z
        .string()
        .min(1)
        .max(15)
        .refine((s) => !s.includes('\0'), 'must not contain NUL')
        .optional(),
    })
    .strict();

  const dstSchema = z.union([
    z.literal('default'),
    z.string().refine((s) => parsePrefix(s) !== undefined, 'must be default, ADDR or ADDR/LEN'),
  ]);

  const specSchema = z
    .object({
      dst: dstSchema,
      family: family.optional(),
      gateway: ip.optional(),
      dev: linkRef.optional(),
      src: ip.optional(),
      metric: u32.optional(),
      table: table.optional(),
      protocol: protocol.optional(),
      scope: scope.optional(),
      type: routeType.optional(),
      multipath: z.array(nexthopSchema).min(1).optional(),
      metrics: metricsSchema.optional(),
      pref: z.enum(['low', 'medium', 'high']).optional(),
      onlink: z.boolean().optional(),
      nhid: z.number().int().min(1).max(0xffffffff).optional(),
      via: ip.optional(),
      tos: z.number().int().min(0).max(255).optional(),
      realms: realmsSchema.optional(),
      encap: encapZod(z, ip).optional(),
      expires: u32.optional(),
    })
    .strict();
  const writeOptsSchema = z.object({ echo: z.boolean().optional() }).strict();

  const listSchema = z
    .object({
      table: table.optional(),
      family: family.optional(),
      oif: linkRef.optional(),
      protocol: protocol.optional(),
      type: routeType.optional(),
      scope: scope.optional(),
      gateway: ip.optional(),
      root: dstSchema.optional(),
      match: dstSchema.optional(),
      exact: dstSchema.optional(),
    })
    .strict();

  const getSchema = z
    .object({
      from: ip.optional(),
      oif: linkRef.optional(),
      iif: linkRef.optional(),
      mark: u32.optional(),
      fibMatch: z.boolean().optional(),
      uid: u32.optional(),
      ipproto: z.union([z.enum(['tcp', 'udp', 'icmp', 'icmpv6']), z.number().int().min(0).max(255)]).optional(),
      sport: z.number().int().min(0).max(65535).optional(),
      dport: z.number().int().min(0).max(65535).optional(),
    })
    .strict();

  const deleteOptsSchema = z.object({ ifExists: z.boolean().optional() }).strict();

  // get()'s dst: an address, or a host prefix (/32, /128) which is the same address.
  const getDst = z
    .string()
    .transform((d) => d.replace(/\/(32|128)$/, ''))
    .pipe(V().ip);
  return { specSchema, listSchema, getSchema, deleteOptsSchema, writeOptsSchema, getDst };
});
export type Spec = z.output<ReturnType<typeof S>['specSchema']>;
export type ListFilter = z.output<ReturnType<typeof S>['listSchema']>;
