// Every attribute set rtnl declares compiles, and none declares a number twice. attrs() does not
// check that when a set is declared (it cost every process about 1 ms of start-up to check every
// family's sets at import); compileSet does. So this test compiles every set that any module of
// the codec or of the kind plugins exports, and every set reachable from those.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { compileSet } from '../../src/codec/compile.js';
import { attrs, type AttrSetDef, type Kind } from '../../src/codec/schema.js';

const SRC = join(import.meta.dirname, '../../src');

async function declaredSets(): Promise<{ sets: Set<AttrSetDef>; declarations: number }> {
  const sets = new Set<AttrSetDef>();
  const kind = (k: unknown): void => {
    if (k === null || typeof k !== 'object') return;
    const r = k as { tag?: string } & Record<string, any>;
    if (r.tag === 'lazy') return kind(r.get());
    if (r.tag === 'attrs') return set(r as AttrSetDef);
    if (r.tag === 'nest' || r.tag === 'headered') set(r.set);
    else if (r.tag === 'multi' || r.tag === 'indexed') kind(r.inner);
    else if (r.tag === 'nestBy') for (const c of Object.values(r.cases)) kind(c as Kind);
  };
  const set = (s: AttrSetDef): void => {
    if (sets.has(s)) return;
    sets.add(s);
    for (const [, k] of Object.values(s.spec)) kind(k);
  };
  const files = ['codec', 'kinds'].flatMap((d) =>
    (readdirSync(join(SRC, d), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(SRC, d, f)),
  );
  // Sets hide in message definitions, kind plugins and tables: look through every exported value.
  const seen = new Set<object>();
  const look = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 6 || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if ('tag' in v) return kind(v);
    for (const w of v instanceof Map ? v.values() : Object.values(v)) look(w, depth + 1);
  };
  let declarations = 0;
  for (const file of files) {
    declarations += readFileSync(file, 'utf8').match(/\battrs\(\s*['"`]/g)?.length ?? 0;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const v of Object.values(mod)) look(v, 0);
  }
  return { sets, declarations };
}

test('every attribute set the codec and the kind plugins declare compiles, no number twice', async () => {
  const { sets, declarations } = await declaredSets();
  assert.ok(sets.size >= declarations, `found ${sets.size} sets, but the sources declare ${declarations}`);
  for (const s of sets) assert.doesNotThrow(() => compileSet(s), s.prefix);
});

test('compiling a set that declares a number twice fails, naming the set and both keys', () => {
  assert.throws(() => compileSet(attrs('TEST_A', { one: [1, 'u8'], two: [2, 'u8'], again: [1, 'u32'] })), {
    message: 'TEST_A: attribute number 1 declared twice (one and again)',
  });
});
