#!/usr/bin/env bash
# `make demo`: builds the three packages and the emulator layer, starts a throwaway MariaDB, runs
# the walkthrough's Lambda handler in Python, Node.js and Java in the local Lambda (AWS's Runtime
# Interface Emulator, AWS's runtime interface client of each language, the emulator layer as the
# extension; DEMO_INVOCATIONS invocations each, default 20), plus the Rust example against a
# standalone emulator, and prints what happened.
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
step "building the emulator layer (make layers)" layer make layers
step "installing the local Lambda (RIE, awslambdaric, aws-lambda-ric, the Java RIC; cached)" local-lambda \
  scripts/local-lambda/install.sh
step "building the Rust example (cargo build -p paramsecrets --example walkthrough)" rust-build \
  cargo build -p paramsecrets --example walkthrough
# The functions' own dependencies (PyMySQL, mysql2, the JDBC driver), before anything is timed.
step "packaging the three functions with their dependencies (PyMySQL, mysql2, MariaDB JDBC driver)" example-deps \
  bash -c 'examples/python/package.sh && examples/node/package.sh && examples/java/package.sh'

echo
examples_start_services
echo

failures=0
run_language() {
  local lang="$1" label="$2" out="$EXAMPLES_TMP/$1" rc=0
  say "$label: $N invocations in the local Lambda (RIE, AWS's runtime interface client, the emulator extension)"
  example_invoke "$lang" "$N" "$out" 2>"$out.err" || rc=$?
  grep -E '^local Lambda|INIT REPORT|invoke [12][ :(]|^  init |extension /_emulator|stopped RIE' "$out.out" \
    | sed 's/^/    /' || true
  if [ "$rc" -ne 0 ] || ! python3 - "$out.json" "$N" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = [b for b in r["responses"] if json.loads(b).get("statusCode") == 200
      and json.loads(b).get("body", "").startswith("Successfully connected to ")]
sys.exit(0 if len(ok) == int(sys.argv[2]) else 1)
PY
  then
    echo "    FAILED (exit status $rc); output and log:" >&2
    sed 's/^/    | /' "$out.out" "$out.err" "$out.log" >&2 || true
    failures=$((failures + 1))
  fi
  # The same handler with a secret name that does not exist: a 500 naming the error code.
  rc=0
  example_invoke "$lang" 1 "$out.wrong" "CREDS_PATH=$WRONG_SECRET" 2>"$out.wrong.err" || rc=$?
  local code
  code="$(python3 - "$out.wrong.json" <<'PY' || true
import json, re, sys
r = json.loads(json.load(open(sys.argv[1]))["responses"][0])
m = re.match(r"Could not read settings: ([a-z_]+)", r.get("body", ""))
print(m.group(1) if r.get("statusCode") == 500 and m else "")
PY
)"
  if [ "$rc" -eq 0 ] && [ -n "$code" ]; then
    echo "    with CREDS_PATH=$WRONG_SECRET: statusCode 500, error code $code"
  else
    echo "    FAILED: with CREDS_PATH=$WRONG_SECRET expected statusCode 500 with an error code (exit status $rc):" >&2
    sed 's/^/    | /' "$out.wrong.out" "$out.wrong.err" >&2 || true
    failures=$((failures + 1))
  fi
  echo
}

run_language python "Python (lambda_function.lambda_handler in awslambdaric, PyMySQL)"
run_language node "Node.js (index.handler in aws-lambda-ric, mysql2)"
run_language java "Java (example.Handler::handleRequest in the Java runtime interface client, MariaDB JDBC)"

say "Rust (core/examples/walkthrough.rs)"
lambda_function_env rust
if ! run_in_group target/debug/examples/walkthrough >"$EXAMPLES_TMP/rust.out" 2>&1; then
  failures=$((failures + 1))
  echo "    FAILED:" >&2
fi
sed 's/^/    /' "$EXAMPLES_TMP/rust.out"
echo

say "summary"
python3 - "$EXAMPLES_TMP" "$N" <<'PY'
import json, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
print(f"    {'':8} {'INIT':>9} {'cold':>9} {'warm p50':>9} {'warm p90':>9}   {'L1 hits':>7} {'misses':>6} {'requests':>8}   {'200s':>5}")
reads = hits = requests = 0
for lang, label in (("python", "Python"), ("node", "Node.js"), ("java", "Java")):
    try:
        r = json.load(open(f"{tmp}/{lang}.json"))
        log = open(f"{tmp}/{lang}.log").read()
    except OSError:
        continue
    l1 = re.findall(r"paramsecrets L1: hits=(\d+) misses=(\d+) requests=(\d+)", log)
    oks = sum(json.loads(b).get("statusCode") == 200 for b in r["responses"])
    if not (l1 and r["init_ms"] and r["cold_ms"] is not None and r["warm_median_ms"] is not None):
        print(f"    {label:8} (no figures)")
        continue
    h, m, q = map(int, l1[-1])
    reads, hits, requests = reads + 2 * oks, hits + h, requests + q
    print(f"    {label:8} {r['init_ms']:>6.1f} ms {r['cold_ms']:>6.2f} ms {r['warm_median_ms']:>6.2f} ms "
          f"{r['warm_p90_ms']:>6.2f} ms   {h:>7} {m:>6} {q:>8}   {oks:>2}/{n}")
print("    (INIT: RIE's INIT REPORT, the runtime client starting and the handler module's init code;")
print("    cold/warm: RIE's invoke duration of the first and the later invocations: the two reads, a")
print("    new database connection and SELECT VERSION(); L1: the client's counters after the last one)")
print(f"    L1: {hits} of the {reads} reads in those invocations were answered in-process, "
      f"{requests} went to the extension")
PY
echo

if [ "$failures" -ne 0 ]; then
  say "demo FAILED ($failures checks)"
  exit 1
fi
say "demo finished: three handlers connected to MariaDB $MARIADB_VERSION through paramsecrets"
