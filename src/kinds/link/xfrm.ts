/** The xfrm link kind (XFRM interfaces, net/xfrm/xfrm_interface_core.c), decoding only. */
import * as C from '../../codec/constants/index.js';
import { attrs } from '../../codec/schema.js';
import { defineLinkKind } from './kind.js';

export const xfrmData = attrs('IFLA_XFRM', {
  link: [C.IFLA_XFRM_LINK, 'u32'],
  ifId: [C.IFLA_XFRM_IF_ID, 'u32'],
  collectMetadata: [C.IFLA_XFRM_COLLECT_METADATA, 'flag'],
});

export default defineLinkKind<never>()({ kind: 'xfrm', data: xfrmData });
