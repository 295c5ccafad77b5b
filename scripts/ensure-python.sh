#!/usr/bin/env bash
# Prints the python of a test venv for Python <version> (3.10, 3.11, 3.12, 3.13), creating it
# once under ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/python-test-<version> with the test
# tools (pytest, pytest-timeout; pinned like bindings-python/requirements-dev.txt). The
# interpreter comes from pyenv (~/.pyenv/versions/<version>.*), else python<version> on PATH.
set -euo pipefail
want="${1:?usage: ensure-python.sh 3.10|3.11|3.12|3.13}"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
venv="$cache/python-test-$want"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.installed" ]; then
  base=""
  for cand in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$want".* 2>/dev/null | sort -V -r); do
    if [ -x "$cand/bin/python$want" ]; then base="$cand/bin/python$want"; break; fi
  done
  [ -n "$base" ] || base="$(command -v "python$want" || true)"
  [ -n "$base" ] || { echo "no Python $want found (pyenv or python$want on PATH)" >&2; exit 1; }
  echo "==> creating the Python $want test venv $venv (from $base)" >&2
  rm -rf "$venv"
  "$base" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==9.2.0" "pytest-timeout==2.4.0" >&2
  touch "$venv/.installed"
fi
echo "$venv/bin/python"
