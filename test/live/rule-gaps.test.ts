// Live: rule ipproto, sport/dport ranges, uidrange, `from all`, flush and show pref|table,
// compared with `ip -j -d -n NS rule`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleJson } from '../../src/cli/format.js';
import { rtnlIn } from '../cli/helpers.js';
import { ip, ipJson, needsRoot, withTestNetns } from '../helpers/netns.js';

test('rules with ipproto, port ranges and uid ranges match ip -j -d rule show', { skip: needsRoot }, () =>
  withTestNetns(async (ns, nl) => {
    await nl.rules.add({ priority: 100, ipproto: 'tcp', dport: 443, table: 100 });
    await nl.rules.add({ priority: 101, ipproto: 'udp', sport: { start: 1000, end: 2000 }, table: 101 });
    await nl.rules.add({ priority: 102, uidRange: { start: 1000, end: 1999 }, table: 102 });
    await nl.rules.add({ priority: 103, ipproto: 47, dport: { start: 1, end: 9 }, table: 103 });
    await nl.rules.add({ family: 6, priority: 104, ipproto: 'icmpv6', table: 104 });
    ip('-n', ns, 'rule', 'add', 'from', 'all', 'pref', '105', 'ipproto', 'tcp', 'sport', '22', 'table', '105');
    for (const fam of [4, 6] as const) {
      const ours = (await nl.rules.list({ family: fam })).map((r) => ruleJson(r, { details: 1 }));
      assert.deepEqual(ours, ipJson(ns, `-${fam}`, 'rule', 'show'));
    }
    const [r] = await nl.rules.list({ family: 4, priority: 101 });
    assert.deepEqual(r?.sport, { start: 1000, end: 2000 });
    assert.equal(r?.ipproto, 17);
    // Linux 6.15+ sends FRA_DPORT_MASK (attribute 29, past the old FRA_MAX) with a single port.
    const [single] = await nl.rules.list({ family: 4, priority: 100 });
    assert.equal(single?.ipproto, 6, "'tcp' is sent as IPPROTO_TCP");
    if (single?.attrs.dportMask !== undefined) assert.equal(single.dportMask, 0xffff);
    assert.equal(single?.attrs.$unknown, undefined);
    assert.deepEqual((await nl.rules.list({ family: 4, priority: 102 }))[0]?.uidRange, { start: 1000, end: 1999 });
    // show pref / table: filtered as ip filters.
    assert.deepEqual(
      (await nl.rules.list({ family: 4, table: 103 })).map((x) => ruleJson(x, { details: 1 })),
      ipJson(ns, '-4', 'rule', 'show', 'table', '103'),
    );
    assert.deepEqual(
      (await nl.rules.list({ family: 4, priority: 105 })).map((x) => ruleJson(x, { details: 1 })),
      ipJson(ns, '-4', 'rule', 'show', 'pref', '105'),
    );
    // A rule deleted by its port range alone.
    await nl.rules.delete({ priority: 101, ipproto: 'udp', sport: { start: 1000, end: 2000 } });
    assert.deepEqual(ipJson(ns, '-4', 'rule', 'show', 'pref', '101'), []);
    // flush with a selector, then all (the priority-0 rule stays, as with ip).
    assert.equal(await nl.rules.flush({ family: 4, table: 100 }), 1);
    assert.deepEqual(ipJson(ns, '-4', 'rule', 'show', 'table', '100'), []);
    assert.equal(await nl.rules.flush({ family: 4 }), 5); // 102, 103, 105, main (32766), default (32767)
    assert.deepEqual(
      ipJson(ns, '-4', 'rule', 'show').map((x: { priority: number }) => x.priority),
      [0],
    );
  }),
);

test('rtnl rule: ipproto/sport/dport/uidrange in, ip -j out; show pref and flush', { skip: needsRoot }, () =>
  withTestNetns(async (ns) => {
    const run = rtnlIn(ns);
    await run('rule', 'add', 'from', 'all', 'pref', '10', 'ipproto', 'tcp', 'dport', '80-90', 'table', '10');
    await run('rule', 'add', 'pref', '11', 'uidrange', '100-200', 'sport', '53', 'ipproto', 'udp', 'lookup', '11');
    assert.deepEqual(JSON.parse(await run('-j', '-d', 'rule', 'show')), ipJson(ns, 'rule', 'show'));
    assert.deepEqual(
      JSON.parse(await run('-j', '-d', 'rule', 'show', 'pref', '11')),
      ipJson(ns, 'rule', 'show', 'pref', '11'),
    );
    await run('rule', 'flush', 'table', '10');
    assert.deepEqual(
      ipJson(ns, 'rule', 'show').map((x: { priority: number }) => x.priority),
      [0, 11, 32766, 32767],
    );
  }),
);
