#!/usr/bin/env bash
# Installs uniffi-bindgen-java (pinned to pair with uniffi 0.32) once into a cache folder outside
# the repo and prints the binary's path. `cargo install` takes ~8 minutes on 2 cores, so every
# later run (and CI on a reused machine) reuses the cached binary.
set -euo pipefail
version=0.5.2
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
root="$cache/uniffi-bindgen-java-$version"
bin="$root/bin/uniffi-bindgen-java"
if [ ! -x "$bin" ]; then
  echo "==> installing uniffi-bindgen-java $version into $root (one time, several minutes)" >&2
  mkdir -p "$root"
  CARGO_TARGET_DIR="$cache/cargo-install-target" \
    cargo install --quiet --locked --root "$root" uniffi-bindgen-java --version "$version" >&2
  rm -rf "$cache/cargo-install-target"
fi
echo "$bin"
