"""The lifecycle probe: what a function does with paramsecrets at INIT, chosen by PROBE_MODE.

    bare        imports nothing (the baseline INIT of the runtime itself)
    client      imports paramsecrets and builds a client at module scope
    init_read   ... and reads the parameter at module scope (the read INIT cannot serve)
    prefetch    ... and prefetches the parameter and the secret at module scope

The handler (all but bare) reads both names first thing and answers how long that took, what
the module-scope read did, and the client's counters. Never a value: only lengths.
"""

import os
import time

T0 = time.perf_counter()
MODE = os.environ["PROBE_MODE"]
PARAMETER = os.environ.get("PROBE_PARAMETER", "/lifecycle/config")
SECRET = os.environ.get("PROBE_SECRET", "lifecycle/creds")
init_read = None

if MODE != "bare":
    import paramsecrets

    client = paramsecrets.Client()
    if MODE == "init_read":
        t0 = time.perf_counter()
        try:
            client.get_parameter(PARAMETER)
            init_read = {"code": None}
        except paramsecrets.ParamSecretsError as e:
            init_read = {"code": e.code}
        init_read["ms"] = round((time.perf_counter() - t0) * 1e3, 2)
    elif MODE == "prefetch":
        client.prefetch(parameters=[PARAMETER], secrets=[SECRET])
# What the module-scope code itself took (import, client, read or prefetch), by its own clock.
INIT_CODE_MS = round((time.perf_counter() - T0) * 1e3, 2)


def handler(event, context):
    # An invocation that takes a while, for the tests that interrupt the local Lambda mid-invoke.
    time.sleep(float((event or {}).get("sleep_s", 0)))
    if MODE == "bare":
        return {"mode": MODE, "init_code_ms": INIT_CODE_MS}
    t0 = time.perf_counter()
    try:
        lengths = [len(client.get_parameter(PARAMETER)), len(client.get_secret(SECRET))]
        error = None
    except paramsecrets.ParamSecretsError as e:
        lengths, error = None, f"{e.code}: {e}"
    read_ms = round((time.perf_counter() - t0) * 1e3, 3)
    s = client.stats()
    return {
        "mode": MODE,
        "init_code_ms": INIT_CODE_MS,
        "init_read": init_read,
        "read_ms": read_ms,
        "lengths": lengths,
        "error": error,
        "requests": s.requests,
        "hits": s.hits,
        "misses": s.misses,
    }
