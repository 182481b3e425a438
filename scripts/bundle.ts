/**
 * rtnl's CommonJS bundles, built with esbuild: the library (dist/rtnl.cjs and its loader
 * dist/load.cjs) and the CLI (dist/cli/main.cjs behind dist/cli/bin.cjs). `npm run build` runs this
 * file; the tests build the CLI with the same options (test/cli/helpers.ts), so the CLI they run
 * is the one that ships.
 *
 * Code written as ES modules finds files next to itself through `import.meta.url`, which a
 * CommonJS bundle lacks: src/boot/import-meta-url.ts stands in for it (esbuild's documented
 * recipe). Dynamic import() is turned into require(), so a bundle stays one file.
 */
import { type BuildOptions, buildSync } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** Output name (under the output directory, without .cjs) -> entry point. */
export const LIBRARY = { rtnl: 'src/boot/bundle.ts', load: 'src/boot/library.ts' };
export const CLI = { 'cli/main': 'src/cli/main.ts', 'cli/bin': 'src/cli/bin.ts' };

/** esbuild's options for `entries`, written to `outdir`. */
export function bundleOptions(entries: Record<string, string>, outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, join(ROOT, src)])),
    bundle: true,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    packages: 'external',
    minifySyntax: true,
    inject: [join(ROOT, 'src/boot/import-meta-url.ts')],
    define: { 'import.meta.url': 'importMetaUrl' },
    outdir,
    logLevel: 'warning',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildSync({
    ...bundleOptions({ ...LIBRARY, ...CLI }, join(ROOT, 'dist')),
    sourcemap: true,
    sourcesContent: false,
  });
}
