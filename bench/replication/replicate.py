"""Local replication of the extension's launch load test.

The launch experiment: one function, a load test ramping from 10 to 40 requests per second over
60 seconds, counting the GetParameter calls that reached Parameter Store with the extension's
cache off (TTL 0), at a 1 s TTL and at a 300 s TTL, where the count equals the number of
execution environments Lambda created (each has its own extension and so its own cache).

Here: the same arrival profile (deterministic arrivals whose rate ramps linearly from 10 to 40
per second; ``--scale`` shortens the ramp, keeping the rates); each simulated execution
environment is one emulator process (its own cache, ``SSM_PARAMETER_STORE_TTL``) plus one
handler worker process; an arrival goes to an idle environment, else a new environment is
created for it (as Lambda scales out). Each invocation reads the parameter through the client
under test, then does 50-100 ms of handler work (a sleep; the same seeded sequence in every run).
Counts come from each emulator's ``/_emulator/stats``: ``upstream_calls`` (store reads, i.e.
calls that would reach Parameter Store) and ``requests`` (function -> extension HTTP requests).

Stdlib only (matplotlib, for the charts, is imported when --charts is given).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TOKEN = "replication-token"  # not a secret: loopback only, shared by emulator and worker
PARAMETER = "/replication/app/config"
VALUE = '{"db_host":"db.internal.example","pool_size":8}'

# Lambda sets these; strip any inherited ones that would change the client's behaviour.
STRIPPED_ENV = (
    "PARAMSECRETS_TTL",
    "PARAMSECRETS_TOKEN",
    "AWS_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "SECRETS_MANAGER_TTL",
    "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
    "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE",
    "HTTP_PROXY",
    "http_proxy",
)


# ------------------------------------------------------------------------------------------
# Arrivals


def arrivals(r0: float, r1: float, duration: float) -> list[float]:
    """Times of a deterministic arrival process whose rate ramps linearly from r0 to r1 per
    second over `duration` seconds: arrival k is where the expected count N(t) reaches k,
    N(t) = r0 t + (r1 - r0) t^2 / (2 duration)."""
    total = round(duration * (r0 + r1) / 2)
    a = (r1 - r0) / (2 * duration)
    out = []
    for k in range(total):
        if a == 0:
            out.append(k / r0)
        else:
            out.append((-r0 + math.sqrt(r0 * r0 + 4 * a * k)) / (2 * a))
    return out


# ------------------------------------------------------------------------------------------
# Processes


def start_emulator(emulator: str, store: Path, ttl: int) -> tuple[subprocess.Popen, int]:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED_ENV}
    env["SSM_PARAMETER_STORE_TTL"] = str(ttl)
    env["PARAMSECRETS_EMULATOR_LOG"] = "warn"
    proc = subprocess.Popen(
        [emulator, "--store", str(store), "--port", "0", "--dialect", "extension", "--token", TOKEN],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    line = proc.stdout.readline()
    parts = line.split()
    if len(parts) < 3 or parts[0] != "listening":
        proc.kill()
        raise RuntimeError(f"emulator said {line!r}")
    return proc, int(parts[2].rsplit(":", 1)[1])


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def emulator_stats(port: int) -> dict:
    with _NO_PROXY.open(f"http://127.0.0.1:{port}/_emulator/stats", timeout=5) as r:
        return json.loads(r.read())


@dataclass
class Invocation:
    id: int
    arrival: float  # scheduled, seconds from the start
    work_ms: float
    env: int = -1
    cold: bool = False
    sent: float = math.nan  # when the handler got it
    done: float = math.nan
    read_ns: int = -1
    ok: bool = False
    error: str | None = None


@dataclass
class Environment:
    index: int
    ttl: int
    command: list[str]
    emulator: str
    store: Path
    t0: float
    busy: bool = True
    created: float = 0.0
    ready: float = math.nan
    port: int = 0
    invocations: int = 0
    stats: dict = field(default_factory=dict)
    failure: str | None = None

    def __post_init__(self):
        self.cond = threading.Condition()
        self.pending: list[Invocation | None] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def submit(self, inv: Invocation | None) -> None:
        with self.cond:
            self.pending.append(inv)
            self.cond.notify()

    def _next(self) -> Invocation | None:
        with self.cond:
            while not self.pending:
                self.cond.wait()
            return self.pending.pop(0)

    def _run(self) -> None:
        emu = worker = None
        try:
            emu, self.port = start_emulator(self.emulator, self.store, self.ttl)
            env = {k: v for k, v in os.environ.items() if k not in STRIPPED_ENV}
            env.update(
                PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(self.port),
                AWS_SESSION_TOKEN=TOKEN,
                SSM_PARAMETER_STORE_TTL=str(self.ttl),
                PARAMSECRETS_BENCH_PARAMETER=PARAMETER,
            )
            worker = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
            line = worker.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"worker said {line!r}")
            self.ready = time.perf_counter() - self.t0
            while True:
                inv = self._next()
                if inv is None:
                    break
                inv.sent = time.perf_counter() - self.t0
                worker.stdin.write(json.dumps({"id": inv.id, "work_ms": inv.work_ms}) + "\n")
                worker.stdin.flush()
                reply = json.loads(worker.stdout.readline())
                inv.done = time.perf_counter() - self.t0
                inv.read_ns, inv.ok, inv.error = reply["read_ns"], reply["ok"], reply.get("error")
                self.invocations += 1
                with self.cond:
                    # Idle again unless more work was queued for it meanwhile.
                    self.busy = bool(self.pending)
            self.stats = emulator_stats(self.port)
        except Exception as e:  # noqa: BLE001 - reported in the results
            self.failure = f"{type(e).__name__}: {e}"
            with self.cond:
                self.busy = True  # never route to a broken environment
        finally:
            if worker is not None:
                try:
                    worker.stdin.close()
                    worker.wait(timeout=5)
                except Exception:  # noqa: BLE001
                    worker.kill()
            if emu is not None:
                emu.kill()
                emu.wait()


def run_once(ttl: int, command: list[str], emulator: str, store: Path, times: list[float], work: list[float]) -> dict:
    """One load test: all arrivals dispatched on schedule, every environment drained."""
    envs: list[Environment] = []
    invs: list[Invocation] = []
    lock = threading.Lock()
    t0 = time.perf_counter()
    for i, (at, w) in enumerate(zip(times, work)):
        delay = at - (time.perf_counter() - t0)
        if delay > 0:
            time.sleep(delay)
        inv = Invocation(id=i, arrival=at, work_ms=w)
        invs.append(inv)
        with lock:
            target = None
            for e in envs:
                with e.cond:
                    if not e.busy:
                        e.busy = True
                        target = e
                        break
            if target is None:  # every environment busy: Lambda creates another
                target = Environment(len(envs), ttl, command, emulator, store, t0)
                target.created = time.perf_counter() - t0
                envs.append(target)
                target.thread.start()
                inv.cold = True
        inv.env = target.index
        target.submit(inv)
    for e in envs:
        e.submit(None)
    for e in envs:
        e.thread.join(timeout=60)
    failures = [f"env {e.index}: {e.failure}" for e in envs if e.failure]
    if failures:
        raise RuntimeError("; ".join(failures))
    errors = [i for i in invs if not i.ok]
    return {
        "ttl": ttl,
        "invocations": len(invs),
        "errors": len(errors),
        "error_types": sorted({i.error or "?" for i in errors}),
        "environments": len(envs),
        "extension_requests": sum(e.stats.get("requests", 0) for e in envs),
        "upstream_calls": sum(e.stats.get("upstream_calls", 0) for e in envs),
        "per_environment": [
            {
                "index": e.index,
                "created_s": round(e.created, 4),
                "ready_s": round(e.ready, 4),
                "invocations": e.invocations,
                "requests": e.stats.get("requests", 0),
                "upstream_calls": e.stats.get("upstream_calls", 0),
            }
            for e in envs
        ],
        "invocation_log": [
            [i.id, round(i.arrival, 4), i.env, i.cold, round(i.sent, 4), round(i.done, 4), i.read_ns] for i in invs
        ],
        "read_ns": [i.read_ns for i in invs if i.ok],
        "model_upstream": model_fetches(invs, ttl),
    }


def model_fetches(invs: list[Invocation], ttl: int) -> int:
    """What a per-environment TTL cache predicts from the recorded invocation times: an
    environment fetches when its entry is older than the TTL (TTL 0: every time)."""
    last: dict[int, float] = {}
    n = 0
    for inv in sorted(invs, key=lambda i: i.sent):
        prev = last.get(inv.env)
        if prev is None or inv.sent - prev >= ttl:
            n += 1
            last[inv.env] = inv.sent
    return n


# ------------------------------------------------------------------------------------------
# Report


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def fmt_us(ns: float) -> str:
    us = ns / 1e3
    if us >= 100:
        return f"{us:.0f} µs"
    if us >= 1:
        return f"{us:.1f} µs"
    return f"{us * 1e3:.0f} ns"


def explain(ttl: int, client: str, r: dict) -> str:
    n, envs, req, up = r["invocations"], r["environments"], r["extension_requests"], r["upstream_calls"]
    per_call = client == "handwritten"
    if ttl == 0:
        return (
            f"Cache off: every one of the {req} extension requests is a store read ({up}). "
            + (
                "One GET per invocation"
                if per_call
                else "paramsecrets' L1 follows the extension's TTL, so it is off too: one request per invocation"
            )
            + f", so both equal the {n} invocations."
        )
    if ttl == 1:
        return (
            f"Each environment's extension refetches when its entry is ≥ 1 s old: "
            f"{up} store reads over {envs} environments (the per-environment TTL model, applied "
            f"to the recorded invocation times, predicts {r['model_upstream']}). "
            + (
                f"The hand-written client still sends all {n} invocations to the extension."
                if per_call
                else f"The L1 expires on the same 1 s clock, so the function sends only {req} of the "
                f"{n} reads to the extension; each of those finds the extension's entry expired too."
            )
        )
    return (
        f"Nothing expires during the test: one store read per environment ({up} reads, "
        f"{envs} environments{' — equal' if up == envs else ' — NOT equal'}). "
        + (
            f"The hand-written client still pays {n} HTTP requests to the extension."
            if per_call
            else f"The L1 answers every read after an environment's first: {req} extension requests in all."
        )
    )


def write_report(results: list[dict], args, labels: dict[str, str], out: Path, charts: list[str]) -> None:
    lines = []
    r0 = results[0]
    duration = 60 * args.scale
    lines.append("## Load-test replication (the extension's launch experiment)\n")
    lines.append(f"Command: `{args.command or ' '.join(sys.argv)}`\n")
    lines.append(
        f"Arrivals ramp linearly from {args.rate_from:g} to {args.rate_to:g} requests/s over "
        f"{duration:g} s (scale {args.scale:g}): {r0['invocations']} invocations per run, "
        f"deterministic spacing. Each invocation reads one parameter through the client, then "
        f"works {args.work_ms_min:g}–{args.work_ms_max:g} ms (seeded, the same sequence in every "
        f"run). An environment = one emulator process (own cache, `SSM_PARAMETER_STORE_TTL`) + one "
        f"handler process; an arrival that finds every environment busy creates a new one. "
        f"Counts are the emulators' `/_emulator/stats` summed over environments.\n"
    )
    lines.append("Clients: " + "; ".join(f"**{k}** = {v}" for k, v in labels.items()) + ".\n")
    lines.append(
        "| TTL | client | invocations | environments | function → extension requests | "
        "GetParameter calls upstream | environment start-up (median) | read latency median | p90 | p99 |"
    )
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ns = r["read_ns"]
        lines.append(
            f"| {r['ttl']} s | {r['client']} | {r['invocations']}"
            + (f" ({r['errors']} errors: {', '.join(r['error_types'])})" if r["errors"] else "")
            + f" | {r['environments']} | {r['extension_requests']} | {r['upstream_calls']} | "
            f"{statistics.median(e['ready_s'] - e['created_s'] for e in r['per_environment']) * 1e3:.0f} ms | "
            f"{fmt_us(pct(ns, 0.5))} | {fmt_us(pct(ns, 0.9))} | {fmt_us(pct(ns, 0.99))} |"
        )
    lines.append("")
    lines.append("What each row shows, from the mechanism:\n")
    for r in results:
        lines.append(f"- TTL {r['ttl']} s, {r['client']}: {explain(r['ttl'], r['client'], r)}")
    peak = args.rate_to * (args.work_ms_min + args.work_ms_max) / 2 / 1e3
    lines.append(
        f"\nWhy {min(r['environments'] for r in results)}–{max(r['environments'] for r in results)} "
        f"environments: by Little's law the concurrency at the peak rate is about "
        f"{args.rate_to:g}/s × {(args.work_ms_min + args.work_ms_max) / 2:g} ms ≈ {peak:.1f} "
        f"invocations in flight; new environments are created on top of that while the first "
        f"ones are still starting (a cold start here: an emulator and a handler process; the "
        f"hand-written handler imports urllib3 and starts slower, so it tends to get more "
        f"environments), and arrivals that find all of them busy create more: the count follows "
        f"the start-up time (column above) and varies between runs. Read latency: the hand-written client pays one HTTP "
        f"round trip to the extension on every invocation (plus the extension's upstream read "
        f"when its cache is off or expired); paramsecrets pays it only on an L1 miss and "
        f"answers every other read from the process's memory, so its median is a cache hit "
        f"whenever the TTL is longer than the gap between invocations of one environment; its "
        f"p99 is the misses. A hit here costs microseconds, not the hot-loop nanoseconds of the "
        f"language harnesses: each read comes right after 50–100 ms of sleep, with the CPU's "
        f"caches cold.\n"
    )
    for c in charts:
        lines.append(f"![{Path(c).stem}]({os.path.relpath(c, out.parent)})\n")
    out.write_text("\n".join(lines))


def charts(results: list[dict], labels: dict[str, str], outdir: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    ttls = sorted({r["ttl"] for r in results})
    clients = list(dict.fromkeys(r["client"] for r in results))
    colors = {"handwritten": "#d95f02", "paramsecrets": "#1b9e77"}

    # 1. Upstream calls and extension requests per TTL.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.8 / max(1, len(clients))
    for ax, key, title in (
        (axes[0], "upstream_calls", "GetParameter calls reaching the store (upstream)"),
        (axes[1], "extension_requests", "function → extension HTTP requests"),
    ):
        for j, c in enumerate(clients):
            xs, ys = [], []
            for i, t in enumerate(ttls):
                r = next((r for r in results if r["ttl"] == t and r["client"] == c), None)
                if r:
                    xs.append(i + (j - (len(clients) - 1) / 2) * width)
                    ys.append(max(r[key], 0.8))
                    ax.annotate(
                        f"{r[key]}" + (f"\n({r['environments']} envs)" if key == "upstream_calls" else ""),
                        (xs[-1], ys[-1]),
                        ha="center",
                        va="bottom",
                        fontsize=8,
                    )
            ax.bar(xs, ys, width, label=c, color=colors.get(c))
        ax.set_yscale("log")
        ax.set_xticks(range(len(ttls)), [f"TTL {t} s" for t in ttls])
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0.8, max(r["invocations"] for r in results) * 4)
        ax.legend(fontsize=8, loc="upper right")
    n = results[0]["invocations"]
    fig.suptitle(f"Load test: {n} invocations, ramp 10→40 req/s; counts summed over environments", fontsize=11)
    fig.tight_layout()
    p = outdir / "replication-upstream-calls.png"
    fig.savefig(p, dpi=90)
    plt.close(fig)
    written.append(str(p))

    # 2. Read latency distribution per client (ECDF, log x).
    fig, ax = plt.subplots(figsize=(8, 4.5))
    styles = {0: ":", 1: "--", 300: "-"}
    for r in results:
        v = sorted(x / 1e3 for x in r["read_ns"])
        if not v:
            continue
        ys = [(i + 1) / len(v) for i in range(len(v))]
        ax.step(
            v,
            ys,
            where="post",
            color=colors.get(r["client"]),
            linestyle=styles.get(r["ttl"], "-"),
            label=f"{r['client']}, TTL {r['ttl']} s (median {fmt_us(pct(r['read_ns'], 0.5))})",
        )
    ax.set_xscale("log")
    ax.set_xlabel("parameter read latency in the handler (µs, log scale)")
    ax.set_ylabel("fraction of invocations")
    ax.set_title("Read latency per client and TTL (cumulative distribution)", fontsize=11)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    p = outdir / "replication-read-latency.png"
    fig.savefig(p, dpi=90)
    plt.close(fig)
    written.append(str(p))

    # 3. Arrivals and environments over time (one run).
    r = next((r for r in results if r["ttl"] == max(ttls)), results[0])
    log = r["invocation_log"]
    end = max(row[1] for row in log) + 1e-9
    bins = max(6, int(end) if end >= 6 else 12)
    width_s = end / bins
    counts = [0] * bins
    for row in log:
        counts[min(bins - 1, int(row[1] / width_s))] += 1
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.bar(
        [(i + 0.5) * width_s for i in range(bins)],
        [c / width_s for c in counts],
        width_s * 0.9,
        color="#bbbbbb",
        label="arrivals per second",
    )
    ax.set_xlabel("seconds since the start of the load")
    ax.set_ylabel("arrivals per second")
    ax2 = ax.twinx()
    created = sorted(e["created_s"] for e in r["per_environment"])
    ax2.step(
        [0] + created + [end],
        [0] + list(range(1, len(created) + 1)) + [len(created)],
        where="post",
        color="#7570b3",
        label="execution environments",
    )
    ax2.set_ylabel("environments created")
    ax.set_title(f"Arrival ramp and scale-out ({r['client']}, TTL {r['ttl']} s)", fontsize=11)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
    fig.tight_layout()
    p = outdir / "replication-scale-out.png"
    fig.savefig(p, dpi=90)
    plt.close(fig)
    written.append(str(p))
    return written


# ------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="shorten the 60 s ramp (0.1 → 6 s); rates unchanged")
    ap.add_argument("--rate-from", type=float, default=10.0)
    ap.add_argument("--rate-to", type=float, default=40.0)
    ap.add_argument("--ttls", default="0,1,300")
    ap.add_argument("--work-ms-min", type=float, default=50.0)
    ap.add_argument("--work-ms-max", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument(
        "--emulator", default=os.environ.get("PARAMSECRETS_EMULATOR", str(REPO / "target/debug/paramsecrets-emulator"))
    )
    ap.add_argument(
        "--handwritten-python", default=sys.executable, help="interpreter with urllib3 for the hand-written client"
    )
    ap.add_argument(
        "--paramsecrets-python", default=None, help="interpreter that can import paramsecrets (the Python package)"
    )
    ap.add_argument(
        "--paramsecrets-rust",
        default=None,
        help="fallback: `paramsecrets-bench` binary whose `worker` uses the Rust core",
    )
    ap.add_argument("--clients", default="handwritten,paramsecrets")
    ap.add_argument("--json", default=str(HERE / "results.json"))
    ap.add_argument("--report", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--charts", default=None, help="folder for the PNG charts (needs matplotlib)")
    ap.add_argument("--command", default=None, help="the command line to quote in the report")
    args = ap.parse_args()

    duration = 60.0 * args.scale
    times = arrivals(args.rate_from, args.rate_to, duration)
    rng = random.Random(args.seed)
    work = [rng.uniform(args.work_ms_min, args.work_ms_max) for _ in times]

    commands: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for c in args.clients.split(","):
        if c == "handwritten":
            commands[c] = [args.handwritten_python, str(HERE / "worker.py"), "handwritten"]
            labels[c] = "the walkthrough's hand-written client: one urllib3 GET per invocation + `json.loads` (Python)"
        elif c == "paramsecrets":
            if args.paramsecrets_python:
                commands[c] = [args.paramsecrets_python, str(HERE / "worker.py"), "paramsecrets"]
                labels[c] = "`paramsecrets.Client().get_parameter` (the Python package; L1 TTL = the extension's)"
            elif args.paramsecrets_rust:
                commands[c] = [args.paramsecrets_rust, "worker"]
                labels[c] = (
                    "paramsecrets' Rust core (`paramsecrets-bench worker`, `blocking::Client` from the "
                    "environment; L1 TTL = the extension's) — the Python package was not available"
                )
            else:
                print(
                    "replicate: no paramsecrets client given (--paramsecrets-python or --paramsecrets-rust)",
                    file=sys.stderr,
                )
                return 2
        else:
            print(f"replicate: unknown client {c!r}", file=sys.stderr)
            return 2

    results = []
    with tempfile.TemporaryDirectory(prefix="paramsecrets-replication-") as tmp:
        store = Path(tmp) / "store.json"
        store.write_text(json.dumps({"parameters": [{"name": PARAMETER, "value": VALUE}], "secrets": []}))
        for ttl in [int(t) for t in args.ttls.split(",")]:
            for c, cmd in commands.items():
                t = time.perf_counter()
                r = run_once(ttl, cmd, args.emulator, store, times, work)
                r["client"] = c
                results.append(r)
                print(
                    f"replicate: TTL {ttl:>3} s {c:<13} {r['invocations']} invocations, "
                    f"{r['environments']} environments, {r['extension_requests']} extension requests, "
                    f"{r['upstream_calls']} upstream calls, read median {fmt_us(pct(r['read_ns'], 0.5))} "
                    f"({time.perf_counter() - t:.1f} s)",
                    file=sys.stderr,
                )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    if args.charts:
        Path(args.charts).mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"labels": labels, "scale": args.scale, "results": results}))
    written = charts(results, labels, Path(args.charts)) if args.charts else []
    write_report(results, args, labels, Path(args.report), written)
    bad = [r for r in results if r["errors"]]
    if bad:
        print(f"replicate: {sum(r['errors'] for r in bad)} invocations failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
