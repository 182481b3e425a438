"""W4: dump the IPv4 addresses of one link: link_lookup, then get_addr(index=, family=AF_INET)."""
import socket

from common import args, client, emit, timed

a = args()
with client() as ipr:
    def dump():
        idx = ipr.link_lookup(ifname=a["dev"])[0]
        return len(tuple(ipr.get_addr(index=idx, family=socket.AF_INET)))

    runs, n = timed(dump, a["runs"], a["budget"], a.get("warm", True))
emit({"count": n, "runs": runs})
