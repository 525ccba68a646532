"""The parts of the package and the direction of their imports (README, "How it works").

Every ``import`` of every module under ``extractor/`` counts, those inside functions too: a
lazy import is still a dependency, only a later one. Imports under ``if TYPE_CHECKING:`` do
not: they name types for the checker and never run. The graph must have no cycle, and the
lower parts must not import the upper ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"
#: For each part, the parts it must never import.
FORBIDDEN = {
    "extractor.normalise": ("extractor.readers", "extractor.layout", "extractor.harvest", "extractor.look"),
    "extractor.readers": ("extractor.layout", "extractor.harvest", "extractor.look", "extractor.cli"),
    "extractor.layout": ("extractor.readers", "extractor.harvest", "extractor.look", "extractor.cli"),
    "extractor.model": ("extractor.export", "extractor.pipeline", "extractor.records"),
    # The records may hand their JSON and frames over to export (``ParseResult.to_json``), but
    # never run the pipeline.
    "extractor.records": ("extractor.pipeline", "extractor.harvest", "extractor.look", "extractor.cli"),
}
#: The most lines a module may have (the house style's ~500).
MAX_LINES = 520


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The modules of the package that ``name`` imports, at the top or inside a function."""
    found: set[str] = set()
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    type_only = type_only_imports(tree)
    for node in ast.walk(tree):
        if node in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {imported for imported in found if imported in MODULES and imported != name}


def type_only_imports(tree: ast.Module) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:`` in ``tree``."""
    return {
        node
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and isinstance(guard.test, ast.Name) and guard.test.id == "TYPE_CHECKING"
        for statement in guard.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }


GRAPH = {name: imports_of(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    assert cycles(GRAPH) == []


def test_imports_for_types_only_are_told_apart() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nimport a\nif TYPE_CHECKING:\n    import b\n")
    assert [n.names[0].name for n in type_only_imports(tree) if isinstance(n, ast.Import)] == ["b"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_lower_parts_never_import_upper_ones(part: str) -> None:
    wrong = [
        f"{name} imports {imported}"
        for name, imported_names in GRAPH.items()
        if name == part or name.startswith(f"{part}.")
        for imported in sorted(imported_names)
        if imported.startswith(FORBIDDEN[part])
    ]
    assert wrong == []


def test_the_tree_shows_the_parts() -> None:
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert {"extractor.readers", "extractor.layout", "extractor.normalise", "extractor.harvest"} <= packages
    assert {"extractor.look", "extractor.cli"} <= packages
    for package in packages:
        docstring = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8")))
        assert docstring, f"{package} says nothing of what it is for"


def test_no_module_outgrows_the_house_style() -> None:
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
