#!/usr/bin/env bash
# Installs the local Lambda's parts from AWS, pinned, into ~/.cache/paramsecrets/local-lambda
# (or $PARAMSECRETS_CACHE/local-lambda), once: a second run finds them and does nothing.
#
#   scripts/local-lambda/install.sh [rie] [python] [node] [java]     (no argument: all four)
#
#   rie      the Runtime Interface Emulator, `go install`ed (static, CGO_ENABLED=0)  ~50 s cold
#   python   awslambdaric (PyPI) in its own venv                                      ~5 s
#   node     aws-lambda-ric (npm); compiles its bundled curl and aws-lambda-cpp       ~2-3 min
#   java     aws-lambda-java-runtime-interface-client and its dependencies (Maven)  ~20 s
#
# Each part is built in a temporary folder and moved into place when complete, so an
# interrupted install leaves nothing half-made behind. Prints nothing on success except what
# it installs; `scripts/local-lambda/install.sh --print-paths` prints the installed paths.
set -euo pipefail

RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
PY_RIC_VERSION=4.2.2
NODE_RIC_VERSION=4.0.2
JAVA_RIC_VERSION=2.10.1

here="$(cd "$(dirname "$0")" && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}/local-lambda"
rie_dir="$cache/rie-$RIE_VERSION"
py_dir="$cache/python-awslambdaric-$PY_RIC_VERSION"
node_dir="$cache/node-aws-lambda-ric-$NODE_RIC_VERSION"
java_dir="$cache/java-ric-$JAVA_RIC_VERSION"

say() { echo "==> local-lambda: $*" >&2; }

# install_into DIR FUNCTION: runs FUNCTION TMPDIR, then moves TMPDIR to DIR.
install_into() {
  local dir="$1" fn="$2" tmp
  [ -f "$dir/.complete" ] && return 0
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  # shellcheck disable=SC2064  # expand now: the trap must remove this very folder
  trap "rm -rf '$tmp'" EXIT
  local t0=$SECONDS
  "$fn" "$tmp"
  touch "$tmp/.complete"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
  say "installed $(basename "$dir") in $((SECONDS - t0)) s"
}

_rie() {
  command -v go >/dev/null || { echo "go is not installed (the RIE is a Go module)" >&2; return 1; }
  say "go install $RIE_MODULE@$RIE_VERSION"
  mkdir -p "$1/bin"
  GOBIN="$1/bin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "$RIE_MODULE@$RIE_VERSION"
}

_python() {
  say "pip install awslambdaric==$PY_RIC_VERSION"
  "${PYTHON:-python3}" -m venv "$1"
  "$1/bin/pip" install -q --disable-pip-version-check "awslambdaric==$PY_RIC_VERSION"
  # The venv's scripts name their interpreter by its absolute path: fix it for the final place.
  sed -i "1s|^#!$1/|#!$py_dir/|" "$1"/bin/* 2>/dev/null || true
  sed -i "s|$1|$py_dir|g" "$1/bin/activate" "$1/pyvenv.cfg" 2>/dev/null || true
}

_node() {
  say "npm install aws-lambda-ric@$NODE_RIC_VERSION (compiles native code, about 2-3 minutes)"
  printf '{"name":"local-lambda-node-ric","private":true}\n' >"$1/package.json"
  # With Lambda's Node 22 (the runtime the local Lambda runs it on), not whatever node is on PATH.
  local node_bin
  node_bin="$("$here/../ensure-node.sh" 22)"
  (cd "$1" && PATH="$node_bin:$PATH" npm install --no-audit --no-fund --loglevel=error "aws-lambda-ric@$NODE_RIC_VERSION" >/dev/null)
  [ -f "$1/node_modules/aws-lambda-ric/dist/index.mjs" ] || [ -f "$1/node_modules/aws-lambda-ric/index.mjs" ] ||
    { echo "aws-lambda-ric installed but no index.mjs found" >&2; return 1; }
}

_java() {
  say "mvn dependency:copy-dependencies (aws-lambda-java-runtime-interface-client $JAVA_RIC_VERSION)"
  local java_home
  java_home="$("$here/../../bindings-java/scripts/java-home.sh")"
  mkdir -p "$1/lib"
  JAVA_HOME="$java_home" mvn -B -q --no-transfer-progress -Dstyle.color=never \
    -f "$here/java-ric/pom.xml" -Dric.version="$JAVA_RIC_VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$1/lib" -DincludeScope=runtime >"$1/mvn.log" 2>&1 ||
    { cat "$1/mvn.log" >&2; return 1; }
  ls "$1"/lib/aws-lambda-java-runtime-interface-client-*.jar >/dev/null
}

if [ "${1:-}" = --print-paths ]; then
  echo "RIE=$rie_dir/bin/aws-lambda-rie"
  echo "PYTHON_RIC=$py_dir/bin/python"
  echo "NODE_RIC=$node_dir/node_modules/aws-lambda-ric"
  echo "JAVA_RIC_LIB=$java_dir/lib"
  exit 0
fi

parts=("$@")
[ "${#parts[@]}" -gt 0 ] || parts=(rie python node java)
for part in "${parts[@]}"; do
  case "$part" in
    rie) install_into "$rie_dir" _rie ;;
    python) install_into "$py_dir" _python ;;
    node) install_into "$node_dir" _node ;;
    java) install_into "$java_dir" _java ;;
    *) echo "unknown part: $part (rie, python, node, java)" >&2; exit 2 ;;
  esac
done
