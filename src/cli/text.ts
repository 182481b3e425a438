/**
 * Human output close to `ip`'s, rendered from the ip-JSON objects of format.ts (one source of
 * truth for both outputs, as in iproute2's print_* functions).
 */
import { linkKindPlugin } from '../ops/link-kinds.js';
import { bridgeSlaveText } from './bridge.js';
import { encapText } from './encap.js';
import type { Json } from './format.js';

const s = (v: unknown): string => String(v);

/** The `N: name@link: <FLAGS> mtu ...` block of a link (without addresses). */
export function linkText(j: Json, details = 0): string {
  let head = `${j.deleted ? 'Deleted ' : ''}${j.ifindex}: ${j.ifname ?? '<nil>'}`;
  if ('link' in j) head += j.link === null ? '@NONE' : `@${j.link}`;
  else if (j.link_index !== undefined) head += `@if${j.link_index}`;
  head += `: <${(j.flags as string[]).join(',')}>`;
  if (j.mtu !== undefined) head += ` mtu ${j.mtu}`;
  if (j.qdisc !== undefined) head += ` qdisc ${j.qdisc}`;
  if (j.master !== undefined) head += ` master ${j.master}`;
  if (j.operstate !== undefined) head += ` state ${j.operstate}`;
  if (j.linkmode !== undefined) head += ` mode ${j.linkmode}`;
  if (j.group !== undefined) head += ` group ${j.group}`;
  if (j.txqlen !== undefined) head += ` qlen ${j.txqlen}`;
  const lines = [head];
  if (j.link_type !== undefined) {
    let l = `    link/${j.link_type}`;
    if (j.address !== undefined) l += ` ${j.address}`;
    if (j.broadcast !== undefined) l += `${j.link_pointtopoint ? ' peer ' : ' brd '}${j.broadcast}`;
    if (j.link_netnsid !== undefined) l += ` link-netnsid ${j.link_netnsid}`;
    if (j.proto_down) l += ' protodown on';
    if (details) {
      if (j.promiscuity !== undefined) l += ` promiscuity ${j.promiscuity}${j.allmulti !== undefined ? ' ' : ''}`; // ip: two spaces before allmulti
      if (j.allmulti !== undefined) l += ` allmulti ${j.allmulti}`;
      if (j.min_mtu !== undefined) l += ` minmtu ${j.min_mtu}`;
      if (j.max_mtu !== undefined) l += ` maxmtu ${j.max_mtu}`;
    }
    lines.push(l);
  }
  if (details) {
    const info = j.linkinfo as Json | undefined;
    if (info?.info_kind !== undefined) {
      // A kind plugin may print its own text; by default, its JSON as `key value` pairs.
      const text = linkKindPlugin(info.info_kind as string)?.text;
      const data = info.info_data as Json | undefined;
      lines.push(`    ${info.info_kind}${text && data ? ` ${text(data)}` : kv(data)}`);
    }
    if (info?.info_slave_kind !== undefined) {
      const sd = info.info_slave_data as Json | undefined;
      const words = info.info_slave_kind === 'bridge' && sd ? ` ${bridgeSlaveText(sd)}` : kv(sd);
      lines.push(`    ${info.info_slave_kind}_slave${words}`);
    }
    const extra: string[] = [];
    const add = (key: string, word: string) => j[key] !== undefined && extra.push(`${word} ${s(j[key])}`);
    add('inet6_addr_gen_mode', 'addrgenmode');
    add('num_tx_queues', 'numtxqueues');
    add('num_rx_queues', 'numrxqueues');
    add('gso_max_size', 'gso_max_size');
    add('gso_max_segs', 'gso_max_segs');
    add('tso_max_size', 'tso_max_size');
    add('tso_max_segs', 'tso_max_segs');
    add('gro_max_size', 'gro_max_size');
    // ip prints these on the line before (link/..., the kind's, or the slave kind's), not on their own.
    if (extra.length) {
      if (lines.length > 1) lines[lines.length - 1] += ` ${extra.join(' ')}`;
      else lines.push(`    ${extra.join(' ')}`);
    }
  }
  if (j.ifalias !== undefined) lines.push(`    alias ${j.ifalias}`);
  for (const n of (j.altnames as string[] | undefined) ?? []) lines.push(`    altname ${n}`);
  return lines.join('\n');
}

