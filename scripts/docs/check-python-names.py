"""Fail, naming each one, on a public name of the Python package without a docstring.

Run with the docs venv's Python (scripts/docs/check-public-names.sh). Griffe reads the package
statically from bindings-python/python (the stubs, `*.pyi`, where there are any, as mkdocstrings
does for the API reference): the modules `paramsecrets`, `paramsecrets.exceptions` and
`paramsecrets.powertools`, every public name in them (their `__all__`, else every name without a
leading underscore), and every public member of each public class. Overloaded functions need
one docstring (on the last overload, where the reference shows it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import griffe

REPO = Path(__file__).resolve().parents[2]
MODULES = ["paramsecrets", "paramsecrets.exceptions", "paramsecrets.powertools"]


def public(name: str) -> bool:
    return not name.startswith("_")


def documented(obj) -> bool:
    if obj.docstring and obj.docstring.value.strip():
        return True
    # an overloaded function: a docstring on any of its overloads counts
    overloads = (obj.overloads or []) if obj.is_function else []
    return any(o.docstring and o.docstring.value.strip() for o in overloads)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from griffe_overloads import StubOverloads

    loader = griffe.GriffeLoader(
        search_paths=[str(REPO / "bindings-python/python")],
        allow_inspection=False,
        extensions=griffe.load_extensions(StubOverloads()),
    )
    pkg = loader.load("paramsecrets")
    loader.resolve_aliases(implicit=True, external=False)
    missing: list[str] = []
    seen: set[str] = set()

    def check(obj, shown: str) -> None:
        target = obj.final_target if obj.is_alias else obj
        if target.path in seen:
            return
        seen.add(target.path)
        if not documented(target):
            missing.append(
                f"{shown} ({target.kind.value}, {Path(target.filepath).relative_to(REPO)}:{target.lineno})"
            )
        if target.is_class:
            for name, member in target.members.items():
                if public(name) and not (
                    member.is_alias
                    and not member.final_target.path.startswith("paramsecrets")
                ):
                    check(member, f"{shown}.{name}")

    for modname in MODULES:
        mod = pkg if modname == "paramsecrets" else pkg[modname.split(".", 1)[1]]
        if not documented(mod):
            missing.append(f"{modname} (module docstring)")
        names = (
            list(mod.exports) if mod.exports else [n for n in mod.members if public(n)]
        )
        for name in names:
            member = mod.members.get(name)
            if member is None:
                missing.append(f"{modname}.{name} (in __all__ but not found)")
                continue
            if member.is_module:
                continue
            if member.is_alias:
                try:
                    _ = member.final_target
                except griffe.AliasResolutionError:
                    continue  # an import from another package (Powertools' BaseProvider, typing)
            check(member, f"{modname}.{name}")

    for line in missing:
        print(f"undocumented public Python name: {line}")
    print(f"Python public names: {len(seen)} checked, {len(missing)} undocumented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
