#!/usr/bin/env python3
"""Checks the layer zips in dist/layers/ the way Lambda would use them.

    scripts/layers/check.py [--arch x86_64|arm64] [--layers DIR] [python] [nodejs] [java] [emulator]

(default: the three package layers; `emulator` is the emulator's extension layer,
paramsecrets-emulator-extension-<arch>.zip.) For each zip: unpack it into an empty folder, then
  - layout: only the runtime's top-level folder (python/, nodejs/node_modules/paramsecrets/ and
    nodejs/node_modules/paramsecrets-<platform>/,
    java/lib/paramsecrets-<v>.jar; extensions/paramsecrets-emulator, mode 0755) and the
    package's own files in it;
  - native code: every shared object (and the extension's executable) inside is an ELF for the
    zip's architecture and needs no glibc newer than the oldest Lambda runtime the layer is for;
  - use (host architecture only): a fresh process whose only route to the package is that folder
    (Python: the folder on sys.path with site-packages off; Node: NODE_PATH, as Lambda sets it;
    Java: the folder's jar on the class path) builds a client from the Lambda environment and
    reads a parameter and a secret from a real emulator, which must count exactly those requests;
    the extension's emulator, started from the folder, serves a parameter.

Prints one line per check; exits 1 on the first failure. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "layer-check-token"  # not a secret: loopback only, shared with the child process
PARAMETER = ("/layercheck/app/config", '{"pool":4}')
SECRET = ("layercheck/db", "layer-check-fixture-value")

# The oldest glibc among the Lambda runtimes each layer is for: python3.10/3.11 run on Amazon
# Linux 2 (2.26); nodejs20.x+ and java25 on Amazon Linux 2023 (2.34).
GLIBC_FLOOR = {"python": (2, 26), "nodejs": (2, 34), "java": (2, 34)}
# The extension goes with any runtime. The aarch64 emulator is linked for glibc 2.17 like the
# aarch64 packages (scripts/arm64/build.sh); the x86_64 one is this machine's cargo build
# (Amazon Linux 2023's 2.34 at most).
EMULATOR_GLIBC_FLOOR = {"x86_64": (2, 34), "arm64": (2, 17)}
EXTENSION = "extensions/paramsecrets-emulator"
KINDS = ("python", "nodejs", "java", "emulator")
ELF_MACHINE = {"x86_64": 62, "arm64": 183}  # e_machine: EM_X86_64, EM_AARCH64
HOST_ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}.get(platform.machine())

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class CheckFailed(Exception):
    pass


def ok(msg: str) -> None:
    print(f"ok   {msg}", flush=True)


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text()
    m = re.search(r'\[workspace\.package\][^\[]*?\nversion\s*=\s*"([^"]+)"', text)
    if not m:
        raise CheckFailed("no [workspace.package] version in Cargo.toml")
    return m.group(1)


# ------------------------------------------------------------------------------------------
# Layout and native code


def zip_name(kind: str, arch: str) -> str:
    return f"paramsecrets-{'emulator-extension' if kind == 'emulator' else kind}-{arch}.zip"


def expected_extension_layout(z: zipfile.ZipFile) -> None:
    files = [i for i in z.infolist() if not i.filename.endswith("/")]
    if [i.filename for i in files] != [EXTENSION]:
        raise CheckFailed(f"files {[i.filename for i in files]}, want only {EXTENSION}")
    mode = (files[0].external_attr >> 16) & 0o777
    if mode != 0o755:
        raise CheckFailed(f"{EXTENSION} has mode {mode:o}, want 755 (Lambda starts it)")


def expected_layout(kind: str, names: list[str], version: str, arch: str) -> None:
    tops = {n.split("/", 1)[0] for n in names}
    want_top = {"python": "python", "nodejs": "nodejs", "java": "java"}[kind]
    if tops != {want_top}:
        raise CheckFailed(f"top-level entries {sorted(tops)}, want only {want_top}/")
    files = [n for n in names if not n.endswith("/")]
    if kind == "python":
        need = ["python/paramsecrets/__init__.py"]
        if not any(re.fullmatch(r"python/paramsecrets-[^/]+\.dist-info/RECORD", f) for f in files):
            raise CheckFailed("no python/paramsecrets-*.dist-info/RECORD (not an installed wheel)")
        stray = [f for f in files if not re.match(r"python/paramsecrets(/|-[^/]+\.dist-info/)", f)]
    elif kind == "nodejs":
        # The npm layout: the main package (JavaScript only) and the one platform package that
        # npm would pick for this architecture, holding the native module.
        triple = {"x86_64": "linux-x64-gnu", "arm64": "linux-arm64-gnu"}[arch]
        base = "nodejs/node_modules/paramsecrets/"
        platform_base = f"nodejs/node_modules/paramsecrets-{triple}/"
        addon = platform_base + f"paramsecrets.{triple}.node"
        need = [base + "package.json", platform_base + "package.json", addon]
        stray = [f for f in files if not f.startswith((base, platform_base))]
        addons = [f for f in files if f.endswith(".node")]
        if addons != [addon]:
            raise CheckFailed(f"native modules {addons}, want exactly {addon}")
    else:
        need = [f"java/lib/paramsecrets-{version}.jar"]
        stray = [f for f in files if f not in need]
    missing = [n for n in need if n not in files]
    if missing or stray:
        raise CheckFailed(f"missing {missing}, unexpected {stray[:5]}")


def elf_machine(path: Path) -> int:
    head = path.read_bytes()[:20]
    if head[:4] != b"\x7fELF":
        raise CheckFailed(f"{path.name} is not an ELF file")
    return int.from_bytes(head[18:20], "little")


def glibc_floor(path: Path) -> tuple[int, ...]:
    # readelf reads any architecture's ELF (the host's objdump may know only its own): the
    # version-needs section lists every GLIBC_x.y the library asks for.
    out = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=True).stdout
    versions = {tuple(int(x) for x in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+)", out)}
    return max(versions) if versions else (0,)


def check_native(kind: str, tree: Path, arch: str) -> None:
    libs: list[tuple[str, Path]] = []
    for p in sorted(tree.rglob("*")):
        if p.suffix in (".so", ".node") and p.is_file():
            libs.append((str(p.relative_to(tree)), p))
        elif p.suffix == ".jar":
            with zipfile.ZipFile(p) as jar:
                for name in jar.namelist():
                    if name.endswith(".so"):
                        dest = tree.parent / "jar-native" / name
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(jar.read(name))
                        libs.append((f"{p.name}!/{name}", dest))
    jar_arch_dir = {"x86_64": "linux-x86-64/", "arm64": "linux-aarch64/"}[arch]
    if kind == "emulator":
        libs = [(EXTENSION, tree / EXTENSION)]
    if kind == "java":
        # The jar may carry other architectures too; this zip needs its own.
        libs = [(n, p) for n, p in libs if f"!/{jar_arch_dir}" in n]
    if not libs:
        raise CheckFailed(f"no native library for {arch}")
    floor = EMULATOR_GLIBC_FLOOR[arch] if kind == "emulator" else GLIBC_FLOOR[kind]
    for name, path in libs:
        machine = elf_machine(path)
        if machine != ELF_MACHINE[arch]:
            raise CheckFailed(f"{name}: ELF machine {machine}, want {ELF_MACHINE[arch]} ({arch})")
        got = glibc_floor(path)
        if got > floor:
            raise CheckFailed(f"{name} needs GLIBC_{'.'.join(map(str, got))}, newer than {'.'.join(map(str, floor))}")
        ok(f"{kind}-{arch}: {name} is {arch}; newest glibc symbol GLIBC_{'.'.join(map(str, got))} (limit {'.'.join(map(str, floor))})")


# ------------------------------------------------------------------------------------------
# Use, against a real emulator


class Emulator:
    def __init__(self, tmp: Path, exe: str | None = None):
        store = tmp / "store.json"
        store.write_text(
            json.dumps(
                {
                    "parameters": [{"name": PARAMETER[0], "value": PARAMETER[1]}],
                    "secrets": [{"name": SECRET[0], "string": SECRET[1]}],
                }
            )
        )
        exe = exe or os.environ.get("PARAMSECRETS_EMULATOR", str(ROOT / "target/debug/paramsecrets-emulator"))
        if not os.access(exe, os.X_OK):
            raise CheckFailed(f"no emulator at {exe} (make emulator)")
        self.proc = subprocess.Popen(
            [exe, "--store", str(store), "--port", "0", "--token", TOKEN],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        m = re.match(r"listening on 127\.0\.0\.1:(\d+) ", line)
        if not m:
            self.stop()
            raise CheckFailed(f"emulator said {line!r}")
        self.port = int(m.group(1))

    def _call(self, path: str, method: str = "GET") -> dict:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        with _NO_PROXY.open(req, timeout=5) as r:
            return json.loads(r.read())

    def stats(self) -> dict:
        return self._call("/_emulator/stats")

    def reset(self) -> None:
        self._call("/_emulator/reset", "POST")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# Each program prints one JSON line: where the package was loaded from and what it read. The
# secret is compared in the child, so its value is never printed.
PY_PROGRAM = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import paramsecrets
c = paramsecrets.Client()
print(json.dumps({"from": paramsecrets.__file__, "parameter": c.get_parameter(sys.argv[2]),
                  "secret_matches": c.get_secret(sys.argv[3]) == sys.argv[4]}))
"""

