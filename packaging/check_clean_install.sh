#!/usr/bin/env bash
# Prove the .deb's Depends in a clean system: debootstrap a minimal Debian (the build host's
# release) into a folder, `apt-get install --no-install-recommends` the .deb there (apt pulls
# exactly its Depends and nothing else), and run netviz inside it from another working
# directory: --version, --self-test and --frozen-check offscreen, then both again on the host's
# Xvfb through Qt's real xcb platform. Any missing library shows up as a failure here.
#
#   packaging/check_clean_install.sh dist/netviz_VERSION_amd64.deb
#
# Needs root, debootstrap (apt-get install debootstrap), chroot, mount, and Xvfb for the xcb run
# (skipped with a note when missing). Environment:
#   NETVIZ_ROOTFS_CACHE  a tarball of a pristine debootstrap to reuse (made there when missing)
#   NETVIZ_KEEP_ROOTFS=1 leave the folder for a look afterwards
# Exit status: 0 ok, 1 the .deb failed, 3 no clean system could be made (network), 2 usage.
set -euo pipefail

say() { printf 'check_clean_install: %s\n' "$*"; }
die() { printf 'check_clean_install: error: %s\n' "$*" >&2; exit 1; }
# Exit status 3: the clean system could not be set up (no network to Debian's mirror, say), so
# nothing was learnt about the .deb; 1: the .deb failed.
unavailable() { printf 'check_clean_install: cannot check: %s\n' "$*" >&2; exit 3; }
NETWORK='Failed to fetch|Temporary failure|Could not resolve|Could not connect|Connection failed|Cannot initiate the connection'

[[ $# -eq 1 && -f $1 ]] || { echo "usage: $0 path/to/netviz_VERSION_ARCH.deb" >&2; exit 2; }
DEB=$(realpath "$1")
[[ $(id -u) -eq 0 ]] || die "needs root (chroot, mount)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
# shellcheck source=/dev/null
. /etc/os-release
SUITE=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
MIRROR=http://deb.debian.org/debian
ROOTFS=$(mktemp -d /tmp/netviz-clean-XXXXXX)
MOUNTS=()
XVFB_PID=

cleanup() {
    if [[ -n $XVFB_PID ]]; then kill "$XVFB_PID" 2>/dev/null || true; fi
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[i]}" 2>/dev/null || true; done
    if [[ ${NETVIZ_KEEP_ROOTFS:-0} == 1 ]]; then say "kept $ROOTFS"; else rm -rf --one-file-system "$ROOTFS"; fi
}
trap cleanup EXIT

# ---- a minimal Debian ----------------------------------------------------------------------
CACHE=${NETVIZ_ROOTFS_CACHE:-}
if [[ -n $CACHE && -f $CACHE ]]; then
    say "reusing the pristine $SUITE from $CACHE"
    tar -C "$ROOTFS" -xf "$CACHE"
else
    say "debootstrap --variant=minbase $SUITE (about a minute)"
    debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
        || { tail -20 "$ROOTFS.log" >&2; rm -f "$ROOTFS.log"; unavailable "debootstrap $SUITE failed"; }
    rm -f "$ROOTFS.log"
    if [[ -n $CACHE ]]; then tar -C "$ROOTFS" -cf "$CACHE" .; fi
fi
# The same release with its updates, as the build host has (the .deb's versions come from there).
cat > "$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$ROOTFS/proc" && MOUNTS+=("$ROOTFS/proc")
mount --bind /dev "$ROOTFS/dev" && MOUNTS+=("$ROOTFS/dev")
mkdir -p "$ROOTFS/tmp/.X11-unix"
if mount --bind /tmp/.X11-unix "$ROOTFS/tmp/.X11-unix" 2>/dev/null; then MOUNTS+=("$ROOTFS/tmp/.X11-unix"); fi

in_root() { chroot "$ROOTFS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# ---- install the .deb: apt resolves its Depends, and only those ----------------------------
cp "$DEB" "$ROOTFS/tmp/netviz.deb"
BEFORE=$(in_root dpkg-query -W -f '.\n' | wc -l)
in_root apt-get -q update >"$ROOTFS/tmp/update.log" 2>&1 || { tail -5 "$ROOTFS/tmp/update.log" >&2; unavailable "apt-get update failed"; }
if ! in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/netviz.deb \
        >"$ROOTFS/tmp/install.log" 2>&1; then
    tail -30 "$ROOTFS/tmp/install.log" >&2
    grep -qE "$NETWORK" "$ROOTFS/tmp/install.log" && unavailable "downloading the Depends failed"
    die "apt-get install of the .deb failed (unmet or unknown Depends?)"
fi
AFTER=$(in_root dpkg-query -W -f '.\n' | wc -l)
say "installed netviz and $((AFTER - BEFORE - 1)) packages it depends on into a minimal $SUITE"

# ---- run it, from another working directory ------------------------------------------------
run_checks() {  # run_checks LABEL VAR=VALUE...
    local label=$1; shift
    local out
    for args in --version --self-test --frozen-check; do
        if ! out=$(in_root env "$@" sh -c "cd /var/tmp && /usr/bin/netviz $args" 2>&1); then
            printf '%s\n' "$out" >&2
            die "netviz $args failed in the clean $SUITE ($label)"
        fi
        printf '  [%s] %s\n' "$label" "$(printf '%s\n' "$out" | grep -v 'This plugin does not support' | tail -n1)"
        if printf '%s\n' "$out" | grep -iE 'cannot load|could not load|cannot find|not found|error while loading' >&2; then
            die "netviz $args printed a loading problem in the clean $SUITE ($label)"
        fi
    done
}
run_checks offscreen QT_QPA_PLATFORM=offscreen

if command -v Xvfb >/dev/null; then
    for n in $(seq 90 120); do [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] || break; done
    Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X$n ]] && break; sleep 0.1; done
    [[ -S $ROOTFS/tmp/.X11-unix/X$n ]] || die "Xvfb :$n did not start (or /tmp/.X11-unix is not shared)"
    run_checks "xcb on Xvfb" DISPLAY=":$n" QT_QPA_PLATFORM=xcb
else
    say "note: no Xvfb on the host, so no xcb run"
fi
say "ok: $(basename "$DEB") installs and runs in a clean $SUITE with only its Depends"
