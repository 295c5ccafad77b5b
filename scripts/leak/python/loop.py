"""The leak check's Python loop (scripts/leak/run.sh runs it under valgrind memcheck).

Every round builds clients and drops them again (the binding has no close(): dropping the last
reference is the close), and goes through every path that crosses the FFI: misses and hits,
records, transforms, versions and labels, force_fetch, invalidate, clear_cache, batches with a
failing name, prefetch, the module-level functions, typed errors (not found, bad argument, bad
token, nothing listening, 503), reads from several threads at once, and AsyncClient under
asyncio. Every value is checked against the store (scripts/leak/store.json); a wrong value or an
error other than the provoked ones exits 1. The last line is `counts {...}`: how often each
operation ran, so the summary proves every path was taken.

    python loop.py [--rounds N]      (the emulator: $PARAMSECRETS_EMULATOR, else target/debug)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import paramsecrets

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
STORE = HERE.parent / "store.json"
TOKEN = "leak-check-token"
# Under valgrind on a loaded machine one request can take seconds: generous time limits, so
# that only the errors the loop provokes happen (the leak check is not about latency).
SLOW = {"timeout": 30, "deadline": 60}

counts: Counter[str] = Counter()
lock = threading.Lock()


def count(op: str, n: int = 1) -> None:
    with lock:
        counts[op] += n


def expect(op: str, got: object, want: object) -> None:
    if got != want:
        # Values are test data, but the rule is the same as everywhere: no value in a log line.
        sys.exit(f"FAIL {op}: wrong value ({type(got).__name__}, expected {type(want).__name__})")
    count(op)


def expect_error(op: str, cls: type[BaseException], code: str, call) -> None:
    try:
        call()
    except cls as e:
        if getattr(e, "code", None) != code:
            sys.exit(f"FAIL {op}: code {getattr(e, 'code', None)!r}, expected {code!r}")
        count(op)
        return
    sys.exit(f"FAIL {op}: no {cls.__name__}")


def start_emulator() -> tuple[subprocess.Popen, str]:
    binary = os.environ.get(
        "PARAMSECRETS_EMULATOR", str(REPO / "target/debug/paramsecrets-emulator")
    )
    proc = subprocess.Popen(
        [binary, "--store", str(STORE), "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on 127.0.0.1:"):
        proc.kill()
        sys.exit(f"FAIL: the emulator did not start: {line!r}")
    return proc, "http://" + line.split()[2]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sync_round(endpoint: str) -> None:
    c = paramsecrets.Client(endpoint=endpoint, token=TOKEN, ttl=300, ready_timeout=0.2, **SLOW)
    expect("miss", c.get_parameter("/leak/plain"), "plain-value")
    expect("hit", c.get_parameter("/leak/plain"), "plain-value")
    expect("hit", c.get_parameter("/leak/secure"), "leak-secure-value")
    expect("max_age", c.get_parameter("/leak/plain", max_age=0), "plain-value")
    expect("force_fetch", c.get_parameter("/leak/plain", force_fetch=True), "plain-value")
    rec = c.get_parameter_record("/leak/list")
    expect("record", (rec.value, rec.type, rec.version), ("a,b,c", "StringList", 1))
    repr(rec)
    expect(
        "transform",
        c.get_parameter("/leak/config.json", transform="json"),
        {"n": 7, "tags": ["x", "y"]},
    )
    expect("transform", c.get_parameter("/leak/blob.binary", transform="binary"), b"\x00\x01\xff")
    expect("version", c.get_parameter("/leak/versioned", version=1), "v1")
    expect("label", c.get_parameter("/leak/versioned", label="Prod"), "v2")
    expect("secret", c.get_secret("leak/db", transform="json")["password"], "leak-db-password")
    expect("secret", c.get_secret("leak/blob"), b"leak-blob-bytes")
    srec = c.get_secret_record("leak/other")
    expect("record", (srec.secret_string, srec.secret_binary), ("other-secret", None))
    expect("invalidate", c.invalidate_parameter("/leak/plain"), 1)
    expect("invalidate", c.invalidate_secret("leak/db"), 1)
    expect("miss", c.get_parameter("/leak/plain"), "plain-value")
    c.clear_cache()
    count("clear_cache")
    expect("miss", c.get_parameter("/leak/plain"), "plain-value")
    names = [f"/leak/batch/{i}" for i in range(4)] + ["/leak/missing"]
    got = c.get_parameters(names)
    expect("batch", [got[n] for n in names[:4]], [f"batch-{i}" for i in range(4)])
    expect("batch_error", type(got["/leak/missing"]), paramsecrets.NotFoundOrDeniedError)
    got = c.get_secrets(["leak/other", "leak/blob"])
    expect("batch", got, {"leak/other": "other-secret", "leak/blob": b"leak-blob-bytes"})
    c.prefetch(["/leak/secure", "/leak/list"], ["leak/other"])
    count("prefetch")
    expect("after_prefetch", c.get_secret("leak/other"), "other-secret")
    NF = paramsecrets.NotFoundOrDeniedError
    expect_error(
        "error_not_found", NF, "not_found_or_denied", lambda: c.get_parameter("/leak/missing")
    )
    expect_error("error_not_found", NF, "not_found_or_denied", lambda: c.get_secret("leak/missing"))
    expect_error(
        "error_invalid_argument",
        paramsecrets.InvalidArgumentError,
        "invalid_argument",
        lambda: c.get_parameter(""),
    )
    expect_error(
        "error_upstream",
        paramsecrets.UpstreamError,
        "upstream",
        lambda: c.get_parameter("/leak/busy", force_fetch=True),
    )
    stats = c.stats()
    if stats.hits < 1 or stats.misses < 1 or stats.as_dict()["errors"] < 1:
        sys.exit(f"FAIL stats: {stats.as_dict()}")
    count("stats")
    bad = paramsecrets.Client(endpoint=endpoint, token="wrong-token", **SLOW)
    expect_error(
        "error_unauthorized",
        paramsecrets.UnauthorizedError,
        "unauthorized",
        lambda: bad.get_parameter("/leak/plain"),
    )
    down = paramsecrets.Client(
        endpoint=f"http://127.0.0.1:{closed_port()}", token=TOKEN, ready_timeout=0.05
    )
    expect_error(
        "error_unavailable",
        paramsecrets.UnavailableError,
        "unavailable",
        lambda: down.get_parameter("/leak/plain"),
    )
    count("close", 3)  # c, bad and down go when this function returns


def threads_round(endpoint: str, nthreads: int = 4) -> None:
    c = paramsecrets.Client(endpoint=endpoint, token=TOKEN, ttl=300, **SLOW)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(3):
                expect("thread_read", c.get_parameter(f"/leak/batch/{i % 4}"), f"batch-{i % 4}")
                expect("thread_read", c.get_secret("leak/other"), "other-secret")
            c.invalidate_parameter(f"/leak/batch/{i % 4}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit(f"FAIL threads: {errors[0]!r}")
    count("close")


def module_round(endpoint: str) -> None:
    paramsecrets.set_default_client(paramsecrets.Client(endpoint=endpoint, token=TOKEN, **SLOW))
    expect("module_read", paramsecrets.get_parameter("/leak/plain"), "plain-value")
    expect("module_read", paramsecrets.get_secret("leak/other"), "other-secret")
    expect(
        "module_read", paramsecrets.get_parameters(["/leak/batch/0"]), {"/leak/batch/0": "batch-0"}
    )
    paramsecrets.prefetch(parameters=["/leak/list"])
    paramsecrets.clear_cache()
    paramsecrets.set_default_client(None)
    count("close")


async def async_round(endpoint: str) -> None:
    c = paramsecrets.AsyncClient(endpoint=endpoint, token=TOKEN, ttl=300, **SLOW)
    expect("async_miss", await c.get_parameter("/leak/plain"), "plain-value")
    expect("async_hit", await c.get_parameter("/leak/plain"), "plain-value")
    many = await asyncio.gather(
        *(c.get_parameter(f"/leak/batch/{i}") for i in range(4)), c.get_secret("leak/blob")
    )
    expect("async_gather", many, [f"batch-{i}" for i in range(4)] + [b"leak-blob-bytes"])
    rec = await c.get_parameter_record("/leak/versioned", label="old")
    expect("async_record", rec.value, "v1")
    got = await c.get_parameters(["/leak/batch/1", "/leak/missing"])
    expect("async_batch", got["/leak/batch/1"], "batch-1")
    expect("async_batch_error", type(got["/leak/missing"]), paramsecrets.NotFoundOrDeniedError)
    expect("async_force_fetch", await c.get_secret("leak/other", force_fetch=True), "other-secret")
    try:
        await c.get_secret("leak/missing")
        sys.exit("FAIL async_error: no error")
    except paramsecrets.NotFoundOrDeniedError:
        count("async_error")
    c.invalidate_parameter("/leak/plain")
    c.clear_cache()
    # An awaitable dropped without being awaited (a cancelled read) must free its native state.
    c.get_parameter("/leak/secure")
    count("async_dropped")
    count("close")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("LEAK_ROUNDS", "20")))
    args = ap.parse_args()
    proc, endpoint = start_emulator()
    try:
        for _ in range(args.rounds):
            sync_round(endpoint)
            threads_round(endpoint)
            module_round(endpoint)
            asyncio.run(async_round(endpoint))
            gc.collect()
            count("rounds")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("counts " + json.dumps(dict(sorted(counts.items()))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
