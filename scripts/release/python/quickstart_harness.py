"""Run the README's Python quick start as Lambda would, and check what it read.

    python quickstart_harness.py QUICKSTART.py STORE.json

QUICKSTART.py is the top-level README's block exactly as `scripts/release/quickstart.py python`
prints it. It is imported as a module and `lambda_handler({}, None)` is called, as the Lambda
runtime calls a handler; PARAMETERS_SECRETS_EXTENSION_HTTP_PORT and AWS_SESSION_TOKEN point the
package's default client at a running emulator that serves STORE.json. The handler's locals at
its return are captured (sys.setprofile, so the block stays unchanged) and compared with the
store's values, and the emulator's stats (reset first) must show the reads arrived. Prints one
line per problem and exits 1 if there is any.
"""

import importlib.metadata
import importlib.util
import json
import os
import sys
import urllib.request


def main(quickstart: str, store_path: str) -> list[str]:
    with open(store_path, encoding="utf-8") as f:
        store = json.load(f)
    params = {p["name"]: p for p in store["parameters"]}
    secrets = {s["name"]: s for s in store["secrets"]}
    config_value = params["/dev/demoapp/config"]["value"]
    db_string = secrets["dev/demoapp/db"]["string"]
    expected = {
        "config": json.loads(config_value),
        "db": json.loads(db_string),
        "password": db_string,
    }

    port = os.environ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"]
    emulator = f"http://127.0.0.1:{port}"
    reset = urllib.request.Request(f"{emulator}/_emulator/reset", method="POST")
    urllib.request.urlopen(reset, timeout=5).close()  # counts from this run only

    spec = importlib.util.spec_from_file_location("quickstart", quickstart)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler = module.lambda_handler

    seen: dict = {}

    def profile(frame, event, arg):
        if event == "return" and frame.f_code is handler.__code__:
            seen.update(frame.f_locals)

    sys.setprofile(profile)
    try:
        result = handler({}, None)
    finally:
        sys.setprofile(None)

    problems = []
    for name, want in expected.items():
        if name not in seen:
            problems.append(f"quick start: lambda_handler set no local '{name}'")
        elif seen[name] != want or type(seen[name]) is not type(want):
            problems.append(
                f"quick start: '{name}' is a {type(seen[name]).__name__} that differs "
                f"from the store's value (a {type(want).__name__})"
            )

    with urllib.request.urlopen(f"{emulator}/_emulator/stats", timeout=5) as r:
        stats = json.load(r)
    for key in ("parameter:/dev/demoapp/config", "secret:dev/demoapp/db"):
        if stats["keys"].get(key, {}).get("requests", 0) < 1:
            problems.append(f"quick start: the emulator received no request for {key}")

    import paramsecrets

    print(
        f"quick start ok: paramsecrets {importlib.metadata.version('paramsecrets')} from "
        f"{os.path.dirname(paramsecrets.__file__)}; lambda_handler returned {result!r}; "
        f"read config keys {sorted(seen.get('config', {}))}, db user "
        f"{seen.get('db', {}).get('username')!r}, password of {len(seen.get('password', ''))} "
        f"chars; emulator requests {stats['requests']}"
        if not problems
        else "quick start: failed"
    )
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    found = main(sys.argv[1], sys.argv[2])
    for line in found:
        print(line, file=sys.stderr)
    sys.exit(1 if found else 0)
