/** The ipvlan link kind (ipvtap.ts reuses it). IFLA_INFO_DATA (IFLA_IPVLAN_*), per ipvlan_nl_policy and ipvlan_nl_fillinfo in drivers/net/ipvlan/ipvlan_main.c. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs, type SetValues } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const ipvlanData = attrs('IFLA_IPVLAN', {
  mode: [C.IFLA_IPVLAN_MODE, 'u16', { enum: enumOf('IPVLAN_MODE_') }],
  // IPVLAN_F_PRIVATE / IPVLAN_F_VEPA; 0 is bridge mode.
  flags: [C.IFLA_IPVLAN_FLAGS, 'u16'],
});

const MODES = ['l2', 'l3', 'l3s'] as const;
const MODE_NUMBER = { l2: C.IPVLAN_MODE_L2, l3: C.IPVLAN_MODE_L3, l3s: C.IPVLAN_MODE_L3S } as const;
const FLAG_WORDS = ['bridge', 'private', 'vepa'] as const;
const FLAG_NUMBER = { bridge: 0, private: C.IPVLAN_F_PRIVATE, vepa: C.IPVLAN_F_VEPA } as const;

/** ipvlan and ipvtap options. Equivalent to: ip link add NAME link DEV type ipvlan mode {l2|l3|l3s} [bridge|private|vepa] */
export interface IpvlanOptions {
  mode?: (typeof MODES)[number];
  /** Port isolation: ip's bridge (default), private or vepa. */
  isolation?: (typeof FLAG_WORDS)[number];
}

type IpvlanAttrs = SetValues<typeof ipvlanData>;

export const ipvlanKind = <const K extends string>(kind: K) =>
  defineLinkKind<IpvlanOptions, IpvlanAttrs>()({
    kind,
    optionKey: 'ipvlan',
    data: ipvlanData,
    schema: (z) => z.object({ mode: z.enum(MODES).optional(), isolation: z.enum(FLAG_WORDS).optional() }).strict(),
    toAttrs(o) {
      const d: IpvlanAttrs = {};
      if (o.mode !== undefined) d.mode = MODE_NUMBER[o.mode];
      if (o.isolation !== undefined) d.flags = FLAG_NUMBER[o.isolation];
      return d;
    },
    fromAttrs(d) {
      const o: IpvlanOptions = {};
      const mode = typeof d.mode === 'string' ? d.mode.toLowerCase() : MODES.find((m) => MODE_NUMBER[m] === d.mode);
      if (mode !== undefined) o.mode = mode as IpvlanOptions['mode'];
      const iso = FLAG_WORDS.find((f) => FLAG_NUMBER[f] === d.flags);
      if (iso !== undefined) o.isolation = iso;
      return o;
    },
    parseArgs(w) {
      const o: IpvlanOptions = {};
      while (!w.done) {
        const k = w.shift();
        if (k === 'mode') {
          const val = w.value(k);
          if (!(MODES as readonly string[]).includes(val)) throw w.invalid(k, val, 'expected l2, l3 or l3s');
          o.mode = val as IpvlanOptions['mode'];
        } else if ((FLAG_WORDS as readonly string[]).includes(k)) o.isolation = k as IpvlanOptions['isolation'];
        else throw w.usage(`unknown ${kind} option "${k}"`);
      }
      return Object.keys(o).length ? o : undefined;
    },
    usage: `ARGS for ${kind}: mode {l2|l3|l3s} [bridge|private|vepa]`,
  });

export default ipvlanKind('ipvlan');
