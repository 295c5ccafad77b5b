#!/usr/bin/env bash
# scripts/bench.sh full|quick — every benchmark, then bench/RESULTS.md.
#
#   1. Rust core: bench/rust (release build), writes bench/rust/RESULTS.md + summary.json
#   2. Python, Node, Java, then the footprint (RSS, threads, fds vs the AWS SDKs, every language):
#      `make -C bench/<name> bench|bench-quick` where bench/<name>/Makefile exists (each writes
#      bench/<name>/RESULTS.md and bench/<name>/summary.json)
#   2b. INIT and first invocation in the local Lambda: bench/lambda/bench.py full|quick
#      (writes bench/lambda/RESULTS.md + summary.json; needs the packages and `make layers`)
#   3. the walkthrough's load test: Artillery runs examples/sam/load-test.yml against a local
#      function URL backed by the local Lambda (bench/replication/loadtest.py; quick = 6 s
#      instead of 60 s), charts under bench/replication/
#   4. bench/assemble.py: machine facts + every section + the per-language summary table
#
# Environment: PARAMSECRETS_EMULATOR (default target/debug/paramsecrets-emulator),
# PARAMSECRETS_CACHE (venvs, Artillery, the local Lambda's parts; default ~/.cache/paramsecrets).
# Exit status: non-zero when a harness that ran failed.
set -uo pipefail

mode="${1:-quick}"
case "$mode" in
  full) target=bench; quick_flag=""; lt_duration="" ;;
  quick) target=bench-quick; quick_flag="--quick"; lt_duration=6 ;;
  *) echo "usage: scripts/bench.sh full|quick" >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export PARAMSECRETS_EMULATOR="${PARAMSECRETS_EMULATOR:-$repo/target/debug/paramsecrets-emulator}"
out="$repo/bench/out"
mkdir -p "$out"
status="$out/status.tsv"
: > "$status"
started=$(date +%s)
failed=0

note() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$status"; }
elapsed() { echo $(( $(date +%s) - $1 )); }

if [[ ! -x "$PARAMSECRETS_EMULATOR" ]]; then
  echo "bench: no emulator at $PARAMSECRETS_EMULATOR (run: make emulator)" >&2
  exit 1
fi

# ---- 1. Rust ------------------------------------------------------------------------------
echo "==> bench: Rust core ($mode)"
t=$(date +%s)
rust_cmd="cargo build --release -p paramsecrets-bench && target/release/paramsecrets-bench${quick_flag:+ $quick_flag}"
if cargo build --release -q -p paramsecrets-bench \
   && PARAMSECRETS_BENCH_COMMAND="$rust_cmd" target/release/paramsecrets-bench $quick_flag > "$out/rust.log"; then
  note rust ok "$(elapsed "$t")" "$rust_cmd"
else
  echo "bench: the Rust benchmark FAILED" >&2
  note rust failed "$(elapsed "$t")" "$rust_cmd"
  failed=1
fi

# ---- 2. Python, Node, Java, footprint -----------------------------------------------------
for lang in python node java footprint; do
  cmd="make -C bench/$lang $target"
  if [[ -f "bench/$lang/Makefile" ]]; then
    echo "==> bench: $lang ($cmd)"
    t=$(date +%s)
    if make -C "bench/$lang" "$target"; then
      note "$lang" ok "$(elapsed "$t")" "$cmd"
    else
      echo "bench: $lang FAILED" >&2
      note "$lang" failed "$(elapsed "$t")" "$cmd"
      failed=1
    fi
  else
    echo "==> bench: $lang not available (no bench/$lang/Makefile)"
    note "$lang" "not available" 0 "$cmd"
  fi
done

# ---- 2b. INIT in the local Lambda ---------------------------------------------------------
lambda_cmd="bench/lambda/bench.py $mode"
echo "==> bench: INIT in the local Lambda ($lambda_cmd)"
t=$(date +%s)
if make -s layers >/dev/null && python3 bench/lambda/bench.py "$mode"; then
  note lambda ok "$(elapsed "$t")" "$lambda_cmd"
else
  echo "bench: the local-Lambda INIT benchmark FAILED" >&2
  note lambda failed "$(elapsed "$t")" "$lambda_cmd"
  failed=1
fi

# ---- 3. Replication: the walkthrough's Artillery load test against a local function URL -----
echo "==> bench: load test (Artillery, local function URL${lt_duration:+, ${lt_duration} s instead of 60 s})"
t=$(date +%s)
py="$(bench/replication/venv.sh)" || { echo "bench: cannot set up the bench venv" >&2; exit 1; }
lt_cmd="make layers && bench/replication/loadtest.py --charts bench/replication${lt_duration:+ --duration $lt_duration}"
if make -s layers >/dev/null \
   && "$py" bench/replication/loadtest.py --charts bench/replication ${lt_duration:+--duration "$lt_duration"} \
        --command "$lt_cmd (run by scripts/bench.sh $mode)"; then
  note replication ok "$(elapsed "$t")" "$lt_cmd"
else
  echo "bench: the load test FAILED" >&2
  note replication failed "$(elapsed "$t")" "$lt_cmd"
  failed=1
fi

# ---- 4. Assemble --------------------------------------------------------------------------
"$py" bench/assemble.py --mode "$mode" --status "$status" --elapsed "$(elapsed "$started")" || failed=1
echo "==> bench: wrote bench/RESULTS.md ($(elapsed "$started") s)"
exit $failed
