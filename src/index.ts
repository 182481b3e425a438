/**
 * rtnl: rtnetlink for Node.js in pure TypeScript. Configure and watch Linux networking by
 * speaking netlink to the kernel directly: no shell-outs to `ip`, no native addon to compile.
 *
 * ```ts
 * import { Rtnl } from 'rtnl';
 * await using nl = await Rtnl.open();
 * console.log(await nl.links.list());
 * ```
 */
export { Rtnl, type OpenOptions } from './ops/client.js';
export type { Link, Links, LinkAddBase, LinkAddOptions, LinkSetOptions, AddrGenMode } from './ops/links.js';
export type { Bridge, BridgePort, BridgeVlanSpec } from './ops/bridge.js';
export type { BridgePortOptions, BridgePortState } from './ops/bridge-port.js';
export type { Nsids, NsidInfo } from './ops/nsid.js';
export type {
  KindOptions,
  KindOptionsFor,
  KnownLinkKind,
  LinkKind,
  BridgeOptions,
  VxlanOptions,
  MacvlanOptions,
  VlanOptions,
  BondOptions,
  VrfOptions,
  IpvlanOptions,
  VethPeerOptions,
} from './ops/link-kinds.js';
export {
  customLinkKind,
  type CustomLinkKind,
  type LinkKindPlugin,
  type LinkCreateHook,
  type LinkCreateContext,
  type LinkCreateRequest,
} from './kinds/link/kind.js';
export type { KindPlugin, KindContext, KindWords, SchedClock, TcKindContext, TcData } from './kinds/plugin.js';
export type { InterruptPolicy, RequestResult, DumpResult, Undecodable } from './ops/engine.js';
export { resolveFamily } from './ops/genl-client.js';
export type { GenlFamily } from './ops/genl.js';
export type {
  Genl,
  GenlAttrPolicy,
  GenlMonitorEvent,
  GenlMonitorOptions,
  GenlPolicy,
  GenlReply,
  GenlRequestAttrs,
  GenlRequestOptions,
} from './ops/genl-ops.js';
export type { GenlRawAttr, GenlRawMessage } from './codec/genl/index.js';
export type {
  MonitorEvent,
  MonitorGroup,
  MonitorOptions,
  ChangeEvent,
  ResyncEvent,
  SyncedEvent,
  UndecodableEvent,
} from './ops/monitor.js';
export type { ObjectKind, ObjectOf, RtnlObject, NsidEntry } from './ops/objects.js';
export type { ListResult } from './ops/common.js';
export type { NetnsSpec } from './ffi/netns.js';
export {
  RtnlError,
  NetlinkError,
  DumpInterruptedError,
  DecodeError,
  EncodeError,
  ValidationError,
  SysError,
  type ExtAck,
} from './errors.js';
export { netns } from './ops/netns.js';
export { sysctl } from './ops/sysctl.js';
export type { Address, Addresses, AddressOptions, AddressListFilter } from './ops/addresses.js';
export type {
  Route,
  Routes,
  RouteSpec,
  RouteNexthop,
  RouteNexthopSpec,
  RouteMetrics,
  RouteListFilter,
  RouteGetOptions,
  RouteWriteOptions,
} from './ops/routes.js';
export type {
  Neighbour,
  Neighbours,
  NudStateName,
  NeighbourSpec,
  IpNeighbourSpec,
  FdbSpec,
  NeighbourListFilter,
} from './ops/neighbours.js';
export type { Rule, RuleListFilter, Rules, RuleSpec } from './ops/rules.js';
export { tunTapInfo } from './ops/tuntap.js';
export type { TunTap, TunTapLink } from './ops/tuntap-ops.js';
export type {
  TunTapOptions,
  TunTapAddOptions,
  TunTapOpenOptions,
  TunTapQueues,
  TunTapDevice,
  TunTapInfo,
} from './ops/tuntap.js';
export type {
  Ethtool,
  EthtoolDevice,
  StatsOptions as EthtoolStatsOptions,
  DriverInfo,
  FeatureState,
  Features,
  FeaturesSetResult,
  GetSet,
  Rings,
  RingsChange,
  Channels,
  ChannelsChange,
  Coalesce,
  CoalesceChange,
  Pause,
  PauseChange,
  Eee,
  EeeChange,
  Fec,
  Tsinfo,
  LinkSettings,
  LinkChange,
  StatsGroup,
  EthtoolEvent,
  EthtoolEventDevice,
  EthtoolMonitorOptions,
} from './ops/ethtool/index.js';
export type {
  Tc,
  Qdiscs,
  Classes,
  Filters,
  Actions,
  Qdisc,
  TcClass,
  TcObject,
  TcStats,
  Filter,
  FilterSpec,
  FilterTarget,
  QdiscSpec,
  ClassSpec,
  Chain,
  Action,
  ActionSpecWithDev,
  FilterKindSpecs,
} from './ops/tc.js';
export type {
  QdiscKindOptions,
  TbfOptions,
  HtbQdiscOptions,
  HtbClassOptions,
  NetemOptions,
  FqCodelOptions,
  FqOptions,
  RedOptions,
  U32Match,
  U32FilterOptions,
  BpfFilterOptions,
  MatchallFilterOptions,
  FlowerFilterOptions,
  FilterKindOptions,
  ClassKindOptions,
  ActionSpec,
  MirredAction,
  GactAction,
  PoliceAction,
  Verdict,
  TcKindPlugin,
  TcFilterPlugin,
  TcActionPlugin,
  TcPluginBase,
  TcPrintContext,
  TcFilterContext,
  TcActionContext,
} from './ops/tc-kinds.js';
export type {
  Nexthop,
  Nexthops,
  NexthopBucket,
  NexthopBucketFilter,
  NexthopGroupMember,
  NexthopListFilter,
  NexthopSpec,
  ResilientParams,
} from './ops/nexthops.js';
