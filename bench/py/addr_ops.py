"""W5: add COUNT /32 addresses one request each, then delete them (IPRoute().addr)."""
import time

from common import args, client, emit, warm_up

a = args()
idx, count = a["ifindex"], a["count"]
addrs = [f"10.2.{(i + 1) >> 8}.{(i + 1) & 255}" for i in range(count)]
runs = []
with client() as ipr:
    def one_pass():
        t0 = time.perf_counter()
        for x in addrs:
            ipr.addr("add", index=idx, address=x, prefixlen=32)
        t1 = time.perf_counter()
        for x in addrs:
            ipr.addr("del", index=idx, address=x, prefixlen=32)
        return {"add": (t1 - t0) * 1000, "del": (time.perf_counter() - t1) * 1000}

    if a.get("warm", True):
        warm_up(one_pass)
    start = time.perf_counter()
    for _ in range(a["runs"]):
        runs.append(one_pass())
        if (time.perf_counter() - start) * 1000 > a["budget"]:
            break
emit({"count": count, "runs": runs})
