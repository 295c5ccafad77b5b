#!/usr/bin/env bash
# The measurement behind the choice of native path (PATHS.md): the same harness (bench.ReadBench,
# bench.ColdParamsecrets, bench.ColdAwsSdk; the public API is the same) against two jars in one
# run: the JNI jar built here, and an FFM jar (uniffi 0.32.2 + uniffi-bindgen-java 0.5.2, Java
# 22+) built from an earlier commit:
#   git worktree add /tmp/ffm fca1d88 && make -C /tmp/ffm/bindings-java jar
#   bench/java/paths.sh /tmp/ffm/bindings-java/target/paramsecrets-0.1.0.jar
# Runs after run.sh (reuses its harness classes, dependency list and a running emulator's port
# file). Prints a Markdown table; no file is written.
set -euo pipefail
ffm_jar="${1:?usage: paths.sh FFM_JAR [cold runs]}"
cold_runs="${2:-11}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/target"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml")"
jni_jar="$repo/bindings-java/target/paramsecrets-$version.jar"
deps="$(cat "$out/deps.txt")"
emulator="${CARGO_TARGET_DIR:-$repo/target}/release/paramsecrets-emulator"
token=bench-token
"$emulator" --store "$here/store.json" --port 0 --token "$token" >"$out/paths-emulator.out" 2>&1 &
emu_pid=$!
trap 'kill "$emu_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$out/paths-emulator.out" 2>/dev/null && break; sleep 0.05; done
port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/paths-emulator.out")"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
cold() { # java jar class -> median in-process ms over $cold_runs fresh JVMs
  for _ in $(seq "$cold_runs"); do
    "$1" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$2:$deps" "bench.$3" "$port" "$token" | sed -n 's/^cold_ms=\([0-9.]*\).*/\1/p'
  done | median | xargs printf '%.1f'
}
hit_miss() { # java jar -> "hit_ns miss_ns" (JMH, 1 fork, 3 x 1 s)
  "$1" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$2:$deps" org.openjdk.jmh.Main \
    'bench.ReadBench.l1(HitParamsecrets|MissParamsecretsForceFetch)' -f 1 -wi 2 -i 3 -w 1s -r 1s \
    -rf json -rff "$out/paths-jmh.json" \
    -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dbench.port=$port -Dbench.token=$token" >/dev/null
  python3 -c 'import json,sys; r={x["benchmark"].rsplit(".",1)[1]: x["primaryMetric"]["score"] for x in json.load(open(sys.argv[1]))}; print("%.0f %.1f" % (r["l1HitParamsecrets"], r["l1MissParamsecretsForceFetch"] / 1000))' "$out/paths-jmh.json"
}

echo "| Java | path | L1 hit | L1 miss (forceFetch) | cold start, in-process (median of $cold_runs) | SDK v2 \`SsmClient\` build, same JVM version |"
echo "|---|---|---|---|---|---|"
for v in 17 21 25; do
  java="$("$repo/scripts/ensure-jdk.sh" "$v")/bin/java"
  sdk="$(cold "$java" "$jni_jar" ColdAwsSdk)"
  read -r hit miss <<<"$(hit_miss "$java" "$jni_jar")"
  echo "| $v | JNI (this jar) | $hit ns | $miss µs | $(cold "$java" "$jni_jar" ColdParamsecrets) ms | $sdk ms |"
  if [ "$v" -ge 22 ]; then
    read -r hit miss <<<"$(hit_miss "$java" "$ffm_jar")"
    echo "| $v | FFM (uniffi-bindgen-java 0.5.2) | $hit ns | $miss µs | $(cold "$java" "$ffm_jar" ColdParamsecrets) ms | $sdk ms |"
  else
    echo "| $v | FFM | cannot run (class file 66 needs Java 22+) | | | |"
  fi
done
