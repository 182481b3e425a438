/**
 * Address messages: struct ifaddrmsg + IFA_* (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), and the
 * IPv6 multicast and anycast address dumps, which the kernel answers with the same layout under
 * RTM_GETMULTICAST and RTM_GETANYCAST.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, struct, type SetValues, type StructValue } from '../schema.js';

export const ifaddrmsg = struct(
  'ifaddrmsg',
  [
    ['family', 'u8'],
    ['prefixLen', 'u8'],
    ['flags', 'u8'],
    ['scope', 'u8'],
    ['index', 'u32'],
  ],
  8,
);
export type IfAddrMsg = StructValue<typeof ifaddrmsg.fields>;

/** struct ifa_cacheinfo (IFA_CACHEINFO): lifetimes in seconds, stamps in hundredths of a second. */
export const ifaCacheinfo = struct(
  'ifa_cacheinfo',
  [
    ['prefered', 'u32'],
    ['valid', 'u32'],
    ['cstamp', 'u32'],
    ['tstamp', 'u32'],
  ],
  16,
);

export const addressAttrs = attrs('IFA', {
  address: [C.IFA_ADDRESS, 'ip'],
  local: [C.IFA_LOCAL, 'ip'],
  label: [C.IFA_LABEL, 'string', { max: C.IFNAMSIZ - 1 }],
  broadcast: [C.IFA_BROADCAST, 'ipv4'],
  anycast: [C.IFA_ANYCAST, 'ip'],
  cacheinfo: [C.IFA_CACHEINFO, ifaCacheinfo],
  multicast: [C.IFA_MULTICAST, 'ip'],
  // IFA_F_* bits, including those above 0xff that ifa_flags cannot hold.
  flags: [C.IFA_FLAGS, 'u32'],
  rtPriority: [C.IFA_RT_PRIORITY, 'u32'],
  targetNetnsid: [C.IFA_TARGET_NETNSID, 's32'],
  // IFAPROT_* (who added the address).
  proto: [C.IFA_PROTO, 'u8'],
});
export type AddressAttrs = SetValues<typeof addressAttrs>;

export const addressMessages: MessageDef = {
  family: 'address',
  types: {
    [C.RTM_NEWADDR]: 'RTM_NEWADDR',
    [C.RTM_DELADDR]: 'RTM_DELADDR',
    [C.RTM_GETADDR]: 'RTM_GETADDR',
    [C.RTM_GETMULTICAST]: 'RTM_GETMULTICAST',
    [C.RTM_GETANYCAST]: 'RTM_GETANYCAST',
  },
  header: ifaddrmsg,
  attrs: addressAttrs,
};
