#!/usr/bin/env bash
# Runs the test suites on aarch64 under qemu-user (set up by setup.sh, artefacts by build.sh):
#   1. the aarch64 artefacts need nothing newer than GLIBC_2.17 (objdump -T); the jar carries both
#      linux-x86-64/ and linux-aarch64/; the arm64 extension layer zip holds the aarch64 emulator,
#      which starts and serves from the unpacked layer (scripts/layers/check.py, emulated)
#   2. Rust: cargo test (core + emulator, conformance included) built for aarch64, run emulated
#   3. Python, Node, Java: each binding's own suite (`make test` minus its build steps; Python:
#      `make test-quick`), run by arm64 Python 3.13, Node 22 and 24 and JDK 25 in the run root
#      against the aarch64 wheel, .node, jar and emulator
#   and, on the host, the npm package and jar tests again, now that both architectures are inside,
#   so the x86_64 pick from the two-architecture packages is checked too. The host's npm package
#   test packs, installs and type-checks the package once; the emulated Node runs load that same
#   install (packing, installing and tsc do not depend on the architecture and take ~7 minutes
#   under qemu).
# Emulated code runs ~5x slower: these are correctness runs, never performance figures.
set -euo pipefail
. "$(dirname "$0")/common.sh"
require_roots

rel=$REPO/target/$TRIPLE/release
emulator=$rel/paramsecrets-emulator
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$REPO/Cargo.toml")
wheel=$(ls -t "$REPO"/bindings-python/dist/paramsecrets-"$version"-*_aarch64.whl 2>/dev/null | head -1) || true
jar=$REPO/bindings-java/target/paramsecrets-$version.jar
layer=$REPO/dist/layers/paramsecrets-emulator-extension-arm64.zip
for f in "$emulator" "$wheel" "$REPO/bindings-node/paramsecrets.linux-arm64-gnu.node" "$REPO/bindings-node/paramsecrets.linux-x64-gnu.node" \
  "$REPO/bindings-node/native.js" "$REPO/bindings-java/target/native/linux-aarch64/libparamsecrets_java.so" "$jar" "$layer"; do
  [ -n "$f" ] && [ -e "$f" ] || die "missing ${f:-the aarch64 wheel in bindings-python/dist}: run make arm64 first"
done
failed=()
summary=()

