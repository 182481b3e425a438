/**
 * zod, loaded on first use. Importing zod costs about 35 ms of start-up (measured:
 * `import('zod')` alone), more than rtnl's whole start-up budget of 30 ms, so importing rtnl must
 * not load it. The first validation loads it, synchronously, and pays that cost once. Calls with
 * nothing to validate (`Rtnl.open()`, `links.list()`, ...) never load it.
 *
 * The only import of zod in src is the type-only one below. Every module builds its schemas in a
 * `schemas()` builder rather than at its top level.
 */
import { createRequire } from 'node:module';
import type { z } from 'zod';

/** The zod namespace (`z`) a schema builder gets. */
export type Zod = typeof z;

let zod: Zod | undefined;

/** Load zod (its CommonJS build, so synchronously), once. */
function load(): Zod {
  zod ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z;
  return zod;
}

/**
 * Schemas built on first need: the returned function loads zod, calls `build` once and returns
 * its result, then the same result on every later call.
 *
 * ```ts
 * const S = schemas((z) => ({ listSchema: z.object({ family: V().family.optional() }).strict() }));
 * check(S().listSchema, filter, 'filter');
 * type ListFilter = z.output<ReturnType<typeof S>['listSchema']>;
 * ```
 */
export function schemas<T>(build: (z: Zod) => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build(load()) }).value;
}
