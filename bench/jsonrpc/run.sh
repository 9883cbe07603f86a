#!/usr/bin/env bash
# Benchmarks the Thunder JSON-RPC bridge: Provisioning.1.state over HTTP POST keep-alive (wrk, 1 and 16
# connections) and sequential calls over one WebSocket (wsbench, masked like ThunderJS and unmasked like Thunder's
# native client), with the daemon's RSS before and after.
# Needs: wrk (apt-get install wrk), the .NET SDK. Run from the repository root: bench/jsonrpc/run.sh
set -euo pipefail
DURATION=${DURATION:-20s}
WS_SECONDS=${WS_SECONDS:-20}
PORT=${PORT:-9998}
SIM_PORT=${SIM_PORT:-18080}
OUT=$(mktemp -d /tmp/pvd-bench.XXXXXX)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# AOT=1 publishes the daemon with Native AOT; DAEMON_BIN=path uses an already built daemon.
if [[ -n "${DAEMON_BIN:-}" ]]; then
  DAEMON="$DAEMON_BIN"
elif [[ "${AOT:-0}" == 1 ]]; then
  dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/daemon" -v q >/dev/null
  DAEMON="$OUT/daemon/provisioningd"
else
  dotnet publish "$ROOT/src/Daemon" -c Release -o "$OUT/daemon" -v q >/dev/null
  DAEMON="$OUT/daemon/provisioningd"
fi
dotnet publish "$ROOT/tools/BackOfficeSimulator" -c Release -o "$OUT/sim" -v q >/dev/null
dotnet build "$ROOT/bench/jsonrpc/WsBench" -c Release -o "$OUT/wsbench" -v q >/dev/null

"$OUT/sim/Provisioning.BackOfficeSimulator" --urls "http://127.0.0.1:$SIM_PORT" >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
# DAEMON_ENV, e.g. "DOTNET_gcServer=1", runs the daemon with extra environment (it is built with workstation GC).
env ${DAEMON_ENV:-} "$DAEMON" \
  --BackOffice:Url="http://127.0.0.1:$SIM_PORT/" --Device:Id=WPE00000uCfrLF45 \
  --State:Directory="$OUT/state" --Grpc:SocketPath="$OUT/p.sock" \
  --JsonRpc:Url="http://127.0.0.1:$PORT" --Boot:MaxDelay=00:00:00 \
  --Logging:LogLevel:Default=Warning >"$OUT/daemon.log" 2>&1 &
DAEMON_PID=$!
cleanup() { kill "$DAEMON_PID" "$SIM_PID" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

URL="http://127.0.0.1:$PORT/jsonrpc"
BODY='{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}'
for _ in $(seq 1 100); do
  if curl -fs -d "$BODY" "$URL" 2>/dev/null | grep -q '"status":200'; then break; fi
  sleep 0.2
done
echo "state: $(curl -s -d "$BODY" "$URL")"
rss() { awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$DAEMON_PID/status"; }
echo "RSS before: $(rss)"

cd "$ROOT/bench/jsonrpc"
echo "== HTTP POST keep-alive, 1 connection"
wrk -t1 -c1 -d"$DURATION" --latency -s state.lua "$URL"
echo "== HTTP POST keep-alive, 16 connections"
wrk -t2 -c16 -d"$DURATION" --latency -s state.lua "$URL"
echo "== WebSocket, sequential calls on one connection (ClientWebSocket: masked frames, as browsers and ThunderJS send)"
"$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc" "$WS_SECONDS"
echo "== WebSocket, sequential calls on one connection (Thunder's native client: its upgrade bytes, unmasked frames)"
"$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc/" "$WS_SECONDS" 3 --native
echo "RSS after: $(rss)"
