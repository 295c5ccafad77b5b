"""Calls lambda_function.lambda_handler the way the Lambda Python runtime does: one process,
the module imported once (the INIT phase), then N invocations with an event and a context.

    python invoke.py [N]          N invocations (default $INVOCATIONS, else 3)

The environment must already hold what Lambda and the extension layer set
(PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN, ...) and the walkthrough's
ENV, APP_CONFIG_PATH, CREDS_PATH; scripts/examples-env.sh prints them.

Exit status: 0 when every invocation answered statusCode 200, 2 when one answered another
status, 1 when the handler raised.
"""

import importlib
import json
import os
import statistics
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))


class LambdaContext:
    """The attributes of the Python runtime's context object."""

    def __init__(self, timeout_s: float = 30.0):
        name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "demoapp-python")
        region = os.environ.get("AWS_REGION", "us-east-1")
        self.function_name = name
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = f"arn:aws:lambda:{region}:000000000000:function:{name}"
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", f"/aws/lambda/{name}")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "local")
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def p90(xs):
    xs = sorted(xs)
    return xs[max(0, -(-len(xs) * 9 // 10) - 1)]


def main() -> int:
    n = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("INVOCATIONS", "3"))
    for var in ("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "AWS_SESSION_TOKEN", "ENV", "CREDS_PATH"):
        if var not in os.environ:
            print(
                f"{var} is not set (start scripts/examples-env.sh and source its file)",
                file=sys.stderr,
            )
            return 1
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "demoapp-python")
    print(f"invoking {name} {n} times (handler lambda_function.lambda_handler)")

    sys.path.insert(0, HERE)
    t0 = time.perf_counter()
    module = importlib.import_module("lambda_function")  # INIT: imports + the client
    init_ms = (time.perf_counter() - t0) * 1e3
    print(f"  init (imports + client): {init_ms:.1f} ms")

    latencies, responses = [], []
    for _ in range(n):
        event, context = {}, LambdaContext()
        t0 = time.perf_counter()
        response = module.lambda_handler(event, context)
        latencies.append((time.perf_counter() - t0) * 1e3)
        responses.append(json.loads(json.dumps(response)))  # what Lambda would serialize

    print(f"  response: {json.dumps(responses[0])}")
    codes = {}
    for r in responses:
        codes[r.get("statusCode")] = codes.get(r.get("statusCode"), 0) + 1
    print("  " + ", ".join(f"{c} x statusCode {s}" for s, c in codes.items()))
    warm = latencies[1:]
    line = f"  latency: cold {latencies[0]:.2f} ms"
    if warm:
        line += f" | warm median {statistics.median(warm):.2f} ms, p90 {p90(warm):.2f} ms ({len(warm)} invocations)"
    print(line)
    s = module.client.stats()
    print(
        f"  paramsecrets L1: hits={s.hits} misses={s.misses} requests={s.requests} errors={s.errors}"
    )
    return 0 if set(codes) == {200} else 2


if __name__ == "__main__":
    sys.exit(main())
