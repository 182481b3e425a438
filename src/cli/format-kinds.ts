/**
 * linkinfo as `ip -j -d` prints it: info_kind, and info_data / info_slave_data through the kind
 * plugin's printer (src/kinds/link), for the kinds whose iproute2 printer rtnl mirrors. Other
 * kinds get info_kind only: a key is left out rather than approximated.
 */
import { linkKindPlugin } from '../ops/link-kinds.js';
import type { Json, Names } from './format-util.js';

/** linkinfo: info_kind and, for the kinds whose ip printer rtnl mirrors, info_data. */
export function linkinfoJson(info: Record<string, any>, names: Names): Json {
  const j: Json = {};
  if (info.kind !== undefined) {
    j.info_kind = info.kind;
    const json = linkKindPlugin(info.kind)?.json;
    if (json) j.info_data = json(info.data ?? {}, names);
  }
  if (info.slaveKind !== undefined) {
    j.info_slave_kind = info.slaveKind;
    const json = linkKindPlugin(info.slaveKind)?.port?.json;
    if (json) j.info_slave_data = json(info.slaveData ?? {}, names);
  }
  return j;
}
