"""The hand-written stubs stay in step with the native module (a stale stub fails here)."""

import ast
import inspect
from pathlib import Path

import paramsecrets
from paramsecrets import _native

# The stubs in the source tree (what the next wheel ships), checked against the built module.
STUBS = Path(__file__).resolve().parent.parent / "python" / "paramsecrets"


def _stub_classes(path: Path) -> dict[str, set[str]]:
    tree = ast.parse(path.read_text())
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.add(item.target.id)
            classes[node.name] = {m for m in members if not m.startswith("_")}
    return classes


def _runtime_members(cls: type) -> set[str]:
    return {
        name
        for name, _ in inspect.getmembers(cls)
        if not name.startswith("_") and name in cls.__dict__
    }


def test_every_native_class_and_member_is_in_the_stub():
    stubbed = _stub_classes(STUBS / "_native.pyi")
    native_classes = {
        name: obj
        for name, obj in vars(_native).items()
        if isinstance(obj, type) and not name.startswith("_") and not issubclass(obj, BaseException)
    }
    assert native_classes, "the native module exports classes"
    for name, cls in native_classes.items():
        assert name in stubbed, f"{name} is missing from _native.pyi"
        assert _runtime_members(cls) == stubbed[name], f"{name}: stub and module differ"


def test_every_public_name_is_in_the_package_stub():
    tree = ast.parse((STUBS / "__init__.pyi").read_text())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            declared.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            declared.update(a.asname or a.name for a in node.names)
        elif isinstance(node, (ast.AnnAssign, ast.Assign)):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            declared.update(t.id for t in targets if isinstance(t, ast.Name))
    missing = set(paramsecrets.__all__) - declared
    assert not missing, f"in __all__ but not in __init__.pyi: {sorted(missing)}"
