"""AsyncClient: awaitables driven by paramsecrets' own runtime, asyncio integration,
single-flight across 1 000 concurrent reads, errors through await, cancellation."""

from __future__ import annotations

import asyncio
import time

import pytest

import paramsecrets
from conftest import SECRET_VALUES


def run(coro):
    return asyncio.run(coro)


def test_reads(async_client):
    async def main():
        c = async_client
        assert await c.get_parameter("/app/plain") == "hello"
        assert await c.get_parameter("/app/plain") == "hello"  # a hit: ready at once
        assert await c.get_parameter("/app/versioned", label="old") == "v1"
        assert await c.get_parameter("/app/config.json", transform="json") == {
            "a": {"x": "y"},
            "b": [1, 2.5, None, True],
        }
        assert await c.get_secret("app/blob") == SECRET_VALUES[2].encode()
        assert (await c.get_secret("app/db", transform="json"))["password"] == SECRET_VALUES[1]
        rec = await c.get_parameter_record("/app/versioned", version=1)
        assert (rec.value, rec.selector) == ("v1", ":1")
        srec = await c.get_secret_record("app/db")
        assert srec.version_stages == ["AWSCURRENT"]
        assert "<redacted>" in repr(srec)
        return c.stats()

    s = run(main())
    assert s.hits >= 1 and s.requests == 6


def test_a_thousand_concurrent_cold_reads_send_one_request(async_client, emulator):
    async def main():
        return await asyncio.gather(*(async_client.get_parameter("/app/slow") for _ in range(1000)))

    assert run(main()) == ["slow-value"] * 1000
    assert emulator.requests("parameter:/app/slow") == 1
    assert async_client.stats().requests == 1


def test_awaitables_work_with_create_task_wait_for_and_task_groups(async_client):
    async def main():
        t = asyncio.create_task(async_client.get_parameter("/cold/1"))
        v1 = await t
        v2 = await asyncio.wait_for(async_client.get_parameter("/cold/2"), timeout=5)
        hit = await asyncio.create_task(async_client.get_parameter("/cold/1"))
        return v1, v2, hit

    assert run(main()) == ("cold-1", "cold-2", "cold-1")


def test_the_loop_keeps_running_while_a_request_waits(async_client):
    async def main():
        ticks = 0
        done = False

        async def ticker():
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.001)

        t = asyncio.create_task(ticker())
        started = time.monotonic()
        v = await async_client.get_secret("app/slow")  # delayed 800 ms by the store
        waited = time.monotonic() - started
        done = True
        await t
        return v, waited, ticks

    v, waited, ticks = run(main())
    assert v == "slow-secret"
    assert waited >= 0.7
    assert ticks > 100, ticks


def test_errors_arrive_through_await(async_client, emulator):
    async def main():
        with pytest.raises(paramsecrets.NotFoundOrDeniedError) as e:
            await async_client.get_parameter("/app/missing")
        assert e.value.status == 400
        with pytest.raises(paramsecrets.InvalidArgumentError):
            await async_client.get_parameter("")
        with pytest.raises(paramsecrets.InvalidArgumentError):
            await async_client.get_secret("app/db", version_stage="a\nb")
        with pytest.raises(paramsecrets.InvalidArgumentError):
            await async_client.get_parameter("/app/plain", transform="yaml")
        with pytest.raises(paramsecrets.ProtocolError):
            await async_client.get_parameter("/app/plain", transform="binary")

    run(main())
    assert emulator.requests() == 2  # /app/missing and /app/plain; the invalid ones sent nothing


def test_wrong_types_raise_at_the_call(async_client, emulator):
    with pytest.raises(TypeError):
        async_client.get_parameter(1)
    with pytest.raises(TypeError):
        async_client.get_secret("app/db", "AWSCURRENT")
    assert emulator.requests() == 0


def test_a_miss_outside_a_running_loop_is_an_error(async_client):
    with pytest.raises(RuntimeError):
        async_client.get_parameter("/cold/3")


def test_batches(async_client):
    async def main():
        return await async_client.get_parameters(
            ["/cold/4", "/app/missing"]
        ), await async_client.get_secrets(["app/db"], transform="json")

    params, secrets = run(main())
    assert params["/cold/4"] == "cold-4"
    assert isinstance(params["/app/missing"], paramsecrets.NotFoundOrDeniedError)
    assert secrets["app/db"]["user"] == "admin"


def test_cancelling_a_waiting_task_leaves_the_client_usable(async_client, emulator):
    async def main():
        t = asyncio.create_task(async_client.get_parameter("/app/slow"))
        await asyncio.sleep(0.1)
        t.cancel()
        with pytest.raises(asyncio.CancelledError):
            await t
        # the request in flight still lands in the cache
        await asyncio.sleep(1.0)
        return await async_client.get_parameter("/app/slow")

    assert run(main()) == "slow-value"
    assert emulator.requests("parameter:/app/slow") == 1


def test_an_awaitable_is_awaited_once(async_client):
    async def main():
        await async_client.get_parameter("/cold/5")
        a = async_client.get_parameter("/cold/5")
        assert await a == "cold-5"
        with pytest.raises(RuntimeError):
            await a

    run(main())
