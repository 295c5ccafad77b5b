#!/usr/bin/env bash
# Prepares the Node.js function for the local Lambda: `npm ci` here (mysql2, and paramsecrets
# linked from ../../bindings-node), as the function's zip would hold them. The code and its
# node_modules are this directory (LAMBDA_TASK_ROOT). Prints nothing; reruns npm ci only when
# package-lock.json changes.
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
