#!/usr/bin/env python3
"""Footprint of paramsecrets per language against the AWS SDK client users would otherwise build.

    make -C bench/footprint bench         # 7 fresh processes per client and runtime
    make -C bench/footprint bench-quick   # 3

For each runtime (Python 3.12 and 3.13 with the built wheel, Node 22 with bindings-node's build,
Java 21 with bindings-java's jar) and each client (paramsecrets; boto3, @aws-sdk/client-ssm,
AWS SDK for Java v2 `SsmClient`), a fresh process (probe.py, probe.mjs, java/…/Probe.java) samples
its RSS, threads and open file descriptors at three stages: baseline (runtime started, nothing
imported), after import + client construction, after the first read. paramsecrets' first read is a
miss through a real emulator process; the SDK's goes to bench/python's SSM stub (GetParameter,
JSON 1.1) on 127.0.0.1, served from this process. Runs are interleaved; medians and ranges of the
deltas from the baseline. Writes RESULTS.md and summary.json beside this file.

Budgets (issue #21): import + client + first read add ≤ 5 MB RSS in Python, ≤ 8 MB in Node,
≤ 15 MB in Java (MB = 10^6 bytes, the stricter reading), and at most one thread beyond what the
host runtime starts.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import statistics
import subprocess
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

# The emulator wrapper, the SSM stub and the parameter they serve: bench/python's, not a copy.
_spec = importlib.util.spec_from_file_location("python_bench", REPO / "bench/python/bench.py")
pybench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pybench)

BUDGET_MB = {"python": 5.0, "node": 8.0, "java": 15.0}
BUDGET_THREADS = 1
SDK = {"python": "boto3", "node": "@aws-sdk/client-ssm", "java": "AWS SDK for Java v2 SsmClient"}
WHAT = {
    "python": ("`import paramsecrets` + `Client()`", "`import boto3` + `boto3.client('ssm')`"),
    "node": (
        "`await import('paramsecrets')` + `new Client()`",
        "`await import('@aws-sdk/client-ssm')` + `new SSMClient()`",
    ),
    "java": ("`Client.builder().build()`", "`SsmClient.builder()…build()` (Apache HTTP client)"),
}
# Threads a host runtime starts by itself, whichever library asks (name prefixes, as in
# /proc/self/task/*/comm, 15 characters at most): the thread budget counts only the others.
# Python starts none. Node: the libuv pool (`libuv-worker`) serves any fs/dns/crypto call. The JVM:
# compiler and GC threads started on demand, the JDK's own cleaner, the attach listener.
HOST_THREADS = {
    "python": (),
    "node": ("libuv-worker",),
    "java": (
        "C1 CompilerThre",
        "C2 CompilerThre",
        "GC Thread#",
        "G1 ",
        "Common-Cleaner",
        "Attach Listener",
    ),
}


def added(stage: dict, base: dict) -> list[str]:
    return sorted(name for tid, name in stage["threads"].items() if tid not in base["threads"])


def fd_kind(target: str) -> str:
    """`socket`, `pipe`, `eventpoll`, `eventfd`, … or the file's name (`*.jar` for any jar)."""
    if target.startswith(("socket:", "pipe:")):
        return target.split(":", 1)[0]
    if target.startswith("anon_inode:"):
        return target.split(":", 1)[1].strip("[]")
    return "*.jar" if target.endswith(".jar") else Path(target).name


def added_fds(stage: dict, base: dict) -> list[str]:
    return sorted(fd_kind(t) for fd, t in stage["fds"].items() if base["fds"].get(fd) != t)


def deltas(run: dict) -> dict:
    s = run["stages"]
    base = s["baseline"]
    out = {"baseline_rss_mb": base["rss_kb"] * 1024 / 1e6, "baseline_threads": len(base["threads"])}
    out["baseline_fds"] = len(base["fds"])
    for stage in ("client", "first_read"):
        out[f"{stage}_rss_mb"] = (s[stage]["rss_kb"] - base["rss_kb"]) * 1024 / 1e6
        out[f"{stage}_threads"] = len(s[stage]["threads"]) - len(base["threads"])
        out[f"{stage}_fds"] = len(s[stage]["fds"]) - len(base["fds"])
        out[f"{stage}_new_threads"] = added(s[stage], base)
        out[f"{stage}_new_fds"] = added_fds(s[stage], base)
    return out


