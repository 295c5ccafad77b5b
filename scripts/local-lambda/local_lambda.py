#!/usr/bin/env python3
"""A local Lambda made of AWS's own parts: the Runtime Interface Emulator (RIE) running a
handler in the official runtime interface client of its language, with layers (the extension
among them) on /opt inside a private mount namespace.

    scripts/local-lambda/run.sh --lang python --task-root DIR --handler mod.fn \\
        [--layer ZIP_OR_DIR]... [--store STORE.json] [--env K=V]... [-n N] [--event JSON]

One run: a private folder becomes /opt (every layer unpacked or linked into it, the store at
/opt/paramsecrets/store.json), RIE starts on free loopback ports in a new mount namespace,
the handler is invoked N times through RIE's invoke API, and RIE is stopped with SIGTERM (which
sends SHUTDOWN to the extensions). Every process of the run carries a marker in its environment;
after the stop none may be left. Where mount namespaces are not available the run says so and
stops: it never falls back to something that only looks like Lambda.

Also a module: `LocalLambda` is what the demo, the lifecycle tests and the benchmark drive.
Only the standard library.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LANGS = ("python", "node", "java")
MARKER = "PARAMSECRETS_LOCAL_LAMBDA_RUN"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"
# What the managed runtimes announce in AWS_EXECUTION_ENV.
EXECUTION_ENV = {
    "python": "AWS_Lambda_python3.11",
    "node": "AWS_Lambda_nodejs22.x",
    "java": "AWS_Lambda_java25",
}
INIT_REPORT = re.compile(r"INIT REPORT\(durationMs: ([\d.]+)\)")
INVOKE_DONE = re.compile(r"INVOKE RTDONE\(status: (\w+), produced bytes: \d+, duration: ([\d.]+)ms\)")


class NoNamespaces(RuntimeError):
    """Mount namespaces are not available: the local Lambda cannot run here."""


class LambdaError(RuntimeError):
    """The local Lambda could not be started or stopped as asked."""


def installed_paths() -> dict[str, str]:
    out = subprocess.run(
        [os.path.join(HERE, "install.sh"), "--print-paths"], capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split("=", 1) for line in out.split())


def install(*parts: str) -> None:
    """Runs install.sh for the parts (idempotent: a no-op when they are in the cache)."""
    subprocess.run([os.path.join(HERE, "install.sh"), *parts], check=True, stdout=sys.stderr)


def node_bin() -> str:
    """The bin folder of Lambda's oldest Node runtime (nodejs22.x) from scripts/ensure-node.sh:
    never whatever `node` this machine has on PATH (its Node 20 is not a Lambda runtime, and the
    package refuses it)."""
    return subprocess.run(
        [os.path.join(ROOT, "scripts", "ensure-node.sh"), "22"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def java_home() -> str:
    return subprocess.run(
        [os.path.join(ROOT, "bindings-java", "scripts", "java-home.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def unshare_prefix() -> list[str]:
    """The unshare command for a private mount namespace (a user namespace too when not root)."""
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--mount", "--propagation", "private"]


def check_namespaces() -> None:
    """Raises NoNamespaces unless a private mount namespace with a bind mount on /opt works."""
    if shutil.which("unshare") is None:
        raise NoNamespaces("`unshare` (util-linux) is not installed")
    if not os.path.isdir("/opt"):
        raise NoNamespaces("there is no /opt directory to mount the layers on")
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "probe"), "w").close()
        r = subprocess.run(
            [*unshare_prefix(), "sh", "-c", 'mount --bind "$0" /opt && test -e /opt/probe', d],
            capture_output=True,
            text=True,
            check=False,
        )
    if r.returncode != 0:
        raise NoNamespaces(
            f"a private mount namespace is not available here ({' '.join(unshare_prefix())}: "
            f"{(r.stderr or r.stdout).strip() or 'exit status ' + str(r.returncode)})"
        )


def pdeathsig_prefix() -> list[str]:
    """setpriv (util-linux, like unshare) makes the kernel send SIGTERM to the process it execs
    when the process that started it dies; the execs of unshare, sh and RIE keep it."""
    return ["setpriv", "--pdeathsig", "TERM"] if shutil.which("setpriv") else []


_PORTS_HANDED_OUT: set[int] = set()
_PORTS_LOCK = threading.Lock()


def free_port() -> int:
    """A loopback port free now and never handed out before by this process.

    Each run takes three ports (RIE's two APIs, the extension's) and binds them only later, so
    the kernel, asked again, may return one it has already given: a second run's port, or the
    same run's. Then the extension cannot listen (Extension.Crash) or answers on RIE's port;
    seen in a load-test smoke run (three 502s, an extension's stats from RIE: 404)."""
    with _PORTS_LOCK:
        while True:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if port not in _PORTS_HANDED_OUT:
                _PORTS_HANDED_OUT.add(port)
                return port


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def add_layer(opt: str, layer: str) -> None:
    """Unpacks a layer zip (keeping file modes) or a layer directory into opt, as Lambda
    extracts each layer of a function into /opt in order."""
    if os.path.isdir(layer):
        shutil.copytree(layer, opt, symlinks=True, dirs_exist_ok=True, copy_function=_link_or_copy)
        return
    with zipfile.ZipFile(layer) as z:
        for info in z.infolist():
            path = z.extract(info, opt)
            mode = (info.external_attr >> 16) & 0o7777
            if mode:
                os.chmod(path, mode)


@dataclass
class Invocation:
    status: int
    body: str
    wall_ms: float  # the HTTP round trip to RIE's invoke API
    runtime_ms: float | None = None  # RIE's INVOKE RTDONE duration (the handler's invoke phase)

    def json(self):
        return json.loads(self.body)


@dataclass
class LocalLambda:
    lang: str
    task_root: str
    handler: str
    layers: list[str] = field(default_factory=list)
    store: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    timeout_s: int = 30
    log_path: str | None = None  # RIE's output (RIE, runtime and extension logs); temp if None

    def __post_init__(self):
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {self.lang!r}")
        self.task_root = os.path.abspath(self.task_root)
        self.proc: subprocess.Popen | None = None
        self.run_id = secrets.token_hex(8)
        self.tmp: str | None = None
        self.invocations: list[Invocation] = []
        self.extension_port = free_port()

    # ---- start / stop ----------------------------------------------------------------------
    def start(self) -> LocalLambda:
        check_namespaces()
        paths = installed_paths()
        rie = paths["RIE"]
        ric = {
            "python": paths["PYTHON_RIC"].rsplit("/bin/", 1)[0],
            "node": paths["NODE_RIC"],
            "java": paths["JAVA_RIC_LIB"],
        }[self.lang]
        for p in (rie, ric):
            if not os.path.exists(p):
                raise LambdaError(f"{p} is missing: run scripts/local-lambda/install.sh")
        self.tmp = tempfile.mkdtemp(prefix="paramsecrets-lambda.")
        opt = os.path.join(self.tmp, "opt")
        os.mkdir(opt)
        for layer in self.layers:
            add_layer(opt, layer)
        if self.store:
            os.makedirs(os.path.join(opt, "paramsecrets"), exist_ok=True)
            shutil.copyfile(self.store, os.path.join(opt, "paramsecrets", "store.json"))
        self.invoke_port, self.runtime_port = free_port(), free_port()
        env = self._environment(ric)
        if self.log_path is None:
            self.log_path = os.path.join(self.tmp, "rie.log")
        # Held for the run's whole life (RIE writes to it); stop() closes it.
        self._log = open(self.log_path, "w")  # noqa: SIM115
        cmd = [
            *pdeathsig_prefix(),
            *unshare_prefix(),
            "sh",
            "-c",
            'mount --bind "$0" /opt && exec "$@"',
            opt,
            rie,
            "--log-level",
            "info",
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{self.invoke_port}",
            "--runtime-api-address",
            f"127.0.0.1:{self.runtime_port}",
            os.path.join(HERE, "runtimes", self.lang),
            self.handler,
        ]
        # Its own session: a Ctrl-C in the terminal reaches only us, and we stop RIE in order.
        # If we die without stopping it (SIGKILL, a crashed harness), the kernel sends RIE
        # SIGTERM, so it still shuts its extensions and runtime down instead of living on.
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.task_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # Both APIs: RIE opens the Runtime API's listener from a goroutine of its own, and on a
        # busy machine the first INIT (started by our first invoke) can otherwise start the
        # extension before it listens: its registration is refused and INIT fails.
        waiting = [self.invoke_port, self.runtime_port]
        deadline = time.monotonic() + 10
        while waiting and time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LambdaError(f"RIE exited at start (status {self.proc.returncode}):\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", waiting[0]), timeout=0.2).close()
                waiting.pop(0)
            except OSError:
                time.sleep(0.02)
        if waiting:
            raise LambdaError(f"RIE did not listen on 127.0.0.1:{waiting[0]} within 10 s")
        return self

    def _environment(self, ric: str) -> dict[str, str]:
        """What a function's environment holds on Lambda (not the caller's whole environment)."""
        name = self.env.get("AWS_LAMBDA_FUNCTION_NAME", f"local-{self.lang}")
        region = self.env.get("AWS_REGION", "us-east-1")
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TZ": ":UTC",
            "HOME": os.environ.get("HOME", "/tmp"),
            "LAMBDA_TASK_ROOT": self.task_root,
            "AWS_EXECUTION_ENV": EXECUTION_ENV[self.lang],
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(self.timeout_s),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": time.strftime("%Y/%m/%d/[$LATEST]") + self.run_id,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            # Temporary credentials as Lambda gives them; the extension checks the session token.
            "AWS_ACCESS_KEY_ID": "ASIALOCALLAMBDA00000",
            "AWS_SECRET_ACCESS_KEY": "local-" + secrets.token_hex(16),
            "AWS_SESSION_TOKEN": "local-" + secrets.token_hex(24),
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(self.extension_port),
            "PARAMSECRETS_EMULATOR_STORE": "/opt/paramsecrets/store.json",
            "LOCAL_LAMBDA_RIC": ric,
            MARKER: self.run_id,
        }
        if self.lang == "node":
            env["PATH"] = node_bin() + os.pathsep + env["PATH"]
        if self.lang == "java":
            env["LOCAL_LAMBDA_JAVA_HOME"] = java_home()
            env["JAVA_TOOL_OPTIONS"] = "--enable-native-access=ALL-UNNAMED"
        env.update(self.env)
        return env

    def stop(self, grace_s: float = 10.0) -> dict[int, str]:
        """SIGTERM to RIE (SHUTDOWN to the extensions, then it kills the runtime); returns the
        processes of this run still alive afterwards (then kills them: nothing is left behind)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        left = {}
        deadline = time.monotonic() + 1.0
        while True:  # processes already killed may take a moment to be reaped
            left = self.processes()
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if getattr(self, "_log", None):
            self._log.close()
        if self.tmp:
            keep = self.log_path and self.log_path.startswith(self.tmp + os.sep)
            if keep:  # the log outlives the run's folder: move it next to it
                dst = self.tmp + ".log"
                shutil.move(self.log_path, dst)
                self.log_path = dst
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        return left

    def processes(self) -> dict[int, str]:
        """Live processes carrying this run's marker (RIE, the runtime, the extensions)."""
        needle = f"{MARKER}={self.run_id}".encode()
        found = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if needle not in f.read().split(b"\0"):
                        continue
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        continue
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    found[int(pid)] = f.read().replace(b"\0", b" ").decode(errors="replace")[:200]
            except OSError:
                continue
        return found

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- invoke and observe ----------------------------------------------------------------
    def invoke(self, event=None, timeout_s: float | None = None) -> Invocation:
        body = json.dumps({} if event is None else event).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.invoke_port}{INVOKE_PATH}", data=body, method="POST"
        )
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=timeout_s or self.timeout_s + 30) as r:
                status, text = r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        wall = (time.perf_counter() - t0) * 1e3
        inv = Invocation(status, text, wall)
        self.invocations.append(inv)
        done = self._wait_for(INVOKE_DONE, len(self.invocations), 1.0)
        if done:
            inv.runtime_ms = float(done[-1].group(2))
        return inv

    def _wait_for(self, pattern, count: int, timeout_s: float):
        """The matches of pattern in the log, once there are count of them (or at timeout)."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = list(pattern.finditer(self.log()))
            if len(found) >= count or time.monotonic() > deadline:
                return found[:count] if len(found) >= count else None
            time.sleep(0.005)

    def extension_stats(self) -> dict:
        """The emulator extension's GET /_emulator/stats (request counts per key, never values)."""
        url = f"http://127.0.0.1:{self.extension_port}/_emulator/stats"
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.load(r)

    def init_ms(self) -> float | None:
        """RIE's INIT REPORT duration (the REPORT line's Init Duration is not the real one)."""
        m = self._wait_for(INIT_REPORT, 1, 1.0)
        return float(m[0].group(1)) if m else None

    def log(self) -> str:
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, errors="replace") as f:
            return f.read()


