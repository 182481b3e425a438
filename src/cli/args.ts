/**
 * A small parser for ip's keyword syntax: `KEYWORD VALUE ...` and bare flags, read left to
 * right with a cursor, with ip's abbreviation rule (a word may be cut short: `sh` for `show`).
 * Every failure is a UsageError with a one-line message; nothing here touches the kernel.
 */
import { PROTOCOL_NAMES } from '../ops/names.js';
import { parsePrefix } from '../ops/validate.js';
import { confId } from './names.js';

/** Bad command-line input. main.ts prints `Error: <message>` and exits with status 2. */
export class UsageError extends Error {
  readonly code = 'ERR_RTNL_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran and wants this exit status without an error line (`netns exec`). */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit status ${status}`);
    this.name = 'ExitStatus';
  }
}

/** Options that apply to every object, from before the object name. */
export interface Globals {
  /** -n NETNS */
  netns?: string;
  /** -j */
  json: boolean;
  /** -p */
  pretty: boolean;
  /** -d (given twice: more) */
  details: number;
  /** -4 / -6 */
  family?: 4 | 6;
  /** -s */
  stats: number;
  /** -br */
  brief?: boolean;
  /** -o */
  oneline?: boolean;
  /** -t (monitor: a timestamp line before each event), -ts (short, on the same line) */
  timestamp?: 'long' | 'short';
}

export const defaultGlobals = (): Globals => ({ json: false, pretty: false, details: 0, stats: 0 });

/**
 * ip's matches(): `word` is a non-empty prefix of `full`. `ip l sh` is `ip link show`.
 */
export const matches = (word: string, full: string): boolean => word.length > 0 && full.startsWith(word);

/** The first of `choices` that `word` abbreviates, in order (so ambiguous prefixes resolve as ip does). */
export function pick<T extends string>(word: string, choices: readonly T[]): T | undefined {
  return choices.find((c) => matches(word, c));
}

/** A cursor over the words of one command. */
export class Args {
  private i = 0;
  constructor(
    private readonly words: readonly string[],
    /** For messages: 'link add', 'route', ... */
    readonly context: string,
  ) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  get rest(): string[] {
    return this.words.slice(this.i);
  }

  peek(): string | undefined {
    return this.words[this.i];
  }

  /** Take the next word (it must exist). */
  shift(): string {
    const w = this.words[this.i];
    if (w === undefined)
      throw new UsageError(`command line is not complete, try "rtnl ${this.context.split(' ')[0]} help"`);
    this.i++;
    return w;
  }

  /** Take the value of `keyword` (which was just read). */
  value(keyword: string): string {
    const w = this.words[this.i];
    if (w === undefined)
      throw new UsageError(`"${keyword}" needs a value, try "rtnl ${this.context.split(' ')[0]} help"`);
    this.i++;
    return w;
  }

  /** If the next word is exactly `word`, consume it. */
  accept(word: string): boolean {
    if (this.words[this.i] === word) {
      this.i++;
      return true;
    }
    return false;
  }
}

/** Reject a keyword given twice, as ip's duparg() does. */
export function once<T>(current: T | undefined, keyword: string, value: string): void {
  if (current !== undefined) throw new UsageError(`either "${keyword}" is duplicate, or "${value}" is garbage`);
}

/**
 * The device of a `show` command: `dev NAME`, or a bare NAME as ip allows. `k` is the word just
 * taken; `current` the device seen so far (given twice is an error).
 */
export function showDev(a: Args, k: string, current: string | undefined): string {
  if (k === 'dev') {
    once(current, 'dev', a.peek() ?? '');
    return a.value(k);
  }
  once(current, 'dev', k);
  return k;
}

export function invalid(keyword: string, value: string, why: string): UsageError {
  return new UsageError(`argument "${value}" is wrong: ${keyword}: ${why}`);
}

/** An unsigned integer: decimal, or hex with 0x (as ip's get_u32 with base 0). */
export function uint(keyword: string, value: string, max = 0xffffffff): number {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(value)) n = parseInt(value.slice(2), 16);
  else if (/^0[0-7]+$/.test(value)) n = parseInt(value, 8);
  else if (/^\d+$/.test(value)) n = Number(value);
  else throw invalid(keyword, value, 'not a number');
  if (!Number.isSafeInteger(n) || n > max) throw invalid(keyword, value, `must be at most ${max}`);
  return n;
}

/** `on` / `off` (ip's parse_on_off). */
export function onOff(keyword: string, value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw invalid(keyword, value, 'expected "on" or "off"');
}

/** A prefix (ADDR or ADDR/LEN), checked here so that the error names the keyword. */
export function prefixArg(keyword: string, value: string): string {
  if (value === 'default' || value === 'all' || value === 'any') return value;
  if (!parsePrefix(value)) throw invalid(keyword, value, 'not an IPv4 or IPv6 prefix');
  return value;
}

/** An IP address without a length. */
export function addressArg(keyword: string, value: string): string {
  const p = parsePrefix(value);
  if (!p || value.includes('/')) throw invalid(keyword, value, 'not an IPv4 or IPv6 address');
  return value;
}

/** A routing table: a name (main, local, default) or a number. 'all' only where allowed. */
export function tableArg(
  keyword: string,
  value: string,
  allowAll = false,
): number | 'main' | 'local' | 'default' | 'all' {
  if (value === 'main' || value === 'local' || value === 'default') return value;
  if (value === 'all' && allowAll) return 'all';
  if (value === 'unspec') return 0 as never;
  const conf = /^\d/.test(value) ? undefined : confId('rt_tables', value);
  if (conf !== undefined) return conf;
  return uint(keyword, value);
}

/** A protocol word: a number, a name from /etc/iproute2/rt_protos (as its number), or a kernel name. */
export function protoArg(value: string): string | number {
  if (/^\d+$/.test(value)) return Number(value);
  if (Object.values(PROTOCOL_NAMES).includes(value)) return value;
  return confId('rt_protos', value) ?? value;
}

/** A scope word: a builtin name, a name from /etc/iproute2/rt_scopes (as its number), or a number. */
export function scopeArg(keyword: string, value: string, builtin: readonly string[]): string | number {
  if (builtin.includes(value)) return value;
  const conf = /^\d/.test(value) ? undefined : confId('rt_scopes', value);
  return conf ?? uint(keyword, value, 255);
}

/**
 * Routing realms `[FROM/]TO` (route `realm`/`realms`, rule `realms`): each a number or a name from
 * /etc/iproute2/rt_realms ('cosmos' is 0 without the file, as in ip).
 */
export function realmsArg(keyword: string, value: string): { from?: number; to: number } {
  const one = (v: string): number => {
    if (/^\d/.test(v)) return uint(keyword, v, 0xffff);
    const conf = confId('rt_realms', v) ?? (v === 'cosmos' ? 0 : undefined);
    if (conf === undefined) throw invalid(keyword, value, 'expected a realm number or a name from rt_realms');
    return conf;
  };
  const [x, y, extra] = value.split('/');
  if (extra !== undefined) throw invalid(keyword, value, 'expected [FROM/]TO');
  return y === undefined ? { to: one(x!) } : { from: one(x!), to: one(y) };
}

/** A namespace for `netns`: a PID when numeric (as ip), else a name. */
export function netnsArg(value: string): string | { pid: number } {
  return /^\d+$/.test(value) ? { pid: Number(value) } : value;
}

/** snake_case to camelCase: forward_delay -> forwardDelay. */
export const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
