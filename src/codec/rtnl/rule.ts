/** FIB rule messages: struct fib_rule_hdr + FRA_* (RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE). */
import * as C from '../constants/index.js';
import type { MessageDef } from '../nlmsg.js';
import { attrs, struct, type SetValues, type StructValue } from '../schema.js';

export const fibRuleHdr = struct(
  'fib_rule_hdr',
  [
    ['family', 'u8'],
    ['dstLen', 'u8'],
    ['srcLen', 'u8'],
    ['tos', 'u8'],
    ['table', 'u8'],
    ['res1', 'u8'],
    ['res2', 'u8'],
    ['action', 'u8'],
    ['flags', 'u32'],
  ],
  12,
);
export type FibRuleHdr = StructValue<typeof fibRuleHdr.fields>;

/** struct fib_rule_uid_range (FRA_UID_RANGE). */
export const fibRuleUidRange = struct(
  'fib_rule_uid_range',
  [
    ['start', 'u32'],
    ['end', 'u32'],
  ],
  8,
);
/** struct fib_rule_port_range (FRA_SPORT_RANGE, FRA_DPORT_RANGE), host byte order. */
export const fibRulePortRange = struct(
  'fib_rule_port_range',
  [
    ['start', 'u16'],
    ['end', 'u16'],
  ],
  4,
);

export const ruleAttrs = attrs('FRA', {
  dst: [C.FRA_DST, 'ip'],
  src: [C.FRA_SRC, 'ip'],
  iifname: [C.FRA_IIFNAME, 'string', { max: C.IFNAMSIZ - 1 }],
  goto: [C.FRA_GOTO, 'u32'],
  unused2: [C.FRA_UNUSED2, 'binary'],
  priority: [C.FRA_PRIORITY, 'u32'],
  unused3: [C.FRA_UNUSED3, 'binary'],
  unused4: [C.FRA_UNUSED4, 'binary'],
  unused5: [C.FRA_UNUSED5, 'binary'],
  fwmark: [C.FRA_FWMARK, 'u32'],
  flow: [C.FRA_FLOW, 'u32'],
  tunId: [C.FRA_TUN_ID, 'be64'],
  suppressIfgroup: [C.FRA_SUPPRESS_IFGROUP, 'u32'],
  suppressPrefixlen: [C.FRA_SUPPRESS_PREFIXLEN, 'u32'],
  // Tables above 255 live only here; fib_rule_hdr.table then says RT_TABLE_UNSPEC.
  table: [C.FRA_TABLE, 'u32'],
  fwmask: [C.FRA_FWMASK, 'u32'],
  oifname: [C.FRA_OIFNAME, 'string', { max: C.IFNAMSIZ - 1 }],
  pad: [C.FRA_PAD, 'binary'],
  l3mdev: [C.FRA_L3MDEV, 'u8'],
  uidRange: [C.FRA_UID_RANGE, fibRuleUidRange],
  protocol: [C.FRA_PROTOCOL, 'u8'],
  ipProto: [C.FRA_IP_PROTO, 'u8'],
  sportRange: [C.FRA_SPORT_RANGE, fibRulePortRange],
  dportRange: [C.FRA_DPORT_RANGE, fibRulePortRange],
  // Linux 6.12+: the DSCP to match (6 bits, not the whole tos byte), and an IPv6 flow label.
  dscp: [C.FRA_DSCP, 'u8'],
  flowlabel: [C.FRA_FLOWLABEL, 'be32'],
  flowlabelMask: [C.FRA_FLOWLABEL_MASK, 'be32'],
  // Newer than the headers (numbers from the YNL spec): masks for the port ranges and the DSCP.
  sportMask: [C.FRA_SPORT_MASK, 'u16'],
  dportMask: [C.FRA_DPORT_MASK, 'u16'],
  dscpMask: [C.FRA_DSCP_MASK, 'u8'],
});
export type RuleAttrs = SetValues<typeof ruleAttrs>;

export const ruleMessages: MessageDef = {
  family: 'rule',
  types: {
    [C.RTM_NEWRULE]: 'RTM_NEWRULE',
    [C.RTM_DELRULE]: 'RTM_DELRULE',
    [C.RTM_GETRULE]: 'RTM_GETRULE',
  },
  header: fibRuleHdr,
  attrs: ruleAttrs,
};
