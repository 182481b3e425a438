/**
 * A validation failure in rtnl's own words: the field, what was given, what is allowed.
 *
 * zod reports issues in its own wording ("Invalid input: expected number, received undefined").
 * This module turns the first issue into a sentence of ours, reading what is allowed from the
 * schema itself (ranges, enum values, object keys), so every message says what would have been
 * accepted. Messages that rtnl's schemas set themselves (refinements, `error:` options) are kept.
 *
 * No runtime import of zod: schemas are read through their definitions (`_zod.def`), so this
 * module loads nothing until a validation has already failed.
 */

/** The parts of a zod issue this module reads. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  errors?: Issue[][];
}

/** A zod schema, seen through its definition. */
interface Schema {
  _zod?: { def?: Def };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  minLength?: number | null;
  maxLength?: number | null;
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  options?: Schema[];
  element?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
  checks?: Array<{ _zod?: { def?: { check?: string; value?: unknown; inclusive?: boolean; format?: string } } }>;
}

/** zod's default messages start so; messages of rtnl's own schemas do not. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized key|Expected)/;

const def = (s: Schema | undefined): Def | undefined => s?._zod?.def;

/** Through wrappers that do not change what is accepted. */
function unwrap(s: Schema | undefined): Schema | undefined {
  for (let i = 0; i < 32 && s; i++) {
    const d = def(s);
    if (!d) return s;
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type))
      s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else return s;
  }
  return s;
}

/** The schema of the value at `path` below `s`, when the path is unambiguous. */
export function schemaAt(s: Schema | undefined, path: PropertyKey[], depth = 0): Schema | undefined {
  for (const [i, p] of path.entries()) {
    const d = def(unwrap(s));
    if (d?.type === 'object') s = d.shape?.[String(p)];
    else if (d?.type === 'array') s = d.element;
    else if (d?.type === 'union' && depth < 8) {
      // The first branch that has this path (zod reports the branch the value matched).
      for (const o of d.options ?? []) {
        const found = schemaAt(o, path.slice(i), depth + 1);
        if (found) return found;
      }
      return undefined;
    } else return undefined;
  }
  return unwrap(s);
}

const q = (v: unknown) => (typeof v === 'string' ? `'${v}'` : typeof v === 'bigint' ? `${v}n` : String(v));

