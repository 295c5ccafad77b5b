"""Powertools' SSMProvider (boto3) against paramsecrets.powertools.ExtensionSSMProvider, same run.

    python powertools_bench.py [--quick]        (make -C bench/python bench|bench-quick run it)

- cached read: ``provider.get(NAME)`` served by Powertools' own cache, both providers in one
  process (SSMProvider's boto3 client points at a local SSM stub, ours at the emulator);
- INIT: a fresh process imports the provider and builds it (module scope in a Lambda), then
  makes its first read; the child reports both times and its peak RSS (VmHWM), and the same
  for a child that imports nothing of either (the floor).

Writes POWERTOOLS.md beside this file. Ratios are same-run medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from bench import NAME, TOKEN, VALUE, Emulator, _SSMStub, fmt_time, per_call, summary

CHILD = """
import json, sys, time
t0 = time.perf_counter()
{setup}
t1 = time.perf_counter()
value = {read}
t2 = time.perf_counter()
assert value == {value!r}, value
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked parent.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({{"init": t1 - t0, "first": t2 - t1, "rss_kb": int(hwm)}}))
"""

VARIANTS = {
    "floor": ("pass", repr(VALUE)),
    # What any BaseProvider subclass pays: the package's __init__ imports boto3.
    "pt_import": ("import aws_lambda_powertools.utilities.parameters", repr(VALUE)),
    "sdk": (
        (
            "from aws_lambda_powertools.utilities.parameters import SSMProvider\n"
            "import boto3\n"
            "provider = SSMProvider(boto3_client=boto3.client('ssm', endpoint_url=sys.argv[1]))"
        ),
        f"provider.get({NAME!r})",
    ),
    "ours": (
        (
            "from paramsecrets.powertools import ExtensionSSMProvider\n"
            "provider = ExtensionSSMProvider()"
        ),
        f"provider.get({NAME!r})",
    ),
}


def child(variant: str, stub_url: str, emulator_port: int) -> dict:
    setup, read = VARIANTS[variant]
    env = dict(os.environ, PARAMSECRETS_TOKEN=TOKEN, AWS_DEFAULT_REGION="us-east-1")
    env.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(emulator_port),
    )
    prog = CHILD.format(setup=setup, read=read, value=VALUE)
    r = subprocess.run(
        [sys.executable, "-c", prog, stub_url], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).with_name("POWERTOOLS.md")))
    args = ap.parse_args()
    hit_n, hit_r = (20_000, 5) if args.quick else (200_000, 9)
    rounds = 5 if args.quick else 15

    import boto3
    import paramsecrets
    from aws_lambda_powertools.utilities.parameters import SSMProvider
    from paramsecrets.powertools import ExtensionSSMProvider

    store = Path(tempfile.mkdtemp()) / "store.json"
    store.write_text(json.dumps({"parameters": [{"name": NAME, "value": VALUE}]}))
    emu = Emulator(store)
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _SSMStub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    stub_url = f"http://127.0.0.1:{stub.server_address[1]}"
    try:
        sdk = SSMProvider(
            boto3_client=boto3.client(
                "ssm",
                endpoint_url=stub_url,
                region_name="us-east-1",
                aws_access_key_id="bench",
                aws_secret_access_key="bench",
            )
        )
        ours = ExtensionSSMProvider(client=paramsecrets.Client(endpoint=emu.endpoint, token=TOKEN))
        assert sdk.get(NAME, max_age=3600) == ours.get(NAME, max_age=3600) == VALUE
        env = {"sdk": sdk, "ours": ours, "NAME": NAME}
        # Alternate the two, repeat by repeat, so drift on this shared machine hits both.
        hit_sdk, hit_ours = [], []
        for _ in range(hit_r):
            hit_sdk += per_call("sdk.get(NAME, max_age=3600)", env, hit_n, 1)
            hit_ours += per_call("ours.get(NAME, max_age=3600)", env, hit_n, 1)
        runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
        for _ in range(rounds):
            for v in VARIANTS:
                runs[v].append(child(v, stub_url, emu.port))
    finally:
        emu.stop()
        stub.shutdown()

    med = {
        v: {k: statistics.median(r[k] for r in rs) for k in ("init", "first", "rss_kb")}
        for v, rs in runs.items()
    }
    hs, ho = summary(hit_sdk), summary(hit_ours)
    init_ratio = med["sdk"]["init"] / med["ours"]["init"]
    rss_sdk = (med["sdk"]["rss_kb"] - med["floor"]["rss_kb"]) / 1024
    rss_ours = (med["ours"]["rss_kb"] - med["floor"]["rss_kb"]) / 1024
    mode = "quick" if args.quick else "full"
    lines = [
        "## Python: Powertools providers",
        "",
        (
            f"Command: `make -C bench/python bench{'-quick' if args.quick else ''}` "
            f"(`bench/python/powertools_bench.py{' --quick' if args.quick else ''}`, plan: {mode}). "
            "Powertools 3.37.0's `SSMProvider` (boto3 client to a local SSM stub) against "
            "`paramsecrets.powertools.ExtensionSSMProvider` (the emulator). Fresh processes: "
            f"{rounds} interleaved rounds, medians; RSS is the child's peak (VmHWM) minus "
            "that of a child that imports neither."
        ),
        "",
        "| measurement | Powertools `SSMProvider` (boto3) | paramsecrets `ExtensionSSMProvider` | ratio |",
        "|---|---:|---:|---:|",
        (
            f"| cached `get` (Powertools' cache; median of {hit_r} × {hit_n}) | {fmt_time(hs['median'])} "
            f"| {fmt_time(ho['median'])} | ours / theirs = {ho['median'] / hs['median']:.2f}× |"
        ),
        (
            f"| INIT: import + provider (fresh process) | {fmt_time(med['sdk']['init'])} "
            f"| {fmt_time(med['ours']['init'])} | theirs / ours = {init_ratio:.1f}× |"
        ),
        (
            f"| INIT part: `import aws_lambda_powertools.utilities.parameters` alone | "
            f"{fmt_time(med['pt_import']['init'])} | {fmt_time(med['pt_import']['init'])} | — |"
        ),
        (
            f"| first read | {fmt_time(med['sdk']['first'])} | {fmt_time(med['ours']['first'])} | "
            f"theirs / ours = {med['sdk']['first'] / med['ours']['first']:.1f}× |"
        ),
        (
            f"| RSS added by import + provider + first read | {rss_sdk:.1f} MB | {rss_ours:.1f} MB | "
            f"theirs − ours = {rss_sdk - rss_ours:.1f} MB |"
        ),
        "",
        (
            "Budgets (issue 20): cached read no slower than Powertools' own: "
            f"{ho['median'] / hs['median']:.2f}×, **{'met' if ho['median'] <= hs['median'] * 1.05 else 'NOT met'}** "
            "(within 5%: both are Powertools' own cache lookup); INIT at least 5× shorter: "
            f"{init_ratio:.1f}×, **{'met' if init_ratio >= 5 else 'NOT met'}**. "
            "Importing Powertools' parameters package imports boto3 itself (its `__init__` loads "
            "every provider), so ours pays that import too; what it saves is the SDK client. "
            f"Without that import ours would take {fmt_time(max(med['ours']['init'] - med['pt_import']['init'], 0))}."
        ),
        "",
    ]
    Path(args.out).write_text("\n".join(line for line in lines if line is not None) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
