#!/usr/bin/env bash
# `make release-test`: install dist/release/ the way users do, through real registry servers on
# 127.0.0.1, then rebuild the Lambda layers from those installs and check them.
#
#   1. the files are the ones `make release` wrote (SHA256SUMS) and agree on one version;
#   2. scripts/release/python/test.sh  pypiserver: twine upload, pip install on 3.10-3.13, the sdist
#      once, --platform installs for both architectures, bad input;
#   3. scripts/release/node/test.sh    verdaccio: npm publish, npm install on Node 22 and 24, --cpu
#      installs for both architectures, bad input;
#   4. scripts/release/java/test.sh    a local Maven repository: mvn deploy, a fresh project with a
#      <dependency> on Java 17, 21 and 25, signatures, bad input;
#   5. the layers (dist/layers/) rebuilt from the installs those tests leave in
#      target/release-installs/ (not from the build tree), then scripts/layers/check.py.
#
# Each step prints its own time; a failing step stops the run (servers are stopped by the
# step's own trap).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
release="$ROOT/dist/release"
installs="$ROOT/target/release-installs"
[ -f "$release/SHA256SUMS" ] || { echo "release-test: no $release/SHA256SUMS; run make release first" >&2; exit 1; }

start=$SECONDS
step() {
  local t=$SECONDS
  echo "==> release-test: $1" >&2
  shift
  "$@"
  echo "==> release-test: passed in $((SECONDS - t)) s" >&2
}

step "the artefacts are the ones make release wrote" bash -c "cd '$release' && sha256sum --quiet -c SHA256SUMS"
step "one version everywhere" scripts/release/check-versions.py "$release"
rm -rf "$installs"
step "Python through pypiserver" scripts/release/python/test.sh "$release/python"
step "npm through verdaccio" scripts/release/node/test.sh "$release/npm"
step "Maven through a local repository" scripts/release/java/test.sh "$release/maven"
for arch in x86_64 arm64; do
  step "the $arch layers from the registry installs" \
    scripts/layers/build.sh --arch "$arch" --from-installs "$installs" python nodejs java
  step "the $arch layers, checked" python3 scripts/layers/check.py --arch "$arch" python nodejs java
done
echo "==> release-test: all passed in $((SECONDS - start)) s" >&2
