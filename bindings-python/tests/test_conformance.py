"""Runs every scenario of conformance/scenarios.json against the real emulator process, with
the blocking Client and with the AsyncClient. Format: conformance/README.md."""

from __future__ import annotations

import asyncio
import base64
import json
import socket

import pytest

import paramsecrets
from conftest import REPO, Emulator

CONFORMANCE = REPO / "conformance"
SPEC = json.loads((CONFORMANCE / "scenarios.json").read_text())
TOKEN = "conformance-token"


def group_key(s: dict) -> str:
    return json.dumps(
        [s["dialect"], s["store"], s.get("emulator_args", []), s.get("emulator_env", {})],
        sort_keys=True,
    )


# Scenarios of one emulator configuration run together (stable order), each with both APIs.
SCENARIOS = sorted(SPEC["scenarios"], key=group_key)
CASES = [(s, api) for s in SCENARIOS for api in ("sync", "async")]


def test_every_scenario_is_collected():
    names = [s["name"] for s in SPEC["scenarios"]]
    assert len(names) == len(set(names)) > 0
    assert {s["dialect"] for s in SPEC["scenarios"]} == {"extension", "agent"}
    assert len(CASES) == 2 * len(names)


class _Running:
    key: str | None = None
    emulator: Emulator | None = None


@pytest.fixture(scope="module")
def running():
    state = _Running()
    yield state
    if state.emulator:
        state.emulator.stop()


def emulator_for(state: _Running, s: dict) -> Emulator:
    key = group_key(s)
    if state.key != key:
        # started right before its group: timing knobs (--not-ready-for) count from here
        if state.emulator:
            state.emulator.stop()
        state.emulator = Emulator(
            CONFORMANCE / SPEC["stores"][s["store"]],
            dialect=s["dialect"],
            token=TOKEN,
            args=s.get("emulator_args", []),
            env=s.get("emulator_env", {}),
        )
        state.key = key
    assert state.emulator is not None
    return state.emulator


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def client_options(s: dict, emu: Emulator) -> dict:
    spec = s.get("client", {})
    opts: dict = {"token": spec.get("token", TOKEN)}
    if spec.get("endpoint") == "closed":
        opts["endpoint"] = f"http://127.0.0.1:{closed_port()}"
    else:
        opts["endpoint"] = spec.get("endpoint", emu.endpoint)
    if "timeout_ms" in spec:
        opts["timeout"] = spec["timeout_ms"] / 1000
    if "ready_timeout_ms" in spec:
        opts["ready_timeout"] = spec["ready_timeout_ms"] / 1000
    if "deadline_ms" in spec:
        opts["deadline"] = spec["deadline_ms"] / 1000
    if "server" in spec:
        opts["server"] = spec["server"]
    return opts


def request_call(client, req: dict):
    if req["op"] == "get_parameter":
        kw = {k: req[k] for k in ("decrypt", "version", "label", "force_fetch") if k in req}
        return client.get_parameter_record(req["name"], **kw)
    if req["op"] == "get_secret":
        kw = {k: req[k] for k in ("version_id", "version_stage", "force_fetch") if k in req}
        return client.get_secret_record(req["secret_id"], **kw)
    raise AssertionError(f"unknown op {req['op']!r}")


def read(s: dict, emu: Emulator, api: str):
    """The record, or the ParamSecretsError raised (building the client included)."""
    try:
        if api == "sync":
            return request_call(paramsecrets.Client(**client_options(s, emu)), s["request"])

        async def main():
            client = paramsecrets.AsyncClient(**client_options(s, emu))
            return await request_call(client, s["request"])

        return asyncio.run(main())
    except paramsecrets.ParamSecretsError as e:
        return e


FIELDS = {
    "parameter": {
        "name": lambda r: r.name,
        "type": lambda r: r.type,
        "version": lambda r: r.version,
        "arn": lambda r: r.arn,
        "selector": lambda r: r.selector,
        "data_type": lambda r: r.data_type,
        "last_modified_ms": lambda r: r.last_modified_ms,
    },
    "secret": {
        "name": lambda r: r.name,
        "arn": lambda r: r.arn,
        "version_id": lambda r: r.version_id,
        "version_stages": lambda r: r.version_stages,
        "created_ms": lambda r: r.created_ms,
    },
}


@pytest.mark.parametrize(
    ("scenario", "api"), CASES, ids=[f"{s['name']}[{api}]" for s, api in CASES]
)
def test_scenario(running, scenario, api):
    emu = emulator_for(running, scenario)
    got = read(scenario, emu, api)
    expect = scenario["expect"]
    name = scenario["name"]
    if "error" in expect:
        assert isinstance(got, paramsecrets.ParamSecretsError), (
            f"{name}: expected an error, got {got!r}"
        )
        assert got.code == expect["error"], f"{name}: {got!r}"
        assert type(got) is paramsecrets.exceptions.BY_CODE[expect["error"]]
        if "status" in expect:
            assert got.status == expect["status"], f"{name}: {got!r} status={got.status}"
        return
    assert not isinstance(got, BaseException), f"{name}: unexpected {got!r}"
    kind = "parameter" if scenario["request"]["op"] == "get_parameter" else "secret"
    if "value" in expect:
        assert got.value == expect["value"], name
    if "binary_base64" in expect:
        assert got.value == base64.b64decode(expect["binary_base64"]), name
    if "refresh_now_sent" in expect:
        key = f"secret:{scenario['request']['secret_id']}"
        sent = emu.stats()["keys"].get(key, {}).get("refresh_now", 0)
        assert (sent > 0) == expect["refresh_now_sent"], f"{name}: refreshNow sent {sent} times"
    for field, want in expect.get("fields", {}).items():
        assert FIELDS[kind][field](got) == want, f"{name}: field {field}"
