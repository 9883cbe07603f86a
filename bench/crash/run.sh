#!/usr/bin/env bash
# Crash safety, measured against the real daemon:
#  1. power cuts: every on-disk state a power cut can leave during the daemon's state writes (traced with
#     strace, built under the persistence model of tests/Daemon.Tests/CrashStates/PersistenceModel.md),
#     the daemon started on each one;
#  2. SIGKILLs at random moments while the daemon rewrites a large state about once a second.
# Usage: bench/crash/run.sh [kills]            (default 500)
#        SEED=<n> bench/crash/run.sh           (both seeds; default: random, printed)
#        PROVISIONINGD_TEST_BIN=/path/to/provisioningd bench/crash/run.sh   (another build, e.g. Native AOT)
# Needs strace (apt-get install strace). Builds the test project in Release first.
set -uo pipefail
kills=${1:-500}
seed=${SEED:-$RANDOM}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/tests/Daemon.Tests" -c Release -v q -nologo >/dev/null || exit 1
tests="$root/tests/Daemon.Tests/bin/Release/net10.0/Provisioning.Daemon.Tests"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

# Runs one test method of the test project; prints its log when it fails.
run_test() {
  local started; started=$(date +%s)
  if ! "$tests" -noLogo -noColor -method "$1" >"$out/log" 2>&1; then
    cat "$out/log"; status=1
  fi
  elapsed=$(( $(date +%s) - started ))
  echo "($elapsed s)"
}

echo "== power cuts: every crash state (seed $seed)"
PROVISIONINGD_CRASH_SAMPLE=all PROVISIONINGD_CRASH_SEED=$seed PROVISIONINGD_CRASH_REPORT=$out/crash.md \
  run_test "*.CrashStateTests.Daemon_StartedOnCrashStates_*"
cat "$out/crash.md" 2>/dev/null

echo
echo "== SIGKILL: $kills kills (seed $seed)"
PROVISIONINGD_KILLS=$kills PROVISIONINGD_KILL_SEED=$seed PROVISIONINGD_KILL_REPORT=$out/kill.txt \
  run_test "*.DaemonProcessTests.Sigkill_DuringRepeatedWrites_*"
if [ -s "$out/kill.txt" ]; then
  cat "$out/kill.txt"
  echo
  echo "| kill test | SIGKILLs | inside a state write | corrupt or lost state | seconds |"
  echo "|---|---:|---:|---:|---:|"
  sed -nE "s/^([0-9]+) SIGKILLs .*: ([0-9]+) inside a state write, ([0-9]+) left.*/| SIGKILL at random moments | \1 | \2 | \3 | $elapsed |/p" "$out/kill.txt"
fi
exit "$status"
