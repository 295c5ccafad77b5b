#!/usr/bin/env bash
# Installs the documentation tools, idempotently, outside the repo, and prints nothing but
# progress on stderr:
#   ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/docs-venv  mkdocs, mkdocs-material, mkdocstrings(-python), griffe
#   ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/docs-node  typedoc, puppeteer-core (with Node 22)
#   Debian's chromium (apt), for scripts/docs/browser-test
# Each part is skipped when its stamp says the pinned versions are already there.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
venv="$cache/docs-venv"
nodedir="$cache/docs-node"

PY_PINS=(mkdocs==1.6.1 mkdocs-material==9.8.1 mkdocstrings==1.0.8 mkdocstrings-python==2.0.11 ruff==0.17.6)
NODE_PINS=(typedoc@0.28.20 typescript@5.9.3 puppeteer-core@25.16.0)

py_stamp="$venv/.installed-$(printf '%s ' "${PY_PINS[@]}" | sha256sum | cut -c1-16)"
if [ ! -e "$py_stamp" ]; then
  echo "==> docs: installing ${PY_PINS[*]} into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PINS[@]}" >&2
  touch "$py_stamp"
fi

node_stamp="$nodedir/.installed-$(printf '%s ' "${NODE_PINS[@]}" | sha256sum | cut -c1-16)"
if [ ! -e "$node_stamp" ]; then
  nodebin="$("$repo/scripts/ensure-node.sh" 22)"
  echo "==> docs: installing ${NODE_PINS[*]} into $nodedir (Node 22)" >&2
  rm -rf "$nodedir"
  mkdir -p "$nodedir"
  printf '{"name":"paramsecrets-docs-tools","private":true}\n' >"$nodedir/package.json"
  (cd "$nodedir" && PATH="$nodebin:$PATH" PUPPETEER_SKIP_DOWNLOAD=1 \
    npm install --silent --no-audit --no-fund --save-exact "${NODE_PINS[@]}" >&2)
  touch "$node_stamp"
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> docs: installing Debian's chromium (apt)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium fonts-dejavu-core >&2
fi