# in_*_root CMD: CMD in bash in that root, aarch64 programs running under qemu, the repo at its own path.
# Emulated code runs ~5x slower, so two allowances, only for these emulated runs: the clients' default
# per-attempt timeout (PARAMSECRETS_TIMEOUT_MS, 3 s) becomes 5 s, since suites read a 300-800 ms-slow
# value with the default and single-flight tests must not see a retry; and pytest's per-test hang guard becomes
# 15 min (creating a venv and pip-installing the wheel take minutes emulated). Tests of timeouts
# set their own, so they still time out. (The Rust tests build their clients from an empty
# environment: the defaults.)
in_run_root() {
  "$NSRUN" --qemu "$QEMU" --bind "$REPO" --bind "$HOME/.m2:/root/.m2" \
    --env PARAMSECRETS_EMULATOR="$emulator" --env JAVA_HOME=/usr/lib/jvm/java-25-openjdk-arm64 \
    --env PARAMSECRETS_TIMEOUT_MS=5000 --env PYTEST_ARGS=--timeout=900 --env NPM_CONFIG_UPDATE_NOTIFIER=false \
    "$RUN_ROOT" -- bash -euo pipefail -c "cd '$REPO' && $1"
}
in_build_root() {
  "$NSRUN" --qemu "$QEMU" --bind "$REPO" --bind "$TOOLS:/opt/tools" \
    --env PATH=/opt/tools/bin:/usr/bin:/bin --env CARGO_HOME=/root/.cargo --env CARGO_TARGET_DIR="$REPO/target" \
    --env CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt --env CARGO_TERM_COLOR=never \
    --env PARAMSECRETS_EMULATOR="$REPO/target/$TRIPLE/debug/paramsecrets-emulator" --env PARAMSECRETS_TIMEOUT_MS=5000 \
    "$BUILD_ROOT" -- bash -euo pipefail -c "cd '$REPO' && $1"
}
# ARM64_SUITES="rust python" runs only those steps (artefacts host rust python node java); default all.
SUITES=${ARM64_SUITES:-artefacts host rust python node java}
# step NAME LOG CMD...: run, keep the log, print its tail on failure, go on with the next suite.
step() {
  local name=$1 log=$2; shift 2
  case " $SUITES " in *" $(basename "$log" .log | sed 's/^host-.*/host/; s/^artefacts-.*/artefacts/')"*) ;; *) return 0 ;; esac
  say "$name (log: $log)"
  if "$@" >"$log" 2>&1; then
    summary+=("PASS  $name: $(counts "$log")")
  else
    tail -40 "$log" >&2
    summary+=("FAIL  $name: $(counts "$log")")
    failed+=("$name")
  fi
  lap "$name"
}
# The pass/fail counts each runner prints (cargo, pytest, node:test's TAP and spec reporters,
# surefire/failsafe).
counts() {
  { set +e
    grep -E '^test result:' "$1" | awk '{p+=$4; f+=$6} END {if (NR) printf "cargo %d passed, %d failed; ", p, f}'
    grep -E '^=+ .*(passed|failed).* in [0-9.]+s' "$1" | tail -1 | sed 's/=//g; s/^ *//; s/ *$/; /'
    grep -E '^(#|ℹ) (pass|fail) ' "$1" | tr '\n' ' ' | sed -E 's/(# |ℹ )//g; s/ $/; /'
    grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$1" | grep -v ' -- in ' | sed 's/^\[[A-Z]*\] //; s/$/; /' | tr -d '\n'
  } | tr -d '\n' || true
}
logs=$REPO/target/arm64-test
mkdir -p "$logs"

floors() {
  local out=$logs/artefacts
  rm -rf "$out"; mkdir -p "$out"
  in_run_root "python3 -m zipfile -e '$wheel' '$out/wheel' && python3 -m zipfile -e '$jar' '$out/jar'
    worst=0
    for f in '$out'/wheel/paramsecrets/_native.abi3.so bindings-node/paramsecrets.linux-arm64-gnu.node \
             '$out'/jar/linux-aarch64/libparamsecrets_java.so '$emulator'; do
      file -b \"\$f\" | grep -q 'ARM aarch64' || { echo \"\$f is not an aarch64 ELF file\"; worst=1; }
      floor=\$(objdump -T \"\$f\" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
      printf '%-60s %9s bytes  needs GLIBC_%s\n' \"\${f##*/}\" \"\$(stat -c %s \"\$f\")\" \"\$floor\"
      [ \"\$(printf '%s\n' \"\$floor\" 2.17 | sort -V | tail -1)\" = 2.17 ] || { echo \"  -> newer than GLIBC_2.17\"; worst=1; }
    done
    for d in linux-x86-64 linux-aarch64; do
      [ -f '$out'/jar/\$d/libparamsecrets_java.so ] && echo \"jar carries \$d/libparamsecrets_java.so\" || { echo \"jar lacks \$d/\"; worst=1; }
    done
    exit \$worst"
}
step "artefacts: aarch64 ELF, GLIBC_2.17 floor, two-architecture jar" "$logs/artefacts.log" floors
case " $SUITES " in *" artefacts "*) cat "$logs/artefacts.log" >&2 ;; esac
step "artefacts: the arm64 extension layer (aarch64, GLIBC_2.17, serves from the unpacked zip)" "$logs/artefacts-layer.log" \
  in_run_root "python3 scripts/layers/check.py --arch arm64 emulator"
case " $SUITES " in *" artefacts "*) cat "$logs/artefacts-layer.log" >&2 ;; esac

