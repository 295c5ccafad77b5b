#!/usr/bin/env python3
"""The Maven Central side of the Java release: what Central requires of a component, checked.

    central.py bundle STAGING RELEASE_DIR   the deployed staging repository -> RELEASE_DIR:
                                            dev/paramsecrets/... (Maven layout) and one Central
                                            Portal bundle zip; every check below must pass
    central.py check-pom [--version V] POM...
                                            a POM has what Central requires (name, description,
                                            url, licenses with url, developers, scm) and no
                                            unresolved ${...}; its version is V (default: the
                                            Cargo workspace version)
    central.py same-jars DIR_A DIR_B        two release folders hold byte-identical jars and POMs

Each failure is one line on stderr; the exit status is 1 if there is any.
"""

import hashlib
import io
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
import zipfile

REPO = pathlib.Path(__file__).resolve().parents[3]
NS = {"m": "http://maven.apache.org/POM/4.0.0"}
GROUP = "dev.paramsecrets"
# artifactId -> (Automatic-Module-Name, entries the jar must hold)
ARTIFACTS = {
    "paramsecrets": (
        "dev.paramsecrets",
        ["linux-x86-64/libparamsecrets_java.so", "linux-aarch64/libparamsecrets_java.so"],
    ),
    "paramsecrets-powertools": ("dev.paramsecrets.powertools", []),
}
CHECKSUMS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
CLASS_MAJOR = 61  # --release 17


def workspace_version() -> str:
    cargo = tomllib.loads((REPO / "Cargo.toml").read_text(encoding="utf-8"))
    return cargo["workspace"]["package"]["version"]


def pom_problems(where: str, data: bytes, version: str) -> list[str]:
    problems = []
    text = data.decode("utf-8")
    if "${" in text:
        problems.append(f"{where}: unresolved {sorted(set(re.findall(r'[$][{][^}]*[}]', text)))}")
    root = ET.fromstring(data)

    def text_of(path: str) -> str:
        return (root.findtext(path, namespaces=NS) or "").strip()

    if text_of("m:groupId") != GROUP:
        problems.append(f"{where}: groupId {text_of('m:groupId')!r}, not {GROUP!r}")
    if text_of("m:version") != version:
        problems.append(
            f"{where}: version {text_of('m:version')!r}, but the Cargo workspace version is {version!r}"
        )
    for path in ("m:artifactId", "m:name", "m:description", "m:url", "m:scm/m:url", "m:scm/m:connection"):
        if not text_of(path):
            problems.append(f"{where}: no <{path.replace('m:', '')}>")
    licenses = root.findall("m:licenses/m:license", NS)
    if not licenses or not all(
        (lic.findtext("m:name", namespaces=NS) or "").strip() and (lic.findtext("m:url", namespaces=NS) or "").strip()
        for lic in licenses
    ):
        problems.append(f"{where}: <licenses> needs a <license> with <name> and <url>")
    developers = root.findall("m:developers/m:developer", NS)
    if not developers or not all((d.findtext("m:name", namespaces=NS) or "").strip() for d in developers):
        problems.append(f"{where}: <developers> needs a <developer> with <name>")
    return problems


def jar_problems(where: str, jar: pathlib.Path, module: str, required: list[str]) -> list[str]:
    problems = []
    with zipfile.ZipFile(jar) as zf:
        names = set(zf.namelist())
        manifest = zf.read("META-INF/MANIFEST.MF").decode("utf-8")
        if f"Automatic-Module-Name: {module}" not in manifest.splitlines():
            problems.append(f"{where}: manifest has no 'Automatic-Module-Name: {module}'")
        for entry in required:
            if entry not in names:
                problems.append(f"{where}: no {entry}")
        for name in sorted(n for n in names if n.endswith(".class")):
            major = int.from_bytes(zf.read(name)[6:8], "big")
            if major != CLASS_MAJOR:
                problems.append(f"{where}: {name} has class file version {major}, not {CLASS_MAJOR}")
    return problems


