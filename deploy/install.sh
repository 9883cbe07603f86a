#!/bin/sh
# Installs provisioningd onto a root file system: "/" on a device, or an image/staging directory.
#
#   deploy/install.sh [--jit] [--rid RID] [--from DIR] [--symbols DIR] [--no-enable] ROOT
#
#   By default: publishes the Native AOT build, the one that ships (no .NET runtime on the device;
#   the unit as shipped is written for it: MemoryDenyWriteExecute=yes, its GC heap limit and MemoryMax=).
#   --jit        publish the framework-dependent JIT build instead, for debugging (needs the ASP.NET Core
#                runtime on the device; also installs the jit.conf drop-in that lifts what the JIT cannot run with)
#   --rid RID    runtime identifier to publish for (default: linux-x64; e.g. linux-arm64, cross-built on x86-64:
#                README, "Cross-building for ARM"); with --from, the CPU the folder's executable must be for
#   --from DIR   install an already published folder instead of running `dotnet publish`; which build it
#                is comes from the folder (provisioningd.dll beside the executable: the JIT build)
#   --symbols DIR  where to keep the Native AOT build's symbol file, as provisioningd-<build ID>.dbg: it stays
#                off the device and turns the addresses of the device's stack traces back into methods
#                (tools/symbolize.sh). Default: artifacts/symbols in this repository when the script publishes;
#                with --from, the folder keeps its provisioningd.dbg unless --symbols is given
#   --no-enable  do not enable the units (by default: provisioningd.socket and provisioningd.service)
#
# Installs: /usr/lib/provisioningd/ (the daemon), the systemd units, sysusers.d and tmpfiles.d entries,
# /etc/provisioning/provisioningd.json (the example, only if none exists), then creates the user, group
# and directories inside ROOT. Prints every step. Must run as root (it sets owners).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
jit=0
rid=linux-x64
from=
symbols=
enable=1
root=

while [ $# -gt 0 ]; do
    case "$1" in
        --jit) jit=1 ;;
        --rid) rid=$2; shift ;;
        --from) from=$2; shift ;;
        --symbols) symbols=$2; shift ;;
        --no-enable) enable=0 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
        *) root=$1 ;;
    esac
    shift
done

if [ -z "$root" ]; then
    echo "usage: install.sh [--jit] [--rid RID] [--from DIR] [--symbols DIR] [--no-enable] ROOT" >&2
    exit 2
fi
mkdir -p "$root"
root=$(cd "$root" && pwd)
prefix=${root%/}

say() { echo "install: $*"; }

# The group must be resolved inside ROOT, not on the machine running the script.
root_gid() {
    awk -F: -v name="$1" '$1 == name { print $3; found = 1 } END { exit !found }' "$prefix/etc/group"
}

put() { # mode source destination
    install -D -m "$1" -o 0 -g 0 "$2" "$prefix$3"
    say "$3 ($1)"
}

if [ -z "$from" ]; then
    from=$(mktemp -d)
    trap 'rm -rf "$from"' EXIT
    if [ "$jit" = 1 ]; then
        say "publishing the JIT build (framework-dependent) for $rid: for debugging, needs the ASP.NET Core 10 runtime on the device"
        dotnet publish "$repo/src/Daemon" -c Release -r "$rid" --self-contained false -o "$from" >&2
    else
        say "publishing Native AOT for $rid"
        dotnet publish "$repo/src/Daemon" -c Release -r "$rid" -p:PublishAot=true -o "$from" >&2
        symbols=${symbols:-$repo/artifacts/symbols}
    fi
fi

if [ ! -f "$from/provisioningd" ]; then
    echo "install.sh: $from has no provisioningd executable" >&2
    exit 1
fi
# The build kind is what the folder holds, whatever the options said: a JIT build under the AOT unit would
# not start (MemoryDenyWriteExecute=yes).
if [ -f "$from/provisioningd.dll" ]; then build=jit; else build=aot; fi
if [ "$jit" = 1 ] && [ "$build" = aot ]; then
    echo "install.sh: --jit, but $from holds a Native AOT build (no provisioningd.dll)" >&2
    exit 2
fi
say "build: $([ "$build" = aot ] && echo "Native AOT" || echo "JIT (framework-dependent, for debugging)")"

# The executable must be for the CPU of --rid: an ARM box's image is often staged on an x86-64 machine, where
# nothing else would notice a binary for the wrong CPU (README, "Cross-building for ARM").
cpu_name() { case "$1" in 62) echo x86-64 ;; 183) echo arm64 ;; 40) echo arm ;; *) echo "ELF machine $1" ;; esac; }
case "$rid" in
    *-x64) want=62 ;;
    *-arm64) want=183 ;;
    *-arm) want=40 ;;
    *) want= ;;
