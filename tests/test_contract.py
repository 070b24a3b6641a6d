"""What a command provides is a type (:class:`invfut_cli.command_spec.CommandSpec`), each
command's parts live in one place, and no module grows past 400 lines.

The contract's checks read what each command declares against its own layout: a column a
narrow table keeps must be a key of the command's rows, a summary key one of its document's.
The place checks read the package's import graph (:mod:`test_import_graph`): a command
package's parts are imported by nothing outside it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_import_graph import MODULES, edges

from invfut_cli.command_spec import NAMES, NOTHING, CommandSpec, Provided
from invfut_cli.registry import REGISTRY, load, module_name, spec

PACKAGE = Path(__file__).resolve().parents[1] / "invfut_cli"
COMMANDS = "invfut_cli.commands"
#: The longest a module may be, in lines.
MOST_LINES = 400


def _protocol_members() -> set[str]:
    return {name for name, value in vars(CommandSpec).items() if isinstance(value, property)}


def test_the_contract_names_each_member_once_and_the_spec_provides_them_all() -> None:
    assert _protocol_members() == set(NAMES) == set(Provided.__annotations__)
    assert {"run", "explain_lines", "draw_table", "ESSENTIAL_COLUMNS", "LIQUIDATED_IN_RED", "flat_records"} <= set(
        NAMES
    )
    assert {"LAYOUT", "OPTIONAL"} <= set(NAMES)


def test_a_module_that_declares_nothing_gets_every_default() -> None:
    assert spec("no-such-command") is NOTHING and spec(None) is NOTHING and spec(3) is NOTHING
    assert NOTHING.ESSENTIAL_COLUMNS == ("pnl",) and NOTHING.LIQUIDATED_IN_RED is False
    assert NOTHING.OPTIONAL == frozenset() and NOTHING.LAYOUT is None and NOTHING.run is None


def _rows_layout(layout: dict[str, Any]) -> dict[str, Any]:
    rows = layout.get("rows")
    return rows[0] if isinstance(rows, list) and isinstance(rows[0], dict) else {}


@pytest.mark.parametrize("name", REGISTRY)
def test_what_each_command_declares_fits_its_own_layout(name: str) -> None:
    provided = spec(name)
    module = load(name)
    for member in NAMES:  # what the spec holds is what the module declares, or the default
        assert getattr(provided, member) == getattr(module, member, getattr(NOTHING, member))
    for hook in (provided.run, provided.explain_lines, provided.draw_table, provided.flat_records):
        assert hook is None or isinstance(hook, Callable)  # type: ignore[arg-type]
    layout = provided.LAYOUT
    if layout is None:  # batch: it writes the documents of the commands it runs
        assert provided.explain_lines is None
        return
    if provided.run is not None:  # what batch runs, --explain explains
        assert callable(provided.explain_lines)
    rows = _rows_layout(layout)
    if provided.ESSENTIAL_COLUMNS != NOTHING.ESSENTIAL_COLUMNS:
        assert set(provided.ESSENTIAL_COLUMNS) <= set(rows), "a column kept to the last is a key of its rows"
    if provided.LIQUIDATED_IN_RED:
        assert "liquidated" in rows, "rows drawn in red say whether they are liquidated"
    if provided.SUMMARY_KEYS is not None:
        assert set(provided.SUMMARY_KEYS) <= set(layout), "the summary shows keys of the document"
    assert provided.OPTIONAL <= set(layout), "an optional key is a key of the layout"


@pytest.mark.parametrize("name", REGISTRY)
def test_no_command_declares_a_hook_under_a_near_name(name: str) -> None:
    """``ESSENTIAL_COLUMN`` or ``explain_line`` would be silently ignored: the default would
    be used. A public name of a command module close to a contract name must be that name."""
    module = load(name)
    near = {
        attribute: difflib.get_close_matches(attribute, NAMES, n=1, cutoff=0.85)
        for attribute in vars(module)
        if not attribute.startswith("_") and attribute not in NAMES
    }
    assert {attribute: match for attribute, match in near.items() if match} == {}


def test_the_near_name_check_finds_a_misspelling() -> None:
    assert difflib.get_close_matches("ESSENTIAL_COLUMN", NAMES, n=1, cutoff=0.85) == ["ESSENTIAL_COLUMNS"]
    assert difflib.get_close_matches("explain_line", NAMES, n=1, cutoff=0.85) == ["explain_lines"]


def test_no_top_level_package_belongs_to_one_command() -> None:
    names = {module_name(name) for name in REGISTRY}
    top = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert not top & names, "a command's parts live in commands/NAME/"


def _command_package(module: str) -> str | None:
    """The command package ``module`` is in (or is), if any."""
    parts = module.split(".")
    if module.startswith(COMMANDS + ".") and len(parts) >= 3:
        package = ".".join(parts[:3])
        return package if MODULES[package].name == "__init__.py" else None
    return None


def test_a_command_packages_parts_are_its_own() -> None:
    """Nothing outside ``commands/NAME/`` imports one of its parts (the package itself, the
    command, is found by name through the registry)."""
    packages = {m for m in MODULES if _command_package(m) == m}
    assert {f"{COMMANDS}.account", f"{COMMANDS}.compare", f"{COMMANDS}.pnl"} <= packages
    strays = [
        f"{importer} imports {target}"
        for importer in MODULES
        for target in edges(importer)
        if (owner := _command_package(target)) is not None and target != owner and _command_package(importer) != owner
    ]
    assert strays == []


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): n
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert long == {}
