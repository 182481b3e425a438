// The published package: `npm pack`, installed offline into an empty project, imported both
// ways (import and require), and its CLI run.
//
// The install must work on a fresh machine: with an empty npm cache and no network. So the
// dependencies already installed here (koffi, its platform binary package, zod) are packed too and
// all tarballs are installed together; npm then needs no registry metadata at all.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

test('npm pack installs offline into an empty project; import, require and the CLI work', {
  timeout: 180_000,
}, async () => {
  const work = mkdtempSync(join(tmpdir(), 'rtnl-pack-'));
  // An empty cache of our own: nothing this test does may depend on what an earlier npm run left.
  const env = { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_offline: 'true' };
  try {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [{ filename, files }] = JSON.parse(out.slice(out.indexOf('[')));
    // The production dependency tree as installed (optional platform packages only where present).
    const deps = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: root,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .split('\n')
      .filter((p) => p.includes('node_modules'));
    assert.ok(deps.some((p) => p.endsWith('/koffi')) && deps.some((p) => p.endsWith('/zod')), deps.join(' '));
    const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...deps], {
      cwd: root,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const depTarballs = (JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>).map((d) =>
      join(work, d.filename),
    );
    const paths = (files as Array<{ path: string }>).map((f) => f.path);
    for (const f of [
      ...['LICENSE', 'CHANGELOG.md', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/codec/index.d.cts'],
      ...['dist/index.js', 'dist/index.cjs', 'dist/codec/index.js', 'dist/codec/index.cjs'],
      ...['dist/load.cjs', 'dist/rtnl.cjs', 'dist/rtnl.cjs.map'],
    ])
      assert.ok(paths.includes(f), `${f} ships`);
    // Source maps ship without the sources (they were half the package): file:line mapping only.
    const map = JSON.parse(readFileSync(join(root, 'dist/rtnl.cjs.map'), 'utf8')) as { sourcesContent?: unknown };
    assert.equal(map.sourcesContent, undefined, 'source maps carry no sourcesContent');
    assert.ok(
      !paths.some((p) => p.startsWith('test/') || p.startsWith('src/') || p.startsWith('fixtures/')),
      'only dist and docs ship',
    );

    // Every module costs Node a resolve, read and link at start-up (about 1 ms of CPU each,
    // measured: 16 modules against 5 were 123 against 111 ms CPU for import + open + list). The
    // library is one CommonJS bundle (rtnl.cjs) that load.cjs loads once for all four entry files.
    const requires = (f: string) =>
      [...readFileSync(join(root, 'dist', f), 'utf8').matchAll(/\brequire\("(\.[^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(requires('rtnl.cjs'), [], 'rtnl.cjs is a single file');
    assert.deepEqual(requires('index.cjs'), ['./load.cjs']);
    assert.deepEqual(requires('codec/index.cjs'), ['../load.cjs']);
    assert.match(
      readFileSync(join(root, 'dist/index.js'), 'utf8'),
      /createRequire\(import\.meta\.url\)\("\.\/load\.cjs"\)/,
    );
    // esbuild escapes what is not ASCII, which lets the loader read a bundle as Latin-1.
    assert.ok(
      readFileSync(join(root, 'dist/rtnl.cjs')).every((b) => b < 0x80),
      'rtnl.cjs is ASCII',
    );
    // rtnl loads koffi by its file (src/ffi/libc.ts), but both bundles still name it in a literal
    // require, which tools that trace dependencies by reading code (bundlers, deployment file
    // tracers) look for.
    for (const f of ['rtnl.cjs', 'cli/main.cjs'])
      assert.match(readFileSync(join(root, 'dist', f), 'utf8'), /\brequire\("koffi"\)/, `${f} names koffi`);
    // The CLI is one CommonJS bundle (main.cjs, which requires no file of its own) behind a small
    // entry (bin.cjs) that sets up the code cache: Node's own where it exists, rtnl's on Node 20.
    assert.deepEqual(requires('cli/main.cjs'), [], 'main.cjs is a single file');
    assert.deepEqual(requires('cli/bin.cjs'), [], 'bin.cjs names main.cjs by path, not by a relative require');
    assert.match(
      readFileSync(join(root, 'dist/cli/bin.cjs'), 'utf8'),
      /loadBundle\(.*"main\.cjs"\), cacheDirFor\(\)\)/,
    );
    assert.ok(
      readFileSync(join(root, 'dist/cli/main.cjs')).every((b) => b < 0x80),
      'main.cjs is ASCII',
    );

    // Internal members stay out of the published declarations (@internal + stripInternal, # fields):
    // npm pack built them (prepare).
    const dts = readFileSync(join(root, 'dist/ops/client.d.ts'), 'utf8');
    assert.ok(dts.includes('class Rtnl'), 'client.d.ts declares Rtnl');
    for (const name of ['engine', 'nsFd', 'trackMonitor', 'onClose', 'closeSync', 'openSocketIn'])
      assert.ok(!new RegExp(`\\b${name}\\s*[(:;]`).test(dts), `client.d.ts does not publish ${name}`);

    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
    );
    const install = (dir: string, ...extra: string[]) => {
      const r = spawnSync(
        'npm',
        ['install', '--offline', '--no-audit', '--no-fund', ...extra, join(work, filename), ...depTarballs],
        { cwd: dir, env, encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      return r.stderr;
    };
    // npm 11 warns about every dependency's install scripts; rtnl must have none (koffi's is its
    // own, see docs/limitations.md), and rtnl must work with install scripts skipped.
    const warnings = install(app);
    assert.doesNotMatch(warnings, /rtnl@[^\n]*(prepare|install|preinstall|postinstall)/, warnings);
    const noScripts = join(work, 'no-scripts');
    execFileSync('mkdir', ['-p', noScripts]);
    writeFileSync(join(noScripts, 'package.json'), JSON.stringify({ name: 'ns', version: '1.0.0', private: true }));
    install(noScripts, '--ignore-scripts');
    const listed = execFileSync(
      process.execPath,
      [
        '-e',
        "import('rtnl').then(async ({ Rtnl }) => { const nl = await Rtnl.open(); console.log((await nl.links.list()).some((l) => l.name === 'lo')); await nl.close(); })",
      ],
      { cwd: noScripts, encoding: 'utf8' },
    );
    assert.equal(listed.trim(), 'true', 'rtnl works when install scripts were skipped');

    // A CommonJS TypeScript project ("module": "node16", no skipLibCheck) can import it: the
    // "require" condition gives it .d.cts declarations.
    writeFileSync(
      join(app, 'cjs.cts'),
      "import { Rtnl, ValidationError } from 'rtnl';\nimport { decode } from 'rtnl/codec';\n" +
        'export async function main(): Promise<number> {\n' +
        '  const nl = await Rtnl.open();\n  const n = (await nl.links.list()).length;\n  await nl.close();\n' +
        '  return n + decode(new Uint8Array(0)).length + (ValidationError.name.length > 0 ? 0 : 1);\n}\n',
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['cjs.cts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], {
      cwd: app,
      encoding: 'utf8',
    });
    assert.equal(tsc.status, 0, `a CommonJS TypeScript consumer does not type-check:\n${tsc.stdout}${tsc.stderr}`);
    // Members marked @internal are not part of the published API.
    const client = readFileSync(join(app, 'node_modules/rtnl/dist/ops/client.d.ts'), 'utf8');
    for (const m of ['engine', 'nsFd', 'options', 'trackMonitor', 'closeSync'])
      assert.doesNotMatch(client, new RegExp(`^\\s+(readonly )?${m}\\b`, 'm'), `Rtnl.${m} is @internal`);

    const esm = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { Rtnl, NetlinkError, DecodeError, ValidationError } from 'rtnl';
      import { decode, encode, DecodeError as CodecDecodeError } from 'rtnl/codec';
      const nl = await Rtnl.open();
      const links = await nl.links.list();
      // The first validation loads zod from the installed package.
      const invalid = await nl.links.get('a/b').then(() => 'accepted', (e) => e instanceof ValidationError ? e.field : String(e));
      await nl.close();
      console.log(JSON.stringify({
        lo: links.some((l) => l.name === 'lo'), err: typeof NetlinkError, codec: typeof decode + typeof encode, invalid,
        // Both entry points share one copy of the code (bundle chunks), so classes are the same.
        sameClasses: DecodeError === CodecDecodeError,
      }));
    `,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(esm), {
      lo: true,
      err: 'function',
      codec: 'functionfunction',
      invalid: 'link',
      sameClasses: true,
    });

    {
      const cjs = execFileSync(
        process.execPath,
        [
          '-e',
          `
        const { Rtnl } = require('rtnl');
        const { decode } = require('rtnl/codec');
        console.log(typeof Rtnl.open, typeof decode);
      `,
        ],
        { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      assert.equal(cjs.trim(), 'function function');
    }

    // The ES module entries name every export of the sources, and require() gives the same objects.
    const source = {
      main: Object.keys(await import('../../src/index.js')),
      codec: Object.keys(await import('../../src/codec/index.js')),
    };
    const shipped = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `
        import { createRequire } from 'node:module';
        const require = createRequire(process.cwd() + '/');
        const main = await import('rtnl'), codec = await import('rtnl/codec');
        const same = (a, b) => Object.keys(a).every((k) => a[k] === b[k]);
        console.log(JSON.stringify({ main: Object.keys(main), codec: Object.keys(codec),
          same: same(main, require('rtnl')) && same(codec, require('rtnl/codec')) }));
      `,
        ],
        { cwd: app, encoding: 'utf8' },
      ),
    );
    assert.deepEqual(shipped, { main: source.main.sort(), codec: source.codec.sort(), same: true });

    // The library writes no cache unless the program asks for one with NODE_COMPILE_CACHE; then it
    // keeps its own bundle's code there (on Node 22.1+ in Node's versioned directory under it).
    const listLinks =
      "import('rtnl').then(async ({ Rtnl }) => { const nl = await Rtnl.open(); await nl.links.list(); await nl.close(); })";
    const libTmp = join(work, 'lib-tmp');
    execFileSync('mkdir', ['-p', libTmp]);
    const noCache: NodeJS.ProcessEnv = { ...process.env, TMPDIR: libTmp };
    delete noCache.NODE_COMPILE_CACHE;
    delete noCache.NODE_DISABLE_COMPILE_CACHE;
    execFileSync(process.execPath, ['-e', listLinks], { cwd: app, env: noCache });
    assert.deepEqual(readdirSync(libTmp), [], 'no cache without NODE_COMPILE_CACHE');
    const libCache = join(work, 'lib-cache');
    for (let run = 0; run < 2; run++)
      execFileSync(process.execPath, ['-e', listLinks], {
        cwd: app,
        env: { ...noCache, NODE_COMPILE_CACHE: libCache },
      });
    const libFiles = (readdirSync(libCache, { recursive: true }) as string[]).filter((f) => f.endsWith('.v8'));
    assert.equal(libFiles.length, 1, libFiles.join(' '));
    const v8lib = `${process.versions.v8}-${process.arch}-`.replace(/\./g, '\\.');
    assert.match(
      libFiles[0]!,
      new RegExp(`^rtnl-${process.getuid!()}/rtnl\\.cjs-[0-9a-f]{8,16}-${v8lib}[0-9a-f]{8,16}\\.v8$`),
    );

    // An uncaught error shows Node's source excerpt of the line that threw: the bundle keeps its
    // lines (no whitespace minification), so that excerpt is one line, not a whole chunk.
    const crash = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { decode } from 'rtnl/codec';
      decode(new Uint8Array([200, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    `,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    assert.notEqual(crash.status, 0);
    assert.match(crash.stderr, /DecodeError: nlmsg_len 200 runs past the buffer/);
    assert.ok(crash.stderr.length < 3000, `uncaught error output is ${crash.stderr.length} chars`);

    // Two copies of rtnl in one process (two dependencies, each with its own copy; or the library
    // and the CLI bundle): each declares its libc types, so they must not clash by name in koffi.
    cpSync(join(app, 'node_modules/rtnl'), join(app, 'node_modules/rtnl-second-copy'), { recursive: true });
    const two = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { Rtnl } from 'rtnl';
      const second = await import('./node_modules/rtnl-second-copy/dist/index.js');
      const a = await Rtnl.open();
      const b = await second.Rtnl.open();
      const names = [(await a.links.get('lo')).name, (await b.links.get('lo')).name];
      await a.close();
      await b.close();
      console.log(names.join(' '));
    `,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(two.stdout.trim(), 'lo lo', two.stderr);

    // The CLI twice, with the compile cache in this test's directory: the first run writes it, the
    // second reads it, in a directory private to this user.
    const cacheEnv: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: join(work, 'compile-cache') };
    delete cacheEnv.NODE_DISABLE_COMPILE_CACHE;
    for (let run = 0; run < 2; run++) {
      const cli = execFileSync(join(app, 'node_modules/.bin/rtnl'), ['-j', 'link', 'show', 'lo'], {
        cwd: app,
        encoding: 'utf8',
        env: cacheEnv,
      });
      assert.equal(JSON.parse(cli)[0].ifname, 'lo');
    }
    const mine = join(work, 'compile-cache', `rtnl-${process.getuid!()}`);
    const cached = readdirSync(mine);
    assert.equal(cached.length, 1, cached.join(' '));
    const v8 = `${process.versions.v8}-${process.arch}-`.replace(/\./g, '\\.');
    assert.match(cached[0]!, new RegExp(`^main\\.cjs-[0-9a-f]{8,16}-${v8}[0-9a-f]{8,16}\\.v8$`));
    assert.equal(statSync(join(mine, cached[0]!)).mode & 0o777, 0o600);
    assert.equal(statSync(mine).mode & 0o777, 0o700);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
