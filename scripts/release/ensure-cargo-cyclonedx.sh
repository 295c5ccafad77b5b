#!/usr/bin/env bash
# Prints the path of cargo-cyclonedx (pinned), installed once from crates.io with
# `cargo install --locked` into ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/cargo-cyclonedx-<v>
# (about 4 minutes of compiling on 2 cores, the first time only).
set -euo pipefail
version=0.5.9
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
root="$cache/cargo-cyclonedx-$version"
if [ ! -x "$root/bin/cargo-cyclonedx" ]; then
  echo "==> installing cargo-cyclonedx $version from crates.io (one time)" >&2
  rm -rf "$root.tmp"
  cargo install --quiet --locked --version "$version" --root "$root.tmp" cargo-cyclonedx >&2
  rm -rf "$root" && mv "$root.tmp" "$root"
fi
echo "$root/bin/cargo-cyclonedx"
