/** vrf IFLA_INFO_DATA (IFLA_VRF_*) and vrf port IFLA_INFO_SLAVE_DATA (IFLA_VRF_PORT_*), per drivers/net/vrf.c. */
import * as C from '../../constants/index.js';
import { attrs } from '../../schema.js';

export const vrfData = attrs('IFLA_VRF', {
  table: [C.IFLA_VRF_TABLE, 'u32'],
});

export const vrfSlaveData = attrs('IFLA_VRF_PORT', {
  table: [C.IFLA_VRF_PORT_TABLE, 'u32'],
});
