#!/usr/bin/env bash
# The Java benchmark, on every Java version Lambda offers (17, 21, 25; $JAVA_VERSIONS): JMH for
# the per-call figures, fresh JVMs for cold start, file sizes. One jar for every version.
# Usage: run.sh full|quick   (writes bench/java/RESULTS.md and bench/java/summary.json)
set -euo pipefail
mode="${1:-full}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
java_home="$("$repo/bindings-java/scripts/java-home.sh")"  # builds the harness (--release 17)
read -ra versions <<<"${JAVA_VERSIONS:-17 21 25}"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml")"
jar="$repo/bindings-java/target/paramsecrets-$version.jar"
out="$here/target"
mkdir -p "$out"

case "$mode" in
  quick) jmh_args=(-f 1 -wi 2 -i 3 -w 1s -r 1s); cold_runs=5 ;;
  full)  jmh_args=(-f 2 -wi 3 -i 5 -w 2s -r 2s); cold_runs=15 ;;
  *) echo "usage: $0 full|quick" >&2; exit 2 ;;
esac

echo "==> building the jar and the release emulator" >&2
make -C "$repo/bindings-java" jar >&2
(cd "$repo" && cargo build --release -p paramsecrets-emulator >&2)
emulator="${CARGO_TARGET_DIR:-$repo/target}/release/paramsecrets-emulator"

echo "==> resolving JMH and the AWS SDK (Maven Central)" >&2
(cd "$here" && JAVA_HOME="$java_home" mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile="$out/deps.txt" >&2)
deps="$(cat "$out/deps.txt")"

echo "==> compiling the harness" >&2
rm -rf "$out/classes"
"$java_home/bin/javac" --release 17 -d "$out/classes" -cp "$deps:$jar" \
  -processor org.openjdk.jmh.generators.BenchmarkProcessor \
  $(find "$here/src/main/java" -name '*.java')
cp="$out/classes:$jar:$deps"

token="bench-token"
"$emulator" --store "$here/store.json" --port 0 --token "$token" >"$out/emulator.out" 2>"$out/emulator.err" &
emu_pid=$!
trap 'kill "$emu_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q listening "$out/emulator.out" 2>/dev/null && break
  sleep 0.05
done
port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/emulator.out")"
[ -n "$port" ] || { echo "emulator did not start" >&2; cat "$out/emulator.err" >&2; exit 1; }

runs=()
for v in "${versions[@]}"; do
  java="$("$repo/scripts/ensure-jdk.sh" "$v")/bin/java"
  echo "==> Java $v: JMH (${jmh_args[*]})" >&2
  "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main bench.ReadBench \
    "${jmh_args[@]}" -rf json -rff "$out/jmh-$v.json" \
    -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dbench.port=$port -Dbench.token=$token" >&2

  echo "==> Java $v: cold start, $cold_runs fresh JVMs each" >&2
  : >"$out/cold-$v.txt"
  for i in $(seq "$cold_runs"); do
    for which in ColdParamsecrets ColdAwsSdk; do
      t0=$(date +%s%N)
      line=$("$java" --enable-native-access=ALL-UNNAMED -cp "$cp" "bench.$which" "$port" "$token")
      t1=$(date +%s%N)
      echo "$which $line wall_ms=$(( (t1 - t0) / 1000000 ))" >>"$out/cold-$v.txt"
    done
  done
  runs+=(--run "$v" "$out/jmh-$v.json" "$out/cold-$v.txt" "$("$java" -version 2>&1 | head -1)")
done

sdk_bytes=0
IFS=: read -ra dep_list <<<"$deps"
for d in "${dep_list[@]}"; do
  case "$(basename "$d")" in jmh-*|jopt-*|commons-math3-*) ;; *) sdk_bytes=$((sdk_bytes + $(stat -c %s "$d"))) ;; esac
done

python3 "$here/report.py" --mode "$mode" "${runs[@]}" \
  --jar "$jar" --sdk-bytes "$sdk_bytes" --jmh-args "${jmh_args[*]}" --cold-runs "$cold_runs" \
  --summary "$here/summary.json" >"$here/RESULTS.md"
cat "$here/RESULTS.md"
