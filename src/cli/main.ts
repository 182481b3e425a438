/**
 * rtnl: an `ip`-shaped command over the rtnl ops API. It never runs `ip` or any other program.
 *
 *   rtnl [-n NETNS] [-j] [-p] [-d] [-4|-6] OBJECT COMMAND ...
 *
 * Exit status: 0 on success, 2 for a usage error or a request the kernel (or validation)
 * rejected, 1 for anything unexpected. Errors print as one `Error: ...` line on stderr; set
 * RTNL_DEBUG=1 for the stack.
 */
import { realpathSync } from 'node:fs';
import { getSystemErrorMap } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DecodeError, EncodeError, NetlinkError, RtnlError, SysError, ValidationError } from '../errors.js';
import type { Rtnl } from '../ops/client.js';
import { address } from './addr.js';
import { defaultGlobals, ExitStatus, matches, pick, UsageError, type Globals } from './args.js';
import { isOpsCall, runOp, type Context, type ObjectCommand, type Plan } from './command.js';
import { bridgeCommand } from './bridge.js';
import { decodeCommand } from './decode.js';
import { ethtoolCommand } from './ethtool.js';
import { link } from './link.js';
import { monitorCommand } from './monitor.js';
import { neighbour } from './neigh.js';
import { netnsCommand } from './netns.js';
import { nexthop } from './nexthop.js';
import { route } from './route.js';
import { rule } from './rule.js';
import { tuntap } from './tuntap.js';
import { tcCommand } from './tc.js';

export const USAGE = `Usage: rtnl [OPTIONS] OBJECT { COMMAND | help }
       rtnl [-force] -batch FILENAME
       rtnl decode [FILE | -]
       rtnl [-n NETNS] ethtool [--json] OPTION DEV [ARGS...]
where  OBJECT := { link | address | route | rule | neigh | nexthop | tuntap | netns | monitor | bridge | decode | ethtool | tc }
       OPTIONS := { -n[etns] NAME | -j[son] | -p[retty] | -d[etails] | -4 | -6 | -s[tats] |
                    -br[ief] | -o[neline] | -t[imestamp] | -ts[hort] |
                    -b[atch] FILENAME | -force | -h[elp] | -V[ersion] }
Each OBJECT has its own help: rtnl link help, rtnl route help, ...`;

/** Object names in ip's lookup order, so that abbreviations resolve as with ip (`r` is route). */
const OBJECT_NAMES = [
  'address',
  'route',
  'rule',
  'neighbor',
  'neighbour',
  'link',
  'tap',
  'tuntap',
  'monitor',
  'netns',
  'bridge',
  'nexthop',
  'decode',
  'ethtool',
  'tc',
  'help',
] as const;
const OBJECTS: Record<string, ObjectCommand> = {
  address,
  route,
  rule,
  neighbor: neighbour,
  neighbour,
  link,
  tap: tuntap,
  tuntap,
  monitor: monitorCommand,
  netns: netnsCommand,
  bridge: bridgeCommand,
  nexthop,
  decode: decodeCommand,
  ethtool: ethtoolCommand,
  tc: tcCommand,
};

export interface ParsedCommand {
  g: Globals;
  object?: ObjectCommand;
  plan: Plan;
}

/** Options that only the program's own command line takes (not a batch line). */
interface ProgramOptions {
  /** -batch FILE: run the commands in FILE ('-': stdin), one per line. */
  batch?: string;
  /** -force: in a batch, go on after a failed command. */
  force?: boolean;
}

/**
 * Parse a whole command line (without the program name). Pure: throws UsageError. `base` holds
 * the options a batch line inherits from the program's command line.
 */
