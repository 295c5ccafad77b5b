#!/usr/bin/env python3
"""Reads one valgrind memcheck XML report (--xml=yes) and applies the leak check's gate.

    vgreport.py REPORT.xml OURS_REGEX [LABEL]

OURS_REGEX matches the object files that are ours (the extension module, the .node). Gate:
- 0 memory errors anywhere (invalid read/write/free, mismatched free, uninitialised values,
  overlapping copies, bad syscall arguments): whoever's frames they are in, they can corrupt us;
- 0 definitely lost blocks with one of our objects anywhere in the allocation stack.
Definite leaks without a frame of ours are the host runtime's own (CPython does not free all its
startup state at exit, even with PYTHONMALLOC=malloc): counted and printed, not gated. Possibly
lost / still reachable blocks are the runtime's and our global state alive at exit (the tokio
runtime, thread stacks): not leaks. Suppressed reports are counted by suppression name; one
named `once-per-load:...` (node.supp) may match at most once.
Prints one summary line, then each finding's stack; exits 1 on a finding, 2 on a broken report.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

LEAK_KINDS = {
    "Leak_DefinitelyLost",
    "Leak_IndirectlyLost",
    "Leak_PossiblyLost",
    "Leak_StillReachable",
}


def frames(error: ET.Element) -> list[tuple[str, str]]:
    stack = error.find("stack")
    if stack is None:
        return []
    return [(f.findtext("fn") or "???", f.findtext("obj") or "") for f in stack.iter("frame")]


def describe(error: ET.Element, ours: re.Pattern[str]) -> str:
    what = error.findtext("xwhat/text") or error.findtext("what") or error.findtext("kind") or "?"
    lines = [f"  {error.findtext('kind')}: {what}"]
    for fn, obj in frames(error)[:25]:
        mark = "*" if ours.search(obj) else " "
        lines.append(f"   {mark} {fn}  ({obj.rsplit('/', 1)[-1]})")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, ours, label = (
        sys.argv[1],
        re.compile(sys.argv[2]),
        (sys.argv[3] if len(sys.argv) > 3 else ""),
    )
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"{label}: no usable valgrind report {path}: {e}", file=sys.stderr)
        return 2
    findings: list[ET.Element] = []
    memory_errors = our_leaks = our_leak_blocks = host_leaks = host_leak_blocks = 0
    for error in root.iter("error"):
        kind = error.findtext("kind") or ""
        if kind not in LEAK_KINDS:
            memory_errors += 1
            findings.append(error)
        elif kind == "Leak_DefinitelyLost":
            blocks = int(error.findtext("xwhat/leakedblocks") or 1)
            if any(ours.search(obj) for _, obj in frames(error)):
                our_leaks += 1
                our_leak_blocks += blocks
                findings.append(error)
            else:
                host_leaks += 1
                host_leak_blocks += blocks
    # valgrind's own default suppressions (glibc, ld.so) are counted together; ours by name.
    suppressed = Counter()
    for pair in root.findall("suppcounts/pair"):
        name, n = pair.findtext("name") or "?", int(pair.findtext("count") or 0)
        ours_supp = name.startswith(("once-per-load:", "v8-", "cpython-"))
        suppressed[name if ours_supp else "valgrind defaults"] += n
    once = {
        name: n for name, n in suppressed.items() if name.startswith("once-per-load:") and n > 1
    }
    print(
        f"{label}: memory errors {memory_errors}, definitely lost in our code {our_leak_blocks} blocks"
        f" ({our_leaks} stacks); the runtime's own definitely lost {host_leak_blocks} blocks ({host_leaks} stacks,"
        f" not ours, not gated); suppressed: {dict(suppressed) or 0}"
    )
    for name, n in once.items():
        print(f"  {name} matched {n} times: it may match once per module load")
    for error in findings[:20]:
        print(describe(error, ours))
    return 1 if findings or once else 0


if __name__ == "__main__":
    sys.exit(main())
