#!/usr/bin/env bash
# The Python release, installed the way users install it, from a real package index on 127.0.0.1.
#
#   scripts/release/python/test.sh [RELEASE_DIR]      (default dist/release/python; fill it with
#                                                      `make -C bindings-python release`)
#
# 1. pypiserver (scripts/release/python/requirements.txt) on a free port of 127.0.0.1, uploads
#    guarded by an htpasswd user; `twine upload` sends it the sdist and both wheels. It also serves
#    the build backend (maturin, tomli: ensure-tools.sh), as PyPI does for an sdist build.
# 2. For each Python in PY_VERSIONS (3.10 3.11 3.12 3.13): a fresh venv and pip cache,
#    `pip install --index-url http://127.0.0.1:PORT/simple/ paramsecrets` (timed); the installed
#    version must be the Cargo workspace's and the files the x86_64 wheel's; then the README's
#    Python quick start (scripts/release/quickstart.py python), imported as a module, runs
#    `lambda_handler({}, None)` against a real emulator process (quickstart_harness.py checks
#    the values it read).
# 3. The sdist builds from source once (Python SDIST_PY, 3.12): `pip install --no-binary
#    paramsecrets` (cargo on PATH, crates from the local cargo cache), then the quick start.
# 4. Cross-architecture: `pip install --platform manylinux2014_aarch64|x86_64 --only-binary=:all:
#    --target DIR` gives that architecture's library; left in target/release-installs/python-arm64
#    and python-x86_64 (Lambda layers are built from them).
# 5. Bad input: Python 3.9 is refused (Requires-Python >=3.10) and gets nothing; a wheel whose
#    bytes were altered in transit (corrupt_proxy.py in front of the index) fails pip's sha256
#    check against the index's link fragment, and nothing is installed.
# Then a summary table (artefact sizes, install and build times).
#
# Nothing here reaches past 127.0.0.1: where it can (root, `unshare`), the script reruns itself
# in a network namespace of its own with only loopback up (PARAMSECRETS_RELEASE_NETNS=0: don't).
# Only ensure-tools.sh, before that, may reach PyPI to install the pinned tools once.
# Each failed check prints one line starting with FAIL; the exit status is 1 if any failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
PY_VERSIONS="${PY_VERSIONS:-3.10 3.11 3.12 3.13}"
SDIST_PY="${SDIST_PY:-3.12}"
TOKEN="release-test-token-$$"
USER_NAME="releaser"
USER_PASS="release-pass-$RANDOM$RANDOM"

# fd 3: the script's own stderr, for FAIL lines; a trap that fires while a command's output goes
# to a log file would otherwise write into that file
exec 3>&2
failures=0
fail() {
  echo "FAIL: $*" >&3
  failures=$((failures + 1))
}
die() {
  echo "FAIL: $*" >&3
  exit 1
}
ok() { echo "  ok: $*"; }

release_dir="${1:-$repo/dist/release/python}"
[ -d "$release_dir" ] || die "no release folder $release_dir: run \`make -C bindings-python release\` first"
release_dir="$(cd "$release_dir" && pwd)"

