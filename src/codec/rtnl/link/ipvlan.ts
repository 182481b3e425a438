/** ipvlan and ipvtap IFLA_INFO_DATA (IFLA_IPVLAN_*), per ipvlan_nl_policy and ipvlan_nl_fillinfo in drivers/net/ipvlan/ipvlan_main.c. */
import * as C from '../../constants/index.js';
import { enumOf } from '../../enums.js';
import { attrs } from '../../schema.js';

export const ipvlanData = attrs('IFLA_IPVLAN', {
  mode: [C.IFLA_IPVLAN_MODE, 'u16', { enum: enumOf('IPVLAN_MODE_') }],
  // IPVLAN_F_PRIVATE / IPVLAN_F_VEPA; 0 is bridge mode.
  flags: [C.IFLA_IPVLAN_FLAGS, 'u16'],
});