# First on the host: quick, and it also brings Maven's test plugins into ~/.m2 for the offline
# emulated run below, and leaves the packed npm package installed for the emulated Node runs.
pack_dir=$logs/node-package
case " $SUITES " in *" host "*) rm -rf "$pack_dir" ;; esac
step "host x86_64: npm package with both binaries" "$logs/host-node.log" \
  env PARAMSECRETS_NODE_BINARIES=x64,arm64 PARAMSECRETS_NODE_PACK_DIR="$pack_dir" make -C "$REPO/bindings-node" emulator test-one T=test/package.test.mjs
step "host x86_64: jar with both libraries" "$logs/host-java.log" \
  make -C "$REPO/bindings-java" -o native emulator test \
  MVN_ARGS="-Dtest=NativeLibraryTest -Dit.test=JarSmokeIT -Dsurefire.failIfNoSpecifiedTests=false"

step "Rust (core + emulator, aarch64)" "$logs/rust.log" \
  in_build_root "cargo-zigbuild test --locked --no-fail-fast --target $TRIPLE.2.17 -p paramsecrets -p paramsecrets-emulator"

python_suite() {
  # The Python Makefile's venv, in the run root: Debian's Python 3.13 and pytest, the aarch64
  # wheel installed; then its whole pytest suite (test-quick: no build). Not `make test`: its
  # test-versions step builds the wheel here and wants Python 3.10 and 3.12, which have no
  # aarch64 build among Debian trixie's or PyPI's packages (the x86_64 run covers them).
  # Less the Powertools provider's tests: pure Python over the same native calls the rest of the
  # suite makes, they run in make test. Emulated, with them (and boto3 installed for them) the
  # step grew from 132 s to 462 s.
  in_run_root "v=/root/.cache/paramsecrets/python-dev
    rm -rf \$v && python3 -m venv --system-site-packages \$v
    \$v/bin/pip install -q --no-index --disable-pip-version-check '$wheel'
    make -C bindings-python -o emulator test-quick PYTEST_ARGS='--timeout=900 --ignore=tests/test_powertools.py'"
}
step "Python (arm64 python3 $(basename "$wheel"))" "$logs/python.log" python_suite

# The Powertools and middy integrations are JavaScript over the native calls the rest of the suite
# makes; they load the AWS SDK for their side-by-side checks (minutes emulated): make test runs them.
# release.test.mjs packs the npm tarballs and installs them offline: packaging happens on the build
# machine, whatever it is, and the arm64 platform package's install is make release-test's.
NODE_X86_ONLY="test/powertools.test.mjs test/middy.test.mjs test/release.test.mjs"
step "Node (arm64 node, paramsecrets.linux-arm64-gnu.node)" "$logs/node.log" \
  in_run_root "PARAMSECRETS_NODE_BINARIES=x64,arm64 PARAMSECRETS_NODE_PACK_DIR='$pack_dir' make -C bindings-node -o build -o emulator test TESTS_EXCLUDE='$NODE_X86_ONLY'"

# The Powertools provider's tests and the -Xcheck:jni rerun of the suite stay on x86_64 (make
# test): pure Java, and each one more emulated Maven run of minutes.
# One Java: trixie's JDK 25 (trixie has no 17; its 21 would be one more emulated suite of several
# minutes). The aarch64 library and its loading are the same on every Java; the version matrix
# (17, 21, 25) runs on x86_64, in make test and in the host step above.
step "Java (arm64 JDK 25, linux-aarch64/ from the jar)" "$logs/java.log" \
  in_run_root "make -C bindings-java -o native -o emulator test MVN_ARGS=-o JAVA_VERSIONS=25 CHECKJNI_V= POWERTOOLS="


printf '%s\n' "${summary[@]}" >&2
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
say "all aarch64 suites passed"
