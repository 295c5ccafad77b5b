"""A Griffe extension for hand-written stubs whose functions are only `@overload`s.

In a `.pyi` an overloaded function has no implementation, so Griffe keeps its overloads aside
and lists no member of that name: the API reference would leave out `Client.get_parameter`.
This adds one member per such name, shaped like its last overload, carrying all the overloads
and the docstring of the last overload that has one. Used by mkdocs.yml (mkdocstrings) and by
scripts/docs/check-python-names.py, so that the check sees what the reference shows.
"""

from __future__ import annotations

import griffe


class StubOverloads(griffe.Extension):
    def on_class_members(self, *, cls: griffe.Class, **kwargs: object) -> None:
        fill(cls)

    def on_module_members(self, *, mod: griffe.Module, **kwargs: object) -> None:
        fill(mod)


def fill(obj: griffe.Class | griffe.Module) -> None:
    for name, overloads in list(obj.overloads.items()):
        if name in obj.members or not overloads:
            continue
        last = overloads[-1]
        documented = [o for o in overloads if o.docstring]
        fn = griffe.Function(
            name,
            lineno=last.lineno,
            endlineno=last.endlineno,
            parameters=last.parameters,
            returns=last.returns,
            docstring=documented[-1].docstring if documented else None,
        )
        fn.overloads = overloads
        obj.set_member(name, fn)
