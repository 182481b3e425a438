/** Shared by the CLI tests: running the CLI, and comparing rtnl's JSON with ip's. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { bundleOptions, CLI } from '../../scripts/bundle.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Where the tests keep the CLI they build, and its code cache. */
const CACHE = join(ROOT, 'node_modules/.cache/rtnl-test-cli');

let built: { bin: string; env: () => NodeJS.ProcessEnv } | undefined;

/**
 * The CLI as it ships (`npm run build`'s bundle behind bin.cjs, loaded with its code cache), built
 * from the current sources when they changed. Each test process takes a digest of src/, scripts/
 * and package-lock.json (about 0.1 s), and the first one to see a change builds (under 1 s).
 * Running `node --import tsx src/cli/main.ts` instead took 0.65 s a run, and the suite runs the
 * CLI about 170 times.
 */
export function builtCli(): { bin: string; env: () => NodeJS.ProcessEnv } {
  if (built) return built;
  // package-lock.json too: another esbuild may bundle differently.
  const hash = createHash('sha1').update(readFileSync(join(ROOT, 'package-lock.json')));
  for (const dir of ['src', 'scripts']) {
    const files = (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    for (const f of files.sort()) hash.update(`${dir}/${f}\0`).update(readFileSync(join(ROOT, dir, f)));
  }
  const id = hash.digest('hex').slice(0, 16);
  const out = join(CACHE, id);
  if (!existsSync(join(out, 'cli/bin.cjs'))) {
    const tmp = `${out}.${process.pid}.tmp`;
    buildSync(bundleOptions(CLI, tmp));
    try {
      renameSync(tmp, out);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another test process built it first
    }
    // Earlier sources' builds, and their code caches (each build's cache is a file of its own).
    for (const name of readdirSync(CACHE))
      if (name !== id && !name.endsWith('.tmp')) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
  // The environment is read at each run: a test may set a variable for the CLI (RTNL_IPROUTE2_DIR).
  built = {
    bin: join(out, 'cli/bin.cjs'),
    env: () => ({ ...process.env, NODE_COMPILE_CACHE: join(CACHE, 'code-cache') }),
  };
  return built;
}

/** Run the CLI (see builtCli): `rtnl ARGS...`. */
export function rtnl(args: string[], input?: Uint8Array | string): Promise<RunResult> {
  const { bin, env } = builtCli();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: ROOT, env: env(), encoding: 'utf8', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const status = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ status, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/**
 * A runner for `rtnl -n NS ARGS...` that fails the test unless the CLI exits 0, and returns its
 * stdout: the live CLI tests' `run(...)`.
 */
export function rtnlIn(ns: string): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const r = await rtnl(['-n', ns, ...args]);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
}

/** Run `ip ARGS...` and parse its JSON. */
export function ipJsonAsync(args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}

/** Keys whose values move between two reads (timers, lifetimes counting down). */
export const VOLATILE = /(_timer$|^valid_life_time$|^preferred_life_time$|^expires$|^used$|^confirmed$|^updated$)/;

/**
 * Every key of `ours` exists in `theirs` with the same value (recursively; arrays element by
 * element and of the same length). Returns the differences as `path: ours vs theirs` lines.
 * `skipValue` leaves out values rtnl cannot know in a pure test (unresolved names).
 */
export function subsetDiff(ours: unknown, theirs: unknown, path = '', skipValue?: (v: unknown) => boolean): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, p: string) => {
    if (skipValue?.(a)) return;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) {
        out.push(`${p}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        return;
      }
      a.forEach((x, i) => walk(x, b[i], `${p}[${i}]`));
      return;
    }
    if (a !== null && typeof a === 'object') {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) {
        out.push(`${p}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        return;
      }
      for (const [k, v] of Object.entries(a)) {
        if (VOLATILE.test(k)) continue;
        if (!(k in (b as object))) out.push(`${p}.${k}: rtnl prints ${JSON.stringify(v)}, ip has no such key`);
        else walk(v, (b as Record<string, unknown>)[k], `${p}.${k}`);
      }
      return;
    }
    if (a !== b) out.push(`${p}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  walk(ours, theirs, path);
  return out;
}

/** A tiny jq: `.[] | select(.K == V) | .a.b` as a function over a parsed array. */
export function jqSelect(list: any[], key: string, value: unknown, path: string[]): unknown[] {
  return list.filter((o) => o?.[key] === value).map((o) => path.reduce((x, k) => (x == null ? undefined : x[k]), o));
}
