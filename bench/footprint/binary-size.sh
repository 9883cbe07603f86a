#!/usr/bin/env bash
# Where the device executable's bytes go: publishes the Native AOT build with the compiler's .mstat file and sums
# the compiled code per assembly and per namespace (bench/footprint/BinarySize).
#   bench/footprint/binary-size.sh [top=25]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
dotnet publish "$ROOT/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -p:IlcGenerateMstatFile=true -v q -nologo -o "$OUT/aot" >"$OUT/publish.log" 2>&1 || { cat "$OUT/publish.log"; exit 1; }
echo "executable: $(stat -c %s "$OUT/aot/provisioningd") bytes"
dotnet run --project "$ROOT/bench/footprint/BinarySize" -c Release -- "$ROOT/src/Daemon/obj/Release/net10.0/linux-x64/native/provisioningd.mstat" "${1:-25}"
