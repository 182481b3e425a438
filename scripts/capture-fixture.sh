#!/usr/bin/env bash
# Capture golden-byte netlink fixtures from a real iproute2 command (root only).
#
#   scripts/capture-fixture.sh [options] -- COMMAND [ARGS...]
#
# Runs COMMAND under strace, takes the raw bytes of one request that COMMAND sent (sendmsg/sendto)
# and of every datagram the kernel answered it with (non-peek recvmsg, through NLMSG_DONE for a
# dump), and writes them as annotated fixtures (format: fixtures/README.md).
#
# Options:
#   --request FILE    write the selected request to FILE (fixtures/<family>/<case>.hex)
#   --reply FILE      write the kernel's reply datagrams to the selected request to FILE
#   --select SEL      which request: N (1-based), -N (from the end; default -1), TYPE (the last
#                     request of that message type, e.g. RTM_NEWLINK) or TYPE:N (N-th of that type)
#   --json FILE       also write COMMAND's stdout (an `ip -j ...` command) as pretty JSON to FILE,
#                     so the JSON and the reply come from the very same datagrams
#   --setup TEXT      the state the command ran in, for the header (not executed)
#   --datagrams SPEC  keep only some reply datagrams: N (1-based), -N (from the end), or A-B
#   --note TEXT       an extra '# note:' header line
#   --notifications FILE  write every notification datagram (seq 0) COMMAND received to FILE
#                     (COMMAND is then typically a shell that runs a monitor while it changes state)
#   --genl            the socket is NETLINK_GENERIC (annotate genlmsghdr and nlctrl attributes)
#   --expect-fail     COMMAND is expected to fail (a request the kernel refuses); the request's
#                     origin line then records iproute2's error message
#
# The command is recorded in the header exactly as given, so use `ip -n NS ...` (or
# `bridge -n NS ...`) rather than absolute paths. Example:
#   scripts/capture-fixture.sh --reply fixtures/link/lo-reply.hex --json fixtures/link/lo-reply.json \
#     --select RTM_GETLINK --setup 'ip netns add rtnl-fx-a' -- ip -n rtnl-fx-a -j -d link show dev lo
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py="$here/fixtures/nlfixture.py"

request='' reply='' notifications='' genl=0 select='-1' json='' setup='' note='' datagrams='' expect_fail=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --request) request=$2; shift 2 ;;
    --reply) reply=$2; shift 2 ;;
    --notifications) notifications=$2; shift 2 ;;
    --genl) genl=1; shift ;;
    --select) select=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --setup) setup=$2; shift 2 ;;
    --note) note=$2; shift 2 ;;
    --datagrams) datagrams=$2; shift 2 ;;
    --expect-fail) expect_fail=1; shift ;;
    --) shift; break ;;
    *) echo "capture-fixture: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "capture-fixture: no command given" >&2; exit 2; }
[[ -n "$request$reply$notifications" ]] || { echo "capture-fixture: give --request, --reply or --notifications" >&2; exit 2; }

. "$(dirname "${BASH_SOURCE[0]}")/fixtures/quote.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rc=0
strace -f -e trace=sendmsg,sendto,recvmsg,recvfrom -e write=all -e read=all -s 1000000 -xx \
  -o "$tmp/trace" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?

if [[ $expect_fail -eq 0 && $rc -ne 0 ]]; then
  echo "capture-fixture: command failed (rc=$rc): $*" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi
if [[ $expect_fail -eq 1 && $rc -eq 0 ]]; then
  echo "capture-fixture: command was expected to fail but succeeded: $*" >&2
  exit 1
fi

req_origin='iproute2'
if [[ $expect_fail -eq 1 ]]; then
  err=$(grep -v '^$' "$tmp/stderr" | head -n1)
  req_origin="iproute2, refused by the kernel: $err"
fi

args=(extract --trace "$tmp/trace" --select "$select" --command "$(quote "$@")" --setup "$setup"
      --kernel "Linux $(uname -r) $(uname -m)" --iproute2 "$(ip -V | sed -n 's/.*\(iproute2-[^ ,]*\).*/\1/p')"
      --request-origin "$req_origin")
[[ -n "$request" ]] && args+=(--request "$request")
[[ -n "$reply" ]] && args+=(--reply "$reply")
[[ -n "$notifications" ]] && args+=(--notifications "$notifications")
[[ $genl -eq 1 ]] && args+=(--genl)
[[ -n "$note" ]] && args+=(--note "$note")
[[ -n "$datagrams" ]] && args+=(--datagrams "$datagrams")
python3 "$py" "${args[@]}"

if [[ -n "$json" ]]; then
  python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=2); print()' \
    <"$tmp/stdout" >"$json"
  echo "wrote $json"
fi
