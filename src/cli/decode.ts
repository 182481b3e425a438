/**
 * `rtnl decode [FILE|-]`: netlink bytes to JSON, for bug reports and fixtures. The input is hex
 * text (whitespace ignored, '#' starts a comment, as in fixtures/) or raw binary netlink; which
 * one is detected from the bytes. Bigints print as strings and byte strings as hex.
 */
import { readFileSync } from 'node:fs';
// Not ../codec/index.js: that entry builds its `constants` object (every constant, ~13 ms) at import.
import { messages } from '../codec/messages.js';
import { UsageError, type Globals } from './args.js';
import { help, type Context, type ObjectCommand, type Plan } from './command.js';
import { jsonText } from './format.js';

export const DECODE_USAGE = `Usage: rtnl decode [FILE | -]
Reads netlink messages from FILE (or stdin) and prints them as JSON. The input may be hex
(whitespace is ignored and '#' starts a comment, as in fixtures/*.hex) or raw binary bytes.`;

export function parseDecode(words: string[], _g: Globals): Plan {
  if (words[0] === 'help' || words[0] === '--help' || words[0] === '-h') return help(DECODE_USAGE);
  if (words.length > 1) throw new UsageError(`"decode" takes one FILE (or -), got ${words.length} arguments`);
  return { op: 'decode', args: [words[0] ?? '-'] };
}

/**
 * The bytes a decode input stands for: hex text when, after removing comments and whitespace, it
 * is nothing but hex digit pairs; raw bytes otherwise (netlink headers always hold bytes that
 * are not hex digits, such as zeros).
 */
export function inputBytes(data: Uint8Array): Uint8Array {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  if (/^[\x09\x0a\x0d\x20-\x7e]*$/.test(text)) {
    const hex = text
      .split('\n')
      .map((l) => l.replace(/#.*$/, ''))
      .join('')
      .replace(/\s+/g, '');
    if (hex.length > 0 && /^[0-9a-fA-F]+$/.test(hex)) {
      if (hex.length % 2) throw new UsageError(`the hex input has an odd number of digits (${hex.length})`);
      return Uint8Array.from(Buffer.from(hex, 'hex'));
    }
    if (hex.length === 0) throw new UsageError('the input holds no bytes (only comments and whitespace)');
    const bad = /[^0-9a-fA-F]/.exec(hex)!;
    throw new UsageError(`the input is text but not hex: unexpected "${bad[0]}"`);
  }
  return data;
}

/** Decoded messages as plain JSON-able values. */
export function decodeToJson(bytes: Uint8Array): unknown[] {
  return messages.decode(bytes);
}

export const decodeCommand: ObjectCommand = {
  name: 'decode',
  usage: DECODE_USAGE,
  parse: parseDecode,
  async run(plan: Plan, ctx: Context): Promise<void> {
    const file = plan.args[0] as string;
    let data: Uint8Array;
    try {
      data = readFileSync(file === '-' ? 0 : file);
    } catch (err) {
      throw new UsageError(
        `cannot read ${file === '-' ? 'stdin' : `"${file}"`}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    const msgs = decodeToJson(inputBytes(data));
    // Readable by default; -j without -p gives one line.
    ctx.out(jsonText(msgs, ctx.g.pretty || !ctx.g.json));
  },
};
