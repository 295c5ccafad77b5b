#!/usr/bin/env python3
"""The Lambda-lifecycle tests (`make lambda-test`, part of `make test`): the probe function of
each language (handlers/) in the local Lambda — AWS's Runtime Interface Emulator, AWS's runtime
interface client, the emulator layer as the extension — one fresh RIE per cold start.

Per language:
  1. 20 cold starts reading first thing in the handler: 0 failures; after each stop no process
     of the run is left (the extension got SHUTDOWN and exited). Their INIT REPORTs are the
     baseline ("a handler without it": the same package and client, nothing at module scope).
  2. a module-scope read (10 cold starts, each next to a baseline one): fails with `not_ready`
     in <= 100 ms each time; the median of the paired INIT differences <= 150 ms; the same read
     in the handler then succeeds.
  3. module-scope prefetch (10 cold starts, each right after a baseline one; 10 more at a time,
     up to 50, while the median is over the bound): the median of the paired INIT differences
     within 20 ms; the first invocation reads both names, with exactly one request
     each at the extension (/_emulator/stats).
  4. an extension that cannot register (the emulator with no store: it exits before
     registering): the invoke fails with RIE's error at once and nothing is left running.

Once: without mount namespaces (an `unshare` that fails) the runner says so and stops; SIGINT
(Ctrl-C), SIGTERM and SIGKILL to the runner mid-invoke leave no process of the run behind.

    lambda-tests/run.py [python node java] [--cold-starts N]

Prints one `ok - ...` / `not ok - ...` line per check and a count; exit status 1 on any failure.
The timing bounds are the issue's; INIT is RIE's INIT REPORT, the module-scope read's time is
the handler's own measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import probes

INIT_READ_MAX_MS = 100.0  # a module-scope read answers not_ready within this
INIT_READ_EXTRA_MAX_MS = 150.0  # ... and adds at most this to INIT
INIT_READ_PAIRS = 10  # module-scope-read cold starts, each paired with a baseline one
PREFETCH_EXTRA_MAX_MS = 20.0  # prefetch at module scope adds at most this to INIT
PREFETCH_PAIRS = 10  # prefetch cold starts, each paired with a baseline one ...
PREFETCH_MAX_PAIRS = 50  # ... and up to this many when their median is over the bound
NO_REGISTER_MAX_S = 5.0  # "at once": RIE answers the failed INIT within this

passed = failed = missed = 0

# Budgets measured and printed but not (yet) met, so not gating: (language, check) -> why.
# Empty since 2026-12-07, when Java's INIT with a prefetch, the last entry, gated again
# (lambda-tests/README.md, "Java's prefetch at INIT").
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def check(
    cond: bool, what: str, detail: str = "", known: tuple[str, str] | None = None
) -> bool:
    global passed, failed, missed
    if cond:
        passed += 1
        print(f"ok - {what}")
    elif known in KNOWN_MISSES:
        missed += 1
        print(f"not ok - {what} # KNOWN MISS, not gating: {KNOWN_MISSES[known]}")
    else:
        failed += 1
        print(f"not ok - {what}" + (f"\n    | {detail}" if detail else ""))
    sys.stdout.flush()
    return cond


class Run:
    """One cold start: start a fresh RIE, invoke once, read the extension's stats, stop."""

    def __init__(self, lam):
        self.lam = lam
        self.inv = None
        self.init_ms = None
        self.body = None
        self.ext_stats = None
        self.extension_seen = False
        self.left = None
        self.error = None

    def go(self, invoke_timeout_s: float | None = None):
        try:
            self.lam.start()
            self.inv = self.lam.invoke({}, timeout_s=invoke_timeout_s)
            self.init_ms = self.lam.init_ms()
            try:
                self.body = self.inv.json()
            except ValueError:
                self.body = None
            live = self.lam.processes().values()
            self.extension_seen = any(
                "extensions/paramsecrets-emulator" in c for c in live
            )
            if self.inv.status == 200:
                try:
                    self.ext_stats = self.lam.extension_stats()
                except OSError as e:
                    self.error = f"/_emulator/stats: {e}"
        except (probes.local_lambda.LambdaError, OSError) as e:
            self.error = str(e)
        finally:
            self.left = self.lam.stop()
        return self

    def log_tail(self, n=25) -> str:
        return "\n    | ".join(self.lam.log().splitlines()[-n:])

    def reads_ok(self) -> bool:
        b = self.body or {}
        return (
            self.inv is not None
            and self.inv.status == 200
            and b.get("error") is None
            and isinstance(b.get("lengths"), list)
            and all(x > 0 for x in b["lengths"])
        )


