#!/usr/bin/env bash
# The Powertools benchmark (bench/java/powertools): a cached get through our provider vs
# Powertools' own SSMProvider (JMH, one run, same JVM), and fresh JVMs for INIT (provider
# construction), the first read and RSS. Usage: run.sh full|quick  [JAVA_VERSIONS="17 21 25"]
# Raw output in target/; prints the figures (RESULTS.md records a run's).
set -euo pipefail
mode="${1:-quick}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
java_home="$("$repo/bindings-java/scripts/java-home.sh")"
read -ra versions <<<"${JAVA_VERSIONS:-17 21 25}"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml")"
jar="$repo/bindings-java/target/paramsecrets-$version.jar"
ptjar="$repo/bindings-java/powertools/target/paramsecrets-powertools-$version.jar"
out="$here/target"
mkdir -p "$out"
case "$mode" in
  quick) jmh_args=(-f 1 -wi 3 -i 5 -w 1s -r 1s); cold_runs=5 ;;
  full)  jmh_args=(-f 2 -wi 3 -i 5 -w 2s -r 2s); cold_runs=15 ;;
  *) echo "usage: $0 full|quick" >&2; exit 2 ;;
esac

echo "==> building the jars and the release emulator" >&2
make -C "$repo/bindings-java" powertools-jar >&2
(cd "$repo" && cargo build --release -p paramsecrets-emulator >&2)
emulator="${CARGO_TARGET_DIR:-$repo/target}/release/paramsecrets-emulator"

echo "==> resolving JMH and Powertools 2.9.0 (Maven Central)" >&2
(cd "$here" && JAVA_HOME="$java_home" mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile="$out/deps.txt" >&2)
deps="$(cat "$out/deps.txt")"

echo "==> compiling the harness (and the tests' AWS API stub)" >&2
rm -rf "$out/classes"
"$java_home/bin/javac" --release 17 -d "$out/classes" -cp "$deps:$jar:$ptjar" \
  -processor org.openjdk.jmh.generators.BenchmarkProcessor \
  $(find "$here/src" -name '*.java') "$repo/bindings-java/powertools/src/test/java/dev/paramsecrets/powertools/AwsApiStub.java"
cp="$out/classes:$jar:$ptjar:$deps"

token="bench-token"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
"$emulator" --store "$here/store.json" --port 0 --token "$token" >"$out/emulator.out" 2>"$out/emulator.err" &
pids+=($!)
"$java_home/bin/java" -cp "$cp" bench.powertools.StubMain "$here/store.json" >"$out/stub.out" 2>"$out/stub.err" &
pids+=($!)
for _ in $(seq 200); do
  grep -q listening "$out/emulator.out" 2>/dev/null && grep -q listening "$out/stub.out" 2>/dev/null && break
  sleep 0.05
done
port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/emulator.out")"
stub="$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$out/stub.out")"
[ -n "$port" ] && [ -n "$stub" ] || { echo "emulator or stub did not start" >&2; cat "$out"/*.err >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

for v in "${versions[@]}"; do
  java="$("$repo/scripts/ensure-jdk.sh" "$v")/bin/java"
  echo "==> Java $v: JMH (${jmh_args[*]})" >&2
  "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main bench.powertools.CachedReadBench \
    "${jmh_args[@]}" -rf json -rff "$out/jmh-$v.json" \
    -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dbench.port=$port -Dbench.token=$token -Dbench.stub=$stub" >"$out/jmh-$v.log" 2>&1 \
    || { tail -30 "$out/jmh-$v.log" >&2; exit 1; }
  echo "==> Java $v: $cold_runs fresh JVMs each" >&2
  : >"$out/cold-$v.txt"
  for _ in $(seq "$cold_runs"); do
    echo "ours $("$java" --enable-native-access=ALL-UNNAMED -cp "$cp" bench.powertools.ColdOurs "$port" "$token")" >>"$out/cold-$v.txt"
    echo "powertools $("$java" -cp "$cp" bench.powertools.ColdPowertools "$stub")" >>"$out/cold-$v.txt"
  done
  python3 - "$out/jmh-$v.json" <<'PY'
import json, sys
r = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(sys.argv[1]))}
for k in ("Hit", "Default"):
    o, t = r["ours" + k], r["powertools" + k]
    print(f"cached get ({k.lower()}): ours {o:.1f} ns, Powertools SSMProvider {t:.1f} ns, ours/Powertools {o/t:.2f}")
PY
  for which in ours powertools; do
    for f in init_ms first_ms uptime_ms rss_kb; do
      printf '%s %s median %s\n' "$which" "$f" "$(grep "^$which " "$out/cold-$v.txt" | field "$f" | median)"
    done
  done | awk -v v="$v" '{print "Java " v ": " $0}'
done
