"""The lifecycle probe functions (handlers/) as local-Lambda runs, for lambda-tests/run.py and
bench/lambda/bench.py: prepares each language's task root and starts one run per cold start."""

from __future__ import annotations

import glob
import os
import platform
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "scripts", "local-lambda"))

import local_lambda

CACHE = os.environ.get("PARAMSECRETS_CACHE", os.path.expanduser("~/.cache/paramsecrets"))
BUILD = os.path.join(ROOT, "target", "lambda-tests")
STORE = os.path.join(HERE, "store.json")
PARAMETER, SECRET = "/lifecycle/config", "lifecycle/creds"
LANGS = local_lambda.LANGS


def emulator_layer() -> str:
    arch = "arm64" if os.uname().machine in ("aarch64", "arm64") else "x86_64"
    return os.environ.get(
        "PARAMSECRETS_EMULATOR_LAYER",
        os.path.join(ROOT, "dist", "layers", f"paramsecrets-emulator-extension-{arch}.zip"),
    )


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _version() -> str:
    with open(os.path.join(ROOT, "Cargo.toml")) as f:
        text = f.read()
    section = text.split("[workspace.package]", 1)[1]
    return section.split('version = "', 1)[1].split('"', 1)[0]


def prepare(lang: str) -> dict:
    """Builds lang's task root (and the Python package layer) from the packages already built
    by the bindings' Makefiles; returns the LocalLambda arguments for its probe."""
    if lang == "python":
        # This machine's wheel only: `make arm64` puts the aarch64 one beside it.
        pattern = f"paramsecrets-*_{platform.machine()}.whl"
        wheels = glob.glob(os.path.join(ROOT, "bindings-python", "dist", pattern))
        if len(wheels) != 1:
            raise SystemExit(
                f"expected one {pattern} in bindings-python/dist/, found {len(wheels)}: "
                "run make -C bindings-python wheel"
            )
        layer = os.path.join(BUILD, "python-layer")
        stamp = os.path.join(layer, ".stamp")
        key = f"{wheels[0]}:{os.path.getmtime(wheels[0])}"
        if _read(stamp) != key:
            shutil.rmtree(layer, ignore_errors=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    "--root-user-action=ignore",
                    "--no-compile",
                    "--no-deps",
                    "--target",
                    os.path.join(layer, "python"),
                    wheels[0],
                ],
                check=True,
            )
            with open(stamp, "w") as f:
                f.write(key)
        return {
            "task_root": os.path.join(HERE, "handlers", "python"),
            "layers": [layer],
            "handler": {"bare": "probe.handler"},
            "default_handler": "probe.handler",
        }
    if lang == "node":
        if not glob.glob(os.path.join(ROOT, "bindings-node", "paramsecrets.*.node")):
            raise SystemExit("bindings-node is not built: run make -C bindings-node build")
        task = node_task(os.path.join(BUILD, "node"), os.path.join(HERE, "handlers", "node", "probe.mjs"))
        return {"task_root": task, "layers": [], "handler": {}, "default_handler": "probe.handler"}
    jar = os.path.join(ROOT, "bindings-java", "target", f"paramsecrets-{_version()}.jar")
    if not os.path.exists(jar):
        raise SystemExit(f"no {jar}: run make -C bindings-java jar")
    task = os.path.join(BUILD, "java")
    os.makedirs(os.path.join(task, "lib"), exist_ok=True)
    shutil.copyfile(jar, os.path.join(task, "lib", "paramsecrets.jar"))
    javac = [
        os.path.join(local_lambda.java_home(), "bin", "javac"),
        "-nowarn",
        "--release",
        "17",
        "-d",
        task,
        "-cp",
        f"{task}:{os.path.join(task, 'lib', 'paramsecrets.jar')}",
    ]
    src = os.path.join(HERE, "handlers", "java", "probe")
    subprocess.run([*javac, os.path.join(src, "Bare.java"), os.path.join(src, "Probe.java")], check=True)
    # Apart: a package without prefetch fails only the prefetch probe (its class is then missing).
    stale = os.path.join(task, "probe", "Prefetch.class")
    if os.path.exists(stale):
        os.remove(stale)
    r = subprocess.run(
        [*javac, os.path.join(src, "Prefetch.java")], capture_output=True, text=True, check=False
    )
    if r.returncode != 0:
        print(f"# java: probe/Prefetch.java does not compile against this jar:\n{r.stderr}", file=sys.stderr)
    return {
        "task_root": task,
        "layers": [],
        "handler": {"bare": "probe.Bare::handleRequest", "prefetch": "probe.Prefetch::handleRequest"},
        "default_handler": "probe.Probe::handleRequest",
    }


def node_task(task: str, handler: str) -> str:
    """A Node task root: `handler` copied in, the package linked into its node_modules (what
    `npm install file:../bindings-node` makes)."""
    os.makedirs(os.path.join(task, "node_modules"), exist_ok=True)
    link = os.path.join(task, "node_modules", "paramsecrets")
    if not os.path.islink(link):
        os.symlink(os.path.join(ROOT, "bindings-node"), link)
    shutil.copyfile(handler, os.path.join(task, os.path.basename(handler)))
    return task


def probe(
    lang: str,
    prepared: dict,
    mode: str,
    layers: list[str] | None = None,
    store: str | None = STORE,
    log_path: str | None = None,
) -> local_lambda.LocalLambda:
    """A LocalLambda (not started) running lang's probe in mode, with the emulator layer."""
    handler = prepared["handler"].get(mode, prepared["default_handler"])
    return local_lambda.LocalLambda(
        lang,
        prepared["task_root"],
        handler,
        layers=[*prepared["layers"], *(layers if layers is not None else [emulator_layer()])],
        store=store,
        env={"PROBE_MODE": mode, "AWS_LAMBDA_FUNCTION_NAME": f"probe-{lang}-{mode}"},
        timeout_s=30,
        log_path=log_path,
    )
