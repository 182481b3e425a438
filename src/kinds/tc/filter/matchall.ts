/** The matchall filter. Equivalent to: tc filter ... matchall [classid ID] */
import { filterOptionCases } from '../../../codec/tc/cls.js';
import { formatHandle } from '../../../codec/tc/parse.js';
import type { Json } from '../../json.js';
import { classidOf, clsFlagsJson, clsFlagsText, defineFilterKind, hex, hexHandle, keywordOptions } from '../common.js';

/** matchall options. Equivalent to: tc filter ... matchall [classid ID] */
export interface MatchallFilterOptions {
  classid?: string | number;
}

export default defineFilterKind<MatchallFilterOptions>({
  kind: 'matchall',
  keys: ['classid'],
  data: filterOptionCases.matchall,
  toAttrs: (m, ctx) => {
    const options: Record<string, unknown> = {};
    if (m?.classid !== undefined) options.classid = classidOf(m.classid, 'filter.matchall.classid');
    return { options, handle: ctx.handle === undefined ? 0 : hexHandle(ctx.handle) };
  },
  json: (opts, { handle, stats }) => {
    const j: Json = {};
    if (handle) j.handle = `0x${hex(handle)}`;
    if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
    if (opts.flags !== undefined) clsFlagsJson(opts.flags, j);
    // f_matchall.c: the hit count (struct tc_matchall_pcnt) with -s
    if (stats && opts.pcnt?.rhit !== undefined) j.rule_hit = Number(opts.pcnt.rhit);
    return j;
  },
  textLines: (op) => {
    let words = '';
    if (op.handle !== undefined) words += `handle ${op.handle} `;
    if (op.flowid !== undefined) words += `flowid ${op.flowid} `;
    words += clsFlagsText(op);
    if (op.rule_hit !== undefined) words += ` (rule hit ${op.rule_hit})`;
    return { words, lines: [] };
  },
  parseArgs: (w) => {
    const o = keywordOptions(w, 'matchall', { classid: 'str', flowid: 'str' });
    const m: MatchallFilterOptions = { classid: (o.classid ?? o.flowid) as string | undefined };
    if (m.classid === undefined) delete m.classid;
    return m;
  },
});
