#!/usr/bin/env bash
# `make docs-test` (after `make docs`): every code sample of the site and the README run against
# the emulator (run-samples.py), every public name documented (check-public-names.sh), and the
# built site in headless Chromium (browser-test). Runs all three; exits 1 if any failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()
echo "==> docs: code samples against the emulator"
python3 "$here/run-samples.py" || failed+=(samples)
"$here/check-public-names.sh" || failed+=(public-names)
"$here/browser-test" || failed+=(browser)
if [ "${#failed[@]}" -gt 0 ]; then
  echo "docs-test FAILED: ${failed[*]}"
  exit 1
fi
echo "==> docs-test: passed"
