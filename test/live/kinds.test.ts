// One vocabulary both ways, per link kind this kernel has: create a link, read it back, create a
// copy in another namespace from what was read, and compare both as `ip -j -d link show` sees them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currentNetnsInode, netnsInode } from '../../src/ffi/netns.js';
import { customLinkKind, type Link, type LinkAddOptions, type LinkKindPlugin, type Rtnl } from '../../src/index.js';
import { linkKinds } from '../../src/kinds/link/registry.js';
import { linkKindPlugin } from '../../src/ops/link-kinds.js';
import { ipJson, needsRoot, withTestNetnses } from '../helpers/netns.js';

/** Keys that differ between two otherwise equal links: indexes, MACs, and what runs on a clock. */
const VOLATILE = new Set([
  'ifindex',
  'address',
  'broadcast',
  'link_index',
  'bridge_id',
  'root_id',
  'hello_timer',
  'tcn_timer',
  'topology_change_timer',
  'gc_timer',
  'stats64',
  'promiscuity',
  'inet6_addr_gen_mode',
]);
const normal = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(normal)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => !VOLATILE.has(k))
            .map(([k, x]) => [k, normal(x)]),
        )
      : v;
const show = (ns: string, name: string) => normal(ipJson(ns, 'link', 'show', 'dev', name)[0]);

/** links.add() options for a copy of `l`, from what get() returned: its kind, its kind options, mtu, txqlen. */
function copyOf(l: Link, extra: Record<string, unknown> = {}): LinkAddOptions {
  const o: Record<string, unknown> = { name: l.name, kind: l.kind, mtu: l.mtu, txqlen: l.txqlen };
  const key = linkKindPlugin(l.kind)?.optionKey;
  if (key && (l as unknown as Record<string, unknown>)[key] !== undefined)
    o[key] = (l as unknown as Record<string, unknown>)[key];
  return { ...o, ...extra } as unknown as LinkAddOptions;
}

interface Case {
  name: string;
  spec: LinkAddOptions;
  /** What get() must report under the kind's key. */
  reads?: Record<string, unknown>;
  /** Added to the copy: what only the test knows (a lower device by name, a veth's peer). */
  extra?: Record<string, unknown>;
  /** Set up both namespaces first. */
  setup?: (nl: Rtnl) => Promise<unknown>;
}

const lower = (nl: Rtnl) => nl.links.add({ name: 'low0', kind: 'veth', peer: { name: 'low1' } });

const cases: Case[] = [
  {
    name: 'veth',
    spec: { name: 'k0', kind: 'veth', peer: { name: 'k1', mtu: 1400 }, mtu: 1400 },
    extra: { peer: { name: 'k1', mtu: 1400 } },
  },
  {
    name: 'bridge',
    spec: {
      name: 'k0',
      kind: 'bridge',
      bridge: {
        stpState: 0,
        forwardDelay: 400,
        helloTime: 300,
        maxAge: 1500,
        ageingTime: 20000,
        priority: 4096,
        groupFwdMask: 0x4000,
        mcastSnooping: 0,
        mcastQueryIntvl: 9000,
      },
    },
    reads: { stpState: 0, forwardDelay: 400, priority: 4096, mcastQueryIntvl: 9000 },
  },
  {
    name: 'macvlan',
    setup: lower,
    spec: { name: 'k0', kind: 'macvlan', link: 'low0', macvlan: { mode: 'private', bcQueueLen: 500 } },
    reads: { mode: 'private', nopromisc: false, bcQueueLen: 500 },
    extra: { link: 'low0' },
  },
  {
    name: 'macvtap',
    setup: lower,
    spec: { name: 'k0', kind: 'macvtap', link: 'low0', macvlan: { mode: 'bridge' } },
    reads: { mode: 'bridge' },
    extra: { link: 'low0' },
  },
  {
    name: 'vxlan (IPv4)',
    spec: {
      name: 'k0',
      kind: 'vxlan',
      vxlan: {
        id: 42,
        port: 4789,
        local: '192.0.2.1',
        remote: '192.0.2.2',
        ttl: 16,
        tos: 1,
        df: 'set',
        learning: false,
        ageing: 120,
        limit: 10,
        portRange: { low: 5000, high: 6000 },
        udpCsum: true,
      },
    },
    reads: { id: 42, remote: '192.0.2.2', local: '192.0.2.1', ttl: 16, df: 'set', learning: false },
  },
  {
    name: 'vxlan (IPv6)',
    setup: lower,
    spec: {
      name: 'k0',
      kind: 'vxlan',
      vxlan: { id: 43, group: 'ff05::100', local: '2001:db8::1', dev: 'low0', ttl: 'inherit', label: 0x12345 },
    },
    reads: { id: 43, group: 'ff05::100', local: '2001:db8::1', ttl: 'inherit', label: 0x12345 },
    // The underlay is the copy's own low0 (an index read in one namespace means nothing in another).
    extra: { vxlan: undefined },
  },
  { name: 'ifb', spec: { name: 'k0', kind: 'ifb' } },
];

