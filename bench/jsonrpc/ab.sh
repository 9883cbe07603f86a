#!/usr/bin/env bash
# A/B of the WebSocket bench between two builds of the daemon, alternating so both see the same machine noise:
#   bench/jsonrpc/ab.sh <provisioningd-before> <provisioningd-after>
# Each is the executable of a complete publish folder (dotnet publish src/Daemon -c Release -o <dir>). Per round
# it starts each daemon against the back-office simulator, waits until it is provisioned and runs wsbench with
# ClientWebSocket (masked frames) and with --native (Thunder's native client: unmasked frames; a build without
# it refuses the upgrade, which is reported and skipped). Needs the .NET SDK and curl.
set -euo pipefail
BEFORE=${1:?usage: ab.sh <provisioningd-before> <provisioningd-after>}
AFTER=${2:?usage: ab.sh <provisioningd-before> <provisioningd-after>}
ROUNDS=${ROUNDS:-5}
WS_SECONDS=${WS_SECONDS:-10}
PORT=${PORT:-29998}
SIM_PORT=${SIM_PORT:-28080}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d /tmp/pvd-ab.XXXXXX)

dotnet publish "$ROOT/tools/BackOfficeSimulator" -c Release -o "$OUT/sim" -v q >/dev/null
dotnet build "$ROOT/bench/jsonrpc/WsBench" -c Release -o "$OUT/wsbench" -v q >/dev/null
"$OUT/sim/Provisioning.BackOfficeSimulator" --urls "http://127.0.0.1:$SIM_PORT" >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

run() {
  local name=$1 daemon=$2 state
  state=$(mktemp -d "$OUT/state.XXXXXX")
  "$daemon" --BackOffice:Url="http://127.0.0.1:$SIM_PORT/" --Device:Id=WPE00000uCfrLF45 \
    --State:Directory="$state/state" --Grpc:SocketPath="$state/p.sock" --JsonRpc:Url="http://127.0.0.1:$PORT" \
    --Boot:MaxDelay=00:00:00 --Logging:LogLevel:Default=Warning >"$state/daemon.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if curl -fs -d '{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}' "http://127.0.0.1:$PORT/jsonrpc" 2>/dev/null | grep -q '"status":200'; then break; fi
    sleep 0.2
  done
  echo "$name: $("$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc" "$WS_SECONDS" 3)"
  echo "$name: $("$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc/" "$WS_SECONDS" 3 --native 2>&1 | tail -1)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  run before "$BEFORE"
  run after "$AFTER"
done