export function parseCommandLine(argv: readonly string[], base?: Globals, program?: ProgramOptions): ParsedCommand {
  const g = base ? { ...base } : defaultGlobals();
  let i = 0;
  for (; i < argv.length; i++) {
    let opt = argv[i]!;
    if (opt === '--') {
      i++;
      break;
    }
    if (!opt.startsWith('-') || opt === '-') break;
    if (opt.startsWith('--')) opt = opt.slice(1);
    if (opt === '-4') g.family = 4;
    else if (opt === '-6') g.family = 6;
    else if (matches(opt, '-netns') && opt.length >= 2) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('option "-netns" needs a namespace name');
      g.netns = v;
    } else if (matches(opt, '-json') && opt.length >= 2) g.json = true;
    else if (matches(opt, '-pretty') && opt.length >= 2) g.pretty = true;
    else if (matches(opt, '-details') && opt.length >= 2) g.details++;
    else if ((matches(opt, '-stats') || matches(opt, '-statistics')) && opt.length >= 2) g.stats++;
    else if (matches(opt, '-brief') && opt.length >= 3) g.brief = true;
    else if (matches(opt, '-oneline') && opt.length >= 2) g.oneline = true;
    else if (matches(opt, '-tshort') && opt.length >= 3) g.timestamp = 'short';
    else if (matches(opt, '-timestamp') && opt.length >= 2) g.timestamp = 'long';
    else if (
      [
        '-human',
        '-human-readable',
        '-iec',
        '-resolve',
        '-rcvbuf',
        '-loops',
        '-color',
        '-echo',
        '-all',
        '-N',
        '-numeric',
        '-r',
        '-c',
        '-a',
        '-l',
        '-rc',
      ].includes(opt) ||
      opt.startsWith('-color=')
    )
      throw new UsageError(`"${argv[i]}" is not supported by rtnl`);
    else if (matches(opt, '-family') && opt.length >= 3) {
      const v = argv[++i];
      if (v === 'inet') g.family = 4;
      else if (v === 'inet6') g.family = 6;
      else throw new UsageError(`unsupported family "${v ?? ''}" (inet or inet6)`);
    } else if (matches(opt, '-batch') && opt.length >= 2 && program) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('option "-batch" needs a file name (or -)');
      program.batch = v;
    } else if (opt === '-force' && program) program.force = true;
    else if ((matches(opt, '-help') && opt.length >= 2) || opt === '-?')
      return { g, plan: { op: 'help', args: [USAGE] } };
    else if (matches(opt, '-Version') && opt.length >= 2) return { g, plan: { op: 'version', args: [] } };
    else throw new UsageError(`option "${argv[i]}" is unknown, try "rtnl -help"`);
  }
  const word = argv[i];
  if (program?.batch !== undefined) {
    if (word !== undefined) throw new UsageError(`"-batch" runs the commands of a file; unexpected "${word}"`);
    return { g, plan: { op: 'batch', args: [program.batch, program.force ?? false] } };
  }
  if (word === undefined) return { g, plan: { op: 'help', args: [USAGE] } };
  const name = pick(word, OBJECT_NAMES);
  if (name === 'help') return { g, plan: { op: 'help', args: [USAGE] } };
  const object = name ? OBJECTS[name] : undefined;
  if (!object) throw new UsageError(`object "${word}" is unknown, try "rtnl help"`);
  const rest = argv.slice(i + 1);
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h'))
    return { g, object, plan: { op: 'help', args: [object.usage] } };
  return { g, object, plan: object.parse(rest, g) };
}

/** One `Error: ...` line for an error, and the exit status. */
export function describeError(err: unknown): { line: string; status: number } {
  if (err instanceof UsageError) return { line: `Error: ${err.message}`, status: 2 };
  if (err instanceof NetlinkError) {
    // As ip says it (ip finds the device before it sends anything, and exits with 1).
    if (err.code === 'ENODEV' && err.link !== undefined) return { line: `Cannot find device "${err.link}"`, status: 1 };
    const msg = err.extack.msg;
    if (msg)
      return {
        line: `Error: ${msg}${msg.endsWith('.') ? '' : '.'}${err.attrPath ? ` (at ${err.attrPath})` : ''}`,
        status: 2,
      };
    const text = getSystemErrorMap().get(-err.errno)?.[1];
    const what = text ? text[0]!.toUpperCase() + text.slice(1) : `errno ${err.errno}`;
    return { line: `Error: ${what} (${err.code}).`, status: 2 };
  }
  if (err instanceof ValidationError || err instanceof DecodeError || err instanceof EncodeError)
    return { line: `Error: ${err.message}`, status: 2 };
  if (err instanceof RtnlError) return { line: `Error: ${err.message}`, status: 2 };
  const e = err as { message?: string };
  return { line: `Error: ${e?.message ?? String(err)}`, status: 1 };
}

