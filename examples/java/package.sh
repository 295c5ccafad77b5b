#!/usr/bin/env bash
# Prepares the Java function for the local Lambda: installs bindings-java's jar into the local
# Maven repository (dev.paramsecrets:paramsecrets:<v>), builds the shaded target/walkthrough.jar
# (what you would upload to Lambda) and puts it alone in target/lambda/, the LAMBDA_TASK_ROOT.
# Rebuilt only when the paramsecrets jar or the example's sources change.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
jar="$root/bindings-java/target/paramsecrets-$version.jar"
[ -f "$jar" ] || { echo "no $jar: run make -C bindings-java jar" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME_22:-$("$root/bindings-java/scripts/java-home.sh")}"
mvn=(mvn -B -q --no-transfer-progress -Dstyle.color=never -f "$here/pom.xml" -Dparamsecrets.version="$version")
[ -z "${MAVEN_REPO:-}" ] || mvn+=(-Dmaven.repo.local="$MAVEN_REPO")

stamp="$(cat "$jar" "$here/pom.xml" "$here"/src/main/java/example/*.java | sha256sum | cut -c1-16)"
if [ "$(cat "$here/target/.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$here/target/lambda/walkthrough.jar" ]; then
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
  rm -rf "$here/target/lambda"
  mkdir -p "$here/target/lambda"
  cp "$here/target/walkthrough.jar" "$here/target/lambda/"
  echo "$stamp" >"$here/target/.stamp"
fi
