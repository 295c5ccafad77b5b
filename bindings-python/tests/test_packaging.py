"""The built wheel: size, platform tag, GLIBC floor, and a clean install into a fresh venv
that reads from the emulator."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import TOKEN

DIST = Path(__file__).resolve().parents[1] / "dist"
#: The wheels for both architectures sit side by side in dist/ (`make arm64` adds aarch64):
#: the tests take the one for the machine they run on.
MACHINE = platform.machine()


@pytest.fixture(scope="module")
def wheel() -> Path:
    wheels = sorted(DIST.glob(f"paramsecrets-*_{MACHINE}.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        pytest.fail(f"no {MACHINE} wheel in {DIST}: run `make -C bindings-python wheel`")
    return wheels[-1]


def test_wheel_is_abi3_manylinux_2_17_and_small(wheel):
    assert "-cp310-abi3-" in wheel.name
    assert wheel.name.endswith(f"-manylinux2014_{MACHINE}.manylinux_2_17_{MACHINE}.whl"), wheel.name
    assert wheel.stat().st_size <= 3 * 1024 * 1024, wheel.stat().st_size
    names = zipfile.ZipFile(wheel).namelist()
    for f in (
        "paramsecrets/__init__.py",
        "paramsecrets/__init__.pyi",
        "paramsecrets/_native.pyi",
        "paramsecrets/exceptions.py",
        "paramsecrets/py.typed",
    ):
        assert f in names, names
    assert any(re.fullmatch(r"paramsecrets/_native\.abi3\.so", n) for n in names), names


def test_the_shipped_library_needs_at_most_glibc_2_17(wheel, tmp_path):
    zf = zipfile.ZipFile(wheel)
    so = next(n for n in zf.namelist() if n.endswith(".so"))
    path = Path(zf.extract(so, tmp_path))
    out = subprocess.run(
        ["objdump", "-T", str(path)], check=True, capture_output=True, text=True
    ).stdout
    versions = {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_([0-9.]+)", out)}
    assert versions
    assert max(versions) <= (2, 17), max(versions)


def test_installs_into_a_fresh_venv_and_reads(wheel, tmp_path, emulator):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", str(wheel)], check=True)
    script = (
        "import paramsecrets, sys\n"
        "c = paramsecrets.Client(endpoint=sys.argv[1], token=sys.argv[2])\n"
        "print(c.get_parameter('/app/plain'), paramsecrets.__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(py), "-c", script, emulator.endpoint, TOKEN],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout
    value, location = out.split()
    assert value == "hello"
    assert location.startswith(str(venv))
    assert emulator.requests("parameter:/app/plain") == 1
