/** Shared by the CLI tests: running the CLI, and comparing rtnl's JSON with ip's. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'src/cli/main.ts');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run `node --import tsx src/cli/main.ts ARGS...`. */
export function rtnl(args: string[], input?: Uint8Array | string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
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