# --- before the network namespace: the tools (may use PyPI once) and the emulator ----------------
if [ -z "${PARAMSECRETS_RELEASE_IN_NETNS:-}" ]; then
  "$here/ensure-tools.sh" >/dev/null
  (cd "$repo" && CARGO_NET_OFFLINE=true cargo build -q -p paramsecrets-emulator) ||
    die "cargo build -p paramsecrets-emulator failed"
  if [ "${PARAMSECRETS_RELEASE_NETNS:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    unshare --net true 2>/dev/null; then
    echo "==> rerunning in a network namespace with only loopback (PARAMSECRETS_RELEASE_NETNS=0: don't)"
    export PARAMSECRETS_RELEASE_IN_NETNS=1
    # shellcheck disable=SC2016 # expanded by the inner bash
    exec unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$release_dir"
  fi
  echo "==> no network namespace (not root, no unshare, or PARAMSECRETS_RELEASE_NETNS=0): the test"
  echo "    still only addresses 127.0.0.1"
fi

tools="$("$here/ensure-tools.sh")"
tpy="$tools/bin/python"
version="$("$tpy" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["workspace"]["package"]["version"])' "$repo/Cargo.toml")"
sdist="paramsecrets-$version.tar.gz"
whl_x86="paramsecrets-$version-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
whl_arm="paramsecrets-$version-cp310-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl"
for f in "$sdist" "$whl_x86" "$whl_arm"; do
  [ -f "$release_dir/$f" ] || die "$release_dir/$f is missing: run \`make -C bindings-python release\`"
done
emulator_bin="$repo/target/debug/paramsecrets-emulator"
[ -x "$emulator_bin" ] || die "no emulator at $emulator_bin (cargo build -p paramsecrets-emulator)"

work="$(mktemp -d "${TMPDIR:-/tmp}/paramsecrets-release-python.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "FAIL: interrupted" >&3; exit 130' INT
trap 'echo "FAIL: terminated" >&3; exit 143' TERM

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { "$tpy" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# the interpreter a user would have: pyenv's, else python<v> on PATH
find_python() {
  local cand
  # shellcheck disable=SC2012 # pyenv's version folders: plain names
  for cand in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$1".* 2>/dev/null | sort -V -r); do
    [ -x "$cand/bin/python$1" ] && { echo "$cand/bin/python$1"; return; }
  done
  command -v "python$1" || true
}
# pip as a new user runs it: no configuration, no find-links, an empty cache of its own
user_pip() {
  local venv="$1"
  shift
  (cd "$work" && env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_NO_BINARY \
    -u PIP_ONLY_BINARY -u CARGO_TARGET_DIR PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CACHE_DIR="$venv.pip-cache" CARGO_NET_OFFLINE=true "$venv/bin/python" -m pip "$@")
}
new_venv() { # new_venv PYTHON DIR
  "$1" -m venv "$2" || die "$1 -m venv $2 failed"
}
# the quick start, unchanged, against the emulator; the client's environment and nothing else
run_quickstart() { # run_quickstart VENV
  (cd "$work" && env -u PARAMSECRETS_TOKEN -u AWS_TOKEN -u AWS_CONTAINER_AUTHORIZATION_TOKEN \
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT="$emulator_port" AWS_SESSION_TOKEN="$TOKEN" \
    "$1/bin/python" "$here/quickstart_harness.py" "$work/quickstart.py" "$repo/examples/store.json")
}
so_sha() { # so_sha WHEEL: sha256 of the native library inside
  "$tpy" -c 'import hashlib, sys, zipfile; print(hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read("paramsecrets/_native.abi3.so")).hexdigest())' "$1"
}
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; } # e_machine: 62 x86_64, 183 aarch64
wait_line() { # wait_line FILE PREFIX PID: print the rest of FILE's first line once it starts with PREFIX
  local line
  for _ in $(seq 100); do
    line="$(head -n1 "$1" 2>/dev/null || true)"
    case "$line" in "$2"*) echo "${line#"$2"}"; return 0 ;; esac
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

refused_install_left_nothing() { # VENV WHAT
  if "$1/bin/python" -c 'import paramsecrets' 2>/dev/null; then
    fail "$2: import paramsecrets works after it"
  else
    ok "nothing installed (import paramsecrets fails)"
  fi
}
# the first error line of a pip log (cargo's, pip's), else its last line
first_error() {
  local line
  line="$(grep -E '^ *(error(\[E[0-9]+\])?:|ERROR:)' "$1" | grep -v 'subprocess-exited-with-error' | head -n1 || true)"
  line="${line:-$(tail -n1 "$1")}"
  echo "${line#"${line%%[! ]*}"}"
}

summary=()
row() { summary+=("$(printf '%-58s %8s' "$1" "$2")"); }

# --- 1. the index ---------------------------------------------------------------------------------
echo "==> pypiserver on 127.0.0.1 ($("$tools/bin/pypi-server" --version 2>&1 | tail -n1)), uploads for user $USER_NAME"
mkdir -p "$work/packages"
"$tpy" - "$work/htpasswd" "$USER_NAME" "$USER_PASS" <<'PY'
import sys
from passlib.apache import HtpasswdFile

ht = HtpasswdFile(sys.argv[1], new=True)
ht.set_password(sys.argv[2], sys.argv[3])
ht.save()
PY
index_port=""
for _ in 1 2 3; do
  port="$(free_port)"
  "$tools/bin/pypi-server" run --interface 127.0.0.1 --port "$port" --passwords "$work/htpasswd" \
    --authenticate update --disable-fallback --hash-algo sha256 "$work/packages" \
    >"$work/pypiserver.log" 2>&1 3>&- &
  pids+=("$!")
  for _ in $(seq 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then index_port="$port"; break; fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$index_port" ] && break
done
[ -n "$index_port" ] || die "pypiserver did not start: $(tail -n1 "$work/pypiserver.log")"
index="http://127.0.0.1:$index_port/simple/"
ok "pypiserver listening on 127.0.0.1:$index_port"

if "$tools/bin/twine" upload --non-interactive --disable-progress-bar \
  --repository-url "http://127.0.0.1:$index_port/" -u "$USER_NAME" -p "wrong-$USER_PASS" \
  "$release_dir/$sdist" >"$work/twine-denied.log" 2>&1; then
  fail "pypiserver accepted an upload with a wrong password"
else
  ok "an upload with a wrong password is refused ($(grep -m1 -oE '40[13] [A-Z][a-z]+' "$work/twine-denied.log" || echo refused))"
fi
if ! "$tools/bin/twine" upload --non-interactive --disable-progress-bar \
  --repository-url "http://127.0.0.1:$index_port/" -u "$USER_NAME" -p "$USER_PASS" \
  "$release_dir/$sdist" "$release_dir/$whl_x86" "$release_dir/$whl_arm" >"$work/twine.log" 2>&1; then
  die "twine upload failed: $(grep -m1 -E 'ERROR|HTTPError' "$work/twine.log" || tail -n1 "$work/twine.log")"
fi
ok "twine upload: $sdist, $whl_x86, $whl_arm"
# the build backend an sdist build fetches from the index (PyPI has it; so does this index)
cp "$tools"/wheelhouse/*.whl "$work/packages/"
page="$(curl -fsS "${index}paramsecrets/")" || die "the index has no page for paramsecrets"
for f in "$sdist" "$whl_x86" "$whl_arm"; do
  sha="$(sha256sum <"$release_dir/$f" | cut -d' ' -f1)"
  grep -qF "$f#sha256=$sha" <<<"$page" || fail "the index does not list $f with #sha256=$sha"
done
ok "the index lists the three files, each with its sha256 fragment"

# --- the emulator and the quick start ------------------------------------------------------------
"$emulator_bin" --store "$repo/examples/store.json" --port 0 --token "$TOKEN" \
  >"$work/emulator.out" 2>"$work/emulator.err" 3>&- &
pids+=("$!")
emulator_port="$(wait_line "$work/emulator.out" "listening on 127.0.0.1:" "${pids[-1]}")" ||
  die "the emulator did not start: $(tail -n1 "$work/emulator.err")"
emulator_port="${emulator_port%% *}"
ok "emulator on 127.0.0.1:$emulator_port (examples/store.json)"
"$tpy" "$repo/scripts/release/quickstart.py" python >"$work/quickstart.py" ||
  die "scripts/release/quickstart.py python printed no quick start"

x86_so_sha="$(so_sha "$release_dir/$whl_x86")"
arm_so_sha="$(so_sha "$release_dir/$whl_arm")"

# --- 2. every Python: a new user's install ---------------------------------------------------------
for v in $PY_VERSIONS; do
  py="$(find_python "$v")"
  if [ -z "$py" ]; then
    fail "Python $v: no interpreter (~/.pyenv/versions/$v.* or python$v)"
    continue
  fi
  full="$("$py" -c 'import platform; print(platform.python_version())')"
  venv="$work/venv-$v"
  new_venv "$py" "$venv"
  echo "==> Python $full: pip install --index-url $index paramsecrets"
  t0="$(now)"
  if ! user_pip "$venv" install --index-url "$index" paramsecrets >"$venv.log" 2>&1; then
    fail "Python $full: pip install failed: $(first_error "$venv.log")"
    continue
  fi
  took="$(since "$t0")"
  pipv="$("$venv/bin/python" -m pip --version | cut -d' ' -f2)"
  echo "  installed in $took s (pip $pipv)"
  got="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("paramsecrets"))' 2>&1)" || got="(none)"
  if [ "$got" = "$version" ]; then ok "version $got"; else fail "Python $full: installed version $got, not $version"; fi
  if grep -qF "$whl_x86" "$venv.log" && ! grep -qF "$sdist" "$venv.log"; then
    ok "pip took $whl_x86, not the sdist"
  else
    fail "Python $full: pip did not install from $whl_x86: $(grep -m1 -E 'Downloading|Building' "$venv.log")"
  fi
  site_so="$("$venv/bin/python" -c 'import paramsecrets._native as n; print(n.__file__)' 2>/dev/null)" || site_so=""
  if [ -n "$site_so" ] && [ "$(sha256sum <"$site_so" | cut -d' ' -f1)" = "$x86_so_sha" ]; then
    ok "the installed _native.abi3.so is the wheel's"
  else
    fail "Python $full: the installed native library ${site_so:-(none)} is not the x86_64 wheel's"
  fi
  if run_quickstart "$venv" >"$venv.quickstart" 2>&1; then
    ok "$(tail -n1 "$venv.quickstart")"
  else
    fail "Python $full: the README quick start failed: $(grep -v '^quick start: failed' "$venv.quickstart" | tail -n1)"
  fi
  row "pip install paramsecrets, Python $full (pip $pipv)" "$took s"
done

# --- 3. the sdist builds from source -------------------------------------------------------------
py="$(find_python "$SDIST_PY")"
[ -n "$py" ] || die "Python $SDIST_PY: no interpreter for the sdist build"
full="$("$py" -c 'import platform; print(platform.python_version())')"
venv="$work/venv-sdist-$SDIST_PY"
new_venv "$py" "$venv"
echo "==> Python $full: pip install --no-binary paramsecrets (the sdist, built with $(cargo --version | cut -d' ' -f1,2))"
t0="$(now)"
if user_pip "$venv" install --no-binary paramsecrets --index-url "$index" paramsecrets >"$venv.log" 2>&1; then
  took="$(since "$t0")"
  echo "  built and installed in $took s"
  row "sdist build + install, Python $full" "$took s"
  if grep -qF "$sdist" "$venv.log" && ! grep -qF "$whl_x86" "$venv.log" && grep -q "Building wheel for paramsecrets" "$venv.log"; then
    ok "pip downloaded $sdist and built it"
  else
    fail "Python $full: pip did not build from $sdist: $(grep -m1 -E 'Downloading|Building' "$venv.log")"
  fi
  got="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("paramsecrets"))' 2>&1)" || got="(none)"
  if [ "$got" = "$version" ]; then ok "version $got"; else fail "sdist build: installed version $got, not $version"; fi
  if run_quickstart "$venv" >"$venv.quickstart" 2>&1; then
    ok "$(tail -n1 "$venv.quickstart")"
  else
    fail "sdist build: the README quick start failed: $(grep -v '^quick start: failed' "$venv.quickstart" | tail -n1)"
  fi
else
  fail "Python $full: building the sdist failed after $(since "$t0") s: $(first_error "$venv.log")"
fi

# --- 4. cross-architecture installs (Lambda layers) ------------------------------------------------
installer="$work/venv-$SDIST_PY" # the sdist venv's interpreter, with its stock pip
[ -x "$installer/bin/python" ] || installer="$venv"
for pair in "aarch64 python-arm64 183 $arm_so_sha" "x86_64 python-x86_64 62 $x86_so_sha"; do
  read -r arch dir machine want_sha <<<"$pair"
  target="$repo/target/release-installs/$dir"
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  echo "==> pip install --platform manylinux2014_$arch --only-binary=:all: --target target/release-installs/$dir"
  t0="$(now)"
  if ! user_pip "$installer" install --platform "manylinux2014_$arch" --only-binary=:all: \
    --target "$target" --index-url "$index" paramsecrets >"$work/target-$arch.log" 2>&1; then
    fail "--platform manylinux2014_$arch: pip install failed: $(first_error "$work/target-$arch.log")"
    continue
  fi
  took="$(since "$t0")"
  so="$target/paramsecrets/_native.abi3.so"
  if [ ! -f "$so" ]; then
    fail "--platform manylinux2014_$arch: no paramsecrets/_native.abi3.so in $target"
    continue
  fi
  got="$(elf_machine "$so")"
  if [ "$got" = "$machine" ] && [ "$(sha256sum <"$so" | cut -d' ' -f1)" = "$want_sha" ]; then
    ok "$arch: $(file -b "$so" | cut -d, -f1-2) (e_machine $got), the $arch wheel's library"
  else
    fail "--platform manylinux2014_$arch: $so has e_machine $got ($(file -b "$so" | cut -d, -f2)), not $machine / the $arch wheel's"
  fi
  row "pip install --platform manylinux2014_$arch --target" "$took s"
done

# --- 5. bad input ---------------------------------------------------------------------------------
py39="$(find_python 3.9)"
if [ -z "$py39" ]; then
  fail "Python 3.9: no interpreter (~/.pyenv/versions/3.9.*) for the Requires-Python check"
else
  full="$("$py39" -c 'import platform; print(platform.python_version())')"
  venv="$work/venv-3.9"
  new_venv "$py39" "$venv"
  echo "==> Python $full: pip install paramsecrets must be refused (Requires-Python >=3.10)"
  if user_pip "$venv" install --index-url "$index" paramsecrets >"$venv.log" 2>&1; then
    fail "Python $full: pip installed paramsecrets"
  else
    msg="$(grep -m1 -E "requires a different Python: $full not in '>=3\.10'|Requires-Python >=3\.10" "$venv.log" || true)"
    if [ -n "$msg" ]; then
      ok "pip: ${msg#ERROR: }"
    else
      fail "Python $full: pip failed without naming Requires-Python >=3.10: $(first_error "$venv.log")"
    fi
  fi
  refused_install_left_nothing "$venv" "Python $full: the refused install"
fi

echo "==> a corrupt download: $whl_x86 with one byte altered on its way from the index"
"$tpy" "$here/corrupt_proxy.py" "$index_port" "$whl_x86" >"$work/proxy.out" 2>"$work/proxy.log" 3>&- &
pids+=("$!")
proxy_port="$(wait_line "$work/proxy.out" "listening on 127.0.0.1:" "${pids[-1]}")" ||
  die "corrupt_proxy.py did not start: $(tail -n1 "$work/proxy.log")"
py="$(find_python "$SDIST_PY")"
venv="$work/venv-corrupt"
new_venv "$py" "$venv"
good_sha="$(sha256sum <"$release_dir/$whl_x86" | cut -d' ' -f1)"
if user_pip "$venv" install --index-url "http://127.0.0.1:$proxy_port/simple/" paramsecrets >"$venv.log" 2>&1; then
  fail "pip installed a wheel whose bytes do not match the index's sha256"
elif grep -q "Expected sha256 $good_sha" "$venv.log" && grep -qE '^ +Got +[0-9a-f]{64}' "$venv.log"; then
  ok "pip refused it: $(grep -m1 -o 'THESE PACKAGES DO NOT MATCH THE HASHES' "$venv.log"), expected sha256 ${good_sha:0:16}…, got $(grep -m1 -oE 'Got +[0-9a-f]{16}' "$venv.log" | awk '{print $2}')…"
else
  fail "pip failed on the corrupt wheel without a hash mismatch: $(first_error "$venv.log")"
fi
refused_install_left_nothing "$venv" "the refused corrupt download"

# --- summary --------------------------------------------------------------------------------------
echo
echo "paramsecrets $version, Python release artefacts ($release_dir)"
for f in "$sdist" "$whl_x86" "$whl_arm"; do
  printf '  %-80s %9s bytes (%s MB)\n' "$f" "$(stat -c %s "$release_dir/$f")" \
    "$(awk -v b="$(stat -c %s "$release_dir/$f")" 'BEGIN { printf "%.2f", b / 1048576 }')"
done
echo "Install and build times (fresh venv and pip cache each; index on 127.0.0.1)"
for r in ${summary[@]+"${summary[@]}"}; do echo "  $r"; done
echo
if [ "$failures" -gt 0 ]; then
  echo "release test (Python): $failures check(s) FAILED" >&2
  exit 1
fi
echo "release test (Python): all checks passed"
