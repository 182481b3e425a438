/** The matchall filter. Equivalent to: tc filter ... matchall [classid ID] */
import { filterOptionCases } from '../../../codec/tc/cls.js';
import { formatHandle } from '../../../codec/tc/parse.js';
import type { Json } from '../../json.js';
import { classidOf, clsFlagsJson, defineFilterKind, hex, hexHandle, keywordOptions } from '../common.js';

/** matchall options. Equivalent to: tc filter ... matchall [classid ID] */
export interface MatchallFilterOptions {
  classid?: string | number;
}

export default defineFilterKind<MatchallFilterOptions>({
  kind: 'matchall',
  data: filterOptionCases.matchall,
  toAttrs: (m, ctx) => {
    const options: Record<string, unknown> = {};
    if (m?.classid !== undefined) options.classid = classidOf(m.classid, 'filter.matchall.classid');
    return { options, handle: ctx.handle === undefined ? 0 : hexHandle(ctx.handle) };
  },
  json: (opts, { handle }) => {
    const j: Json = {};
    if (handle) j.handle = `0x${hex(handle)}`;
    if (opts.classid !== undefined) j.flowid = formatHandle(opts.classid);
    if (opts.flags !== undefined) clsFlagsJson(opts.flags, j);
    return j;
  },
  parseArgs: (w) => {
    const o = keywordOptions(w, 'matchall', { classid: 'str', flowid: 'str' });
    const m: MatchallFilterOptions = { classid: (o.classid ?? o.flowid) as string | undefined };
    if (m.classid === undefined) delete m.classid;
    return m;
  },
});
