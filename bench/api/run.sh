#!/usr/bin/env bash
# Provisioning latency against its floor, fan-out to 1,000 WebSocket subscribers and 1,000 gRPC watchers, and
# 1,000 concurrent provision calls over both APIs: the daemon alone (device configuration and the unit's environment,
# not --dev) against
# the back-office simulator in another process. Prints rows of the bench table.
# DAEMON_BIN=path measures an already built daemon (e.g. the Native AOT build); REPEATS, SUBSCRIBERS, STORM.
# DAEMON_ARGS adds to the daemon's command line; arguments are passed on to apibench (bench/chaos/run.sh uses both).
# Run from anywhere: bench/api/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d /tmp/pvd-api.XXXXXX)
PORT=${PORT:-19998}
SIM_PORT=${SIM_PORT:-18081}
DEVICE=WPE00000uCfrLF45

if [[ -n "${DAEMON_BIN:-}" ]]; then
  DAEMON="$DAEMON_BIN"
else
  dotnet publish "$ROOT/src/Daemon" -c Release -o "$OUT/daemon" -v q -nologo >/dev/null
  DAEMON="$OUT/daemon/provisioningd"
fi
dotnet publish "$ROOT/tools/BackOfficeSimulator" -c Release -o "$OUT/sim" -v q -nologo >/dev/null
dotnet build "$ROOT/bench/api/ApiBench" -c Release -o "$OUT/apibench" -v q -nologo >/dev/null

# The unit's environment (the GC heap limit), as systemd gives it to the daemon.
mapfile -t UNIT_ENV < <(sed -n 's/^Environment=//p' "$ROOT/deploy/systemd/provisioningd.service" | tr ' ' '\n')

"$OUT/sim/Provisioning.BackOfficeSimulator" --urls "http://127.0.0.1:$SIM_PORT" >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
# The fan-out is measured at 1,000 subscribers and watchers, beyond the device's connection limits, which are sized
# to the unit's heap limit (README, "Memory"): the bench lifts both, the heap limit to 96 MiB.
env "${UNIT_ENV[@]}" DOTNET_GCHeapHardLimit=6000000 "$DAEMON" --BackOffice:Url="http://127.0.0.1:$SIM_PORT/" --Device:Id=$DEVICE \
  --State:Directory="$OUT/state" --Grpc:SocketPath="$OUT/p.sock" --Grpc:SocketGroup= \
  --JsonRpc:Url="http://127.0.0.1:$PORT" --Boot:MaxDelay=00:00:00 \
  --JsonRpc:MaxConnections=4096 --JsonRpc:MaxRegistrations=65536 --Grpc:MaxConnections=256 --Grpc:MaxStreamsPerConnection=100 \
  --Logging:LogLevel:Default=Warning ${DAEMON_ARGS:-} >"$OUT/daemon.log" 2>&1 &
DAEMON_PID=$!
cleanup() { kill "$DAEMON_PID" "$SIM_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT

BODY='{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}'
for _ in $(seq 1 150); do
  if curl -fs -d "$BODY" "http://127.0.0.1:$PORT/jsonrpc" 2>/dev/null | grep -q '"status":200'; then break; fi
  sleep 0.2
done

"$OUT/apibench/apibench" --jsonrpc "http://127.0.0.1:$PORT" --socket "$OUT/p.sock" \
  --backoffice "http://127.0.0.1:$SIM_PORT/" --device "$DEVICE" --state-dir "$OUT/state" \
  --repeats "${REPEATS:-20}" --subscribers "${SUBSCRIBERS:-1000}" --storm "${STORM:-1000}" \
  --daemon-pid "$DAEMON_PID" "$@"
