#!/usr/bin/env bash
# scripts/leak/run.sh [python|node|java ...] (default: all three) — the native leak checks (#21).
#
#   python  scripts/leak/python/loop.py over the installed wheel (make -C bindings-python wheel,
#           a venv of Python 3.12 under the cache) under valgrind memcheck, PYTHONMALLOC=malloc
#   node    scripts/leak/node/loop.mjs on Node 22 over the napi build (make -C bindings-node
#           build) under valgrind memcheck, node --jitless --expose-gc, suppressions node.supp
#   java    the whole JUnit suite of bindings-java with -Xcheck:jni on Java 21 (make -C
#           bindings-java test-checkjni V=21, then the Powertools provider's tests with the same
#           flag), then every JNI warning HotSpot prints
#
# Gate (vgreport.py): 0 memory errors anywhere (invalid read/write/free, uninitialised values),
# 0 definitely lost blocks with our library in the allocation stack; for Java, 0 JNI warnings and
# 0 failed tests. Both loops run against a real emulator process and check every value.
# Prints one summary line per language and exits 1 on any finding. Reports: target/leak/.
#
# Environment: LEAK_ROUNDS_PYTHON (default 10), LEAK_ROUNDS_NODE (default 4): loop rounds under
# valgrind (every round takes every path); LEAK_SKIP_BUILD=1 uses the wheel, .node and native
# library as they are; LEAK_JAVA_VERSION (default 21); PARAMSECRETS_EMULATOR; PARAMSECRETS_CACHE.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
out="$repo/target/leak"
valgrind="${VALGRIND:-/usr/bin/valgrind}"
export PARAMSECRETS_EMULATOR="${PARAMSECRETS_EMULATOR:-$repo/target/debug/paramsecrets-emulator}"

langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python node java)
for lang in "${langs[@]}"; do
  case "$lang" in python | node | java) ;; *) echo "usage: scripts/leak/run.sh [python|node|java ...]" >&2; exit 2 ;; esac
done

build() { [ -n "${LEAK_SKIP_BUILD:-}" ] || "$@"; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }

mkdir -p "$out"
summary=()
failed=0
finding() { failed=1; summary+=("$1: FAIL $2"); }

if [ "${langs[*]}" != java ]; then
  if [ -z "${LEAK_SKIP_BUILD:-}" ] || [ ! -x "$PARAMSECRETS_EMULATOR" ]; then (cd "$repo" && cargo build -q -p paramsecrets-emulator); fi
  if [ ! -x "$valgrind" ] && [ "$valgrind" = /usr/bin/valgrind ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's valgrind (apt-get, one time)"
    apt-get install -y -q valgrind >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q valgrind >/dev/null; }
  fi
  [ -x "$valgrind" ] || { echo "no valgrind at $valgrind (Debian: apt-get install valgrind)" >&2; exit 1; }
fi

# memcheck LABEL OURS_REGEX ROUNDS -- COMMAND...: runs COMMAND under memcheck (XML report and a
# text log in target/leak/), prints the loop's per-operation counts and vgreport's verdict.
memcheck() {
  local label="$1" ours="$2" rounds="$3"
  shift 4
  local start rc=0 verdict=0 counts
  start=$(date +%s)
  echo "==> $label: $rounds rounds under valgrind memcheck (report: target/leak/$label.xml)"
  "$valgrind" --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=97 \
    --num-callers=40 --track-origins=no --xml=yes --xml-file="$out/$label.xml" --log-file="$out/$label.log" \
    "$@" --rounds "$rounds" >"$out/$label.out" 2>&1 || rc=$?
  grep -v '^Warning: disabling flag --expose_wasm' "$out/$label.out" | grep -v '^counts ' || true
  counts=$(sed -n 's/^counts //p' "$out/$label.out")
  # 97: valgrind counted errors (definite leaks included, the runtime's own too): vgreport decides.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 97 ] || [ -z "$counts" ]; then
    finding "$label" "the loop failed (exit $rc; $(elapsed "$start"))"
    return
  fi
  echo "  per-operation counts: $counts"
  "$here/vgreport.py" "$out/$label.xml" "$ours" "$label" >"$out/$label.verdict" || verdict=$?
  cat "$out/$label.verdict"
  if [ "$verdict" -ne 0 ]; then
    finding "$label" "$(head -1 "$out/$label.verdict" | cut -d: -f2-) ($rounds rounds, $(elapsed "$start"))"
  else
    summary+=("$label: ok,$(head -1 "$out/$label.verdict" | cut -d: -f2-); $rounds rounds, $(elapsed "$start")")
  fi
}