def own_clock(runs) -> str:
    """The median of the probes' own timing of their module-scope code, for the record."""
    xs = [(r.body or {}).get("init_code_ms") for r in runs]
    xs = [x for x in xs if x is not None]
    return f"{statistics.median(xs):.1f} ms" if xs else "n/a"


def paired_diffs(pairs) -> str:
    """Every pair's INIT difference, for the record (n/a where a figure is missing)."""
    return ", ".join(
        "n/a" if b.init_ms is None or r.init_ms is None else f"{r.init_ms - b.init_ms:+.0f}"
        for b, r in pairs
    )


def paired_extra(pairs) -> float | None:
    """The median of INIT(run) - INIT(the baseline run paired with it), over the pairs
    where both cold starts served their invocation; None when a pair is missing its figures."""
    diffs = [
        r.init_ms - b.init_ms
        for b, r in pairs
        if b.init_ms is not None
        and r.init_ms is not None
        and b.reads_ok()
        and r.reads_ok()
    ]
    return statistics.median(diffs) if diffs and len(diffs) == len(pairs) else None


def key_requests(stats: dict | None, key: str):
    return ((stats or {}).get("keys", {}).get(key) or {}).get("requests")


def test_language(lang: str, cold_starts: int, tmp: str) -> None:
    print(f"# {lang}")
    prepared = probes.prepare(lang)

    count = iter(range(10**6))

    def run(mode, **kw):
        log = os.path.join(tmp, f"{lang}-{mode}-{next(count)}.log")
        return Run(probes.probe(lang, prepared, mode, log_path=log, **kw)).go()

    # 1 + 3: the cold starts, with the prefetch runs spread among them (the machine drifts).
    baseline, prefetch, failures, leftovers, no_extension = [], [], [], [], 0
    # INIT is compared pair by pair (each run next to a baseline run started just before it):
    # the machine drifts by more than the bounds between the start and the end of a test.
    pf_pairs, ir_pairs = [], []
    t0 = time.monotonic()
    for i in range(cold_starts):
        r = run("client")
        baseline.append(r)
        if not r.reads_ok():
            failures.append(r)
        if r.left:
            leftovers.append(r.left)
        no_extension += not r.extension_seen
        if i % 2 == 0 and len(prefetch) < PREFETCH_PAIRS:
            prefetch.append(run("prefetch"))
            pf_pairs.append((r, prefetch[-1]))
    took = time.monotonic() - t0
    bad = failures[0] if failures else None
    check(
        not failures,
        f"{lang}: {cold_starts} cold starts (a fresh RIE each) reading first thing in the handler: "
        f"{len(failures)} failures ({took:.1f} s with the prefetch runs)",
        ""
        if not bad
        else f"HTTP {bad.inv.status if bad.inv else None}: "
        f"{bad.inv.body if bad.inv else bad.error}\n    | {bad.log_tail()}",
    )
    check(
        no_extension == 0 and not leftovers,
        f"{lang}: the extension ran in every cold start and no process was left after RIE stopped (SHUTDOWN)",
        f"{no_extension} runs without the extension; left: {leftovers[:2]}",
    )
    base_inits = [r.init_ms for r in baseline if r.init_ms is not None and r.reads_ok()]
    base = statistics.median(base_inits) if base_inits else None

    # 2: the module-scope read (10 cold starts, each paired with a baseline one started just
    # before or just after it, alternately: a Java cold start's INIT varies by +-60 ms here, so
    # five pairs let one noisy run decide the median).
    reads = []
    for i in range(INIT_READ_PAIRS):
        if i % 2 == 0:
            b = run("client")
            reads.append(run("init_read"))
        else:
            reads.append(run("init_read"))
            b = run("client")
        ir_pairs.append((b, reads[-1]))
    irs = [(r.body or {}).get("init_read") or {} for r in reads]
    fast = [
        ir
        for ir in irs
        if ir.get("code") == "not_ready"
        and ir.get("ms") is not None
        and ir["ms"] <= INIT_READ_MAX_MS
    ]
    r = reads[0]
    check(
        len(fast) == len(reads),
        f"{lang}: a module-scope read fails with not_ready in <= {INIT_READ_MAX_MS:.0f} ms "
        f"({len(fast)} of {len(reads)} cold starts: "
        + ", ".join(f"{ir.get('code')} in {ir.get('ms')} ms" for ir in irs)
        + ")",
        r.error or (r.inv.body if r.inv else "") + "\n    | " + r.log_tail(),
    )
    served = [x.init_ms for x in reads if x.init_ms is not None and x.reads_ok()]
    ir_init = statistics.median(served) if len(served) == len(reads) else None
    extra = paired_extra(ir_pairs) if len(served) == len(reads) else None
    check(
        extra is not None and extra <= INIT_READ_EXTRA_MAX_MS,
        f"{lang}: INIT with the module-scope read is at most {INIT_READ_EXTRA_MAX_MS:.0f} ms longer "
        f"than without it (median of {len(ir_pairs)} paired differences: "
        f"{'n/a' if extra is None else f'{extra:+.1f}'} ms of [{paired_diffs(ir_pairs)}]; medians {ir_init} vs {base} ms; module-scope code by its own clock "
        f"{own_clock(reads)} vs {own_clock(baseline)})",
    )
    check(
        all(x.reads_ok() for x in reads),
        f"{lang}: the same read in the handler then succeeds "
        f"({sum(x.reads_ok() for x in reads)} of {len(reads)})",
        r.error or (r.inv.body if r.inv else ""),
    )

    # 3: prefetch.
    # A 20 ms bound is small against INIT's spread between cold starts (Java: +-100 ms): the
    # median of 10 paired differences lands over it when the prefetch costs nothing (9 runs in
    # 100 for Java, by resampling 70 measured pairs: chance.py). Over the bound, 10 more pairs are
    # measured and all of them judged, up to PREFETCH_MAX_PAIRS: by chance 3 runs in 10,000 fail,
    # and a real +30 ms still fails 2 in 3 (lambda-tests/README.md).
    while (
        len(pf_pairs) < PREFETCH_MAX_PAIRS
        and (extra := paired_extra(pf_pairs)) is not None
        and extra > PREFETCH_EXTRA_MAX_MS
    ):
        print(
            f"# {lang}: prefetch INIT {extra:+.1f} ms over {len(pf_pairs)} pairs; 10 more pairs"
        )
        for _ in range(PREFETCH_PAIRS):
            b = run("client")
            prefetch.append(run("prefetch"))
            pf_pairs.append((b, prefetch[-1]))
    # Only cold starts that served the invocation count: a failed INIT ends early.
    pf_inits = [p.init_ms for p in prefetch if p.init_ms is not None and p.reads_ok()]
    pf = statistics.median(pf_inits) if pf_inits else None
    extra = paired_extra(pf_pairs)
    check(
        extra is not None
        and extra <= PREFETCH_EXTRA_MAX_MS
        and len(pf_inits) == len(prefetch),
        f"{lang}: INIT with a module-scope prefetch is within {PREFETCH_EXTRA_MAX_MS:.0f} ms of the "
        f"handler without it (median of {len(pf_pairs)} paired differences: "
        f"{'n/a' if extra is None else f'{extra:+.1f}'} ms of [{paired_diffs(pf_pairs)}]; medians {pf} vs {base} ms; module-scope code by its own clock "
        f"{own_clock(prefetch)} vs {own_clock(baseline)})",
        ""
        if not prefetch
        else (prefetch[0].error or (prefetch[0].inv.body if prefetch[0].inv else ""))
        + "\n    | "
        + prefetch[0].log_tail(),
        # Only the timing may be a known miss: a prefetch cold start that failed never is.
        known=(lang, "prefetch-init")
        if extra is not None and len(pf_inits) == len(prefetch)
        else None,
    )
    one_each = [
        p
        for p in prefetch
        if p.reads_ok()
        and key_requests(p.ext_stats, f"parameter:{probes.PARAMETER}") == 1
        and key_requests(p.ext_stats, f"secret:{probes.SECRET}") == 1
    ]
    sample = prefetch[0] if prefetch else None
    # Answered before any key lookup, the not-ready answers of INIT count only in the total.
    not_ready = [
        (p.ext_stats or {}).get("requests", 0)
        - sum(
            k.get("requests", 0) for k in (p.ext_stats or {}).get("keys", {}).values()
        )
        for p in prefetch
    ]
    check(
        prefetch and len(one_each) == len(prefetch),
        f"{lang}: after a prefetch the first invocation reads both names, with exactly one request "
        f"each at the extension ({len(one_each)} of {len(prefetch)} cold starts; not-ready answers "
        f"to the prefetch during INIT: {not_ready})",
        ""
        if not sample
        else f"response {sample.body}; /_emulator/stats {json.dumps(sample.ext_stats)}",
    )

    # 4: an extension that cannot register.
    lam = probes.probe(
        lang,
        prepared,
        "client",
        store=None,
        log_path=os.path.join(tmp, f"{lang}-no-register.log"),
    )
    r = Run(lam)
    t1 = time.monotonic()
    r.go(invoke_timeout_s=30)
    took = time.monotonic() - t1
    status = r.inv.status if r.inv else None
    log = r.lam.log()
    check(
        status == 502
        and "Extension.Crash" in log
        and "registered, subscribed" not in log
        and took <= NO_REGISTER_MAX_S
        and not r.left,
        f"{lang}: an extension that cannot register (the emulator without a store) fails the invoke "
        f"with RIE's error at once (HTTP {status}, Extension.Crash, {took:.2f} s with start and stop) "
        "and leaves nothing running",
        f"{r.inv.body if r.inv else r.error}; left {r.left}\n    | {r.log_tail()}",
    )


