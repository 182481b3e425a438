// Every code block in README.md and docs/**/*.md is type-checked, and the ones meant to run, run.
//
// HOW TO WRITE AND MARK A CODE BLOCK (read this if this test failed on your docs):
//
//   ```ts  (or ```typescript, ```js)   checked AND run. This is the default: prefer it.
//   ```ts no-run     checked, not run. For what this machine cannot do (a link kind the kernel
//                    lacks, a device that does not exist) or a signature shown as code.
//   ```ts no-check   neither checked nor run: pseudo-code only. Avoid; keep this list tiny.
//   ```sh, ```text, ```json, plain ```   not TypeScript: ignored.
//
// A page's TypeScript blocks form ONE script, in the order they appear: a later block sees the
// names an earlier one declared (so a page opens its client once, in its first block, and closes
// it in its last). Imports may appear in any block; they are hoisted. 'rtnl' and 'rtnl/codec'
// resolve to this checkout's sources, in a dynamic import('rtnl') too. A `no-run` block is checked where it stands, but what it
// declares is not visible to later blocks.
//
// The script runs as root in a fresh network namespace that this test makes (named like every
// test namespace, deleted afterwards), in a private mount namespace with its own empty
// /run/netns (test/helpers/sandbox.ts): so `netns.create('blue')` in a page makes a namespace only that script can see,
// and `Rtnl.open()` (no netns) is the test namespace, never the host's. Whatever a page leaves
// behind vanishes with that process. A page should still clean up after itself, as a reader's
// script should.
//
// A ```js block must also be plain JavaScript that Node 20 parses as an ES module (no types, no
// `await using`): `node --check` checks it, since a reader may save it as file.mjs and run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { needsRoot, withTestNetns } from '../helpers/netns.js';
import { runSandboxed, toSources } from '../helpers/sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LANGS = new Set(['ts', 'typescript', 'js', 'javascript']);
const MARKS = new Set(['no-run', 'no-check']);
const HOWTO =
  'mark a block in its info string: ```ts (checked and run), ```ts no-run (checked only), ' +
  '```ts no-check (shown only; avoid). See the top of test/docs/code-blocks.test.ts.';

interface Block {
  page: string;
  /** 1-based line of the first code line. */
  line: number;
  lang: string;
  marks: Set<string>;
  code: string[];
}

export function extractBlocks(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*([^\s`]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/`/g, '') === '')) j++;
    if (LANGS.has(lang)) {
      const marks = new Set(rest.split(/\s+/).filter(Boolean));
      for (const m of marks)
        assert.ok(MARKS.has(m), `${page}:${i + 1}: unknown mark '${m}' after \`\`\`${lang}; ${HOWTO}`);
      out.push({
        page,
        line: i + 2,
        lang,
        marks,
        code: lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)),
      });
    }
    i = j;
  }
  return out;
}

/** README.md and every .md under docs/ (subfolders too; docs/api is generated), in a stable order. */
function pages(): string[] {
  const walk = (rel: string): string[] =>
    readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? rel === 'docs' && e.name === 'api'
          ? []
          : walk(`${rel}/${e.name}`)
        : e.name.endsWith('.md')
          ? [`${rel}/${e.name}`]
          : [],
    );
  return ['README.md', ...walk('docs').sort()];
}

