"""The throwaway MariaDB of scripts/mariadb.sh, from Python, for runs that must not meet another
MariaDB on this machine (a demo or a test elsewhere may hold the example store's port 3307).

    store = store_with_free_port(Path("examples/store.json"), tmp, "dev/demoapp/db")
    db = MariaDB(store)      # started: database and user from the store's secret
    ...
    db.stop()                # stopped, data deleted

Only the standard library.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def store_with_free_port(store: Path, tmp: Path, secret: str) -> Path:
    """A copy of store in tmp whose database secret names a free port."""
    data = json.loads(store.read_text())
    for s in data["secrets"]:
        if s["name"] == secret:
            creds = json.loads(s["string"])
            creds["port"] = _free_port()
            s["string"] = json.dumps(creds)
    path = tmp / "store.json"
    path.write_text(json.dumps(data))
    return path


class MariaDB:
    """scripts/mariadb.sh STORE in the foreground; stop() ends it (its trap deletes the data)."""

    def __init__(self, store: Path):
        self.proc = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "mariadb.sh"), str(store)],
            stdout=subprocess.PIPE, stderr=sys.stderr, text=True, start_new_session=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("MariaDB "):
            self.stop()
            raise RuntimeError(f"MariaDB did not start: {line!r}")
        self.banner = line.split(" (data")[0]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
