#!/usr/bin/env python3
"""How often the prefetch-INIT check (run.py, check 3) fails by chance, from measured pairs.

Reads run.py's output (one or more logs), takes the paired INIT differences its prefetch check
printed for one language, centres them on zero (a prefetch that costs nothing) and replays the
check's rule on resamples: 10 pairs, 10 more at a time while the median is over the bound, up to
run.py's maximum, then judge the median of all. Shifting the centred pairs by a real cost shows
how often such a cost is caught.

    lambda-tests/chance.py java LOG [LOG ...] [--trials N] [--max-pairs N]

The pairs of 2026-12-07 are in results/ (lambda-tests/README.md).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics

from run import PREFETCH_EXTRA_MAX_MS, PREFETCH_MAX_PAIRS, PREFETCH_PAIRS

LINE = re.compile(r"(\w+): INIT with a module-scope prefetch .*? ms of \[([^\]]*)\]")


def pairs(lang: str, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        with open(path) as f:
            for m in LINE.finditer(f.read()):
                if m.group(1) == lang:
                    out += [float(x) for x in m.group(2).split(",") if x.strip()]
    return out


def fails(
    diffs: list[float], cost: float, most: int, trials: int, rng: random.Random
) -> tuple[float, float]:
    """(share of runs that fail, mean pairs measured) for a prefetch costing `cost` ms."""
    failed = measured = 0
    for _ in range(trials):
        xs = [rng.choice(diffs) + cost for _ in range(PREFETCH_PAIRS)]
        while len(xs) < most and statistics.median(xs) > PREFETCH_EXTRA_MAX_MS:
            xs += [rng.choice(diffs) + cost for _ in range(PREFETCH_PAIRS)]
        failed += statistics.median(xs) > PREFETCH_EXTRA_MAX_MS
        measured += len(xs)
    return failed / trials, measured / trials


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lang")
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--trials", type=int, default=20000)
    ap.add_argument(
        "--max-pairs",
        type=int,
        default=PREFETCH_MAX_PAIRS,
        help=f"the rule's most pairs (run.py: {PREFETCH_MAX_PAIRS})",
    )
    args = ap.parse_args()
    measured = pairs(args.lang, args.logs)
    if len(measured) < PREFETCH_PAIRS:
        print(f"{len(measured)} pairs for {args.lang} in those logs: too few to resample")
        return 1
    centre = statistics.median(measured)
    diffs = [x - centre for x in measured]
    print(
        f"{len(measured)} measured pairs for {args.lang}: median {centre:+.1f} ms, "
        f"stdev {statistics.stdev(measured):.1f} ms; rule: {PREFETCH_PAIRS} pairs, then "
        f"{PREFETCH_PAIRS} more at a time up to {args.max_pairs} while over "
        f"{PREFETCH_EXTRA_MAX_MS:g} ms"
    )
    rng = random.Random(21)
    for cost in (0.0, 10.0, 30.0, 40.0):
        share, n = fails(diffs, cost, args.max_pairs, args.trials, rng)
        print(f"a cost of {cost:+.0f} ms fails {share:.2%} of runs ({n:.1f} pairs on average)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
