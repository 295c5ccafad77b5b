"""A local stand-in for a Lambda function URL, scaling out like Lambda.

An HTTP server on 127.0.0.1 turns each request into a function URL event (payload format 2.0),
hands it to an idle execution environment and turns the handler's result into the HTTP
response, with the function URL's rules. An environment is the local Lambda of
scripts/local-lambda (RIE + the language's official runtime interface client + the handler +
the layers on /opt, the emulator among them as the extension): one invocation at a time, as on
Lambda. When every environment is busy, a request starts a new one and waits for its cold start,
as Lambda scales out. At the end each environment's extension reports its counters
(`/_emulator/stats`): requests from the function and store reads ("upstream" GetParameter calls).

    server = FunctionUrl(make_environment)   # make_environment(index) -> LocalLambda (not started)
    server.start(); ...; results = server.stop()

Only the standard library (plus scripts/local-lambda/local_lambda.py).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")


def url_event(method: str, path: str, query: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict:
    """The function URL request event, payload format version 2.0."""
    now = time.time()
    ctype = headers.get("content-type", "")
    text = not body or any(ctype.startswith(t) for t in TEXT_TYPES)
    cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "domainName": headers.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": not text,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        params: dict[str, str] = {}
        for pair in query.split("&"):
            k, _, v = pair.partition("=")
            params[urllib.request.unquote(k)] = urllib.request.unquote(v)
        event["queryStringParameters"] = params
    if body:
        event["body"] = body.decode() if text else base64.b64encode(body).decode()
    return event


def url_response(result) -> tuple[int, dict[str, str], bytes]:
    """The function URL's reading of a handler's result: an object with statusCode is taken as
    the response; anything else is a 200 with the result as JSON."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        body = result.get("body", "")
        if not isinstance(body, str):
            body = json.dumps(body)
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        headers.setdefault("content-type", "application/json")
        return int(result["statusCode"]), headers, raw
    return 200, {"content-type": "application/json"}, json.dumps(result).encode()


@dataclass
class Environment:
    index: int
    lam: object  # LocalLambda
    created: float  # seconds since the server started
    invocations: int = 0
    cold_ms: float | None = None  # the first request's round trip through RIE (INIT + invoke)
    stats: dict = field(default_factory=dict)
    left: dict = field(default_factory=dict)
    failure: str | None = None  # why it could not start or report, if it could not


@dataclass
class Record:
    """One request as the stand-in saw it."""

    env: int
    cold: bool
    status: int
    arrived: float  # seconds since the server started
    wall_ms: float  # request in -> response out, including any wait for a cold start
    headers: dict[str, str]
    error: str | None = None  # the start of the answer when it was not a 200


class FunctionUrl:
    def __init__(self, make_environment: Callable[[int], object], port: int = 0, max_environments: int = 100):
        self.make_environment = make_environment
        self.max_environments = max_environments
        self.lock = threading.Lock()
        self.idle: list[Environment] = []
        self.all: list[Environment] = []
        self.records: list[Record] = []
        self.t0 = time.monotonic()
        # Long-lived threads that start the environments (see _acquire); they end in stop().
        self.starters = ThreadPoolExecutor(max_workers=8, thread_name_prefix="environment-starter")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                path, _, query = self.path.partition("?")
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, out_headers, out = outer.handle(
                    url_event(self.command, path, query, headers, body, self.client_address[0])
                )
                self.send_response(status)
                for k, v in out_headers.items():
                    if not k.lower().startswith("x-bench-"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

            def log_message(self, *args):  # one line per request would drown the load test
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FunctionUrl:
        self.t0 = time.monotonic()
        self.thread.start()
        return self

    def _acquire(self) -> tuple[Environment, bool]:
        with self.lock:
            if self.idle:
                return self.idle.pop(), False
            if len(self.all) >= self.max_environments:
                raise RuntimeError(f"more than {self.max_environments} environments busy")
            env = Environment(len(self.all), self.make_environment(len(self.all)), time.monotonic() - self.t0)
            self.all.append(env)
        try:
            # Outside the lock: other requests keep being served meanwhile. On a starter thread:
            # the local Lambda asks the kernel to stop RIE when the thread that started it ends
            # (PR_SET_PDEATHSIG is per thread), and request threads end after each request.
            self.starters.submit(env.lam.start).result()
        except Exception as e:
            env.failure = f"start: {e}"
            raise
        return env, True

    def handle(self, event: dict) -> tuple[int, dict[str, str], bytes]:
        t = time.monotonic()
        try:
            env, cold = self._acquire()
        except Exception as e:  # noqa: BLE001 - the caller gets a 502 like a failed scale-out
            return 502, {"content-type": "text/plain"}, f"no environment: {e}".encode()
        try:
            inv = env.lam.invoke(event)
            env.invocations += 1
            if cold:
                env.cold_ms = inv.wall_ms
            status, headers, out = self._response(inv.status, inv.body)
        finally:
            with self.lock:
                self.idle.append(env)
        error = None if status == 200 else out[:300].decode(errors="replace")
        rec = Record(env.index, cold, status, t - self.t0, (time.monotonic() - t) * 1e3, headers, error)
        with self.lock:
            self.records.append(rec)
        return status, headers, out

    @staticmethod
    def _response(rie_status: int, body: str) -> tuple[int, dict[str, str], bytes]:
        """RIE's answer as the function URL gives it: a function error (RIE's non-200, or an
        errorType/errorMessage result) is a 502."""
        plain = {"content-type": "text/plain"}
        if rie_status != 200:
            return 502, plain, body.encode()
        try:
            result = json.loads(body)
        except ValueError:
            return 502, plain, b"the function returned no JSON"
        if isinstance(result, dict) and "errorType" in result:
            return 502, plain, body.encode()
        return url_response(result)

    def stop(self) -> list[Environment]:
        """Stops serving, reads every environment's extension counters, stops the environments."""
        self.httpd.shutdown()
        self.httpd.server_close()
        for env in self.all:
            if env.failure is None:
                try:
                    port = env.lam.extension_port
                    with _NO_PROXY.open(f"http://127.0.0.1:{port}/_emulator/stats", timeout=5) as r:
                        env.stats = json.loads(r.read())
                except OSError as e:
                    env.failure = f"extension stats: {e}"
            env.left = env.lam.stop()
        self.starters.shutdown()
        return self.all
