#!/usr/bin/env bash
# Every benchmark in one run, one table at the end (bench/README.md keeps the latest, with its date and machine).
#   bench/run.sh                 full run (about two hours on the 2-core machine; the fleet part runs the shipped
#                                defaults only: bench/fleet/run.sh with no arguments compares every strategy, for hours)
#   QUICK=1 bench/run.sh         a short pass of each, to check that they all run
# Builds what it needs: the Native AOT daemon once (the shipped build, used by every bench that starts a daemon)
# and the JIT build for the footprint comparison. Needs what the benches need (checked first): the .NET SDK and
# apt-get install clang lld zlib1g-dev wrk strace afl++ python3 curl.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
missing=()
for tool in dotnet clang ld.lld wrk strace afl-fuzz python3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/run.sh: missing ${missing[*]}; apt-get install clang lld zlib1g-dev wrk strace afl++ python3 curl" >&2
  exit 1
fi
OUT=$(mktemp -d /tmp/pvd-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
quick=${QUICK:-0}
started=$(date -u +%Y-%m-%dT%H:%MZ)

step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

step "publishing the Native AOT and JIT daemons"
dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -v q -nologo -o "$OUT/aot" >"$OUT/publish.log" 2>&1 \
  && dotnet publish "$ROOT/src/Daemon" -c Release -v q -nologo -o "$OUT/jit" >>"$OUT/publish.log" 2>&1 \
  || { cat "$OUT/publish.log"; exit 1; }
AOT="$OUT/aot/provisioningd"

if [ "$quick" = 1 ]; then
  footprint_env=(ROUNDS=3 LOAD_ROUNDS=1 DURATION=2s GRPC_SECONDS=2 SETTINGS=0)
  api_env=(REPEATS=3 SUBSCRIBERS=100 STORM=100)
  kills=20; execs=2000; fleet=(1000 10 boot,outage,outage-503 defaults); chaos=60
else
  footprint_env=()
  api_env=()
  kills=500; execs=100000; fleet=(10000 100 boot,outage,outage-503 defaults); chaos=600
fi

step "footprint, start-up and throughput (bench/footprint)"
env "${footprint_env[@]}" AOT_DIR="$OUT/aot" JIT_DIR="$OUT/jit" "$ROOT/bench/footprint/run.sh" >"$OUT/footprint.md" 2>"$OUT/footprint.log"
step "provisioning latency, fan-out, concurrent provisions (bench/api)"
env "${api_env[@]}" DAEMON_BIN="$AOT" "$ROOT/bench/api/run.sh" >"$OUT/api.md" 2>"$OUT/api.log"
step "chaos: fault plans and a flapping back office under load (bench/chaos)"
DAEMON_BIN="$AOT" "$ROOT/bench/chaos/run.sh" "$chaos" >"$OUT/chaos.md" 2>"$OUT/chaos.log"
step "crash states and SIGKILLs (bench/crash)"
PROVISIONINGD_TEST_BIN="$AOT" "$ROOT/bench/crash/run.sh" "$kills" >"$OUT/crash.md" 2>"$OUT/crash.log"
step "fuzzing (bench/fuzz)"
"$ROOT/bench/fuzz/run.sh" "$execs" >"$OUT/fuzz.md" 2>"$OUT/fuzz.log"
step "fleet (bench/fleet)"
"$ROOT/bench/fleet/run.sh" "${fleet[@]}" >"$OUT/fleet.md" 2>"$OUT/fleet.log"

for f in footprint api chaos crash fuzz fleet; do
  [ -s "$OUT/$f.md" ] || { echo "--- $f produced nothing; its log:" >&2; tail -20 "$OUT/$f.log" >&2; }
done

echo "# bench/run.sh $([ "$quick" = 1 ] && echo '(QUICK) ')started $started, $(nproc) cores, $(uname -m), .NET SDK $(dotnet --version), load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$ROOT/bench/table.py" footprint="$OUT/footprint.md" api="$OUT/api.md" chaos="$OUT/chaos.md" crash="$OUT/crash.md" fuzz="$OUT/fuzz.md" fleet="$OUT/fleet.md"
