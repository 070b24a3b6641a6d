"""One registry: :data:`invfut_cli.registry.REGISTRY` is the only list of command names.

Everything else a command has (its batch runner, ``--explain`` steps, table hints, own table,
document layout) is an attribute of its module, read through the contract
(:func:`invfut_cli.registry.spec`). These tests read the
package with :mod:`ast` and fail on a table keyed by command names anywhere else: such a
table is a second list of the commands, which a new command would have to be added to.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from invfut_cli.registry import REGISTRY, load, module_name, spec

PACKAGE = Path(__file__).resolve().parents[1] / "invfut_cli"
#: The registry's own file: the one place command names are listed.
REGISTRY_FILE = PACKAGE / "registry.py"
NAMES = frozenset(REGISTRY)


def _strings(node: ast.AST) -> list[str]:
    """The string constants that key or make up a literal: a dict's keys, a set's, tuple's
    or list's items."""
    if isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    elif isinstance(node, ast.Set | ast.Tuple | ast.List):
        items = list(node.elts)
    else:
        return []
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def command_tables(source: str, filename: str = "<source>") -> list[tuple[int, list[str]]]:
    """``(line, command names)`` of each literal keyed by two or more command names, where
    they are more than half its string keys. (A table of document keys, such as the glossary,
    holds ``pnl`` and ``leverage`` among many others: those are keys of a document, not a
    list of commands.)"""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        strings = _strings(node)
        names = [s for s in strings if s in NAMES]
        if len(names) >= 2 and 2 * len(names) > len(strings):
            found.append((node.lineno, names))
    return found


def test_no_table_keyed_by_command_names_outside_the_registry() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {', '.join(names)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != REGISTRY_FILE
        for line, names in command_tables(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offenders, (
        "command names listed outside invfut_cli/registry.py (REGISTRY); declare this "
        "on each command's module instead:\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('EXPLAINERS = {"pnl": pnl, "ladder": ladder}', True),
        ('STYLED = frozenset({"ladder", "leverage"})', True),
        ('if doc["command"] in ("account", "compare"): pass', True),
        ('ONE = {"pnl": pnl}', False),
        ('LABELS = {"pnl": "PnL", "leverage": "Leverage", "equity": "Equity", "roe_pct": "ROE"}', False),
    ],
)
def test_the_check_finds_a_second_list_of_commands(source: str, flagged: bool) -> None:
    assert bool(command_tables(source)) is flagged


@pytest.mark.parametrize("name", REGISTRY)
def test_each_command_lives_in_its_own_module(name: str) -> None:
    """Command ``NAME`` is ``commands/NAME.py`` (or the package ``commands/NAME/``), which registers it; a command that writes a
    document (all but ``batch`` and ``schema``) explains it and has a layout, and one that
    ``batch`` runs has ``run``."""
    module = load(name)
    place = PACKAGE / "commands" / module_name(name)
    assert place.with_suffix(".py").is_file() or (place / "__init__.py").is_file()
    from invfut_cli.app import _FUNCTIONS

    assert _FUNCTIONS[name].__module__ == module.__name__
    if name in ("batch", "schema"):
        return
    from invfut_cli.documents import LAYOUTS

    assert name in LAYOUTS
    if name not in ("exchanges", "keys"):  # keys prompts and changes the keyring: batch does not run it
        assert callable(spec(name).run) and callable(spec(name).explain_lines)


def test_hooks_default_for_an_unknown_command() -> None:
    assert spec(None).run is None and spec("nope").draw_table is None
    assert spec("nope").ESSENTIAL_COLUMNS == ("pnl",) and spec(None).LIQUIDATED_IN_RED is False
