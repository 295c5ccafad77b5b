#!/usr/bin/env bash
# Fails, naming each one, on a public name without documentation in any of the three packages:
#   Python: scripts/docs/check-python-names.py (griffe, from the package's stubs and sources);
#   Node:   TypeDoc over the shipped .d.ts with validation.notDocumented and
#           --treatWarningsAsErrors (scripts/docs/typedoc.json), emitting nothing;
#   Java:   javadoc -Xdoclint:all -Werror over bindings-java/src/main/java (the release build's
#           rule: a missing comment is a warning, and a warning fails).
# Runs all three and reports every failure before exiting non-zero.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${PARAMSECRETS_CACHE:-$HOME/.cache/paramsecrets}"
cd "$repo" || exit 1
"$repo/scripts/docs/ensure-tools.sh" || exit 1
failed=()

echo "==> docs: public Python names (griffe)"
"$cache/docs-venv/bin/python" scripts/docs/check-python-names.py || failed+=(python)

echo "==> docs: public Node names (TypeDoc validation.notDocumented)"
nodebin="$(scripts/ensure-node.sh 22)"
if PATH="$nodebin:$PATH" "$cache/docs-node/node_modules/.bin/typedoc" \
     --options scripts/docs/typedoc.json --emit none --logLevel Warn; then
  echo "Node public names: every export documented"
else
  failed+=(node)
fi

echo "==> docs: public Java names (javadoc -Xdoclint:all)"
jdk="$(scripts/ensure-jdk.sh 17)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
find bindings-java/src/main/java -name '*.java' | sort >"$tmp/sources.txt"
if "$jdk/bin/javadoc" -quiet -Xdoclint:all -Werror -Xmaxwarns 10000 -d "$tmp/out" "@$tmp/sources.txt"; then
  echo "Java public names: every public class and member documented ($(wc -l <"$tmp/sources.txt") files)"
else
  failed+=(java)
fi

if [ "${#failed[@]}" -gt 0 ]; then
  echo "public-name check FAILED for: ${failed[*]}"
  exit 1
fi
echo "public-name check: passed (Python, Node, Java)"
