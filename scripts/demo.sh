#!/usr/bin/env bash
# `make demo`: builds the three packages, starts a throwaway MariaDB and the extension emulator,
# runs the walkthrough's Lambda handler in Python, Node.js and Java through their local invokers
# (DEMO_INVOCATIONS times each, default 20), plus the Rust example, and prints what happened.
# Everything it started is stopped and its temporary data deleted on exit, failure or Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/examples-lib.sh"

N="${DEMO_INVOCATIONS:-20}"
WRONG_SECRET="dev/demoapp/no-such-secret"
examples_setup

# Runs a build step in its own process group with its output in a log; prints the log's tail on
# failure.
step() {
  local title="$1" log="$EXAMPLES_TMP/$2.log"
  shift 2
  say "$title"
  local t0=$SECONDS
  if ! run_in_group "$@" >"$log" 2>&1; then
    echo "    FAILED: $*  (last lines of its output:)" >&2
    tail -n 40 "$log" | sed 's/^/    | /' >&2
    exit 1
  fi
  echo "    done in $((SECONDS - t0)) s"
}

echo "paramsecrets demo: the AWS Parameters and Secrets Lambda Extension walkthrough, locally"
echo

# The packages, through each one's own Makefile (the same targets their READMEs document).
step "building the extension emulator (cargo build -p paramsecrets-emulator)" emulator \
  cargo build -p paramsecrets-emulator
step "building the Python package (make -C bindings-python wheel)" python-build \
  make -C bindings-python wheel
step "building the Node.js package (make -C bindings-node build)" node-build \
  make -C bindings-node build
step "building the Java package (make -C bindings-java jar)" java-build \
  make -C bindings-java jar
step "building the Rust example (cargo build -p paramsecrets --example walkthrough)" rust-build \
  cargo build -p paramsecrets --example walkthrough
# The examples' own dependencies (PyMySQL, mysql2, the JDBC driver): a first run of each with
# no invocations would also work, but installing them here keeps the timings below clean.
step "installing the examples' dependencies (PyMySQL, mysql2, MariaDB JDBC driver)" example-deps \
  bash -c 'examples/python/run.sh --install-only && examples/node/run.sh --install-only && examples/java/run.sh --install-only'

echo
examples_start_services
echo

failures=0
run_language() {
  local lang="$1" label="$2" out="$EXAMPLES_TMP/$1.out" rc=0
  say "$label: $N invocations of the handler in one process (cold, then warm)"
  lambda_function_env "$lang"
  run_in_group "examples/$lang/run.sh" "$N" >"$out" 2>"$EXAMPLES_TMP/$lang.err" || rc=$?
  sed 's/^/    /' "$out"
  if [ "$rc" -ne 0 ] || ! grep -q '"statusCode": 200, "body": "Successfully connected to ' "$out"; then
    echo "    FAILED (exit status $rc); stderr:" >&2
    sed 's/^/    | /' "$EXAMPLES_TMP/$lang.err" >&2
    failures=$((failures + 1))
  fi
  # The same handler with a secret name that does not exist: a 500 naming the error code.
  rc=0
  CREDS_PATH="$WRONG_SECRET" run_in_group "examples/$lang/run.sh" 1 \
    >"$out.wrong" 2>"$EXAMPLES_TMP/$lang.wrong.err" || rc=$?
  local code
  code="$(grep -o '"statusCode": 500, "body": "Could not read settings: [a-z_]*' "$out.wrong" | sed 's/.*settings: //' || true)"
  if [ "$rc" -eq 2 ] && [ -n "$code" ]; then
    echo "    with CREDS_PATH=$WRONG_SECRET: statusCode 500, error code $code"
  else
    echo "    FAILED: with CREDS_PATH=$WRONG_SECRET expected statusCode 500 with an error code (exit status $rc):" >&2
    sed 's/^/    | /' "$out.wrong" "$EXAMPLES_TMP/$lang.wrong.err" >&2
    failures=$((failures + 1))
  fi
  echo
}

emulator_reset
run_language python "Python (lambda_function.lambda_handler, PyMySQL)"
run_language node "Node.js (index.handler, mysql2)"
run_language java "Java (example.Handler::handleRequest, MariaDB JDBC)"

say "Rust (core/examples/walkthrough.rs)"
lambda_function_env rust
if ! run_in_group target/debug/examples/walkthrough >"$EXAMPLES_TMP/rust.out" 2>&1; then
  failures=$((failures + 1))
  echo "    FAILED:" >&2
fi
sed 's/^/    /' "$EXAMPLES_TMP/rust.out"
echo

say "summary"
emulator_stats >"$EXAMPLES_TMP/emulator-stats.json"
python3 - "$EXAMPLES_TMP" "$N" <<'PY'
import json, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
rows = []
for lang, label in (("python", "Python"), ("node", "Node.js"), ("java", "Java")):
    try:
        out = open(f"{tmp}/{lang}.out").read()
    except OSError:
        continue
    def grab(pattern):
        m = re.search(pattern, out)
        return m.groups() if m else None
    init = grab(r"init \([^)]*\): ([\d.]+) ms")
    lat = grab(r"cold ([\d.]+) ms \| warm median ([\d.]+) ms, p90 ([\d.]+) ms")
    l1 = grab(r"hits=(\d+) misses=(\d+) requests=(\d+)")
    ok = grab(r"(\d+) x statusCode 200")
    if init and lat and l1 and ok:
        rows.append((label, init[0], *lat, *l1, ok[0]))
print(f"    {'':8} {'init':>9} {'cold':>9} {'warm p50':>9} {'warm p90':>9}   {'L1 hits':>7} {'misses':>6} {'requests':>8}   {'200s':>5}")
for label, init, cold, p50, p90, hits, misses, reqs, oks in rows:
    print(f"    {label:8} {init:>6} ms {cold:>6} ms {p50:>6} ms {p90:>6} ms   {hits:>7} {misses:>6} {reqs:>8}   {oks:>2}/{n}")
print("    (latencies are whole handler invocations: the two reads, a new database connection and")
print("    SELECT VERSION(); init = importing the handler module and building the client)")
reads = sum(2 * int(r[-1]) for r in rows)
hits = sum(int(r[5]) for r in rows)
print(f"    L1: {hits} of the {reads} reads in those invocations were answered in-process, "
      f"{sum(int(r[7]) for r in rows)} went to the extension")
stats = json.load(open(f"{tmp}/emulator-stats.json"))
keys = stats.get("keys", {})
print(f"    the emulator saw {stats['requests']} requests in all (with the wrong-name runs and Rust): "
      + ", ".join(f"{k} x{v['requests']}" for k, v in sorted(keys.items())))
PY
echo

if [ "$failures" -ne 0 ]; then
  say "demo FAILED ($failures checks)"
  exit 1
fi
say "demo finished: three handlers connected to MariaDB $MARIADB_VERSION through paramsecrets"
