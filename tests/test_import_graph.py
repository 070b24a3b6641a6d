"""The package's import graph, read from the source with :mod:`ast`: no module of
``invfut_cli`` imports itself back through others, and the core uses only the standard library.

Every ``import`` statement counts, at module level and inside functions alike (a function-level
import is still an edge: it only runs later). Imports under ``if TYPE_CHECKING:`` are left out
of the cycle check, since they never run. Importing ``pkg.mod`` also runs ``pkg/__init__.py``,
so an edge to a module is an edge to each package above it too (except the importer's own
packages, which are already running when the importer runs). ``importlib.import_module`` calls
are not seen; the core's lazy ``__getattr__`` uses one, and only for its own modules.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "invfut_cli"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__.py``)."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_nodes(tree: ast.AST, type_checking: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``tree``, at any depth; those under ``if TYPE_CHECKING:``
    only if ``type_checking``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _type_checking(node.test) and not type_checking:
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imported_names(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute names ``node`` imports, in ``module``: for ``from X import y``, ``X.y``
    too (it may be a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module if is_package(module) else module.rpartition(".")[0]
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    return [source, *(f"{source}.{alias.name}" for alias in node.names if alias.name != "*")]


def edges(module: str, type_checking: bool = False) -> set[str]:
    """The package's modules that ``module`` imports (and the packages above them)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"), filename=str(MODULES[module]))
    own = {".".join(module.split(".")[:n]) for n in range(1, module.count(".") + 2)}
    out = set()
    for node in import_nodes(tree, type_checking):
        for name in imported_names(module, node):
            parts = name.split(".")
            for n in range(1, len(parts) + 1):
                target = ".".join(parts[:n])
                if target in MODULES and target not in own:
                    out.add(target)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def a_loop(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One import loop through the component, for the failure message."""
    start = component[0]
    path, seen = [start], {start}
    while True:
        succ = min(s for s in graph[path[-1]] if s in component)
        if succ in seen:
            return [*path[path.index(succ) :], succ]
        path.append(succ)
        seen.add(succ)


def test_the_graph_is_read() -> None:
    """The reader sees the imports it should (so an empty graph cannot pass the next test)."""
    assert {"invfut_cli.app", "invfut_cli.core", "invfut_cli.core.numbers", "invfut_cli.cli"} <= set(MODULES)
    assert "invfut_cli.app" in edges("invfut_cli.cli")
    assert "invfut_cli.core.numbers" in edges("invfut_cli.core.position")
    assert {"invfut_cli.core", "invfut_cli.core.errors"} <= edges("invfut_cli.app")  # the package runs too
    assert "invfut_cli.core" not in edges("invfut_cli.core.position")  # its own package is already running
    assert "invfut_cli.core.fees" not in edges("invfut_cli.core")  # only under TYPE_CHECKING there
    assert "invfut_cli.core.fees" in edges("invfut_cli.core", type_checking=True)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    graph = {module: edges(module) for module in MODULES}
    loops = [f"{' -> '.join(a_loop(graph, c))} (all of: {', '.join(c)})" for c in cycles(graph)]
    assert not loops, "import cycles:\n" + "\n".join(loops)


def test_core_imports_only_the_standard_library() -> None:
    """``invfut_cli.core`` imports the standard library and itself, nothing else (type-checking
    imports included)."""
    core = f"{PACKAGE}.core"
    outside = []
    for module, path in MODULES.items():
        if module != core and not module.startswith(core + "."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in import_nodes(tree, type_checking=True):
            names = imported_names(module, node)
            for name in names[:1] if isinstance(node, ast.ImportFrom) else names:
                if name == core or name.startswith(core + "."):
                    continue
                if name.split(".")[0] in sys.stdlib_module_names:
                    continue
                outside.append(f"{module}: {name}")
    assert not outside, "the core imports outside the standard library and itself:\n" + "\n".join(outside)
