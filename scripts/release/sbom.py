#!/usr/bin/env python3
"""A CycloneDX 1.5 SBOM per release artefact: RELEASE_DIR/sbom/<artefact>.cdx.json.

    scripts/release/sbom.py RELEASE_DIR

Each artefact's native code is one binding crate built for one target, so its SBOM is that
crate's dependency graph for that target from cargo-cyclonedx (build-time dependencies left out:
they do not ship). The Java Powertools artefact is Java code with Maven dependencies: its SBOM is
cyclonedx-maven-plugin's (runtime scope). The main npm package is JavaScript with no dependency
but its two platform packages: its SBOM names them, and theirs list the Rust code.

The documents are made reproducible: no random serialNumber, and the timestamp is
SOURCE_DATE_EPOCH (else the last commit's time). Every artefact must get one; an artefact this
script does not know is an error, so a new artefact cannot ship without an SBOM.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]
TARGETS = {"x86_64": "x86_64-unknown-linux-gnu", "aarch64": "aarch64-unknown-linux-gnu"}
NPM_TARGETS = {"linux-x64-gnu": "x86_64", "linux-arm64-gnu": "aarch64"}
CRATE_DIRS = [
    "core",
    "emulator",
    "bindings-python",
    "bindings-node",
    "bindings-java",
    "bench/rust",
]


def epoch_iso() -> str:
    epoch = (
        os.environ.get("SOURCE_DATE_EPOCH")
        or subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%ct"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def cargo_sboms(tool: str, target: str) -> dict[str, dict]:
    """cargo-cyclonedx over the workspace for one target: {crate dir: document}."""
    name = f".release-sbom-{target}"
    try:
        subprocess.run(
            [tool, "cyclonedx", "--manifest-path", str(REPO / "Cargo.toml"), "-q"]
            + ["--format", "json", "--spec-version", "1.5", "--no-build-deps"]
            + ["--target", target, "--override-filename", name],
            check=True,
            cwd=REPO,
        )
        return {
            d: json.loads((REPO / d / f"{name}.json").read_text()) for d in CRATE_DIRS
        }
    finally:
        # It writes next to every crate's Cargo.toml: leave the tree as it was.
        for d in CRATE_DIRS:
            (REPO / d / f"{name}.json").unlink(missing_ok=True)


def maven_sbom(pom_dir: pathlib.Path, version: str) -> dict:
    java_home = subprocess.run(
        [str(REPO / "scripts/ensure-jdk.sh"), "17"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "--no-transfer-progress",
                "-Dstyle.color=never",
                f"-Drevision={version}",
            ]
            + [
                "org.cyclonedx:cyclonedx-maven-plugin:2.9.3:makeBom",
                "-DoutputFormat=json",
            ]
            + [
                "-DoutputName=bom",
                "-DincludeTestScope=false",
                "-DincludeProvidedScope=false",
            ]
            + ["-DschemaVersion=1.5", f"-DoutputDirectory={out}"],
            check=False,
            cwd=pom_dir,
            env={**os.environ, "JAVA_HOME": java_home},
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise SystemExit(
                f"sbom.py: cyclonedx-maven-plugin failed in {pom_dir}:\n{run.stdout}{run.stderr}"
            )
        return json.loads((pathlib.Path(out) / "bom.json").read_text())


def npm_main_sbom(version: str) -> dict:
    ref = f"pkg:npm/paramsecrets@{version}"
    platforms = [f"pkg:npm/paramsecrets-{p}@{version}" for p in NPM_TARGETS]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "component": {
                "type": "library",
                "bom-ref": ref,
                "name": "paramsecrets",
                "version": version,
                "purl": ref,
            }
        },
        "components": [
            {
                "type": "library",
                "bom-ref": p,
                "name": p.split("/")[1].split("@")[0],
                "version": version,
                "purl": p,
                "scope": "optional",
            }
            for p in platforms
        ],
        "dependencies": [{"ref": ref, "dependsOn": platforms}],
    }


def finish(doc: dict, artefact: pathlib.Path, timestamp: str) -> dict:
    doc.pop("serialNumber", None)
    meta = doc.setdefault("metadata", {})
    meta["timestamp"] = timestamp
    meta["properties"] = [
        p
        for p in meta.get("properties", [])
        if p.get("name") != "paramsecrets:artefact"
    ] + [{"name": "paramsecrets:artefact", "value": artefact.name}]
    return doc


def main() -> int:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    release = pathlib.Path(sys.argv[1]).resolve()
    version = re.search(
        r'^version = "(.+)"$', (REPO / "Cargo.toml").read_text(), re.M
    ).group(1)
    tool = subprocess.run(
        [str(REPO / "scripts/release/ensure-cargo-cyclonedx.sh")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    by_target = {t: cargo_sboms(tool, t) for t in [*TARGETS.values(), "all"]}

    plan: dict[pathlib.Path, dict] = {}
    for artefact in sorted(release.rglob("*")):
        if (
            not artefact.is_file()
            or artefact.parent.name == "sbom"
            or artefact.name == "SHA256SUMS"
        ):
            continue
        rel, name = artefact.relative_to(release).as_posix(), artefact.name
        if rel.startswith("python/") and name.endswith(".whl"):
            arch = next(a for a in TARGETS if name.endswith(f"_{a}.whl"))
            plan[artefact] = by_target[TARGETS[arch]]["bindings-python"]
        elif rel.startswith("python/") and name.endswith(".tar.gz"):
            plan[artefact] = by_target["all"]["bindings-python"]
        elif rel.startswith("npm/") and name == f"paramsecrets-{version}.tgz":
            plan[artefact] = npm_main_sbom(version)
        elif rel.startswith("npm/") and name.endswith(".tgz"):
            platform = next(
                p for p in NPM_TARGETS if name.startswith(f"paramsecrets-{p}-")
            )
            plan[artefact] = by_target[TARGETS[NPM_TARGETS[platform]]]["bindings-node"]
        elif rel.startswith("maven/") and name == f"paramsecrets-{version}.jar":
            # Both native libraries are in the jar: every target's dependencies.
            plan[artefact] = by_target["all"]["bindings-java"]
        elif (
            rel.startswith("maven/")
            and name == f"paramsecrets-powertools-{version}.jar"
        ):
            plan[artefact] = maven_sbom(REPO / "bindings-java/powertools", version)
        elif rel.startswith("maven/") and (
            re.search(
                r"-(sources|javadoc)\.jar$|\.(pom|asc|md5|sha1|sha256|sha512|zip)$",
                name,
            )
            or name.endswith(".asc.txt")
            or "public" in name
        ):
            continue  # not code that runs: sources, docs, metadata, signatures, checksums
        else:
            print(f"sbom.py: no SBOM rule for {rel}; add one", file=sys.stderr)
            return 1
    if not plan:
        print(f"sbom.py: no artefact in {release}", file=sys.stderr)
        return 1

    timestamp = epoch_iso()
    out = release / "sbom"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    for artefact, doc in plan.items():
        path = out / f"{artefact.name}.cdx.json"
        text = json.dumps(
            finish(json.loads(json.dumps(doc)), artefact, timestamp), indent=2
        )
        path.write_text(text + "\n")
        print(
            f"sbom: {path.relative_to(release)} ({len(doc.get('components', []))} components)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
