// Live traffic-control tests: each runs in its own namespace with veth and ifb devices, and
// compares what rtnl reads with `tc -j -s` (qdiscs, filters, actions) and tc's text (classes).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { NetlinkError, Rtnl, ValidationError } from '../../src/index.js';
import { needsRoot, withTestNetns } from '../helpers/netns.js';

const tc = (ns: string, ...args: string[]): string =>
  execFileSync('tc', ['-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tcJson = (ns: string, ...args: string[]): any[] => {
  const out = tc(ns, '-j', ...args).trim();
  return out ? JSON.parse(out) : [];
};

async function devices(nl: Rtnl): Promise<void> {
  await nl.links.add({ name: 't0', kind: 'veth', peer: { name: 't1' }, up: true });
  await nl.links.set('t1', { up: true });
  await nl.links.add({ name: 'ifb0', kind: 'ifb', up: true });
}

test('qdiscs: add, replace, change, delete, per-device list, as tc sees them', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await devices(nl);
    await nl.tc.qdiscs.add({
      dev: 't0',
      kind: 'tbf',
      handle: '1:',
      options: { rate: '100mbit', burst: '64kb', latency: '10ms' },
    });
    let [q] = tcJson(ns, '-s', 'qdisc', 'show', 'dev', 't0');
    assert.equal(q.kind, 'tbf');
    assert.equal(q.options.rate, 12_500_000);
    assert.equal(q.options.burst, 65536 - 11); // the kernel's bucket, read back in bytes as tc prints it
    const ours = await nl.tc.qdiscs.list({ dev: 't0' });
    assert.equal(ours.length, 1, 'the kernel ignores tcm_ifindex: rtnl filters');
    assert.equal(ours[0]!.kind, 'tbf');
    assert.equal(ours[0]!.handle, '1:');
    assert.equal(ours[0]!.parent, 'root');
    assert.equal(ours[0]!.dev, 't0');
    assert.equal((ours[0]!.options as any).parms.rate, q.options.rate);
    // The device is up and the kernel sends on it (IPv6 multicast reports), so the counter may move
    // between tc's read and ours: ours comes later and is never smaller.
    assert.ok(ours[0]!.stats!.packets >= q.packets, `${ours[0]!.stats!.packets} < ${q.packets}`);

    await nl.tc.qdiscs.change({
      dev: 't0',
      kind: 'tbf',
      handle: '1:',
      options: { rate: '200mbit', burst: '64kb', latency: '10ms' },
    });
    [q] = tcJson(ns, 'qdisc', 'show', 'dev', 't0');
    assert.equal(q.options.rate, 25_000_000);

    // 64-bit rates: above 2^32-1 bytes/s the rate travels in TCA_TBF_RATE64
    await nl.tc.qdiscs.replace({
      dev: 't0',
      kind: 'tbf',
      handle: '1:',
      options: { rate: '50gbit', burst: '1mb', limit: '1mb' },
    });
    [q] = tcJson(ns, 'qdisc', 'show', 'dev', 't0');
    assert.equal(q.options.rate, 6_250_000_000);

    await nl.tc.qdiscs.replace({ dev: 't0', kind: 'pfifo', handle: '2:', options: { limit: 50 } });
    [q] = tcJson(ns, 'qdisc', 'show', 'dev', 't0');
    assert.deepEqual([q.kind, q.handle, q.options.limit], ['pfifo', '2:', 50]);

    await nl.tc.qdiscs.add({ dev: 't1', kind: 'clsact' });
    await nl.tc.qdiscs.add({ dev: 'ifb0', kind: 'ingress', ingressBlock: 22 });
    const all = await nl.tc.qdiscs.list();
    const theirs = tcJson(ns, 'qdisc', 'show');
    assert.deepEqual(
      all.map((x) => `${x.dev} ${x.kind} ${x.handle} ${x.parent}`).sort(),
      theirs.map((x) => `${x.dev} ${x.kind} ${x.handle} ${x.root ? 'root' : x.parent}`).sort(),
    );
    assert.equal(all.find((x) => x.dev === 'ifb0' && x.kind === 'ingress')!.ingressBlock, 22);

    assert.equal(await nl.tc.qdiscs.delete({ dev: 't0' }), true);
    assert.equal(await nl.tc.qdiscs.delete({ dev: 't1', kind: 'clsact' }), true);
    assert.equal(
      tcJson(ns, 'qdisc', 'show', 'dev', 't1').some((x) => x.kind === 'clsact'),
      false,
    );
  });
});

