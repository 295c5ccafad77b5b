#!/usr/bin/env bash
# Installs cargo-zigbuild and zig (both from PyPI: `cargo-zigbuild`, `ziglang`) once into a venv
# outside the repo and prints that venv's bin folder (put it first on PATH: cargo-zigbuild runs zig as
# `python3 -m ziglang` from there). Used to link native
# libraries against an old glibc (e.g. x86_64-unknown-linux-gnu.2.17) so they load on Amazon
# Linux 2 as well as 2023.
set -euo pipefail
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
venv="$cache/zigbuild"
bin="$venv/bin/cargo-zigbuild"
if [ ! -x "$bin" ] || [ ! -x "$venv/bin/python-zig" ]; then
  echo "==> installing cargo-zigbuild and ziglang into $venv (one time)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cargo-zigbuild==0.24.*" "ziglang==0.17.*" >&2
fi
echo "$venv/bin"