run_python() {
  build make -s -C "$repo/bindings-python" wheel
  local wheels venv="$cache/leak-venv" base
  # dist/ holds one wheel per architecture (same version, same name but for the tag)
  wheels=("$repo"/bindings-python/dist/paramsecrets-*_"$(uname -m)".whl)
  if [ ! -x "$venv/bin/python" ]; then
    base=$("$("$repo/scripts/ensure-python.sh" 3.12)" -c 'import sys; print(sys._base_executable)')
    "$base" -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "${wheels[0]}"
  PYTHONMALLOC=malloc memcheck python '/paramsecrets/_native[^/]*\.so$' "${LEAK_ROUNDS_PYTHON:-10}" -- \
    "$venv/bin/python" "$here/python/loop.py"
}

run_node() {
  build make -s -C "$repo/bindings-node" build
  local bin
  bin=$("$repo/scripts/ensure-node.sh" 22)
  memcheck node 'paramsecrets\.[^/]*\.node$' "${LEAK_ROUNDS_NODE:-4}" -- \
    --suppressions="$here/node.supp" "$bin/node" --jitless --expose-gc --max-old-space-size=128 "$here/node/loop.mjs"
}

# Everything HotSpot's -Xcheck:jni prints about a misuse (jniCheck.cpp): "WARNING in native
# method: ...", "FATAL ERROR in native method: ...", "WARNING: JNI local refs: N, exceeds
# capacity: M", "JNI call made without checking exceptions when required to", and
# "Warning: Calling other JNI functions in the scope of Get/Release...Critical".
JNI_WARNING='(WARNING|FATAL ERROR) in native method|WARNING: JNI local refs|JNI call made (with|without)|in the scope of Get/Release'
run_java() {
  local v="${LEAK_JAVA_VERSION:-21}" start rc=0 ptlog="$out/java-powertools.log" tests warnings
  local log="$repo/bindings-java/target/checkjni.log" skip=() reports=() marker="$out/java.start"
  [ -z "${LEAK_SKIP_BUILD:-}" ] || skip=(-o native)
  start=$(date +%s)
  touch "$marker"
  echo "==> java: the JUnit suite with -Xcheck:jni on Java $v (log: bindings-java/target/checkjni.log)"
  make -s --no-print-directory -C "$repo/bindings-java" "${skip[@]}" test-checkjni V="$v" || rc=$?
  # The Powertools provider's suite (its own Maven project) too: MVN_ARGS reaches its mvn, and
  # its surefire argLine is ${ffm.args}, as in the main project.
  echo "==> java: the Powertools provider's suite with -Xcheck:jni on Java $v (log: target/leak/java-powertools.log)"
  make -s --no-print-directory -C "$repo/bindings-java" -o native -o emulator test-powertools V="$v" \
    MVN_ARGS="'-Dffm.args=--enable-native-access=ALL-UNNAMED -Xcheck:jni'" >"$ptlog" 2>&1 || rc=$?
  # Surefire keeps what a forked JVM wrote to its native stdout/stderr in *.dumpstream files;
  # only this run's files count (mvn rewrites the reports of every test it ran).
  mapfile -t reports < <(find "$repo"/bindings-java/target/{surefire,failsafe}-reports \
    "$repo"/bindings-java/powertools/target/surefire-reports -type f -newer "$marker" 2>/dev/null)
  warnings=$(cat "$log" "$ptlog" "${reports[@]}" | grep -cE "$JNI_WARNING" || true)
  tests=$(grep -hE '^\[(INFO|WARNING|ERROR)\] Tests run:' "$log" "$ptlog" | grep -v ' -- in ' | sed -E 's/^\[[A-Z]+\] Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+).*/\1 run, \2 failed, \3 errors, \4 skipped/' | paste -sd'+' || true)
  if [ "$rc" -ne 0 ] || [ "$warnings" -ne 0 ]; then
    grep -hE -A3 "$JNI_WARNING" "$log" "$ptlog" "${reports[@]}" | head -20 || true
    [ "$rc" -eq 0 ] || tail -30 "$ptlog"
    finding java "JNI warnings $warnings, make exit $rc; tests (surefire+failsafe+powertools): $tests ($(elapsed "$start"))"
  else
    summary+=("java: ok, JNI warnings 0 under -Xcheck:jni on Java $v; tests (surefire+failsafe+powertools): $tests ($(elapsed "$start"))")
  fi
}

for lang in "${langs[@]}"; do
  case "$lang" in python) run_python ;; node) run_node ;; java) run_java ;; esac
done

echo "==> leak checks"
printf '  %s\n' "${summary[@]}"
exit "$failed"
