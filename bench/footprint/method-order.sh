#!/usr/bin/env bash
# Regenerates src/Daemon/method-order.txt: the order in which the Native AOT compiler lays out the daemon's methods
# (IlcOrderFile in src/Daemon/Daemon.csproj). Code is mapped into the process in 64 KiB blocks (the kernel's
# fault-around, or the page cache's large folios), so a method that runs maps its whole neighbourhood. Laid out
# by the compiler's default order, the few thousand methods that run are spread over the whole 7.5 MiB text; laid
# out together, what runs when idle, what serves callers and what starts the daemon each map a few blocks
# (bench/README.md, "Footprint", has the effect).
#
# Which methods run is taken from the shipped build itself, in the device configuration (the unit's environment,
# the back-office simulator in another process), run under valgrind's callgrind, which lists every function that
# ran, however rarely (a sampling profiler misses those that run once per connection). Profiles, in layout order:
#   idle     from the idle trim after the first run to 10 s later (the trim, the finalizers after its GC, its log
#            line, timers, Kestrel's heartbeat): what runs there stays mapped at idle
#   serving  Provisioning.1.state by wrk at 1 and 16 connections, over WebSocket (wsbench, masked and as
#            Thunder's native client) and gRPC GetState (GrpcBench)
#   start    exec to that trim on an empty state directory, then a start on the stored state to its trim
# Run it again when the daemon's code or its packages change much: MethodLayoutTests (tests/Daemon.Tests/Deploy)
# fails when fewer than 90 % of the file's methods are still in the build. About 2.5 minutes.
# Usage: bench/footprint/method-order.sh
# Needs: the .NET SDK, clang, lld, zlib1g-dev (Native AOT), valgrind, binutils (objcopy, nm, readelf), wrk,
# python3, curl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM_PORT=${SIM_PORT:-18190}
PORT=${PORT:-19993}
OUT=$(mktemp -d /tmp/pvd-order.XXXXXX)
SIM_PID=
VALGRIND_PID=
cleanup() {
  [ -z "$VALGRIND_PID" ] || kill -9 "$VALGRIND_PID" 2>/dev/null || true
  [ -z "$SIM_PID" ] || kill "$SIM_PID" 2>/dev/null || true
}
trap cleanup EXIT
for tool in valgrind callgrind_control objcopy nm readelf wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "method-order.sh needs $tool" >&2; exit 1; }
done