test('htb: qdisc and classes, 64-bit class rates, change and delete; compared with tc class show', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await devices(nl);
    const warnings: string[] = [];
    await using warned = await Rtnl.open({ netns: ns, onWarning: (m) => warnings.push(m) });
    await nl.tc.qdiscs.add({ dev: 't0', kind: 'htb', handle: '1:', options: { default: '10' } });
    await warned.tc.classes.add({
      dev: 't0',
      parent: '1:',
      classid: '1:10',
      kind: 'htb',
      options: { rate: '100mbit', ceil: '1gbit' },
    });
    await nl.tc.classes.add({
      dev: 't0',
      parent: '1:',
      classid: '1:20',
      kind: 'htb',
      options: { rate: '50gbit', prio: 2 },
    });
    await nl.tc.classes.add({ dev: 't0', parent: '1:10', classid: '1:11', kind: 'htb', options: { rate: '10mbit' } });
    await nl.tc.classes.change({
      dev: 't0',
      parent: '1:',
      classid: '1:10',
      kind: 'htb',
      options: { rate: '150mbit', ceil: '1gbit' },
    });
    const [q] = tcJson(ns, 'qdisc', 'show', 'dev', 't0');
    assert.deepEqual([q.kind, q.options.default, q.options.r2q], ['htb', '0x10', 10]);
    const ours = await nl.tc.classes.list({ dev: 't0' });
    // tc 6.1 prints classes as text even with -j: "class htb 1:10 root rate 150Mbit ceil 1Gbit ..."
    const lines = tc(ns, 'class', 'show', 'dev', 't0')
      .split('\n')
      .filter((l) => l.startsWith('class '))
      .map((l) => {
        const m = /^class htb (\S+) (?:root|parent (\S+)) .*?rate (\S+) ceil (\S+)/.exec(l)!;
        return `${m[1]} ${m[2] ?? 'root'} ${m[3]} ${m[4]}`;
      })
      .sort();
    const bits = (bytes: bigint) => {
      let b = bytes * 8n;
      for (const u of ['bit', 'Kbit', 'Mbit', 'Gbit']) {
        if (b < 1000n || (b % 1000n !== 0n && b < 1_000_000n)) return `${b}${u}`;
        b /= 1000n;
      }
      return `${b}Tbit`;
    };
    const rate = (o: any, k: 'rate' | 'ceil') => bits(o[`${k}64`] ?? BigInt(o.parms[k]));
    assert.deepEqual(
      ours
        .map(
          (c) =>
            `${c.handle} ${c.parent === '1:' ? 'root' : c.parent} ${rate(c.options, 'rate')} ${rate(c.options, 'ceil')}`,
        )
        .sort(),
      lines,
    );
    assert.equal(ours.find((c) => c.handle === '1:20')!.stats!.packets, 0);
    assert.ok(
      warnings.some((w) => /quantum of class 10010 is big/.test(w)),
      'the ACK warning reaches onWarning',
    );
    assert.equal(await nl.tc.classes.delete({ dev: 't0', classid: '1:11' }), true);
    assert.equal(await nl.tc.classes.delete({ dev: 't0', classid: '1:11' }, { ifExists: true }), false);
    assert.equal((await nl.tc.classes.list({ dev: 't0' })).length, 2);
  });
});

