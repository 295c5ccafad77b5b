#!/usr/bin/env bash
# Smoke tests of the walkthrough examples (called by `make test`): the Python, Node.js and Java
# handlers in the local Lambda (AWS's Runtime Interface Emulator, AWS's runtime interface client,
# the emulator layer as the extension) and the Rust example against a standalone emulator, all
# with a real MariaDB.
#
# For each language it asserts: the success response with the server's real version, the L1
# counters of 3 invocations (2 misses, 4 hits, 2 requests), one request per key at the
# emulator, the statusCode 500 response naming `not_found_or_denied` for a wrong secret name,
# and that the database password appears in no output or log. Exits non-zero on any failure.
#
#   scripts/examples-test.sh              uses the packages already built (builds a missing one)
#   EXAMPLES_BUILD=1 scripts/examples-test.sh    rebuilds all three first
#   EXAMPLES_LANGS="python node" ...      a subset
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/examples-lib.sh"

N="${EXAMPLES_INVOCATIONS:-3}"
LANGS="${EXAMPLES_LANGS:-python node java rust}"
WRONG_SECRET="dev/demoapp/no-such-secret"
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
examples_setup

passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
show() { sed 's/^/    | /' "$@"; }

build() { # build LANG: make the package when missing (or always with EXAMPLES_BUILD=1)
  local have=0
  case "$1" in
    python) ls bindings-python/dist/paramsecrets-*_"$(uname -m)".whl >/dev/null 2>&1 && have=1 ;;
    node) ls bindings-node/paramsecrets.*.node >/dev/null 2>&1 && have=1 ;;
    java) [ -f "bindings-java/target/paramsecrets-$VERSION.jar" ] && have=1 ;;
    rust) have=0 ;; # cargo decides
  esac
  [ "$have" = 1 ] && [ "${EXAMPLES_BUILD:-0}" != 1 ] && return 0
  local cmd
  case "$1" in
    python) cmd=(make -C bindings-python wheel) ;;
    node) cmd=(make -C bindings-node build) ;;
    java) cmd=(make -C bindings-java jar) ;;
    rust) cmd=(cargo build -q -p paramsecrets --example walkthrough) ;;
  esac
  say "building: ${cmd[*]}"
  if ! run_in_group "${cmd[@]}" >"$EXAMPLES_TMP/build-$1.log" 2>&1; then
    tail -n 40 "$EXAMPLES_TMP/build-$1.log" >&2
    echo "building $1 failed" >&2
    exit 1
  fi
}

[ -x "$EMULATOR" ] || build_emulator=1
if [ "${build_emulator:-0}" = 1 ]; then run_in_group cargo build -q -p paramsecrets-emulator; fi
for lang in $LANGS; do build "$lang"; done
if [ "$LANGS" != rust ]; then
  [ -f "$EMULATOR_LAYER" ] || run_in_group scripts/build-emulator-layer.sh >"$EXAMPLES_TMP/layer.log" 2>&1 ||
    { cat "$EXAMPLES_TMP/layer.log" >&2; exit 1; }
  run_in_group scripts/local-lambda/install.sh >"$EXAMPLES_TMP/local-lambda.log" 2>&1 ||
    { cat "$EXAMPLES_TMP/local-lambda.log" >&2; exit 1; }
fi
for lang in $LANGS; do
  # package each function with its own dependencies before timing anything
  [ "$lang" = rust ] || run_in_group "examples/$lang/package.sh" >"$EXAMPLES_TMP/deps-$lang.log" 2>&1 ||
    { show "$EXAMPLES_TMP/deps-$lang.log"; not_ok "$lang: packaging the function with its dependencies"; }
done

EXAMPLES_QUIET_CLEANUP=1
examples_start_services >"$EXAMPLES_TMP/services.log" 2>&1 || { cat "$EXAMPLES_TMP/services.log" >&2; exit 1; }
PASSWORD="$(mariadb_secret_field "$STORE" password)"
echo "# MariaDB $MARIADB_VERSION on 127.0.0.1:$MARIADB_PORT, emulator on 127.0.0.1:$EMULATOR_PORT, N=$N"

for lang in $LANGS; do
  lambda_function_env "$lang"
  out="$EXAMPLES_TMP/$lang"
  rc=0
  if [ "$lang" = rust ]; then
    emulator_reset
    run_in_group target/debug/examples/walkthrough >"$out.out" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ] &&
       grep -q '^  parameter /dev/demoapp/config .*{"greeting"' "$out.out" &&
       grep -q '^  secret dev/demoapp/db .*value not printed' "$out.out" &&
       grep -q '^L1 stats: hits=2 misses=2 requests=2 errors=0$' "$out.out" &&
       grep -q '^wrong secret name -> not_found_or_denied$' "$out.out"; then
      ok "rust: walkthrough example reads the parameter and the secret, then not_found_or_denied"
    else
      not_ok "rust: walkthrough example (exit status $rc)"; show "$out.out"
    fi
    stats="$(emulator_stats)"
  else
    example_invoke "$lang" "$N" "$out" 2>"$out.err" || rc=$?
    expect_body="Successfully connected to $MARIADB_VERSION (database demoapp on 127.0.0.1:$MARIADB_PORT, config /dev/demoapp/config with 2 settings)"
    if [ "$rc" -eq 0 ] && python3 - "$out.json" "$N" "$expect_body" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bodies = [json.loads(b) for b in r["responses"]]
