/**
 * Generic netlink framing (struct genlmsghdr) and the nlctrl family (GENL_ID_CTRL), through which
 * every other generic netlink family is found: CTRL_CMD_GETFAMILY answers with a family's id,
 * version, header size, operations and multicast groups; CTRL_CMD_GETPOLICY with its attribute
 * policies.
 */
import * as C from '../constants/index.js';
import { enumOf } from '../enums.js';
import type { MessageDef, MessageShape } from '../nlmsg.js';
import {
  attrs,
  indexed,
  keyed,
  nest,
  struct,
  type AttrSetDef,
  type SetValues,
  type StructDef,
  type StructValue,
} from '../schema.js';

/** struct genlmsghdr: the fixed header of every generic netlink message. */
export const genlmsghdr = struct(
  'genlmsghdr',
  [
    ['cmd', 'u8'],
    ['version', 'u8'],
    ['reserved', 'u16'],
  ],
  4,
);
export type GenlMsgHdr = StructValue<typeof genlmsghdr.fields>;

/** One element of CTRL_ATTR_OPS: a command the family offers and its GENL_* flags. */
export const ctrlOpAttrs = attrs('CTRL_ATTR_OP', {
  id: [C.CTRL_ATTR_OP_ID, 'u32'],
  flags: [C.CTRL_ATTR_OP_FLAGS, 'u32'],
});

/** One element of CTRL_ATTR_MCAST_GROUPS: a multicast group's name and id. */
export const ctrlMcastGrpAttrs = attrs('CTRL_ATTR_MCAST_GRP', {
  name: [C.CTRL_ATTR_MCAST_GRP_NAME, 'string'],
  id: [C.CTRL_ATTR_MCAST_GRP_ID, 'u32'],
});

/** How the kernel validates one attribute (NL_POLICY_TYPE_ATTR_*). */
export const policyTypeAttrs = attrs('NL_POLICY_TYPE_ATTR', {
  type: [C.NL_POLICY_TYPE_ATTR_TYPE, 'u32', { enum: enumOf('NL_ATTR_TYPE_') }],
  minValueS: [C.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, 's64'],
  maxValueS: [C.NL_POLICY_TYPE_ATTR_MAX_VALUE_S, 's64'],
  minValueU: [C.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 'u64'],
  maxValueU: [C.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 'u64'],
  minLength: [C.NL_POLICY_TYPE_ATTR_MIN_LENGTH, 'u32'],
  maxLength: [C.NL_POLICY_TYPE_ATTR_MAX_LENGTH, 'u32'],
  policyIdx: [C.NL_POLICY_TYPE_ATTR_POLICY_IDX, 'u32'],
  policyMaxtype: [C.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, 'u32'],
  bitfield32Mask: [C.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, 'u32'],
  pad: [C.NL_POLICY_TYPE_ATTR_PAD, 'binary'],
  mask: [C.NL_POLICY_TYPE_ATTR_MASK, 'u64'],
});

/** One element of CTRL_ATTR_OP_POLICY: the policy indexes of a command's do and dump. */
export const ctrlPolicyAttrs = attrs('CTRL_ATTR_POLICY', {
  do: [C.CTRL_ATTR_POLICY_DO, 'u32'],
  dump: [C.CTRL_ATTR_POLICY_DUMP, 'u32'],
});

/** CTRL_ATTR_*: every nlctrl command uses this one set. */
export const ctrlAttrs = attrs('CTRL_ATTR', {
  familyId: [C.CTRL_ATTR_FAMILY_ID, 'u16'],
  familyName: [C.CTRL_ATTR_FAMILY_NAME, 'string', { max: C.GENL_NAMSIZ - 1 }],
  version: [C.CTRL_ATTR_VERSION, 'u32'],
  hdrsize: [C.CTRL_ATTR_HDRSIZE, 'u32'],
  maxattr: [C.CTRL_ATTR_MAXATTR, 'u32'],
  ops: [C.CTRL_ATTR_OPS, indexed(nest(ctrlOpAttrs))],
  mcastGroups: [C.CTRL_ATTR_MCAST_GROUPS, indexed(nest(ctrlMcastGrpAttrs))],
  /** Policy index -> attribute number -> how it is validated. */
  policy: [C.CTRL_ATTR_POLICY, keyed(keyed(nest(policyTypeAttrs))), { nestedFlag: true }],
  /** Command -> its do/dump policy indexes. */
  opPolicy: [C.CTRL_ATTR_OP_POLICY, keyed(nest(ctrlPolicyAttrs)), { nestedFlag: true }],
  op: [C.CTRL_ATTR_OP, 'u32'],
});
export type CtrlAttrs = SetValues<typeof ctrlAttrs>;

/**
 * The codec of one generic netlink family: its name (as CTRL_ATTR_FAMILY_NAME spells it), the
 * attribute set most commands use, and, where a command uses another set, that set by `cmd`.
 * A family with a user header after genlmsghdr (CTRL_ATTR_HDRSIZE > 0) gives `header`: the
 * whole fixed header, genlmsghdr's fields first.
 */
export interface GenlFamilyDef {
  name: string;
  attrs: AttrSetDef;
  cmds?: Readonly<Record<number, AttrSetDef>>;
  header?: StructDef;
}

/** Declare a generic netlink family's codec (see GenlFamilyDef). */
export const genlFamily = (def: GenlFamilyDef): GenlFamilyDef => def;

/**
 * The MessageDef of a family resolved to `id`: nlmsg_type is the id, the message type's name is
 * the family's name, and `cmd` selects the attribute set.
 */
export function genlMessageDef(family: GenlFamilyDef, id: number): MessageDef {
  const cases: Record<number, Partial<MessageShape>> = {};
  for (const [cmd, set] of Object.entries(family.cmds ?? {})) cases[Number(cmd)] = { attrs: set };
  return {
    family: family.name,
    types: { [id]: family.name },
    header: family.header ?? genlmsghdr,
    attrs: family.attrs,
    ...(family.cmds !== undefined ? { select: { field: 'cmd', cases } } : {}),
  };
}

/** nlctrl, the generic netlink controller. Its id is fixed: GENL_ID_CTRL. */
export const nlctrl = genlFamily({ name: 'nlctrl', attrs: ctrlAttrs });
