#!/usr/bin/env bash
# Footprint of the device build: the Native AOT daemon alone, in the configuration the unit runs it with (its
# Environment= lines, the example configuration's listeners), against the back-office simulator in another
# process. One run measures, in this order:
#   1. binary size (the executable install.sh installs, and the whole publish folder);
#   2. exec -> READY=1 on NOTIFY_SOCKET (a datagram socket of startup.py, as systemd's), empty state and stored
#      state, against a minimal Native AOT ASP.NET Core app's exec -> first answer, interleaved (startup.py);
#   3. per build (AOT and JIT, in turn, the order alternating), LOAD_ROUNDS rounds: idle RSS once provisioned
#      (RssAnon, RssFile), then Provisioning.1.state by wrk (POST, keep-alive) at 1 and 16 connections, the
#      daemon's CPU per request at 16 (utime + stime from /proc/PID/stat), peak RSS during the 16-connection
#      load (VmHWM after resetting it through /proc/PID/clear_refs), and gRPC GetState over the Unix socket by
#      bench/grpc's GrpcBench at 1 and 16 callers;
#   4. runtime settings, AOT build, one variant each (SETTINGS=0 skips): idle RSS, peak RSS, threads and
#      requests/s at 16 connections with one setting changed from the shipped configuration.
# Usage: bench/footprint/run.sh
#   ROUNDS=11 (start-up rounds), LOAD_ROUNDS=3, DURATION=5s (each wrk run), GRPC_SECONDS=5
#   AOT_DIR=<folder> / JIT_DIR=<folder>: already published daemons (skip those publishes)
# Needs: the .NET SDK, clang, lld, zlib1g-dev (Native AOT), wrk, python3, curl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-11}
LOAD_ROUNDS=${LOAD_ROUNDS:-3}
DURATION=${DURATION:-5s}
GRPC_SECONDS=${GRPC_SECONDS:-5}
SETTINGS=${SETTINGS:-1}
SIM_PORT=${SIM_PORT:-18180}
PORT=${PORT:-19998}
OUT=$(mktemp -d /tmp/pvd-footprint.XXXXXX)
SIM_PID=
DAEMON_PID=
cleanup() {
  [ -z "$DAEMON_PID" ] || kill "$DAEMON_PID" 2>/dev/null || true
  [ -z "$SIM_PID" ] || kill "$SIM_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "# footprint $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), $(dotnet --version 2>/dev/null | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
q() { "$@" -v q -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }; }
if [ -z "${AOT_DIR:-}" ]; then
  AOT_DIR=$OUT/aot; q dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -o "$AOT_DIR"
fi
if [ -z "${JIT_DIR:-}" ]; then
  JIT_DIR=$OUT/jit; q dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 --self-contained false -o "$JIT_DIR"
fi
q dotnet publish "$ROOT/bench/footprint/MinimalSlim" -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/slim"
q dotnet publish "$ROOT/tools/BackOfficeSimulator" -c Release -o "$OUT/sim"
q dotnet build "$ROOT/bench/grpc" -c Release -o "$OUT/grpcbench"

# The unit's environment (DOTNET_* settings), as systemd gives it to the daemon.
mapfile -t UNIT_ENV < <(sed -n 's/^Environment=//p' "$ROOT/deploy/systemd/provisioningd.service" | tr ' ' '\n')
echo "unit environment: ${UNIT_ENV[*]}"

"$OUT/sim/Provisioning.BackOfficeSimulator" --urls "http://127.0.0.1:$SIM_PORT" >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$SIM_PORT/admin/faults" >/dev/null && break; sleep 0.1; done

# The device configuration (deploy/systemd/provisioningd.json) with this run's paths and ports; no boot delay.
device_args() { # state-directory
  echo "--BackOffice:Url=http://127.0.0.1:$SIM_PORT/ --Device:Id=WPE00000uCfrLF45 --State:Directory=$1" \
       "--Grpc:SocketPath=$OUT/p.sock --JsonRpc:Url=http://127.0.0.1:$PORT --Boot:MaxDelay=00:00:00"
}
URL="http://127.0.0.1:$PORT/jsonrpc"
BODY='{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}'
field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