/** A deep copy without the keys that count time (bridge timers), which move between two reads. */
const withoutTimers = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(withoutTimers)
    : v && typeof v === 'object' && !(v instanceof Uint8Array)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => !k.endsWith('Timer'))
            .map(([k, x]) => [k, withoutTimers(x)]),
        )
      : v;

describe('link kinds: what get() returns creates an equal link', { skip: needsRoot }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      await withTestNetnses(2, async ([a, b], [na, nb]) => {
        await c.setup?.(na!);
        await c.setup?.(nb!);
        const made = await na!.links.add(c.spec);
        const read = await na!.links.get('k0');
        // Bridge timers (gcTimer, helloTimer, ...) run between the two reads.
        assert.deepEqual(withoutTimers(made), withoutTimers(read));
        const key = linkKindPlugin(read.kind)?.optionKey;
        if (c.reads) {
          const got = (read as unknown as Record<string, Record<string, unknown>>)[key!]!;
          for (const [k, v] of Object.entries(c.reads)) assert.deepEqual(got[k], v, `${c.name}: ${k}`);
        }
        let extra = c.extra ?? {};
        if ('vxlan' in extra) extra = { vxlan: { ...read.vxlan!, dev: 'low0' } };
        await nb!.links.add(copyOf(read, extra));
        assert.deepEqual(show(b!, 'k0'), show(a!, 'k0'));
        // And back through links.set(): what was read is accepted as it is.
        if (key && !linkKindPlugin(read.kind)?.createOnly && read.kind !== 'vxlan') {
          const opts = (read as unknown as Record<string, unknown>)[key];
          await na!.links.set('k0', { [key]: opts });
          assert.deepEqual(show(a!, 'k0'), show(b!, 'k0'));
        }
      });
    });
  }
});

describe('create hook: a kind the kernel does not create through RTM_NEWLINK', { skip: needsRoot }, () => {
  test('the hook runs in the target namespace, then add() applies the link options and reads the link back', async () => {
    await withTestNetnses(2, async ([a, b], [na, nb]) => {
      const seen: Array<{ name: string; options: unknown; inode: number }> = [];
      // A stand-in kind whose hook makes the device some other way (here: an ifb, through the
      // client of the namespace the hook is asked for).
      const fake: { -readonly [K in keyof LinkKindPlugin]: LinkKindPlugin[K] } = {
        kind: 'rtnl-test-hook',
        create: async () => async (ctx, req) => {
          const inode = ctx.inNetns(() => currentNetnsInode());
          seen.push({ name: req.name, options: req.options, inode });
          const there = inode === netnsInode(a!) ? na! : nb!;
          await there.links.add({ name: req.name, kind: 'ifb' });
        },
      };
      const registry = linkKinds as unknown as Record<string, LinkKindPlugin>;
      registry[fake.kind] = fake;
      try {
        const kind = customLinkKind(fake.kind);
        const made = await na!.links.add({ name: 'h0', kind, mtu: 1400, alias: 'hooked', up: true });
        assert.deepEqual([made.name, made.mtu, made.alias, made.up], ['h0', 1400, 'hooked', true]);
        // Created for another namespace: the hook is asked for that one, add() reads it back there.
        const far = await na!.links.add({ name: 'h1', kind, netns: b!, txqlen: 7 });
        assert.equal(far.txqlen, 7);
        assert.equal((await nb!.links.get('h1')).txqlen, 7);
        assert.deepEqual(
          seen.map((s) => [s.name, s.inode]),
          [
            ['h0', netnsInode(a!)],
            ['h1', netnsInode(b!)],
          ],
        );
        // A failing hook fails add(), and nothing is applied.
        fake.create = async () => async () => {
          throw new Error('no device');
        };
        await assert.rejects(na!.links.add({ name: 'h2', kind, mtu: 1400 }), /no device/);
        assert.equal(await na!.links.exists('h2'), false);
      } finally {
        delete registry[fake.kind];
      }
    });
  });
});