test('filters: u32 with flowid, hash tables, mirred to ifb, chains and shared blocks, as tc -j shows them', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await devices(nl);
    await nl.tc.qdiscs.add({ dev: 't0', kind: 'htb', handle: '1:', options: { default: '10' } });
    await nl.tc.filters.add({
      dev: 't0',
      parent: '1:',
      protocol: 'ip',
      pref: 1,
      kind: 'u32',
      u32: { match: [{ ip: { dst: '192.0.2.0/24', dport: 80 } }], classid: '1:10' },
    });
    await nl.tc.filters.add({
      dev: 't0',
      parent: '1:',
      protocol: 'ip',
      pref: 2,
      handle: '2:',
      kind: 'u32',
      u32: { divisor: 256 },
    });
    await nl.tc.filters.add({
      dev: 't0',
      parent: '1:',
      protocol: 'ip',
      pref: 2,
      kind: 'u32',
      u32: { ht: '800:', match: [{ ip: { src: '198.51.100.0/24' } }], hashkey: { mask: 0xff, at: 12 }, link: '2:' },
    });
    await nl.tc.filters.add({
      dev: 't0',
      parent: '1:',
      protocol: 'ipv6',
      pref: 3,
      kind: 'u32',
      u32: { match: [{ ip6: { src: '2001:db8::/32', protocol: 6 } }], classid: '1:20' },
    });
    const ours = await nl.tc.filters.list({ dev: 't0', parent: '1:' });
    const theirs = tcJson(ns, 'filter', 'show', 'dev', 't0', 'parent', '1:');
    const key = (pref: number, proto: string, kind: string, fh?: string) => `${pref} ${proto} ${kind} ${fh ?? '-'}`;
    assert.deepEqual(
      ours.map((f) => key(f.pref, f.protocol, f.kind, f.handle)),
      theirs.map((f) => key(f.pref, f.protocol, f.kind, f.options?.fh)),
    );
    const flow = ours.find((f) => f.handle === '800::800')!;
    assert.equal((flow.options as any).classid, 0x10010);

    await nl.tc.qdiscs.add({ dev: 't1', kind: 'clsact' });
    await nl.tc.filters.add({
      dev: 't1',
      parent: 'ingress',
      protocol: 'all',
      pref: 10,
      kind: 'u32',
      u32: { match: [{ u32: [0, 0, 0] }] },
      actions: [{ kind: 'mirred', direction: 'egress', action: 'redirect', dev: 'ifb0' }],
    });
    await nl.tc.filters.add({
      dev: 't1',
      parent: 'ingress',
      chain: 3,
      protocol: 'ip',
      pref: 5,
      kind: 'u32',
      u32: { match: [{ ip: { protocol: 17 } }] },
      actions: [{ kind: 'mirred', direction: 'ingress', action: 'mirror', dev: 'ifb0' }],
    });
    await nl.tc.filters.addChain({ dev: 't1', parent: 'ingress', chain: 7 });
    // classic BPF (no eBPF loader here): "return -1", direct to class 1:1
    await nl.tc.filters.add({
      dev: 't1',
      parent: 'egress',
      pref: 10,
      kind: 'bpf',
      bpf: { bytecode: [[6, 0, 0, 0xffffffff]], classid: '1:1' },
    });
    const [, bpf] = tcJson(ns, 'filter', 'show', 'dev', 't1', 'egress');
    assert.deepEqual(bpf.options.bytecode, { length: 1, insns: [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }] });
    assert.equal(bpf.options.flowid, '1:1');
    const ing = await nl.tc.filters.list({ dev: 't1', parent: 'ingress' });
    const tIng = tcJson(ns, 'filter', 'show', 'dev', 't1', 'ingress');
    assert.deepEqual(
      ing.map((f) => `${f.chain} ${f.pref} ${f.handle ?? '-'}`),
      tIng.map((f) => `${f.chain} ${f.pref} ${f.options?.fh ?? '-'}`),
    );
    const redirect = ing.find((f) => f.actions)!;
    const tRedirect = tIng.find((f) => f.options?.actions)!.options.actions[0];
    assert.equal(redirect.actions![0]!.kind, 'mirred');
    assert.equal(tRedirect.to_dev, 'ifb0');
    assert.deepEqual(
      (await nl.tc.filters.listChains({ dev: 't1', parent: 'ingress' })).map((c) => c.chain),
      tcJson(ns, 'chain', 'show', 'dev', 't1', 'ingress').map((c) => c.chain),
    );

    await nl.tc.qdiscs.add({ dev: 'ifb0', kind: 'ingress', ingressBlock: 22 });
    await nl.tc.filters.add({
      block: 22,
      protocol: 'ip',
      pref: 1,
      kind: 'u32',
      u32: { match: [{ ip: { src: '198.51.100.0/24' } }] },
      actions: [{ kind: 'mirred', action: 'redirect', dev: 't0' }],
    });
    const block = await nl.tc.filters.list({ block: 22 });
    assert.deepEqual(
      block.map((f) => `${f.block} ${f.pref} ${f.handle ?? '-'}`),
      tcJson(ns, 'filter', 'show', 'block', '22').map((f) => `22 ${f.pref} ${f.options?.fh ?? '-'}`),
    );

    assert.equal(await nl.tc.filters.delete({ dev: 't0', parent: '1:', pref: 3 }), true);
    assert.equal(
      tcJson(ns, 'filter', 'show', 'dev', 't0', 'parent', '1:').some((f) => f.pref === 3),
      false,
    );
  });
});

