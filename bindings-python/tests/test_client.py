"""The blocking Client against the real emulator: reads, cache behaviour, options, batches,
argument checking, GIL release, single-flight across threads, fork, module-level functions."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

import paramsecrets
from conftest import SECRET_VALUES, TOKEN


def test_reads_parameters_and_secrets(client, emulator):
    assert client.get_parameter("/app/plain") == "hello"
    assert client.get_parameter("/app/list") == "a,b,c"
    assert client.get_parameter("/app/secure") == SECRET_VALUES[0]
    assert client.get_parameter("/app/versioned") == "v2"
    assert client.get_parameter("/app/versioned", version=1) == "v1"
    assert client.get_parameter("/app/versioned", label="old") == "v1"
    assert client.get_secret("app/blob") == SECRET_VALUES[2].encode()
    assert isinstance(client.get_secret("app/db"), str)


def test_a_hit_makes_no_request(client, emulator):
    assert client.get_parameter("/app/plain") == "hello"
    for _ in range(100):
        assert client.get_parameter("/app/plain") == "hello"
    assert emulator.requests("parameter:/app/plain") == 1
    s = client.stats()
    assert (s.hits, s.misses, s.requests) == (100, 1, 1)


def test_max_age_zero_and_force_fetch_go_to_the_extension(client, emulator):
    client.get_secret("app/db")
    client.get_secret("app/db", max_age=0)
    client.get_secret("app/db", force_fetch=True)
    client.get_secret("app/db", max_age=60)  # fresh enough: a hit
    assert emulator.requests("secret:app/db") == 3


def test_ttl_zero_turns_the_cache_off(emulator):
    c = emulator.client(ttl=0)
    c.get_parameter("/app/plain")
    c.get_parameter("/app/plain")
    assert emulator.requests("parameter:/app/plain") == 2


def test_invalidate_and_clear(client, emulator):
    client.get_parameter("/app/plain")
    client.get_parameter("/app/versioned", version=1)
    client.get_parameter("/app/versioned", label="old")
    client.get_secret("app/db")
    assert client.invalidate_parameter("/app/versioned") == 2
    assert client.invalidate_parameter("/app/versioned") == 0
    assert client.invalidate_secret("app/db") == 1
    client.get_parameter("/app/plain")  # still cached
    client.get_secret("app/db")
    assert emulator.requests("secret:app/db") == 2
    client.clear_cache()
    client.get_parameter("/app/plain")
    assert emulator.requests("parameter:/app/plain") == 2


def test_transforms(client):
    assert client.get_parameter("/app/config.json", transform="json") == {
        "a": {"x": "y"},
        "b": [1, 2.5, None, True],
    }
    assert client.get_parameter("/app/config.json", transform="auto") == {
        "a": {"x": "y"},
        "b": [1, 2.5, None, True],
    }
    assert client.get_parameter("/app/blob.binary", transform="binary") == b"\x00\x01\xff"
    assert client.get_parameter("/app/blob.binary", transform="auto") == b"\x00\x01\xff"
    assert client.get_parameter("/app/plain", transform="auto") == "hello"
    assert client.get_secret("app/db", transform="json")["password"] == SECRET_VALUES[1]
    assert client.get_secret("app/blob", transform="binary") == SECRET_VALUES[2].encode()
    with pytest.raises(paramsecrets.ProtocolError) as e:
        client.get_parameter("/app/notjson.json", transform="auto")
    assert SECRET_VALUES[0] not in str(e.value)
    with pytest.raises(paramsecrets.ProtocolError):
        client.get_parameter("/app/plain", transform="binary")
    with pytest.raises(paramsecrets.InvalidArgumentError):
        client.get_parameter("/app/plain", transform="yaml")


def test_batches_return_per_name_results(client, emulator):
    got = client.get_parameters(["/app/plain", "/app/missing", "/app/list"])
    assert list(got) == ["/app/plain", "/app/missing", "/app/list"]
    assert got["/app/plain"] == "hello"
    assert got["/app/list"] == "a,b,c"
    assert isinstance(got["/app/missing"], paramsecrets.NotFoundOrDeniedError)
    assert got["/app/missing"].status == 400
    with pytest.raises(paramsecrets.NotFoundOrDeniedError):
        client.get_parameters(["/app/plain", "/app/missing"], raise_on_error=True)
    secrets = client.get_secrets(["app/db", "app/blob"], transform="auto")
    assert secrets["app/blob"] == SECRET_VALUES[2].encode()
    assert "password" in secrets["app/db"]
    # the batch filled the cache: these are hits
    before = emulator.requests()
    client.get_parameter("/app/plain")
    client.get_secret("app/db")
    assert emulator.requests() == before
    assert client.get_parameters([]) == {}


def test_wrong_types_raise_type_error_before_any_request(client, emulator):
    calls = [
        lambda: client.get_parameter(5),
        lambda: client.get_parameter(b"/app/plain"),
        lambda: client.get_parameter("/app/plain", decrypt="yes"),
        lambda: client.get_parameter("/app/plain", version="1"),
        lambda: client.get_parameter("/app/plain", label=3),
        lambda: client.get_parameter("/app/plain", max_age="10"),
        lambda: client.get_parameter("/app/plain", transform=1),
        lambda: client.get_secret(None),
        lambda: client.get_secret("app/db", version_stage=1),
        lambda: client.get_parameters("/app/plain"),  # a str is not a list of names
        lambda: client.get_parameters([1, 2]),
        lambda: client.get_parameter("/app/plain", True),  # options are keyword-only
        lambda: client.get_parameter(name="/app/plain", bogus=1),
        lambda: paramsecrets.Client(endpoint=emulator.endpoint, token=TOKEN, ttl="5"),
        lambda: paramsecrets.Client(emulator.endpoint),
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()
    assert emulator.requests() == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_parameter(""),
        lambda c: c.get_parameter("/" + "x" * 4096),
        lambda c: c.get_parameter("/app/a\nb"),
        lambda c: c.get_parameter("/app/a\x00b"),
        lambda c: c.get_parameter("/app/versioned", label=""),
        lambda c: c.get_parameter("/app/versioned", version=0),
        lambda c: c.get_parameter("/app/versioned", version=1, label="old"),
        lambda c: c.get_parameter("/app/plain", max_age=-1),
        lambda c: c.get_parameter("/app/plain", max_age=float("nan")),
        lambda c: c.get_secret(""),
        lambda c: c.get_secret("x" * 4096),
        lambda c: c.get_secret("app/db", version_id="\t"),
        lambda c: c.get_secret_record("app/\x7fdb"),
    ],
)
def test_bad_names_and_options_are_invalid_arguments_before_any_request(client, emulator, call):
    with pytest.raises(paramsecrets.InvalidArgumentError) as e:
        call(client)
    assert e.value.code == "invalid_argument"
    assert emulator.requests() == 0


@pytest.mark.parametrize(
    "opts",
    [
        {"port": 0},
        {"port": 70000},
        {"cache_size": -1},
        {"timeout": 0},
        {"ttl": -5},
        {"ready_timeout": float("inf")},
        {"endpoint": "http://10.1.2.3:2773"},
        {"endpoint": "https://127.0.0.1:2773"},
    ],
)
def test_bad_client_options_are_invalid_arguments(opts):
    with pytest.raises(paramsecrets.InvalidArgumentError):
        paramsecrets.Client(token=TOKEN, **opts)


def test_options_are_applied(emulator):
    c = paramsecrets.Client(
        port=emulator.port,
        token=TOKEN,
        parameter_ttl=10,
        secret_ttl=2.5,
        cache_size=7,
        timeout=0.25,
        ready_timeout=0.5,
        stale_if_error=60,
    )
    r = repr(c)
    assert r.startswith("Client(endpoint='http://127.0.0.1:")
    for part in (
        "parameter_ttl=10.0",
        "secret_ttl=2.5",
        "cache_size=7",
        "timeout=0.25",
        "ready_timeout=0.5",
        "stale_if_error=60.0",
    ):
        assert part in r, r
    assert c.get_parameter("/app/plain") == "hello"
    assert c.endpoint == emulator.endpoint
    remote = paramsecrets.Client(
        token=TOKEN, endpoint="http://10.1.2.3:2773", allow_non_loopback=True
    )
    assert remote.endpoint == "http://10.1.2.3:2773"


def test_the_timeout_and_deadline_options_are_seconds(emulator):
    c = emulator.client(timeout=0.2, deadline=0.3)
    t = time.monotonic()
    with pytest.raises(paramsecrets.ParamSecretsTimeoutError) as e:
        c.get_parameter("/app/slow")
    # One 0.2 s attempt: a second would not fit in the 0.3 s deadline. The slow entry
    # answers after 0.8 s, so a timeout or deadline read as milliseconds would not fail here.
    assert time.monotonic() - t < 0.7
    assert e.value.status is None


def test_environment_configures_the_default_client(emulator, monkeypatch):
    monkeypatch.setenv("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", str(emulator.port))
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.delenv("PARAMSECRETS_TOKEN", raising=False)
    monkeypatch.delenv("AWS_TOKEN", raising=False)
    paramsecrets.set_default_client(None)
    try:
        assert paramsecrets.get_parameter("/app/plain") == "hello"
        assert paramsecrets.default_client() is paramsecrets.default_client()
        assert paramsecrets.get_secret("app/db", transform="json")["user"] == "admin"
        assert paramsecrets.get_parameters(["/app/list"]) == {"/app/list": "a,b,c"}
        with pytest.raises(TypeError):
            paramsecrets.get_parameter("/app/plain", True)  # options are keyword-only
        with pytest.raises(TypeError):
            paramsecrets.get_secret("app/db", bogus=1)
        assert paramsecrets.get_secrets(["app/blob"]) == {"app/blob": SECRET_VALUES[2].encode()}
        paramsecrets.get_parameter("/app/plain")
        assert emulator.requests("parameter:/app/plain") == 1
        paramsecrets.clear_cache()
        paramsecrets.get_parameter("/app/plain")
        assert emulator.requests("parameter:/app/plain") == 2
    finally:
        paramsecrets.set_default_client(None)


def test_module_level_reads_use_the_default_client_with_every_option(client, emulator):
    paramsecrets.set_default_client(client)
    try:
        assert paramsecrets.default_client() is client
        assert paramsecrets.get_parameter("/app/versioned", version=1) == "v1"
        assert paramsecrets.get_parameter("/app/versioned", label="Prod") == "v2"
        assert paramsecrets.get_parameter("/app/config.json", transform="json")["a"] == {"x": "y"}
        assert paramsecrets.get_secret("app/blob") == SECRET_VALUES[2].encode()
        assert paramsecrets.get_secret("app/db", version_stage="AWSCURRENT", transform="json")
        before = client.stats()
        for _ in range(10):
            assert paramsecrets.get_parameter("/app/versioned", version=1) == "v1"
        after = client.stats()
        assert (after.hits - before.hits, after.misses - before.misses) == (10, 0)
        paramsecrets.get_parameter("/app/versioned", version=1, force_fetch=True)
        assert client.stats().misses == after.misses + 1
        misses = client.stats().misses
        paramsecrets.clear_cache()
        paramsecrets.get_parameter("/app/versioned", version=1)
        assert client.stats().misses == misses + 1, "clear_cache emptied the default client's cache"
        with pytest.raises(paramsecrets.InvalidArgumentError):
            paramsecrets.get_parameter("")
        with pytest.raises(paramsecrets.InvalidArgumentError):
            paramsecrets.get_secret("app/db", max_age=-1)
        with pytest.raises(TypeError):
            paramsecrets.get_parameter(42)
        with pytest.raises(TypeError):
            paramsecrets.set_default_client("not a client")
        assert paramsecrets.default_client() is client
    finally:
        paramsecrets.set_default_client(None)


def test_clear_cache_never_builds_a_default_client(monkeypatch):
    for var in ("PARAMSECRETS_TOKEN", "AWS_TOKEN", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", raising=False)
    paramsecrets.set_default_client(None)
    paramsecrets.clear_cache()  # nothing built, nothing to clear: no error
    with pytest.raises(paramsecrets.MissingTokenError):
        paramsecrets.get_parameter("/app/plain")
    with pytest.raises(paramsecrets.MissingTokenError):
        paramsecrets.default_client()


def test_threads_share_one_default_client(emulator, monkeypatch):
    monkeypatch.setenv("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", str(emulator.port))
    monkeypatch.setenv("PARAMSECRETS_TOKEN", TOKEN)
    paramsecrets.set_default_client(None)
    try:
        seen = []
        start = threading.Barrier(8)

        def read():
            start.wait()
            assert paramsecrets.get_parameter("/cold/11") == "cold-11"
            seen.append(paramsecrets.default_client())

        threads = [threading.Thread(target=read) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(seen) == 8 and all(c is seen[0] for c in seen)
        assert emulator.requests("parameter:/cold/11") == 1
    finally:
        paramsecrets.set_default_client(None)


def test_the_gil_is_released_while_a_request_waits(client, emulator):
    ticks = 0
    stop = threading.Event()

    def ticker():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        time.sleep(0.05)
        before = ticks
        started = time.monotonic()
        assert client.get_parameter("/app/slow") == "slow-value"  # the store delays it 800 ms
        waited = time.monotonic() - started
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert waited >= 0.7
    # ~1 tick per ms while the GIL is free; with the GIL held the ticker would be frozen.
    assert during > 200, during


def test_32_threads_reading_one_cold_key_send_one_request(client, emulator):
    barrier = threading.Barrier(32)
    results: list[str] = []

    def read():
        barrier.wait()
        results.append(client.get_parameter("/app/slow"))

    threads = [threading.Thread(target=read) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["slow-value"] * 32
    assert emulator.requests("parameter:/app/slow") == 1
    s = client.stats()
    assert s.requests == 1
    assert s.misses + s.hits == 32


def _child_read(client, endpoint_name, queue):
    try:
        queue.put(("ok", client.get_parameter(endpoint_name), client.get_parameter("/cold/7")))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        queue.put(("error", repr(e), ""))


def test_a_client_made_and_used_before_fork_works_in_the_child(client, emulator):
    assert client.get_parameter("/app/plain") == "hello"  # runtime and pool exist now
    client.get_parameter("/cold/6")
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_read, args=(client, "/app/plain", queue))
    child.start()
    status, cached, fresh = queue.get(timeout=30)
    child.join(timeout=30)
    assert child.exitcode == 0
    assert (status, cached, fresh) == ("ok", "hello", "cold-7")
    # the child's hit came from the cache it inherited; its miss went to the emulator
    assert emulator.requests("parameter:/app/plain") == 1
    assert emulator.requests("parameter:/cold/7") == 1
    # and the parent still works
    assert client.get_parameter("/cold/8") == "cold-8"


def test_a_fork_while_idle_with_the_default_client(emulator, monkeypatch):
    monkeypatch.setenv("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", str(emulator.port))
    monkeypatch.setenv("PARAMSECRETS_TOKEN", TOKEN)
    paramsecrets.set_default_client(None)
    try:
        paramsecrets.get_parameter("/cold/9")
        pid = os.fork()
        if pid == 0:  # child
            ok = paramsecrets.get_parameter("/cold/10") == "cold-10"
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        paramsecrets.set_default_client(None)