const IMPORT = /^import\s[\s\S]*?\sfrom\s+(['"])([^'"]+)\1;?[ \t]*$|^import\s+(['"])([^'"]+)\3;?[ \t]*$/gm;

/** One line of the generated script and where it came from. */
interface Script {
  text: string;
  /** Generated line (0-based) -> "page:line" of the markdown. */
  origin: string[];
  runnable: boolean;
}

/**
 * The page's script: hoisted imports (named imports of one module merged), then each block in
 * order, `no-run` blocks inside `if (false as boolean) { ... }`. `resolve` maps a specifier.
 */
function pageScript(blocks: Block[], resolve: (spec: string) => string, track = false): Script {
  const named = new Map<string, Set<string>>();
  const other = new Map<string, string>(); // statement -> origin
  const origin: string[] = [];
  const body: string[] = [];
  let runnable = false;
  for (const b of blocks) {
    if (b.marks.has('no-check')) continue;
    let code = b.code.join('\n');
    code = code.replace(IMPORT, (stmt: string, _q: string, spec1?: string, _q2?: string, spec2?: string) => {
      const spec = (spec1 ?? spec2) as string;
      const m = /^import\s+(type\s+)?\{([^}]*)\}\s+from/.exec(stmt);
      if (m) {
        const set = named.get(spec) ?? new Set<string>();
        for (const n of m[2].split(',').map((s) => s.trim())) if (n) set.add(m[1] ? `type ${n}` : n);
        named.set(spec, set);
      } else {
        other.set(
          stmt.replace(/(['"])([^'"]+)\1/, (_s, q, s) => `${q}${resolve(s)}${q}`),
          `${b.page}:${b.line}`,
        );
      }
      return stmt.replace(/[^\n]/g, ''); // keep the line count
    });
    // A dynamic import('rtnl') resolves as the static ones do (a page may import rtnl late on
    // purpose: after turning on Node's compile cache, say).
    code = code.replace(
      /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g,
      (_m, q: string, spec: string) => `import(${q}${resolve(spec)}${q})`,
    );
    const lines = code.split('\n');
    const noRun = b.marks.has('no-run');
    if (!noRun) runnable = true;
    // When running, each block records where it starts, so a failure can say which block it was.
    const mark = track ? `${TRACK} = '${b.page}:${b.line}'; ` : '';
    body.push(noRun ? `if (false as boolean) { // ${b.page}:${b.line} (no-run)` : `${mark}// ${b.page}:${b.line}`);
    origin.push(`${b.page}:${b.line - 1}`);
    lines.forEach((l, k) => {
      body.push(l);
      origin.push(`${b.page}:${b.line + k}`);
    });
    body.push(noRun ? '}' : '');
    origin.push(`${b.page}:${b.line + lines.length}`);
  }
  const head: string[] = [];
  const headOrigin: string[] = [];
  for (const [spec, names] of named) {
    head.push(`import { ${[...names].join(', ')} } from '${resolve(spec)}';`);
    headOrigin.push(`imports of ${blocks[0].page}`);
  }
  for (const [stmt, o] of other) {
    head.push(stmt);
    headOrigin.push(o);
  }
  if (track) {
    head.push(`process.on('exit', (c) => { if (c) console.error(\`[in the block at \${${TRACK}}]\`); });`);
    headOrigin.push(`imports of ${blocks[0].page}`);
  }
  head.push('export {};');
  headOrigin.push(`imports of ${blocks[0].page}`);
  return { text: [...head, ...body].join('\n'), origin: [...headOrigin, ...origin], runnable };
}

const TRACK = '(globalThis as Record<string, unknown>).rtnlDocsBlock';

/** Where the generated scripts live for the type check: as if in test/docs/. */
const checkDir = join(root, 'test/docs');
const forCheck = (spec: string) =>
  spec === 'rtnl'
    ? '../../src/index.js'
    : spec === 'rtnl/codec'
      ? '../../src/codec/index.js'
      : spec.startsWith('rtnl/')
        ? `../../src/${spec.slice(5)}.js`
        : spec;
const forRun = (spec: string) =>
  spec.startsWith('.') ? join(checkDir, spec).replace(/\.js$/, '.ts') : toSources(`from '${spec}'`).slice(6, -1);

const all = pages().map((p) => ({ page: p, blocks: extractBlocks(p, readFileSync(join(root, p), 'utf8')) }));

describe('code blocks in README.md and docs/', () => {
  test('the extractor finds blocks, marks and their lines', () => {
    const md = ['# t', '```ts', 'const a = 1;', '```', '', '```ts no-run', 'a;', '```', '```sh', 'ls', '```'].join(
      '\n',
    );
    const b = extractBlocks('x.md', md);
    assert.deepEqual(
      b.map((x) => [x.line, [...x.marks], x.code]),
      [
        [3, [], ['const a = 1;']],
        [7, ['no-run'], ['a;']],
      ],
    );
    assert.throws(() => extractBlocks('x.md', '```ts norun\n```'), /unknown mark 'norun'.*no-run/);
    // The README's quick start and at least one block per guide are found.
    assert.ok(all.find((p) => p.page === 'README.md')!.blocks.length >= 2);
    const noCheck = all.flatMap((p) =>
      p.blocks.filter((x) => x.marks.has('no-check')).map((x) => `${x.page}:${x.line}`),
    );
    assert.ok(noCheck.length <= 3, `keep no-check blocks rare (${noCheck.join(', ')}); prefer no-run`);
  });

  test('every block type-checks (strict, as part of its page)', { timeout: 120_000 }, () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      },
    )!;
    const virtual = new Map<string, Script>();
    for (const { page, blocks } of all) {
      if (!blocks.some((b) => !b.marks.has('no-check'))) continue;
      virtual.set(join(checkDir, `${page.replace(/[/.]/g, '_')}.docs.ts`), pageScript(blocks, forCheck));
    }
    const options = { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
    host.readFile = (f) => virtual.get(f)?.text ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) =>
      virtual.has(f)
        ? ts.createSourceFile(f, virtual.get(f)!.text, lang, true)
        : getSourceFile.call(host, f, lang, ...rest);
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems: string[] = [];
    for (const [file, script] of virtual) {
      const sf = program.getSourceFile(file)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        problems.push(`${script.origin[line]}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    assert.deepEqual(
      problems,
      [],
      `code blocks that do not type-check (fix them, or ${HOWTO}):\n${problems.join('\n')}`,
    );
  });

  test('```js blocks are plain JavaScript that Node parses as an ES module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtnl-docs-js-'));
    try {
      for (const b of all.flatMap((p) => p.blocks).filter((x) => x.lang === 'js' || x.lang === 'javascript')) {
        const file = join(dir, 'block.mjs');
        writeFileSync(file, b.code.join('\n'));
        const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
        assert.equal(
          r.status,
          0,
          `${b.page}:${b.line}: not plain JavaScript for Node ${process.version}:\n${r.stderr}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const { page, blocks } of all) {
    if (blocks.length === 0) continue;
    const script = pageScript(blocks, forRun, true);
    if (!script.runnable) continue;
    test(`${page}: its blocks run, in order, in a test namespace`, { skip: needsRoot, timeout: 60_000 }, async () => {
      const name = `${page.replace(/[/.]/g, '_')}.mts`;
      await withTestNetns(async (ns) => {
        const r = runSandboxed(ns, name, script.text);
        if (r.status !== 0) {
          const where = new RegExp(`${name.replace(/[.]/g, '\\.')}:(\\d+)`).exec(r.stderr);
          const block = /\[in the block at ([^\]]+)\]/.exec(r.stderr)?.[1];
          const at = where
            ? ` (near ${script.origin[Number(where[1]) - 1]})`
            : block
              ? ` (in the block at ${block})`
              : '';
          assert.fail(
            `${page}: the page's code failed${at}; fix it, or mark what cannot run here \`\`\`ts no-run:\n` +
              `${r.stderr || r.error}\n--- stdout ---\n${r.stdout}`,
          );
        }
      });
    });
  }
});
