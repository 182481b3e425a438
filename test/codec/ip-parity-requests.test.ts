// The requests rtnl builds for bridge port settings and link flags carry the same attributes and
// values as iproute2's, captured from this kernel (fixtures/link/*-set-request.hex). iproute2
// orders attributes differently, so the attributes are compared as sets of (type, bytes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '../../src/codec/index.js';
import type { NetlinkMessage } from '../../src/codec/nlmsg.js';
import type { OpContext } from '../../src/ops/context.js';
import { Bridge } from '../../src/ops/bridge.js';
import { Links } from '../../src/ops/links.js';
import { loadHex } from '../helpers/fixtures.js';

/** A client stand-in that records the requests instead of sending them. */
function recorder(): { nl: OpContext; sent: NetlinkMessage[] } {
  const sent: NetlinkMessage[] = [];
  const nl = {
    engine: {
      request: async (m: NetlinkMessage) => {
        sent.push(m);
        return { replies: [] };
      },
    },
    options: {},
    linkIndex: async (ref: string | number) => {
      if (typeof ref !== 'number') throw new Error('the tests give indexes');
      return ref;
    },
  } as unknown as OpContext;
  return { nl, sent };
}

/** The attributes (type:hex) of a nest, or of the message body when `path` is empty. */
function attrsAt(bytes: Uint8Array, path: number[]): string[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 16 + 16; // nlmsghdr + ifinfomsg
  let end = v.getUint32(0, true);
  for (const want of path) {
    let found = false;
    for (let o = start; o < end; o += (v.getUint16(o, true) + 3) & ~3) {
      if ((v.getUint16(o + 2, true) & 0x3fff) === want) {
        end = o + v.getUint16(o, true);
        start = o + 4;
        found = true;
        break;
      }
    }
    assert.ok(found, `attribute ${want} not found`);
  }
  const out: string[] = [];
  for (let o = start; o < end; o += (v.getUint16(o, true) + 3) & ~3) {
    const len = v.getUint16(o, true);
    out.push(`${v.getUint16(o + 2, true) & 0x3fff}:${Buffer.from(bytes.subarray(o + 4, o + len)).toString('hex')}`);
  }
  return out.sort();
}

/** ifi_family, ifi_index, ifi_flags, ifi_change. */
const header = (b: Uint8Array) => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [v.getUint8(16), v.getInt32(20, true), v.getUint32(24, true), v.getUint32(28, true)];
};

test('links.set bridgePort sends the IFLA_BRPORT_* that ip link set type bridge_slave sends', async () => {
  const { nl, sent } = recorder();
  await new Links(nl).set(3, {
    bridgePort: { hairpin: true, cost: 7, learning: false, isolated: true, groupFwdMask: 8 },
  });
  const ours = encode(sent[0]!);
  const ip = loadHex('link/bridge-slave-set-request.hex');
  // IFLA_LINKINFO (18) > IFLA_INFO_SLAVE_DATA (5)
  assert.deepEqual(attrsAt(ours, [18, 5]), attrsAt(ip, [18, 5]));
  assert.deepEqual(header(ours), header(ip));
});

test('bridge.setPort sends the AF_BRIDGE IFLA_PROTINFO that bridge link set sends', async () => {
  const { nl, sent } = recorder();
  await new Bridge(nl).setPort(3, { neighSuppress: true, cost: 11, flood: false });
  const ours = encode(sent[0]!);
  const ip = loadHex('link/bridge-link-set-request.hex');
  assert.equal(sent[0]!.type, 'RTM_SETLINK');
  assert.deepEqual(attrsAt(ours, [12]), attrsAt(ip, [12])); // IFLA_PROTINFO
  // One top-level attribute, IFLA_PROTINFO, with NLA_F_NESTED set as bridge sets it.
  const nla = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint16(32 + 2, true);
  assert.equal(nla(ours), nla(ip));
  assert.equal(nla(ip), 0x800c);
  assert.deepEqual(header(ours), header(ip));
});

test('links.set arp/promisc/allmulticast and GSO/GRO limits match ip link set', async () => {
  const { nl, sent } = recorder();
  await new Links(nl).set(2, { arp: false, promisc: true, allmulticast: true, gsoMaxSize: 32768, groMaxSize: 30000 });
  const ours = encode(sent[0]!);
  const ip = loadHex('link/flags-limits-set-request.hex');
  assert.deepEqual(header(ours), header(ip));
  assert.deepEqual(attrsAt(ours, []), attrsAt(ip, []));
});
