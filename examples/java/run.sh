#!/usr/bin/env bash
# Runs the Java walkthrough handler through its local invoker: examples/java/run.sh [N]
# With --install-only it prepares everything and runs nothing.
# Needs the jar built by `make -C bindings-java jar` (bindings-java/target/paramsecrets-<v>.jar)
# and the environment from scripts/examples-env.sh. Installs that jar into the local Maven
# repository (as dev.paramsecrets:paramsecrets:<v>), builds target/walkthrough.jar (shaded, what
# you would upload to Lambda) and runs it on the JDK 17 that builds it (any Java 17+ runs it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
jar="$root/bindings-java/target/paramsecrets-$version.jar"
[ -f "$jar" ] || { echo "no $jar: run make -C bindings-java jar" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME_22:-$("$root/bindings-java/scripts/java-home.sh")}"
mvn=(mvn -B -q --no-transfer-progress -Dstyle.color=never -f "$here/pom.xml" -Dparamsecrets.version="$version")
[ -z "${MAVEN_REPO:-}" ] || mvn+=(-Dmaven.repo.local="$MAVEN_REPO")

# Rebuild when the paramsecrets jar or the example's sources changed.
stamp="$(cat "$jar" "$here/pom.xml" "$here"/src/main/java/example/*.java | sha256sum | cut -c1-16)"
if [ "$(cat "$here/target/.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$here/target/walkthrough.jar" ]; then
  mkdir -p "$here/target"
  log="$here/target/build.log"
  # Maven's own warnings on new JDKs (sun.misc.Unsafe) go to the log; shown only on failure.
  if ! { "${mvn[@]}" install:install-file -Dfile="$jar" -DgroupId=dev.paramsecrets \
           -DartifactId=paramsecrets -Dversion="$version" -Dpackaging=jar &&
         "${mvn[@]}" package; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "building examples/java failed (log: $log)" >&2
    exit 1
  fi
  echo "$stamp" >"$here/target/.stamp"
fi
[ "${1:-}" != --install-only ] || exit 0
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$here/target/walkthrough.jar" "$@"
