// Type-level tests of the tc API, checked by `tsc --noEmit -p .`: typed options per kind, from
// the package entry. Each `@ts-expect-error` line must fail to compile. Nothing here runs.
import type {
  ActionSpec,
  ActionSpecWithDev,
  FilterKindOptions,
  FilterSpec,
  Rtnl,
  SchedClock,
  TcData,
  TcKindContext,
  TcKindPlugin,
  U32FilterOptions,
} from '../../src/index.js';

export async function tcTypeTests(nl: Rtnl, clock: SchedClock, data: TcData, ctx: TcKindContext): Promise<void> {
  await nl.tc.qdiscs.add({ dev: 't0', kind: 'tbf', options: { rate: '1mbit', burst: '10kb', latency: '10ms' } });
  // @ts-expect-error tbf options on an htb qdisc
  await nl.tc.qdiscs.add({ dev: 't0', kind: 'htb', options: { rate: '1mbit' } });
  await nl.tc.classes.add({ dev: 't0', classid: '1:10', kind: 'htb', options: { rate: '10mbit', ceil: '20mbit' } });
  // @ts-expect-error only the class kinds of the registry
  await nl.tc.classes.add({ dev: 't0', classid: '1:10', kind: 'hfsc', options: { rate: '1mbit' } });

  const u32: U32FilterOptions = { match: [{ ip: { dst: '192.0.2.0/24', dport: 80 } }], classid: '1:10' };
  const spec: FilterSpec = { dev: 't0', parent: '1:', kind: 'u32', u32, actions: [{ kind: 'gact', action: 'drop' }] };
  await nl.tc.filters.add(spec);
  await nl.tc.filters.add({ dev: 't0', parent: 'ingress', kind: 'bpf', bpf: { fd: 3, directAction: true } });
  // @ts-expect-error an unknown filter kind
  await nl.tc.filters.add({ dev: 't0', kind: 'basic' });
  // @ts-expect-error a u32 match that is none of ip, ip6, u32, u16, u8
  await nl.tc.filters.add({ dev: 't0', kind: 'u32', u32: { match: [{ eth: {} }] } });
  const matchall: FilterKindOptions['matchall'] = { classid: '1:1' };
  void matchall;

  const acts: ActionSpecWithDev[] = [
    { kind: 'police', rate: '1mbit', burst: '10kb', exceed: 'drop' },
    { kind: 'gact', action: 'pass' },
  ];
  await nl.tc.actions.add([...acts, { kind: 'mirred', action: 'redirect', dev: 'ifb0' }]);
  // @ts-expect-error a verdict tc does not have
  await nl.tc.actions.add({ kind: 'gact', action: 'accept' });

  // The plain options (mirred with an ifindex) are what the pure builders take.
  const mirred: ActionSpec = { kind: 'mirred', action: 'mirror', ifindex: 2 };
  void mirred;
  const ticks: number = clock.tickInUsec * ctx.clock.hz;
  void ticks;
  void data;
  const plugin: TcKindPlugin<{ limit?: number }> = { kind: 'myfifo', toAttrs: (o) => ({ limit: o.limit ?? 0 }) };
  void plugin;
}
