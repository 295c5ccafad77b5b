"""One simulated Lambda execution environment's handler (the function's code).

Configured like a Lambda function, from the environment: PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
AWS_SESSION_TOKEN, SSM_PARAMETER_STORE_TTL (the extension's TTL, which paramsecrets' L1 follows),
PARAMSECRETS_BENCH_PARAMETER (the parameter's name). The client is chosen by argv[1]:

  handwritten   the walkthrough's / AWS sample's code: one urllib3 GET to the extension per
                invocation, then json.loads of the answer
  paramsecrets  paramsecrets.get_parameter (the in-process L1 in front of the extension)

Protocol (the same as `paramsecrets-bench worker`): the worker prints `ready` once its module
level ran (the INIT phase), then for each stdin line {"id": N, "work_ms": F} it reads the
parameter (timed), does F ms of handler work (a sleep) and prints
{"id": N, "read_ns": N, "ok": true|false, "error": str|null}.
"""

from __future__ import annotations

import json
import os
import sys
import time


def handwritten():
    # As in the AWS sample for the extension: a module-level PoolManager, one GET per call.
    import urllib3

    http = urllib3.PoolManager()
    port = os.environ.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773")
    name = os.environ["PARAMSECRETS_BENCH_PARAMETER"]
    url = f"http://127.0.0.1:{port}/systemsmanager/parameters/get?name={name}&withDecryption=true"
    headers = {"X-Aws-Parameters-Secrets-Token": os.environ.get("AWS_SESSION_TOKEN", "")}

    def read():
        response = http.request("GET", url, headers=headers)
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
        return json.loads(response.data)["Parameter"]["Value"]

    return read


def paramsecrets_client():
    import paramsecrets

    client = paramsecrets.Client()  # port, token and TTL from the environment
    name = os.environ["PARAMSECRETS_BENCH_PARAMETER"]

    def read():
        return client.get_parameter(name)

    return read


CLIENTS = {"handwritten": handwritten, "paramsecrets": paramsecrets_client}


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else "handwritten"
    read = CLIENTS[kind]()
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        error = None
        t0 = time.perf_counter_ns()
        try:
            read()
        except Exception as e:  # noqa: BLE001 - reported to the driver, by type only
            error = type(e).__name__
        read_ns = time.perf_counter_ns() - t0
        time.sleep(max(0.0, float(msg.get("work_ms", 0))) / 1e3)
        out.write(json.dumps({"id": msg.get("id"), "read_ns": read_ns, "ok": error is None, "error": error}) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