/** Run a command line; returns the exit status. Output goes through `out`/`err`. */
export async function main(
  argv: readonly string[],
  io: { out(s: string): void; err(s: string): void } = defaultIo,
): Promise<number> {
  let nl: Rtnl | undefined;
  const ac = new AbortController();
  const stop = () => {
    if (ac.signal.aborted) process.exit(130);
    ac.abort();
  };
  try {
    const parsed = parseCommandLine(argv, undefined, {});
    const { g } = parsed;
    const ctx: Context = {
      g,
      out: io.out,
      signal: ac.signal,
      client: async () => {
        if (!nl) {
          const { Rtnl } = await import('../ops/client.js');
          const onWarning = (m: string) => io.err(`Warning: ${m}`);
          if (g.netns === undefined) nl = await Rtnl.open({ onWarning });
          else {
            try {
              nl = await Rtnl.open({ netns: g.netns, onWarning });
            } catch (err) {
              if (err instanceof ValidationError) throw err;
              const why =
                err instanceof SysError && err.code === 'ENOENT' ? 'no such namespace' : (err as Error).message;
              throw new UsageError(`cannot open network namespace "${g.netns}": ${why}`);
            }
          }
        }
        return nl;
      },
    };
    if (parsed.plan.op === 'monitor') {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
    if (parsed.plan.op === 'batch')
      return await runBatch(parsed.plan.args[0] as string, parsed.plan.args[1] as boolean, ctx, io);
    await execute(parsed, ctx, io);
    return 0;
  } catch (err) {
    if (err instanceof ExitStatus) return err.status;
    if (ac.signal.aborted) return 0;
    return report(err, io);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await (nl as Rtnl | undefined)?.close();
  }
}

/** Print one error; returns the exit status for it. */
function report(err: unknown, io: { err(s: string): void }): number {
  const { line, status } = describeError(err);
  io.err(line);
  if (process.env.RTNL_DEBUG === '1' && err instanceof Error && err.stack) io.err(err.stack);
  return status;
}

async function execute({ object, plan }: ParsedCommand, ctx: Context, io: { out(s: string): void }): Promise<void> {
  if (plan.op === 'help') io.out(plan.args[0] as string);
  else if (plan.op === 'version') io.out(`rtnl ${await version()}`);
  else if (plan.op === 'batch') throw new UsageError('"-batch" cannot be nested');
  else if (isOpsCall(plan.op)) await runOp(await ctx.client(), plan);
  else await object!.run!(plan, ctx);
}

/** Split a batch line into words, as ip's makeargs: whitespace separates, quotes group, '#' comments. */
export function batchWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(#.*$)|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3] !== undefined) break;
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[4]!));
  }
  return words;
}

/**
 * `rtnl -batch FILE`: each line is a command (OBJECT COMMAND ...), run in order on one client.
 * Stops at the first failure unless -force; the status is that of the last failure.
 */
async function runBatch(
  file: string,
  force: boolean,
  ctx: Context,
  io: { out(s: string): void; err(s: string): void },
): Promise<number> {
  const { readFileSync } = await import('node:fs');
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read batch file "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let status = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const words = batchWords(lines[n]!);
    if (words.length === 0) continue;
    try {
      const parsed = parseCommandLine(words, ctx.g);
      if (parsed.g.netns !== ctx.g.netns)
        throw new UsageError('"-n" cannot change inside a batch; give it on the command line');
      if (parsed.plan.op === 'monitor') throw new UsageError('"monitor" cannot run inside a batch');
      await execute(parsed, { ...ctx, g: parsed.g }, io);
    } catch (err) {
      status = report(err, io);
      io.err(`Command failed ${file}:${n + 1}`);
      if (!force) return status;
    }
  }
  return status;
}

async function version(): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const defaultIo = {
  out: (s: string) => void process.stdout.write(`${s}\n`),
  err: (s: string) => void process.stderr.write(`${s}\n`),
};

/** Whether this module is the program being run (not imported by a test). */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Run the CLI as the program: argv from the process, output on stdout/stderr, the status as the
 * exit code. Called by bin.ts (the installed `rtnl`), or below when this file is run directly.
 */
export async function runAsProgram(): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const status = await main(process.argv.slice(2));
  process.exitCode = status;
  // Nothing should keep the process alive now; if something does, do not hang.
  setTimeout(() => process.exit(status), 2000).unref();
}

if (isEntry()) void runAsProgram();
