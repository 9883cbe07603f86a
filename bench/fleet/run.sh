#!/usr/bin/env bash
# Fleet: N devices (the daemon's real engine and back-office client each, in one process on a fake clock)
# power up in the same second against a back office serving a limited number of requests per second, with
# and without a 30-minute outage first. Prints the result table of bench/README.md, "Fleet".
# Usage: bench/fleet/run.sh [devices] [capacity] [scenarios] [strategies]
#   defaults: 10000 devices, 100 requests/s (1.2 x 10000 / the 2-minute boot window), every scenario and
#   strategy of bench/fleet/FleetCatalog.cs; e.g. bench/fleet/run.sh 2000 20 boot,outage today,defaults
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/bench/fleet" -c Release -v q -nologo >/dev/null
args=(--devices "${1:-10000}" --capacity "${2:-100}")
[ -n "${3:-}" ] && args+=(--scenarios "$3")
[ -n "${4:-}" ] && args+=(--strategies "$4")
exec dotnet "$root/bench/fleet/bin/Release/net10.0/FleetBench.dll" "${args[@]}"
