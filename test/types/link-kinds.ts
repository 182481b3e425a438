// Type-level tests, checked by `tsc --noEmit -p .` (npm test runs it). Each `@ts-expect-error`
// line must fail to compile; if it compiled, tsc would report the unused directive. Nothing here
// runs: the calls sit in a function that is never called.
import { customLinkKind, type Link, type LinkAddOptions, type LinkSetOptions, type Rtnl } from '../../src/index.js';

export async function typeTests(nl: Rtnl, link: Link): Promise<void> {
  // Known kinds, with their own options.
  await nl.links.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0, vlanProtocol: '802.1ad' } });
  await nl.links.add({ name: 'v0', kind: 'veth', peer: { name: 'v1', netns: 'blue' } });
  await nl.links.add({ name: 'mv0', kind: 'macvtap', link: 'eth0', macvlan: { mode: 'bridge' } });
  await nl.links.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 5, ttl: 'inherit', df: 'set' } });
  await nl.links.add({ name: 'd0', kind: 'dummy' });

  // @ts-expect-error a typo in the kind does not compile
  await nl.links.add({ name: 'br0', kind: 'brigde' });
  // @ts-expect-error a plain string is not a kind: unknown kinds go through customLinkKind()
  await nl.links.add({ name: 'g0', kind: 'gtp' as string });
  // The escape hatch for a kind rtnl has no plugin for (it takes no kind options).
  await nl.links.add({ name: 'g0', kind: customLinkKind('gtp') });
  // @ts-expect-error ...and kind options are not accepted for it
  await nl.links.add({ name: 'g0', kind: customLinkKind('gtp'), bridge: { stpState: 0 } });

  // @ts-expect-error a veth's peer on a bridge does not compile (discriminated union on kind)
  await nl.links.add({ name: 'br0', kind: 'bridge', peer: { name: 'x' } });
  // @ts-expect-error bridge options on a vxlan
  await nl.links.add({ name: 'vx0', kind: 'vxlan', bridge: { stpState: 0 } });
  // @ts-expect-error an unknown key in kind options
  await nl.links.add({ name: 'br0', kind: 'bridge', bridge: { stpStat: 0 } });
  // @ts-expect-error ip's words are the values: 'BRIDGE' is what the kernel names it, not an input
  await nl.links.add({ name: 'm0', kind: 'macvlan', macvlan: { mode: 'BRIDGE' } });
  // @ts-expect-error the vlan protocol is '802.1Q' (as ip spells it), not the kernel's '8021Q'
  await nl.links.add({ name: 'vl0', kind: 'vlan', vlan: { id: 5, protocol: '8021Q' } });
  // @ts-expect-error a vxlan needs its id
  await nl.links.add({ name: 'vx0', kind: 'vxlan', vxlan: { port: 4789 } });

  // set(): kind options by key; the peer is given only at creation.
  const set: LinkSetOptions = { bridge: { stpState: 1 } };
  await nl.links.set('br0', set);
  // @ts-expect-error no peer in set()
  await nl.links.set('v0', { peer: { name: 'v9' } });

  // What get() returns reads back in the same words, and goes back into add() and set().
  if (link.kind === 'macvlan' && link.macvlan) {
    const mode: 'private' | 'vepa' | 'bridge' | 'passthru' | 'source' | number | undefined = link.macvlan.mode;
    const copy: LinkAddOptions = { name: 'mv1', kind: link.kind, macvlan: link.macvlan };
    await nl.links.add(copy);
    await nl.links.set('mv1', { macvlan: { mode } });
  }
  if (link.kind === 'bridge') await nl.links.add({ name: 'br1', kind: 'bridge', bridge: link.bridge });
  // A kind read back may be any string the kernel sends, and compares with any string.
  if (link.kind === 'nlmon' || (link.kind as string | undefined) === 'gtp') return;
  // @ts-expect-error Link has no peer (the kernel does not report it)
  link.peer;
  // @ts-expect-error nor tuntap: tun/tap options are create-only (tap shares the key with tun)
  link.tuntap;
  // @ts-expect-error ...and set() does not take them
  await nl.links.set('tap0', { tuntap: { vnetHdr: true } });
}
