#!/usr/bin/env python3
"""Presses Ctrl-C in `scripts/demo.sh` half-way and checks that it leaves nothing behind.

Runs the demo on a pseudo-terminal (so ^C reaches it exactly as from a keyboard: SIGINT to the
terminal's foreground process group), waits for a progress line (default: the Node.js handler
step, when MariaDB, the emulator and the local Lambda are all running), sends ^C, and then asserts:
the demo exited with status 130 within 20 s; the MariaDB server and the emulator it started
(found by their open files in the demo's temporary folder) are gone; the folder is deleted.

    scripts/demo-interrupt-test.py ["==> Node.js"] [delay seconds]
"""

import os
import pty
import re
import select
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pids_using(folder):
    """Processes with an open file, cwd or argument under folder."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode()
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        if folder in cmd or any(link.startswith(folder) for link in links):
            found[int(pid)] = cmd[:100]
    return found


def local_lambda_pids():
    """Processes of a local-Lambda run of this checkout (RIE, the runtime, the extension): they
    carry the run's marker variable and a task root under ROOT."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            # This checkout's runs only (the handlers' task roots are under it).
            if not any(e.startswith(b"PARAMSECRETS_LOCAL_LAMBDA_RUN=") for e in env) or not any(
                e.startswith(b"LAMBDA_TASK_ROOT=" + ROOT.encode()) for e in env
            ):
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                found[int(pid)] = f.read().replace(b"\0", b" ").decode()[:100]
        except OSError:
            continue
    return found


def main():
    trigger = (sys.argv[1] if len(sys.argv) > 1 else "==> Node.js").encode()
    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvp("scripts/demo.sh", ["scripts/demo.sh"])
    out, tmpdir, send_at, sent_at, before, lambda_before = b"", None, None, None, {}, {}
    deadline = time.time() + 1800
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
            sys.stdout.write(data.decode(errors="replace"))
            sys.stdout.flush()
            m = re.search(rb"\(data in (/\S+paramsecrets-examples\.\w+)\)", out)
            if m:
                tmpdir = m.group(1).decode()
        if send_at is None and trigger in out:
            send_at = time.time() + delay
        if send_at and sent_at is None and time.time() >= send_at:
            before = pids_using(tmpdir) if tmpdir else {}
            lambda_before = local_lambda_pids()
            os.write(fd, b"\x03")
            sent_at = time.time()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    took = time.time() - sent_at if sent_at else float("nan")
    print(f"\n# exit status {code}, {took:.1f} s after ^C")
    failures = []
    if sent_at is None:
        failures.append(f"never saw {trigger!r}: ^C was not sent")
    if code != 130:
        failures.append(f"exit status {code}, expected 130")
    if took > 20:
        failures.append(f"took {took:.1f} s to stop")
    if not tmpdir:
        failures.append("no temporary folder was announced")
    else:
        print(f"# running in {tmpdir} just before ^C: " + "; ".join(before.values()))
        if not any("mariadbd" in c for c in before.values()):
            failures.append("MariaDB was not running when ^C was sent (trigger too early?)")
        if not any("paramsecrets-emulator" in c for c in before.values()):
            failures.append("the emulator was not running when ^C was sent (trigger too early?)")
        print("# local-Lambda processes just before ^C: " + "; ".join(lambda_before.values()))
        if not any("aws-lambda-rie" in c for c in lambda_before.values()):
            failures.append("RIE was not running when ^C was sent (trigger too early?)")
        time.sleep(0.2)
        left = pids_using(tmpdir)
        if left:
            failures.append(f"still running: {left}")
        lambda_left = {p: c for p, c in local_lambda_pids().items() if p in lambda_before}
        if lambda_left:
            failures.append(f"local-Lambda processes still running: {lambda_left}")
        if os.path.exists(tmpdir):
            failures.append(f"{tmpdir} still exists")
    for f in failures:
        print(f"not ok - {f}")
    if not failures:
        print("ok - Ctrl-C stopped MariaDB, the emulator and the local Lambda, and deleted the temp folder")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
