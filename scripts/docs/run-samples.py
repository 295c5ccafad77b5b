#!/usr/bin/env python3
"""Run every code sample of the documentation against a real emulator process.

    scripts/docs/run-samples.py [--list] [FILE.md ...]     (default: docs/**/*.md and README.md)

Every fenced block tagged python, js/javascript/mjs, ts/typescript or java is a sample. A
block is left out only by an explicit marker on the line before its fence that says why:

    <!-- sample: skip: calls SSM through boto3, which needs AWS credentials -->

Each sample runs in a fresh process against one `target/debug/paramsecrets-emulator` (extension
dialect, a free port on 127.0.0.1) serving examples/store.json plus scripts/docs/samples-store.json,
with PARAMETERS_SECRETS_EXTENSION_HTTP_PORT and AWS_SESSION_TOKEN set as Lambda sets them:

- python: imported as a module (its module scope runs, as at INIT), then `lambda_handler` or
  `handler`, if it defines one, is called with an event and a context; the locally built wheel
  (bindings-python/dist) and Powertools are installed in a venv under the cache;
- js/ts: written as an ES module (ts transpiled by TypeScript) beside a node_modules that links
  the local bindings-node build, imported with Node 22, then its exported `handler` is awaited;
- java: compiled with the local jar (bindings-java/target) and aws-lambda-java-core, then its
  public class is constructed and, for a RequestHandler, `handleRequest` is called.

A sample fails when its process fails, raises, or its handler returns a string starting with
"failed" (the samples' own way of reporting a caught error). Missing builds are made first
(the wheel, the Node build, the jar, the emulator). Prints one line per sample and a last line
"N passed, N failed, N skipped"; exit 1 when any failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(
    os.environ.get("PARAMSECRETS_CACHE", Path.home() / ".cache" / "paramsecrets")
)
WORK = REPO / "target" / "docs" / "samples"
TOKEN = (
    "docs-samples-token"  # the emulator's expected token: a fixed test value, no secret
)
# Powertools' Parameters imports boto3, which Lambda's Python runtimes ship (the package does not)
POWERTOOLS_PY = ["aws-lambda-powertools==3.37.0", "boto3==1.44.5"]
LAMBDA_CORE = ("com.amazonaws", "aws-lambda-java-core", "1.2.3")
LANGS = {
    "python": "python",
    "py": "python",
    "js": "js",
    "javascript": "js",
    "mjs": "js",
    "ts": "ts",
    "typescript": "ts",
    "java": "java",
}
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*(?P<info>[^\n`]*)$")
SKIP = re.compile(r"^\s*<!--\s*sample:\s*skip\s*:?\s*(?P<why>.*?)\s*-->\s*$")


@dataclass
class Sample:
    file: Path
    line: int
    lang: str
    code: str
    skip: str | None

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(REPO)}:{self.line}"


def extract(path: Path) -> list[Sample]:
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[Sample] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m["indent"], m["fence"]
        lang = (m["info"].split() or [""])[0].lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence)
            and lines[i].strip().strip(fence[0]) == ""
        ):
            body.append(lines[i].removeprefix(indent))
            i += 1
        i += 1
        if lang not in LANGS:
            continue
        skip = None
        prev = lines[start - 1] if start > 0 else ""
        sm = SKIP.match(prev)
        if sm:
            skip = sm["why"]
            if len(skip) < 10:
                raise SystemExit(
                    f"{path.relative_to(REPO)}:{start}: a skip marker must say why the sample "
                    "cannot run (`<!-- sample: skip: REASON -->`)"
                )
        out.append(Sample(path, start + 1, LANGS[lang], "\n".join(body) + "\n", skip))
    return out


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)


def need(cmd: list[str], what: str) -> None:
    print(f"==> samples: building {what}: {' '.join(cmd)}", flush=True)
    p = subprocess.run(cmd, check=False, cwd=REPO)
    if p.returncode != 0:
        raise SystemExit(f"run-samples: building {what} failed ({' '.join(cmd)})")


# ---------------------------------------------------------------------------- the emulator
class Emulator:
    def __init__(self) -> None:
        binary = Path(
            os.environ.get(
                "PARAMSECRETS_EMULATOR", REPO / "target/debug/paramsecrets-emulator"
            )
        )
        if not binary.exists():
            need(
                ["cargo", "build", "-q", "-p", "paramsecrets-emulator"], "the emulator"
            )
        store = json.loads((REPO / "examples/store.json").read_text(encoding="utf-8"))
        extra = json.loads(
            (REPO / "scripts/docs/samples-store.json").read_text(encoding="utf-8")
        )
        for kind in ("parameters", "secrets"):
            store[kind] = store.get(kind, []) + extra.get(kind, [])
        WORK.mkdir(parents=True, exist_ok=True)
        self.store = WORK / "store.json"
        self.store.write_text(json.dumps(store), encoding="utf-8")
        self.proc = subprocess.Popen(
            [str(binary), "--store", str(self.store), "--port", "0", "--token", TOKEN],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on 127.0.0.1:"):
            self.stop()
            raise SystemExit(f"run-samples: the emulator did not start: {line!r}")
        self.port = int(line.split()[2].rsplit(":", 1)[1])

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PARAMSECRETS_", "AWS_", "PARAMETERS_SECRETS_"))
        }
        env.update(
            PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(self.port),
            AWS_SESSION_TOKEN=TOKEN,
            AWS_REGION="us-east-1",
            AWS_DEFAULT_REGION="us-east-1",
            POWERTOOLS_SERVICE_NAME="docs-samples",
        )
        return env

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---------------------------------------------------------------------------- Python
PY_HARNESS = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("sample", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)                     # the module scope, as at INIT
class Context:
    function_name = "docs-sample"
    aws_request_id = "docs-sample-request"
    def get_remaining_time_in_millis(self):
        return 3000
fn = getattr(mod, "lambda_handler", None) or getattr(mod, "handler", None)
if fn is not None:
    result = fn({}, Context())
    print("handler returned:", json.dumps(result, default=str)[:200])
"""


