/** Extended-ACK attributes (enum nlmsgerr_attrs) carried by NLMSG_ERROR and NLMSG_DONE. */
import {
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLMSGERR_ATTR_POLICY,
} from './constants/index.js';
import { attrs, struct, type SetValues } from './schema.js';

export const nlmsghdr = struct(
  'nlmsghdr',
  [
    ['len', 'u32'],
    ['type', 'u16'],
    ['flags', 'u16'],
    ['seq', 'u32'],
    ['pid', 'u32'],
  ],
  16,
);

export const extackAttrs = attrs('NLMSGERR_ATTR', {
  msg: [NLMSGERR_ATTR_MSG, 'string'],
  offs: [NLMSGERR_ATTR_OFFS, 'u32'],
  cookie: [NLMSGERR_ATTR_COOKIE, 'binary'],
  policy: [NLMSGERR_ATTR_POLICY, 'binary'],
  missType: [NLMSGERR_ATTR_MISS_TYPE, 'u32'],
  missNest: [NLMSGERR_ATTR_MISS_NEST, 'u32'],
});
export type ExtAckAttrs = SetValues<typeof extackAttrs>;
