// enumOf() reads the generated name tables, and searches only the tables whose NAME_HEADS entry
// holds the first word of its prefix. These check that index against the tables themselves, and
// enumOf() against a plain search of every table, for every prefix the names have.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NAME_HEADS, NAME_TABLES } from '../../src/codec/constants/names/index.js';
import { enumOf } from '../../src/codec/enums.js';

const entries = (table: string) =>
  table.split(' ').map((e) => {
    const [name, value] = e.split('=');
    return [name!, Number(value)] as const;
  });

test('NAME_HEADS lists, for each table, the first word of every name in it and nothing else', () => {
  assert.equal(NAME_HEADS.length, NAME_TABLES.length);
  NAME_TABLES.forEach((table, i) => {
    const heads = new Set(entries(table).map(([name]) => name.split('_')[0]!));
    assert.deepEqual(NAME_HEADS[i]!.trim().split(' ').sort(), [...heads].sort(), `table ${i}`);
  });
});

test('enumOf() gives what a search of every table gives, for every prefix of every name', () => {
  const all = NAME_TABLES.flatMap(entries).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const prefixes = new Set<string>();
  for (const [name] of all)
    for (let at = name.indexOf('_'); at >= 0; at = name.indexOf('_', at + 1)) prefixes.add(name.slice(0, at + 1));
  assert.ok(prefixes.size > 1000, `${prefixes.size} prefixes`);
  for (const prefix of prefixes) {
    const want: Record<number, string> = {};
    for (const [name, value] of all) {
      if (!name.startsWith(prefix)) continue;
      const short = name.slice(prefix.length);
      if (short.startsWith('_') || short === 'MAX' || short === 'UNSPEC' || value in want) continue;
      want[value] = short;
    }
    assert.deepEqual({ ...enumOf(prefix) }, want, prefix);
  }
});
