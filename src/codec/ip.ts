/**
 * Text forms of IP and link-layer addresses: IPv4 dotted quads, IPv6 in RFC 5952 form (as
 * iproute2 prints them), and colon-separated hex for MAC and other link-layer addresses.
 */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

// Recently formatted IPv4 addresses, direct-mapped by value. A dump repeats addresses (IFA_LOCAL
// equals IFA_ADDRESS, every route has the same gateway), and a shared string is one object fewer
// to allocate and keep.
const V4_SLOTS = 256;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Text: Array<string | undefined> = new Array(V4_SLOTS).fill(undefined);

export function formatIPv4(b: Uint8Array, at = 0): string {
  const b0 = b[at]!,
    b1 = b[at + 1]!,
    b2 = b[at + 2]!,
    b3 = b[at + 3]!;
  const v = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
  const slot = (b3 ^ b2 ^ (b1 << 3)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === v) {
    const hit = v4Text[slot];
    if (hit !== undefined) return hit;
  }
  const s = `${b0}.${b1}.${b2}.${b3}`;
  v4Keys[slot] = v;
  v4Text[slot] = s;
  return s;
}

export function formatIPv6(b: Uint8Array, at = 0): string {
  const w: number[] = new Array(8);
  for (let i = 0; i < 8; i++) w[i] = (b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!;
  // IPv4-mapped (::ffff:a.b.c.d), as inet_ntop prints it.
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${formatIPv4(b, at + 12)}`;
  }
  // Longest run of two or more zero words, first one on ties (RFC 5952 4.2).
  let bestStart = -1,
    bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out && !out.endsWith(':')) out += ':';
    out += w[i]!.toString(16);
  }
  return out;
}

export function formatIP(b: Uint8Array, at: number, len: number): string {
  return len === 4 ? formatIPv4(b, at) : formatIPv6(b, at);
}

/** Parse a dotted quad; undefined when it is not one. */
export function parseIPv4(s: string): Uint8Array | undefined {
  // Four decimal octets 0-255 without leading zeros, by hand: every address op parses a few.
  if (s.length < 7 || s.length > 15) return undefined;
  const out = new Uint8Array(4);
  let part = 0;
  let n = -1;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // a '.' closes the last octet
    if (c === 46) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = n;
      n = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (n === 0) return undefined; // a leading zero
      n = n < 0 ? c - 48 : n * 10 + (c - 48);
      if (n > 255) return undefined;
      digits++;
    } else return undefined;
  }
  return part === 4 ? out : undefined;
}

/** Parse an IPv6 address (with '::' and an embedded IPv4 tail); undefined when it is not one. */
export function parseIPv6(s: string): Uint8Array | undefined {
  if (s.length < 2 || s.length > 45 || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  let tail: Uint8Array | undefined;
  let str = s;
  if (s.includes('.')) {
    const cut = s.lastIndexOf(':');
    tail = parseIPv4(s.slice(cut + 1));
    if (!tail) return undefined;
    str = s.slice(0, cut + 1) + '0:0';
  }
  const halves = str.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const words = h.split(':');
    const out: number[] = [];
    for (const x of words) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return undefined;
      out.push(parseInt(x, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  let words: number[];
  if (halves.length === 2) {
    if (head.length + rest.length > 7) return undefined;
    words = [...head, ...new Array(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

/** Parse either family. */
export function parseIP(s: string): Uint8Array | undefined {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

/** Link-layer address as colon-separated lowercase hex ('' for zero length). */
export function formatLladdr(b: Uint8Array, at: number, len: number): string {
  if (len === 6)
    return `${HEX[b[at]!]}:${HEX[b[at + 1]!]}:${HEX[b[at + 2]!]}:${HEX[b[at + 3]!]}:${HEX[b[at + 4]!]}:${HEX[b[at + 5]!]}`;
  let out = '';
  for (let i = 0; i < len; i++) out += (i ? ':' : '') + HEX[b[at + i]!];
  return out;
}

export function parseLladdr(s: string): Uint8Array | undefined {
  if (s === '') return new Uint8Array(0);
  const parts = s.split(':');
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    if (!/^[0-9a-fA-F]{2}$/.test(parts[i]!)) return undefined;
    out[i] = parseInt(parts[i]!, 16);
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) out += HEX[b[i]!];
  return out;
}
