"""The Python soak driver (soak/README.md): one long-lived process reading through the
paramsecrets wheel against the emulator that soak/run.py starts, restarts and feeds new store
generations.

Sync reads from three threads (one ``Client``) and async reads from three asyncio tasks (one
``AsyncClient``) on a fourth thread. Every value is ``<name>#g<generation>``; each read is checked
against the generation log in ``SOAK_GENS``. One JSON line per second on stdout: reads, wrong
values and errors by code since the last line, and ``sys.getallocatedblocks()`` as the heap
figure. No value is ever printed.
"""

import asyncio
import json
import os
import random
import sys
import threading
import time

import paramsecrets
from paramsecrets import AsyncClient, Client, ParamSecretsError

SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
TTL = float(os.environ.get("SOAK_TTL", "2"))
STALE = float(os.environ.get("SOAK_STALE", "3"))
WINDOW = float(os.environ.get("SOAK_WINDOW", "10"))
CACHE = int(os.environ.get("SOAK_CACHE", "64"))
PARAMS = [f"/soak/p/{i:04d}" for i in range(int(os.environ.get("SOAK_PARAMS", "400")))]
SECRETS = [f"soak/s/{i:03d}" for i in range(int(os.environ.get("SOAK_SECRETS", "40")))]
HOT_P, HOT_S = PARAMS[:8], SECRETS[:4]
INJECTED = {"unavailable", "not_ready", "timeout"}  # soak/run.py judges when they are allowed


