"""Turns the Java benchmark's raw output (JMH JSON, cold-start lines) into bench/java/RESULTS.md
(on stdout) and, with --summary FILE, the summary.json (schema 1, bench/README.md) that
bench/assemble.py reads for the per-language summary table."""
import argparse
import json
import os
import platform
import re
import statistics

p = argparse.ArgumentParser()
for a in ("--mode", "--jmh", "--cold", "--jar", "--sdk-bytes", "--jmh-args", "--cold-runs", "--java"):
    p.add_argument(a, required=True)
p.add_argument("--summary", help="also write summary.json (schema 1) here")
args = p.parse_args()

with open(args.jmh) as f:
    jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(f)}


def ns(name):
    m = jmh[name]
    return m["score"], m["scoreError"]


def fmt_ns(v):
    return f"{v / 1000:.2f} µs" if v >= 1000 else f"{v:.1f} ns"


cold = {"ColdParamsecrets": [], "ColdAwsSdk": []}
with open(args.cold) as f:
    for line in f:
        which = line.split()[0]
        vals = dict(re.findall(r"(\w+)=([\d.]+)", line))
        cold[which].append({k: float(v) for k, v in vals.items()})


def med(which, key):
    return statistics.median(r[key] for r in cold[which])


hit, hit_err = ns("l1HitParamsecrets")
hm, hm_err = ns("l1HitHashMap")
pt, pt_err = ns("l1HitPowertoolsStyle")
miss, miss_err = ns("l1MissParamsecretsForceFetch")
http, http_err = ns("l1MissHttpClientKeepAlive")
jar_bytes = os.path.getsize(args.jar)
sdk_bytes = int(args.sdk_bytes)
ps_cold, sdk_cold = med("ColdParamsecrets", "cold_ms"), med("ColdAwsSdk", "cold_ms")
ps_up, sdk_up = med("ColdParamsecrets", "uptime_ms"), med("ColdAwsSdk", "uptime_ms")
ps_wall, sdk_wall = med("ColdParamsecrets", "wall_ms"), med("ColdAwsSdk", "wall_ms")


def ok(cond):
    return "✅" if cond else "❌"


print(f"""# Java benchmark results

Command: `make -C bench/java {'bench' if args.mode == 'full' else 'bench-quick'}` ({args.mode} run;
JMH `{args.jmh_args}`, single thread, average time per call; cold start = median of
{args.cold_runs} fresh JVMs each). Machine: {platform.machine()}, {os.cpu_count()} cores, {args.java}.
The emulator (release build) runs on 127.0.0.1; both sides of each comparison run in the same JVM
and the same run. Errors are JMH's 99.9% confidence half-widths.

## Per call

| what | paramsecrets | baseline | ratio | budget |
|---|---|---|---|---|
| L1 hit vs `HashMap.get` | {fmt_ns(hit)} ± {fmt_ns(hit_err)} | {fmt_ns(hm)} ± {fmt_ns(hm_err)} | {hit / hm:.0f}× slower | ≤ 1 µs: {ok(hit <= 1000)} {fmt_ns(hit)} |
| L1 hit vs Powertools-style `ConcurrentHashMap` + `Instant` TTL | {fmt_ns(hit)} | {fmt_ns(pt)} ± {fmt_ns(pt_err)} | {pt / hit:.2f}× (baseline / ours) | ≥ 10× faster: {ok(pt / hit >= 10)} |
| L1 hit vs one keep-alive HTTP GET | {fmt_ns(hit)} | {fmt_ns(http)} | {http / hit:.0f}× faster | ≥ 200× faster: {ok(http / hit >= 200)} |
| L1 miss (`forceFetch`) vs `java.net.http.HttpClient` keep-alive GET | {fmt_ns(miss)} ± {fmt_ns(miss_err)} | {fmt_ns(http)} ± {fmt_ns(http_err)} | {http / miss:.2f}× (baseline / ours) | no slower: {ok(miss <= http * 1.0)} |

The hand-written GET returns the body as a `String` without parsing it; paramsecrets parses
the JSON, checks the answer and refills its cache.

## Cold start (fresh JVM, median of {args.cold_runs})

| what | in-process (main → ready) | JVM uptime at that point | whole process (wall) | budget |
|---|---|---|---|---|
| paramsecrets: class load + native library + client + first read (a real request to the emulator) | {ps_cold:.1f} ms | {ps_up:.0f} ms | {ps_wall:.0f} ms | ≤ 150 ms: {ok(ps_cold <= 150)} |
| AWS SDK for Java v2: class load + `SsmClient.builder()...build()` (no request) | {sdk_cold:.1f} ms | {sdk_up:.0f} ms | {sdk_wall:.0f} ms | |
| ratio (SDK / paramsecrets) | {sdk_cold / ps_cold:.1f}× | {sdk_up / ps_up:.1f}× | {sdk_wall / ps_wall:.1f}× | |

## Size

| artefact | bytes | budget |
|---|---|---|
| `paramsecrets-*.jar` (native library inside, no dependency) | {jar_bytes:,} ({jar_bytes / 2**20:.2f} MiB) | ≤ 4 MB: {ok(jar_bytes <= 4 * 10**6)} |
| `software.amazon.awssdk:ssm` and its runtime dependencies | {sdk_bytes:,} ({sdk_bytes / 2**20:.2f} MiB) | |
""")

if args.summary:
    # DESIGN §8 budgets for Java; each judged on this run's medians / JMH averages.
    def budget(limit, value, met):
        return {"limit": limit, "value": round(value, 2), "met": bool(met)}

    summary = {
        "schema": 1,
        "language": "java",
        "mode": args.mode,
        "command": f"make -C bench/java {'bench' if args.mode == 'full' else 'bench-quick'}",
        "l1_hit_ns": round(hit, 2),
        "l1_hit_baseline_ns": round(hm, 2),
        "l1_hit_baseline": "HashMap.get",
        "powertools_style_hit_ns": round(pt, 2),
        "l1_miss_us": round(miss / 1000, 2),
        "http_get_us": round(http / 1000, 2),
        "http_get": "java.net.http.HttpClient keep-alive GET (body as String, unparsed)",
        "cold_start_ms": round(ps_cold, 2),
        "cold_start_what": "fresh JVM, main → ready: class load + native library + client + first read",
        "cold_start_baseline_ms": round(sdk_cold, 2),
        "cold_start_baseline": "AWS SDK for Java v2: class load + SsmClient.builder().build(), no request",
        "cold_start_wall_ms": round(ps_wall, 2),
        "artifact_bytes": jar_bytes,
        "artifact": os.path.basename(args.jar),
        "budgets": {
            "l1_hit_ns": budget(1000, hit, hit <= 1000),
            "l1_hit_vs_powertools": budget(10, pt / hit, pt / hit >= 10),
            "l1_hit_vs_http_get": budget(200, http / hit, http / hit >= 200),
            "l1_miss_vs_http_get": budget(1.0, miss / http, miss <= http),
            "cold_start_ms": budget(150, ps_cold, ps_cold <= 150),
            "artifact_bytes": budget(4_000_000, jar_bytes, jar_bytes <= 4_000_000),
        },
    }
    with open(args.summary, "w") as f:
        f.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
