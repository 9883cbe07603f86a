#!/usr/bin/env bash
# Coverage-guided fuzzing of the daemon's readers with AFL++ (Debian's afl++) and SharpFuzz.
#   bench/fuzz/run.sh [execs per target] [target...]      default: 100000 execs, targets jsonrpc state answer
# Builds tests/Fuzz (Release) into a temporary folder, instruments provisioningd.dll there with the sharpfuzz tool
# (.config/dotnet-tools.json), seeds afl-fuzz with tests/Fuzz/corpus/<target>, and prints one line per target:
# executions, paths found, crashes, hangs, the target's peak RSS. Every crash or hang input is copied into
# tests/Fuzz/corpus/<target>/ (the corpus replay test in Daemon.Tests then fails on it until it is fixed).
set -euo pipefail
cd "$(dirname "$0")/../.."
execs=${1:-100000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(jsonrpc state answer)

command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d /tmp/provisioningd-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "building tests/Fuzz (Release) into $work/bin" >&2
dotnet tool restore -v q >/dev/null
dotnet publish tests/Fuzz -c Release -v q -nologo -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet tool run sharpfuzz "$work/bin/provisioningd.dll" >/dev/null

# The target is `dotnet`, which AFL++ did not instrument: SharpFuzz reports coverage and runs the forkserver itself.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# Tiered compilation off: the first inputs are not timed against a cold JIT, and coverage does not shift under it.
export DOTNET_TieredCompilation=0 DOTNET_gcServer=0

stat() { grep -E "^$2 " "$1" | sed -E 's/.*: *//'; }
printf '| target | execs | execs/s | paths | crashes | hangs | peak RSS (MB) | seconds |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
failed=0
for target in "${targets[@]}"; do
  out="$work/out-$target"
  # Under load the dry run of the first seed now and then sees an empty coverage map ("No instrumentation
  # detected") although the same build is instrumented; such a start is tried again, up to three times.
  for try in 1 2 3; do
    rm -rf "$out"
    afl-fuzz -i "tests/Fuzz/corpus/$target" -o "$out" -t 5000 -m none -s 20261202 -E "$execs" \
      -- dotnet "$work/bin/Provisioning.Daemon.Fuzz.dll" "$target" >"$work/afl-$target.log" 2>&1 &
    afl=$!
    # Peak RSS of the target: in persistent mode one dotnet process takes every input, so its VmHWM is the peak
    # (AFL++ reads its children's RSS only when they exit); a crash restarts it, hence the max over all of them.
    peak_kb=0
    while kill -0 "$afl" 2>/dev/null; do
      for child in $(pgrep -P "$afl" 2>/dev/null); do
        hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ] && peak_kb=$hwm
      done
      sleep 0.5
    done
    if wait "$afl"; then break; fi
    grep -q "No instrumentation detected" "$work/afl-$target.log" && [ "$try" -lt 3 ] && continue
    tail -40 "$work/afl-$target.log" >&2; exit 1
  done
  stats="$out/default/fuzzer_stats"
  crashes=$(stat "$stats" saved_crashes); hangs=$(stat "$stats" saved_hangs)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$(stat "$stats" execs_done)" "$(stat "$stats" execs_per_sec)" \
    "$(stat "$stats" corpus_count)" "$crashes" "$hangs" "$((peak_kb / 1024))" \
    "$(stat "$stats" run_time)"
  for found in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
    [ -e "$found" ] || continue
    kind=$(basename "$(dirname "$found")"); kind=${kind%es}; kind=${kind%s}
    cp "$found" "tests/Fuzz/corpus/$target/$kind-$(sha256sum "$found" | cut -c1-12)"
    failed=1
  done
done
[ "$failed" -eq 0 ] || echo "inputs that failed were added to tests/Fuzz/corpus/: replay them with dotnet test --filter CorpusReplay" >&2
exit "$failed"