def python_env() -> Path:
    arch = platform.machine()
    wheels = sorted((REPO / "bindings-python/dist").glob(f"paramsecrets-*_{arch}.whl"))
    if not wheels:
        need(["make", "-C", "bindings-python", "wheel"], "the Python wheel")
        wheels = sorted(
            (REPO / "bindings-python/dist").glob(f"paramsecrets-*_{arch}.whl")
        )
    wheel = wheels[-1]
    venv = CACHE / "docs-samples-python"
    digest = hashlib.sha256(
        wheel.read_bytes() + " ".join(POWERTOOLS_PY).encode()
    ).hexdigest()[:16]
    stamp = venv / f".installed-{digest}"
    if not stamp.exists():
        print(
            f"==> samples: a venv with {wheel.name}, {' '.join(POWERTOOLS_PY)} in {venv}",
            flush=True,
        )
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [
                str(venv / "bin/pip"),
                "install",
                "-q",
                "--disable-pip-version-check",
                str(wheel),
                *POWERTOOLS_PY,
            ],
            check=True,
        )
        stamp.touch()
    return venv / "bin/python"


# ---------------------------------------------------------------------------- Node
NODE_HARNESS = """
import { pathToFileURL } from 'node:url'
const mod = await import(pathToFileURL(process.argv[2]).href)  // the module scope, as at INIT
const context = { functionName: 'docs-sample', awsRequestId: 'docs-sample-request', getRemainingTimeInMillis: () => 3000 }
if (typeof mod.handler === 'function') {
  const result = await mod.handler({}, context)
  console.log('handler returned:', JSON.stringify(result ?? null).slice(0, 200))
}
"""

TS_TRANSPILE = """
const ts = require(process.argv[1])
const fs = require('node:fs')
const src = fs.readFileSync(process.argv[2], 'utf8')
const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
fs.writeFileSync(process.argv[3], out.outputText)
"""


def node_env() -> tuple[Path, Path]:
    node_bin = (
        Path(run([str(REPO / "scripts/ensure-node.sh"), "22"]).stdout.strip()) / "node"
    )
    pkg = REPO / "bindings-node"
    if not list(
        pkg.glob(
            f"paramsecrets.linux-{'x64' if platform.machine() == 'x86_64' else 'arm64'}-gnu.node"
        )
    ):
        need(["make", "-C", "bindings-node", "build"], "the Node package")
    root = WORK / "node"
    modules = root / "node_modules"
    modules.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text(
        '{"private":true,"type":"module"}\n', encoding="utf-8"
    )
    links = {"paramsecrets": pkg}
    for scope in ("@aws-lambda-powertools", "@middy"):
        for dep in sorted((pkg / "node_modules" / scope).glob("*")):
            links[f"{scope}/{dep.name}"] = dep
    for name, target in links.items():
        link = modules / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    (root / "harness.mjs").write_text(NODE_HARNESS, encoding="utf-8")
    return node_bin, root


# ---------------------------------------------------------------------------- Java
JAVA_HARNESS = """
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;

public class SampleHarness {
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Object sample = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        if (sample instanceof RequestHandler handler) {
            Object result = handler.handleRequest(new HashMap<String, Object>(), null);
            System.out.println("handler returned: " + result);
        }
    }
}
"""


