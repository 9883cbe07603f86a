#!/usr/bin/env bash
# arm64 under qemu-user: exec to provisioned, and the emulator's RSS, with and without a GC heap limit.
#
#   bench/arm64/run.sh BINARY ROOT [RUNS]
#
# BINARY: the linux-arm64 Native AOT provisioningd (.ci/arm64 leaves it in artifacts/linux-arm64/); ROOT: the arm64
# userland it runs on (.ci/arm64: /var/cache/provisioningd-ci/arm64-root). The back-office simulator (built with the
# tests) runs natively on loopback. Each run starts on an empty state; RSS is read from /proc after provisioning and
# 3 s of idle. Prints one line per run: wall time (depends on the machine's load) and the emulator's CPU time
# (user+sys up to provisioned: the emulation's cost, steadier under load).
set -euo pipefail
binary=$(realpath "$1"); root=$(realpath "$2"); runs=${3:-3}
cd "$(dirname "$0")/../.."
simulator=tests/Daemon.Tests/bin/Debug/net10.0/Provisioning.BackOfficeSimulator
work=$(mktemp -d); trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
"$simulator" --urls "http://127.0.0.1:$port" >"$work/sim.log" 2>&1 & sim=$!
until curl -sf "http://127.0.0.1:$port/admin/faults" >/dev/null; do sleep 0.2; done

measure() { # label, extra env
  local label=$1; shift
  for i in $(seq "$runs"); do
    rm -rf "$work/state" "$work/log"
    local t0; t0=$(date +%s%N)
    env "$@" PROVISIONING_Logging__Console__FormatterName=systemd qemu-aarch64-static -L "$root" "$binary" \
      --BackOffice:Url="http://127.0.0.1:$port" --Device:Id="WPE$(printf '%011d' $((RANDOM * RANDOM)))Bn" \
      --State:Directory="$work/state" --Grpc:SocketPath="$work/p.sock" --JsonRpc:Url=http://127.0.0.1:0 \
      --Boot:MaxDelay=00:00:00 >"$work/log" 2>&1 & local pid=$!
    until grep -qs "RunEnded.*status 200" "$work/log"; do sleep 0.05; done
    local t1; t1=$(date +%s%N)
    local cpu; cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/$pid/stat)
    sleep 3
    local rss hwm; rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status); hwm=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
    kill -TERM $pid; wait $pid || true
    echo "$label run $i: exec to provisioned $(( (t1 - t0) / 1000000 )) ms wall, $cpu ms CPU; RSS $((rss / 1024)) MiB, peak $((hwm / 1024)) MiB"
  done
}
# The settings compared, one environment per run set ("-" for none): ARM64_BENCH_SETTINGS overrides, ';'-separated.
IFS=';' read -r -a settings <<<"${ARM64_BENCH_SETTINGS:--;DOTNET_GCHeapHardLimit=3000000;DOTNET_GCHeapHardLimit=1000000}"
for setting in "${settings[@]}"; do
  if [ "$setting" = - ]; then measure "as built" DOTNET_UNUSED=1; else measure "$setting" $setting; fi
done
echo "binary: $(stat -c %s "$binary") bytes"
