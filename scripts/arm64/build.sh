#!/usr/bin/env bash
# Builds the aarch64-unknown-linux-gnu artefacts in the build root (set up by setup.sh), linked by
# zig against glibc 2.17, into the same places as the x86_64 ones:
#   bindings-python/dist/paramsecrets-<v>-cp310-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl
#   bindings-node/paramsecrets.linux-arm64-gnu.node           (beside paramsecrets.linux-x64-gnu.node)
#   bindings-java/target/native/linux-aarch64/libparamsecrets_java.so   (beside linux-x86-64/)
#   target/aarch64-unknown-linux-gnu/release/paramsecrets-emulator
#   dist/layers/paramsecrets-emulator-extension-arm64.zip    (beside …-x86_64.zip; stripped)
# The repo is bound into the root at its own path; cargo writes to the repo's target/ as usual
# (target/aarch64-unknown-linux-gnu/ for the aarch64 code). Crates download into the build root.
set -euo pipefail
. "$(dirname "$0")/common.sh"
require_roots
free_gb=$(( $(df -Pk "$REPO" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
[ "$free_gb" -ge 2 ] || die "only ${free_gb} GB free for $REPO/target; an aarch64 build needs about 2 GB"

in_build_root() {
  "$NSRUN" --bind "$REPO" --bind "$TOOLS:/opt/tools" \
    --env PATH=/opt/tools/bin:/usr/bin:/bin --env CARGO_HOME=/root/.cargo --env CARGO_TARGET_DIR="$REPO/target" \
    --env CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt --env CARGO_TERM_COLOR=never \
    "$BUILD_ROOT" -- bash -euo pipefail -c "cd '$REPO' && $1"
}

say "cargo zigbuild --release: the Node library and the emulator for $TRIPLE (glibc 2.17)"
in_build_root "cargo zigbuild --release --locked --target $TRIPLE.2.17 -p paramsecrets-node -p paramsecrets-emulator"
say "cargo zigbuild --profile release-jar: the Java library for $TRIPLE (fat LTO: Cargo.toml)"
in_build_root "cargo zigbuild --profile release-jar --locked --target $TRIPLE.2.17 -p paramsecrets-java"
say "maturin build --zig --compatibility manylinux2014: the wheel for $TRIPLE"
# Not CARGO_TARGET_..._LINKER: it would override maturin's zig linker (and the glibc 2.17 floor).
# SOURCE_DATE_EPOCH: the wheel's zip times, so the same commit gives the same wheel (make release).
in_build_root "cd bindings-python && SOURCE_DATE_EPOCH=$(git -C "$REPO" log -1 --format=%ct) maturin build --release --locked --zig --target $TRIPLE --compatibility manylinux2014 -o dist"

rel=$REPO/target/$TRIPLE/release
strip=$BUILD_ROOT/usr/bin/aarch64-linux-gnu-strip
objdump=$BUILD_ROOT/usr/bin/aarch64-linux-gnu-objdump
# The binutils of the build root run on the host only inside it (trixie's glibc): strip there.
stripped_emulator=$REPO/target/$TRIPLE/layer/paramsecrets-emulator
in_build_root "aarch64-linux-gnu-strip --strip-all -o bindings-node/paramsecrets.linux-arm64-gnu.node.tmp $rel/libparamsecrets_node.so
  mkdir -p bindings-java/target/native/linux-aarch64 '${stripped_emulator%/*}'
  aarch64-linux-gnu-strip --strip-all -o bindings-java/target/native/linux-aarch64/libparamsecrets_java.so.tmp ${rel}-jar/libparamsecrets_java.so
  aarch64-linux-gnu-strip --strip-all -o '$stripped_emulator' $rel/paramsecrets-emulator"
mv "$REPO/bindings-node/paramsecrets.linux-arm64-gnu.node.tmp" "$REPO/bindings-node/paramsecrets.linux-arm64-gnu.node"
mv "$REPO/bindings-java/target/native/linux-aarch64/libparamsecrets_java.so.tmp" "$REPO/bindings-java/target/native/linux-aarch64/libparamsecrets_java.so"
# The extension layer's arm64 twin, from the emulator just built (the host can neither build nor
# strip aarch64 code); scripts/arm64/test.sh checks it (aarch64, GLIBC_2.17, runs from the layer).
"$REPO/scripts/build-emulator-layer.sh" --target "$TRIPLE" --binary "$stripped_emulator"
lap "aarch64 artefacts built"