def bundle(staging: pathlib.Path, release: pathlib.Path) -> int:
    version = workspace_version()
    problems = []
    # Central wants no maven-metadata.xml (it writes its own): drop them and their checksums.
    for meta in staging.rglob("maven-metadata.xml*"):
        meta.unlink()
    for artifact, (module, required) in ARTIFACTS.items():
        folder = staging / GROUP.replace(".", "/") / artifact / version
        base = f"{artifact}-{version}"
        wanted = [f"{base}.jar", f"{base}.pom", f"{base}-sources.jar", f"{base}-javadoc.jar"]
        for name in wanted:
            path = folder / name
            if not path.is_file():
                problems.append(f"{artifact}: no {name} in the staging repository")
                continue
            if not (folder / (name + ".asc")).is_file():
                problems.append(f"{artifact}: no {name}.asc")
        present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        extra = sorted(
            n for n in present if n not in wanted and not any(n.startswith(w + ".") for w in wanted)
        )
        if extra:
            problems.append(f"{artifact}: unexpected files {extra} (a tests jar must not be published)")
        if problems:
            continue
        problems += pom_problems(f"{base}.pom", (folder / f"{base}.pom").read_bytes(), version)
        problems += jar_problems(f"{base}.jar", folder / f"{base}.jar", module, required)
        # Checksums: the deploy wrote .md5 and .sha1 (check them); add .sha256 and .sha512. The
        # signatures have none (Central requires none for .asc files).
        for path in sorted(p for p in folder.iterdir() if p.suffix in (".jar", ".pom")):
            data = path.read_bytes()
            for algorithm, digest in CHECKSUMS.items():
                sum_file = path.with_name(path.name + "." + algorithm)
                expected = digest(data).hexdigest()
                if algorithm in ("md5", "sha1"):
                    got = sum_file.read_text().split()[0] if sum_file.is_file() else None
                    if got != expected:
                        problems.append(f"{path.name}.{algorithm}: {got!r}, expected {expected}")
                else:
                    sum_file.write_text(expected)
    for problem in problems:
        print(f"central.py bundle: {problem}", file=sys.stderr)
    if problems:
        return 1

    # The Maven layout, as Central serves it, then the same tree as one Portal bundle.
    tree = release / GROUP.split(".")[0]
    shutil.rmtree(tree / GROUP.split(".")[1], ignore_errors=True)
    tree.mkdir(parents=True, exist_ok=True)
    shutil.copytree(staging / GROUP.split(".")[0] / GROUP.split(".")[1], tree / GROUP.split(".")[1])
    zip_path = release / f"paramsecrets-{version}-central-bundle.zip"
    epoch = int(_source_date_epoch())
    stamp = _zip_time(epoch)
    files = sorted(p for p in (tree / GROUP.split(".")[1]).rglob("*") if p.is_file())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(release).as_posix(), stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    zip_path.write_bytes(buffer.getvalue())
    for path in files:
        if path.suffix in (".jar", ".pom"):
            print(f"  {path.stat().st_size:>10,} B  {path.relative_to(release)}")
    print(f"  {zip_path.stat().st_size:>10,} B  {zip_path.name} ({len(files)} files)")
    return 0


def _source_date_epoch() -> str:
    return os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%ct"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _zip_time(epoch: int):
    t = time.gmtime(max(epoch, 315532800))  # zip cannot hold dates before 1980
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def check_pom(args: list[str]) -> int:
    version = workspace_version()
    if args[:1] == ["--version"]:
        version, args = args[1], args[2:]
    if not args:
        raise SystemExit(__doc__)
    problems = []
    for pom in args:
        problems += pom_problems(pom, pathlib.Path(pom).read_bytes(), version)
    for problem in problems:
        print(f"central.py check-pom: {problem}", file=sys.stderr)
    return 1 if problems else 0


def same_jars(a: pathlib.Path, b: pathlib.Path) -> int:
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.suffix in (".jar", ".pom"))
    problems = [] if names else [f"{a}: no jar or POM"]
    for name in names:
        other = b / name
        if not other.is_file():
            problems.append(f"{name}: only in {a}")
        elif (a / name).read_bytes() != other.read_bytes():
            problems.append(f"{name}: differs between {a} and {b}")
        else:
            print(f"  identical  {name} ({(a / name).stat().st_size:,} B, sha256 "
                  f"{hashlib.sha256(other.read_bytes()).hexdigest()[:16]}...)")
    for problem in problems:
        print(f"central.py same-jars: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["bundle"] and len(argv) == 3:
        return bundle(pathlib.Path(argv[1]), pathlib.Path(argv[2]))
    if argv[:1] == ["check-pom"]:
        return check_pom(argv[1:])
    if argv[:1] == ["same-jars"] and len(argv) == 3:
        return same_jars(pathlib.Path(argv[1]), pathlib.Path(argv[2]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