NODE_PROGRAM = r"""
const where = require.resolve('paramsecrets')
const { Client } = require('paramsecrets')
const [name, secretId, expected] = process.argv.slice(1)
const c = new Client()
;(async () => {
  const parameter = await c.getParameter(name)
  const secret = await c.getSecret(secretId)
  console.log(JSON.stringify({ from: where, parameter, secret_matches: secret === expected }))
})().catch((e) => { console.error(`${e.code}: ${e.message}`); process.exit(1) })
"""

JAVA_PROGRAM = r"""
import dev.paramsecrets.Client;

public class LayerCheck {
    public static void main(String[] args) throws Exception {
        String where = Client.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        try (Client c = Client.fromEnv()) {
            String parameter = c.getParameter(args[0]);
            boolean matches = c.getSecret(args[1]).equals(args[2]);
            System.out.println("{\"from\": \"" + where + "\", \"parameter\": \""
                    + parameter.replace("\"", "\\\"") + "\", \"secret_matches\": " + matches + "}");
        }
    }
}
"""


def tool_path(script: Path, *args: str) -> str:
    """What one of the project's ensure/locate scripts prints (it installs into the cache)."""
    out = subprocess.run([str(script), *args], check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise CheckFailed(out.stderr.strip())
    return out.stdout.strip()


def java_home() -> str:
    return tool_path(ROOT / "bindings-java/scripts/java-home.sh")


def lambda_env(port: int, extra: dict[str, str]) -> dict[str, str]:
    """What a function's process gets from Lambda and the extension layer: nothing of this
    machine's package paths."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "AWS_SESSION_TOKEN": TOKEN,
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(port),
        "AWS_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "layer-check",
    }
    env.update(extra)
    return env


def check_extension_use(tree: Path) -> None:
    """The emulator as Lambda would start it from /opt/extensions: it starts and serves."""
    exe = tree / EXTENSION
    own = Emulator(tree.parent, str(exe))
    try:
        req = urllib.request.Request(
            f"http://127.0.0.1:{own.port}/systemsmanager/parameters/get?name={PARAMETER[0]}",
            headers={"X-Aws-Parameters-Secrets-Token": TOKEN},
        )
        with _NO_PROXY.open(req, timeout=30) as r:
            got = json.loads(r.read())["Parameter"]["Value"]
        if got != PARAMETER[1]:
            raise CheckFailed(f"the layer's emulator answered {got!r}")
    finally:
        own.stop()
    ok(f"emulator: {EXTENSION} from the unpacked layer starts and serves a parameter")


def check_use(kind: str, tree: Path, emulator: Emulator, version: str) -> None:
    emulator.reset()
    scratch = tree.parent / "cwd"  # an empty working directory: nothing to find next to the program
    scratch.mkdir(exist_ok=True)
    args = [PARAMETER[0], SECRET[0], SECRET[1]]
    if kind == "python":
        site = tree / "python"
        cmd = [sys.executable, "-I", "-S", "-c", PY_PROGRAM, str(site), *args]
        env = lambda_env(emulator.port, {})
    elif kind == "nodejs":
        # Lambda's oldest Node runtime (nodejs22.x), never whatever `node` is on this PATH.
        node = Path(tool_path(ROOT / "scripts/ensure-node.sh", "22")) / "node"
        cmd = [str(node), "-e", NODE_PROGRAM, *args]
        env = lambda_env(emulator.port, {"NODE_PATH": str(tree / "nodejs/node_modules")})
    else:
        src = scratch / "LayerCheck.java"
        src.write_text(JAVA_PROGRAM)
        jdk = java_home()
        cmd = [f"{jdk}/bin/java", "--enable-native-access=ALL-UNNAMED", "-cp", str(tree / "java/lib/*"), str(src), *args]
        env = lambda_env(emulator.port, {"JAVA_HOME": jdk})
    out = subprocess.run(cmd, check=False, cwd=scratch, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise CheckFailed(f"{kind} program failed ({out.returncode}): {out.stderr.strip()[-800:]}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    if not Path(got["from"]).resolve().is_relative_to(tree.resolve()):
        raise CheckFailed(f"the package was loaded from {got['from']}, not from the unpacked layer")
    if got["parameter"] != PARAMETER[1] or got["secret_matches"] is not True:
        raise CheckFailed(f"read {got['parameter']!r} (secret matches: {got['secret_matches']})")
    stats = emulator.stats()
    keys = stats.get("keys", {})
    if stats.get("requests") != 2 or keys.get(f"parameter:{PARAMETER[0]}", {}).get("requests") != 1:
        raise CheckFailed(f"the emulator counted {stats}, want one request per key")
    ok(f"{kind}: loaded from the unpacked layer ({Path(got['from']).relative_to(tree.resolve())}), read both values, 2 requests at the emulator")


# ------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default=HOST_ARCH or "x86_64", choices=["x86_64", "arm64"])
    ap.add_argument("--layers", type=Path, default=ROOT / "dist/layers")
    ap.add_argument("kinds", nargs="*", help="python, nodejs, java, emulator (default: the first three)")
    a = ap.parse_args()
    kinds = a.kinds or ["python", "nodejs", "java"]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        ap.error(f"unknown layer(s) {unknown}: {', '.join(KINDS)}")
    version = workspace_version()
    runnable = a.arch == HOST_ARCH
    with tempfile.TemporaryDirectory(prefix="paramsecrets-layer-check.") as tmp_s:
        tmp = Path(tmp_s)
        packages = [k for k in kinds if k != "emulator"]
        emulator = Emulator(tmp) if runnable and packages else None
        try:
            for kind in kinds:
                zpath = a.layers / zip_name(kind, a.arch)
                if not zpath.is_file():
                    built_by = "make arm64" if kind == "emulator" and a.arch == "arm64" else "make layers"
                    raise CheckFailed(f"no {zpath} ({built_by})")
                work = tmp / kind
                tree = work / "opt"  # stands for /opt: the zip's contents land directly in it
                tree.mkdir(parents=True)
                with zipfile.ZipFile(zpath) as z:
                    names = z.namelist()
                    if kind == "emulator":
                        expected_extension_layout(z)
                    else:
                        expected_layout(kind, names, version, a.arch)
                    z.extractall(tree)
                if kind == "emulator":
                    # zipfile does not restore modes; Lambda's unpacking does (checked above).
                    (tree / EXTENSION).chmod(0o755)
                ok(f"{zpath.name}: {len([n for n in names if not n.endswith('/')])} files in Lambda's {kind} layout")
                check_native(kind, tree, a.arch)
                if runnable and kind == "emulator":
                    check_extension_use(tree)
                elif emulator:
                    check_use(kind, tree, emulator, version)
                else:
                    print(f"note {kind}-{a.arch}: not run here (host is {HOST_ARCH}); layout and ELF checked")
        except CheckFailed as e:
            print(f"FAIL {e}", flush=True)
            return 1
        finally:
            if emulator:
                emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