start_daemon() { # binary, then settings changed from the shipped ones (NAME=VALUE, or -u NAME), then "--" and arguments
  local bin=$1; shift
  local env=("${UNIT_ENV[@]}") args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    if [ "$1" = -u ]; then
      local name=$2; shift
      mapfile -t env < <(printf '%s\n' "${env[@]}" | grep -v "^$name=")
    else
      env+=("$1")
    fi
    shift
  done
  [ $# -eq 0 ] || { shift; args=("$@"); }
  rm -rf "$OUT/state"
  # shellcheck disable=SC2046
  env "${env[@]}" "$bin" $(device_args "$OUT/state") "${args[@]}" >"$OUT/daemon.log" 2>&1 &
  DAEMON_PID=$!
  # Provisioned: the state file is written (and, with the bridge, Provisioning.1.state says 200).
  for _ in $(seq 1 300); do [ -f "$OUT/state/state.json" ] && break; sleep 0.1; done
  [ -f "$OUT/state/state.json" ] || { echo "daemon did not provision:"; cat "$OUT/daemon.log"; exit 1; }
  if [[ " ${args[*]} " != *" --JsonRpc:Url= "* ]]; then
    curl -s -d "$BODY" "$URL" | grep -q '"status":200' || { echo "daemon does not answer:"; cat "$OUT/daemon.log"; exit 1; }
  fi
  sleep 3 # idle: the first run's leftovers (timers, buffers) settle
}
stop_daemon() { kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || true; DAEMON_PID=; }
wrk_rate() { # connections -> requests/s (and fails on non-200 answers)
  local threads=$(( $1 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$1" -d"$DURATION" -s "$ROOT/bench/jsonrpc/state.lua" "$URL" >"$OUT/wrk.txt"
  grep -q '^non-200 answers: 0$' "$OUT/wrk.txt" || { cat "$OUT/wrk.txt"; exit 1; }
  awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$OUT/wrk.txt"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU of a process, in clock ticks
# The daemon's CPU per request of the last wrk run, in microseconds: steadier than requests/s on a shared machine,
# where another process's load takes the cores from both the daemon and wrk.
cpu_per_request() { # ticks before, ticks after
  awk -v b="$1" -v a="$2" -v hz="$(getconf CLK_TCK)" '/ requests in / {printf "%.1f", (a - b) / hz * 1e6 / $1}' "$OUT/wrk.txt"
}

echo
echo "## 1. binary size"
aot_bytes=$(stat -c %s "$AOT_DIR/provisioningd")
echo "provisioningd (Native AOT, installed by install.sh): $aot_bytes bytes = $(mib $((aot_bytes / 1024))) MiB; publish folder without symbols: $(du -b --exclude='*.dbg' --exclude='*.pdb' -s "$AOT_DIR" | cut -f1) bytes"
echo "minimal-slim: $(stat -c %s "$OUT/slim/minimal-slim") bytes; JIT publish folder: $(du -b --exclude='*.pdb' -s "$JIT_DIR" | cut -f1) bytes (plus the shared ASP.NET Core runtime)"

# The whole executable in the page cache, as right after it was written (publish, install.sh), in every run: the
# kernel's fault-around maps only the neighbours of a faulting page that are cached, so RssFile depends on what
# the cache holds (one build mapped 1.6-1.7 MiB of its code under load before a drop of the page cache, 2.4 MiB
# after it). With all of it cached, RssFile is the most a layout costs, whatever ran before.
cat "$AOT_DIR/provisioningd" >/dev/null

echo
echo "## 2. exec -> READY=1 ($ROUNDS rounds, interleaved with minimal-slim)"
# shellcheck disable=SC2046
env "${UNIT_ENV[@]}" python3 "$ROOT/bench/footprint/startup.py" "$ROUNDS" "$AOT_DIR/provisioningd" "$OUT/slim/minimal-slim" "$OUT" \
  -- $(device_args "$OUT/startup-state")

echo
echo "## 3. memory and throughput, AOT and JIT ($LOAD_ROUNDS rounds, $DURATION per wrk run, ${GRPC_SECONDS}s per gRPC run)"
declare -A res
for round in $(seq 1 "$LOAD_ROUNDS"); do
  # The order alternates round by round, so that a drift of the machine's speed during the run weighs on both.
  order="aot jit"; [ $((round % 2)) = 1 ] || order="jit aot"
  for build in $order; do
    dir=$AOT_DIR; [ "$build" = aot ] || dir=$JIT_DIR
    start_daemon "$dir/provisioningd"
    anon=$(field "$DAEMON_PID" RssAnon); file=$(field "$DAEMON_PID" RssFile)
    one=$(wrk_rate 1)
    echo 5 >"/proc/$DAEMON_PID/clear_refs" # VmHWM := VmRSS: the peak from here on is the load's
    before=$(cpu_ticks "$DAEMON_PID")
    sixteen=$(wrk_rate 16)
    cpu=$(cpu_per_request "$before" "$(cpu_ticks "$DAEMON_PID")")
    peak=$(field "$DAEMON_PID" VmHWM)
    "$OUT/grpcbench/GrpcBench" --socket "$OUT/p.sock" --seconds "$GRPC_SECONDS" --get-state-only 2>/dev/null >"$OUT/grpc.txt"
    g1=$(awk -F'|' '$2 ~ /GetState/ && $3+0 == 1 {gsub(/ /, "", $4); print $4}' "$OUT/grpc.txt")
    g16=$(awk -F'|' '$2 ~ /GetState/ && $3+0 == 16 {gsub(/ /, "", $4); print $4}' "$OUT/grpc.txt")
    stop_daemon
    echo "round $round $build: idle RssAnon $(mib "$anon") MiB RssFile $(mib "$file") MiB; JSON-RPC 1c $one/s 16c $sixteen/s ($cpu us of CPU per request), peak RSS at 16c $(mib "$peak") MiB; gRPC 1 caller $g1/s 16 callers $g16/s"
    for k in anon file one sixteen cpu peak g1 g16; do res[$build.$k]+="${!k} "; done
  done
done
echo
echo "| build | idle RssAnon (MiB) | idle RssFile (MiB) | peak RSS, 16-conn load (MiB) | JSON-RPC 1 conn (req/s) | JSON-RPC 16 conn (req/s) | daemon CPU per request, 16 conn (us) | gRPC 1 caller (calls/s) | gRPC 16 callers (calls/s) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for build in aot jit; do
  m() { tr ' ' '\n' <<<"${res[$build.$1]}" | grep . | median; }
  echo "| $build (median of $LOAD_ROUNDS) | $(mib "$(m anon)") | $(mib "$(m file)") | $(mib "$(m peak)") | $(m one) | $(m sixteen) | $(m cpu) | $(m g1) | $(m g16) |"
done
for k in one sixteen cpu g1 g16; do
  a=$(tr ' ' '\n' <<<"${res[aot.$k]}" | grep . | median); j=$(tr ' ' '\n' <<<"${res[jit.$k]}" | grep . | median)
  echo "AOT/JIT $k: $(awk -v a="$a" -v j="$j" 'BEGIN {printf "%.2f", a / j}')$([ "$k" != cpu ] || echo " (CPU per request: below 1, the AOT build spends less)")"
done

[ "$SETTINGS" = 1 ] || exit 0
echo
echo "## 4. runtime settings, AOT build, one changed at a time (one run each, $DURATION at 16 connections)"
echo "| variant | idle RssAnon (MiB) | idle RssFile (MiB) | peak RSS (MiB) | threads | JSON-RPC 16 conn (req/s) |"
echo "|---|---:|---:|---:|---:|---:|"
variant() { # name, settings and arguments as for start_daemon
  local name=$1; shift
  start_daemon "$AOT_DIR/provisioningd" "$@"
  local anon file threads rate=- peak=-
  anon=$(field "$DAEMON_PID" RssAnon); file=$(field "$DAEMON_PID" RssFile); threads=$(field "$DAEMON_PID" Threads)
  if [[ " $* " != *" --JsonRpc:Url= "* ]]; then
    echo 5 >"/proc/$DAEMON_PID/clear_refs"
    rate=$(wrk_rate 16)
    peak=$(mib "$(field "$DAEMON_PID" VmHWM)")
  fi
  stop_daemon
  echo "| $name | $(mib "$anon") | $(mib "$file") | $peak | $threads | $rate |"
}
variant "shipped (the unit's environment)"
variant "non-concurrent GC (DOTNET_gcConcurrent=0)" DOTNET_gcConcurrent=0
variant "gen0 budget from the CPU cache (DOTNET_GCgen0size unset)" -u DOTNET_GCgen0size
variant "4 MiB regions (DOTNET_GCRegionSize unset)" -u DOTNET_GCRegionSize
variant "the GC's own young generation (both unset)" -u DOTNET_GCgen0size -u DOTNET_GCRegionSize
variant "GC heap limit 12 MiB (DOTNET_GCHeapHardLimit=C00000)" DOTNET_GCHeapHardLimit=C00000
variant "GC heap limit 24 MiB (DOTNET_GCHeapHardLimit=1800000)" DOTNET_GCHeapHardLimit=1800000
variant "no heap limit (DOTNET_GCHeapHardLimit unset)" -u DOTNET_GCHeapHardLimit
variant "thread pool minimum 1 (DOTNET_ThreadPool_ForceMinWorkerThreads=1)" DOTNET_ThreadPool_ForceMinWorkerThreads=1
variant "JSON-RPC bridge not configured (JsonRpc:Url empty: no listener, no event pump)" -- --JsonRpc:Url=
