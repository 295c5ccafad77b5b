"""MkDocs hooks for the paramsecrets site (mkdocs.yml `hooks:`).

Adds files that live outside docs/ to the build, so that links to them are checked by
--strict like any page's:
- the charts `make bench` draws (bench/replication/*.png) as benchmarks/*.png;
- the generated API references (target/docs/api/{node,java}, written by scripts/docs/build.sh)
  as api/node/... and api/java/....
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

REPO = Path(__file__).resolve().parents[2]
EXTRA = [
    (REPO / "bench" / "replication", "*.png", "benchmarks"),
    (REPO / "target" / "docs" / "api" / "node", "**/*", "api/node"),
    (REPO / "target" / "docs" / "api" / "java", "**/*", "api/java"),
]


def on_files(files: Files, config) -> Files:
    for root, pattern, dest in EXTRA:
        for path in sorted(root.glob(pattern)):
            # skip javadoc's legal/*.md notices: MkDocs would render them as pages outside the nav
            if path.is_file() and path.suffix != ".md":
                uri = f"{dest}/{path.relative_to(root).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# The package's docstrings use Sphinx roles (:class:`Client`), which mkdocstrings leaves as
# text before the code span: drop the role, keep the name.
_ROLE = re.compile(r":(?:class|func|meth|attr|exc|mod|data):(?=<code>)")


def on_page_content(html: str, page, config, files) -> str:
    return _ROLE.sub("", html)
