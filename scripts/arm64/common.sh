# Sourced by the scripts in scripts/arm64/: where things live and small helpers.
# The cache (outside the repo) holds the two roots, the apt state and the tool venv:
#   $PARAMSECRETS_ARM64_CACHE, else ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/arm64
ARM64_CACHE=${PARAMSECRETS_ARM64_CACHE:-${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/arm64}
BUILD_ROOT=$ARM64_CACHE/build-root # amd64 Debian trixie: rustc-web + the arm64 std, qemu-user
RUN_ROOT=$ARM64_CACHE/run-root     # arm64 Debian trixie: python3, nodejs, JDK 25 (under qemu)
TOOLS=$ARM64_CACHE/tools           # host venv: maturin, ziglang (zig), cargo-zigbuild
QEMU=$BUILD_ROOT/usr/bin/qemu-aarch64
TRIPLE=aarch64-unknown-linux-gnu
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NSRUN=$REPO/scripts/arm64/nsrun.sh

die() { echo "arm64: error: $*" >&2; exit 1; }
say() { echo "==> arm64: $*" >&2; }
t0=$SECONDS
lap() { echo "==> arm64: $1 ($((SECONDS - t0)) s)" >&2; }

# Both roots are required: a clear message beats a confusing chroot failure later.
require_roots() {
  [ -e "$BUILD_ROOT/.ready" ] && [ -e "$RUN_ROOT/.ready" ] && [ -e "$TOOLS/.ready" ] ||
    die "the arm64 toolchain is not set up in $ARM64_CACHE: run scripts/arm64/setup.sh (or make arm64)"
}

