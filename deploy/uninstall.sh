#!/bin/sh
# Removes what install.sh installed from ROOT.
#
#   deploy/uninstall.sh [--purge] ROOT
#
#   --purge   also remove /etc/provisioning and /var/lib/provisioning (the configuration and the stored
#             provisioning with its keys), the key-encryption key (/etc/credstore*/provisioningd.kek*) and its
#             drop-ins. Without it they stay, so a reinstall keeps the device provisioned.
#
# The system user and group stay (removing them could leave files owned by a reused id), as Debian does.
set -eu

purge=0
root=
while [ $# -gt 0 ]; do
    case "$1" in
        --purge) purge=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        -*) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
        *) root=$1 ;;
    esac
    shift
done

if [ -z "$root" ] || [ ! -d "$root" ]; then
    echo "usage: uninstall.sh [--purge] ROOT" >&2
    exit 2
fi
root=$(cd "$root" && pwd)
prefix=${root%/}

say() { echo "uninstall: $*"; }

if [ "$root" = / ] && [ -d /run/systemd/system ]; then
    systemctl stop provisioningd.service provisioningd.socket || true
    say "stopped provisioningd.service and provisioningd.socket"
fi
if [ -e "$prefix/usr/lib/systemd/system/provisioningd.service" ]; then
    systemctl --root="$root" disable provisioningd.socket provisioningd.service >/dev/null 2>&1 || true
    say "disabled provisioningd.socket and provisioningd.service"
fi

for path in \
    /usr/lib/provisioningd \
    /usr/lib/systemd/system/provisioningd.service \
    /usr/lib/systemd/system/provisioningd.socket \
    /usr/lib/systemd/system/provisioningd.service.d/jit.conf \
    /usr/lib/systemd/system/provisioningd.service.d/native-aot.conf \
    /usr/lib/sysusers.d/provisioningd.conf \
    /usr/lib/tmpfiles.d/provisioningd.conf \
    /usr/share/doc/provisioningd \
    /run/provisioning; do
    if [ -e "$prefix$path" ] || [ -L "$prefix$path" ]; then
        rm -rf "$prefix$path"
        say "removed $path"
    fi
done
rmdir "$prefix/usr/lib/systemd/system/provisioningd.service.d" 2>/dev/null || true

if [ "$purge" = 1 ]; then
    rm -rf "$prefix/etc/provisioning" "$prefix/var/lib/provisioning"
    rm -f "$prefix"/etc/credstore/provisioningd.kek* "$prefix"/etc/credstore.encrypted/provisioningd.kek* \
        "$prefix"/etc/systemd/system/provisioningd.service.d/key-encryption*.conf
    rmdir "$prefix/etc/systemd/system/provisioningd.service.d" 2>/dev/null || true
    say "purged /etc/provisioning, /var/lib/provisioning and the key-encryption key with its drop-ins"
else
    say "kept /etc/provisioning and /var/lib/provisioning (use --purge to remove them)"
fi

if [ "$root" = / ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
fi
