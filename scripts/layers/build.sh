#!/usr/bin/env bash
# Packs the three paramsecrets packages as Lambda layer zips, in the layout each runtime puts on
# its search path when the layer is unpacked on /opt:
#
#   dist/layers/paramsecrets-python-<arch>.zip   python/                  (the installed wheel)
#   dist/layers/paramsecrets-nodejs-<arch>.zip   nodejs/node_modules/paramsecrets/ and
#                                                nodejs/node_modules/paramsecrets-<platform>/
#   dist/layers/paramsecrets-java-<arch>.zip     java/lib/paramsecrets-<version>.jar
#
#   scripts/layers/build.sh [--arch x86_64|arm64] [--from-installs DIR] [python] [nodejs] [java]
#                                                                       (default: all three)
#
# It packs what the bindings' builds left behind; it builds nothing (the Makefile's `layers`
# target builds the packages first). Where the artefacts come from, per architecture:
#   python  the one wheel in bindings-python/dist/ tagged for the architecture
#           (…_x86_64.whl / …_aarch64.whl), or $PARAMSECRETS_WHEEL
#   nodejs  `npm pack` of bindings-node (no native module), and the architecture's platform
#           package: bindings-node/npm/<platform>/package.json with the native module
#           (paramsecrets.linux-x64-gnu.node / paramsecrets.linux-arm64-gnu.node), taken from
#           bindings-node/ or $PARAMSECRETS_NODE_ADDON
#   java    bindings-java/target/paramsecrets-<version>.jar, or $PARAMSECRETS_JAR; the jar must
#           carry the architecture's native library (linux-x86-64/ or linux-aarch64/)
# With --from-installs DIR (make release-test) it packs what installs from the registries left
# there instead: DIR/python-<arch>/ (pip install --platform … --target), DIR/nodejs-<arch>/
# node_modules/ (npm install --cpu …), DIR/java/paramsecrets-<version>.jar (resolved by Maven).
# A zip is written to a temporary name and renamed when complete; file times and order are
# fixed, so the same inputs give the same bytes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${PARAMSECRETS_LAYERS_DIR:-$ROOT/dist/layers}"
CACHE="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")"

arch=x86_64
from=""
packages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="${2:?--arch needs x86_64 or arm64}"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    --from-installs) from="${2:?--from-installs needs a folder}"; shift 2 ;;
    python|nodejs|java) packages+=("$1"); shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#packages[@]} -gt 0 ] || packages=(python nodejs java)

# Each ecosystem spells the architecture its own way.
case "$arch" in
  x86_64) wheel_arch=x86_64 node_triple=linux-x64-gnu jar_dir=linux-x86-64 ;;
  arm64) wheel_arch=aarch64 node_triple=linux-arm64-gnu jar_dir=linux-aarch64 ;;
  *) echo "unknown architecture: $arch (x86_64 or arm64, as Lambda names them)" >&2; exit 2 ;;
esac

