#!/usr/bin/env bash
# Builds the native library (JNI entry points) and stages the stripped copy that goes into the
# jar at target/native/linux-x86-64/libparamsecrets_java.so (never committed).
#
# The library is linked against glibc 2.17 symbols (cargo-zigbuild, from PyPI, into a cached
# venv) so that it loads on every Lambda Java runtime: java17 runs on Amazon Linux 2 (glibc
# 2.26), java21 and java25 on Amazon Linux 2023 (glibc 2.34); this machine's glibc is newer.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
triple=x86_64-unknown-linux-gnu
glibc=2.17

zig_bin="$("$repo/scripts/ensure-cargo-zigbuild.sh")"
# --profile release-jar (Cargo.toml): fat LTO, so both architectures fit one stored jar.
echo "==> cargo zigbuild --profile release-jar -p paramsecrets-java --target $triple.$glibc" >&2
(cd "$repo" && PATH="$zig_bin:$PATH" cargo-zigbuild zigbuild --profile release-jar -p paramsecrets-java --target "$triple.$glibc")
lib="$target_dir/$triple/release-jar/libparamsecrets_java.so"

native="$here/target/native/linux-x86-64"
mkdir -p "$native"
strip --strip-all -o "$native/libparamsecrets_java.so.tmp" "$lib"
mv "$native/libparamsecrets_java.so.tmp" "$native/libparamsecrets_java.so"
echo "==> native library $(stat -c %s "$native/libparamsecrets_java.so") bytes (stripped) at $native" >&2
