// `rtnl route ... encap`: the request rtnl sends for ip's command line is iproute2's own
// (fixtures/route/add-encap-ip-request.hex, apart from seq and pid), and `route show` prints the
// encap as ip does, text and JSON (without ip's duplicate JSON keys).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, messages } from '../../src/codec/index.js';
import { defaultGlobals } from '../../src/cli/args.js';
import { routeJson } from '../../src/cli/format.js';
import { parseRoute } from '../../src/cli/route.js';
import { routeText } from '../../src/cli/text.js';
import type { OpContext } from '../../src/ops/context.js';
import { Engine, type EngineSocket } from '../../src/ops/engine.js';
import type { Route, RouteSpec } from '../../src/ops/routes.js';
import { Routes } from '../../src/ops/routes.js';
import { loadFixture, loadHex } from '../helpers/fixtures.js';

/** A socket that keeps the bytes sent and ACKs each request (a recorded ACK, re-stamped). */
function ackingSocket(): EngineSocket & { sent: Uint8Array[] } {
  const queue: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  return {
    sent,
    send(bytes: Uint8Array) {
      sent.push(bytes.slice());
      for (const m of decode(bytes)) {
        const [ack] = decode(loadHex('error/ack-reply.hex'));
        ack!.header.seq = m.header.seq;
        queue.push(encode([ack!]));
      }
    },
    recv: () => queue.shift() ?? null,
    waitReadable: () => new Promise(() => {}),
    close() {},
  };
}

/** nlmsg_seq and nlmsg_pid zeroed: they differ by run and by program. */
const unstamped = (b: Uint8Array) => {
  const c = b.slice();
  c.fill(0, 8, 16);
  return Buffer.from(c).toString('hex');
};

test('rtnl route add ... encap ip sends the bytes ip route add ... encap ip sends', async () => {
  const f = loadFixture('route/add-encap-ip-request.hex');
  const [ipReq] = decode(f.bytes);
  const words = f.meta.command!.split(' ').slice(4); // after "ip -n NS route"
  assert.deepEqual(words.slice(0, 2), ['add', '203.0.113.0/24']);
  const plan = parseRoute(words, defaultGlobals());
  const sock = ackingSocket();
  const nl = {
    engine: new Engine(sock, messages, () => {}),
    options: {},
    // vx0's index in the capture's namespace, as ip resolved it
    linkIndex: async (ref: string | number) => (ref === 'vx0' ? ipReq!.attrs.oif : assert.fail(`${ref}`)),
  } as unknown as OpContext;
  await new Routes(nl).add(plan.args[0] as RouteSpec);
  assert.equal(sock.sent.length, 1);
  assert.equal(unstamped(sock.sent[0]!), unstamped(f.bytes));
});

/** What routes.list() reports for ip's `route add 203.0.113.0/24 encap ip id 7 dst 192.0.2.9 dev vx0`. */
const encapRoute = (encap: Route['encap'], extra: Partial<Route> = {}): Route =>
  ({
    family: 4,
    dst: '203.0.113.0/24',
    dstLen: 24,
    table: 254,
    protocol: 'boot',
    scope: 'link',
    type: 'unicast',
    flags: [],
    tos: 0,
    encap,
    header: { family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 253, type: 1, flags: 0 },
    attrs: { oif: 4, ...extra.attrs },
    ...extra,
  }) as unknown as Route;
const names = { ifname: (i: number) => (i === 4 ? 'vx0' : `if${i}`) } as never;

test('route show prints encap as ip does; -j keeps the route dst and prefixes the encap keys', () => {
  const ip = encapRoute({ type: 'ip', id: 7n, src: '0.0.0.0', dst: '192.0.2.9', ttl: 0, tos: 0, flags: 0 });
  const j = routeJson(ip, names);
  assert.deepEqual(j, {
    dst: '203.0.113.0/24',
    encap: 'ip',
    encap_id: 7,
    encap_src: '0.0.0.0',
    encap_dst: '192.0.2.9',
    encap_ttl: 0,
    encap_tos: 0,
    dev: 'vx0',
    scope: 'link',
    flags: [],
  });
  // ip 6.1's line, its trailing space left out
  assert.equal(routeText(j), '203.0.113.0/24  encap ip id 7 src 0.0.0.0 dst 192.0.2.9 ttl 0 tos 0 dev vx0 scope link');
  const ip6 = encapRoute({ type: 'ip6', id: 9n, src: '::', dst: '2001:db8::9', hoplimit: 3, tc: 2, flags: 0 });
  assert.equal(
    routeText(routeJson(ip6, names)),
    '203.0.113.0/24  encap ip6 id 9 src :: dst 2001:db8::9 hoplimit 3 tc 2 dev vx0 scope link',
  );
  const mpls = routeJson(encapRoute({ type: 'mpls', labels: [100, 200], ttl: 9 }), names);
  assert.equal(mpls.encap_dst, '100/200');
  assert.equal(routeText(mpls), '203.0.113.0/24  encap mpls  100/200 ttl 9 dev vx0 scope link');
});
