/**
 * NETLINK_GENERIC: the message table of generic netlink. It starts with nlctrl (GENL_ID_CTRL);
 * other families get their ids at run time and are registered when resolved (see
 * `resolveFamily` in rtnl, and `genlMessages.register(genlMessageDef(def, id))`).
 */
import { GENL_ID_CTRL, NETLINK_GENERIC } from '../constants/index.js';
import { MessageTable } from '../nlmsg.js';
import { genlMessageDef, nlctrl } from './ctrl.js';

export * from './ctrl.js';

/** The shared NETLINK_GENERIC table. Family ids are kernel-wide, so one table serves every namespace. */
export const genlMessages = new MessageTable([genlMessageDef(nlctrl, GENL_ID_CTRL)], { protocol: NETLINK_GENERIC });
export * from './raw.js';
