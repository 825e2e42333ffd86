"""Checks that keep the structure: no import cycles, no oversized modules, documented ports,
an ``__all__`` in every public module.

The layer rules themselves (what may import what) are import-linter contracts in
pyproject.toml; these are the rules a contract cannot state.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

import bagboard
import bagboard.ports

PACKAGE = "bagboard"
SOURCE = Path(bagboard.__file__).parent
MAX_LINES = 300

# Declarative modules, allowed over MAX_LINES for good: a list of table definitions or a
# migration reads best whole, and splitting it would only scatter one schema; so does the
# composition root's one list of providers.
DECLARATIVE = frozenset(
    {
        "adapters/storage/db/tables.py",
        "bootstrap.py",
    }
)
DECLARATIVE_FOLDERS = ("adapters/storage/migrations/versions/",)


# --- import cycles ------------------------------------------------------------------------


def import_graph(package: str = PACKAGE) -> dict[str, set[str]]:
    """Who imports whom among bagboard's modules, imports under ``TYPE_CHECKING`` included
    (a cycle of annotations is still two modules that cannot be read apart).

    A package is its ``__init__`` module. Importing ``a.b.c`` runs ``a/__init__`` first, but
    that is not a dependency of the importer on ``a``: only what a module names counts.
    """
    graph = grimp.build_graph(package, exclude_type_checking_imports=False, cache_dir=None)
    return {
        module: set(graph.find_modules_directly_imported_by(module)) & graph.modules
        for module in graph.modules
    }


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group))
    return groups


def one_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest cycle through the first module of ``group``, as the chain of imports."""
    start = group[0]
    members = set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{group} is not a cycle")


def cycles(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for group in strongly_connected(graph):
        if len(group) > 1 or group[0] in graph[group[0]]:
            found.append(" -> ".join(one_cycle(graph, group)))
    return sorted(found)


def test_no_module_imports_itself_back() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles between bagboard modules:\n" + "\n".join(found)


def test_the_cycle_finder_names_each_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert cycles(graph) == ["a -> b -> c -> a", "e -> e"]


def test_a_cycle_made_only_for_annotations_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cyclic"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from cyclic.sub.leaf import VALUE\n")
    (package / "sub" / "leaf.py").write_text("VALUE = 1\n")
    (package / "errors.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cyclic.rules import Rule\n"
    )
    (package / "rules.py").write_text("from cyclic.errors import *\nclass Rule: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # A package importing its own submodule is no cycle; the annotation-only import is one.
    assert cycles(import_graph("cyclic")) == ["cyclic.errors -> cyclic.rules -> cyclic.errors"]


# --- module size --------------------------------------------------------------------------


def module_lengths() -> dict[str, int]:
    return {
        path.relative_to(SOURCE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in SOURCE.rglob("*.py")
    }


def is_declarative(name: str) -> bool:
    return name in DECLARATIVE or name.startswith(DECLARATIVE_FOLDERS)


def test_no_module_is_over_the_limit() -> None:
    over = {
        name: lines
        for name, lines in module_lengths().items()
        if lines > MAX_LINES and not is_declarative(name)
    }
    assert not over, f"modules over {MAX_LINES} lines (split them by concern): {over}"


def test_every_declarative_exception_is_still_needed() -> None:
    lengths = module_lengths()
    stale = sorted(name for name in DECLARATIVE if lengths.get(name, 0) <= MAX_LINES)
    assert not stale, f"within {MAX_LINES} lines (or gone): drop them from DECLARATIVE: {stale}"


# --- documented ports ---------------------------------------------------------------------


def port_protocols() -> Iterator[type]:
    for info in pkgutil.iter_modules(bagboard.ports.__path__, "bagboard.ports."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and getattr(cls, "_is_protocol", False):
                yield cls


def undocumented(protocol: type) -> Iterator[str]:
    if not (vars(protocol).get("__doc__") or "").strip():
        yield protocol.__qualname__
    for name, member in vars(protocol).items():
        if name.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else member
        if isinstance(function, staticmethod | classmethod):
            function = function.__func__
        if inspect.isfunction(function) and not (function.__doc__ or "").strip():
            yield f"{protocol.__qualname__}.{name}"


def test_the_ports_are_found() -> None:
    names = {protocol.__name__ for protocol in port_protocols()}
    assert {"Clock", "LibraryIndex", "UserStore"} <= names


def test_every_port_and_port_method_states_its_contract() -> None:
    missing = sorted(
        f"{protocol.__module__}: {name}"
        for protocol in port_protocols()
        for name in undocumented(protocol)
    )
    assert not missing, "ports without a docstring stating the contract:\n" + "\n".join(missing)


# --- public names ---------------------------------------------------------------------------


def public_modules() -> Iterator[tuple[str, Path]]:
    """Every module another one may import: not ``_private``, not ``__main__``, and not a
    migration (Alembic loads those by file)."""
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if path.name.startswith("_") and path.name != "__init__.py":
            continue
        if name.startswith(DECLARATIVE_FOLDERS) or "/migrations/" in f"/{name}":
            continue
        yield name, path


def declared_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert isinstance(value, ast.List | ast.Tuple), f"{path}: __all__ is not a literal"
            return [ast.literal_eval(item) for item in value.elts]
    return None


def test_every_public_module_declares_what_it_exports() -> None:
    missing = [name for name, path in public_modules() if declared_all(path) is None]
    assert not missing, "modules without __all__:\n" + "\n".join(missing)


def test_every_exported_name_exists() -> None:
    unknown = []
    for name, path in public_modules():
        module_name = ".".join([PACKAGE, *Path(name).with_suffix("").parts])
        module_name = module_name.removesuffix(".__init__")
        if module_name.endswith("__main__"):
            continue
        module = importlib.import_module(module_name)
        unknown += [
            f"{module_name}.{n}" for n in declared_all(path) or [] if not hasattr(module, n)
        ]
    assert not unknown, f"__all__ names that do not exist: {unknown}"
