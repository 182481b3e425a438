/** The macsec link kind (decoding only): IFLA_INFO_DATA (IFLA_MACSEC_*), per macsec_fill_info in drivers/net/macsec.c. Not in this kernel. */
import * as C from '../../codec/constants/index.js';
import { enumOf } from '../../codec/enums.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const macsecData = attrs('IFLA_MACSEC', {
  // The secure channel identifier (sci_t): MAC address and port, big-endian.
  sci: [C.IFLA_MACSEC_SCI, 'be64'],
  // Request only: the port of the SCI, big-endian (nla_get_be16).
  port: [C.IFLA_MACSEC_PORT, 'be16'],
  icvLen: [C.IFLA_MACSEC_ICV_LEN, 'u8'],
  // MACSEC_CIPHER_ID_* (a 64-bit cipher suite id).
  cipherSuite: [C.IFLA_MACSEC_CIPHER_SUITE, 'u64'],
  window: [C.IFLA_MACSEC_WINDOW, 'u32'],
  encodingSa: [C.IFLA_MACSEC_ENCODING_SA, 'u8'],
  encrypt: [C.IFLA_MACSEC_ENCRYPT, 'u8'],
  protect: [C.IFLA_MACSEC_PROTECT, 'u8'],
  incSci: [C.IFLA_MACSEC_INC_SCI, 'u8'],
  es: [C.IFLA_MACSEC_ES, 'u8'],
  scb: [C.IFLA_MACSEC_SCB, 'u8'],
  replayProtect: [C.IFLA_MACSEC_REPLAY_PROTECT, 'u8'],
  validation: [C.IFLA_MACSEC_VALIDATION, 'u8', { enum: enumOf('MACSEC_VALIDATE_') }],
  pad: [C.IFLA_MACSEC_PAD, 'binary'],
  offload: [
    C.IFLA_MACSEC_OFFLOAD,
    'u8',
    { enum: enumOf('MACSEC_OFFLOAD_', ['ATTR', 'ATTR_UNSPEC', 'ATTR_TYPE', 'ATTR_PAD', 'ATTR_MAX']) },
  ],
});

export default defineLinkKind<never>()({ kind: 'macsec', data: macsecData });
