"""Shared helpers for the pyroute2 peers: argument parsing, the timing loop, JSON output.

Each script runs inside the bench namespace (`ip netns exec NS /usr/bin/python3 SCRIPT ...`),
times itself with time.perf_counter() and prints one JSON line, in the same shape as the rtnl
and C peers: {"count": N, "runs": [ms, ...]} or runs of {"add": ms, "del": ms}.
"""
import json
import sys
import time

from pyroute2 import IPRoute


def args():
    """The JSON argument object given as argv[1] by bench/run.ts."""
    return json.loads(sys.argv[1])


WARM_MS = 500
WARM_MAX = 20


def warm_up(fn):
    """Untimed passes until WARM_MS were spent in them (at least one, at most WARM_MAX): the rule
    every in-process peer follows. Returns the last result."""
    last = None
    start = time.perf_counter()
    for i in range(WARM_MAX):
        if i > 0 and (time.perf_counter() - start) * 1000 >= WARM_MS:
            break
        last = fn()
    return last


def timed(fn, runs, budget_ms, warm=True):
    """Run fn up to `runs` times within the budget (at least once), after the warm-up."""
    last = warm_up(fn) if warm else None
    out = []
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        last = fn()
        out.append((time.perf_counter() - t) * 1000)
        if (time.perf_counter() - start) * 1000 > budget_ms:
            break
    return out, last


def emit(obj):
    print(json.dumps(obj), flush=True)


def client():
    return IPRoute()
