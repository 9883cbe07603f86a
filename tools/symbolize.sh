#!/bin/sh
# Turns the frames of a Native AOT stack trace back into methods, files and lines. The device build carries no
# stack-trace data (StackTraceSupport=false in src/Daemon/Daemon.csproj: 1.15 MB less to store on the device),
# so its frames are addresses:
#     at provisioningd!<BaseAddress>+0x28f62a
# and the symbol file that the same publish wrote beside the executable, provisioningd.dbg, names them:
#     at provisioningd_Provisioning_Daemon_State_StateStore__EnsureDirectory in .../State/StateStore.cs:53
# The symbol file must be the one of the build that wrote the trace: the daemon's start line names its build ID
# ("provisioningd 1.0.0 starting (Native AOT, build ID 073aceb2...)"), and this script refuses a symbol file
# with another one when that line is in the input.
#
#   tools/symbolize.sh provisioningd.dbg [FILE...]     (FILE, or standard input: a log or journalctl output)
#
# Needs addr2line and readelf (binutils). README, "Stack traces from a device".
set -eu

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: symbolize.sh provisioningd.dbg [FILE...]" >&2
    exit 2
fi
symbols=$1
shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$@" >"$work/log"

have=$(readelf -n "$symbols" 2>/dev/null | sed -n 's/^ *Build ID: *//p')
wanted=$(sed -n 's/.*provisioningd .* starting (Native AOT, build ID \([0-9a-f]*\)).*/\1/p' "$work/log" | sort -u)
for id in $wanted; do
    if [ "$id" != "$have" ]; then
        echo "symbolize.sh: the log is of build $id, $symbols is of build ${have:-(none)}" >&2
        exit 1
    fi
done

# Each distinct address once through addr2line, one less than the return address the frame holds: the call
# itself, which a call at the end of a method would otherwise put in the next one.
grep -o 'provisioningd!<BaseAddress>+0x[0-9a-fA-F]*' "$work/log" | sed 's/.*+//' | sort -u >"$work/frames" || true
while read -r frame; do
    printf '0x%x\n' $((frame - 1))
done <"$work/frames" | addr2line -f -p -e "$symbols" >"$work/names"
paste -d '\t' "$work/frames" "$work/names" >"$work/map"

awk -F '\t' '
    NR == FNR { if ($2 !~ /^\?\?/) { name[$1] = $2; sub(/ at /, " in ", name[$1]) } next }
    {
        line = $0; out = ""
        while (match(line, /provisioningd!<BaseAddress>\+0x[0-9a-fA-F]+/)) {
            frame = substr(line, RSTART + 28, RLENGTH - 28)
            out = out substr(line, 1, RSTART - 1) ((frame in name) ? name[frame] : substr(line, RSTART, RLENGTH))
            line = substr(line, RSTART + RLENGTH)
        }
        print out line
    }' "$work/map" "$work/log"
