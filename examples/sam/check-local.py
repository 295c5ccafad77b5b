#!/usr/bin/env python3
"""Runs the functions template.yaml deploys, as `sam build` packages them, in the local Lambda.

    examples/sam/check-local.py [python] [nodejs] [java]        (default: all three)

For each language: this folder's Makefile packages the walkthrough handler (build-<X>Function,
the target `sam build` runs) into an empty folder; the local Lambda of scripts/local-lambda runs it
(RIE + the language's official runtime interface client) with the two layers the template gives
it unpacked on /opt: the extension (here the emulator's layer, dist/layers/
paramsecrets-emulator-extension-x86_64.zip, standing in for the AWS-managed one) and the
paramsecrets layer of dist/layers/. The walkthrough's environment points at examples/store.json's
parameter and secret, whose database is a throwaway MariaDB on a free port.

Checks, per language: two invocations answer 200 with "Successfully connected to <the server's
version>"; the extension counted exactly one request per key (the second invocation was served
from paramsecrets' cache); no process of the run is left. Needs `make layers`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "local-lambda"))
sys.path.insert(0, str(ROOT / "scripts"))

import local_lambda  # noqa: E402
from mariadb import MariaDB, store_with_free_port  # noqa: E402

LAYERS = ROOT / "dist" / "layers"
ENV = {"ENV": "dev", "APP_CONFIG_PATH": "demoapp/config", "CREDS_PATH": "dev/demoapp/db",
       "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": "2773", "SSM_PARAMETER_STORE_TTL": "300",
       "SECRETS_MANAGER_TTL": "300"}
# language: (Makefile target, local Lambda language, handler, layer), as in template.yaml
FUNCTIONS = {
    "python": ("build-PythonFunction", "python", "lambda_function.lambda_handler", "paramsecrets-python"),
    "nodejs": ("build-NodeFunction", "node", "index.handler", "paramsecrets-nodejs"),
    "java": ("build-JavaFunction", "java", "example.Handler::handleRequest", "paramsecrets-java"),
}
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def check(lang: str, tmp: Path, store: Path, server_version: str) -> list[str]:
    target, runtime, handler, layer = FUNCTIONS[lang]
    task = tmp / f"fn-{lang}"
    task.mkdir()
    subprocess.run(["make", "-s", "-C", str(HERE), target, f"ARTIFACTS_DIR={task}"], check=True, stdout=sys.stderr)
    layers = [str(LAYERS / "paramsecrets-emulator-extension-x86_64.zip"), str(LAYERS / f"{layer}-x86_64.zip")]
    for z in layers:
        if not Path(z).exists():
            return [f"no {z}: run make layers"]
    # The template sets PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=2773; the local Lambda picks a free
    # port instead (several runs share this machine), so it is left to the local Lambda here.
    env = {k: v for k, v in ENV.items() if k != "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"}
    if lang == "java":
        env["JAVA_TOOL_OPTIONS"] = "--enable-native-access=ALL-UNNAMED"  # as template.yaml sets it
    lam = local_lambda.LocalLambda(runtime, str(task), handler, layers, str(store), env)
    bad, stats = [], {}
    try:
        lam.start()
        for i in range(2):
            inv = lam.invoke({})
            body = inv.json() if inv.status == 200 else {}
            text = body.get("body", "") if isinstance(body, dict) else ""
            if inv.status != 200 or body.get("statusCode") != 200 or not text.startswith(f"Successfully connected to {server_version}"):
                bad.append(f"{lang}: invocation {i + 1}: HTTP {inv.status}: {inv.body[:300]}")
        with _NO_PROXY.open(f"http://127.0.0.1:{lam.extension_port}/_emulator/stats", timeout=5) as r:
            stats = json.loads(r.read())
    finally:
        left = lam.stop()
    per_key = {k: v.get("requests") for k, v in stats.get("keys", {}).items()}
    want = {"parameter:/dev/demoapp/config": 1, "secret:dev/demoapp/db": 1}
    if per_key != want:
        bad.append(f"{lang}: the extension counted {per_key}, want {want} (the second invocation from the L1 cache)")
    if left:
        bad.append(f"{lang}: processes left after the stop: {left}")
    if not bad:
        print(f"ok   {lang}: the SAM-packaged function with the {layer} layer on /opt: 2 × 200 "
              f"\"Successfully connected to {server_version}\", 1 extension request per key")
    return bad


def main() -> int:
    langs = sys.argv[1:] or list(FUNCTIONS)
    unknown = [x for x in langs if x not in FUNCTIONS]
    if unknown:
        print(f"check-local: unknown language(s) {unknown}; one of {list(FUNCTIONS)}", file=sys.stderr)
        return 2
    try:
        local_lambda.check_namespaces()
    except local_lambda.NoNamespaces as e:
        print(f"check-local: {e}: the local Lambda cannot run here", file=sys.stderr)
        return 3
    local_lambda.install("rie", *{FUNCTIONS[x][1] for x in langs})
    bad: list[str] = []
    with tempfile.TemporaryDirectory(prefix="paramsecrets-sam-check.") as tmp_s:
        tmp = Path(tmp_s)
        store = store_with_free_port(ROOT / "examples" / "store.json", tmp, ENV["CREDS_PATH"])
        db = MariaDB(store)
        try:
            version = db.banner.split()[1]  # "MariaDB <version> on 127.0.0.1:<port>"
            for lang in langs:
                bad += check(lang, tmp, store, version)
        finally:
            db.stop()
    for b in bad:
        print(f"FAIL {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
