#!/usr/bin/env bash
# Caller lookup: what identifying a loopback TCP caller costs per connection (the owner of the peer's socket, read
# from /proc/net/tcp), against the connection itself. Runs in a network namespace of its own (needs root), so the
# table holds only the benchmark's sockets, as on a device; `OtherConnections` adds established connections.
# Usage: bench/authz/run.sh [BenchmarkDotNet arguments]   (builds Release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/bench/authz" -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
unshare --net sh -c 'ip link set lo up && exec dotnet "$0" --filter "*" "$@"' \
  "$root/bench/authz/bin/Release/net10.0/AuthzBench.dll" "$@"
cat "$work"/BenchmarkDotNet.Artifacts/results/*-report-github.md
