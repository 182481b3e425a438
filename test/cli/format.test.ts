// format.ts against iproute2 itself, without root: each reply fixture under fixtures/ carries
// the `ip -j` output printed from the very same bytes (<case>-reply.json). Decoding the bytes
// and converting them with format.ts must give a subset of ip's JSON, key for key and value for
// value, and must keep the keys that matter for jq filters.
import { nexthopBucketJson, nexthopBucketText, nexthopJson, nexthopText } from '../../src/cli/format-nexthop.js';
import { toNexthop, toNexthopBucket } from '../../src/ops/nexthops.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode } from '../../src/codec/index.js';
import { toAddress } from '../../src/ops/addresses.js';
import { toLink } from '../../src/ops/links.js';
import { toNeighbour } from '../../src/ops/neighbours.js';
import { toRoute } from '../../src/ops/routes.js';
import { toRule } from '../../src/ops/rules.js';
import {
  addrInfoJson,
  hash0x,
  namesFrom,
  ipAddressFlags,
  ipLinkFlags,
  ipNudState,
  linkJson,
  neighJson,
  routeJson,
  ruleJson,
  type Names,
} from '../../src/cli/format.js';
import { addrInfoText, linkText, routeText, ruleText } from '../../src/cli/text.js';
import { allFixtures } from '../helpers/fixtures.js';
import { subsetDiff } from './helpers.js';

/** Names are not in a single reply; print a marker the comparison skips. */
const UNRESOLVED = '\u0000unresolved';
const names: Names = { ifname: () => UNRESOLVED };
const skip = (v: unknown) => v === UNRESOLVED;

const withJson = (family: string) =>
  allFixtures(family)
    .filter((f) => f.name.endsWith('-reply.hex'))
    .filter((f) => f.json !== undefined && f.meta.command?.startsWith('ip '));

const words = (cmd: string) => cmd.split(/\s+/);
const details = (cmd: string) => (words(cmd).includes('-d') ? 1 : 0);

describe('format.ts reproduces ip -j for every reply fixture', () => {
  for (const f of withJson('link').concat(withJson('done').filter((x) => x.name.includes('link')))) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const links = decode(f.bytes)
        .filter((m) => m.type === 'RTM_NEWLINK')
        .map(toLink);
      const ip = f.json as any[];
      assert.equal(links.length, ip.length);
      // A dump has every link, so names and M-DOWN resolve; a single reply does not.
      const dump = links.length > 1 ? namesFrom(links) : undefined;
      links.forEach((l, i) => {
        const ours = linkJson(l, dump ?? names, { details: details(f.meta.command!), linkCommand: true });
        if (!dump) ip[i].flags = ip[i].flags.filter((x: string) => x !== 'M-DOWN');
        assert.deepEqual(subsetDiff(ours, ip[i], `[${i}]`, skip), []);
        for (const k of ['ifindex', 'ifname', 'flags', 'mtu', 'operstate', 'link_type', 'address']) {
          if (k in ip[i]) assert.ok(k in ours, `[${i}].${k} missing`);
        }
        if (ip[i].linkinfo) assert.equal((ours.linkinfo as any)?.info_kind, ip[i].linkinfo.info_kind);
        assert.ok(linkText(ours, 1).startsWith(`${l.index}: ${l.name}`));
      });
    });
  }

  for (const f of withJson('address')) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const addrs = decode(f.bytes)
        .filter((m) => m.type === 'RTM_NEWADDR')
        .map(toAddress);
      const ipInfo = (f.json as any[]).flatMap((l) => l.addr_info as any[]);
      assert.equal(addrs.length, ipInfo.length);
      for (const a of addrs) {
        const ours = addrInfoJson(a);
        const theirs = ipInfo.find((x) => x.local === ours.local && x.prefixlen === ours.prefixlen);
        assert.ok(theirs, `ip printed no ${ours.local}/${ours.prefixlen}`);
        assert.deepEqual(subsetDiff(ours, theirs, String(ours.local)), []);
        assert.deepEqual(
          Object.keys(ours).filter((k) => !(k in theirs)),
          [],
        );
        assert.match(addrInfoText(ours), new RegExp(`^    inet6? ${String(ours.local).replace(/\./g, '\\.')}`));
      }
    });
  }

  for (const f of withJson('route')) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const cmd = words(f.meta.command!);
      const routes = decode(f.bytes)
        .filter((m) => m.type === 'RTM_NEWROUTE')
        .map(toRoute);
      const ip = f.json as any[];
      assert.equal(routes.length, ip.length);
      const t = cmd.indexOf('table');
      const tableFiltered = !cmd.includes('get') && (t < 0 || cmd[t + 1] !== 'all');
      routes.forEach((r, i) => {
        const ours = routeJson(r, names, { details: details(f.meta.command!), tableFiltered });
        assert.deepEqual(subsetDiff(ours, ip[i], `[${i}]`, skip), []);
        for (const k of [
          'dst',
          'gateway',
          'protocol',
          'scope',
          'prefsrc',
          'metric',
          'table',
          'type',
          'flags',
          'nexthops',
          'metrics',
        ]) {
          if (k in ip[i]) assert.ok(k in ours, `[${i}].${k} missing`);
        }
        assert.ok(routeText(ours).length > 0);
      });
    });
  }

  for (const f of withJson('neighbour')) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const cmd = words(f.meta.command!);
      const list = decode(f.bytes)
        .filter((m) => m.type === 'RTM_NEWNEIGH')
        .map(toNeighbour);
      const ip = f.json as any[];
      assert.equal(list.length, ip.length);
      list.forEach((n, i) => {
        const ours = neighJson(n, names, { devFiltered: cmd.includes('dev') });
        assert.deepEqual(subsetDiff(ours, ip[i], `[${i}]`, skip), []);
        assert.deepEqual(
          Object.keys(ours).filter((k) => !(k in ip[i])),
          [],
        );
      });
    });
  }

  for (const f of withJson('rule')) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const rules = decode(f.bytes)
        .filter((m) => m.type === 'RTM_NEWRULE')
        .map(toRule);
      const ip = f.json as any[];
      assert.equal(rules.length, ip.length);
      rules.forEach((r, i) => {
        const ours = ruleJson(r, { details: details(f.meta.command!) });
        assert.deepEqual(subsetDiff(ours, ip[i], `[${i}]`), []);
        assert.deepEqual(Object.keys(ours).sort(), Object.keys(ip[i]).sort(), `[${i}] keys`);
        assert.ok(ruleText(ours).startsWith(`${ip[i].priority}:\t`));
      });
    });
  }
});

