/**
 * A monotonic clock in milliseconds, for timeouts and budgets: process.uptime() is the same clock
 * as performance.now() (both count from the process's start), but the first use of `performance`
 * loads perf_hooks, about 1 ms of a one-shot program's start-up.
 * @internal
 */
export const nowMs = (): number => process.uptime() * 1000;
