#!/usr/bin/env bash
# Runs the README's two commands, scripts/demo.sh then scripts/test.sh, on a
# machine where none of kiln's apt or pip packages are installed: a clean
# Debian bookworm root made with debootstrap (minbase), entered with chroot.
# This is what a new user's first hour looks like; CI cannot show it, because
# CI runs on a machine that already has everything installed.
#
#   sudo scripts/fresh-machine-test.sh [--workdir DIR] [--commit REV] [--demo-only]
#                                      [--base-only]
#
# - The base root (debootstrap's output) is made once and kept as
#   DIR/base.tar; every run unpacks it afresh into DIR/root, so no run sees
#   what an earlier one installed.
# - The code is a `git clone` of this repository at REV (default HEAD): only
#   what is committed is tested, as CI does.
# - The apt sources are Debian's bookworm, bookworm-updates and
#   bookworm-security (where llvm-22 comes from), as on these machines.
# - --base-only makes the base root and stops (it can be made ahead of time).
# - Prints the wall time of each command and their exit codes; the full logs
#   are DIR/demo.log and DIR/test.log. Exits non-zero if either failed.
#
# Needs root (debootstrap, chroot, mount), debootstrap and network access to
# Debian's mirrors and PyPI. Measured on 2 cores: demo 7 min (apt, .venv,
# a cold build), test 9 min; the first run adds debootstrap (about 3 min).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
WORK=/var/tmp/kiln-fresh-machine
REV=HEAD
DEMO_ONLY=0
BASE_ONLY=0
while [ $# -gt 0 ]; do
  case $1 in
    --workdir) WORK=$2; shift ;;
    --commit) REV=$2; shift ;;
    --demo-only) DEMO_ONLY=1 ;;
    --base-only) BASE_ONLY=1 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine-test: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-machine-test: needs root (debootstrap, chroot, mount)" >&2
  exit 2
fi
command -v debootstrap >/dev/null ||
  { echo "fresh-machine-test: install debootstrap first (apt-get install debootstrap)" >&2; exit 2; }

MIRROR=http://deb.debian.org/debian
ROOTFS=$WORK/root
mkdir -p "$WORK"
log() { echo "fresh-machine-test: $*"; }

unmount_all() {
  local m
  for m in dev/pts dev proc sys; do
    mountpoint -q "$ROOTFS/$m" 2>/dev/null && umount -l "$ROOTFS/$m" || true
  done
}
trap unmount_all EXIT

if [ ! -f "$WORK/base.tar" ]; then
  log "debootstrap bookworm (minbase) into $WORK/base"
  rm -rf "$WORK/base"
  debootstrap --variant=minbase bookworm "$WORK/base" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log"; exit 1; }
  cat > "$WORK/base/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  tar -C "$WORK/base" -cf "$WORK/base.tar" .
  rm -rf "$WORK/base"
fi
[ "$BASE_ONLY" = 1 ] && { log "base root ready: $WORK/base.tar"; exit 0; }

unmount_all
rm -rf "$ROOTFS"
mkdir -p "$ROOTFS"
tar -C "$ROOTFS" -xf "$WORK/base.tar"
# The machine's own network setup, which a new machine of this kind has
# before anything is installed: name resolution, the local certificate
# authorities (registries may be reached through a TLS-inspecting proxy)
# and pip's configuration that points at them. No package comes along.
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$ROOTFS/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$ROOTFS/usr/local/share/ca-certificates/"
fi
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$ROOTFS/etc/pip.conf"
mount -t proc proc "$ROOTFS/proc"
mount --rbind /sys "$ROOTFS/sys"
mount --bind /dev "$ROOTFS/dev"
mount --bind /dev/pts "$ROOTFS/dev/pts"

log "cloning $(git rev-parse --short "$REV") into $ROOTFS/src"
git clone -q --no-hardlinks "$REPO" "$ROOTFS/src"
git -C "$ROOTFS/src" checkout -q "$(git rev-parse "$REV")"

# What the new machine has before the README's commands: show it is bare.
for tool in clang++-22 mlir-opt-22 ninja cmake python3 protoc; do
  if chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
       sh -c "command -v $tool" >/dev/null 2>&1; then
    log "note: $tool is already in the base root"
  fi
done

run_in_root() { # NAME COMMAND...: runs it in the root, times it, logs it
  local name=$1; shift
  local start rc=0
  start=$(date +%s)
  chroot "$ROOTFS" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /src && $*" > "$WORK/$name.log" 2>&1 || rc=$?
  local secs=$(( $(date +%s) - start ))
  printf 'fresh-machine-test: %-5s exit %d in %dm%02ds (log: %s)\n' \
    "$name" "$rc" $((secs / 60)) $((secs % 60)) "$WORK/$name.log"
  tail -n 5 "$WORK/$name.log" | sed 's/^/    /'
  return "$rc"
}

status=0
run_in_root demo bash scripts/demo.sh || status=1
if [ "$DEMO_ONLY" = 0 ]; then
  run_in_root test bash scripts/test.sh || status=1
fi
exit "$status"
