#!/usr/bin/env bash
# Prints the path of actionlint (github.com/rhysd/actionlint, pinned), built once with
# `go install` from the Go module proxy into ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/actionlint.
set -euo pipefail
version=v1.7.12
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
bin="$cache/actionlint-$version/actionlint"
if [ ! -x "$bin" ]; then
  go=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$go" ] || { echo "error: actionlint is built with Go, and there is no go on PATH or at /usr/local/go/bin" >&2; exit 1; }
  echo "==> building actionlint $version with go install (one time)" >&2
  GOBIN="$cache/actionlint-$version.tmp" GOFLAGS=-mod=mod "$go" install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
  rm -rf "${bin%/*}" && mv "$cache/actionlint-$version.tmp" "${bin%/*}"
fi
echo "$bin"
