/** The bpf filter. Equivalent to: tc filter ... bpf {bytecode 'N,C T F K,...' | fd FD [name NAME]} [da] [classid ID] */
import * as C from '../../../codec/constants/index.js';
import { filterOptionCases } from '../../../codec/tc/cls.js';
import { formatHandle } from '../../../codec/tc/parse.js';
import { ValidationError } from '../../../errors.js';
import type { Json } from '../../json.js';
import { clsFlagsJson, clsFlagsText, defineFilterKind, hex, hexHandle, intIn, classidOf } from '../common.js';

/** bpf options: an eBPF program fd (direct-action or not), or classic BPF instructions. Equivalent to: tc filter ... bpf {fd FD [name N] | bytecode ...} [da] [classid ID] */
export interface BpfFilterOptions {
  fd?: number;
  name?: string;
  directAction?: boolean;
  /** Classic BPF: [code, jt, jf, k] per instruction. */
  bytecode?: Array<[number, number, number, number]>;
  classid?: string | number;
}

/** How many 8-byte instructions one attribute holds. */
const ATTR_ENTRIES_8 = Math.floor((0xffff - 4) / 8);

export default defineFilterKind<BpfFilterOptions>({
  kind: 'bpf',
  keys: ['fd', 'name', 'directAction', 'bytecode', 'classid'],
  data: filterOptionCases.bpf,
  toAttrs: (b, ctx) => {
    if ((b.fd === undefined) === (b.bytecode === undefined))
      throw new ValidationError('filter.bpf.fd', 'give exactly one of fd and bytecode', b);
    const handle = ctx.handle === undefined ? 0 : hexHandle(ctx.handle);
    const options: Record<string, unknown> = {};
    if (b.classid !== undefined) options.classid = classidOf(b.classid, 'filter.bpf.classid');
    if (b.bytecode !== undefined) {
      if (!Array.isArray(b.bytecode) || b.bytecode.length === 0 || b.bytecode.length > ATTR_ENTRIES_8)
        throw new ValidationError(
          'filter.bpf.bytecode',
          `expected 1 to ${ATTR_ENTRIES_8} instructions (what one attribute holds)`,
          Array.isArray(b.bytecode) ? b.bytecode.length : b.bytecode,
        );
      for (const [i, ins] of b.bytecode.entries())
        if (!Array.isArray(ins) || ins.length !== 4)
          throw new ValidationError(`filter.bpf.bytecode[${i}]`, 'expected [code, jt, jf, k]', ins);
      const ops = new Uint8Array(b.bytecode.length * 8);
      const v = new DataView(ops.buffer);
      b.bytecode.forEach(([code, jt, jf, k], i) => {
        v.setUint16(i * 8, intIn(code, 0, 0xffff, `filter.bpf.bytecode[${i}]`), true);
        v.setUint8(i * 8 + 2, intIn(jt, 0, 0xff, `filter.bpf.bytecode[${i}]`));
        v.setUint8(i * 8 + 3, intIn(jf, 0, 0xff, `filter.bpf.bytecode[${i}]`));
        v.setUint32(i * 8 + 4, intIn(k, 0, 0xffffffff, `filter.bpf.bytecode[${i}]`), true);
      });
      options.opsLen = b.bytecode.length;
      options.ops = ops;
    } else {
      options.fd = intIn(b.fd, 0, 0x7fffffff, 'filter.bpf.fd');
      options.name = b.name ?? `fd${b.fd}`;
    }
    if (b.directAction) options.flags = C.TCA_BPF_FLAG_ACT_DIRECT;
    return { options, handle };
  },
  json: (opts, { handle }) => {
    const j: Json = {};
    if (handle) j.handle = `0x${hex(handle)}`;
    if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
    if (opts.name !== undefined) j.bpf_name = opts.name;
    if (opts.flags !== undefined && opts.flags & C.TCA_BPF_FLAG_ACT_DIRECT) j['direct-action'] = true;
    if (opts.flagsGen !== undefined) clsFlagsJson(opts.flagsGen, j);
    if (opts.ops !== undefined && opts.opsLen !== undefined) {
      const ops = opts.ops as Uint8Array;
      const v = new DataView(ops.buffer, ops.byteOffset, ops.byteLength);
      const insns: Json[] = [];
      for (let i = 0; i < opts.opsLen && (i + 1) * 8 <= ops.length; i++)
        insns.push({
          code: v.getUint16(i * 8, true),
          jt: v.getUint8(i * 8 + 2),
          jf: v.getUint8(i * 8 + 3),
          k: v.getUint32(i * 8 + 4, true),
        });
      j.bytecode = { length: opts.opsLen, insns };
    }
    if (opts.tag !== undefined) j.tag = Buffer.from(opts.tag as Uint8Array).toString('hex');
    return j;
  },
  textLines: (op) => {
    let words = '';
    if (op.handle !== undefined) words += `handle ${op.handle} `;
    if (op.flowid !== undefined) words += `flowid ${op.flowid} `;
    if (op.bpf_name !== undefined) words += `${op.bpf_name} `;
    if (op['direct-action']) words += 'direct-action ';
    words += clsFlagsText(op);
    // tc prints the program's id, name, tag and jited when libbpf can ask the kernel about it,
    // else the tag from TCA_BPF_TAG: rtnl prints what the message says.
    if (op.tag !== undefined) words += `tag ${op.tag} `;
    const bc = op.bytecode as { length: number; insns: Json[] } | undefined;
    if (bc) words += `bytecode '${bc.length},${bc.insns.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(',')}'`;
    return { words, lines: [] };
  },
  parseArgs: (a) => {
    const b: BpfFilterOptions = {};
    while (!a.done && a.peek() !== 'action') {
      const k = a.shift();
      if (k === 'bytecode') {
        const parts = a
          .value(k)
          .split(',')
          .filter((x) => x.trim() !== '');
        const n = a.uint('bytecode', parts.shift() ?? '');
        const insns = parts.map(
          (p) =>
            p
              .trim()
              .split(/\s+/)
              .map((x) => a.uint('bytecode', x)) as [number, number, number, number],
        );
        if (insns.length !== n || insns.some((i) => i.length !== 4))
          throw a.invalid(k, String(n), 'count and instructions disagree');
        b.bytecode = insns;
      } else if (k === 'fd') b.fd = a.uint(k, a.value(k));
      else if (k === 'name' || k === 'section') b.name = a.value(k);
      else if (k === 'da' || k === 'direct-action') b.directAction = true;
      else if (k === 'classid' || k === 'flowid') b.classid = a.value(k);
      else throw a.usage(`what is "${k}"? (a bpf option; rtnl takes bytecode or fd)`);
    }
    return b;
  },
});
