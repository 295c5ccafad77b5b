"""Check the Python release folder before anything is uploaded.

    python check.py RELEASE_DIR          (the release-tools venv's python: ensure-tools.sh)

RELEASE_DIR must hold exactly the sdist and the two manylinux2014 abi3 wheels (x86_64, aarch64)
of the Cargo workspace version. Checks: `twine check --strict` on all three; `auditwheel show`
on each wheel reports a manylinux tag of glibc <= 2.17 for the wheel's architecture; `abi3audit
--strict` finds no abi3 violation; each wheel's native library is an ELF of its architecture;
both wheels carry the same Python files and metadata (an aarch64 wheel left from older sources
shows here); the sdist carries the core crate and the lock file it builds from. Prints one line
per failed check and exits 1 if there is any.
"""

import hashlib
import pathlib
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile

REPO = pathlib.Path(__file__).resolve().parents[3]
BIN = pathlib.Path(sys.executable).parent
ELF_MACHINE = {"x86_64": 62, "aarch64": 183}  # e_machine: EM_X86_64, EM_AARCH64
SDIST_MEMBERS = (
    "pyproject.toml",
    "PKG-INFO",
    "Cargo.toml",
    "Cargo.lock",
    "core/Cargo.toml",
    "core/src/lib.rs",
    "bindings-python/Cargo.toml",
    "bindings-python/src/lib.rs",
    "python/paramsecrets/__init__.py",
)


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def wheel_name(version: str, arch: str) -> str:
    return f"paramsecrets-{version}-cp310-abi3-manylinux2014_{arch}.manylinux_2_17_{arch}.whl"


def check_wheel(path: pathlib.Path, arch: str) -> list[str]:
    problems = []
    show = run(str(BIN / "auditwheel"), "show", str(path))
    text = " ".join(show.stdout.split())
    tag = re.search(
        r'is consistent with the following platform tag: "(manylinux_2_(\d+)_(\w+))"',
        text,
    )
    if show.returncode != 0 or not tag:
        problems.append(
            f"{path.name}: auditwheel show gave no platform tag: {text or show.stderr.strip()}"
        )
    elif tag.group(3) != arch or int(tag.group(2)) > 17:
        problems.append(
            f"{path.name}: auditwheel show: {tag.group(1)}, "
            f"not manylinux2014 (manylinux_2_17_{arch})"
        )
    else:
        print(
            f"  auditwheel show: {path.name}: {tag.group(1)} (manylinux2014 compatible)"
        )
    audit = run(str(BIN / "abi3audit"), "--strict", "--summary", str(path))
    summary = " ".join((audit.stdout + audit.stderr).split())
    if (
        audit.returncode != 0
        or "0 ABI version mismatches and 0 ABI violations" not in summary
    ):
        problems.append(f"{path.name}: abi3audit --strict failed: {summary}")
    else:
        print(
            f"  abi3audit --strict: {path.name}: 0 ABI version mismatches, 0 ABI violations"
        )
    with zipfile.ZipFile(path) as whl:
        libs = [n for n in whl.namelist() if n.endswith(".so")]
        if libs != ["paramsecrets/_native.abi3.so"]:
            problems.append(
                f"{path.name}: native libraries {libs}, not paramsecrets/_native.abi3.so"
            )
        else:
            head = whl.read(libs[0])[:20]
            machine = int.from_bytes(head[18:20], "little")
            if head[:4] != b"\x7fELF" or machine != ELF_MACHINE[arch]:
                problems.append(
                    f"{path.name}: {libs[0]} is not an {arch} ELF (e_machine {machine})"
                )
    return problems


def python_files(path: pathlib.Path) -> dict[str, str]:
    """sha256 of everything but the native library, RECORD and the SBOM (which name the build)."""
    with zipfile.ZipFile(path) as whl:
        return {
            n: hashlib.sha256(whl.read(n)).hexdigest()
            for n in whl.namelist()
            if not n.endswith((".so", "/RECORD", "/WHEEL")) and "/sboms/" not in n
        }


def main(folder: pathlib.Path) -> list[str]:
    version = tomllib.loads((REPO / "Cargo.toml").read_text())["workspace"]["package"][
        "version"
    ]
    sdist = folder / f"paramsecrets-{version}.tar.gz"
    wheels = {arch: folder / wheel_name(version, arch) for arch in ELF_MACHINE}
    wanted = {sdist, *wheels.values()}
    present = set(folder.glob("paramsecrets-*"))
    problems = [f"{folder}: missing {p.name}" for p in sorted(wanted - present)]
    problems += [f"{folder}: unexpected {p.name}" for p in sorted(present - wanted)]
    if problems:
        return problems

    twine = run(str(BIN / "twine"), "check", "--strict", *map(str, sorted(wanted)))
    if twine.returncode != 0:
        problems.append(
            "twine check --strict failed: "
            + " ".join((twine.stdout + twine.stderr).split())
        )
    else:
        print(f"  twine check --strict: {len(wanted)} files PASSED")
    for arch, path in wheels.items():
        problems += check_wheel(path, arch)

    a, b = (python_files(wheels[arch]) for arch in ELF_MACHINE)
    if a != b:
        differ = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
        problems.append(
            f"the aarch64 and x86_64 wheels differ in {', '.join(differ)}: "
            "the aarch64 wheel is from other sources; run `make arm64` again"
        )

    with tarfile.open(sdist) as tar:
        names = set(tar.getnames())
    top = f"paramsecrets-{version}/"
    missing = [m for m in SDIST_MEMBERS if top + m not in names]
    if missing:
        problems.append(f"{sdist.name}: lacks {', '.join(missing)}")
    else:
        print(
            f"  sdist: {sdist.name} carries the workspace manifest, Cargo.lock and core/"
        )
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    found = main(pathlib.Path(sys.argv[1]))
    for line in found:
        print(f"FAIL: {line}", file=sys.stderr)
    sys.exit(1 if found else 0)
