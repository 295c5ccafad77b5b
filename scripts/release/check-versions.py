#!/usr/bin/env python3
"""One version, one place: the Cargo workspace version is the version of every artefact.

    scripts/release/check-versions.py [RELEASE_DIR]

Checks the sources that cannot derive it (the npm package.json files, CHANGELOG.md) and, when a
release folder is given, what each built artefact says about itself: the wheels' and the sdist's
metadata, each npm tarball's package.json (and the main package's optionalDependencies), each
POM in the Maven bundle. Prints one line per disagreement and exits 1 if there is any.
"""

import io
import json
import pathlib
import re
import sys
import tarfile
import tomllib
import xml.etree.ElementTree as ET
import zipfile

REPO = pathlib.Path(__file__).resolve().parents[2]
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def workspace_version() -> str:
    cargo = tomllib.loads((REPO / "Cargo.toml").read_text(encoding="utf-8"))
    return cargo["workspace"]["package"]["version"]


def npm_manifest_problems(where: str, manifest: dict, version: str) -> list[str]:
    problems = []
    if manifest.get("version") != version:
        problems.append(f"{where}: version {manifest.get('version')!r}")
    for dep, wanted in manifest.get("optionalDependencies", {}).items():
        if dep.startswith("paramsecrets-") and wanted != version:
            problems.append(f"{where}: optionalDependencies[{dep}] {wanted!r}")
    return problems


def source_problems(version: str) -> list[str]:
    problems = []
    node = REPO / "bindings-node"
    for manifest in [node / "package.json", *sorted(node.glob("npm/*/package.json"))]:
        where = str(manifest.relative_to(REPO))
        problems += npm_manifest_problems(
            where, json.loads(manifest.read_text()), version
        )
    changelog_path = REPO / "CHANGELOG.md"
    changelog = (
        changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else ""
    )
    if not re.search(
        rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M
    ):
        problems.append(f"CHANGELOG.md: no '## [{version}] - YYYY-MM-DD' section")
    # The coordinates users copy from the README's quick start.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for label, found in (
        (
            "the Maven <dependency>",
            re.findall(
                r"<artifactId>paramsecrets</artifactId>\s*<version>([^<]+)</version>",
                readme,
            ),
        ),
        (
            "the Gradle coordinates",
            re.findall(r'"dev\.paramsecrets:paramsecrets:([^"]+)"', readme),
        ),
    ):
        if not found:
            problems.append(f"README.md: no {label}")
        problems += [f"README.md: {label} say {v!r}" for v in found if v != version]
    return problems


def python_problems(folder: pathlib.Path, version: str) -> list[str]:
    problems, found = [], 0
    for wheel in sorted(folder.glob("*.whl")):
        found += 1
        with zipfile.ZipFile(wheel) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            got = re.search(r"^Version: (.+)$", zf.read(meta).decode(), re.M).group(1)
        if got != version:
            problems.append(f"{wheel.name}: METADATA Version {got!r}")
    for sdist in sorted(folder.glob("*.tar.gz")):
        found += 1
        with tarfile.open(sdist) as tf:
            member = next(
                m
                for m in tf.getmembers()
                if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")
            )
            got = re.search(
                r"^Version: (.+)$", tf.extractfile(member).read().decode(), re.M
            ).group(1)
        if got != version:
            problems.append(f"{sdist.name}: PKG-INFO Version {got!r}")
    return problems if found else [f"{folder}: no wheel or sdist"]


def npm_problems(folder: pathlib.Path, version: str) -> list[str]:
    problems, tarballs = [], sorted(folder.glob("*.tgz"))
    for tgz in tarballs:
        with tarfile.open(tgz) as tf:
            manifest = json.load(tf.extractfile("package/package.json"))
        problems += npm_manifest_problems(tgz.name, manifest, version)
    return problems if tarballs else [f"{folder}: no npm tarball"]


def maven_problems(folder: pathlib.Path, version: str) -> list[str]:
    problems, poms = [], sorted(folder.rglob("*.pom"))
    for pom in poms:
        got = ET.parse(pom).getroot().findtext("m:version", namespaces=POM_NS)
        if got != version or f"/{version}/" not in pom.as_posix():
            problems.append(f"{pom.relative_to(folder)}: <version> {got!r}")
    for bundle in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(bundle) as zf:
            for name in (n for n in zf.namelist() if n.endswith(".pom")):
                root = ET.parse(io.BytesIO(zf.read(name))).getroot()
                got = root.findtext("m:version", namespaces=POM_NS)
                if got != version:
                    problems.append(f"{bundle.name}!{name}: <version> {got!r}")
    return problems if poms else [f"{folder}: no POM"]


def main() -> int:
    version = workspace_version()
    problems = source_problems(version)
    if len(sys.argv) > 1:
        release = pathlib.Path(sys.argv[1])
        problems += python_problems(release / "python", version)
        problems += npm_problems(release / "npm", version)
        problems += maven_problems(release / "maven", version)
    for problem in problems:
        print(
            f"check-versions: {problem}, but the Cargo workspace version is {version!r}"
        )
    if not problems:
        print(f"check-versions: every version is {version}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
