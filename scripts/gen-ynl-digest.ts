/**
 * Digests the kernel's YNL specs for rtnetlink (rt-link, rt-addr, rt-route, rt-neigh, rt-rule, tc)
 * into fixtures/ynl-digest.json: for each attribute set, each attribute's name, number and type
 * (with the nested set, struct, sub-message, byte order or sub-type where the spec gives one), and
 * each sub-message's format -> attribute set (and, where a format starts with a fixed header or is
 * one, format -> that struct's name). Facts only: no doc text comes over.
 *
 * test/codec/ynl.test.ts checks every attribute set rtnl declares against this digest, so the
 * specs are not needed to build or test. Re-run when the specs change:
 *
 *   npm run gen:ynl-digest -- --specs DIR     (DIR holds rt-link.yaml, ...; found on its own at
 *                                              ../shared/kernel/ynl next to the main checkout)
 *
 * YNL numbering: an attribute without `value` is one more than the one before; the first is 1.
 * A `subset-of` set takes its members' numbers and types from the set it is a subset of.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SPECS = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc'];

function specDir(): string {
  const args = process.argv.slice(2);
  const at = args.indexOf('--specs');
  if (at >= 0) {
    const dir = args[at + 1];
    if (!dir || !existsSync(dir)) throw new Error(`--specs: no such folder: ${dir ?? '(missing)'}`);
    return resolve(dir);
  }
  for (const guess of [join(root, '../shared/kernel/ynl'), join(root, '../../shared/kernel/ynl')]) {
    if (existsSync(join(guess, 'rt-link.yaml'))) return resolve(guess);
  }
  throw new Error('no YNL spec folder found: pass --specs DIR');
}

interface YAttr {
  name: string;
  type?: string;
  value?: number;
  'nested-attributes'?: string;
  struct?: string;
  'sub-message'?: string;
  selector?: string;
  'byte-order'?: string;
  'sub-type'?: string;
  'multi-attr'?: boolean;
  'display-hint'?: string;
}
interface YSet {
  name: string;
  'name-prefix'?: string;
  'subset-of'?: string;
  attributes: YAttr[];
}
interface YSpec {
  'attribute-sets': YSet[];
  'sub-messages'?: Array<{
    name: string;
    formats: Array<{ value: string; 'attribute-set'?: string; 'fixed-header'?: string }>;
  }>;
}

/** One attribute: [name, number, type, details?]. */
type Row = [string, number, string] | [string, number, string, Record<string, string | boolean>];

function digest(spec: YSpec) {
  const byName = new Map(spec['attribute-sets'].map((s) => [s.name, s]));
  const numbered = new Map<string, Map<string, { value: number; attr: YAttr }>>();
  const number = (set: YSet): Map<string, { value: number; attr: YAttr }> => {
    const done = numbered.get(set.name);
    if (done) return done;
    const out = new Map<string, { value: number; attr: YAttr }>();
    if (set['subset-of']) {
      const sup = byName.get(set['subset-of']);
      if (!sup) throw new Error(`${set.name}: subset of unknown set ${set['subset-of']}`);
      const all = number(sup);
      for (const a of set.attributes) {
        const base = all.get(a.name);
        if (!base) throw new Error(`${set.name}: ${a.name} is not in ${sup.name}`);
        out.set(a.name, { value: base.value, attr: { ...base.attr, ...a } });
      }
    } else {
      let next = 1;
      for (const a of set.attributes) {
        const value = a.value ?? next;
        out.set(a.name, { value, attr: a });
        next = value + 1;
      }
    }
    numbered.set(set.name, out);
    return out;
  };
  const sets: Record<string, { prefix?: string; subsetOf?: string; attrs: Row[] }> = {};
  for (const set of spec['attribute-sets']) {
    const attrs: Row[] = [];
    for (const [name, { value, attr }] of number(set)) {
      const details: Record<string, string | boolean> = {};
      if (attr['nested-attributes']) details.nest = attr['nested-attributes'];
      if (attr.struct) details.struct = attr.struct;
      if (attr['sub-message']) details.subMessage = attr['sub-message'];
      if (attr.selector) details.selector = attr.selector;
      if (attr['byte-order'] === 'big-endian') details.be = true;
      if (attr['sub-type']) details.subType = attr['sub-type'];
      if (attr['multi-attr']) details.multi = true;
      // Address hints say what a u32 or binary holds; 'hex' says nothing about the type.
      const hint = attr['display-hint'];
      if (hint && hint !== 'hex') details.hint = hint;
      const type = attr.type;
      if (!type) throw new Error(`${set.name}.${name}: no type`);
      attrs.push(Object.keys(details).length ? [name, value, type, details] : [name, value, type]);
    }
    sets[set.name] = {
      ...(set['name-prefix'] ? { prefix: set['name-prefix'] } : {}),
      ...(set['subset-of'] ? { subsetOf: set['subset-of'] } : {}),
      attrs,
    };
  }
  const subMessages: Record<string, Record<string, string | null>> = {};
  const subMessageHeaders: Record<string, Record<string, string>> = {};
  for (const sm of spec['sub-messages'] ?? []) {
    subMessages[sm.name] = Object.fromEntries(sm.formats.map((f) => [f.value, f['attribute-set'] ?? null]));
    const headers = sm.formats.filter((f) => f['fixed-header']).map((f) => [f.value, f['fixed-header']!]);
    if (headers.length) subMessageHeaders[sm.name] = Object.fromEntries(headers);
  }
  return { sets, subMessages, ...(Object.keys(subMessageHeaders).length ? { subMessageHeaders } : {}) };
}

function main() {
  const dir = specDir();
  const out: Record<string, ReturnType<typeof digest>> = {};
  for (const name of SPECS) out[name] = digest(parse(readFileSync(join(dir, `${name}.yaml`), 'utf8')) as YSpec);
  // One attribute per line: diffs show what a spec update changed.
  const lines = ['{'];
  const specs = Object.entries(out);
  for (const [si, [name, d]] of specs.entries()) {
    lines.push(`  ${JSON.stringify(name)}: {`, '    "sets": {');
    const sets = Object.entries(d.sets);
    for (const [i, [setName, set]] of sets.entries()) {
      const head = { ...set, attrs: undefined };
      const meta = JSON.stringify(head).slice(1, -1);
      lines.push(`      ${JSON.stringify(setName)}: {${meta ? `${meta}, ` : ''}"attrs": [`);
      set.attrs.forEach((r, j) => lines.push(`        ${JSON.stringify(r)}${j < set.attrs.length - 1 ? ',' : ''}`));
      lines.push(`      ]}${i < sets.length - 1 ? ',' : ''}`);
    }
    lines.push('    },', `    "subMessages": ${JSON.stringify(d.subMessages)}${d.subMessageHeaders ? ',' : ''}`);
    if (d.subMessageHeaders) lines.push(`    "subMessageHeaders": ${JSON.stringify(d.subMessageHeaders)}`);
    lines.push(`  }${si < specs.length - 1 ? ',' : ''}`);
  }
  lines.push('}', '');
  const text = lines.join('\n');
  JSON.parse(text); // well-formed
  writeFileSync(join(root, 'fixtures/ynl-digest.json'), text);
  for (const [name, d] of specs) {
    const n = Object.values(d.sets).reduce((s, x) => s + x.attrs.length, 0);
    console.log(`${name}: ${Object.keys(d.sets).length} sets, ${n} attributes`);
  }
}

main();
