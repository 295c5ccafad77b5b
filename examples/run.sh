#!/usr/bin/env bash
# Runs one walkthrough handler in the local Lambda, by hand:
#
#   examples/run.sh python|node|java [N] [K=V...]
#
# Starts a throwaway MariaDB, prepares the function (examples/<lang>/package.sh), runs it N times
# (default 5) under AWS's Runtime Interface Emulator in AWS's runtime interface client with the
# emulator layer as the extension (scripts/local-lambda/run.sh), prints each response, INIT
# REPORT and the invoke durations, then stops everything, also on failure or Ctrl-C.
# K=V pairs override the function's environment, e.g. CREDS_PATH=dev/demoapp/nope.
# Needs the packages built (make -C bindings-python wheel / bindings-node build /
# bindings-java jar) and the layer (make layers).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/examples-lib.sh"
lang="${1:?usage: examples/run.sh python|node|java [N] [K=V...]}"
n="${2:-5}"
shift $(( $# >= 2 ? 2 : 1 ))
examples_setup
examples_start_mariadb
say "$lang: $n invocations in the local Lambda (log: RIE's whole output below the report)"
rc=0
example_invoke "$lang" "$n" "$EXAMPLES_TMP/$lang" "$@" || rc=$?
cat "$EXAMPLES_TMP/$lang.out"
echo "--- RIE, runtime and extension log:"
cat "$EXAMPLES_TMP/$lang.log"
exit "$rc"