sys.exit(0 if len(bodies) == int(sys.argv[2]) and all(b == {"statusCode": 200, "body": sys.argv[3]} for b in bodies) else 1)
PY
    then
      ok "$lang: $N invocations in the local Lambda answered 200 with the server's version ($MARIADB_VERSION)"
    else
      not_ok "$lang: $N invocations in the local Lambda answered 200 with the server's version (exit status $rc)"
      show "$out.out" "$out.err"
    fi
    hits=$(( 2 * N - 2 ))
    if [ "$(grep -o 'paramsecrets L1: .*' "$out.log" | tail -1)" = "paramsecrets L1: hits=$hits misses=2 requests=2 errors=0" ]; then
      ok "$lang: L1 served $hits of $((2 * N)) reads, 2 requests to the extension"
    else
      not_ok "$lang: L1 counters (expected hits=$hits misses=2 requests=2 errors=0)"; show "$out.log"
    fi
    stats="$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["extension_stats"]))' "$out.json" 2>/dev/null || echo '{}')"
  fi
  # The emulator saw exactly one request per key (the handler's client cached the rest).
  if python3 -c '
import json, sys
k = json.loads(sys.argv[1])["keys"]
ok = k.get("parameter:/dev/demoapp/config", {}).get("requests") == 1 and k.get("secret:dev/demoapp/db", {}).get("requests") == 1
sys.exit(0 if ok else 1)' "$stats"; then
    ok "$lang: the emulator got one request for the parameter and one for the secret"
  else
    not_ok "$lang: one request per key at the emulator; stats: $stats"
  fi

  if [ "$lang" != rust ]; then
    rc=0
    example_invoke "$lang" 1 "$out.wrong" "CREDS_PATH=$WRONG_SECRET" 2>"$out.wrong.err" || rc=$?
    if [ "$rc" -eq 0 ] && python3 - "$out.wrong.json" "$WRONG_SECRET" <<'PY' &&
import json, sys
b = json.loads(json.load(open(sys.argv[1]))["responses"][0])
sys.exit(0 if b.get("statusCode") == 500 and b.get("body", "").startswith("Could not read settings: not_found_or_denied: ")
         and sys.argv[2] in b["body"] else 1)
PY
       ! grep -q 'Traceback\|    at \|Exception in thread' "$out.wrong.out" "$out.wrong.log"; then
      ok "$lang: a wrong secret name answers statusCode 500 naming not_found_or_denied (no stack trace)"
    else
      not_ok "$lang: a wrong secret name answers statusCode 500 naming not_found_or_denied (exit status $rc)"
      show "$out.wrong.out" "$out.wrong.err" "$out.wrong.log"
    fi
  fi
done

# The Java walkthrough handler on every Java runtime Lambda offers (the runs above use the
# JDK that builds the jar, 17): the same jar under the Java runtime interface client.
if [[ " $LANGS " == *" java "* ]]; then
  for v in ${EXAMPLES_JAVA_VERSIONS:-21 25}; do
    out="$EXAMPLES_TMP/java$v"
    rc=0
    jdk="$(scripts/ensure-jdk.sh "$v")" || rc=$?
    [ "$rc" -ne 0 ] || example_invoke java 2 "$out" "LOCAL_LAMBDA_JAVA_HOME=$jdk" 2>"$out.err" || rc=$?
    if [ "$rc" -eq 0 ] && python3 - "$out.json" "$v" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bodies = [json.loads(b) for b in r["responses"]]
sys.exit(0 if len(bodies) == 2 and all(b.get("statusCode") == 200 for b in bodies) else 1)
PY
    then
      ok "java $v: the walkthrough handler answered 200 twice under the Java runtime interface client"
    else
      not_ok "java $v: the walkthrough handler under the Java runtime interface client (exit status $rc)"
      show "$out.out" "$out.err"
    fi
  done
fi

# The password must not appear in anything the examples or the emulator printed.
shopt -s nullglob
printed=("$EXAMPLES_TMP"/*.out "$EXAMPLES_TMP"/*.log "$EXAMPLES_TMP"/*.json "$EXAMPLES_TMP"/*.err)
shopt -u nullglob
rc=0
grep -lF -- "$PASSWORD" "${printed[@]}" >"$EXAMPLES_TMP/leaks" 2>&1 || rc=$?
if [ "$rc" -eq 1 ] && [ "${#printed[@]}" -ge 2 ]; then
  ok "the database password appears in none of ${#printed[@]} outputs and logs"
else
  not_ok "the database password check (grep exit status $rc): $(xargs -rn1 basename <"$EXAMPLES_TMP/leaks" | tr '\n' ' ')"
fi

echo "# examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
