#!/usr/bin/env bash
# scripts/build-emulator-layer.sh [--target TRIPLE] [--binary PATH] — the emulator as a Lambda
# layer:
#   dist/layers/paramsecrets-emulator-extension-<arch>.zip
# holding extensions/paramsecrets-emulator (mode 0755), which Lambda extracts to /opt and
# starts as an external extension (see emulator/README.md, "As a Lambda extension").
#
# <arch> is Lambda's name for the target's CPU (x86_64 or arm64), derived from --target (or
# $CARGO_BUILD_TARGET), else from this machine. Release build, stripped. --binary PATH packs
# an emulator built and stripped elsewhere instead (scripts/arm64/build.sh: the aarch64 one,
# which this machine's cargo and strip cannot make); give --target for its arch. Zipped with `zip`
# when installed, else with python3's zipfile; both keep the executable bit, which Lambda
# needs to start the file. Idempotent: the zip is rebuilt from scratch every time.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

target="${CARGO_BUILD_TARGET:-}"
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:?--target needs a triple}"; shift 2 ;;
    --target=*) target="${1#--target=}"; shift ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    *) echo "usage: scripts/build-emulator-layer.sh [--target TRIPLE] [--binary PATH]" >&2; exit 2 ;;
  esac
done
[ -z "$binary" ] || [ -f "$binary" ] || { echo "build-emulator-layer: no emulator at $binary" >&2; exit 1; }

cpu="${target%%-*}"
[ -n "$cpu" ] || cpu="$(uname -m)"
case "$cpu" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "build-emulator-layer: Lambda has no $cpu architecture (x86_64 or arm64)" >&2; exit 1 ;;
esac
if [ -n "$binary" ]; then
  # ELF e_machine (bytes 18-19, little-endian): 62 x86-64, 183 aarch64.
  machine="$(od -An -tu2 -j18 -N2 "$binary" | tr -d ' ')"
  want="$([ "$arch" = arm64 ] && echo 183 || echo 62)"
  [ "$machine" = "$want" ] || { echo "build-emulator-layer: $binary is ELF machine $machine, not $arch ($want): give its --target" >&2; exit 1; }
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/extensions"
if [ -n "$binary" ]; then
  install -m 0755 "$binary" "$stage/extensions/paramsecrets-emulator"
else
  cargo_args=(build --release --locked -p paramsecrets-emulator)
  bin_dir="$repo/target/release"
  if [ -n "$target" ]; then
    cargo_args+=(--target "$target")
    bin_dir="$repo/target/$target/release"
  fi
  echo "==> building the emulator (release${target:+, $target})"
  "${CARGO:-cargo}" "${cargo_args[@]}"
  install -m 0755 "$bin_dir/paramsecrets-emulator" "$stage/extensions/paramsecrets-emulator"
  # The release profile drops debug info; this drops the symbol table too. A cross build needs
  # that target's strip: $STRIP names it (e.g. aarch64-linux-gnu-strip).
  strip_tool="${STRIP:-strip}"
  if [ -z "$target" ] || [ -n "${STRIP:-}" ]; then
    "$strip_tool" "$stage/extensions/paramsecrets-emulator"
  else
    echo "build-emulator-layer: cross build without \$STRIP: not stripping" >&2
  fi
fi

out_dir="$repo/dist/layers"
zip_path="$out_dir/paramsecrets-emulator-extension-$arch.zip"
mkdir -p "$out_dir"
rm -f "$zip_path"
if command -v zip > /dev/null; then
  (cd "$stage" && zip -q -X -r "$zip_path" extensions)
else
  python3 - "$stage" "$zip_path" << 'EOF'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    d = zipfile.ZipInfo("extensions/")
    d.create_system = 3  # Unix, so external_attr holds a mode
    d.external_attr = (0o40755 << 16) | 0x10
    z.writestr(d, b"")
    path = os.path.join(stage, "extensions", "paramsecrets-emulator")
    info = zipfile.ZipInfo.from_file(path, "extensions/paramsecrets-emulator")
    info.create_system = 3
    info.external_attr = 0o100755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(path, "rb") as f:
        z.writestr(info, f.read())
EOF
fi

size=$(wc -c < "$zip_path")
echo "==> $zip_path ($((size / 1024)) KiB): extensions/paramsecrets-emulator"