def test_no_namespaces(tmp: str) -> None:
    """Where a private mount namespace cannot be made, the runner says so and runs nothing."""
    fake = os.path.join(tmp, "no-namespaces")
    os.makedirs(fake)
    with open(os.path.join(fake, "unshare"), "w") as f:
        f.write(
            '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n'
        )
    os.chmod(os.path.join(fake, "unshare"), 0o755)
    runner = os.path.join(probes.ROOT, "scripts", "local-lambda", "local_lambda.py")
    r = subprocess.run(
        [
            sys.executable,
            runner,
            "--lang",
            "python",
            "--task-root",
            tmp,
            "--handler",
            "x.handler",
        ],
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    check(
        r.returncode == 3
        and "not available here" in r.stderr
        and "not running" in r.stderr
        and "INIT REPORT" not in r.stdout,
        "without mount namespaces the local Lambda says so and stops (exit status 3, nothing started)",
        f"exit status {r.returncode}: {r.stdout} {r.stderr}",
    )


def processes_with(entry: str) -> list[int]:
    """Live processes whose environment holds entry (K=V)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if entry.encode() in f.read().split(b"\0"):
                    with open(f"/proc/{pid}/stat") as st:
                        if st.read().rsplit(")", 1)[1].split()[0] != "Z":
                            found.append(int(pid))
        except OSError:
            continue
    return found


def test_interrupted(tmp: str) -> None:
    """The runner stops everything it started when interrupted mid-invoke: Ctrl-C (SIGINT) and
    SIGTERM through its own cleanup, SIGKILL through the parent-death signal RIE gets."""
    prepared = probes.prepare("python")
    runner = os.path.join(probes.ROOT, "scripts", "local-lambda", "local_lambda.py")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        name = f"interrupt-{sig.name.lower()}-{os.getpid()}"
        cmd = [
            sys.executable,
            runner,
            "--lang",
            "python",
            "--task-root",
            prepared["task_root"],
            "--handler",
            "probe.handler",
            "--layer",
            prepared["layers"][0],
            "--layer",
            probes.emulator_layer(),
            "--store",
            probes.STORE,
            "--env",
            "PROBE_MODE=client",
            "--env",
            f"AWS_LAMBDA_FUNCTION_NAME={name}",
            "--event",
            '{"sleep_s": 30}',
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Ctrl-C as in a terminal: a shell without job control starts its background
            # commands with SIGINT ignored, and Python then keeps ignoring it (nohup's
            # convention, which the runner respects), so a test run from one would only
            # see the runner ignore the SIGINT it was sent.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        entry = f"AWS_LAMBDA_FUNCTION_NAME={name}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(processes_with(entry)) < 3:
            time.sleep(
                0.05
            )  # RIE, the runtime and the extension are up: the invoke is running
        running = len(processes_with(entry))
        t0 = time.monotonic()
        proc.send_signal(sig)
        try:
            rc = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        left = processes_with(entry)
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = processes_with(entry)
        took = time.monotonic() - t0
        want = {
            signal.SIGINT: 130,
            signal.SIGTERM: 130,
            signal.SIGKILL: -signal.SIGKILL,
        }[sig]
        check(
            running >= 3 and rc == want and not left,
            f"{sig.name} to the local Lambda mid-invoke: exit status {rc}, {running} of its processes "
            f"were running, none left {took:.1f} s later",
            f"left: {left}",
        )
        for pid in (
            left
        ):  # ours (they carry this test's function name): never leave them behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main() -> int:
    ap = argparse.ArgumentParser(description="the Lambda-lifecycle tests")
    ap.add_argument("langs", nargs="*", default=list(probes.LANGS))
    ap.add_argument("--cold-starts", type=int, default=20)
    a = ap.parse_args()
    try:
        probes.local_lambda.check_namespaces()
    except probes.local_lambda.NoNamespaces as e:
        print(f"not ok - the local Lambda cannot run here: {e}")
        return 1
    layer = probes.emulator_layer()
    if not os.path.exists(layer):
        print(f"not ok - no emulator layer at {layer} (make layers)")
        return 1
    probes.local_lambda.install("rie", *a.langs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="paramsecrets-lambda-tests.") as tmp:
        test_no_namespaces(tmp)
        if "python" in a.langs:
            test_interrupted(tmp)
        for lang in a.langs:
            test_language(lang, a.cold_starts, tmp)
    print(
        f"# lambda-tests: {passed} passed, {failed} failed, {missed} known misses ({time.monotonic() - started:.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
