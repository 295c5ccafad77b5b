#!/usr/bin/env python3
"""make soak: one long-lived client process per language against its own emulator, with faults.

    soak/run.py [--minutes N] [--languages rust,python,node,java] [--out DIR] [--interval S]
                [--sequential] [--smoke]

For each language: an emulator (target/debug/paramsecrets-emulator, short TTL) on a free port and
the language's driver (soak/<lang>/) as ONE process for the whole run. Every few seconds the
driver process is sampled (RSS, open fds, threads, TIME_WAIT sockets toward the emulator's port)
and its own one-line-per-second report is read (reads, wrong values, errors by code, heap). On a
schedule the emulator is killed and restarted on the same port (refused connections, then a
not-ready window) and the store moves to a new value generation. Afterwards the run fails on
growth after warm-up beyond the bounds in soak/README.md, on any wrong value and on any error that
is not an injected one. Writes DIR/<lang>.csv, DIR/<lang>.png and DIR/summary.md.

Runs itself in ~/.cache/paramsecrets/soak-venv (psutil, matplotlib; soak/requirements.txt),
created on first use. Builds what is missing (the emulator, the Rust driver, the wheel, the Node
addon, the jar); `make soak` / `make soak-smoke` build them first.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOAK = ROOT / "soak"
CACHE = Path(os.environ.get("PARAMSECRETS_CACHE", Path.home() / ".cache" / "paramsecrets"))
VENV = CACHE / "soak-venv"
LANGUAGES = ("rust", "python", "node", "java")

# The cache settings every driver and emulator runs with, and so the window in which a value
# generation stays legal after its successor was written (README: "What a read may return").
L1_TTL = 2.0  # the client's TTL (s)
EXT_TTL = 2  # the emulator's SSM_PARAMETER_STORE_TTL / SECRETS_MANAGER_TTL (whole seconds)
STALE_IF_ERROR = 3.0  # the client's stale-if-error window (s)
SLACK = 3.0  # the emulator's 200 ms reload poll, a request in flight, clocks read apart
WINDOW = L1_TTL + EXT_TTL + STALE_IF_ERROR + SLACK
N_PARAMS, N_SECRETS, L1_SIZE = 400, 40, 64  # far more names than the L1 holds: LRU evictions

# Errors a driver may report, and only while an injected outage lasts (plus GRACE after it):
# refused connections after retries, the restarted emulator's not-ready window, a timeout.
INJECTED_CODES = {"unavailable", "not_ready", "timeout"}
GRACE = 6.0  # the readiness deadline (3 s) + one attempt's timeout (1 s) + reporting (1 s) + 1 s


def ensure_venv() -> None:
    """Re-executes this script under the soak venv, creating it when missing or stale."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    req = SOAK / "requirements.txt"
    stamp = VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != req.read_text():
        print(f"==> creating {VENV} ({', '.join(req.read_text().split())})", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin/pip"), "install", "-q", "--disable-pip-version-check", "-r", str(req)],
            check=True,
        )
        stamp.write_text(req.read_text())
    os.execv(str(VENV / "bin/python"), [str(VENV / "bin/python"), __file__, *sys.argv[1:]])


def sh(*cmd: str, **kw) -> str:
    return subprocess.run(cmd, check=True, text=True, stdout=subprocess.PIPE, **kw).stdout.strip()


def arch_wheel() -> Path | None:
    wheels = sorted(
        (ROOT / "bindings-python/dist").glob(f"paramsecrets-*_{os.uname().machine}.whl")
    )
    return wheels[-1] if wheels else None


def version() -> str:
    for line in (ROOT / "Cargo.toml").read_text().splitlines():
        if line.startswith("version"):
            return line.split('"')[1]
    raise SystemExit("no version in Cargo.toml")


