"""Shared fixtures: the real emulator process (`paramsecrets-emulator`), started on a free
port with a store file written here, and clients pointed at it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

import paramsecrets

REPO = Path(__file__).resolve().parents[2]
TOKEN = "test-token-5f1d2c"
#: Values the tests look for in repr/str/logs: none of them may ever show up there.
SECRET_VALUES = ("s3cr3t-param-value", "hunter2-secret-value", "blob-secret-bytes")

STORE = {
    "parameters": [
        {"name": "/app/plain", "value": "hello"},
        {"name": "/app/list", "type": "StringList", "value": "a,b,c"},
        {"name": "/app/secure", "type": "SecureString", "value": SECRET_VALUES[0]},
        {"name": "/app/config.json", "value": '{"b": [1, 2.5, null, true], "a": {"x": "y"}}'},
        {"name": "/app/notjson.json", "value": f"not json {SECRET_VALUES[0]}"},
        {"name": "/app/blob.binary", "value": base64.b64encode(b"\x00\x01\xff").decode()},
        {"name": "/app/slow", "value": "slow-value", "delay_ms": 800},
        {"name": "/app/busy", "respond": {"status": 503, "body": "busy"}},
        {
            "name": "/app/versioned",
            "versions": [
                {"version": 1, "value": "v1", "labels": ["old"]},
                {"version": 2, "value": "v2", "labels": ["Prod"]},
            ],
        },
    ]
    + [{"name": f"/cold/{i}", "value": f"cold-{i}"} for i in range(40)],
    "secrets": [
        {"name": "app/db", "string": json.dumps({"user": "admin", "password": SECRET_VALUES[1]})},
        {"name": "app/blob", "binary_base64": base64.b64encode(SECRET_VALUES[2].encode()).decode()},
        {"name": "app/slow", "string": "slow-secret", "delay_ms": 800},
    ],
}


def emulator_binary() -> Path:
    path = Path(
        os.environ.get("PARAMSECRETS_EMULATOR", REPO / "target/debug/paramsecrets-emulator")
    )
    if not path.exists():
        pytest.fail(f"emulator not found at {path}: run `cargo build -p paramsecrets-emulator`")
    return path


class Emulator:
    """One emulator process on 127.0.0.1:<free port>."""

    def __init__(
        self,
        store: Path,
        dialect: str = "extension",
        token: str = TOKEN,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [
                str(emulator_binary()),
                "--store",
                str(store),
                "--dialect",
                dialect,
                "--port",
                "0",
                "--token",
                token,
                *(args or []),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=full_env,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on 127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.port = int(line.split()[2].rsplit(":", 1)[1])
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.token = token

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.endpoint}/_emulator/stats", timeout=5) as r:
            return json.load(r)

    def requests(self, key: str | None = None) -> int:
        """Requests the emulator received, in total or for one key (`parameter:/x`, `secret:id`)."""
        s = self.stats()
        if key is None:
            return s["requests"]
        return s["keys"].get(key, {}).get("requests", 0)

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.endpoint}/_emulator/reset", method="POST")
        urllib.request.urlopen(req, timeout=5).close()

    def client(self, **opts) -> paramsecrets.Client:
        opts.setdefault("endpoint", self.endpoint)
        opts.setdefault("token", self.token)
        return paramsecrets.Client(**opts)

    def async_client(self, **opts) -> paramsecrets.AsyncClient:
        opts.setdefault("endpoint", self.endpoint)
        opts.setdefault("token", self.token)
        return paramsecrets.AsyncClient(**opts)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def store_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "store.json"
    path.write_text(json.dumps(STORE))
    return path


@pytest.fixture(scope="session")
def _session_emulator(store_file):
    emu = Emulator(store_file)
    yield emu
    emu.stop()


@pytest.fixture
def emulator(_session_emulator) -> Emulator:
    """The shared extension-dialect emulator, counters and cache reset for each test."""
    _session_emulator.reset()
    return _session_emulator


@pytest.fixture(scope="session")
def agent_emulator(store_file):
    emu = Emulator(store_file, dialect="agent")
    yield emu
    emu.stop()


@pytest.fixture
def client(emulator) -> paramsecrets.Client:
    return emulator.client()


@pytest.fixture
def async_client(emulator) -> paramsecrets.AsyncClient:
    return emulator.async_client()