/** ` key value key value` of info_data, nested objects flattened one level. */
function kv(d: Json | undefined): string {
  if (!d) return '';
  let out = '';
  for (const [k, v] of Object.entries(d)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out += ` ${k} ${Object.values(v as Json).join('-')}`;
    else if (typeof v === 'boolean') out += ` ${k} ${v ? 'on' : 'off'}`;
    else out += ` ${k} ${Array.isArray(v) ? v.join(',') : s(v)}`;
  }
  return out;
}

/** One addr_info entry: `    inet 192.0.2.1/24 brd ... scope global eth0` + lifetimes. */
export function addrInfoText(a: Json): string {
  let l = `    ${a.deleted && a.dev === undefined ? 'Deleted ' : ''}${a.family}`;
  if (a.local !== undefined) {
    l += ` ${a.local}`;
    if (a.address !== undefined) l += ` peer ${a.address}`;
    l += `/${a.prefixlen}`;
  }
  if (a.metric !== undefined) l += ` metric ${a.metric}`;
  if (a.broadcast !== undefined) l += ` brd ${a.broadcast}`;
  if (a.anycast !== undefined) l += ` any ${a.anycast}`;
  l += ` scope ${a.scope}`;
  const skip = new Set([
    'deleted',
    'index',
    'dev',
    'family',
    'local',
    'address',
    'prefixlen',
    'metric',
    'broadcast',
    'anycast',
    'scope',
    'label',
    'valid_life_time',
    'preferred_life_time',
    'ifa_flags',
  ]);
  for (const [k, v] of Object.entries(a)) if (!skip.has(k) && v === true) l += ` ${k}`;
  if (a.ifa_flags !== undefined) l += ` flags ${a.ifa_flags}`;
  if (a.label !== undefined) l += ` ${a.label}`;
  if (a.valid_life_time !== undefined) {
    const life = (v: unknown) => (v === 4294967295 ? 'forever' : `${s(v)}sec`);
    l += `\n       valid_lft ${life(a.valid_life_time)} preferred_lft ${life(a.preferred_life_time)}`;
  }
  return l;
}

/** `ip address show` output for one link. */
export function addrShowText(j: Json, details = 0): string {
  const lines = [linkText(j, details)];
  for (const a of (j.addr_info as Json[]) ?? []) lines.push(addrInfoText(a));
  return lines.join('\n');
}

/** A monitor line for an address event: `3: eth0    inet 192.0.2.1/24 ...`. */
export function addrEventText(a: Json): string {
  return `${a.deleted ? 'Deleted ' : ''}${a.index}: ${a.dev}${addrInfoText({ ...a, deleted: false })}`;
}

function gatewayText(j: Json): string {
  if (j.gateway !== undefined) return ` via ${j.gateway}`;
  const via = j.via as Json | undefined;
  if (via) return ` via ${via.family} ${via.host}`;
  return '';
}

/** ` realm TO` or ` realms FROM/TO`, from a flow's JSON (print_rta_flow). */
function realmsText(f: Json | undefined): string {
  if (!f) return '';
  return f.from !== undefined ? ` realms ${f.from}/${f.to}` : ` realm ${f.to}`;
}

/** One route line, with `nexthop` lines for a multipath route. */
export function routeText(j: Json): string {
  let l = j.deleted ? 'Deleted ' : '';
  if (j.type !== undefined) l += `${j.type} `;
  l += s(j.dst);
  if (j.src !== undefined) l += ` from ${j.src}`;
  if (j.nhid !== undefined) l += ` nhid ${j.nhid}`;
  if (j.encap !== undefined) l += ` ${encapText(j, 'route')}`;
  if (j.tos !== undefined) l += ` tos ${j.tos}`;
  l += gatewayText(j);
  if (j.dev !== undefined) l += ` dev ${j.dev}`;
  if (j.table !== undefined) l += ` table ${j.table}`;
  if (j.protocol !== undefined) l += ` proto ${j.protocol}`;
  if (j.scope !== undefined) l += ` scope ${j.scope}`;
  if (j.prefsrc !== undefined) l += ` src ${j.prefsrc}`;
  if (j.metric !== undefined) l += ` metric ${j.metric}`;
  for (const f of (j.flags as string[]) ?? []) l += ` ${f}`;
  if (j.mark !== undefined) l += ` mark ${j.mark}`;
  l += realmsText(j.flow as Json | undefined);
  if (j.uid !== undefined) l += ` uid ${j.uid}`;
  if (j.expires !== undefined) l += ` expires ${j.expires}sec`;
  for (const m of (j.metrics as Json[]) ?? []) {
    for (const [k, v] of Object.entries(m))
      l += ` ${k} ${s(v)}${k === 'rtt' || k === 'rttvar' || k === 'rto_min' ? 'ms' : ''}`;
  }
  if (j.iif !== undefined) l += ` iif ${j.iif}`;
  if (j.pref !== undefined) l += ` pref ${j.pref}`;
  if (j.cache !== undefined) l += `\n    cache${(j.cache as string[]).map((c) => ` <${c}>`).join('')}`;
  for (const nh of (j.nexthops as Json[]) ?? []) {
    let n = `\n\tnexthop${nh.encap === undefined ? '' : ` ${encapText(nh, 'route')}`}${gatewayText(nh)}${realmsText(nh.flow as Json | undefined)} dev ${nh.dev} weight ${nh.weight}`;
    for (const f of (nh.flags as string[]) ?? []) n += ` ${f}`;
    l += n;
  }
  return l;
}

