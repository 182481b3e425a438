/**
 * Namespace id messages: struct rtgenmsg + NETNSA_* (RTM_NEWNSID, RTM_DELNSID, RTM_GETNSID).
 * rtgenmsg is one byte that the kernel (and iproute2) pads to four, attributes or not. It is
 * declared with that padding (as YNL does), so a 20-byte message with no attributes re-encodes
 * as it came; a message that really carries one byte decodes as a short struct.
 */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, struct, type SetValues, type StructValue } from '../schema.js';

export const rtgenmsg = struct(
  'rtgenmsg',
  [
    ['family', 'u8'],
    ['pad1', 'u8'],
    ['pad2', 'u16'],
  ],
  4,
);
export type RtGenMsg = StructValue<typeof rtgenmsg.fields>;

export const nsidAttrs = attrs('NETNSA', {
  nsid: [C.NETNSA_NSID, 's32'],
  pid: [C.NETNSA_PID, 'u32'],
  fd: [C.NETNSA_FD, 'u32'],
  targetNsid: [C.NETNSA_TARGET_NSID, 's32'],
  currentNsid: [C.NETNSA_CURRENT_NSID, 's32'],
});
export type NsidAttrs = SetValues<typeof nsidAttrs>;

export const nsidMessages: MessageDef = {
  family: 'nsid',
  types: {
    [C.RTM_NEWNSID]: 'RTM_NEWNSID',
    [C.RTM_DELNSID]: 'RTM_DELNSID',
    [C.RTM_GETNSID]: 'RTM_GETNSID',
  },
  header: rtgenmsg,
  attrs: nsidAttrs,
};