describe('format-nexthop.ts reproduces ip -j nexthop for every nexthop fixture', () => {
  for (const f of withJson('nexthop')) {
    test(`${f.name}: ${f.meta.command}`, () => {
      const msgs = decode(f.bytes);
      const buckets = msgs.filter((m) => m.type === 'RTM_NEWNEXTHOPBUCKET').map(toNexthopBucket);
      const ours = buckets.length
        ? buckets.map((b) => nexthopBucketJson(b))
        : msgs
            .filter((m) => m.type === 'RTM_NEWNEXTHOP')
            .map((m) => nexthopJson(toNexthop(m), names, { details: details(f.meta.command!) }));
      const ip = structuredClone(f.json) as any[];
      // iproute2 6.1 reads only the low byte of a weight (weight_high came in Linux 6.12).
      if (f.name.includes('weight-300')) {
        assert.deepEqual((ours[0] as any).group, [{ id: 1, weight: 300 }]);
        ip[0].group[0].weight = 300;
      }
      assert.equal(ours.length, ip.length);
      ours.forEach((o, i) => assert.deepEqual(subsetDiff(o, ip[i], `[${i}]`, skip), []));
      ours.forEach((o, i) => assert.deepEqual(Object.keys(o), Object.keys(ip[i]), `[${i}] keys in ip's order`));
      for (const o of ours) assert.ok((buckets.length ? nexthopBucketText(o) : nexthopText(o)).length > 0);
    });
  }
});

describe('ip value formats', () => {
  test('link flags follow print_link_flags order, NO-CARRIER first, leftover bits in hex', () => {
    // UP | BROADCAST | MULTICAST | MASTER, not RUNNING
    assert.deepEqual(ipLinkFlags(0x1 | 0x2 | 0x1000 | 0x400), ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'MASTER', 'UP']);
    assert.deepEqual(ipLinkFlags(0x1 | 0x40 | 0x10000 | 0x8 | 0x80000), ['LOOPBACK', 'UP', 'LOWER_UP', '80000']);
  });
  test('address flags: dynamic for non-permanent, temporary on IPv6, unknown bits as ifa_flags hex', () => {
    assert.deepEqual(ipAddressFlags(0x80, 4), []);
    assert.deepEqual(ipAddressFlags(0x01, 6), ['temporary', 'dynamic']);
    assert.deepEqual(ipAddressFlags(0x80 | 0x01 | 0x02, 4), ['secondary', 'nodad']);
    assert.deepEqual(ipAddressFlags(0x80 | 0x10000, 4), ['10000']);
  });
  test('NUD states in ip order; %#x masks', () => {
    assert.deepEqual(ipNudState(0x80), ['PERMANENT']);
    assert.deepEqual(ipNudState(0x02 | 0x40), ['REACHABLE', 'NOARP']);
    assert.equal(hash0x(0), '0');
    assert.equal(hash0x(255), '0xff');
  });
});

test('monitor -t and -ts stamp events as ip does', async () => {
  const { timestamped } = await import('../../src/cli/monitor.js');
  const d = new Date(2026, 11, 4, 9, 5, 7, 123);
  assert.equal(
    timestamped('2: v0: <BROADCAST>', 'long', d),
    'Timestamp: Fri Dec  4 09:05:07 2026 123000 usec\n2: v0: <BROADCAST>',
  );
  assert.equal(timestamped('x', 'short', d), '[2026-12-04T09:05:07.123000] x');
  const early = new Date(2026, 0, 14, 9, 5, 7, 5);
  assert.equal(timestamped('x', 'long', early), 'Timestamp: Wed Jan 14 09:05:07 2026 5000 usec\nx');
  assert.equal(timestamped('x', 'short', early), '[2026-01-14T09:05:07.005000] x');
});
