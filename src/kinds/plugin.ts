/**
 * The generic kind plugin: one object per kind of a netlink object that carries kind-specific
 * data selected by a kind name (a link's IFLA_INFO_KIND; a qdisc's, class's or filter's TCA_KIND,
 * an action's TCA_ACT_KIND: src/kinds/tc). It declares, in one place, the kind's codec data, its
 * option schema, how options become attributes and back, its `ip -j` / `tc -j` output, and its
 * CLI words.
 *
 * Plugins are pure: at run time they import only the codec (src/codec) and src/kinds, so the pure
 * codec can build its kind-selected nests from them. zod and rtnl's shared validators reach a
 * plugin as arguments of `schema()`; link names, namespace fds and the like reach it through a
 * `KindContext` the operation passes in. Anything that needs I/O (a create hook) is loaded with a
 * dynamic import when it is first called.
 */
import type { z } from 'zod';
import type { AttrSetDef, Kind } from '../codec/schema.js';
import type { V } from '../ops/validate.js';
import type { Zod } from '../ops/zod.js';
import type { Json, Names } from './json.js';

/** rtnl's shared validators (ifname, linkRef, mac, ip, u8, u32, netnsSpec, ...), as `schema()` gets them. */
export type Validators = ReturnType<typeof V>;

/**
 * What an operation lends a plugin while turning options into attributes. Each call resolves a
 * name once; fds handed out are closed by the operation after its request.
 */
export interface KindContext {
  /** The ifindex of a link in the operation's namespace, by name or index. */
  linkIndex(ref: string | number): Promise<number>;
  /** An fd of a namespace, valid until the operation's request is sent. */
  netnsFd(spec: unknown): number;
  /** The packet scheduler's clock, for kinds that count in its ticks (tc's tbf, htb, netem, red). */
  readonly clock?: SchedClock;
  /** Where the options sit in the caller's input (`qdisc.options`), for the fields of ValidationErrors. */
  readonly field?: string;
}

/**
 * The packet scheduler's clock, as /proc/net/psched gives it. Equivalent to: tc's tc_core_init()
 * and get_hz(), which tc uses to turn burst sizes and latencies into ticks.
 */
export interface SchedClock {
  /** Scheduler ticks per microsecond (15.625 on kernels since 3.x: 64 ns ticks). */
  readonly tickInUsec: number;
  /** What tc calls HZ: the clock resolution it divides rates by for default buffers. */
  readonly hz: number;
}

/**
 * What a tc operation lends a tc kind: the kind context with the clock and the field always
 * there (Equivalent to: the state tc's q_*.c parse_opt reads besides its words). The clock is read (from /proc) on first use, so a kind validates before it touches it.
 */
export interface TcKindContext extends KindContext {
  readonly clock: SchedClock;
  readonly field: string;
}

/**
 * A cursor over the words after `type KIND` on a command line (`ip link add x type vxlan id 5 ...`).
 * Errors it raises are the CLI's usage errors.
 */
export interface KindWords {
  readonly done: boolean;
  peek(): string | undefined;
  /** Take the next word. */
  shift(): string;
  /** Take the value of `keyword`, which was just read. */
  value(keyword: string): string;
  /** An unsigned integer (decimal, 0x hex, 0 octal), at most `max`. */
  uint(keyword: string, value: string, max?: number): number;
  /** `argument "VALUE" is wrong: KEYWORD: WHY`. */
  invalid(keyword: string, value: string, why: string): Error;
  /** Any other usage error, with its message. */
  usage(message: string): Error;
  /** `netns NAME|PID` as ip reads it. */
  netns(value: string): string | { pid: number };
}

/** What a tc kind's TCA_OPTIONS may be in the codec: an attribute set's nest, a struct, or both. Equivalent to: what tc's parse_opt puts under TCA_OPTIONS. */
export type TcData = Kind;

/**
 * One kind. `Options` is what users write (ip's words for values: `mode: 'bridge'`,
 * `protocol: '802.1Q'`); `Attrs` is the decoded kind data (the codec's values).
 *
 * The contract that makes one vocabulary both ways: for every options object `o` the schema
 * accepts, `fromAttrs(decode(encode(toAttrs(o))))` describes the same configuration as `o`, and
 * everything `fromAttrs` returns is accepted by the schema.
 */
export interface KindPlugin<Options = unknown, Attrs = Record<string, unknown>, Data = AttrSetDef> {
  /** The kernel's name of the kind: IFLA_INFO_KIND ('vxlan'), TCA_KIND ('htb'). */
  readonly kind: string;
  /**
   * The codec data of the kind's nest (IFLA_INFO_DATA, TCA_OPTIONS); none for kinds without data.
   * An attribute set for link kinds; a tc kind's TCA_OPTIONS may also be a struct (pfifo's
   * tc_fifo_qopt) or a struct followed by attributes (netem), so tc kinds set `Data` to `TcData`.
   */
  readonly data?: Data;
  /** The option schema, built on first use with zod and the shared validators. Strict: unknown keys fail. */
  readonly schema?: (z: Zod, v: Validators) => z.ZodType;
  /** Validated options -> the kind's attributes (what goes into the nest). */
  toAttrs?(options: Options, ctx: KindContext): Attrs | Promise<Attrs>;
  /** The decoded nest -> options in the input vocabulary, or undefined when there is nothing to say. */
  fromAttrs?(attrs: Attrs): Options | undefined;
  /** The nest as `ip -j -d` (or `tc -j`) prints it. */
  json?(attrs: Attrs, names: Names): Json;
  /** The nest as text, from its JSON; by default `key value` pairs in JSON order. */
  text?(json: Json): string;
  /** `type KIND WORDS...` -> options (undefined when no word was given). */
  parseArgs?(words: KindWords): Options | undefined;
  /** The `ARGS for KIND:` lines of the usage text. */
  readonly usage?: string;
}

/**
 * The number behind an enum value as the codec decodes it: a name from `table` (an enumOf()
 * table) or a number it did not name. Plugins use it rather than indexing the constants by a
 * computed name, which would make the bundler keep every constant.
 */
export function enumNumber(table: Readonly<Record<number, string>>, v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  for (const n in table) if (table[n] === v) return Number(n);
  return undefined;
}

/** Declare a plugin with its types checked and its literal types kept. */
export function definePlugin<const P extends KindPlugin<any, any>>(plugin: P): P {
  return plugin;
}