def _p90(xs):
    xs = sorted(xs)
    return xs[max(0, -(-len(xs) * 9 // 10) - 1)]


def summary(lam: LocalLambda) -> dict:
    inv = lam.invocations
    rt = [i.runtime_ms for i in inv if i.runtime_ms is not None]
    out = {
        "lang": lam.lang,
        "handler": lam.handler,
        "init_ms": lam.init_ms(),
        "invocations": len(inv),
        "statuses": [i.status for i in inv],
        "cold_ms": rt[0] if rt else None,
        "warm_median_ms": statistics.median(rt[1:]) if len(rt) > 1 else None,
        "warm_p90_ms": _p90(rt[1:]) if len(rt) > 1 else None,
        "wall_ms": [round(i.wall_ms, 2) for i in inv],
        "runtime_ms": rt,
        "responses": [i.body for i in inv],
    }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--lang", required=True, choices=LANGS)
    ap.add_argument("--task-root", required=True, help="the function's code (LAMBDA_TASK_ROOT)")
    ap.add_argument("--handler", required=True, help="module.function, file.export, pkg.Class::method")
    ap.add_argument(
        "--layer", action="append", default=[], help="a layer zip or directory (repeatable; in order)"
    )
    ap.add_argument("--store", help="the emulator's store, put at /opt/paramsecrets/store.json")
    ap.add_argument(
        "--env", action="append", default=[], metavar="K=V", help="a function environment variable"
    )
    ap.add_argument("-n", "--invocations", type=int, default=1)
    ap.add_argument("--event", default="{}", help="the event (JSON) of every invocation")
    ap.add_argument("--timeout", type=int, default=30, help="the function timeout, seconds")
    ap.add_argument("--log", help="keep RIE's whole output (runtime and extension logs) in this file")
    ap.add_argument("--json", help="write the run's figures and responses to this file")
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    ap.add_argument(
        "--extension-stats",
        action="store_true",
        help="after the invocations, print the emulator extension's /_emulator/stats",
    )
    a = ap.parse_args(argv)
    env = {}
    for kv in a.env:
        if "=" not in kv:
            ap.error(f"--env wants K=V, not {kv!r}")
        k, v = kv.split("=", 1)
        env[k] = v
    try:
        check_namespaces()
    except NoNamespaces as e:
        print(
            f"local Lambda: {e}.\nIt runs RIE with the layers on /opt only inside a private mount "
            "namespace, never on the host's /opt, and has no substitute: not running.",
            file=sys.stderr,
        )
        return 3
    install("rie", a.lang)
    lam = LocalLambda(a.lang, a.task_root, a.handler, a.layer, a.store, env, a.timeout, a.log)
    # SIGTERM/SIGHUP as KeyboardInterrupt: the finally below stops RIE in every case.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)
    rc, non_200, ext_stats = 0, 0, None
    try:
        lam.start()
        say = (lambda *_: None) if a.quiet else print
        say(
            f"local Lambda: {a.lang} {a.handler} in {lam.task_root} (RIE on 127.0.0.1:{lam.invoke_port}, "
            f"layers: {', '.join(os.path.basename(x) for x in a.layer) or 'none'})"
        )
        event = json.loads(a.event)
        for i in range(a.invocations):
            inv = lam.invoke(event)
            if i == 0:
                init = lam.init_ms()
                say(
                    f"  INIT REPORT: {init:.2f} ms" if init is not None else "  INIT REPORT: not in RIE's log"
                )
            rt = f"{inv.runtime_ms:.2f} ms" if inv.runtime_ms is not None else "n/a"
            say(
                f"  invoke {i + 1}{' (cold)' if i == 0 else ''}: HTTP {inv.status}, {rt} in the runtime, "
                f"{inv.wall_ms:.2f} ms round trip: {inv.body}"
            )
            non_200 += inv.status != 200
        s = summary(lam)
        line = f"  init {s['init_ms']} ms | cold {s['cold_ms']} ms"
        if s["warm_median_ms"] is not None:
            line += f" | warm median {s['warm_median_ms']:.2f} ms, p90 {s['warm_p90_ms']:.2f} ms"
        print(line + f" | {len(lam.invocations) - non_200} of {len(lam.invocations)} HTTP 200")
        if a.extension_stats:
            ext_stats = lam.extension_stats()
            print(f"  extension /_emulator/stats: {json.dumps(ext_stats)}")
    except KeyboardInterrupt:
        print("\nlocal Lambda: interrupted", file=sys.stderr)
        rc = 130
    except (LambdaError, OSError) as e:
        print(f"local Lambda: {e}", file=sys.stderr)
        rc = 1
    finally:
        left = lam.stop()
        if a.json:
            with open(a.json, "w") as f:
                json.dump(
                    {**summary(lam), "extension_stats": ext_stats, "left": left, "log": lam.log_path},
                    f,
                    indent=1,
                )
        if left:
            print(f"local Lambda: processes left after RIE stopped (killed now): {left}", file=sys.stderr)
            rc = rc or 1
        elif not a.quiet:
            print("  stopped RIE (SHUTDOWN to the extensions); no process of the run is left")
        if a.log is None and lam.log_path and os.path.exists(lam.log_path):
            if rc == 1 or non_200:
                print(f"--- RIE's output:\n{lam.log()}", file=sys.stderr)
            os.remove(lam.log_path)
    return rc or (2 if non_200 else 0)


if __name__ == "__main__":
    sys.exit(main())
