#!/usr/bin/env bash
# Prints the home of the JDK that builds the jar: a JDK 17+ with javac (the jar targets Java 17,
# `--release 17`). Order: $PARAMSECRETS_JAVA_HOME, $JAVA_HOME, then the JDK 17 found by
# scripts/ensure-jdk.sh. The runtimes the tests run on come from scripts/ensure-jdk.sh 17|21|25.
# Never trusts `java` on PATH.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1; }
for cand in "${PARAMSECRETS_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
  if [ -n "$cand" ] && [ -x "$cand/bin/javac" ] && [ "$(major "$cand")" -ge 17 ]; then echo "$cand"; exit 0; fi
done
home="$("$repo/scripts/ensure-jdk.sh" 17)"
[ -x "$home/bin/javac" ] || { echo "no JDK 17+ with javac found: set PARAMSECRETS_JAVA_HOME" >&2; exit 1; }
echo "$home"
