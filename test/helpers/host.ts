/**
 * The host namespace's state, as `ip -j` reports it, for the check that the whole test run
 * leaves it exactly as it found it (test/aaa-host saves it first, test/zzz-host compares last).
 *
 * Kept: links (ifindex, ifname, flags, mtu, master, address), addresses, routes of every table
 * (IPv4 and IPv6), rules (IPv4 and IPv6) and the named namespaces (the check judges only this
 * run's, by their prefix; others are reported, not failed). Left out, because they change
 * on their own: address lifetimes (valid/preferred_life_time count down on dynamic addresses),
 * route `expires` (router-advertised routes), cached routes, counters and neighbours. Link flags
 * are kept, LOWER_UP included: nothing in the suite touches host links, and a carrier change
 * during a run is worth knowing about rather than hiding.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostState {
  links: string[];
  addresses: string[];
  routes: string[];
  rules: string[];
  netns: string[];
}

const PREFIX = 'rtnl-host-snapshot-';

/** The snapshot file of one `node --test` run: each test file is a child of the runner. */
export const snapshotFile = (runnerPid = process.ppid) => join(tmpdir(), `${PREFIX}${runnerPid}.json`);

function ipj(...args: string[]): any[] {
  const out = execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }).trim();
  return out ? JSON.parse(out) : [];
}

/** Drop keys, recursively, and give a stable text for comparison. */
function canon(v: unknown, drop: ReadonlySet<string>): string {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === 'object') {
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .filter((k) => !drop.has(k))
          .map((k) => [k, strip((x as Record<string, unknown>)[k])]),
      );
    }
    return x;
  };
  return JSON.stringify(strip(v));
}

const NONE = new Set<string>();
const LIFETIMES = new Set(['valid_life_time', 'preferred_life_time']);
const ROUTE_VOLATILE = new Set(['expires', 'cache']);

export function snapshotHost(): HostState {
  const links = ipj('link', 'show').map((l) =>
    canon(
      { ifindex: l.ifindex, ifname: l.ifname, flags: l.flags, mtu: l.mtu, master: l.master, address: l.address },
      NONE,
    ),
  );
  const addresses = ipj('addr', 'show').flatMap((l) =>
    (l.addr_info ?? []).map((a: unknown) => `${l.ifname} ${canon(a, LIFETIMES)}`),
  );
  const routes = ['-4', '-6'].flatMap((f) =>
    ipj(f, 'route', 'show', 'table', 'all')
      .filter((r) => !(r.flags ?? []).includes('cloned'))
      .map((r) => `${f} ${canon(r, ROUTE_VOLATILE)}`),
  );
  const rules = ['-4', '-6'].flatMap((f) => ipj(f, 'rule', 'show').map((r) => `${f} ${canon(r, NONE)}`));
  const netns = ipj('netns', 'list').map((n) => String(n.name));
  return {
    links: links.sort(),
    addresses: addresses.sort(),
    routes: routes.sort(),
    rules: rules.sort(),
    netns: netns.sort(),
  };
}

/** What differs, section by section: entries that appeared (+) and that went (-). */
export function diffHost(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  for (const k of Object.keys(before) as Array<keyof HostState>) {
    const b = new Set(before[k]);
    const a = new Set(after[k]);
    for (const x of after[k]) if (!b.has(x)) out.push(`${k} + ${x}`);
    for (const x of before[k]) if (!a.has(x)) out.push(`${k} - ${x}`);
  }
  return out;
}

export function saveSnapshot(state: HostState, file = snapshotFile()): void {
  writeFileSync(file, JSON.stringify(state, null, 1));
}

export function loadSnapshot(file = snapshotFile()): HostState | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostState) : undefined;
}

/** Remove snapshot files of runs that are gone (a run interrupted before its last file). */
export function removeStaleSnapshots(): number {
  let n = 0;
  for (const f of readdirSync(tmpdir())) {
    const m = f.startsWith(PREFIX) && /^(\d+)\.json$/.exec(f.slice(PREFIX.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.ppid || existsSync(`/proc/${pid}`)) continue;
    unlinkSync(join(tmpdir(), f));
    n++;
  }
  return n;
}
