#!/bin/sh
# PID 1 of fresh pid, mount, uts, ipc, net and cgroup namespaces (started by SystemdContainer through
# `unshare --fork ...` inside a cgroup of its own). Builds a root and execs this machine's systemd in it:
#
#   container-init.sh SCRATCH [HOST_PATH...]
#
# SCRATCH: an empty folder; a tmpfs mounted on it (visible in this mount namespace only) holds the
# overlay's upper layer, so nothing the booted system writes reaches the host. Each HOST_PATH is bound
# read-only at the same path inside (the repository, the published daemon, the test binaries).
set -eu
scratch=$1
shift

mount --make-rprivate /
mount -t tmpfs -o mode=0755 provisioningd-test "$scratch"
mkdir "$scratch/upper" "$scratch/work" "$scratch/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$scratch/root"
root=$scratch/root

# The API file systems a container manager provides: /proc (its /proc/sys read-only), /sys read-only,
# the new cgroup namespace's cgroup2, a minimal /dev, and empty /run and /tmp.
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount --bind "$root/proc/sys" "$root/proc/sys"
mount -o remount,bind,ro "$root/proc/sys"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$root/sys/fs/cgroup"
mount -t tmpfs -o mode=0755,nosuid dev "$root/dev"
for node in null zero full random urandom tty; do
    touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
done
mkdir "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mount -t tmpfs -o mode=0755,nosuid,nodev run "$root/run"
mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$root/tmp"

for path in "$@"; do
    mkdir -p "$root$path"
    mount --bind "$path" "$root$path"
    mount -o remount,bind,ro "$root$path"
done

# Nothing of the host's starts: its enabled units and aliases and every generator are masked.
mkdir -p "$root/etc/systemd/system" "$root/etc/systemd/system-generators"
for unit in /etc/systemd/system/*.wants/* /etc/systemd/system/*.service /etc/systemd/system/*.timer; do
    [ -e "$unit" ] || [ -L "$unit" ] || continue
    ln -sfn /dev/null "$root/etc/systemd/system/$(basename "$unit")"
done
for generator in /usr/lib/systemd/system-generators/* /lib/systemd/system-generators/*; do
    [ -e "$generator" ] || continue
    ln -sfn /dev/null "$root/etc/systemd/system-generators/$(basename "$generator")"
done
ln -sfn /dev/null "$root/etc/systemd/system/systemd-remount-fs.service"

cd "$root"
mkdir -p .host
pivot_root . .host
cd /
umount -l /.host
rmdir /.host

# What a real boot has: shared mounts, so the mounts systemd makes for a service's sandbox
# (e.g. its credentials directory for LoadCredential*=) reach the service. systemd leaves this to the
# container manager when it runs in one.
mount --make-rshared /

exec env -i container=provisioningd-test PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    setpriv --bounding-set=-sys_module,-sys_rawio,-sys_time,-syslog,-mac_admin,-mac_override,-wake_alarm,-block_suspend \
    /lib/systemd/systemd