def prepare(lang: str, out: Path) -> list[str]:
    """Builds what `lang`'s driver needs when it is missing; returns its command line."""
    if lang == "rust":
        print("==> soak: building the Rust driver (target/soak-rust)", file=sys.stderr)
        subprocess.run(
            [
                "cargo",
                "build",
                "-q",
                "--release",
                "--manifest-path",
                str(SOAK / "rust/Cargo.toml"),
                "--target-dir",
                str(ROOT / "target/soak-rust"),
            ],
            check=True,
        )
        return [str(ROOT / "target/soak-rust/release/paramsecrets-soak")]
    if lang == "python":
        if arch_wheel() is None:
            subprocess.run(["make", "-C", str(ROOT / "bindings-python"), "wheel"], check=True)
        wheel = arch_wheel()
        subprocess.run(
            [
                str(VENV / "bin/pip"),
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-deps",
                "--force-reinstall",
                str(wheel),
            ],
            check=True,
        )
        return [str(VENV / "bin/python"), str(SOAK / "python/driver.py")]
    if lang == "node":
        if not list((ROOT / "bindings-node").glob("paramsecrets.linux-*.node")):
            subprocess.run(["make", "-C", str(ROOT / "bindings-node"), "build"], check=True)
        node_bin = sh(str(ROOT / "scripts/ensure-node.sh"), "22")
        # A young generation at its full size from the start (V8's default 16 MB semi-spaces), so
        # that RSS measures the library, not V8 growing each isolate's new space under the soak's
        # allocation rate (+32 MB per isolate over the first minutes, measured): the Java
        # driver's fixed heap, for V8. Lambda's Node runtime sets the semi-space size too.
        return [
            f"{node_bin}/node",
            "--expose-gc",
            "--min-semi-space-size=16",
            "--max-semi-space-size=16",
            str(SOAK / "node/driver.js"),
        ]
    if lang == "java":
        jar = ROOT / f"bindings-java/target/paramsecrets-{version()}.jar"
        if not jar.exists():
            subprocess.run(["make", "-C", str(ROOT / "bindings-java"), "jar"], check=True)
        classes = out / "java-classes"
        classes.mkdir(parents=True, exist_ok=True)
        jdk = sh(str(ROOT / "bindings-java/scripts/java-home.sh"))
        subprocess.run(
            [
                f"{jdk}/bin/javac",
                "--release",
                "17",
                "-d",
                str(classes),
                "-cp",
                str(jar),
                str(SOAK / "java/Soak.java"),
            ],
            check=True,
        )
        java = sh(str(ROOT / "scripts/ensure-jdk.sh"), "21") + "/bin/java"
        # A fixed, pre-touched heap and one GC thread, so that RSS and the thread count measure
        # the library, not the JVM sizing its heap or its compiler threads coming and going.
        return [
            java,
            "-Xms64m",
            "-Xmx64m",
            "-XX:+AlwaysPreTouch",
            "-XX:+UseSerialGC",
            "-XX:-UseDynamicNumberOfCompilerThreads",
            "-cp",
            f"{classes}:{jar}",
            "Soak",
        ]
    raise SystemExit(f"unknown language {lang!r}: choose from {','.join(LANGUAGES)}")


def emulator_binary() -> Path:
    binary = Path(
        os.environ.get("PARAMSECRETS_EMULATOR", ROOT / "target/debug/paramsecrets-emulator")
    )
    if not binary.exists():
        subprocess.run(
            ["cargo", "build", "-q", "-p", "paramsecrets-emulator"], check=True, cwd=ROOT
        )
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_wait(port: int) -> int:
    """Sockets in TIME_WAIT (state 06) with `port` at either end, from /proc/net/tcp{,6}."""
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if len(f) > 3 and f[3] == "06":
                if (
                    int(f[1].rsplit(":", 1)[1], 16) == port
                    or int(f[2].rsplit(":", 1)[1], 16) == port
                ):
                    n += 1
    return n


@dataclass
class Plan:
    seconds: float
    interval: float
    change_every: float  # a new store generation
    restart_every: float  # kill and restart the emulator
    down_for: tuple[float, ...]  # nothing listening for this long, restart after restart
    reset_every: float  # POST /_emulator/reset (empties its cache)
    warmup: float
    short: bool  # bounds for a short run (README: bounds)


