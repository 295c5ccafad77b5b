#!/usr/bin/env python3
"""INIT and first-invocation cost of paramsecrets in the local Lambda, per language.

    bench/lambda/bench.py full|quick [--langs python node java]

Each cold start is a fresh RIE (scripts/local-lambda) running the lifecycle probe
(lambda-tests/handlers) in AWS's runtime interface client with the emulator layer as the
extension. Per language, interleaved in rounds (full: 10 rounds, quick: 3), one cold start of:

  bare      a handler that imports nothing: the baseline, in the same run
  client    import paramsecrets + build a client at module scope
  prefetch  ... + prefetch a parameter and a secret at module scope

Reported: the median of RIE's INIT REPORT per mode and what each adds to bare; the first
invocation's latency (the handler's own timing of reading both names, and RIE's invoke
duration) without prefetch (client) and with it. Writes bench/lambda/RESULTS.md and
bench/lambda/summary.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "lambda-tests"))

import probes

MODES = ("bare", "client", "prefetch")


def cold_start(lang, prepared, mode):
    lam = probes.probe(lang, prepared, mode)
    try:
        lam.start()
        inv = lam.invoke({})
        init = lam.init_ms()
        body = inv.json() if inv.status == 200 else {}
    finally:
        left = lam.stop()
    if inv.status != 200 or init is None or body.get("error") or left:
        raise SystemExit(f"{lang} {mode}: HTTP {inv.status} {inv.body} (left {left})")
    return {
        "init_ms": init,
        "init_code_ms": body.get("init_code_ms"),
        "invoke_ms": inv.runtime_ms,
        "read_ms": body.get("read_ms"),
    }


def med(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 2) if xs else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("full", "quick"), nargs="?", default="quick")
    ap.add_argument("--langs", nargs="*", default=list(probes.LANGS))
    a = ap.parse_args()
    rounds = 10 if a.mode == "full" else 3
    probes.local_lambda.install("rie", *a.langs)
    started = time.monotonic()
    results = {}
    for lang in a.langs:
        prepared = probes.prepare(lang)
        runs = {m: [] for m in MODES}
        order = random.Random(1)  # a fixed seed: the same shuffled order in every run
        for _ in range(rounds):
            # Shuffled within each round, so no mode always runs first (or right after another).
            for m in order.sample(MODES, len(MODES)):
                runs[m].append(cold_start(lang, prepared, m))
        r = {
            m: {k: med(x[k] for x in runs[m]) for k in ("init_ms", "init_code_ms", "invoke_ms", "read_ms")}
            for m in MODES
        }
        r["rounds"] = rounds
        r["added_client_ms"] = round(r["client"]["init_ms"] - r["bare"]["init_ms"], 2)
        r["added_prefetch_ms"] = round(r["prefetch"]["init_ms"] - r["bare"]["init_ms"], 2)
        r["prefetch_over_client_ms"] = round(r["prefetch"]["init_ms"] - r["client"]["init_ms"], 2)
        results[lang] = r
        print(
            f"{lang}: INIT bare {r['bare']['init_ms']} ms, +client {r['added_client_ms']:+.1f} ms, "
            f"+client+prefetch {r['added_prefetch_ms']:+.1f} ms; first reads {r['client']['read_ms']} ms "
            f"without prefetch, {r['prefetch']['read_ms']} ms with",
            flush=True,
        )
    took = time.monotonic() - started
    cmd = f"bench/lambda/bench.py {a.mode}"
    with open(os.path.join(HERE, "summary.json"), "w") as f:
        json.dump(
            {"command": cmd, "rounds": rounds, "seconds": round(took), "languages": results}, f, indent=1
        )
    md = [
        "# INIT and first invocation in the local Lambda",
        "",
        (
            f"`{cmd}` ({rounds} rounds, {took:.0f} s; {platform.node()}, {os.cpu_count()} CPUs). Every figure "
            "is the median over that many cold starts, each a fresh RIE with AWS's runtime interface "
            "client and the emulator layer as the extension, the three handlers in a shuffled order in "
            "every round. INIT is RIE's `INIT REPORT`; the first invocation reads one parameter and one "
            "secret (the handler's own timing, then RIE's invoke duration). 'Module-scope code' is "
            "the probe's own timing of its module-scope code (import, client, prefetch), less exposed "
            "to the runtime's start-up noise than INIT."
        ),
        "",
        (
            "| language | INIT bare | INIT import + client (added) | INIT + prefetch of 2 names (added) | "
            "prefetch over client | module-scope code: client | module-scope code: client + prefetch | "
            "first reads, no prefetch | first reads, prefetched | first invoke, no prefetch | "
            "first invoke, prefetched |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lang, r in results.items():
        md.append(
            f"| {lang} | {r['bare']['init_ms']} ms | {r['client']['init_ms']} ms ({r['added_client_ms']:+.1f}) | "
            f"{r['prefetch']['init_ms']} ms ({r['added_prefetch_ms']:+.1f}) | "
            f"{r['prefetch_over_client_ms']:+.1f} ms | {r['client']['init_code_ms']} ms | "
            f"{r['prefetch']['init_code_ms']} ms | {r['client']['read_ms']} ms | {r['prefetch']['read_ms']} ms | "
            f"{r['client']['invoke_ms']} ms | {r['prefetch']['invoke_ms']} ms |"
        )
    md += [
        "",
        (
            "DESIGN §8: prefetch adds ≤ 20 ms to INIT (the 'prefetch over client' column; "
            "asserted by `make lambda-test`)."
        ),
        "",
    ]
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
