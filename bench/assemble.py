"""Assembles bench/RESULTS.md from the harnesses' outputs (stdlib only).

Reads bench/<lang>/RESULTS.md and bench/<lang>/summary.json (lang = rust, python, node, java),
bench/footprint/RESULTS.md, bench/lambda/RESULTS.md, bench/replication/RESULTS.md, and the status
file scripts/bench.sh writes (one line per harness: name, status, seconds, command). The summary.json format is in bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LANGS = ["rust", "python", "node", "java"]
TITLES = {
    "rust": "Rust core",
    "python": "Python",
    "node": "Node",
    "java": "Java",
    "lambda": "Lambda INIT and first invocation (local Lambda)",
    "replication": "Load-test replication",
    "footprint": "Footprint: RSS, threads and fds per language vs the AWS SDKs",
}
# Sections after the per-language ones, in this order (each bench/<name>/RESULTS.md).
SECTIONS = LANGS + ["footprint", "lambda", "replication"]
# DESIGN §8 budgets, for the summary table.
BUDGETS = {
    "rust": {"l1_hit_ns": 150, "artifact_bytes": None, "cold_start_ms": None},
    "python": {"l1_hit_ns": 300, "artifact_bytes": 3_000_000, "cold_start_ms": 20},
    "node": {"l1_hit_ns": 2000, "artifact_bytes": 4_000_000, "cold_start_ms": 20},
    "java": {"l1_hit_ns": 1000, "artifact_bytes": 4_000_000, "cold_start_ms": 100},
}


def sh(cmd: str) -> str:
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20, check=False)
        text = re.sub(r"\x1b\[[0-9;]*m", "", (r.stdout or r.stderr)).strip()
        return text.splitlines()[0] if text else "—"
    except Exception:  # noqa: BLE001
        return "—"


def machine() -> list[tuple[str, str]]:
    cpu = "—"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "—"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    java = sh("java -version 2>&1")
    return [
        ("architecture", platform.machine()),
        ("cores (`nproc`)", sh("nproc")),
        ("CPU", cpu),
        ("memory", mem),
        ("kernel", platform.release()),
        ("load average at the end (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("rustc", sh("rustc --version")),
        ("cargo", sh("cargo --version")),
        ("python3", sh("python3 --version")),
        ("node (PATH; bench/node runs on scripts/ensure-node.sh 22)", sh("node --version")),
        ("java (PATH)", java),
        (
            "JDKs under /usr/lib/jvm",
            ", ".join(sorted(p.name for p in Path("/usr/lib/jvm").glob("*") if p.is_dir()))
            if Path("/usr/lib/jvm").is_dir()
            else "—",
        ),
        ("maven", sh("mvn -v 2>/dev/null")),
    ]


def shift_headings(text: str, top: int) -> str:
    levels = [len(m.group(1)) for m in re.finditer(r"^(#+) ", text, re.MULTILINE)]
    if not levels:
        return text
    delta = top - min(levels)
    return re.sub(r"^(#+) ", lambda m: "#" * max(1, len(m.group(1)) + delta) + " ", text, flags=re.MULTILINE)


def rebase_links(text: str, src_dir: Path) -> str:
    def fix(m: re.Match) -> str:
        target = m.group(2)
        if re.match(r"^[a-z]+:", target) or target.startswith(("/", "#")):
            return m.group(0)
        return f"{m.group(1)}({os.path.relpath(src_dir / target, BENCH)})"

    return re.sub(r"(!?\[[^\]]*\])\(([^)\s]+)\)", fix, text)


def num(x, fmt: str) -> str:
    return "—" if x is None else format(x, fmt)


def size(b) -> str:
    if b is None:
        return "—"
    return f"{b / 1e6:.2f} MB ({b:,} B)"


def verdict(value, limit, lower_is_better=True) -> str:
    if value is None or limit is None:
        return ""
    return " ✓" if (value <= limit if lower_is_better else value >= limit) else " ✗"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="quick")
    ap.add_argument("--status", default=str(BENCH / "out/status.tsv"))
    ap.add_argument("--elapsed", default="?")
    # A harness rerun on its own (make -C bench/<lang> bench) keeps the full run's time and says so.
    ap.add_argument("--when", default=None, help="when the full run was, if not now")
    ap.add_argument("--note", default="", help="a sentence after the first paragraph")
    ap.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    args = ap.parse_args()

    status: dict[str, tuple[str, str, str]] = {}
    if Path(args.status).exists():
        for line in Path(args.status).read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                status[parts[0]] = (parts[1], parts[2], parts[3])

    md: list[str] = []
    now = args.when or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    make = "make bench" if args.mode == "full" else "make bench-quick"
    md.append("# Benchmark results\n")
    md.append(
        f"Generated by `{make}` (`scripts/bench.sh {args.mode}`) on {now}, {args.elapsed} s in all. "
        "Every figure is measured side by side with its baseline in the same run and quoted as a "
        "ratio as well: this machine is shared and noisy, so the ratios are the figures to trust. "
        f"Every figure is from {platform.machine()}, run natively (aarch64 runs under emulation in "
        "`make test-arm64` are correctness checks, not performance figures).\n"
    )
    if args.note:
        md.append(args.note + "\n")
    md.append("## Machine\n")
    md.append("| fact | value |\n|---|---|")
    for k, v in machine():
        md.append(f"| {k} | {v} |")
    md.append("")

    md.append("## Harnesses in this run\n")
    md.append("| harness | status | seconds | command |\n|---|---|---:|---|")
    for name in SECTIONS:
        st, secs, cmd = status.get(name, ("not run", "—", "—"))
        md.append(f"| {TITLES[name]} | {st} | {secs} | `{cmd}` |")
    md.append("")

    # Summary table from summary.json.
    md.append("## Artefact sizes, cold start and L1 per language\n")
    md.append(
        "From each harness's `summary.json` (format: bench/README.md); ✓/✗ against the DESIGN §8 "
        "budget; — where the harness did not report the figure.\n"
    )
    md.append(
        "| language | artefact | size | cold start (import + client) | SDK baseline cold start | "
        "L1 hit | in-language map baseline | L1 miss | hand-written keep-alive GET | miss ÷ GET |"
    )
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for lang in LANGS:
        p = BENCH / lang / "summary.json"
        st = status.get(lang, ("not run",))[0]
        if not p.exists() or st != "ok":
            md.append(f"| {TITLES[lang]} | {st if st != 'ok' else 'no summary.json'} |  |  |  |  |  |  |  |  |")
            continue
        try:
            s = json.loads(p.read_text())
        except ValueError as e:
            md.append(f"| {TITLES[lang]} | unreadable summary.json: {e} |  |  |  |  |  |  |  |  |")
            continue
        b = BUDGETS[lang]
        hit, miss, get = s.get("l1_hit_ns"), s.get("l1_miss_us"), s.get("http_get_us")
        ratio = f"{miss / get:.2f}×" if miss and get else "—"
        base_cold = s.get("cold_start_baseline_ms")
        md.append(
            f"| {TITLES[lang]} | {s.get('artifact') or '—'} | {size(s.get('artifact_bytes'))}"
            f"{verdict(s.get('artifact_bytes'), b['artifact_bytes'])} | "
            f"{num(s.get('cold_start_ms'), '.1f')} ms{verdict(s.get('cold_start_ms'), b['cold_start_ms'])} | "
            f"{num(base_cold, '.1f') + ' ms (' + str(s.get('cold_start_baseline')) + ')' if base_cold is not None else '—'} | "
            f"{num(hit, '.1f')} ns{verdict(hit, b['l1_hit_ns'])} | "
            f"{num(s.get('l1_hit_baseline_ns'), '.1f')} ns ({s.get('l1_hit_baseline') or '—'}) | "
            f"{num(miss, '.1f')} µs | {num(get, '.1f')} µs ({s.get('http_get') or '—'}) | {ratio} |"
        )
    md.append("")

    for name in SECTIONS:
        f = BENCH / name / "RESULTS.md"
        st = status.get(name, ("not run",))[0]
        if st != "ok" or not f.exists():
            md.append(f"## {TITLES[name]}\n")
            why = f"no bench/{name}/Makefile yet" if st == "not available" else st
            md.append(f"Not in this run: {why}.\n")
            continue
        body = f.read_text().strip()
        body = re.sub(r"^#+ .*\n+", "", body, count=1)  # our own heading replaces theirs
        md.append(f"## {TITLES[name]}\n")
        md.append(rebase_links(shift_headings(body, 3), f.parent) + "\n")

    Path(args.out).write_text("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