q() { "$@" -v q -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }; }
# The shipped build with its symbol table; without the compiler's DWARF 5 debug information, which valgrind 3.19
# cannot read. The layout does not change which methods run, so the current order file may stay in.
q dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -p:StripSymbols=false -o "$OUT/aot"
objcopy --strip-debug "$OUT/aot/provisioningd"
nm --defined-only "$OUT/aot/provisioningd" >"$OUT/symbols.txt"
read -r code_start code_size < <(readelf -SW "$OUT/aot/provisioningd" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == "__managedcode" {print $3, $5}')
q dotnet publish "$ROOT/tools/BackOfficeSimulator" -c Release -o "$OUT/sim"
q dotnet build "$ROOT/bench/grpc" -c Release -o "$OUT/grpcbench"
q dotnet build "$ROOT/bench/jsonrpc/WsBench" -c Release -o "$OUT/wsbench"

mapfile -t UNIT_ENV < <(sed -n 's/^Environment=//p' "$ROOT/deploy/systemd/provisioningd.service" | tr ' ' '\n')
"$OUT/sim/Provisioning.BackOfficeSimulator" --urls "http://127.0.0.1:$SIM_PORT" >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$SIM_PORT/admin/faults" >/dev/null && break; sleep 0.1; done

# Starts the daemon under callgrind on state directory $2; its profiles are $OUT/$1.cg.N, one per dump. Besides the
# dumps asked for below, callgrind dumps on entering the idle trim (IdleMemoryTrim.Trim): the trim, what runs
# during it (the finalizers after its GC) and after it is what stays mapped at idle, whenever the trim comes (1 s
# after the state is quiet, which under valgrind can be before a poll of the log sees the run's end).
start() {
  env "${UNIT_ENV[@]}" valgrind --tool=callgrind --callgrind-out-file="$OUT/$1.cg" --dump-instr=no \
    --compress-strings=no --compress-pos=no --dump-before="$TRIM" \
    "$OUT/aot/provisioningd" --BackOffice:Url="http://127.0.0.1:$SIM_PORT/" --Device:Id=WPE00000uCfrLF45 \
    --State:Directory="$2" --Grpc:SocketPath="$OUT/p.sock" --JsonRpc:Url="http://127.0.0.1:$PORT" \
    --Boot:MaxDelay=00:00:00 --Logging:LogLevel:Provisioning.Daemon.Memory=Debug >"$OUT/$1.log" 2>&1 &
  VALGRIND_PID=$!
}
TRIM=provisioningd_Provisioning_Daemon_Memory_IdleMemoryTrim__Trim
grep -q " $TRIM\$" "$OUT/symbols.txt" \
  || { echo "method-order.sh: no $TRIM in the build's symbols: the idle profile starts there" >&2; exit 1; }
# Waits (up to 10 minutes under valgrind) until the daemon's log $1 has a line that matches $2 after line $3 (or anywhere).
await() {
  for _ in $(seq 1 6000); do tail -n +"$((${3:-0} + 1))" "$OUT/$1.log" | grep -q "$2" && return; sleep 0.1; done
  echo "no \"$2\" in the daemon's log:" >&2; tail -20 "$OUT/$1.log" >&2; exit 1
}
line_of() { grep -n "$2" "$OUT/$1.log" | head -1 | cut -d: -f1; }
profiles() { ls -1v "$OUT/$1".cg.* 2>/dev/null; }
# Dumps the profile since the last dump; prints the file it went to.
dump() {
  local before; before=$(profiles "$1" | wc -l)
  callgrind_control -d "$VALGRIND_PID" >/dev/null 2>&1
  for _ in $(seq 1 600); do [ "$(profiles "$1" | wc -l)" -gt "$before" ] && break; sleep 0.1; done
  profiles "$1" | tail -1
}
stop() { kill -9 "$VALGRIND_PID"; wait "$VALGRIND_PID" 2>/dev/null || true; VALGRIND_PID=; }

echo "empty state: start, idle, serving"
start empty "$OUT/state"
await empty "ended: provisioned"
await empty "Memory trimmed" "$(line_of empty "ended: provisioned")"
mapfile -t START < <(profiles empty)                # start, to the trim after the first run (callgrind's own dumps)
sleep 10; IDLE=$(dump empty)                        # idle: from the trim to 10 s later
URL="http://127.0.0.1:$PORT/jsonrpc"
wrk -t1 -c1 -d3s -s "$ROOT/bench/jsonrpc/state.lua" "$URL" >/dev/null
wrk -t2 -c16 -d8s -s "$ROOT/bench/jsonrpc/state.lua" "$URL" >/dev/null
"$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc" 4 1 >/dev/null
"$OUT/wsbench/wsbench" "ws://127.0.0.1:$PORT/jsonrpc/" 4 1 --native >/dev/null
"$OUT/grpcbench/GrpcBench" --socket "$OUT/p.sock" --seconds 3 --get-state-only >/dev/null
SERVING=$(dump empty)                               # serving
stop
echo "empty state: ${#START[@]} start profile(s), idle $(basename "$IDLE"), serving $(basename "$SERVING")"

echo "stored state: start"
cp -a "$OUT/state" "$OUT/stored"
start stored "$OUT/stored"
await stored "Memory trimmed"                       # start on stored state, to its first trim
mapfile -t STORED < <(profiles stored)
stop

python3 "$ROOT/bench/footprint/method-order.py" "$ROOT/src/Daemon/method-order.txt" "$OUT/symbols.txt" "$code_start" "$code_size" \
  "$IDLE" "$SERVING" "${START[@]}" "${STORED[@]}"
rm -rf "$OUT"
