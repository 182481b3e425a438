/**
 * Prefix notifications: struct prefixmsg + PREFIX_* (RTM_NEWPREFIX). The kernel sends one to
 * RTNLGRP_IPV6_PREFIX when a router advertisement's prefix information option is accepted
 * (inet6_prefix_notify); there is no request for it.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, struct, type SetValues, type StructValue } from '../schema.js';

/** struct prefixmsg: the option's type (ND_OPT_PREFIX_INFO = 3), prefix length and L/A flags. */
export const prefixmsg = struct(
  'prefixmsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
    ['ifindex', 's32'],
    ['type', 'u8'],
    ['len', 'u8'],
    ['flags', 'u8'],
    ['pad3', 'u8'],
  ],
  12,
);
export type PrefixMsg = StructValue<typeof prefixmsg.fields>;

/** struct prefix_cacheinfo: the advertised lifetimes, in seconds. */
export const prefixCacheinfo = struct(
  'prefix_cacheinfo',
  [
    ['preferredTime', 'u32'],
    ['validTime', 'u32'],
  ],
  8,
);

export const prefixAttrs = attrs('PREFIX', {
  address: [C.PREFIX_ADDRESS, 'ipv6'],
  cacheinfo: [C.PREFIX_CACHEINFO, prefixCacheinfo],
});
export type PrefixAttrs = SetValues<typeof prefixAttrs>;

export const prefixMessages: MessageDef = {
  family: 'prefix',
  types: { [C.RTM_NEWPREFIX]: 'RTM_NEWPREFIX' },
  header: prefixmsg,
  attrs: prefixAttrs,
};
