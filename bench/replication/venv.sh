#!/usr/bin/env bash
# Creates (once) the benchmark venv outside the repo and prints its python's path.
# Idempotent: re-installs only when requirements.txt or the paramsecrets wheel changed.
#   PARAMSECRETS_CACHE  cache root (default ~/.cache/paramsecrets)
#   PARAMSECRETS_WHEEL  a paramsecrets wheel to install (default: the newest of this machine's
#                       architecture in bindings-python/dist/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
venv="$cache/bench-venv"
py="$venv/bin/python"

if [[ ! -x "$py" ]]; then
  echo "venv.sh: creating $venv" >&2
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
fi
want="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
if [[ "$(cat "$venv/.requirements" 2>/dev/null)" != "$want" ]]; then
  echo "venv.sh: installing requirements" >&2
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" > "$venv/.requirements"
fi

wheel="${PARAMSECRETS_WHEEL:-$(ls -t "$repo"/bindings-python/dist/paramsecrets-*_"$(uname -m)".whl 2>/dev/null | head -1 || true)}"
if [[ -n "$wheel" && -f "$wheel" ]]; then
  sum="$(sha256sum "$wheel" | cut -c1-16)"
  if [[ "$(cat "$venv/.wheel" 2>/dev/null)" != "$sum" ]]; then
    echo "venv.sh: installing $(basename "$wheel")" >&2
    "$py" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel" >&2
    echo "$sum" > "$venv/.wheel"
  fi
fi
echo "$py"
