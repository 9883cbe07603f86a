#!/usr/bin/env bash
# gRPC API: GetState over the Unix socket against a no-op call on the same stack, 1 and 16 callers.
# Usage: bench/grpc/run.sh [seconds per measurement]   (builds Release; starts the development host provisioningd-dev, provisioned)
set -euo pipefail
seconds=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/tools/DevDaemon" -c Release -v q -nologo >/dev/null
dotnet build "$root/bench/grpc" -c Release -v q -nologo >/dev/null
daemon="$root/tools/DevDaemon/bin/Release/net10.0/provisioningd-dev"
work=$(mktemp -d)
cd "$work"
# Request logging off, as a deployment would run it: two console lines per call would be the benchmark.
"$daemon" --JsonRpc:Url=http://127.0.0.1:0 --Grpc:SocketPath="$work/p.sock" \
  --Logging:LogLevel:Default=Warning >daemon.txt 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 3000); do grep -q '^provisioned ' daemon.txt 2>/dev/null && break; sleep 0.01; done
grep -q '^provisioned ' daemon.txt || { echo "daemon did not provision:"; cat daemon.txt; exit 1; }
dotnet "$root/bench/grpc/bin/Release/net10.0/GrpcBench.dll" --socket "$work/p.sock" --seconds "$seconds"