esac
have=$(od -An -tu2 -j18 -N2 "$from/provisioningd" | tr -d ' ')
if [ -n "$want" ] && [ "$have" != "$want" ]; then
    echo "install.sh: $from/provisioningd is for $(cpu_name "$have"), not for $rid ($(cpu_name "$want")): pass the --rid it was published for" >&2
    exit 2
fi
say "cpu: $(cpu_name "$have") ($rid)"

# The daemon: replace the whole folder so files of an older version do not linger.
rm -rf "$prefix/usr/lib/provisioningd"
mkdir -p "$prefix/usr/lib/provisioningd"
(cd "$from" && find . -type f ! -name '*.pdb' ! -name '*.dbg') | while read -r file; do
    mode=0644
    [ "${file#./}" = provisioningd ] && mode=0755
    install -D -m "$mode" -o 0 -g 0 "$from/$file" "$prefix/usr/lib/provisioningd/${file#./}"
done
say "/usr/lib/provisioningd/ ($(cd "$prefix/usr/lib/provisioningd" && find . -type f | wc -l) files; provisioningd 0755)"

# The symbol file stays off the device, named by the build ID that the daemon's start line logs.
if [ "$build" = aot ] && [ -f "$from/provisioningd.dbg" ]; then
    id=$(readelf -n "$from/provisioningd" 2>/dev/null | sed -n 's/^ *Build ID: *//p')
    if [ -n "$symbols" ]; then
        install -D -m 0644 "$from/provisioningd.dbg" "$symbols/provisioningd-${id:-unknown}.dbg"
        say "symbols: $symbols/provisioningd-${id:-unknown}.dbg (build ID ${id:-unknown}; not on the device, for tools/symbolize.sh)"
    else
        say "symbols: $from/provisioningd.dbg (build ID ${id:-unknown}; not on the device, for tools/symbolize.sh)"
    fi
fi

put 0644 "$here/systemd/provisioningd.service" /usr/lib/systemd/system/provisioningd.service
put 0644 "$here/systemd/provisioningd.socket" /usr/lib/systemd/system/provisioningd.socket
put 0644 "$here/systemd/provisioningd.sysusers.conf" /usr/lib/sysusers.d/provisioningd.conf
put 0644 "$here/systemd/provisioningd.tmpfiles.conf" /usr/lib/tmpfiles.d/provisioningd.conf
for dropin in key-encryption.conf key-encryption-previous.conf key-encryption-plain.conf key-encryption-plain-previous.conf; do
    put 0644 "$here/systemd/$dropin" "/usr/share/doc/provisioningd/$dropin"
done
put 0644 "$here/../README.md" /usr/share/doc/provisioningd/README.md
# The unit is written for the Native AOT build; the JIT build gets the drop-in that lifts what it cannot run with.
rm -f "$prefix/usr/lib/systemd/system/provisioningd.service.d/native-aot.conf"
if [ "$build" = jit ]; then
    put 0644 "$here/systemd/jit.conf" /usr/lib/systemd/system/provisioningd.service.d/jit.conf
else
    rm -f "$prefix/usr/lib/systemd/system/provisioningd.service.d/jit.conf"
    rmdir "$prefix/usr/lib/systemd/system/provisioningd.service.d" 2>/dev/null || true
fi

mkdir -p "$prefix/etc"
# User and group, then the directories with their owners, the way the device creates them at boot.
systemd-sysusers --root="$root" "$prefix/usr/lib/sysusers.d/provisioningd.conf"
say "user and group provisioning (sysusers.d)"
systemd-tmpfiles --create --root="$root" "$prefix/usr/lib/tmpfiles.d/provisioningd.conf"
say "/etc/provisioning (0750 root:provisioning), /var/lib/provisioning (0700), /run/provisioning (0750) (tmpfiles.d)"

# Where the README's key-encryption steps put the key: systemd's credential stores, root's alone.
for store in /etc/credstore /etc/credstore.encrypted; do
    install -d -m 0700 -o 0 -g 0 "$prefix$store"
done
say "/etc/credstore, /etc/credstore.encrypted (0700 root, for the key-encryption key)"

gid=$(root_gid provisioning)
config=/etc/provisioning/provisioningd.json
if [ -e "$prefix$config" ]; then
    say "$config exists: kept"
else
    install -m 0640 -o 0 -g "$gid" "$here/systemd/provisioningd.json" "$prefix$config"
    say "$config (0640 root:provisioning, the example: set BackOffice:Url)"
fi

if [ "$enable" = 1 ]; then
    systemctl --root="$root" enable provisioningd.socket provisioningd.service >/dev/null 2>&1
    say "enabled provisioningd.socket and provisioningd.service"
fi

if [ "$root" = / ]; then
    say "next: systemctl daemon-reload && systemctl restart provisioningd.socket provisioningd.service"
fi
