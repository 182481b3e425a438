/** The ovpn link kind (drivers/net/ovpn), decoding only: its mode. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const ovpnData = attrs('IFLA_OVPN', {
  mode: [C.IFLA_OVPN_MODE, 'u8', { enum: enumOf('OVPN_MODE_') }],
});

export default defineLinkKind<never>()({ kind: 'ovpn', data: ovpnData });
