// Validation errors in rtnl's own words (no root): the field, what was given, what is allowed
// (ranges, enum values, known keys), never the validation library's wording.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { netns, Rtnl, ValidationError } from '../../src/index.js';

/** Hostile values are typed `any` on purpose: what a JS caller or a JSON payload can pass. */
const x = (v: unknown): any => v;
let nl: Rtnl;
let open: Rtnl;
before(async () => {
  // A closed client: validation comes first, so nothing can be sent.
  nl = await Rtnl.open();
  await nl.close();
  open = await Rtnl.open(); // monitor() refuses a closed client before it validates
});
after(() => open.close());

const cases: Array<[string, () => unknown, string]> = [
  [
    'a number out of range',
    () => nl.links.add(x({ name: 'a0', kind: 'bridge', mtu: 70_000 })),
    'link.mtu: must be an integer from 1 to 65536; got 70000',
  ],
  [
    'a string for a number',
    () => nl.links.add(x({ name: 'a0', kind: 'bridge', mtu: '1500' })),
    'link.mtu: must be an integer from 1 to 65536; got "1500"',
  ],
  [
    'a required field missing',
    () => nl.links.add(x({ kind: 'bridge' })),
    'link.name: is required: give an interface name (1 to 15 bytes)',
  ],
  [
    'an enum lists its values',
    () => nl.links.add(x({ name: 'a0', kind: 'macvlan', link: 'lo', macvlan: { mode: 'brigde' } })),
    "link.macvlan.mode: must be one of 'private', 'vepa', 'bridge', 'passthru', 'source', or an integer from 0 to 4294967295; got \"brigde\"",
  ],
  [
    'an unknown key names the known ones',
    () => nl.addresses.list(x({ family: 4, lnk: 'lo' })),
    'filter.lnk: is not a known option; allowed: link, family, scope, label, to, primary, secondary',
  ],
  [
    'literals of a union in one list',
    () => nl.addresses.list(x({ family: 5 })),
    "filter.family: must be one of 4, 6, 'inet', 'inet6'; got 5",
  ],
  [
    'a number or names',
    () => nl.routes.list(x({ table: 'mian' })),
    "filter.table: must be an integer from 1 to 4294967295, or one of 'main', 'local', 'default'; got \"mian\"",
  ],
  [
    'a union branch the value matched',
    () => Rtnl.open(x({ netns: { pid: 0 } })),
    'netns.pid: must be an integer of at least 1; got 0',
  ],
  [
    'a union no branch matched',
    () => Rtnl.open(x({ netns: 5 })),
    'netns: must be a namespace name, or { name }, { path }, { pid } or { fd }; got 5',
  ],
  ['a boolean', () => nl.links.set('lo', x({ up: 'yes' })), 'set.up: must be true or false; got "yes"'],
  [
    'a list item',
    () => open.monitor(x(['link', 'lnk'])),
    "groups.1: must be one of 'link', 'address', 'address4', 'address6', 'route', 'route4', 'route6', 'neighbour', 'rule', 'rule4', 'rule6', 'nsid', 'qdisc', 'class', 'filter', 'chain', 'action', 'nexthop'; got \"lnk\"",
  ],
  [
    'a refinement keeps its own words',
    () => netns.create('a/b'),
    "name: must be letters, digits, '.', '_' or '-'; got \"a/b\"",
  ],
];

for (const [name, run, message] of cases) {
  test(name, async () => {
    await assert.rejects((async () => run())(), (err: unknown) => {
      assert.ok(err instanceof ValidationError, String(err));
      assert.equal(err.message, message);
      assert.doesNotMatch(err.message, /Invalid (input|option)|expected \w+, received|Too (small|big)|>=/);
      return true;
    });
  });
}
