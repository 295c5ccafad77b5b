#!/usr/bin/env bash
# Shared by scripts/demo.sh, scripts/examples-test.sh and scripts/examples-env.sh (source it).
#
#   examples_setup             a temp dir, the cleanup trap (EXIT INT TERM)
#   examples_start_mariadb     MariaDB (scripts/mariadb.sh) and the walkthrough's variables
#   examples_start_services    MariaDB + a standalone emulator (for the Rust example, which is
#                              not a Lambda handler), and the environment it reads (exported)
#   example_package LANG       prepares LANG's function; sets EXAMPLE_ARGS for the local Lambda
#   example_invoke LANG N OUT [K=V...]
#                              runs LANG's handler N times in the local Lambda (RIE + AWS's
#                              runtime interface client + the emulator layer as the extension);
#                              writes OUT.out (its report), OUT.json (figures), OUT.log (RIE's log)
#   examples_cleanup           stops what was started, deletes the temp dir (run by the trap)
#
# Every process started here runs in its own process group (setsid) and is stopped by group,
# so a Ctrl-C in the terminal reaches only the script, whose trap stops the rest in order.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# shellcheck source=scripts/mariadb.sh
. "$ROOT/scripts/mariadb.sh"

STORE="${STORE:-$ROOT/examples/store.json}"
EMULATOR="${PARAMSECRETS_EMULATOR:-$ROOT/target/debug/paramsecrets-emulator}"
LOCAL_LAMBDA="$ROOT/scripts/local-lambda/run.sh"
case "$(uname -m)" in aarch64 | arm64) _layer_arch=arm64 ;; *) _layer_arch=x86_64 ;; esac
EMULATOR_LAYER="${PARAMSECRETS_EMULATOR_LAYER:-$ROOT/dist/layers/paramsecrets-emulator-extension-$_layer_arch.zip}"
EXAMPLE_ARGS=()
EXAMPLES_TMP=""
EMULATOR_PID=""
EXAMPLES_CHILD_PGID=""

say() { echo "==> $*"; }

# Runs "$@" in its own process group and waits for it, so the trap can stop it (and its
# children: mvn's JVM, npm's node) by group on Ctrl-C.
# Only the running one is remembered: a finished group's id may be reused by anyone.
run_in_group() {
  setsid "$@" &
  EXAMPLES_CHILD_PGID=$!
  local rc=0
  wait "$EXAMPLES_CHILD_PGID" || rc=$?
  EXAMPLES_CHILD_PGID=""
  return "$rc"
}

_stop_group() {
  local pgid="$1" _
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

examples_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$EXAMPLES_CHILD_PGID" ]; then _stop_group "$EXAMPLES_CHILD_PGID"; EXAMPLES_CHILD_PGID=""; fi
  if [ -n "$EMULATOR_PID" ]; then _stop_group "$EMULATOR_PID"; EMULATOR_PID=""; fi
  mariadb_stop
  if [ -n "$EXAMPLES_TMP" ] && [ -d "$EXAMPLES_TMP" ]; then rm -rf "$EXAMPLES_TMP"; fi
  if [ "${EXAMPLES_QUIET_CLEANUP:-}" != 1 ]; then
    echo "==> stopped MariaDB, the emulator and the local Lambda, deleted the temporary data" >&7
  fi
  exit "$rc"
}

examples_setup() {
  EXAMPLES_TMP="$(mktemp -d "${TMPDIR:-/tmp}/paramsecrets-examples.XXXXXX")"
  # The script's own stdout/stderr, kept for the traps: a signal can arrive while a function
  # runs with its output redirected to a log.
  exec 7>&1 8>&2
  trap examples_cleanup EXIT
  trap 'echo >&7; echo "==> interrupted" >&7; exit 130' INT
  trap 'exit 143' TERM
}

_start_emulator() {
  [ -x "$EMULATOR" ] || { echo "no emulator at $EMULATOR (run: make emulator)" >&2; return 1; }
  # The token reaches the emulator through its environment (AWS_SESSION_TOKEN), not argv.
  setsid "$EMULATOR" --store "$STORE" --port 0 --dialect extension --verbose \
    >"$EXAMPLES_TMP/emulator.out" 2>"$EXAMPLES_TMP/emulator.log" </dev/null &
  EMULATOR_PID=$!
  local line="" _
  for _ in $(seq 1 100); do
    line="$(head -n1 "$EXAMPLES_TMP/emulator.out" 2>/dev/null || true)"
    [ -n "$line" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.05
  done
  case "$line" in
    "listening on 127.0.0.1:"*) ;;
    *) echo "the emulator did not start; its stderr:" >&2; tail -20 "$EXAMPLES_TMP/emulator.log" >&2; return 1 ;;
  esac
  EMULATOR_PORT="${line#listening on 127.0.0.1:}"
  EMULATOR_PORT="${EMULATOR_PORT%% *}"
}

