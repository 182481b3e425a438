"""W1: dump one routing table, decoded: IPRoute().get_routes(table=T)."""
from common import args, client, emit, timed

a = args()
with client() as ipr:
    runs, n = timed(lambda: len(tuple(ipr.get_routes(table=a["table"]))), a["runs"], a["budget"], a.get("warm", True))
emit({"count": n, "runs": runs})
