/** PLACEHOLDER: in progress. */
import type { Rtnl } from './client.js';
export type MonitorGroup = string;
export interface MonitorOptions { signal?: AbortSignal }
export interface MonitorEvent { type: string }
export function monitor(_nl: Rtnl, _groups: MonitorGroup[], _o: MonitorOptions): AsyncIterable<MonitorEvent> { throw new Error('todo'); }