test('actions, and refusals: unknown kinds get the kernel own words, bad input never leaves', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (ns, nl) => {
    await devices(nl);
    await nl.tc.actions.add({ kind: 'mirred', direction: 'egress', action: 'mirror', dev: 'ifb0', index: 7 });
    const list = await nl.tc.actions.list('mirred');
    const [, theirs] = tcJson(ns, 'actions', 'list', 'action', 'mirred');
    assert.deepEqual(
      list.map((a) => `${a.kind} ${a.index} ${a.verdict}`),
      theirs.actions.map((a: any) => `${a.kind} ${a.index} ${a.control_action.type}`),
    );
    const one = await nl.tc.actions.get('mirred', 7);
    assert.equal((one.options as any).parms.ifindex, (await nl.links.get('ifb0')).index);
    assert.equal(await nl.tc.actions.delete('mirred', 7), true);
    assert.equal(await nl.tc.actions.delete('mirred', 7, { ifExists: true }), false);

    const refusal = async (p: Promise<unknown>, text: RegExp) => {
      await assert.rejects(p, (e: unknown) => e instanceof NetlinkError && text.test(e.extack.msg ?? ''));
    };
    await refusal(
      nl.tc.qdiscs.add({ dev: 't0', kind: 'cake', options: { bandwidth: '100mbit' } }),
      /qdisc kind is unknown/,
    );
    await refusal(nl.tc.qdiscs.add({ dev: 't0', kind: 'fq_codel' }), /qdisc kind is unknown/);
    await refusal(nl.tc.actions.add({ kind: 'gact', action: 'drop', index: 5 }), /action module/);
    await refusal(
      nl.tc.filters.add({ dev: 't0', parent: '1:', kind: 'matchall', pref: 1 }),
      /.+/, // no qdisc 1: on t0: the kernel's words
    );
    await assert.rejects(
      nl.tc.qdiscs.add({
        dev: 't0',
        kind: 'tbf',
        handle: '1:x',
        options: { rate: '1mbit', burst: '10k', latency: '1ms' },
      }),
      (e: unknown) => e instanceof ValidationError && e.field === 'qdisc.handle',
    );
    await assert.rejects(
      nl.tc.qdiscs.add({ dev: 't0', kind: 'tbf', options: { rate: 'fast', burst: '10k', latency: '1ms' } }),
      (e: unknown) => e instanceof ValidationError && e.field === 'qdisc.options.rate',
    );
    await assert.rejects(
      nl.tc.qdiscs.add({ dev: 't0', kind: 'nosuch' as 'pfifo' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'qdisc.kind',
    );
    await assert.rejects(
      nl.tc.classes.add({ dev: 't0', parent: '7:', classid: '7:1', kind: 'htb', options: { rate: '1mbit' } }),
      NetlinkError,
    );
  });
});

