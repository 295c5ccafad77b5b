"""The load test's entry point: the walkthrough handler (`lambda_function`, unchanged, as packaged
for the function) with its reads of the parameter and the secret timed.

Handler: timed_entry.handler. The handler's own result goes back as the function URL would send
it; the read times (ns, in call order) ride along in the response header x-bench-read-ns, which
the local function URL records and strips before answering the load generator.

What is timed: paramsecrets' `client.get_parameter` / `client.get_secret` in the paramsecrets
handler; `retrieve_extension_value` (one urllib3 GET + json.loads) in the hand-written one.
"""

import json
import time

import lambda_function as fn

_reads: list[int] = []


def _timed(read):
    def timed(*args, **kwargs):
        t = time.perf_counter_ns()
        try:
            return read(*args, **kwargs)
        finally:
            _reads.append(time.perf_counter_ns() - t)

    return timed


class _TimedClient:
    """Stands in for the module's paramsecrets client: the two reads timed, the rest as is."""

    def __init__(self, client):
        self._client = client
        self.get_parameter = _timed(client.get_parameter)
        self.get_secret = _timed(client.get_secret)

    def __getattr__(self, name):
        return getattr(self._client, name)


if hasattr(fn, "client"):
    fn.client = _TimedClient(fn.client)
else:
    fn.retrieve_extension_value = _timed(fn.retrieve_extension_value)


def handler(event, context):
    _reads.clear()
    result = fn.lambda_handler(event, context)
    if not (isinstance(result, dict) and "statusCode" in result):
        # What a function URL makes of any other result: a 200 with the result as JSON.
        result = {"statusCode": 200, "body": json.dumps(result), "headers": {"content-type": "application/json"}}
    result.setdefault("headers", {})["x-bench-read-ns"] = ",".join(map(str, _reads))
    return result
