#!/usr/bin/env python3
"""The Powertools providers in the local Lambda (`make lambda-test`, part of `make test`).

Per language, one handler (handlers/<lang>/powertools*) runs the Powertools Parameters
utility's own documented examples (get, decrypt, max age, transforms, force fetch, a missing
name, by-path reads, secrets; Python and Node also get_parameters_by_name) with only the
provider swapped for paramsecrets', inside AWS's runtime interface client under AWS's Runtime
Interface Emulator, with the emulator layer as the extension (scripts/local-lambda). The store
is powertools.store.json. Two invokes per language (cold, then warm: the providers' caches
answer the second); each must return exactly the expected results, and the extension's
stats must show it served the reads.

    lambda-tests/powertools.py [python node java]

Prints one `ok - ...` / `not ok - ...` line per check; exit status 1 on any failure.
The same examples against Powertools' own SDK providers, value by value, are in each binding's
suite (bindings-python/tests, bindings-node/test, bindings-java/powertools).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import subprocess
import sys

import probes

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = probes.ROOT
STORE = os.path.join(HERE, "powertools.store.json")
BUILD = os.path.join(probes.BUILD, "powertools")

PLAIN, SECURE = "pt-plain-value-3e1a", "pt-secure-value-8b2c"
# What every language's examples return; `errors` below are the languages' own class names.
COMMON = {
    "get": PLAIN,
    "getDecrypted": SECURE,
    "getWithMaxAge": PLAIN,
    "transformJson": "db.internal:5432",
    "transformBase64": "hello world",
    "forceFetch": PLAIN,
    "secret": "pt-text-secret-a7f4",
    "secretJson": "admin",
}
BY_NAME = {
    "/powertools/plain": PLAIN,
    "/powertools/config": {"host": "db.internal", "port": 5432},
    "_errors": ["/powertools/missing"],
}
EXPECTED = {
    "python": {
        **COMMON,
        "getMissing": {"error": "GetParameterError"},
        "getMultiple": {"error": "ExtensionUnsupportedError"},
        "getParametersByName": BY_NAME,
    },
    "node": {
        **COMMON,
        "getMissing": {"error": "GetParameterError"},
        "getMultiple": {"error": "ExtensionUnsupportedError"},
        "getParametersByName": BY_NAME,
    },
    "java": {
        **COMMON,
        "getMissing": {"error": "ExtensionReadException"},
        "getMultiple": {"error": "NotSupportedByExtensionException"},
    },
}

passed = failed = 0


def check(cond: bool, what: str, detail: str = "") -> bool:
    global passed, failed
    if cond:
        passed += 1
        print(f"ok - {what}")
    else:
        failed += 1
        print(f"not ok - {what}" + (f"\n    | {detail}" if detail else ""))
    sys.stdout.flush()
    return cond


def _pins() -> list[str]:
    """Powertools and the boto3 its parameters module imports, as the Python suite pins them."""
    with open(os.path.join(ROOT, "bindings-python", "requirements-dev.txt")) as f:
        lines = [line.split("#", 1)[0].strip() for line in f]
    return [p for p in lines if p.split("==", 1)[0] in ("aws-lambda-powertools", "boto3")]


def prepare_python() -> dict:
    """The wheel + the pinned Powertools in a layer (python/), the handler as the task root."""
    pattern = f"paramsecrets-*_{platform.machine()}.whl"
    wheels = glob.glob(os.path.join(ROOT, "bindings-python", "dist", pattern))
    if len(wheels) != 1:
        raise SystemExit(f"expected one {pattern} in bindings-python/dist/, found {len(wheels)}")
    layer = os.path.join(BUILD, "python-layer")
    stamp = os.path.join(layer, ".stamp")
    key = json.dumps([wheels[0], os.path.getmtime(wheels[0]), _pins()])
    if probes._read(stamp) != key:
        subprocess.run(["rm", "-rf", layer], check=True)
        pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        pip += [
            "--root-user-action=ignore",
            "--no-compile",
            "--target",
            os.path.join(layer, "python"),
        ]
        subprocess.run([*pip, wheels[0] + "[powertools]", *_pins()], check=True)
        with open(stamp, "w") as f:
            f.write(key)
    return {
        "task_root": os.path.join(HERE, "handlers", "python"),
        "layers": [layer],
        "handler": "powertools_handler.handler",
    }


def prepare_node() -> dict:
    """The package linked into node_modules (its own node_modules has the pinned Powertools)."""
    if not glob.glob(os.path.join(ROOT, "bindings-node", "paramsecrets.*.node")):
        raise SystemExit("bindings-node is not built: run make -C bindings-node build")
    src = os.path.join(HERE, "handlers", "node", "powertools.mjs")
    task = probes.node_task(os.path.join(BUILD, "node"), src)
    return {"task_root": task, "layers": [], "handler": "powertools.handler"}


def prepare_java() -> dict:
    """lib/ from `make -C bindings-java powertools-lambda-lib`, the handler compiled against it."""
    task = os.path.join(BUILD, "java")
    lib = os.path.join(task, "lib")
    subprocess.run(["rm", "-rf", task], check=True)
    subprocess.run(
        [
            "make",
            "-s",
            "-C",
            os.path.join(ROOT, "bindings-java"),
            "powertools-lambda-lib",
            f"DIR={lib}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    javac = os.path.join(probes.local_lambda.java_home(), "bin", "javac")
    src = os.path.join(HERE, "handlers", "java", "powertools", "Handler.java")
    subprocess.run(
        [javac, "-nowarn", "--release", "17", "-d", task, "-cp", os.path.join(lib, "*"), src],
        check=True,
    )
    return {"task_root": task, "layers": [], "handler": "powertools.Handler::handleRequest"}


PREPARE = {"python": prepare_python, "node": prepare_node, "java": prepare_java}


def run(lang: str) -> None:
    prepared = PREPARE[lang]()
    lam = probes.local_lambda.LocalLambda(
        lang,
        prepared["task_root"],
        prepared["handler"],
        layers=[*prepared["layers"], probes.emulator_layer()],
        store=STORE,
        env={"AWS_LAMBDA_FUNCTION_NAME": f"powertools-{lang}"},
        timeout_s=30,
    )
    try:
        lam.start()
        invokes = [lam.invoke({}), lam.invoke({})]
        stats = lam.extension_stats()
    finally:
        left = lam.stop()
    for n, inv in enumerate(invokes, 1):
        what = f"{lang}: invoke {n} ({'cold' if n == 1 else 'warm'}) runs Powertools' examples"
        if not check(
            inv.status == 200, f"{what}: HTTP 200", f"HTTP {inv.status}: {inv.body[:500]}"
        ):
            continue
        try:
            results = inv.json().get("results")
        except ValueError:
            results = None
        expected = EXPECTED[lang]
        wrong = {
            k: {"got": (results or {}).get(k, "<missing>"), "expected": v}
            for k, v in expected.items()
            if (results or {}).get(k, "<missing>") != v
        }
        extra = sorted(set(results or {}) - set(expected))
        check(
            results is not None and not wrong and not extra,
            f"{what}: {len(expected)} results as expected",
            json.dumps({"wrong": wrong, "unexpected": extra})[:1500],
        )
    requests = stats.get("requests", 0) if isinstance(stats, dict) else 0
    check(
        requests > 0,
        f"{lang}: the extension served the reads ({requests} requests)",
        json.dumps(stats)[:500],
    )
    check(not left, f"{lang}: nothing of the run is left after SHUTDOWN", str(left))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Checked by hand, not with `choices`: Python 3.11's argparse checks a positional nargs="*"
    # list's default (given or not) against `choices` as one value and refuses every run
    # without arguments.
    ap.add_argument("langs", nargs="*", help=f"any of {', '.join(PREPARE)} (default: all)")
    args = ap.parse_args()
    unknown = [lang for lang in args.langs if lang not in PREPARE]
    if unknown:
        ap.error(f"unknown language {unknown[0]!r} (choose from {', '.join(PREPARE)})")
    for lang in args.langs or list(PREPARE):
        run(lang)
    print(f"# powertools: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