test('monitor: tc events for qdiscs, classes, filters, chains and actions, after an initial snapshot', {
  skip: needsRoot,
}, async () => {
  await withTestNetns(async (_ns, nl) => {
    await devices(nl);
    await nl.tc.qdiscs.add({ dev: 't0', kind: 'htb', handle: '1:' });
    await nl.tc.classes.add({ dev: 't0', classid: '1:10', kind: 'htb', options: { rate: '10mbit' } });
    // A clsact bound to a shared block: its filters live on the block (tcm_ifindex
    // TCM_IFINDEX_MAGIC_BLOCK), which the snapshot dumps as such.
    await nl.tc.qdiscs.add({ dev: 'ifb0', kind: 'clsact', ingressBlock: 23 });
    await nl.tc.filters.add({
      block: 23,
      protocol: 'ip',
      pref: 4,
      kind: 'u32',
      u32: { match: [{ ip: { protocol: 6 } }] },
    });
    await nl.tc.filters.addChain({ block: 23, chain: 2 });
    const signal = AbortSignal.timeout(15_000);
    const events: string[] = [];
    let synced = false;
    const changes = async () => {
      await nl.tc.qdiscs.add({ dev: 't1', kind: 'clsact' });
      await nl.tc.filters.add({ dev: 't1', parent: 'ingress', pref: 5, kind: 'matchall' }).catch(() => undefined);
      await nl.tc.filters.add({
        dev: 't1',
        parent: 'ingress',
        pref: 7,
        kind: 'u32',
        u32: { match: [{ u32: [0, 0, 0] }] },
      });
      await nl.tc.filters.addChain({ dev: 't1', parent: 'ingress', chain: 9 });
      await nl.tc.actions.add({ kind: 'mirred', action: 'mirror', dev: 'ifb0', index: 3 });
      await nl.tc.actions.delete('mirred', 3);
      await nl.tc.classes.delete({ dev: 't0', classid: '1:10' });
    };
    for await (const ev of nl.monitor(['qdisc', 'class', 'filter', 'chain', 'action'], { signal, initial: true })) {
      if (ev.type === 'synced') {
        synced = true;
        void changes();
        continue;
      }
      if (!('kind' in ev)) continue;
      const o = ev.object as any;
      const tag =
        ev.kind === 'qdisc' || ev.kind === 'class'
          ? `${o.kind} ${o.handle}`
          : ev.kind === 'filter'
            ? `${o.block === undefined ? '' : `block ${o.block} `}${o.kind} ${o.pref} ${o.handle ?? '-'}`
            : ev.kind === 'chain'
              ? `${o.ifindex === -1 ? `block ${o.parent} ` : ''}${o.chain}`
              : `${o.kind} ${o.index}`;
      events.push(`${ev.initial ? 'initial ' : ''}${ev.type} ${tag}`);
      if (ev.type === 'class.del') break;
    }
    assert.ok(synced);
    assert.ok(events.includes('initial qdisc.new htb 1:'), events.join('\n'));
    assert.ok(events.includes('initial class.new htb 1:10'), events.join('\n'));
    for (const want of ['initial filter.new block 23 u32 4 800::800', 'initial chain.new block 23 2'])
      assert.ok(events.includes(want), `${want} missing from:\n${events.join('\n')}`);
    for (const want of [
      'qdisc.new clsact ffff:',
      'filter.new u32 7 800::800',
      'chain.new 9',
      'action.new mirred 3',
      'action.del mirred 3',
      'class.del htb 1:10',
    ])
      assert.ok(events.includes(want), `${want} missing from:\n${events.join('\n')}`);
  });
});
