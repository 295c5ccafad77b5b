#!/usr/bin/env bash
# `make release`: every artefact, for x86_64 and aarch64, into dist/release/ (after `make arm64`,
# which the Makefile runs first):
#
#   python/  the sdist and the two manylinux2014 abi3 wheels      (make -C bindings-python release)
#   npm/     paramsecrets and its two platform packages, packed    (make -C bindings-node release)
#   maven/   both artefacts in the repository layout, signed, and their Central bundles
#                                                                  (make -C bindings-java release)
#   sbom/    a CycloneDX SBOM per artefact                         (scripts/release/sbom.py)
#   SHA256SUMS  of everything above
#
# Reproducible: SOURCE_DATE_EPOCH is the last commit's time, so the same commit gives the same
# bytes (except the .asc signatures, which are made with a key of the run's own unless
# PARAMSECRETS_GPG_KEY names one). The folder is built beside dist/release and swapped in only
# when complete: a failed run leaves the previous release as it was.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
final="$ROOT/dist/release"
work="$ROOT/dist/release.partial"
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH

say() { echo "==> release: $*" >&2; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

say "Python: sdist and wheels"
make --no-print-directory -C bindings-python release RELEASE_DIR="$work/python"
say "npm: the main package and the platform packages"
make --no-print-directory -C bindings-node release RELEASE_DIR="$work/npm"
say "Maven: the jars, sources, javadoc, POMs, signatures, checksums and Central bundles"
make --no-print-directory -C bindings-java release RELEASE_DIR="$work/maven"
say "one version everywhere"
scripts/release/check-versions.py "$work"
say "SBOMs"
scripts/release/sbom.py "$work"
(cd "$work" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum > SHA256SUMS)

rm -rf "$final"
mv "$work" "$final"
trap - EXIT
say "wrote ${final#"$ROOT"/} (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH):"
(cd "$final" && find python npm maven -maxdepth 1 -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.tgz' -o -name '*.zip' \) \
  -printf '%10s  %p\n' | LC_ALL=C sort -k2) >&2