@dataclass
class Run:
    lang: str
    out: Path
    plan: Plan
    cmd: list[str]
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    generation: int = 0
    start: float = 0.0
    emulator: subprocess.Popen | None = None
    driver: subprocess.Popen | None = None
    lines: list[dict] = field(default_factory=list)
    samples: list[dict] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)
    outages: list[list[float]] = field(default_factory=list)  # [start, end] wall clock
    problems: list[str] = field(default_factory=list)
    exit_code: int | None = None
    window: float = WINDOW

    @property
    def dir(self) -> Path:
        return self.out / self.lang

    # -- the store and its generations --------------------------------------------------------

    def write_store(self) -> None:
        store = {
            "comment": f"soak store, generation {self.generation}",
            "parameters": [
                {"name": n, "value": f"{n}#g{self.generation}"}
                for n in (f"/soak/p/{i:04d}" for i in range(N_PARAMS))
            ],
            "secrets": [
                {"name": n, "string": f"{n}#g{self.generation}"}
                for n in (f"soak/s/{i:03d}" for i in range(N_SECRETS))
            ],
        }
        tmp = self.dir / "store.json.tmp"
        tmp.write_text(json.dumps(store))
        os.replace(tmp, self.dir / "store.json")

    def new_generation(self) -> None:
        """Logs the generation before the store carries it, so no read can see it unlogged."""
        self.generation += 1
        with open(self.dir / "gens.txt", "a") as f:
            f.write(f"{self.generation} {time.time():.3f}\n")
            f.flush()
            os.fsync(f.fileno())
        self.write_store()

    # -- the emulator -------------------------------------------------------------------------

    def start_emulator(self, not_ready_ms: int = 0) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PARAMSECRETS_TOKEN": self.token,
            "SSM_PARAMETER_STORE_TTL": str(EXT_TTL),
            "SECRETS_MANAGER_TTL": str(EXT_TTL),
            "PARAMSECRETS_EMULATOR_LOG": "warn",
        }
        cmd = [
            str(emulator_binary()),
            "--store",
            str(self.dir / "store.json"),
            "--port",
            str(self.port),
        ]
        if not_ready_ms:
            cmd += ["--not-ready-for", str(not_ready_ms)]
        deadline = time.time() + 10
        while True:
            log = open(self.dir / "emulator.log", "a")
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
            log.close()
            line = proc.stdout.readline() if proc.stdout else ""
            if line.startswith("listening on"):
                self.emulator = proc
                return
            proc.wait()
            if time.time() > deadline:
                raise RuntimeError(f"{self.lang}: the emulator did not start on port {self.port}")
            time.sleep(0.2)  # the port is still held (a restart): try again

    def stop_emulator(self, sig: int) -> None:
        if self.emulator and self.emulator.poll() is None:
            self.emulator.send_signal(sig)
            try:
                self.emulator.wait(5)
            except subprocess.TimeoutExpired:
                self.emulator.kill()
                self.emulator.wait()

    def restart_emulator(self, n: int) -> None:
        begin = time.time()
        self.stop_emulator(signal.SIGKILL if n % 2 else signal.SIGTERM)
        self.event("restart")
        time.sleep(self.plan.down_for[n % len(self.plan.down_for)])
        not_ready = 800 if n % 2 == 0 else 0
        self.start_emulator(not_ready)
        self.outages.append([begin, time.time() + not_ready / 1000])

    def reset_emulator(self) -> None:
        try:
            req = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/_emulator/reset", method="POST"
            )
            urllib.request.urlopen(req, timeout=2).read()
            self.event("reset")
        except OSError as e:
            self.problems.append(f"POST /_emulator/reset failed: {e}")

    def event(self, kind: str) -> None:
        self.events.append((time.time() - self.start, kind))

    # -- the driver ---------------------------------------------------------------------------

    def read_driver(self) -> None:
        assert self.driver and self.driver.stdout
        for raw in self.driver.stdout:
            try:
                self.lines.append(json.loads(raw))
            except json.JSONDecodeError:
                self.problems.append(f"driver printed a line that is not JSON ({len(raw)} chars)")

    def sample(self, proc, last_line: int) -> int:
        import psutil

        now = time.time()
        try:
            mem = proc.memory_info()
            threads = proc.num_threads()
            fds = proc.num_fds()
        except psutil.Error:
            return last_line
        rss = mem.rss
        new = self.lines[last_line:]
        span = (new[-1]["t"] - self.lines[last_line - 1]["t"]) if new and last_line else None
        reads = sum(x["reads"] for x in new)
        heap = next((x["heap"] for x in reversed(self.lines) if x.get("heap") is not None), None)
        self.samples.append(
            {
                "t": round(now - self.start, 2),
                "rss_mb": round(rss / 2**20, 3),
                # statm's resident shared pages: file-backed (code paged in the first time a path
                # runs, which the kernel may drop again) and shmem; the rest is anonymous (malloc,
                # the heaps, stacks: where a leak grows).
                "rss_anon_mb": round((rss - mem.shared) / 2**20, 3),
                "rss_file_mb": round(mem.shared / 2**20, 3),
                "heap": heap,
                "fds": fds,
                "threads": threads,
                "time_wait": time_wait(self.port),
                "reads_per_s": round(reads / span, 1) if span else None,
                "errors": sum(sum(x["errors"].values()) for x in new),
                "wrong": sum(x["wrong"] for x in new),
            }
        )
        return len(self.lines)

    def go(self) -> None:
        import psutil

        self.dir.mkdir(parents=True, exist_ok=True)
        for name in ("gens.txt", "emulator.log"):
            (self.dir / name).unlink(missing_ok=True)
        self.port = free_port()
        self.start = time.time()
        self.new_generation()
        self.start_emulator()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("PARAMSECRETS_", "AWS_", "SSM_", "SECRETS_MANAGER_", "PARAMETERS_SECRETS_")
            )
        }
        env.update(
            {
                "PARAMSECRETS_TOKEN": self.token,
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(self.port),
                "SOAK_SECONDS": str(self.plan.seconds),
                "SOAK_GENS": str(self.dir / "gens.txt"),
                "SOAK_WINDOW": str(self.window),
                "SOAK_TTL": str(L1_TTL),
                "SOAK_STALE": str(STALE_IF_ERROR),
                "SOAK_CACHE": str(L1_SIZE),
                "SOAK_PARAMS": str(N_PARAMS),
                "SOAK_SECRETS": str(N_SECRETS),
            }
        )
        with open(self.dir / "driver.stderr", "w") as err:
            self.driver = subprocess.Popen(
                self.cmd, env=env, stdout=subprocess.PIPE, stderr=err, text=True, cwd=self.dir
            )
        reader = threading.Thread(target=self.read_driver, daemon=True)
        reader.start()
        proc = psutil.Process(self.driver.pid)
        p = self.plan
        next_sample = next_change = next_restart = next_reset = 0.0
        next_change, next_restart, next_reset = p.change_every, p.restart_every, p.reset_every
        restarts, last_line = 0, 0
        try:
            while self.driver.poll() is None:
                t = time.time() - self.start
                if t >= next_sample:
                    last_line = self.sample(proc, last_line)
                    next_sample += p.interval
                if t < p.seconds - 10:  # the last seconds run without faults
                    if t >= next_restart:
                        restarts += 1
                        self.restart_emulator(restarts)
                        next_restart += p.restart_every
                    if t >= next_change:
                        self.new_generation()
                        self.event("store")
                        next_change += p.change_every
                    if t >= next_reset:
                        self.reset_emulator()
                        next_reset += p.reset_every
                if t > p.seconds + 60:
                    self.problems.append("the driver did not stop by itself 60 s after its time")
                    self.driver.kill()
                time.sleep(0.1)
        finally:
            if self.driver.poll() is None:
                self.driver.kill()
            self.exit_code = self.driver.wait()
            reader.join(5)
            self.stop_emulator(signal.SIGTERM)
        if self.exit_code != 0:
            tail = (self.dir / "driver.stderr").read_text()[-2000:]
            self.problems.append(f"the driver exited with status {self.exit_code}: {tail.strip()}")


