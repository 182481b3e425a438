/** The vrf link kind. IFLA_INFO_DATA (IFLA_VRF_*) and vrf port IFLA_INFO_SLAVE_DATA (IFLA_VRF_PORT_*), per drivers/net/vrf.c. */
import * as C from '../../codec/constants/index.js';
import { attrs, type SetValues } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const vrfData = attrs('IFLA_VRF', {
  table: [C.IFLA_VRF_TABLE, 'u32'],
});

export const vrfSlaveData = attrs('IFLA_VRF_PORT', {
  table: [C.IFLA_VRF_PORT_TABLE, 'u32'],
});

/** VRF options. Equivalent to: ip link add NAME type vrf table N */
export interface VrfOptions {
  /** A table number, or 'main', 'local', 'default' (read back as the number). */
  table: number | 'main' | 'local' | 'default';
}

export default defineLinkKind<VrfOptions, SetValues<typeof vrfData>>()({
  kind: 'vrf',
  optionKey: 'vrf',
  data: vrfData,
  port: { data: vrfSlaveData, json: (d: { table?: number }) => (d.table === undefined ? {} : { table: d.table }) },
  schema: (z, v) => z.object({ table: v.table }).strict(),
  // The schema has turned a table name into its number.
  toAttrs: (o) => ({ table: o.table as number }),
  fromAttrs: (d) => (d.table === undefined ? undefined : { table: d.table }),
  json: (d) => (d.table === undefined ? {} : { table: d.table }),
  parseArgs(w) {
    const o: Partial<VrfOptions> = {};
    while (!w.done) {
      const k = w.shift();
      if (k !== 'table') throw w.usage(`unknown vrf option "${k}"`);
      const val = w.value(k);
      o.table = val === 'main' || val === 'local' || val === 'default' ? val : w.uint(k, val);
    }
    return o.table === undefined ? undefined : (o as VrfOptions);
  },
  usage: 'ARGS for vrf:    table TABLE',
});
