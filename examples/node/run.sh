#!/usr/bin/env bash
# Runs the Node.js walkthrough handler through its local invoker: examples/node/run.sh [N]
# With --install-only it prepares everything and runs nothing.
# Needs bindings-node built (`make -C bindings-node build`: the .node file and lib/) and the
# environment from scripts/examples-env.sh. paramsecrets is linked from ../../bindings-node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if ! ls ../../bindings-node/paramsecrets.*.node >/dev/null 2>&1; then
  echo "bindings-node is not built (no paramsecrets.*.node): run make -C bindings-node build" >&2
  exit 1
fi
stamp="$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat node_modules/.paramsecrets-stamp 2>/dev/null)" != "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$stamp" >node_modules/.paramsecrets-stamp
fi
[ "${1:-}" != --install-only ] || exit 0
exec node invoke.mjs "$@"