def java_env() -> tuple[Path, list[Path]]:
    jdk = Path(run([str(REPO / "scripts/ensure-jdk.sh"), "17"]).stdout.strip())
    version = re.search(
        r'^\[workspace\.package\][^\[]*?^version\s*=\s*"([^"]+)"',
        (REPO / "Cargo.toml").read_text(encoding="utf-8"),
        re.MULTILINE | re.DOTALL,
    )[1]
    jar = REPO / f"bindings-java/target/paramsecrets-{version}.jar"
    if not jar.exists():
        need(["make", "-C", "bindings-java", "jar"], "the jar")
    g, a, v = LAMBDA_CORE
    core = Path.home() / f".m2/repository/{g.replace('.', '/')}/{a}/{v}/{a}-{v}.jar"
    if not core.exists():
        need(
            ["mvn", "-q", "dependency:get", f"-Dartifact={g}:{a}:{v}"],
            f"{a} {v} (Maven)",
        )
    return jdk, [jar, core]


# ---------------------------------------------------------------------------- running
def run_sample(s: Sample, n: int, env: dict[str, str], tools: dict) -> tuple[bool, str]:
    d = WORK / s.lang / f"s{n:03d}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    if s.lang == "python":
        f = d / "sample.py"
        f.write_text(s.code, encoding="utf-8")
        cmd = [str(tools["python"]), "-c", PY_HARNESS, str(f)]
    elif s.lang in ("js", "ts"):
        node, root = tools["node"]
        d = root / f"s{n:03d}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        f = d / "sample.mjs"
        if s.lang == "ts":
            src = d / "sample.ts"
            src.write_text(s.code, encoding="utf-8")
            ts = CACHE / "docs-node/node_modules/typescript"
            p = run([str(node), "-e", TS_TRANSPILE, str(ts), str(src), str(f)])
            if p.returncode:
                return False, "TypeScript could not transpile it:\n" + p.stderr
        else:
            f.write_text(s.code, encoding="utf-8")
        cmd = [str(node), str(root / "harness.mjs"), str(f)]
    else:
        jdk, cp = tools["java"]
        m = re.search(r"^public\s+(?:final\s+)?class\s+(\w+)", s.code, re.MULTILINE)
        if not m:
            return False, "no public class: a Java sample must be a whole class"
        (d / f"{m[1]}.java").write_text(s.code, encoding="utf-8")
        (d / "SampleHarness.java").write_text(JAVA_HARNESS, encoding="utf-8")
        classpath = os.pathsep.join([str(d), *map(str, cp)])
        p = run(
            [
                str(jdk / "bin/javac"),
                "-Xlint:all",
                "-Werror",
                "-cp",
                classpath,
                "-d",
                str(d),
                str(d / f"{m[1]}.java"),
                str(d / "SampleHarness.java"),
            ]
        )
        if p.returncode:
            return False, "javac failed:\n" + p.stdout + p.stderr
        cmd = [str(jdk / "bin/java"), "-cp", classpath, "SampleHarness", m[1]]
    p = run(cmd, env=env, cwd=d, timeout=60)
    out = (p.stdout + p.stderr).strip()
    if p.returncode != 0:
        return False, out
    returned = [
        ln for ln in p.stdout.splitlines() if ln.startswith("handler returned:")
    ]
    if not returned:
        return True, "module ran (no handler)"
    value = returned[-1].removeprefix("handler returned:").strip()
    if re.match(r'"?failed', value):
        return False, out
    # What a handler returned may hold a (fake) secret value: show its shape, not its content.
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    if isinstance(parsed, dict):
        return True, f"handler returned an object with {', '.join(sorted(parsed))}"
    return True, f"handler returned {type(parsed).__name__} ({len(str(parsed))} chars)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--list", action="store_true", help="list the samples, run nothing")
    args = ap.parse_args()
    files = [f.resolve() for f in args.files] or [
        *sorted((REPO / "docs").rglob("*.md")),
        REPO / "README.md",
    ]
    samples = [s for f in files for s in extract(f)]
    if args.list:
        for s in samples:
            print(f"{s.where}\t{s.lang}\t{'skip: ' + s.skip if s.skip else 'run'}")
        return 0
    langs = {s.lang for s in samples if not s.skip}
    tools: dict = {}
    if "python" in langs:
        tools["python"] = python_env()
    if langs & {"js", "ts"}:
        tools["node"] = node_env()
    if "java" in langs:
        tools["java"] = java_env()
    emulator = Emulator()
    passed = failed = skipped = 0
    try:
        env = emulator.env()
        for n, s in enumerate(samples):
            if s.skip:
                skipped += 1
                print(f"skip {s.where} ({s.lang}): {s.skip}")
                continue
            t0 = time.monotonic()
            ok, detail = run_sample(s, n, env, tools)
            ms = (time.monotonic() - t0) * 1000
            if ok:
                passed += 1
                print(f"ok   {s.where} ({s.lang}, {ms:.0f} ms): {detail}")
            else:
                failed += 1
                print(f"FAIL {s.where} ({s.lang}, {ms:.0f} ms)")
                print(textwrap.indent(detail[-3000:], "     | "))
    finally:
        emulator.stop()
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
