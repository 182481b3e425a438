/**
 * Run a script as a reader would, without touching anything outside a test namespace: enter the
 * test namespace `ns` (its network), then a private mount namespace whose /run/netns is an empty
 * tmpfs. So `Rtnl.open()` in the script is the test namespace, and `netns.create('blue')` makes a
 * namespace only that script can see; whatever it leaves behind vanishes with the process.
 * `import ... from 'rtnl'` (and 'rtnl/codec') in the script is rewritten to this checkout's
 * sources, and the script runs under tsx.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** 'rtnl' and 'rtnl/codec' import specifiers, pointed at the sources. */
export function toSources(code: string): string {
  return code.replace(
    /(from\s+|import\s*\(\s*)(['"])rtnl(\/codec)?\2/g,
    (_m, lead: string, q: string, sub?: string) => {
      const file = join(repoRoot, sub ? 'src/codec/index.ts' : 'src/index.ts');
      return `${lead}${q}${file}${q}`;
    },
  );
}

/** Run `code` (an ES module, named `name` for stack traces) in the sandbox; returns spawnSync's result. */
export function runSandboxed(
  ns: string,
  name: string,
  code: string,
  args: string[] = [],
  timeout = 50_000,
): SpawnSyncReturns<string> & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-sandbox-'));
  const file = join(dir, name);
  try {
    writeFileSync(file, code);
    const r = spawnSync(
      'nsenter',
      [
        `--net=/run/netns/${ns}`,
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount -t tmpfs rtnl-sandbox /run/netns && exec "$0" --import tsx "$@"',
        process.execPath,
        file,
        ...args,
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout },
    );
    return Object.assign(r, { file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
