// Live (root): generic netlink family resolution, in a fresh namespace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import { GENL_ID_CTRL } from '../../src/codec/constants/index.js';
import { attrs, nest } from '../../src/codec/index.js';
import { NetlinkError, Rtnl, resolveFamily, RtnlError } from '../../src/index.js';
import { genlEngine } from '../../src/ops/genl-client.js';
import { ip, needsRoot, openFds, withTestNetns } from '../helpers/netns.js';

const genl = (ns: string, ...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', ns, 'genl', ...args], { encoding: 'utf8' });

/** `genl ctrl list` as { name: { id, version, hdrsize, maxattr, ops: [id, flags if printed], groups } }. */
function parseCtrlList(text: string) {
  const out: Record<string, any> = {};
  let cur: any;
  let lastOp: Array<number | undefined> | undefined;
  for (const line of text.split('\n')) {
    let m = /^Name: (\S+)/.exec(line);
    if (m) {
      cur = out[m[1]!] = { ops: [], groups: {} };
      continue;
    }
    m = /ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(line);
    if (m) {
      Object.assign(cur, { id: parseInt(m[1]!, 16), version: parseInt(m[2]!, 16), hdrsize: +m[3]!, maxattr: +m[4]! });
      continue;
    }
    m = /#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)/.exec(line);
    if (m) {
      cur.groups[m[2]!] = parseInt(m[1]!, 16);
      continue;
    }
    m = /#\d+:\s+ID-0x([0-9a-f]+)/.exec(line);
    if (m) {
      lastOp = [parseInt(m[1]!, 16), undefined];
      cur.ops.push(lastOp);
      continue;
    }
    m = /Capabilities \(0x([0-9a-f]+)\)/.exec(line);
    if (m && lastOp) lastOp[1] = parseInt(m[1]!, 16);
  }
  return out;
}

/** `genl ctrl policy name X`: ops -> { do, dump } and policy -> attr -> what iproute2 prints of it. */
function parseCtrlPolicy(text: string) {
  const ops: Record<number, { do?: number; dump?: number }> = {};
  const pol: Record<string, { type: string; maxLength?: number; range?: [bigint, bigint]; policyIdx?: number }> = {};
  for (const line of text.split('\n')) {
    let m = /op (\d+) policies:(?: do=(\d+))?(?: dump=(\d+))?/.exec(line);
    if (m) {
      ops[+m[1]!] = {
        ...(m[2] !== undefined ? { do: +m[2] } : {}),
        ...(m[3] !== undefined ? { dump: +m[3] } : {}),
      };
      continue;
    }
    m = /policy\[(\d+)\]:attr\[(\d+)\]: type=(\S+)(.*)/.exec(line);
    if (!m) continue;
    const e: (typeof pol)[string] = { type: m[3]! };
    const rest = m[4]!;
    const len = /max len:(\d+)/.exec(rest);
    if (len) e.maxLength = +len[1]!;
    const range = /range:\[(-?\d+),(-?\d+)\]/.exec(rest);
    if (range) e.range = [BigInt(range[1]!), BigInt(range[2]!)];
    const nested = /policy:(\d+) maxattr/.exec(rest);
    if (nested) e.policyIdx = +nested[1]!;
    pol[`${m[1]}/${m[2]}`] = e;
  }
  return { ops, pol };
}

describe('generic netlink', { skip: needsRoot }, () => {
  test('resolveFamily: nlctrl by name, cached per client; a missing family is a clear error', async () => {
    const before = openFds();
    await withTestNetns(async (_ns, nl) => {
      const ctrl = await resolveFamily(nl, 'nlctrl');
      assert.equal(ctrl.id, GENL_ID_CTRL);
      assert.equal(ctrl.name, 'nlctrl');
      assert.ok(ctrl.version >= 1);
      assert.equal(ctrl.mcastGroups.notify, GENL_ID_CTRL);
      assert.ok(ctrl.ops.length >= 1);
      assert.equal(await resolveFamily(nl, 'nlctrl'), ctrl, 'cached');
      await assert.rejects(resolveFamily(nl, 'wireguard'), (e: unknown) => {
        assert.ok(e instanceof RtnlError);
        assert.equal(e.message, "genl family 'wireguard' not available in this kernel");
        assert.equal(e.code, 'ERR_RTNL_NO_GENL_FAMILY');
        return true;
      });
      assert.equal(genlEngine(nl).isClosed, false);
    });
    assert.equal(openFds(), before, 'the generic netlink socket closes with the client');
  });
});

describe('nl.genl', { skip: needsRoot, timeout: 30_000 }, () => {
  test('families() agrees with genl ctrl list, family by family, in a test namespace', async () => {
    await withTestNetns(async (ns, nl) => {
      const want = parseCtrlList(genl(ns, 'ctrl', 'list'));
      const got = await nl.genl.families();
      assert.deepEqual(got.map((f) => f.name).sort(), Object.keys(want).sort());
      for (const f of got) {
        const w = want[f.name];
        assert.deepEqual(
          { id: f.id, version: f.version, hdrsize: f.hdrsize, maxattr: f.maxattr, groups: f.mcastGroups },
          { id: w.id, version: w.version, hdrsize: w.hdrsize, maxattr: w.maxattr, groups: w.groups },
          f.name,
        );
        // genl 6.1 prints an op's capabilities for some families only: compare those it prints.
        assert.deepEqual(
          f.ops.map((o, i) => [o.id, w.ops[i]?.[1] === undefined ? undefined : o.flags]),
          w.ops,
          `${f.name} ops`,
        );
      }
      assert.ok(got.some((f) => f.name === 'ethtool'));
    });
  });

  for (const family of ['nlctrl', 'ethtool']) {
    test(`policy('${family}') agrees with genl ctrl policy name ${family}`, async () => {
      await withTestNetns(async (ns, nl) => {
        const want = parseCtrlPolicy(genl(ns, 'ctrl', 'policy', 'name', family));
        const got = await nl.genl.policy(family);
        assert.deepEqual(got.ops, want.ops);
        let compared = 0;
        const keys: string[] = [];
        for (const [idx, table] of Object.entries(got.policies))
          for (const [attr, p] of Object.entries(table)) {
            const key = `${idx}/${attr}`;
            keys.push(key);
            const w = want.pol[key];
            assert.ok(w, `${key} missing from genl's output`);
            if (w.type === 'unknown') continue; // iproute2 6.1 does not know this kernel's newer types
            assert.equal(p.type, w.type, key);
            if (w.maxLength !== undefined) assert.equal(p.maxLength, w.maxLength, key);
            if (w.range) assert.deepEqual([p.minValueU ?? p.minValueS, p.maxValueU ?? p.maxValueS], w.range, key);
            if (w.policyIdx !== undefined) assert.equal(p.policyIdx, w.policyIdx, key);
            compared++;
          }
        assert.deepEqual(keys.sort(), Object.keys(want.pol).sort());
        assert.ok(compared >= (family === 'nlctrl' ? 5 : 100), `${compared} compared`);
      });
    });
  }

  test('policy(family, cmd) gives that command only', async () => {
    await withTestNetns(async (_ns, nl) => {
      const p = await nl.genl.policy('ethtool', C.ETHTOOL_MSG_LINKSTATE_GET);
      assert.deepEqual(Object.keys(p.ops), [String(C.ETHTOOL_MSG_LINKSTATE_GET)]);
      const top = p.policies[p.ops[C.ETHTOOL_MSG_LINKSTATE_GET]!.do!]!;
      const header = top[C.ETHTOOL_A_LINKSTATE_HEADER]!;
      assert.equal(header.type, 'NESTED');
      assert.equal(p.policies[header.policyIdx!]![C.ETHTOOL_A_HEADER_DEV_NAME]!.type, 'NUL_STRING');
    });
  });

  test('request(): nlctrl GETFAMILY by raw attributes, a dump, and ethtool with a declared attribute set', async () => {
    await withTestNetns(async (ns, nl) => {
      const name = new TextEncoder().encode('ethtool\0');
      const [r] = await nl.genl.request('nlctrl', C.CTRL_CMD_GETFAMILY, [
        { type: C.CTRL_ATTR_FAMILY_NAME, bytes: name },
      ]);
      const ethtool = await nl.genl.family('ethtool');
      assert.equal(r!.cmd, C.CTRL_CMD_NEWFAMILY);
      const id = r!.attrs.find((a) => a.type === C.CTRL_ATTR_FAMILY_ID)!;
      assert.equal(new DataView(id.bytes.buffer).getUint16(0, true), ethtool.id);
      // The same as bytes: the TLV of CTRL_ATTR_FAMILY_NAME, padded.
      const bytes = new Uint8Array(12);
      new DataView(bytes.buffer).setUint16(0, 12, true);
      new DataView(bytes.buffer).setUint16(2, C.CTRL_ATTR_FAMILY_NAME, true);
      bytes.set(name, 4);
      const [again] = await nl.genl.request('nlctrl', C.CTRL_CMD_GETFAMILY, bytes);
      assert.deepEqual(again!.payload, r!.payload);
      const all = await nl.genl.request('nlctrl', C.CTRL_CMD_GETFAMILY, [], { dump: true });
      assert.equal(all.length, (await nl.genl.families()).length);

      const header = attrs('HDR', { devName: [C.ETHTOOL_A_HEADER_DEV_NAME, 'string'] });
      const linkstate = attrs('LS', {
        header: [C.ETHTOOL_A_LINKSTATE_HEADER, nest(header), { nestedFlag: true }],
        link: [C.ETHTOOL_A_LINKSTATE_LINK, 'u8'],
      });
      const [ls] = await nl.genl.request(
        'ethtool',
        C.ETHTOOL_MSG_LINKSTATE_GET,
        { header: { devName: 'lo' } },
        { attrs: linkstate },
      );
      assert.equal(ls!.cmd, C.ETHTOOL_MSG_LINKSTATE_GET_REPLY);
      assert.equal(ls!.decoded!.header.devName, 'lo');
      const detected = /Link detected: yes/.test(
        execFileSync('ip', ['netns', 'exec', ns, 'ethtool', 'lo'], { encoding: 'utf8' }),
      );
      assert.equal(ls!.decoded!.link, detected ? 1 : 0);
      await assert.rejects(
        nl.genl.request('ethtool', C.ETHTOOL_MSG_LINKSTATE_GET, { header: { devName: 'nope0' } }, { attrs: linkstate }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
      );
      await assert.rejects(nl.genl.request('wireguard', 1), { code: 'ERR_RTNL_NO_GENL_FAMILY' });
    });
  });

  test('monitor(family, groups): a group joined by name, decoded and raw; closed on abort and with the client', async () => {
    await withTestNetns(async (ns) => {
      ip('-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
      const before = openFds();
      const nl = await Rtnl.open({ netns: ns });
      const ac = new AbortController();
      const it = nl.genl
        .monitor('ethtool', ['monitor'], { signal: ac.signal, subscribed: true })
        [Symbol.asyncIterator]();
      assert.deepEqual((await it.next()).value, { type: 'subscribed' });
      await nl.ethtool.features.set('v0', { gro: true });
      const ev = (await it.next()).value as any;
      assert.equal(ev.type, 'message');
      assert.equal(ev.family, 'ethtool');
      assert.equal(ev.cmd, C.ETHTOOL_MSG_FEATURES_NTF);
      assert.equal(ev.attrs.header.devName, 'v0');
      assert.ok(ev.raw.attrs.some((a: any) => a.type === C.ETHTOOL_A_FEATURES_HEADER));
      ac.abort();
      assert.equal((await it.next()).done, true);
      const open = openFds();
      const it2 = nl.genl.monitor('nlctrl', 'notify', { subscribed: true })[Symbol.asyncIterator]();
      await it2.next();
      assert.equal(openFds(), open + 1);
      await nl.close();
      assert.equal((await it2.next()).done, true);
      assert.equal(openFds(), before, 'every socket closed');
    });
  });

  test('monitor(): unknown group and a client closed before the first next() are clear errors', {
    timeout: 10_000,
  }, async () => {
    await withTestNetns(async (ns) => {
      const nl = await Rtnl.open({ netns: ns });
      await assert.rejects(nl.genl.monitor('ethtool', 'nope')[Symbol.asyncIterator]().next(), {
        code: 'ERR_RTNL_NO_GENL_GROUP',
      });
      await nl.genl.family('ethtool'); // resolved and cached: only the closed check stops the monitor
      const it = nl.genl.monitor('ethtool', 'monitor')[Symbol.asyncIterator]();
      await nl.close();
      await assert.rejects(it.next(), { code: 'ERR_RTNL_CLOSED' });
      assert.throws(() => nl.genl.monitor('ethtool', 'monitor'), { code: 'ERR_RTNL_CLOSED' });
      await assert.rejects(nl.genl.families(), { code: 'ERR_RTNL_CLOSED' });
    });
  });
});
