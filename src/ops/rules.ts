/** Policy routing rules: list, add, delete. */
import type { z } from 'zod';
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import type { FibRuleHdr, RuleAttrs } from '../codec/rtnl/rule.js';
import { ValidationError } from '../errors.js';
import { publicCalls } from './calls.js';
import type { OpContext } from './context.js';
import {
  defined,
  familyNumber,
  ipFamily,
  ipprotoNumber,
  prefixOf,
  isCode,
  req,
  listOf,
  type ListResult,
} from './common.js';
import { flowOf, realmsOf } from './realms.js';
import { nameOf, numberOf, PROTOCOL_NAMES, RULE_ACTION_NAMES, ruleFlagNames } from './names.js';
import { check, V } from './validate.js';
import { schemas } from './zod.js';

/** A rule as rtnl reports it. `attrs` holds every decoded FRA attribute. */
export interface Rule {
  family: 4 | 6;
  /** FRA_PRIORITY (0 when absent: the local-table rule). */
  priority: number;
  /** Source prefix 'ADDR/LEN' (absent: from all). */
  from?: string;
  /** Destination prefix 'ADDR/LEN'. */
  to?: string;
  /** The full table id (FRA_TABLE when present, else the header's); 0 for non-table actions. */
  table: number;
  fwmark?: number;
  fwmask?: number;
  /** Input interface name (FRA_IIFNAME). */
  iif?: string;
  /** Output interface name (FRA_OIFNAME). */
  oif?: string;
  /** 'to_tbl', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'. */
  action: string;
  /** FRA_GOTO target priority. */
  goto?: number;
  suppressPrefixlen?: number;
  /** 'kernel', 'boot', 'static', ... (absent when unspecified). */
  protocol?: string;
  tos: number;
  /** FIB_RULE_* names: 'invert', 'unresolved', 'iif_detached', 'oif_detached'. */
  flags: string[];
  /** IP protocol number matched (FRA_IP_PROTO). */
  ipproto?: number;
  /** Port ranges matched (FRA_SPORT_RANGE, FRA_DPORT_RANGE); start equals end for one port. */
  sport?: { start: number; end: number };
  dport?: { start: number; end: number };
  /**
   * Port masks (FRA_SPORT_MASK, FRA_DPORT_MASK; Linux 6.15+, which sends 0xffff with a single
   * port): `sport 0x10/0xff` matches the ports whose masked bits equal start.
   */
  sportMask?: number;
  dportMask?: number;
  /** User id range matched (FRA_UID_RANGE). */
  uidRange?: { start: number; end: number };
  /** Routing realms matched (FRA_FLOW): the source realm `from` (0: any) and `to`. */
  realms?: { from: number; to: number };
  header: FibRuleHdr;
  attrs: RuleAttrs;
}

/** A rule to add or delete. */
export interface RuleSpec {
  /** Default 4. Inferred from `from`/`to` when they are given. */
  family?: 4 | 6 | 'inet' | 'inet6';
  priority?: number;
  from?: string;
  to?: string;
  /** Default 'main' for the 'to_tbl' action when adding. */
  table?: number | 'main' | 'local' | 'default';
  fwmark?: number;
  fwmask?: number;
  /** Input interface name (it need not exist yet). */
  iif?: string;
  /** Output interface name. */
  oif?: string;
  /** Default 'to_tbl' ('goto' when `goto` is given). */
  action?: 'to_tbl' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';
  /** Jump to the rule with this priority. */
  goto?: number;
  /** Reject routing decisions with a prefix length of this or less. */
  suppressPrefixlen?: number;
  protocol?: string | number;
  /** Match packets that do NOT match the selectors (FIB_RULE_INVERT). */
  not?: boolean;
  tos?: number;
  /** IP protocol: 'tcp', 'udp', 'icmp', 'icmpv6' or a number. */
  ipproto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number;
  /** A source port, or an inclusive range. */
  sport?: number | { start: number; end: number };
  /** A destination port, or an inclusive range. */
  dport?: number | { start: number; end: number };
  /** An inclusive user id range. */
  uidRange?: { start: number; end: number };
  /** Match routing realms (FRA_FLOW): `to`, and optionally the source realm `from`. */
  realms?: { from?: number; to: number };
}

