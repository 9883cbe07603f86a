#!/usr/bin/env bash
# Caller lookup: what identifying a loopback TCP caller costs per connection (the owner of the peer's socket, read
# from /proc/net/tcp), against the connection itself. Runs in a network namespace of its own (needs root), so the
# table holds only the benchmark's sockets, as on a device; `OtherConnections` adds established connections.
# The kernel prints the table by walking its whole established-connections hash, so the cost follows the hash's
# size, not the number of sockets: EHASH=16384 gives the namespace a hash of that many buckets (a device with
# 1-2 GiB of RAM gets about that many).
# Usage: [EHASH=N] bench/authz/run.sh [BenchmarkDotNet arguments]   (builds Release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/bench/authz" -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# tcp_child_ehash_entries is per namespace: it is set in a throw-away outer namespace, whose child runs the benchmark,
# so the host's setting is never touched.
unshare --net sh -c 'echo "${EHASH:-0}" > /proc/sys/net/ipv4/tcp_child_ehash_entries &&
  exec unshare --net sh -c "ip link set lo up && echo \"established hash: \$(cat /proc/sys/net/ipv4/tcp_ehash_entries) buckets\" && exec dotnet \"\$@\"" sh "$@"' \
  sh "$root/bench/authz/bin/Release/net10.0/AuthzBench.dll" --filter "*" "$@"
cat "$work"/BenchmarkDotNet.Artifacts/results/*-report-github.md