say() { echo "==> layers: $*" >&2; }
die() { echo "layers: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/paramsecrets-layers.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"

# zip_tree DIR ZIP: a reproducible zip of DIR's contents (fixed times, sorted names, no extra
# attributes), written next to ZIP and renamed into place.
zip_tree() {
  local dir="$1" zip="$2"
  find "$dir" -exec touch -h -d '2000-01-01T00:00:00Z' {} +
  rm -f "$zip.tmp"
  (cd "$dir" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' | TZ=UTC zip -q -X -D -@ "$zip.tmp")
  mv "$zip.tmp" "$zip"
  say "wrote ${zip#"$ROOT"/} ($(du -k "$zip" | cut -f1) KiB)"
}

# A pip that can install a wheel for another platform into a folder (the host python may have
# no pip of its own).
pip_venv() {
  local venv="$CACHE/layers-pip"
  if [ ! -x "$venv/bin/pip" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
  fi
  echo "$venv/bin/pip"
}

layer_python() {
  if [ -n "$from" ]; then
    # What `pip install --platform … --target` put in a folder, as it is.
    local src="$from/python-$arch"
    [ -f "$src/paramsecrets/__init__.py" ] || die "no $src/paramsecrets (scripts/release/python/test.sh leaves it)"
    mkdir -p "$work/python-tree"
    cp -a "$src" "$work/python-tree/python"
    find "$work/python-tree/python" -name __pycache__ -prune -exec rm -rf {} +
    rm -rf "$work/python-tree/python/bin"
    zip_tree "$work/python-tree" "$OUT/paramsecrets-python-$arch.zip"
    return
  fi
  local wheel="${PARAMSECRETS_WHEEL:-}"
  if [ -z "$wheel" ]; then
    shopt -s nullglob
    local found=("$ROOT"/bindings-python/dist/paramsecrets-"$VERSION"-*_"$wheel_arch".whl)
    shopt -u nullglob
    [ ${#found[@]} -eq 1 ] || die "expected one $wheel_arch wheel of $VERSION in bindings-python/dist/, found ${#found[@]} (make -C bindings-python wheel)"
    wheel="${found[0]}"
  fi
  local tree="$work/python-tree"
  mkdir -p "$tree/python"
  # Installed, not unzipped: the .dist-info (RECORD, INSTALLER) is what pip and importlib.metadata
  # read. --platform/--implementation/--abi let a wheel for the other architecture in.
  "$(pip_venv)" install -q --disable-pip-version-check --no-deps --no-compile \
    --only-binary=:all: --implementation cp --python-version 3.10 --abi abi3 \
    --platform "manylinux2014_$wheel_arch" --target "$tree/python" "$wheel" >&2
  [ -f "$tree/python/paramsecrets/__init__.py" ] || die "the wheel installed no paramsecrets package"
  # pip records where it installed from (this machine's path to the wheel): not the layer's
  # business, and it would make the zip differ between checkouts.
  local info
  info="$(echo "$tree"/python/paramsecrets-*.dist-info)"
  rm -f "$info/direct_url.json"
  sed -i '/\/direct_url\.json,/d' "$info/RECORD"
  zip_tree "$tree" "$OUT/paramsecrets-python-$arch.zip"
}

layer_nodejs() {
  local tree="$work/nodejs-tree" modules="$work/nodejs-tree/nodejs/node_modules"
  local platform_pkg="paramsecrets-$node_triple" addon_name="paramsecrets.$node_triple.node"
  mkdir -p "$modules"
  if [ -n "$from" ]; then
    # What `npm install` put in a project's node_modules: the main package and the one
    # platform package npm picked (npm's own .package-lock.json is not the layer's business).
    local src="$from/nodejs-$arch/node_modules"
    [ -d "$src/paramsecrets" ] || die "no $src/paramsecrets (scripts/release/node/test.sh leaves it)"
    cp -a "$src/paramsecrets" "$src/$platform_pkg" "$modules/"
  else
    local pkg_dir="$ROOT/bindings-node" addon="${PARAMSECRETS_NODE_ADDON:-}"
    [ -f "$pkg_dir/native.js" ] || die "bindings-node is not built (make -C bindings-node build)"
    [ -n "$addon" ] || addon="$pkg_dir/$addon_name"
    [ -f "$addon" ] || die "no $addon_name in bindings-node/ (set PARAMSECRETS_NODE_ADDON for a cross build)"
    mkdir -p "$work/npm"
    # npm pack applies package.json's "files": the package as the registry would carry it; the
    # native module goes in the platform package, as `npm install` would lay them out.
    local tgz
    tgz="$(cd "$pkg_dir" && npm pack --silent --pack-destination "$work/npm" | tail -n1)"
    tar -xzf "$work/npm/$tgz" -C "$work/npm"
    find "$work/npm/package" -maxdepth 1 -name 'paramsecrets.*.node' -delete
    mv "$work/npm/package" "$modules/paramsecrets"
    mkdir -p "$modules/$platform_pkg"
    cp "$pkg_dir/npm/$node_triple/package.json" "$modules/$platform_pkg/"
    [ ! -f "$pkg_dir/npm/$node_triple/README.md" ] || cp "$pkg_dir/npm/$node_triple/README.md" "$modules/$platform_pkg/"
    cp "$addon" "$modules/$platform_pkg/$addon_name"
  fi
  [ -f "$modules/$platform_pkg/$addon_name" ] || die "no $addon_name in $platform_pkg"
  zip_tree "$tree" "$OUT/paramsecrets-nodejs-$arch.zip"
}

layer_java() {
  local jar="${PARAMSECRETS_JAR:-$ROOT/bindings-java/target/paramsecrets-$VERSION.jar}"
  # The jar a fresh Maven project resolved from the registry.
  [ -z "$from" ] || jar="$from/java/paramsecrets-$VERSION.jar"
  [ -f "$jar" ] || die "no $jar (make -C bindings-java jar)"
  # The listing first: `unzip | grep -q` fails under pipefail when grep stops reading early.
  local entries
  entries="$(unzip -Z1 "$jar")" || die "cannot list $jar"
  grep -q "^$jar_dir/lib.*\.so$" <<<"$entries" || die "$(basename "$jar") carries no $jar_dir/ native library"
  local tree="$work/java-tree"
  mkdir -p "$tree/java/lib"
  cp "$jar" "$tree/java/lib/paramsecrets-$VERSION.jar"
  zip_tree "$tree" "$OUT/paramsecrets-java-$arch.zip"
}

for p in "${packages[@]}"; do "layer_$p"; done