# -- analysis ---------------------------------------------------------------------------------


def slope(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def thirds(vals: list[float]) -> tuple[float, float]:
    k = max(1, len(vals) // 3)
    return statistics.median(vals[:k]), statistics.median(vals[-k:])


def analyse(run: Run) -> dict:
    p = run.plan
    post = [s for s in run.samples if s["t"] >= p.warmup]
    res: dict = {"lang": run.lang, "checks": [], "failed": list(run.problems)}

    def check(name: str, value: str, ok: bool, bound: str, growth: bool = False) -> None:
        # A run under 10 minutes is inside the runtimes' own warm-up (Node's RSS rose for 8
        # minutes before it stayed flat in the 30-minute run of 2026-12-07; fds move with the
        # restarts): its growth figures are printed, and only the long run gates them.
        if growth and p.short:
            res["checks"].append((name, value, bound, "ok" if ok else "over (not gated: < 10 min)"))
            return
        res["checks"].append((name, value, bound, "ok" if ok else "FAIL"))
        if not ok:
            res["failed"].append(f"{name}: {value} (bound {bound})")

    if len(post) < 6:
        res["failed"].append(f"only {len(post)} samples after the warm-up")
        return res
    ts = [s["t"] for s in post]
    span = ts[-1] - ts[0]
    rss = [s["rss_mb"] for s in post]
    growth = slope(ts, rss) * span
    floor, frac = (4.0, 0.08) if p.short else (2.0, 0.05)
    bound = max(floor, frac * statistics.median(rss))
    check(
        "RSS growth (fit)",
        f"{growth:+.2f} MB ({rss[0]:.1f} -> {rss[-1]:.1f} MB)",
        growth <= bound,
        f"{bound:.1f} MB = max({floor:g} MB, {frac:.0%})",
        growth=True,
    )
    # Where the RSS went, printed beside the gate (not gated): a leak grows the anonymous part.
    for key, kind in (("rss_anon_mb", "anonymous"), ("rss_file_mb", "file-backed")):
        part = [s[key] for s in post if s.get(key) is not None]
        if len(part) == len(post):
            res["checks"].append(
                (
                    f"RSS {kind} (fit)",
                    f"{slope(ts, part) * span:+.2f} MB ({part[0]:.1f} -> {part[-1]:.1f} MB)",
                    "printed, not gated",
                    "",
                )
            )
    heaps = [(s["t"], s["heap"]) for s in post if s["heap"] is not None]
    if len(heaps) >= 6:
        hx, hy = [h[0] for h in heaps], [float(h[1]) for h in heaps]
        hg = slope(hx, hy) * (hx[-1] - hx[0])
        unit = "blocks" if run.lang == "python" else "bytes"
        hb = max(0.10 * statistics.median(hy), 20000 if unit == "blocks" else 2 * 2**20)
        shown = f"{hg:+.0f} {unit}" if unit == "blocks" else f"{hg / 2**20:+.2f} MB"
        check(
            "heap growth (fit)",
            shown,
            hg <= hb,
            f"{hb:.0f} blocks" if unit == "blocks" else f"{hb / 2**20:.1f} MB = max(2 MB, 10 %)",
            growth=True,
        )
    for key, lim in (("fds", 4), ("threads", 2)):
        a, b = thirds([s[key] for s in post])
        check(
            f"{key} (median first -> last third)",
            f"{a:g} -> {b:g}",
            b - a <= lim,
            f"+{lim}",
            growth=True,
        )
    tw = [s["time_wait"] for s in post]
    a, b = thirds(tw)
    check(
        "TIME_WAIT (max; thirds)",
        f"max {max(tw)}; {a:g} -> {b:g}",
        max(tw) <= 1000 and b <= 2 * a + 50,
        "max 1000, last third <= 2x first + 50",
        growth=True,
    )
    wrong = sum(x["wrong"] for x in run.lines)
    bad = [b for x in run.lines for b in x.get("bad", [])][:5]
    check("wrong values", str(wrong) + (f" ({'; '.join(bad)})" if bad else ""), wrong == 0, "0")
    injected, other, stray = 0, {}, 0
    for x in run.lines:
        for code, n in x["errors"].items():
            in_outage = any(o[0] - 1 <= x["t"] <= o[1] + GRACE for o in run.outages)
            if code in INJECTED_CODES and in_outage:
                injected += n
            elif code in INJECTED_CODES:
                stray += n
            else:
                other[code] = other.get(code, 0) + n
    check("errors outside the injected outages", str(stray), stray == 0, "0")
    why = [
        b
        for x in run.lines
        for b in x.get("bad", [])
        if not b.startswith("/soak/") and not b.startswith("soak/")
    ]
    check(
        "errors of other kinds",
        (json.dumps(other) + f" ({'; '.join(why[:3])})") if other else "0",
        not other,
        "0",
    )
    res["injected_errors"] = injected
    # A stall: a driver line with no read at all, away from any outage.
    stalls = [
        x["t"]
        for x in run.lines[1:-1]
        if x["reads"] == 0 and not any(o[0] - 1 <= x["t"] <= o[1] + GRACE for o in run.outages)
    ]
    check("seconds without a read (outside outages)", str(len(stalls)), not stalls, "0")
    reads = sum(x["reads"] for x in run.lines)
    res.update(
        reads=reads,
        rate=reads / max(1.0, run.lines[-1]["t"] - run.start) if run.lines else 0,
        restarts=len(run.outages),
        generations=run.generation,
        span=span,
    )
    return res


def write_csv(run: Run) -> None:
    cols = [
        "t",
        "rss_mb",
        "rss_anon_mb",
        "rss_file_mb",
        "heap",
        "fds",
        "threads",
        "time_wait",
        "reads_per_s",
        "errors",
        "wrong",
        "events",
    ]
    rows = [",".join(cols)]
    for i, s in enumerate(run.samples):
        t0 = s["t"]
        t1 = run.samples[i + 1]["t"] if i + 1 < len(run.samples) else float("inf")
        ev = "+".join(k for t, k in run.events if t0 <= t < t1)
        rows.append(",".join("" if s.get(c) is None else str(s[c]) for c in cols[:-1]) + "," + ev)
    (run.out / f"{run.lang}.csv").write_text("\n".join(rows) + "\n")


def write_png(run: Run) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    heap_label = {
        "python": "allocated blocks",
        "node": "heapUsed after GC (MB)",
        "java": "heap after System.gc() (MB)",
        "rust": "malloc in use (MB)",
    }[run.lang]
    panels = [
        ("rss_mb", "RSS (MB)"),
        ("rss_split", "RSS: anonymous,\nfile-backed (MB)"),
        ("heap", heap_label),
        ("fds", "open fds"),
        ("threads", "threads"),
        ("time_wait", "TIME_WAIT sockets"),
        ("reads_per_s", "reads/s"),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 15), sharex=True)
    ts = [s["t"] / 60 for s in run.samples]
    for ax, (key, label) in zip(axes, panels, strict=True):
        if key == "rss_split":
            for part, name in (("rss_anon_mb", "anonymous"), ("rss_file_mb", "file-backed")):
                ys = [s.get(part) for s in run.samples]
                ax.plot(ts, [float("nan") if y is None else y for y in ys], lw=1.2, label=name)
            ax.legend(fontsize=7, loc="center right")
        else:
            ys = [s[key] for s in run.samples]
            if key == "heap" and run.lang != "python":
                ys = [None if y is None else y / 2**20 for y in ys]
            ax.plot(ts, [float("nan") if y is None else y for y in ys], lw=1.2)
        ax.set_ylabel(label, fontsize=8)
        ax.grid(alpha=0.3)
        ax.axvspan(0, run.plan.warmup / 60, color="0.92", lw=0)
        for t, kind in run.events:
            if kind == "restart":
                ax.axvline(t / 60, color="tab:red", lw=0.6, alpha=0.6)
            elif kind == "store":
                ax.axvline(t / 60, color="tab:green", lw=0.4, ls=":", alpha=0.6)
    axes[0].set_title(
        f"paramsecrets soak, {run.lang}: {run.plan.seconds / 60:g} min "
        "(grey: warm-up; red: emulator restarts; green: store changes)",
        fontsize=10,
    )
    axes[-1].set_xlabel("minutes")
    fig.tight_layout()
    fig.savefig(run.out / f"{run.lang}.png", dpi=80)
    plt.close(fig)


def summary(results: list[dict], plan: Plan, parallel: bool, runs_window: float) -> str:
    out = [
        f"# Soak: {plan.seconds / 60:g} min per language "
        f"({'concurrently' if parallel else 'one after another'})",
        "",
        f"Warm-up {plan.warmup:g} s; sampled every {plan.interval:g} s; emulator restarted every "
        f"{plan.restart_every:g} s (down {' / '.join(f'{d:g}' for d in plan.down_for)} s in turn), "
        f"store generation every "
        f"{plan.change_every:g} s, emulator cache reset every {plan.reset_every:g} s; L1 TTL "
        f"{L1_TTL:g} s, extension TTL {EXT_TTL} s, stale-if-error {STALE_IF_ERROR:g} s, "
        f"legal window {runs_window:g} s.",
        "",
    ]
    out += [
        "| language | verdict | reads | reads/s | restarts | generations | injected errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        out.append(
            f"| {r['lang']} | {'FAIL' if r['failed'] else 'pass'} | {r.get('reads', 0)} | "
            f"{r.get('rate', 0):.0f} | {r.get('restarts', 0)} | {r.get('generations', 0)} | "
            f"{r.get('injected_errors', 0)} |"
        )
    for r in results:
        out += ["", f"## {r['lang']}", "", "| check | measured | bound | |", "|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in r["checks"]]
        for f in r["failed"]:
            out.append(f"\n- FAIL: {f}")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--minutes", type=float, default=None, help="per language (default 30; --smoke: 2)"
    )
    ap.add_argument("--languages", default=",".join(LANGUAGES))
    ap.add_argument("--out", default=str(ROOT / "target/soak"))
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    ap.add_argument("--sequential", action="store_true", help="one language after another")
    ap.add_argument("--smoke", action="store_true", help="2 minutes, all languages at once (CI)")
    ap.add_argument(
        "--window",
        type=float,
        default=WINDOW,
        help=f"seconds a superseded generation stays legal (default {WINDOW:g}; smaller: a check "
        "that the checker catches stale values)",
    )
    args = ap.parse_args()
    ensure_venv()
    minutes = args.minutes if args.minutes is not None else (2.0 if args.smoke else 30.0)
    seconds = minutes * 60
    short = seconds < 600
    plan = Plan(
        seconds=seconds,
        interval=args.interval,
        change_every=10 if short else 20,
        restart_every=25 if short else 60,
        # 2 s: within the client's readiness deadline (3 s), so retries absorb it; 6 s: not.
        down_for=(6.0, 2.0),
        reset_every=35 if short else 45,
        warmup=min(0.25 * seconds, 180.0),
        short=short,
    )
    langs = [x.strip() for x in args.languages.split(",") if x.strip()]
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    runs = [Run(lang, out, plan, prepare(lang, out), window=args.window) for lang in langs]
    parallel = not args.sequential
    print(
        f"==> soak: {', '.join(langs)} for {minutes:g} min "
        f"{'concurrently' if parallel and len(runs) > 1 else 'each'}; results in {out}",
        file=sys.stderr,
    )

    def guarded(run: Run) -> None:
        try:
            run.go()
        except Exception as e:  # a harness failure is a failed run, reported like the others
            run.problems.append(f"harness: {type(e).__name__}: {e}")
            for p in (run.driver, run.emulator):
                if p and p.poll() is None:
                    p.kill()

    if parallel:
        threads = [threading.Thread(target=guarded, args=(r,)) for r in runs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for r in runs:
            guarded(r)
    results = []
    for r in runs:
        results.append(analyse(r))
        if r.samples:
            write_csv(r)
            write_png(r)
    text = summary(results, plan, parallel and len(runs) > 1, args.window)
    (out / "summary.md").write_text(text)
    print(text)
    failed = [r["lang"] for r in results if r["failed"]]
    print(
        f"==> soak: {'FAILED: ' + ', '.join(failed) if failed else 'all passed'} ({out}/summary.md)"
    )
    # The plain closing line a CI log reader counts.
    print(f"soak: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
