"""paramsecrets (Python) benchmark: each figure side by side with its baseline, in one run.

    make -C bench/python bench         # full run, writes bench/python/RESULTS.md
    make -C bench/python bench-quick   # fewer iterations (a smoke run; same outputs)

Writes RESULTS.md (the table, with the command) and summary.json (schema 1, as the other
harnesses: read by bench/assemble.py).

- L1 hit per call: Client.get_parameter vs dict.get vs Powertools' cached get_parameter (its
  first fetch goes through boto3 to a tiny SSM stub server on 127.0.0.1).
- L1 miss (force_fetch=True, answered by the emulator) vs a hand-written keep-alive urllib3 GET
  and vs the AWS walkthrough's code as written (a new urllib3.PoolManager() per call).
- Cold start: `import paramsecrets` + `Client()` vs `import boto3` + `boto3.client('ssm')`, each
  in fresh processes, timed inside the process (median of N).
- Wheel size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import timeit
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOKEN = "bench-token"
NAME = "/bench/param"
VALUE = "x" * 32

# --------------------------------------------------------------------------------------------
# helpers


def per_call(stmt: str, env: dict, number: int, repeat: int) -> list[float]:
    """Seconds per call, one figure per repeat. `stmt` is timed as source (no lambda layer)."""
    timer = timeit.Timer(stmt, globals=env)
    timer.timeit(number=max(1, number // 10))  # warm-up
    return [t / number for t in timer.repeat(repeat=repeat, number=number)]


def summary(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "n": len(s)}


def fmt_time(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


class Emulator:
    def __init__(self, store: Path) -> None:
        binary = Path(
            os.environ.get("PARAMSECRETS_EMULATOR", REPO / "target/debug/paramsecrets-emulator")
        )
        self.proc = subprocess.Popen(
            [str(binary), "--store", str(store), "--port", "0", "--token", TOKEN],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        self.port = int(line.split()[2].rsplit(":", 1)[1])
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


class _SSMStub(BaseHTTPRequestHandler):
    """Answers SSM GetParameter (JSON 1.1 protocol) for boto3, on 127.0.0.1 only."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        out = json.dumps(
            {
                "Parameter": {
                    "Name": body.get("Name", NAME),
                    "Type": "String",
                    "Value": VALUE,
                    "Version": 1,
                }
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def cold_start(code: str, runs: int) -> list[float]:
    out = []
    env = dict(os.environ, PARAMSECRETS_TOKEN=TOKEN, AWS_DEFAULT_REGION="us-east-1")
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    prog = f"import time\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)\n"
    for _ in range(runs):
        r = subprocess.run(
            [sys.executable, "-c", prog], capture_output=True, text=True, env=env, check=True
        )
        out.append(float(r.stdout.strip()))
    return out


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer iterations")
    ap.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    ap.add_argument("--wheel-dir", default=str(REPO / "bindings-python" / "dist"))
    args = ap.parse_args()
    hit_n, hit_r = (100_000, 5) if args.quick else (1_000_000, 9)
    miss_n, miss_r = (300, 3) if args.quick else (2_000, 7)
    cold_runs = 5 if args.quick else 21

    import boto3
    import paramsecrets
    import urllib3
    from aws_lambda_powertools.utilities import parameters as pt
    from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

    rows: list[tuple[str, str, dict, str]] = []  # (section, what, summary, ratio text)
    # The wheel this run installed (looked up first: a concurrent rebuild may replace it later).
    wheels = sorted(
        Path(args.wheel_dir).glob(f"paramsecrets-*_{platform.machine()}.whl"),
        key=lambda p: p.stat().st_mtime,
    )
    wheel_size = wheels[-1].stat().st_size if wheels else None

    store = Path(tempfile.mkdtemp()) / "store.json"
    store.write_text(json.dumps({"parameters": [{"name": NAME, "value": VALUE}]}))
    emu = Emulator(store)
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _SSMStub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    try:
        client = paramsecrets.Client(endpoint=emu.endpoint, token=TOKEN)
        assert client.get_parameter(NAME) == VALUE
        d = {NAME: VALUE}

        ssm = boto3.client(
            "ssm",
            endpoint_url=f"http://127.0.0.1:{stub.server_address[1]}",
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        DEFAULT_PROVIDERS["ssm"] = pt.SSMProvider(boto3_client=ssm)
        assert pt.get_parameter(NAME, max_age=3600) == VALUE  # the one fetch, via the stub

        paramsecrets.set_default_client(client)
        env = {
            "NAME": NAME,
            "get": client.get_parameter,
            "module_get": paramsecrets.get_parameter,
            "dget": d.get,
            "pt_get": pt.get_parameter,
        }
        hit = summary(per_call("get(NAME)", env, hit_n, hit_r))
        module_hit = summary(per_call("module_get(NAME)", env, hit_n, hit_r))
        base = summary(per_call("dget(NAME)", env, hit_n, hit_r))
        power = summary(per_call("pt_get(NAME, max_age=3600)", env, hit_n // 10, hit_r))
        rows += [
            ("L1 hit", "`dict.get` (floor)", base, ""),
            ("L1 hit", "paramsecrets `Client.get_parameter`", hit, ""),
            ("L1 hit", "paramsecrets `paramsecrets.get_parameter` (module)", module_hit, ""),
            ("L1 hit", "Powertools `parameters.get_parameter` (cached)", power, ""),
        ]
        hit_vs_pt = power["median"] / hit["median"]
        hit_vs_dict = hit["median"] / base["median"]

        # ---- L1 miss, answered by the emulator
        url = f"{emu.endpoint}/systemsmanager/parameters/get?name=%2Fbench%2Fparam"
        headers = {"X-Aws-Parameters-Secrets-Token": TOKEN}
        pool = urllib3.PoolManager()

        def keepalive():
            r = pool.request("GET", url, headers=headers)
            return json.loads(r.data)["Parameter"]["Value"]

        def walkthrough():
            # The AWS walkthrough, as written: a new PoolManager for every call.
            http = urllib3.PoolManager()
            r = http.request("GET", url, headers=headers)
            return json.loads(r.data)["Parameter"]["Value"]

        assert keepalive() == walkthrough() == VALUE
        env.update(keepalive=keepalive, walkthrough=walkthrough)
        miss = summary(per_call("get(NAME, force_fetch=True)", env, miss_n, miss_r))
        ka = summary(per_call("keepalive()", env, miss_n, miss_r))
        wt = summary(per_call("walkthrough()", env, miss_n, miss_r))
        rows += [
            ("L1 miss", "keep-alive urllib3 GET + json (hand-written)", ka, ""),
            ("L1 miss", "paramsecrets `get_parameter(force_fetch=True)`", miss, ""),
            ("L1 miss", "walkthrough: new `urllib3.PoolManager()` per call", wt, ""),
        ]
    finally:
        emu.stop()
        stub.shutdown()

    # ---- cold start
    ps_cold = summary(cold_start("import paramsecrets\nparamsecrets.Client()", cold_runs))
    boto_cold = summary(cold_start("import boto3\nboto3.client('ssm')", cold_runs))
    rows += [
        ("cold start", "`import paramsecrets` + `Client()`", ps_cold, ""),
        ("cold start", "`import boto3` + `boto3.client('ssm')`", boto_cold, ""),
    ]

    # ---- report
    ratios = {
        "hit_vs_powertools": hit_vs_pt,
        "hit_vs_dict": hit_vs_dict,
        "keepalive_vs_hit": ka["median"] / hit["median"],
        "miss_vs_keepalive": miss["median"] / ka["median"],
        "walkthrough_vs_miss": wt["median"] / miss["median"],
        "boto3_vs_cold": boto_cold["median"] / ps_cold["median"],
    }
    budgets = [
        ("L1 hit ≤ 300 ns", hit["median"] <= 300e-9, fmt_time(hit["median"])),
        ("L1 hit ≥ 10× faster than Powertools", hit_vs_pt >= 10, f"{hit_vs_pt:.1f}×"),
        (
            "L1 hit ≥ 200× faster than a keep-alive GET",
            ratios["keepalive_vs_hit"] >= 200,
            f"{ratios['keepalive_vs_hit']:.0f}×",
        ),
        (
            "L1 miss no slower than keep-alive GET",
            miss["median"] <= ka["median"],
            f"{ratios['miss_vs_keepalive']:.2f}× the keep-alive time",
        ),
        (
            "L1 miss ≥ 2× faster than the walkthrough",
            ratios["walkthrough_vs_miss"] >= 2,
            f"{ratios['walkthrough_vs_miss']:.1f}×",
        ),
        ("import + Client() ≤ 20 ms", ps_cold["median"] <= 20e-3, fmt_time(ps_cold["median"])),
        (
            "wheel ≤ 3 MB",
            wheel_size is not None and wheel_size <= 3 * 1024 * 1024,
            f"{wheel_size / 1e6:.2f} MB" if wheel_size else "no wheel found",
        ),
    ]
    cmd = "make -C bench/python " + ("bench-quick" if args.quick else "bench")
    lines = [
        "# Python benchmark results",
        "",
        f"Command: `{cmd}` (runs `{' '.join(['python', *sys.argv])}`)",
        "",
        (
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.platform()}. Noisy shared machine: "
            "compare ratios measured in the same run. Load average (1/5/15 min) at the end: "
            + "/".join(f"{x:.1f}" for x in os.getloadavg())
            + "."
        ),
        "",
        (
            f"Iterations: L1 hit {hit_n:,} calls × {hit_r} repeats (Powertools {hit_n // 10:,}); "
            f"L1 miss {miss_n:,} × {miss_r}; cold start {cold_runs} fresh processes each."
        ),
        "",
        "| section | what | median | min | max | ratio |",
        "|---|---|---|---|---|---|",
    ]
    baselines = {"L1 hit": hit, "L1 miss": ka, "cold start": ps_cold}
    for section, what, s, _ in rows:
        if not s.get("n"):
            continue
        b = baselines[section]
        ratio = s["median"] / b["median"]
        base_name = {
            "L1 hit": "paramsecrets Client",
            "L1 miss": "keep-alive",
            "cold start": "paramsecrets",
        }
        lines.append(
            f"| {section} | {what} | {fmt_time(s['median'])} | {fmt_time(s['min'])} | "
            f"{fmt_time(s['max'])} | {ratio:.2f}× {base_name[section]} |"
        )
    lines += [
        f"| package | wheel `{wheels[-1].name if wheels else '-'}` | "
        f"{wheel_size / 1e6:.2f} MB | | | |"
        if wheel_size
        else "| package | wheel | not built | | | |",
        "",
        "Budgets (DESIGN §8):",
        "",
        "| budget | met | measured |",
        "|---|---|---|",
    ]
    lines += [f"| {b} | {'yes' if ok else '**NO**'} | {m} |" for b, ok, m in budgets]
    lines += [
        "",
        (
            "Notes: Powertools is called with `max_age=3600` so every timed call is a cache hit "
            "(its default 5 s TTL would refetch during the run). Spread = min and max of the "
            "repeats (per-call figures are each the mean over one repeat). The L1 miss goes "
            "to the emulator, whose own cache answers (the extension's cache path)."
        ),
        "",
    ]
    text = "\n".join(lines)
    Path(args.out).write_text(text)
    summary_json = {
        "schema": 1,
        "language": "python",
        "mode": "quick" if args.quick else "full",
        "command": cmd,
        "artifact": wheels[-1].name if wheels else None,
        "artifact_bytes": wheel_size,
        "cold_start_ms": round(ps_cold["median"] * 1e3, 2),
        "cold_start_what": "fresh process: import paramsecrets + Client()",
        "cold_start_baseline": "import boto3 + boto3.client('ssm')",
        "cold_start_baseline_ms": round(boto_cold["median"] * 1e3, 2),
        "l1_hit_ns": round(hit["median"] * 1e9, 1),
        "l1_hit_baseline": "dict.get",
        "l1_hit_baseline_ns": round(base["median"] * 1e9, 1),
        "l1_hit_module_ns": round(module_hit["median"] * 1e9, 1),
        "powertools_hit_ns": round(power["median"] * 1e9, 1),
        "l1_miss_us": round(miss["median"] * 1e6, 2),
        "http_get": "urllib3 keep-alive GET + json.loads",
        "http_get_us": round(ka["median"] * 1e6, 2),
        "walkthrough_us": round(wt["median"] * 1e6, 2),
        "budgets": {
            "l1_hit_ns": {
                "limit": 300.0,
                "value": round(hit["median"] * 1e9, 1),
                "met": hit["median"] <= 300e-9,
            },
            "l1_hit_vs_powertools": {
                "limit": 10.0,
                "value": round(hit_vs_pt, 1),
                "met": hit_vs_pt >= 10,
            },
            "l1_miss_vs_http_get": {
                "limit": 1.0,
                "value": round(ratios["miss_vs_keepalive"], 2),
                "met": miss["median"] <= ka["median"],
            },
            "walkthrough_vs_l1_miss": {
                "limit": 2.0,
                "value": round(ratios["walkthrough_vs_miss"], 1),
                "met": ratios["walkthrough_vs_miss"] >= 2,
            },
            "cold_start_ms": {
                "limit": 20.0,
                "value": round(ps_cold["median"] * 1e3, 2),
                "met": ps_cold["median"] <= 20e-3,
            },
            "artifact_bytes": {
                "limit": 3 * 1024 * 1024,
                "value": wheel_size,
                "met": wheel_size is not None and wheel_size <= 3 * 1024 * 1024,
            },
        },
    }
    Path(args.out).with_name("summary.json").write_text(json.dumps(summary_json, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
