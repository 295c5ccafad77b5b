#!/usr/bin/env bash
# Prepares the Python function for the local Lambda: its dependencies (requirements.txt and the
# wheel from bindings-python/dist/) as a layer folder, as you would ship them in a layer:
# python/ -> /opt/python, on the runtime's path. Prints that folder. The code itself is this
# directory (LAMBDA_TASK_ROOT). Rebuilt only when requirements.txt or the wheel changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
layer="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/examples-python/layer"
shopt -s nullglob
# This machine's wheel only (after `make arm64` an aarch64 one sits beside it).
wheels=("$root"/bindings-python/dist/paramsecrets-*_"$(uname -m)".whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "expected one wheel in bindings-python/dist/, found ${#wheels[@]}: run make -C bindings-python wheel" >&2
  exit 1
fi
stamp="$(cat "$here/requirements.txt" "${wheels[0]}" | sha256sum | cut -c1-16)"
if [ "$(cat "$layer/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$layer"
  mkdir -p "$layer"
  "${PYTHON:-python3}" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-compile \
    --target "$layer/python" -r "$here/requirements.txt" "${wheels[0]}" >&2
  echo "$stamp" >"$layer/.stamp"
fi
echo "$layer"