/** Up to 24 values, quoted: 'a', 'b' or 'c'. */
function oneOf(values: unknown[]): string {
  const shown = values.slice(0, 24).map(q);
  if (values.length > 24) shown.push(`... (${values.length} in all)`);
  return shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`;
}

function range(min: number | bigint | null | undefined, max: number | bigint | null | undefined): string {
  const lo = min !== null && min !== undefined && Number.isFinite(Number(min)) && Number(min) > -(2 ** 53);
  const hi = max !== null && max !== undefined && Number.isFinite(Number(max)) && Number(max) < 2 ** 53;
  if (lo && hi) return ` from ${min} to ${max}`;
  if (lo) return ` of at least ${min}`;
  if (hi) return ` of at most ${max}`;
  return '';
}

/** "an integer from 1 to 65536": bounds from the schema's checks, exclusive ones made inclusive for integers. */
function numberRange(s: Schema): string {
  let int = !!s.isInt;
  let min: number | undefined;
  let max: number | undefined;
  let lt = '';
  let gt = '';
  for (const c of def(s)?.checks ?? []) {
    const cd = c._zod?.def;
    if (!cd) continue;
    if (cd.check === 'number_format' && /int/.test(String(cd.format))) int = true;
    if (cd.check === 'greater_than' && typeof cd.value === 'number') {
      if (cd.inclusive) min = cd.value;
      else if (int) min = Math.floor(cd.value) + 1;
      else gt = ` greater than ${cd.value}`;
    }
    if (cd.check === 'less_than' && typeof cd.value === 'number') {
      if (cd.inclusive) max = cd.value;
      else if (int) max = Math.ceil(cd.value) - 1;
      else lt = ` less than ${cd.value}`;
    }
  }
  return `${int ? 'an integer' : 'a number'}${range(min, max)}${gt}${gt && lt ? ' and' : ''}${lt}`;
}

/** What `s` accepts, as a phrase: "an integer from 1 to 65536", "one of 'a', 'b'". */
export function allowed(s: Schema | undefined, depth = 0): string | undefined {
  // A description on the schema or on any wrapper of it (`.describe()`) says it best.
  for (let w = s, i = 0; w && i < 32; i++) {
    if (w.description) return w.description;
    const wd = def(w);
    if (!wd || w === unwrap(w)) break;
    w = wd.type === 'pipe' ? wd.in : wd.innerType;
  }
  s = unwrap(s);
  const d = def(s);
  if (!s || !d || depth > 4) return undefined;
  switch (d.type) {
    case 'number':
      return numberRange(s);
    case 'bigint':
      return 'a bigint';
    case 'string': {
      const { minLength: lo, maxLength: hi } = s;
      if (lo && hi) return `a string of ${lo} to ${hi} characters`;
      if (lo) return lo === 1 ? 'a non-empty string' : `a string of at least ${lo} characters`;
      if (hi) return `a string of at most ${hi} characters`;
      return 'a string';
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return oneOf(Object.values(d.entries ?? {}));
    case 'literal':
      return oneOf(d.values ?? []);
    case 'object':
      return `an object { ${Object.keys(d.shape ?? {}).join(', ')} }`;
    case 'record':
      return 'an object';
    case 'array': {
      const el = allowed(d.element, depth + 1);
      return el ? `a list, each ${el}` : 'a list';
    }
    case 'union': {
      const options = (d.options ?? []).map((o) => def(unwrap(o)));
      // Literals and enums only: one list, 4, 6, 'inet' or 'inet6'.
      if (options.every((o) => o?.type === 'literal' || o?.type === 'enum'))
        return oneOf(
          options.flatMap((o) => (o!.type === 'literal' ? (o!.values ?? []) : Object.values(o!.entries ?? {}))),
        );
      const parts = (d.options ?? []).map((o) => allowed(o, depth + 1));
      if (parts.some((p) => p === undefined)) return undefined;
      return [...new Set(parts)].join(', or ');
    }
    case 'custom':
      return undefined;
    default:
      return undefined;
  }
}

/** The given value, short: "\"eth0\"", "1.5", "undefined", "an object". */
export function given(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (v instanceof Uint8Array) return `a Uint8Array of ${v.length} bytes`;
  return 'an object';
}

function at(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

export interface Explained {
  /** Path below the checked value, unknown keys included. */
  path: string[];
  message: string;
  value: unknown;
}

/**
 * Explain the first issue of a failed parse of `value` with `schema`. A union that failed inside
 * one branch (the value had that branch's type) is explained by that branch's issue.
 */
export function explain(schema: unknown, value: unknown, issue: Issue): Explained {
  let s = schema as Schema;
  let prefix: PropertyKey[] = [];
  // Descend into the union branch that the value matched.
  for (let i = 0; i < 8 && issue.code === 'invalid_union' && !hasOwnMessage(issue) && issue.errors; i++) {
    const branches = issue.errors.map((errs, k) => ({ first: errs[0], k })).filter((b) => b.first);
    const deeps = branches.filter(
      (b) => b.first!.path.length > 0 || !['invalid_type', 'invalid_value', 'invalid_union'].includes(b.first!.code),
    );
    // Only when exactly one branch got past the value's type: otherwise the union as a whole.
    if (deeps.length !== 1) break;
    const deep = deeps[0]!;
    const union = def(schemaAt(s, issue.path));
    if (union?.type !== 'union') break;
    prefix = [...prefix, ...issue.path];
    s = union.options![deep.k]!;
    issue = deep.first!;
  }
  const full = [...prefix, ...issue.path];
  const bad = at(value, full);
  const here = schemaAt(s, issue.path);
  const got = `; got ${given(bad)}`;

  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    const known = Object.keys(def(here)?.shape ?? {});
    const list = known.length ? `; allowed: ${known.join(', ')}` : '';
    const more = keys.length > 1 ? ` (unknown keys: ${keys.join(', ')})` : '';
    return {
      path: [...full.map(String), ...keys.slice(0, 1)],
      message: `is not a known option${more}${list}`,
      value: at(bad, keys.slice(0, 1)),
    };
  }
  if (hasOwnMessage(issue)) return { path: full.map(String), message: `${issue.message}${got}`, value: bad };

  const what = allowed(here);
  let message: string;
  if (bad === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    message = `is required: give ${what ?? issue.expected}`;
  else if (what) message = `must be ${what}${got}`;
  else if (issue.code === 'invalid_value' && issue.values) message = `must be ${oneOf(issue.values)}${got}`;
  else if (issue.code === 'invalid_type' && issue.expected) message = `must be ${article(issue.expected)}${got}`;
  else if (issue.code === 'too_small') message = `must be at least ${issue.minimum}${got}`;
  else if (issue.code === 'too_big') message = `must be at most ${issue.maximum}${got}`;
  else message = `is not valid here${got}`;
  return { path: full.map(String), message, value: bad };
}

function hasOwnMessage(issue: Issue): boolean {
  return !ZOD_WORDING.test(issue.message);
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
