/**
 * Declarations for CommonJS consumers: a .d.cts next to every .d.ts in dist/, with relative
 * specifiers './x.js' rewritten to './x.cjs' (which TypeScript resolves to './x.d.cts').
 *
 * The package is ESM. Node 20.19+ can require() it, but TypeScript with "module": "node16" (a
 * CommonJS project) refuses to type an import of an ES module's declarations (TS1479). The
 * package.json "require" condition points TypeScript at these copies instead, which it reads as
 * CommonJS declarations. Run by `npm run build`, after tsc has written the .d.ts files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../dist');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

for (const file of walk(dist)) {
  const text = readFileSync(file, 'utf8')
    .replace(/((?:from|import\()\s*['"])(\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1$2.cjs$3')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '');
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
}
