#!/usr/bin/env bash
# scripts/bench.sh full|quick — every benchmark, then bench/RESULTS.md.
#
#   1. Rust core: bench/rust (release build), writes bench/rust/RESULTS.md + summary.json
#   2. Python, Node, Java: `make -C bench/<lang> bench|bench-quick` where bench/<lang>/Makefile
#      exists (each writes bench/<lang>/RESULTS.md and bench/<lang>/summary.json)
#   2b. INIT and first invocation in the local Lambda: bench/lambda/bench.py full|quick
#      (writes bench/lambda/RESULTS.md + summary.json; needs the packages and `make layers`)
#   3. the load-test replication (bench/replication; quick = --scale 0.1), charts under bench/replication/
#   4. bench/assemble.py: machine facts + every section + the per-language summary table
#
# Environment: PARAMSECRETS_EMULATOR (default target/debug/paramsecrets-emulator),
# PARAMSECRETS_CACHE (venvs; default ~/.cache/paramsecrets), PARAMSECRETS_PYTHON (an interpreter
# that imports paramsecrets, for the replication; default: the bench venv with the newest
# bindings-python/dist wheel). Exit status: non-zero when a harness that ran failed.
set -uo pipefail

mode="${1:-quick}"
case "$mode" in
  full) target=bench; quick_flag=""; scale=1 ;;
  quick) target=bench-quick; quick_flag="--quick"; scale=0.1 ;;
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

# ---- 2. Python, Node, Java ----------------------------------------------------------------
for lang in python node java; do
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

# ---- 3. Replication -----------------------------------------------------------------------
echo "==> bench: load-test replication (scale $scale)"
t=$(date +%s)
py="$(bench/replication/venv.sh)" || { echo "bench: cannot set up the bench venv" >&2; exit 1; }
if ! ls bindings-python/dist/paramsecrets-*.whl >/dev/null 2>&1 && grep -q '^wheel:' bindings-python/Makefile 2>/dev/null; then
  echo "bench: building the paramsecrets wheel (make -C bindings-python wheel)"
  make -C bindings-python wheel >/dev/null && py="$(bench/replication/venv.sh)"
fi
imports() { [[ -x "$1" ]] && "$1" -c 'import paramsecrets' 2>/dev/null; }
ps_args=()
for cand in "${PARAMSECRETS_PYTHON:-}" "$py" "${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/python-dev/bin/python"; do
  if [[ -n "$cand" ]] && imports "$cand"; then ps_args=(--paramsecrets-python "$cand"); break; fi
done
if [[ ${#ps_args[@]} -eq 0 ]]; then
  echo "bench: the paramsecrets Python package is not available; the replication uses the Rust core worker"
  ps_args=(--paramsecrets-rust "$repo/target/release/paramsecrets-bench")
fi
repl_cmd="bench/replication/replicate.py --scale $scale --charts bench/replication"
if "$py" bench/replication/replicate.py --scale "$scale" "${ps_args[@]}" --charts bench/replication \
     --command "$repl_cmd (run by scripts/bench.sh $mode)"; then
  note replication ok "$(elapsed "$t")" "$repl_cmd"
else
  echo "bench: the replication FAILED" >&2
  note replication failed "$(elapsed "$t")" "$repl_cmd"
  failed=1
fi

# ---- 4. Assemble --------------------------------------------------------------------------
"$py" bench/assemble.py --mode "$mode" --status "$status" --elapsed "$(elapsed "$started")" || failed=1
echo "==> bench: wrote bench/RESULTS.md ($(elapsed "$started") s)"
exit $failed
