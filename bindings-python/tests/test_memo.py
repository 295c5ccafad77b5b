"""The host-side memo (bindings-python/src/memo.rs): a repeated read without options is answered
without entering core's cache, and only while core would give the same answer: never after the
TTL, an eviction, an invalidation or a clear, never for a read with options, and its hits keep
core's entry warm and are counted."""

from __future__ import annotations

import time

from conftest import SECRET_VALUES


def test_repeated_reads_hand_out_the_same_object_and_count_every_hit(client, emulator):
    first = client.get_parameter("/app/plain")  # a miss
    second = client.get_parameter("/app/plain")  # core's hit: fills the memo
    third = client.get_parameter("/app/plain")  # the memo's
    assert first == second == third == "hello"
    assert third is second
    blob = client.get_secret("app/blob")
    assert client.get_secret("app/blob") == SECRET_VALUES[2].encode()
    assert client.get_secret("app/blob") is client.get_secret("app/blob")
    assert blob == SECRET_VALUES[2].encode()
    s = client.stats()
    assert (s.hits, s.misses, s.requests) == (5, 2, 2)


def test_never_served_after_the_ttl(emulator):
    c = emulator.client(ttl=0.3)
    for _ in range(3):
        assert c.get_parameter("/app/plain") == "hello"
    assert emulator.requests("parameter:/app/plain") == 1
    time.sleep(0.35)
    assert c.get_parameter("/app/plain") == "hello"
    assert emulator.requests("parameter:/app/plain") == 2


def test_never_served_after_core_evicts_the_entry(emulator):
    c = emulator.client(cache_size=1)
    for _ in range(3):
        c.get_parameter("/cold/1")
    c.get_parameter("/cold/2")  # evicts /cold/1 from core
    c.get_parameter("/cold/1")
    assert emulator.requests("parameter:/cold/1") == 2


def test_its_hits_keep_core_entry_warm(emulator):
    c = emulator.client(cache_size=2)
    for _ in range(5):
        c.get_parameter("/cold/3")  # a miss, a core hit, then memo hits (touching the entry)
    c.get_parameter("/cold/4")
    c.get_parameter("/cold/5")  # the cache is full: the untouched /cold/4 goes, not /cold/3
    c.get_parameter("/cold/3")
    assert emulator.requests("parameter:/cold/3") == 1
    c.get_parameter("/cold/4")
    assert emulator.requests("parameter:/cold/4") == 2


def test_invalidate_and_clear_reach_it(client, emulator):
    for _ in range(3):
        client.get_parameter("/app/plain")
        client.get_secret("app/db")
    client.invalidate_parameter("/app/plain")
    client.get_parameter("/app/plain")
    assert emulator.requests("parameter:/app/plain") == 2
    client.invalidate_secret("app/db")
    client.get_secret("app/db")
    assert emulator.requests("secret:app/db") == 2
    for _ in range(2):
        client.get_parameter("/app/plain")
    client.clear_cache()
    client.get_parameter("/app/plain")
    assert emulator.requests("parameter:/app/plain") == 3


def test_reads_with_options_are_core_s(client, emulator):
    for _ in range(3):
        assert client.get_parameter("/app/versioned") == "v2"
    assert client.get_parameter("/app/versioned", version=1) == "v1"
    assert client.get_parameter("/app/versioned", label="old") == "v1"
    assert client.get_parameter("/app/versioned", force_fetch=True) == "v2"
    assert client.get_parameter("/app/versioned", max_age=0) == "v2"
    assert client.get_parameter("/app/config.json", transform="json") == {
        "a": {"x": "y"},
        "b": [1, 2.5, None, True],
    }
    # The memo's value is the plain string; a transformed read of it is a new object each time.
    assert client.get_parameter("/app/config.json", transform="json") is not client.get_parameter(
        "/app/config.json", transform="json"
    )
    assert emulator.requests("parameter:/app/versioned") == 5


def test_a_str_subclass_is_read_through_core(client, emulator):
    class Name(str):
        def __eq__(self, other):
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    for _ in range(3):
        assert client.get_parameter(Name("/app/plain")) == "hello"
    assert client.get_parameter("/app/plain") == "hello"
    assert emulator.requests("parameter:/app/plain") == 1
    assert client.stats().hits == 3
