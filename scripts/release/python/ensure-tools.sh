#!/usr/bin/env bash
# Prints the folder of the Python release-tools venv, creating or updating it first:
#   ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/release-python
#     bin/            twine, auditwheel, abi3audit, pypi-server (requirements.txt beside this file)
#     wheelhouse/     the build backend a PyPI user's pip fetches to build the sdist (maturin, pinned
#                     like bindings-python/requirements-dev.txt, and the tomli it needs on < 3.11);
#                     test.sh serves these on its local index next to paramsecrets
# Idempotent: nothing is downloaded again while the pins are unchanged. This is the only step that
# reaches PyPI (through the machine's pip configuration); the release test itself stays on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/release-python"
reqs="$here/requirements.txt"
maturin_pin="$(grep -E '^maturin==' "$repo/bindings-python/requirements-dev.txt")"
backend="$maturin_pin tomli==2.5.0"
stamp="$venv/.installed"
want="$(cat "$reqs"; echo "backend: $backend")"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing the Python release tools into $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$reqs" >&2
  rm -rf "$venv/wheelhouse"
  # maturin: this machine's wheel; tomli: its pure-Python wheel, for every interpreter
  # shellcheck disable=SC2086 # one word per requirement
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$venv/wheelhouse" $maturin_pin >&2
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform any --python-version 3.9 --implementation py -d "$venv/wheelhouse" tomli==2.5.0 >&2
  printf '%s\n' "$want" >"$stamp"
fi
echo "$venv"