/** One neighbour line: `192.0.2.9 dev eth0 lladdr 02:.. PERMANENT`. */
export function neighText(j: Json): string {
  let l = j.deleted ? 'Deleted ' : '';
  l += s(j.dst ?? '');
  if (j.dev !== undefined) l += ` dev ${j.dev}`;
  if (j.lladdr !== undefined) l += ` lladdr ${j.lladdr}`;
  for (const f of ['router', 'proxy', 'extern_learn', 'offload']) if (f in j) l += ` ${f}`;
  for (const st of (j.state as string[]) ?? []) l += ` ${st}`;
  if (j.protocol !== undefined) l += ` proto ${j.protocol}`;
  return l;
}

/** One rule line: `100:\tfrom 192.0.2.0/24 lookup 100`. */
export function ruleText(j: Json): string {
  let l = `${j.deleted ? 'Deleted ' : ''}${j.priority}:\t`;
  const parts: string[] = [];
  if ('not' in j) parts.push('not');
  const prefix = (key: string, word: string) => {
    if (j[key] === undefined) return;
    parts.push(`${word} ${j[key]}${j[`${key}len`] !== undefined ? `/${j[`${key}len`]}` : ''}`);
  };
  prefix('src', 'from');
  prefix('dst', 'to');
  if (j.tos !== undefined) parts.push(`tos ${j.tos}`);
  if (j.fwmark !== undefined)
    parts.push(`fwmark ${j.fwmark === '0' ? '0' : j.fwmark}${j.fwmask !== undefined ? `/${j.fwmask}` : ''}`);
  if (j.iif !== undefined) parts.push(`iif ${j.iif}${j.iif_detached ? ' [detached]' : ''}`);
  if (j.oif !== undefined) parts.push(`oif ${j.oif}${j.oif_detached ? ' [detached]' : ''}`);
  if ('l3mdev' in j) parts.push('lookup [l3mdev-table]');
  if (j.uid_start !== undefined) parts.push(`uidrange ${j.uid_start}-${j.uid_end}`);
  if (j.ipproto !== undefined) parts.push(`ipproto ${j.ipproto}`);
  for (const p of ['sport', 'dport']) {
    if (j[p] !== undefined) parts.push(`${p} ${j[p]}`);
    else if (j[`${p}_start`] !== undefined) parts.push(`${p} ${j[`${p}_start`]}-${j[`${p}_end`]}`);
  }
  if (j.table !== undefined) parts.push(`lookup ${j.table}`);
  if (j.suppress_prefixlen !== undefined) parts.push(`suppress_prefixlength ${j.suppress_prefixlen}`);
  if (j.suppress_ifgroup !== undefined) parts.push(`suppress_ifgroup ${j.suppress_ifgroup}`);
  if (j.flow_to !== undefined) parts.push(`realms ${j.flow_from !== undefined ? `${j.flow_from}/` : ''}${j.flow_to}`);
  if (j.goto !== undefined) parts.push(`goto ${j.goto}${j.unresolved ? ' [unresolved]' : ''}`);
  if ('nop' in j) parts.push('nop');
  if (j.action !== undefined) parts.push(s(j.action));
  if (j.protocol !== undefined) parts.push(`proto ${j.protocol}`);
  l += parts.join(' ');
  return l;
}
