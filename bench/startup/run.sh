#!/usr/bin/env bash
# Start-up: how long the development host (`provisioningd-dev`, tools/DevDaemon) takes from exec to "provisioned" (a full provisioning against
# the simulator, state written), and to "ready" on a restart with stored state. Fresh .dev folder per run.
# Usage: bench/startup/run.sh [runs]   (builds Release first; prints per-run figures and medians)
#        DAEMON_BIN=/path/to/provisioningd-dev bench/startup/run.sh   (another build of the development host)
# The device build (Native AOT, back office in another process, exec to READY=1): bench/footprint/run.sh.
set -euo pipefail
runs=${1:-7}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${DAEMON_BIN:-}" ]; then
  dotnet build "$root/tools/DevDaemon" -c Release -v q -nologo >/dev/null
fi
daemon="${DAEMON_BIN:-$root/tools/DevDaemon/bin/Release/net10.0/provisioningd-dev}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

# Waits for a line matching $2 in file $1; prints the elapsed ms since $3.
wait_line() {
  local file=$1 pattern=$2 start=$3
  for _ in $(seq 1 3000); do
    if grep -qE "$pattern" "$file" 2>/dev/null; then echo $(( $(now_ms) - start )); return 0; fi
    sleep 0.01
  done
  echo "timeout waiting for $pattern" >&2; return 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=(); warm=(); rss=()
for i in $(seq 1 "$runs"); do
  dir="$work/run$i"; mkdir -p "$dir"; cd "$dir"
  start=$(now_ms)
  "$daemon" --JsonRpc:Url=http://127.0.0.1:0 >out.txt 2>&1 &
  pid=$!
  cold+=("$(wait_line out.txt '^provisioned ' "$start")")
  kill -TERM "$pid"; wait "$pid" || true
  start=$(now_ms)
  "$daemon" --JsonRpc:Url=http://127.0.0.1:0 >out2.txt 2>&1 &
  pid=$!
  warm+=("$(wait_line out2.txt '^provisioned ' "$start")")
  rss+=("$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))")
  kill -TERM "$pid"; wait "$pid" || true
done

echo "exec -> provisioned, empty state (ms):  ${cold[*]}  median $(printf '%s\n' "${cold[@]}" | median)"
echo "exec -> provisioned, stored state (ms): ${warm[*]}  median $(printf '%s\n' "${warm[@]}" | median)"
echo "RSS once provisioned, daemon + in-process simulator (MiB): ${rss[*]}  median $(printf '%s\n' "${rss[@]}" | median)"
