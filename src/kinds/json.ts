/**
 * Pure helpers for printing kind data as `ip -j` does: shared by the link kind plugins and the
 * CLI's formatters (src/cli/format-util.ts re-exports them). No I/O, no imports from ops or cli.
 */

export type Json = Record<string, unknown>;

/** Index -> name, as ip's ll_idx_n2a: unknown indexes print as `if<N>`. */
export interface Names {
  ifname(index: number): string;
  /** Whether a link is up; undefined when not known. ip marks a link whose lower device is down M-DOWN. */
  isUp?(index: number): boolean | undefined;
  /** A uid's and a gid's name, as ip prints a tun's owner and group (undefined: print the number). */
  user?(uid: number): string | undefined;
  group?(gid: number): string | undefined;
}

/** printf("%#x"): '0' for zero, '0x1f' otherwise. */
export const hash0x = (n: number): string => (n === 0 ? '0' : `0x${(n >>> 0).toString(16)}`);

/** An enum the codec decoded to its kernel name (or left as a number when unknown). */
export function enumValue(v: unknown, table: Record<string, number>): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in table) return table[v];
  return undefined;
}

export const num = (v: unknown): number | undefined =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
/** A clock_t timer in centiseconds as ip prints it ("%.2f" seconds). */
export const timer = (v: unknown): number | undefined => {
  const n = num(v);
  return n === undefined ? undefined : Math.round(n) / 100;
};
export const bool = (v: unknown): boolean => v !== undefined && v !== 0 && v !== false;

/** ifla_bridge_id as ip prints it: "8000.a6:7a:5a:b:f1:6d" (priority in hex, then unpadded MAC bytes). */
export function bridgeId(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { priority, address: addr } = v as { priority?: number; address?: string };
  if (typeof priority !== 'number' || typeof addr !== 'string') return undefined;
  const p = priority.toString(16).padStart(4, '0');
  return `${p}.${addr
    .split(':')
    .map((h) => parseInt(h, 16).toString(16))
    .join(':')}`;
}

/** Set `key` only when the value is defined (ip prints nothing for a missing attribute). */
export function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}
