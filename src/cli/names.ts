/**
 * Names of routing tables, protocols, scopes and realms from iproute2's configuration, as `ip`
 * reads them: /etc/iproute2/FILE (or /usr/share/iproute2/FILE when /etc has none) and then every
 * FILE.d/*.conf. Lines are `NUMBER NAME` (decimal or 0x hex); `#` starts a comment. Read once, on
 * first use, by the CLI only: the library takes numbers and the kernel's own names.
 *
 * RTNL_IPROUTE2_DIR replaces both directories (for tests; ip has no such variable).
 */
import { readdirSync, readFileSync } from 'node:fs';

export type NameFile = 'rt_tables' | 'rt_protos' | 'rt_scopes' | 'rt_realms';

interface Table {
  byId: Map<number, string>;
  byName: Map<string, number>;
}

const cache = new Map<NameFile, Table>();

function dirs(): string[] {
  const override = process.env.RTNL_IPROUTE2_DIR;
  return override ? [override] : ['/etc/iproute2', '/usr/share/iproute2'];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseInto(t: Table, text: string): void {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^(0x[0-9a-f]+|\d+)\s+(\S+)/i.exec(line);
    if (!m) continue;
    const id = m[1]!.toLowerCase().startsWith('0x') ? parseInt(m[1]!, 16) : Number(m[1]);
    if (!Number.isSafeInteger(id)) continue;
    t.byId.set(id, m[2]!);
    t.byName.set(m[2]!, id);
  }
}

/** The table of one file, loaded on first use. */
export function nameTable(file: NameFile): Table {
  let t = cache.get(file);
  if (t) return t;
  t = { byId: new Map(), byName: new Map() };
  for (const dir of dirs()) {
    const text = readText(`${dir}/${file}`);
    if (text === undefined) continue;
    parseInto(t, text);
    break; // the first directory that has the file wins, as ip's fallback to /usr/share
  }
  for (const dir of dirs()) {
    let confs: string[];
    try {
      confs = readdirSync(`${dir}/${file}.d`).filter((n) => n.endsWith('.conf'));
    } catch {
      continue;
    }
    for (const c of confs.sort()) parseInto(t, readText(`${dir}/${file}.d/${c}`) ?? '');
  }
  cache.set(file, t);
  return t;
}

/** The configured name of `id`, if any. */
export const confName = (file: NameFile, id: number): string | undefined => nameTable(file).byId.get(id);

/** The number a configured name stands for, if any. */
export const confId = (file: NameFile, name: string): number | undefined => nameTable(file).byName.get(name);

/** Forget what was read (tests change RTNL_IPROUTE2_DIR). */
export function resetNames(): void {
  cache.clear();
}
