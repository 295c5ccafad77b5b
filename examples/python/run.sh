#!/usr/bin/env bash
# Runs the Python walkthrough handler through its local invoker: examples/python/run.sh [N]
# With --install-only it prepares everything and runs nothing.
# Needs the wheel built by `make -C bindings-python wheel` (bindings-python/dist/) and the
# environment from scripts/examples-env.sh. The venv lives outside the repo and is reused;
# it is refreshed when requirements.txt or the wheel changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/examples-python"
python="${PYTHON:-python3}"

shopt -s nullglob
wheels=("$root"/bindings-python/dist/paramsecrets-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "expected one wheel in bindings-python/dist/, found ${#wheels[@]}: run make -C bindings-python wheel" >&2
  exit 1
fi
stamp="$(cat "$here/requirements.txt" "${wheels[0]}" | sha256sum | cut -c1-16)"
if [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "${wheels[0]}"
  echo "$stamp" >"$venv/.stamp"
fi
[ "${1:-}" != --install-only ] || exit 0
exec "$venv/bin/python" "$here/invoke.py" "$@"
