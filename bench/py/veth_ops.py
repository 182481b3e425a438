"""W3: create COUNT veth pairs pa<i>/pb<i> one request each, then delete them (IPRoute().link)."""
import time

from common import args, client, emit

a = args()
count = a["count"]
runs = []
with client() as ipr:
    start = time.perf_counter()
    for _ in range(a["runs"]):
        t0 = time.perf_counter()
        for i in range(count):
            ipr.link("add", ifname=f"pa{i}", kind="veth", peer=f"pb{i}")
        t1 = time.perf_counter()
        for i in range(count):
            ipr.link("del", ifname=f"pa{i}")
        runs.append({"add": (t1 - t0) * 1000, "del": (time.perf_counter() - t1) * 1000})
        if (time.perf_counter() - start) * 1000 > a["budget"]:
            break
emit({"count": count, "runs": runs})
