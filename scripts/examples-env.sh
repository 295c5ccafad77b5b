#!/usr/bin/env bash
# Starts the walkthrough's MariaDB and the extension emulator, prints the environment a handler
# needs, and keeps both running until Ctrl-C (then stops them and deletes their data).
#
#   scripts/examples-env.sh                  # terminal 1
#   source /tmp/paramsecrets-examples.env; cargo run -p paramsecrets --example walkthrough   # terminal 2
#
# For the Lambda handlers use examples/run.sh instead: it runs them in the local Lambda, with
# the emulator inside it as the extension.
#
# The environment is also written to $PARAMSECRETS_EXAMPLES_ENV
# (default /tmp/paramsecrets-examples.env) for `source`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/examples-lib.sh"

envfile="${PARAMSECRETS_EXAMPLES_ENV:-${TMPDIR:-/tmp}/paramsecrets-examples.env}"
examples_setup
trap 'rm -f "$envfile"; examples_cleanup' EXIT
[ -x "$EMULATOR" ] || { say "building the emulator"; (cd "$ROOT" && cargo build -q -p paramsecrets-emulator); }
examples_start_services
lambda_function_env local
{
  for v in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID \
           AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION AWS_LAMBDA_FUNCTION_NAME \
           AWS_LAMBDA_FUNCTION_MEMORY_SIZE AWS_LAMBDA_FUNCTION_VERSION ENV APP_CONFIG_PATH CREDS_PATH; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
} >"$envfile"
chmod 600 "$envfile"
echo
echo "Ready. In another terminal:"
echo "    source $envfile"
echo "    cargo run -p paramsecrets --example walkthrough      # or your own program or tests"
echo "(The Lambda handlers run in the local Lambda instead: examples/run.sh python|node|java.)"
echo "Emulator requests are logged to $EXAMPLES_TMP/emulator.log. Ctrl-C here stops everything."
while kill -0 "$EMULATOR_PID" 2>/dev/null && kill -0 "$MARIADB_PID" 2>/dev/null; do sleep 1; done
echo "a service exited" >&2
exit 1
