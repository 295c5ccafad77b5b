#!/usr/bin/env bash
# nsrun.sh [options] ROOT -- CMD...: runs CMD chrooted in ROOT inside private user, mount and pid
# namespaces, so nothing it mounts or registers outlives it or is visible on the host.
#   --qemu PATH     register PATH (a static qemu-aarch64) for aarch64 ELF files in a binfmt_misc
#                   instance private to the user namespace (Linux >= 6.7), flag F (opened now, so
#                   it need not exist inside ROOT): aarch64 programs and their children just run
#   --bind SRC:DST  bind SRC (host path) at DST inside ROOT (DST defaults to SRC)
#   --env K=V       set K=V for CMD (the environment is otherwise cleared)
# The host's DNS settings and CA bundle are bound over ROOT's, read-only.
set -euo pipefail

die() { echo "nsrun: error: $*" >&2; exit 2; }
qemu="" binds=() envs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --qemu) qemu=$2; shift 2 ;;
    --bind) binds+=("$2"); shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) root=$1; shift ;;
  esac
done
[ -n "${root:-}" ] && [ $# -gt 0 ] || die "usage: nsrun.sh [--qemu PATH] [--bind SRC:DST]... [--env K=V]... ROOT -- CMD..."
root=$(cd "$root" && pwd)
[ -x "$root/usr/bin/env" ] || die "$root is not a prepared root (no usr/bin/env): run scripts/arm64/setup.sh"
[ -z "$qemu" ] || [ -x "$qemu" ] || die "qemu not found at $qemu"

# The inner script runs as root of the new user namespace, in new mount and pid namespaces.
inner='
set -euo pipefail
root=$1 qemu=$2 nb=$3; shift 3
binds=("${@:1:$nb}"); shift "$nb"
mount --make-rprivate /
# /dev: a fresh tmpfs with the few nodes programs expect, bound from the host (mknod is refused here)
mount -t tmpfs -o mode=755,nosuid dev "$root/dev"
for n in null zero full random urandom tty; do touch "$root/dev/$n"; mount --bind "/dev/$n" "$root/dev/$n"; done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
if [ -n "$qemu" ]; then
  mkdir "$root/dev/.binfmt"
  if ! mount -t binfmt_misc binfmt_misc "$root/dev/.binfmt" 2>/dev/null; then
    echo "nsrun: error: this kernel cannot mount binfmt_misc inside a user namespace (needs Linux >= 6.7; this is $(uname -r)): aarch64 programs cannot run here" >&2
    exit 3
  fi
  # kept mounted: the registration lives as long as this mount
  # magic/mask: an ELF64 little-endian executable or shared object for machine 0xb7 (aarch64)
  printf "%s" ":qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:$qemu:F" >"$root/dev/.binfmt/register"
fi
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount -t tmpfs -o mode=1777 tmp "$root/tmp"
for f in /etc/resolv.conf /etc/ssl/certs/ca-certificates.crt; do
  if [ -e "$f" ]; then mkdir -p "$root${f%/*}"; touch "$root$f"; mount --bind -o ro "$(readlink -f "$f")" "$root$f"; fi
done
for b in "${binds[@]}"; do
  src=${b%%:*} dst=${b#*:}
  mkdir -p "$root$dst"
  mount --rbind "$src" "$root$dst"
done
exec chroot "$root" /usr/bin/env "$@"
'
exec unshare --map-root-user --mount --pid --fork --kill-child \
  bash -c "$inner" nsrun "$root" "$qemu" "${#binds[@]}" "${binds[@]}" \
  -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb \
  "${envs[@]}" "$@"
