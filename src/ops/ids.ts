/**
 * User and group names <-> numeric ids, read from /etc/passwd and /etc/group (no NSS, no child
 * process): what `ip tuntap add ... user NAME group NAME` resolves, and what `ip -d` prints back.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../errors.js';

type Db = { byName: Map<string, number>; byId: Map<number, string> };

function load(path: string): Db {
  const db: Db = { byName: new Map(), byId: new Map() };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return db; // no file: only numeric ids resolve
  }
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    const id = Number(f[2]);
    if (f.length < 3 || !f[0] || !/^\d+$/.test(f[2]!) || !Number.isSafeInteger(id)) continue;
    if (!db.byName.has(f[0])) db.byName.set(f[0], id);
    if (!db.byId.has(id)) db.byId.set(id, f[0]);
  }
  return db;
}

/** The files, so that tests can point elsewhere. */
export const idFiles = { passwd: '/etc/passwd', group: '/etc/group' };

/**
 * A uid or gid from a number, a decimal string, or a name. A name that is not in the file raises
 * ValidationError naming `field`.
 */
export function resolveId(which: 'user' | 'group', value: number | string, field: string): number {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 0xfffffffe)
      throw new ValidationError(field, `must be a ${which} id from 0 to 4294967294; got ${value}`, value);
    return n;
  }
  // A name no passwd or group file can hold is refused before the file is read.
  if (typeof value !== 'string' || !/^[^\s:/\0]{1,256}$/.test(value))
    throw new ValidationError(field, `must be a ${which} name (no ':', '/', NUL or whitespace) or id`, value);
  const path = which === 'user' ? idFiles.passwd : idFiles.group;
  const id = load(path).byName.get(value);
  if (id === undefined)
    throw new ValidationError(field, `no ${which} named ${JSON.stringify(value)} (looked in ${path})`, value);
  return id;
}

/** The name of a uid or gid, or undefined when the file has none. */
export function idName(which: 'user' | 'group', id: number): string | undefined {
  return load(which === 'user' ? idFiles.passwd : idFiles.group).byId.get(id);
}
