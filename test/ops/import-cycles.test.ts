// src/ops has no import circle: op classes take an OpContext (context.ts) and never import the
// client. Every import counts, type-only and dynamic ones included: a circle of types is still
// a circle in the design. Imports are read with TypeScript's own pre-processor.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const OPS = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/ops');

/** file -> the src/ops files it imports (relative imports that stay inside src/ops), subfolders included. */
export function importGraph(dir: string): Map<string, string[]> {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const info = ts.preProcessFile(readFileSync(join(dir, f), 'utf8'), true, true);
    const deps = info.importedFiles
      .map((i) => i.fileName)
      .filter((n) => n.startsWith('.'))
      .map((n) => relative(dir, resolve(dir, dirname(f), n)).replace(/\.js$/, '.ts'))
      .filter((n) => files.includes(n));
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** One import circle as a path a -> b -> ... -> a, or undefined when there is none. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const c = visit(f);
    if (c) return c;
  }
  return undefined;
}

test('src/ops has no import circle', () => {
  const graph = importGraph(OPS);
  assert.ok(graph.size > 10 && (graph.get('client.ts')?.length ?? 0) > 3, 'the import graph was read');
  assert.ok(graph.get('client.ts')?.includes('ethtool/index.ts'), 'subfolders are read');
  const cycle = findCycle(graph);
  assert.equal(cycle, undefined, `import circle: ${cycle?.join(' -> ')}`);
});

test('the cycle finder sees a circle, type-only and dynamic imports included', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
  ]);
  assert.deepEqual(findCycle(graph), ['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  const info = ts.preProcessFile("import type { X } from './x.js';\nconst y = await import('./y.js');", true, true);
  assert.deepEqual(
    info.importedFiles.map((i) => i.fileName),
    ['./x.js', './y.js'],
  );
});