examples_start_mariadb() {
  mariadb_ensure_installed || return 1
  say "starting a throwaway MariaDB on 127.0.0.1:$(mariadb_secret_field "$STORE" port) (data in $EXAMPLES_TMP)"
  mariadb_start "$EXAMPLES_TMP" "$STORE" || return 1
  echo "    $MARIADB_VERSION, database and user created from the secret ${CREDS_PATH:-dev/demoapp/db}"
  # The walkthrough's own variables: /ENV/APP_CONFIG_PATH is the parameter, CREDS_PATH the secret.
  export ENV="${ENV:-dev}" APP_CONFIG_PATH="${APP_CONFIG_PATH:-demoapp/config}"
  export CREDS_PATH="${CREDS_PATH:-dev/demoapp/db}"
}

example_package() {
  local layer
  case "$1" in
    python)
      layer="$("$ROOT/examples/python/package.sh")" || return 1
      EXAMPLE_ARGS=(--lang python --task-root "$ROOT/examples/python"
                    --handler lambda_function.lambda_handler --layer "$layer") ;;
    node)
      "$ROOT/examples/node/package.sh" || return 1
      EXAMPLE_ARGS=(--lang node --task-root "$ROOT/examples/node" --handler index.handler) ;;
    java)
      "$ROOT/examples/java/package.sh" || return 1
      EXAMPLE_ARGS=(--lang java --task-root "$ROOT/examples/java/target/lambda"
                    --handler example.Handler::handleRequest) ;;
    *) echo "no example for $1" >&2; return 1 ;;
  esac
}

example_invoke() {
  local lang="$1" n="$2" out="$3" kv
  shift 3
  [ -f "$EMULATOR_LAYER" ] || { echo "no $EMULATOR_LAYER (run: make layers)" >&2; return 1; }
  example_package "$lang" || return 1
  local envs=(--env "AWS_LAMBDA_FUNCTION_NAME=demoapp-$lang" --env "ENV=$ENV"
              --env "APP_CONFIG_PATH=$APP_CONFIG_PATH" --env "CREDS_PATH=$CREDS_PATH")
  for kv in "$@"; do envs+=(--env "$kv"); done
  # TMPDIR: the run's private /opt lives in our temp dir, deleted with it whatever happens.
  TMPDIR="$EXAMPLES_TMP" run_in_group "$LOCAL_LAMBDA" "${EXAMPLE_ARGS[@]}" --layer "$EMULATOR_LAYER" \
    --store "$STORE" "${envs[@]}" -n "$n" --extension-stats --json "$out.json" --log "$out.log" >"$out.out"
}

examples_start_services() {
  examples_start_mariadb || return 1

  # What the Lambda runtime and the extension layer put in a function's environment.
  AWS_SESSION_TOKEN="local-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  export AWS_SESSION_TOKEN
  export AWS_ACCESS_KEY_ID="ASIALOCALEXAMPLE0000"
  export AWS_SECRET_ACCESS_KEY="local-example-not-a-real-key"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_DEFAULT_REGION="$AWS_REGION"
  export AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 AWS_LAMBDA_FUNCTION_VERSION="\$LATEST"
  export AWS_LAMBDA_INITIALIZATION_TYPE=on-demand

  say "starting the extension emulator (store $(basename "$STORE"))"
  _start_emulator || return 1
  export PARAMETERS_SECRETS_EXTENSION_HTTP_PORT="$EMULATOR_PORT"
  echo "    listening on 127.0.0.1:$EMULATOR_PORT, dialect extension"
}

# Sets the per-function variables (as Lambda does for each function) for language $1.
lambda_function_env() {
  export AWS_LAMBDA_FUNCTION_NAME="demoapp-$1"
  export AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/demoapp-$1"
  AWS_LAMBDA_LOG_STREAM_NAME="$(date +%Y/%m/%d)/[\$LATEST]local"
  export AWS_LAMBDA_LOG_STREAM_NAME
  case "$1" in
    python) export AWS_EXECUTION_ENV=AWS_Lambda_python3.11 ;;
    node) export AWS_EXECUTION_ENV=AWS_Lambda_nodejs22.x ;;
    java) export AWS_EXECUTION_ENV=AWS_Lambda_java25 ;;
    *) export AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023 ;;
  esac
}

# GET /_emulator/stats (counts only, never values).
emulator_stats() {
  python3 - "$EMULATOR_PORT" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_emulator/stats", timeout=5) as r:
    print(json.dumps(json.load(r)))
PY
}

emulator_reset() {
  python3 - "$EMULATOR_PORT" <<'PY'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/_emulator/reset", method="POST"), timeout=5).read()
PY
}
