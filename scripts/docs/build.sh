#!/usr/bin/env bash
# `make docs`: the documentation site, built with --strict into target/docs/site.
#   1. the tools (scripts/docs/ensure-tools.sh: mkdocs + mkdocstrings venv, TypeDoc, chromium);
#   2. the Node API reference: TypeDoc over the shipped .d.ts -> target/docs/api/node
#      (--treatWarningsAsErrors with validation.notDocumented: an undocumented export fails);
#   3. the Java API reference: javadoc over bindings-java/src/main/java with the release build's
#      options (-Xdoclint:all, warnings are errors) -> target/docs/api/java;
#   4. mkdocs build --strict (the Python API reference is rendered by mkdocstrings from the
#      package's stubs; scripts/docs/hooks.py adds the two generated references and the
#      benchmark charts to the site, so --strict checks every link into them).
# Prints the site's path on success. Nothing is written inside the repository but target/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
out="$repo/target/docs"
cd "$repo"

scripts/docs/ensure-tools.sh
nodebin="$(scripts/ensure-node.sh 22)"
mkdir -p "$out"

echo "==> docs: Node API reference (TypeDoc, from bindings-node/lib/*.d.ts)"
# The .d.ts import @types/node and Powertools' types: the package's own dev dependencies
# (npm ci, idempotent), so the reference is checked against the versions the package is.
PATH="$nodebin:$PATH" make --no-print-directory -s -C bindings-node install >/dev/null
rm -rf "$out/api/node"
PATH="$nodebin:$PATH" "$cache/docs-node/node_modules/.bin/typedoc" \
  --options scripts/docs/typedoc.json --out "$out/api/node"

echo "==> docs: Java API reference (javadoc -Xdoclint:all, from bindings-java/src/main/java)"
jdk="$(scripts/ensure-jdk.sh 17)"
rm -rf "$out/api/java"
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
find bindings-java/src/main/java -name '*.java' | sort >"$out/javadoc-sources.txt"
"$jdk/bin/javadoc" -quiet -notimestamp -Xdoclint:all -Werror -Xmaxwarns 10000 \
  -doctitle "paramsecrets $version (Java)" -windowtitle "paramsecrets $version" \
  -d "$out/api/java" "@$out/javadoc-sources.txt"

# Debian's JDK leaves javadoc's bundled DejaVu fonts out (they are the fonts-dejavu package), but
# its stylesheet still imports resources/fonts/dejavu.css: give it one that uses the system's.
if [ ! -e "$out/api/java/resources/fonts/dejavu.css" ]; then
  mkdir -p "$out/api/java/resources/fonts"
  printf '/* javadoc fonts: DejaVu from the system (Debian ships them as fonts-dejavu) */\n' \
    >"$out/api/java/resources/fonts/dejavu.css"
fi

echo "==> docs: mkdocs build --strict -> target/docs/site"
rm -rf "$out/site"
NO_MKDOCS_2_WARNING=1 "$cache/docs-venv/bin/mkdocs" build --strict --quiet --config-file mkdocs.yml --site-dir "$out/site"
echo "$out/site"