/** Which rules list() and flush() return. */
export interface RuleListFilter {
  family?: 4 | 6 | 'inet' | 'inet6';
  /** Only the rule of this priority (filtered here). */
  priority?: number;
  /** Only rules that look up this table (filtered here). */
  table?: number | 'main' | 'local' | 'default';
}

const S = schemas((z) => {
  const { family, ifname, prefix, protocol, table, u32, u8 } = V();
  const port = z.number().int().min(0).max(65535);
  const portSpec = z.union([
    port,
    z
      .object({ start: port, end: port })
      .strict()
      .refine((r) => r.start <= r.end, 'start must not be above end'),
  ]);
  const specSchema = z
    .object({
      family: family.optional(),
      priority: u32.optional(),
      from: prefix.optional(),
      to: prefix.optional(),
      table: table.optional(),
      fwmark: u32.optional(),
      fwmask: u32.optional(),
      iif: ifname.optional(),
      oif: ifname.optional(),
      action: z.enum(['to_tbl', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit']).optional(),
      goto: u32.optional(),
      suppressPrefixlen: z.number().int().min(0).max(128).optional(),
      protocol: protocol.optional(),
      not: z.boolean().optional(),
      tos: u8.optional(),
      ipproto: z.union([z.enum(['tcp', 'udp', 'icmp', 'icmpv6']), u8]).optional(),
      sport: portSpec.optional(),
      dport: portSpec.optional(),
      uidRange: z
        .object({ start: u32, end: u32 })
        .strict()
        .refine((r) => r.start <= r.end, 'start must not be above end')
        .optional(),
      realms: z
        .object({ from: z.number().int().min(0).max(0xffff).optional(), to: z.number().int().min(0).max(0xffff) })
        .strict()
        .optional(),
    })
    .strict();

  const listSchema = z
    .object({ family: family.optional(), priority: u32.optional(), table: table.optional() })
    .strict();
  const deleteOptsSchema = z.object({ ifExists: z.boolean().optional() }).strict();
  return { specSchema, listSchema, deleteOptsSchema };
});
type Spec = z.output<ReturnType<typeof S>['specSchema']>;

export function toRule(m: NetlinkMessage): Rule {
  const h = m.body as FibRuleHdr;
  const a = m.attrs as RuleAttrs;
  const fam = ipFamily(h.family);
  const r: Rule = {
    family: fam,
    priority: a.priority ?? 0,
    table: a.table ?? h.table ?? 0,
    action: nameOf(RULE_ACTION_NAMES, h.action ?? 0),
    tos: h.tos ?? 0,
    flags: ruleFlagNames(h.flags ?? 0),
    header: h,
    attrs: a,
  };
  if (a.src !== undefined || (h.srcLen ?? 0) > 0) r.from = prefixOf(a.src, h.srcLen, fam);
  if (a.dst !== undefined || (h.dstLen ?? 0) > 0) r.to = prefixOf(a.dst, h.dstLen, fam);
  if (a.fwmark !== undefined) r.fwmark = a.fwmark;
  if (a.fwmask !== undefined) r.fwmask = a.fwmask;
  if (a.iifname !== undefined) r.iif = a.iifname;
  if (a.oifname !== undefined) r.oif = a.oifname;
  if (a.goto !== undefined) r.goto = a.goto;
  if (a.suppressPrefixlen !== undefined && a.suppressPrefixlen !== 0xffffffff)
    r.suppressPrefixlen = a.suppressPrefixlen;
  if (a.protocol !== undefined && a.protocol !== C.RTPROT_UNSPEC) r.protocol = nameOf(PROTOCOL_NAMES, a.protocol);
  if (a.ipProto !== undefined) r.ipproto = a.ipProto;
  if (a.sportRange) r.sport = { start: a.sportRange.start ?? 0, end: a.sportRange.end ?? 0 };
  if (a.dportRange) r.dport = { start: a.dportRange.start ?? 0, end: a.dportRange.end ?? 0 };
  if (a.flow !== undefined) r.realms = realmsOf(a.flow);
  if (a.sportMask !== undefined) r.sportMask = a.sportMask;
  if (a.dportMask !== undefined) r.dportMask = a.dportMask;
  if (a.uidRange) r.uidRange = { start: a.uidRange.start ?? 0, end: a.uidRange.end ?? 0 };
  return r;
}

/** The family of a rule spec, checking that `from` and `to` agree with it and each other. */
function ruleFamily(s: Spec, raw: RuleSpec): 4 | 6 {
  let fam = s.family;
  let src = 'rule.family';
  for (const [key, p] of [
    ['from', s.from],
    ['to', s.to],
  ] as const) {
    if (!p) continue;
    if (fam === undefined) {
      fam = p.family;
      src = `rule.${key}`;
    } else if (p.family !== fam) {
      throw new ValidationError(`rule.${key}`, `is an IPv${p.family} prefix but ${src} is IPv${fam}`, raw[key]);
    }
  }
  return fam ?? 4;
}

/** The messages list() keeps (a module-level function: one call target for V8, not a closure per call). */
const isIpRule = (m: NetlinkMessage): boolean =>
  m.type === 'RTM_NEWRULE' && (m.body.family === C.AF_INET || m.body.family === C.AF_INET6);

export class Rules {
  constructor(private readonly nl: OpContext) {}

  /**
   * List rules: IPv4 and IPv6, or one family. (Multicast routing rules, RTNL_FAMILY_IPMR and
   * IP6MR, are left out.)
   *
   * Equivalent to: ip [-4|-6] rule show [pref N] [table ID]
   */
  async list(filter?: RuleListFilter): Promise<ListResult<Rule>> {
    // No filter: nothing to validate, so zod is not loaded (see zod.ts).
    const f = filter === undefined ? {} : check(S().listSchema, filter, 'filter');
    const body = { family: familyNumber(f.family) };
    const msgs = await this.nl.engine.dump(req('RTM_GETRULE', body), { onInterrupted: this.nl.options.onInterrupted });
    if (f.priority === undefined && f.table === undefined) return listOf(msgs, isIpRule, toRule);
    const keep = (m: NetlinkMessage) => {
      if (!isIpRule(m)) return false;
      const a = m.attrs as RuleAttrs;
      if (f.priority !== undefined && (a.priority ?? 0) !== f.priority) return false;
      if (f.table !== undefined && (a.table ?? m.body.table ?? 0) !== f.table) return false;
      return true;
    };
    return listOf(msgs, keep, toRule);
  }

  /**
   * Delete every rule list(filter) returns, except the priority-0 rule (the local table's);
   * returns how many were deleted. As with ip, the main and default rules go too.
   *
   * Equivalent to: ip [-4|-6] rule flush [pref N] [table ID]
   */
  async flush(filter?: RuleListFilter): Promise<number> {
    let n = 0;
    for (const r of await this.list(filter)) {
      if (r.priority === 0) continue;
      try {
        await this.nl.engine.request(req('RTM_DELRULE', r.header, r.attrs));
        n++;
      } catch (err) {
        if (!isCode(err, 'ENOENT')) throw err;
      }
    }
    return n;
  }

  /**
   * Add a rule. An identical one raises NetlinkError 'EEXIST'.
   *
   * Equivalent to: ip rule add [not] [from P] [to P] [fwmark M/MASK] [iif DEV] [oif DEV] [tos T]
   *   [priority N] [table ID | goto N | blackhole | unreachable | prohibit | nop] [protocol P]
   *   [suppress_prefixlength N] [ipproto P] [sport N[-M]] [dport N[-M]] [uidrange N-M]
   */
  async add(rule: RuleSpec): Promise<void> {
    await this.nl.engine.request(this.build(rule, false), C.NLM_F_CREATE | C.NLM_F_EXCL);
  }

  /**
   * Delete the first rule that matches every field given. At least one field besides `family`
   * is required, so an empty spec cannot delete the local-table rule. With `ifExists: true`, a
   * missing rule is not an error (returns false).
   *
   * Equivalent to: ip rule del [selectors] [priority N] [table ID]
   */
  async delete(rule: RuleSpec, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    const o = check(S().deleteOptsSchema, opts, 'options');
    const msg = this.build(rule, true);
    try {
      await this.nl.engine.request(msg);
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT')) return false;
      throw err;
    }
  }

  private build(rule: RuleSpec, del: boolean): NetlinkMessage {
    const s = check(S().specSchema, rule, 'rule');
    const fam = ruleFamily(s, rule);
    if (del && Object.keys(s).every((k) => k === 'family')) {
      throw new ValidationError('rule', 'give at least one selector, priority or table to delete a rule', rule);
    }
    if (s.goto !== undefined && s.action !== undefined && s.action !== 'goto') {
      throw new ValidationError('rule.goto', `goes with action 'goto', not '${s.action}'`, rule.goto);
    }
    if (s.action === 'goto' && s.goto === undefined)
      throw new ValidationError('rule.goto', "action 'goto' needs a target priority", rule.goto);
    if (s.fwmask !== undefined && s.fwmark === undefined)
      throw new ValidationError('rule.fwmask', 'needs fwmark', rule.fwmask);
    const actionName = s.action ?? (s.goto !== undefined ? 'goto' : del ? undefined : 'to_tbl');
    const action = actionName === undefined ? C.FR_ACT_UNSPEC : numberOf(RULE_ACTION_NAMES, actionName);
    const tableId = s.table ?? (!del && action === C.FR_ACT_TO_TBL ? C.RT_TABLE_MAIN : undefined);
    const body = {
      family: familyNumber(fam),
      dstLen: s.to?.prefixLen ?? 0,
      srcLen: s.from?.prefixLen ?? 0,
      tos: s.tos ?? 0,
      table: tableId === undefined ? C.RT_TABLE_UNSPEC : tableId < 256 ? tableId : C.RT_TABLE_UNSPEC,
      action,
      flags: s.not ? C.FIB_RULE_INVERT : 0,
    };
    const attrs: RuleAttrs = defined({
      priority: s.priority,
      src: s.from?.address,
      dst: s.to?.address,
      table: tableId,
      fwmark: s.fwmark,
      fwmask: s.fwmask,
      iifname: s.iif,
      oifname: s.oif,
      goto: s.goto,
      suppressPrefixlen: s.suppressPrefixlen,
      protocol: s.protocol === undefined ? undefined : numberOf(PROTOCOL_NAMES, s.protocol),
      ipProto: ipprotoNumber(s.ipproto),
      sportRange:
        s.sport === undefined ? undefined : typeof s.sport === 'number' ? { start: s.sport, end: s.sport } : s.sport,
      dportRange:
        s.dport === undefined ? undefined : typeof s.dport === 'number' ? { start: s.dport, end: s.dport } : s.dport,
      uidRange: s.uidRange,
      flow: flowOf(s.realms),
    });
    return req(del ? 'RTM_DELRULE' : 'RTM_NEWRULE', body, attrs);
  }
}

publicCalls(Rules, 'rules', {
  list: {},
  add: { show: (r: RuleSpec) => [r], errnos: { ENOENT: 'no such rule' } },
  delete: { show: (r: RuleSpec) => [r], errnos: { ENOENT: 'no such rule' } },
});
