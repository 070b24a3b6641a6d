"""The command registry: :data:`REGISTRY` lists the commands, and each lives in its own module.

``REGISTRY`` is the only list of command names. Command ``NAME`` is defined by the module
``invfut_cli.commands.<NAME with - as _>`` (a package ``commands/NAME/`` for a command with
several parts), which registers its typer function with
``@invfut_cli.app.command(NAME, example=...)``. Everything else a command has is an attribute
of that module, named by the contract :class:`~invfut_cli.command_spec.CommandSpec`
(``run``, ``explain_lines``, ``draw_table``, ``ESSENTIAL_COLUMNS``, ``LIQUIDATED_IN_RED``,
``SUMMARY_KEYS``, ``flat_records``, ``LAYOUT``, ``OPTIONAL``) and read through :func:`spec`:
``spec(doc["command"]).explain_lines``.

A module is imported only when its command runs (or a renderer asks what it provides), so a
run pays only for its own command. ``tests/test_registry.py`` fails if a table keyed by
command names appears anywhere else in the package.

It stands low in the package, beside :mod:`invfut_cli.command_spec`: the renderers, the
documents and the error report ask it what a command provides without importing any command.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from .command_spec import NOTHING, CommandSpec, provided

#: Every command, in the order ``invfut --help`` lists them (the position commands first).
REGISTRY: tuple[str, ...] = (
    "pnl",
    "liq-price",
    "leverage",
    "ladder",
    "size",
    "hedge",
    "stress",
    "account",
    "compare",
    "watch",
    "replay",
    "batch",
    "exchanges",
    "keys",
    "schema",
)


#: The package of the command modules.
PACKAGE = "invfut_cli.commands"


def command_word(argv: Sequence[str]) -> str | None:
    """The word of a command line (without the program) that names its command: the first
    that is not an option, since invfut's own options are flags (``invfut --offline pnl …``);
    ``None`` where there is none. It may name no command (``invfut lig-price``)."""
    return next((word for word in argv if not word.startswith("-")), None)


def module_name(command: str) -> str:
    """The module of ``invfut_cli.commands`` that defines ``command`` (``liq-price``: ``liq_price``)."""
    return command.replace("-", "_")


def load(command: str) -> ModuleType:
    """The module that defines ``command``, imported (which registers the command)."""
    name = f"{PACKAGE}.{module_name(command)}"
    # Once imported, from sys.modules: import_module takes the import lock every call, and
    # a batch asks for its command's module on every line.
    return sys.modules.get(name) or importlib.import_module(name)


def spec(command: object) -> CommandSpec:
    """What ``command`` provides (:class:`~invfut_cli.command_spec.CommandSpec`): its
    module's hooks, each defaulted where the module leaves it out; for a value that is not a
    command (a document without a known ``command``), only the defaults."""
    return provided(load(command)) if isinstance(command, str) and command in REGISTRY else NOTHING


def layout_on_use(package: str) -> Callable[[str], Any]:
    """The module ``__getattr__`` of a command package whose layout is in its ``layout.py``:
    ``LAYOUT`` and ``OPTIONAL`` are read from there on first use, so ``invfut --help``, which
    imports every command, imports no layout. (``__getattr__ = layout_on_use(__name__)``.)"""

    def attribute(name: str) -> Any:
        if name in ("LAYOUT", "OPTIONAL"):
            return getattr(importlib.import_module(f"{package}.layout"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
