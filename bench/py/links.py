"""W2: dump every link with its attributes: IPRoute().get_links()."""
from common import args, client, emit, timed

a = args()
with client() as ipr:
    runs, n = timed(lambda: len(tuple(ipr.get_links())), a["runs"], a["budget"], a.get("warm", True))
emit({"count": n, "runs": runs})