class Gens:
    """The orchestrator's generation log: ``<generation> <wall-clock start>`` per line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.starts: dict[int, float] = {}
        self.order: list[int] = []
        self.reload()

    def reload(self) -> None:
        starts: dict[int, float] = {}
        try:
            with open(self.path) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2:
                        starts[int(parts[0])] = float(parts[1])
        except OSError:
            return
        self.order = sorted(starts)
        self.starts = starts

    def _check(self, name: str, value: object) -> str | None:
        if not isinstance(value, str) or "#g" not in value:
            return f"{name}: value not in the soak format"
        prefix, _, g = value.rpartition("#g")
        if prefix != name:
            return f"{name}: value of another name"
        if not g.isdigit():
            return f"{name}: unparsable generation"
        gen = int(g)
        if gen not in self.starts:
            return f"{name}: generation {gen} unknown (from the future)"
        nxt = self.starts.get(gen + 1)
        if nxt is not None and nxt < time.time() - WINDOW:
            ago = time.time() - nxt
            return f"{name}: generation {gen} superseded {ago:.1f} s ago (window {WINDOW} s)"
        return None

    def check(self, name: str, value: object) -> str | None:
        why = self._check(name, value)
        if why is not None and "unknown" in why:
            self.reload()
            why = self._check(name, value)
        return why


gens = Gens(os.environ.get("SOAK_GENS", ""))
lock = threading.Lock()
counts = {"reads": 0, "wrong": 0}
errors: dict[str, int] = {}
bad: list[str] = []
stop = threading.Event()


def record(name: str, value: object = None, error: BaseException | None = None) -> None:
    why = None
    if error is None:
        why = gens.check(name, value)
    with lock:
        counts["reads"] += 1
        if error is not None:
            code = error.code if isinstance(error, ParamSecretsError) else type(error).__name__
            errors[code] = errors.get(code, 0) + 1
            if code not in INJECTED and len(bad) < 5:
                bad.append(f"{code}: {error}")
        elif why is not None:
            counts["wrong"] += 1
            if len(bad) < 5:
                bad.append(why)


def record_batch(results: dict) -> None:
    for n, v in results.items():
        if isinstance(v, BaseException):
            record(n, error=v)
        else:
            record(n, v)


def read(name: str, fn, *args, **kw) -> None:
    try:
        value = fn(*args, **kw)
    except ParamSecretsError as e:
        record(name, error=e)
        return
    record(name, value)


def sync_op(c: Client) -> None:
    r = random.randrange(1000)
    if r < 700:
        n = random.choice(HOT_P)
        read(n, c.get_parameter, n)
    elif r < 850:
        n = random.choice(PARAMS)
        read(n, c.get_parameter, n)
    elif r < 880:
        n = random.choice(HOT_S if r < 870 else SECRETS)
        read(n, c.get_secret, n)
    elif r < 900:
        n = random.choice(HOT_P)
        read(n, c.get_parameter, n, force_fetch=True)
    elif r < 930:
        record_batch(c.get_parameters(random.sample(PARAMS, 8)))
    elif r < 940:
        record_batch(c.get_secrets(random.sample(SECRETS, 4)))
    elif r < 950:
        c.invalidate_parameter(random.choice(HOT_P))
        c.invalidate_secret(random.choice(HOT_S))
    elif r < 952:
        c.clear_cache()
    elif r < 960:
        c.prefetch(parameters=random.sample(PARAMS, 4), secrets=[random.choice(SECRETS)])
    elif r < 970:
        # The module-level functions (the default client, built from the environment).
        n = random.choice(HOT_P)
        read(n, paramsecrets.get_parameter, n)
    else:
        n = random.choice(HOT_P)
        read(n, c.get_parameter, n, max_age=0.5)


def sync_worker(c: Client) -> None:
    while not stop.is_set():
        for _ in range(20):
            if stop.is_set():
                return
            sync_op(c)
        time.sleep(0.005)


async def aread(name: str, aw) -> None:
    try:
        value = await aw
    except ParamSecretsError as e:
        record(name, error=e)
        return
    record(name, value)


async def async_worker(c: AsyncClient) -> None:
    while not stop.is_set():
        for _ in range(20):
            if stop.is_set():
                return
            r = random.randrange(1000)
            if r < 750:
                n = random.choice(HOT_P)
                await aread(n, c.get_parameter(n))
            elif r < 900:
                n = random.choice(PARAMS)
                await aread(n, c.get_parameter(n))
            elif r < 930:
                n = random.choice(HOT_S if r < 920 else SECRETS)
                await aread(n, c.get_secret(n))
            elif r < 950:
                n = random.choice(PARAMS)
                await aread(n, c.get_parameter(n, force_fetch=True))
            elif r < 980:
                record_batch(await c.get_parameters(random.sample(PARAMS, 8)))
            elif r < 990:
                c.invalidate_parameter(random.choice(PARAMS))
            else:
                n = random.choice(HOT_S)
                await aread(n, c.get_secret(n, force_fetch=True))
        await asyncio.sleep(0.005)


async def async_main() -> None:
    c = AsyncClient(ttl=TTL, stale_if_error=STALE, cache_size=CACHE)
    await asyncio.gather(*(async_worker(c) for _ in range(3)))


def report() -> None:
    with lock:
        line = {
            "t": round(time.time(), 3),
            "reads": counts["reads"],
            "wrong": counts["wrong"],
            "errors": dict(errors),
            "heap": sys.getallocatedblocks(),
            "bad": list(bad),
        }
        counts["reads"] = counts["wrong"] = 0
        errors.clear()
        bad.clear()
    print(json.dumps(line), flush=True)


def main() -> None:
    # For the module-level functions' default client; these variables take whole seconds.
    os.environ["PARAMSECRETS_TTL"] = f"{TTL:.0f}"
    os.environ["PARAMSECRETS_STALE_IF_ERROR"] = f"{STALE:.0f}"
    os.environ["PARAMSECRETS_CACHE_SIZE"] = str(CACHE)
    client = Client(ttl=TTL, stale_if_error=STALE, cache_size=CACHE)
    threads = [threading.Thread(target=sync_worker, args=(client,), daemon=True) for _ in range(3)]
    threads.append(threading.Thread(target=lambda: asyncio.run(async_main()), daemon=True))
    for t in threads:
        t.start()
    end = time.time() + SECONDS
    tick = 0
    while time.time() < end:
        time.sleep(0.5)
        gens.reload()
        tick += 1
        if tick % 2 == 0:
            report()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    report()


if __name__ == "__main__":
    main()