def stat(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def fmt(s: dict, unit: str = "", digits: int = 0) -> str:
    m, lo, hi = (format(s[k], f".{digits}f") for k in ("median", "min", "max"))
    spread = "" if lo == hi else f" ({lo}–{hi})"
    return f"{'+' if s['median'] >= 0 else ''}{m}{unit}{spread}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 fresh processes per client, not 7")
    ap.add_argument("--runs", type=int, help="fresh processes per client and runtime")
    ap.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="VER=PYTHON",
        help="a venv python with paramsecrets and boto3 (repeatable)",
    )
    ap.add_argument("--node", metavar="VER=NODE", help="node binary (Node 22)")
    ap.add_argument("--java", metavar="VER=JAVA", help="java binary (Java 21)")
    ap.add_argument("--java-cp", help="classpath: the probe's classes, the jar, the SDK")
    ap.add_argument("--command", default=None, help="the command to quote in RESULTS.md")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--summary", default=str(HERE / "summary.json"))
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    mode = "quick" if args.quick else "full"
    command = args.command or f"make -C bench/footprint {'bench-quick' if args.quick else 'bench'}"

    emu_store = Path(tempfile.mkdtemp(prefix="paramsecrets-footprint-")) / "store.json"
    emu_store.write_text(
        json.dumps({"parameters": [{"name": pybench.NAME, "value": pybench.VALUE}]})
    )
    emu = pybench.Emulator(emu_store)
    stub = ThreadingHTTPServer(("127.0.0.1", 0), pybench._SSMStub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    ssm = f"http://127.0.0.1:{stub.server_address[1]}"
    # What a Lambda execution environment sets; dummy credentials for the SDKs, none real.
    env = dict(
        os.environ,
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(emu.port),
        AWS_SESSION_TOKEN=pybench.TOKEN,
        AWS_ACCESS_KEY_ID="AKIDFOOTPRINT",
        AWS_SECRET_ACCESS_KEY="footprint",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    for k in ("PARAMSECRETS_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "NODE_OPTIONS"):
        env.pop(k, None)
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

    # (lang, runtime label, client label, argv)
    probes: list[tuple[str, str, str, list[str]]] = []
    for spec in args.python:
        ver, py = spec.split("=", 1)
        for client in ("paramsecrets", "boto3"):
            probes.append(
                ("python", f"Python {ver}", client, [py, "-I", str(HERE / "probe.py"), client])
            )
    if args.node:
        ver, node = args.node.split("=", 1)
        for client in ("paramsecrets", "sdk"):
            probes.append(("node", f"Node {ver}", client, [node, str(HERE / "probe.mjs"), client]))
    if args.java:
        ver, java = args.java.split("=", 1)
        for client in ("paramsecrets", "sdk"):
            argv = [
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                args.java_cp,
                "bench.footprint.Probe",
                client,
            ]
            probes.append(("java", f"Java {ver}", client, argv))
    if not probes:
        ap.error("nothing to measure: give --python, --node and/or --java")

    results: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    versions: dict[tuple[str, str], str] = {}
    try:
        for i in range(runs):
            for lang, runtime, client, argv in probes:
                r = subprocess.run(
                    argv + [pybench.NAME, pybench.VALUE, ssm],
                    env=env,
                    cwd=HERE,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                if r.returncode != 0:
                    raise SystemExit(
                        f"{runtime} {client} probe failed ({r.returncode}):\n{r.stderr}"
                    )
                run = json.loads(r.stdout.strip().splitlines()[-1])
                versions[(runtime, client)] = run["runtime"]
                results[(runtime, client)].append(deltas(run))
            print(f"footprint: round {i + 1}/{runs} done", flush=True)
    finally:
        emu.stop()
        stub.shutdown()

    rows, budgets = [], {}
    lines = [
        "# Footprint: RSS, threads and file descriptors added by import + client + first read\n",
        (
            f"Generated by `{command}`: {runs} fresh processes per client and runtime, interleaved; "
            "medians, with the range (min–max) in brackets. Each process samples itself "
            "(`/proc/self/status` VmRSS, `/proc/self/task`, `/proc/self/fd`) at the baseline "
            "(runtime started, nothing imported), after import + client construction, and after the "
            "first read; figures are increases over its own baseline. paramsecrets' first read is a "
            "miss through the emulator (a real process on 127.0.0.1); the SDK's goes to a GetParameter "
            "stub (bench/python's, JSON 1.1) on 127.0.0.1 with dummy credentials. MB = 10⁶ bytes. "
            "Budgets (issue #21): Python ≤ 5 MB, Node ≤ 8 MB, Java ≤ 15 MB; at most "
            f"{BUDGET_THREADS} thread beyond what the host runtime starts by itself "
            "(Node's libuv pool; the JVM's compiler and GC threads, Common-Cleaner).\n"
        ),
        (
            "| runtime | client | baseline RSS | + RSS after import + client | + RSS after first read "
            "| + threads (client / first read) | threads it added | + fds (client / first read) | fds it added | budget |"
        ),
        "|---|---|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for (runtime, client), rs in results.items():
        lang = next(p[0] for p in probes if p[1] == runtime)
        col = {
            k: stat([r[k] for r in rs])
            for k in rs[0]
            if not k.endswith(("_new_threads", "_new_fds"))
        }
        names = collections.Counter(n for r in rs for n in r["first_read_new_threads"])
        named = (
            ", ".join(f"`{n}`×{round(c / len(rs), 2):g}" for n, c in sorted(names.items()))
            or "none"
        )
        fd_names = collections.Counter(n for r in rs for n in r["first_read_new_fds"])
        fd_named = (
            ", ".join(f"`{n}`×{round(c / len(rs), 2):g}" for n, c in sorted(fd_names.items()))
            or "none"
        )
        own = [
            [n for n in r["first_read_new_threads"] if not n.startswith(HOST_THREADS[lang])]
            for r in rs
        ]
        own_threads = stat([len(o) for o in own])
        ours = client == "paramsecrets"
        label = "paramsecrets" if ours else SDK[lang]
        verdict = ""
        if ours:
            mb_ok = col["first_read_rss_mb"]["median"] <= BUDGET_MB[lang]
            th_ok = own_threads["max"] <= BUDGET_THREADS
            verdict = (
                f"≤ {BUDGET_MB[lang]:g} MB {'✓' if mb_ok else '✗'}; "
                f"≤ {BUDGET_THREADS} own thread {'✓' if th_ok else '✗'}"
            )
            key = runtime.lower().replace(" ", "")
            budgets[f"{key}_rss_mb"] = {
                "limit": BUDGET_MB[lang],
                "value": round(col["first_read_rss_mb"]["median"], 2),
                "met": mb_ok,
            }
            budgets[f"{key}_own_threads"] = {
                "limit": BUDGET_THREADS,
                "value": own_threads["max"],
                "met": th_ok,
            }
        lines.append(
            f"| {runtime} ({versions[(runtime, client)]}) | {label}: {WHAT[lang][0 if ours else 1]}"
            f" | {col['baseline_rss_mb']['median']:.1f} MB | {fmt(col['client_rss_mb'], ' MB', 1)}"
            f" | **{fmt(col['first_read_rss_mb'], ' MB', 1)}** | {fmt(col['client_threads'])} / "
            f"{fmt(col['first_read_threads'])} | {named} | {fmt(col['client_fds'])} / "
            f"{fmt(col['first_read_fds'])} | {fd_named} | {verdict} |"
        )
        rows.append(
            {
                "language": lang,
                "runtime": runtime,
                "runtime_version": versions[(runtime, client)],
                "client": label,
                "what": WHAT[lang][0 if ours else 1],
                "runs": len(rs),
                **{k: {kk: round(vv, 3) for kk, vv in v.items()} for k, v in col.items()},
                "first_read_new_threads": dict(names),
                "first_read_new_fds": dict(fd_names),
                "own_threads": own_threads,
            }
        )
    lines.append("")
    lines.append(
        '"threads it added": the names (`/proc/self/task/*/comm`) of the threads present after '
        'the first read and not at the baseline, with how many per process on average; "fds it '
        'added" the same for file descriptors (`/proc/self/fd/*` link targets). '
        "`paramsecrets` is the core's single tokio worker (core/src/runtime.rs)."
    )
    Path(args.out).write_text("\n".join(lines) + "\n")
    summary = {
        "schema": 1,
        "language": "footprint",
        "mode": mode,
        "command": command,
        "runs": runs,
        "rows": rows,
        "budgets": budgets,
    }
    Path(args.summary).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(Path(args.out).read_text())
    return 0  # a missed budget is a figure (✗ in RESULTS.md), not a failed run


if __name__ == "__main__":
    raise SystemExit(main())
