#!/usr/bin/env bash
# The Maven Central release of both artefacts (make release RELEASE_DIR=...):
#   dev.paramsecrets:paramsecrets            the jar with both native libraries (x86-64, aarch64)
#   dev.paramsecrets:paramsecrets-powertools the Powertools providers (powertools/)
# each as jar, -sources.jar, -javadoc.jar and flattened POM, signed (.asc) and checksummed
# (.md5, .sha1, .sha256, .sha512), in RELEASE_DIR/dev/paramsecrets/... (the Maven layout) and in
# RELEASE_DIR/paramsecrets-<version>-central-bundle.zip (a Central Portal upload).
#
# The signing key is a throwaway: generated for this run in a temporary GNUPGHOME, deleted on
# exit; its public key is exported to RELEASE_DIR/release-signing-key.asc for the release test.
# A real upload to Central is signed with the project's published key instead: set
# PARAMSECRETS_GPG_KEY to its fingerprint in the default keyring (.github/workflows/release.yml;
# MAVEN_GPG_PASSPHRASE, if the key has one, is read by maven-gpg-plugin).
# Reproducible: every archive entry gets SOURCE_DATE_EPOCH (default: the last commit's time), and
# every archive is made anew (forceCreation: an up-to-date check must not ship a stale jar).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
release_dir="$(realpath -m "${1:?usage: scripts/release.sh RELEASE_DIR}")"
version="${VERSION:?VERSION (the Cargo workspace version) comes from the Makefile}"

for arch in linux-x86-64 linux-aarch64; do
  if [ ! -f "$here/target/native/$arch/libparamsecrets_java.so" ]; then
    hint='make -C bindings-java native'; [ "$arch" = linux-aarch64 ] && hint='make arm64'
    echo "make release: no $arch library in bindings-java/target/native/$arch/: run \`$hint\` first" >&2
    exit 1
  fi
done

build_jdk="$("$here/scripts/java-home.sh")"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}"
work="$(mktemp -d /tmp/paramsecrets-maven-release.XXXXXX)"
cleanup() {
  [ -n "${PARAMSECRETS_GPG_KEY:-}" ] || gpgconf --kill all 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${PARAMSECRETS_GPG_KEY:-}" ]; then
  key="$PARAMSECRETS_GPG_KEY"
  gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 \
    || { echo "make release: PARAMSECRETS_GPG_KEY=$key is not a secret key in the keyring" >&2; exit 1; }
  export GNUPGHOME="${GNUPGHOME:-$HOME/.gnupg}"
  echo "==> signing key $key (PARAMSECRETS_GPG_KEY)"
else
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --gen-key <<EOF
%no-protection
Key-Type: eddsa
Key-Curve: ed25519
Key-Usage: sign
Name-Real: paramsecrets release test (throwaway key)
Name-Email: release-test@paramsecrets.invalid
Expire-Date: 7d
%commit
EOF
  key="$(gpg --batch --list-secret-keys --with-colons 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')"
  echo "==> throwaway signing key $key (GNUPGHOME $GNUPGHOME, deleted on exit)"
fi

staging="$work/staging"
deploy() { # the module's folder, its log
  echo "==> mvn -Prelease deploy ($(basename "$1"), version $version, SOURCE_DATE_EPOCH $SOURCE_DATE_EPOCH) into the staging repository"
  if ! (cd "$1" && JAVA_HOME="$build_jdk" mvn -B --no-transfer-progress -Prelease \
        -Drevision="$version" -Dproject.build.outputTimestamp="$SOURCE_DATE_EPOCH" -Dmaven.test.skip=true \
        -Dmaven.jar.forceCreation=true -Dgpg.homedir="$GNUPGHOME" -Dgpg.keyname="$key" \
        -DaltDeploymentRepository="release-staging::file://$staging" deploy) >"$2" 2>&1; then
    grep -E "WARNING|ERROR" "$2" | grep -vE "^\[WARNING\] *$" | head -60
    echo "make release: mvn deploy of $(basename "$1") failed (log: $2)" >&2
    exit 1
  fi
}
mkdir -p "$here/target"
# Maven copies target/native into target/classes and never deletes there (see the Makefile).
rm -rf "$here"/target/classes/linux-*
deploy "$here" "$here/target/release-main.log"
deploy "$here/powertools" "$here/target/release-powertools.log"

mkdir -p "$release_dir"
echo "==> the Central bundle in $release_dir"
python3 "$repo/scripts/release/java/central.py" bundle "$staging" "$release_dir"
gpg --batch --armor --export "$key" >"$release_dir/release-signing-key.asc"
echo "==> public key: $release_dir/release-signing-key.asc"
