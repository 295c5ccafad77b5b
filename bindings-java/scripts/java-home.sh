#!/usr/bin/env bash
# Prints the home of a JDK 22+ (the generated bindings use the FFM API, final in Java 22).
# Order: $PARAMSECRETS_JAVA_HOME, $JAVA_HOME, then the newest JDK under /usr/lib/jvm.
# Never trusts `java` on PATH (it is often an older default, e.g. 17).
set -euo pipefail
major() { # the feature version of the JDK at $1, or 0
  local rel="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$rel" ] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" | head -1
}
for cand in "${PARAMSECRETS_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
  if [ -n "$cand" ] && [ "$(major "$cand")" -ge 22 ]; then echo "$cand"; exit 0; fi
done
best="" best_v=0
for cand in /usr/lib/jvm/*; do
  [ -d "$cand" ] || continue
  v=$(major "$cand")
  if [ "${v:-0}" -ge 22 ] && [ "$v" -gt "$best_v" ]; then best="$cand" best_v="$v"; fi
done
if [ -z "$best" ]; then
  echo "no JDK 22+ found: set PARAMSECRETS_JAVA_HOME (Temurin 25 is what this project uses)" >&2
  exit 1
fi
echo "$best"
