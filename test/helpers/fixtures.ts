/** Loading golden fixtures: fixtures/<family>/<case>.hex (+ .json from `ip -j -d`). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genlMessages } from '../../src/codec/genl/index.js';
import { messages } from '../../src/codec/messages.js';
import type { MessageTable } from '../../src/codec/nlmsg.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export interface Fixture {
  /** Relative name, e.g. 'link/veth-reply.hex'. */
  name: string;
  bytes: Uint8Array;
  /** '# key: value' header lines. */
  meta: Record<string, string>;
  /** The parsed companion .json (iproute2's view), when there is one. */
  json?: unknown;
}

/** Parse a .hex fixture: '#' starts a comment anywhere on a line; whitespace is ignored. */
export function parseHex(text: string): { bytes: Uint8Array; meta: Record<string, string> } {
  const meta: Record<string, string> = {};
  let hex = '';
  for (const line of text.split('\n')) {
    const m = /^#\s*([a-z0-9-]+):\s*(.*)$/i.exec(line.trim());
    if (m && !(m[1]!.toLowerCase() in meta)) meta[m[1]!.toLowerCase()] = m[2]!;
    hex += line.replace(/#.*$/, '').replace(/\s+/g, '');
  }
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error('fixture body is not whole hex bytes');
  return { bytes: Uint8Array.from(Buffer.from(hex, 'hex')), meta };
}

/**
 * `# note: padding-junk A-B: ...` marks bytes iproute2 left in attribute padding (stack contents
 * it did not zero). The kernel ignores padding and the codec writes zeros there, so those bytes
 * are read as zeros; everything else stays as captured.
 */
function zeroPaddingJunk(bytes: Uint8Array, meta: Record<string, string>): Uint8Array {
  const m = /padding-junk (\d+)-(\d+)/.exec(meta.note ?? '');
  if (!m) return bytes;
  for (let i = Number(m[1]); i <= Number(m[2]); i++) bytes[i] = 0;
  return bytes;
}

export function loadFixture(name: string): Fixture {
  const parsed = parseHex(readFileSync(join(FIXTURES, name), 'utf8'));
  const meta = parsed.meta;
  const bytes = zeroPaddingJunk(parsed.bytes, meta);
  const jsonPath = join(FIXTURES, name.replace(/\.hex$/, '.json'));
  const json = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : undefined;
  return { name, bytes, meta, json };
}

export const loadHex = (name: string): Uint8Array => loadFixture(name).bytes;

/** Every .hex fixture, optionally only one family's folder. */
export function allFixtures(family?: string): Fixture[] {
  if (!existsSync(FIXTURES)) return [];
  const dirs = family
    ? [family]
    : readdirSync(FIXTURES, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
  const out: Fixture[] = [];
  for (const dir of dirs.sort()) {
    for (const f of readdirSync(join(FIXTURES, dir)).sort())
      if (f.endsWith('.hex')) out.push(loadFixture(`${dir}/${f}`));
  }
  return out;
}

/** The message table of a fixture's protocol: fixtures/genl/ is NETLINK_GENERIC, the rest NETLINK_ROUTE. */
export const tableOf = (f: Fixture | string): MessageTable =>
  (typeof f === 'string' ? f : f.name).startsWith('genl/') ? genlMessages : messages;
