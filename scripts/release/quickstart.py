#!/usr/bin/env python3
"""Print a README quick start, so the release test runs exactly what the README shows.

    scripts/release/quickstart.py python|node|java|install-python|...

A quick start is the fenced block right after a `<!-- quickstart:<name> -->` line in the
top-level README.md. A missing or empty block is an error (exit 1), never an empty program.
"""

import pathlib
import re
import sys

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def block(name: str, text: str) -> str:
    marker = re.search(rf"^<!-- quickstart:{re.escape(name)} -->\n", text, re.M)
    if not marker:
        raise SystemExit(
            f"quickstart.py: no '<!-- quickstart:{name} -->' marker in {README}"
        )
    fence = re.compile(r"^```[a-z]*\n(.*?)^```$", re.M | re.S).match(text, marker.end())
    if not fence or not fence.group(1).strip():
        raise SystemExit(
            f"quickstart.py: the '<!-- quickstart:{name} -->' marker in {README} "
            "is not followed by a non-empty fenced block"
        )
    return fence.group(1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.stdout.write(block(sys.argv[1], README.read_text(encoding="utf-8")))
