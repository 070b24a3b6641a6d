"""The commands: :data:`REGISTRY` lists them, and each lives in its own module.

``REGISTRY`` is the only list of command names. Command ``NAME`` is defined by the module
``invfut_cli.commands.<NAME with - as _>``, and everything else a command has is an
attribute of that module, found through :func:`hook` by the document's ``command``:

- the typer function, registered with ``@invfut_cli.app.command(NAME, example=...)``;
- ``run(**option values) -> document``: what the command (and ``invfut batch``) computes;
- ``explain_lines(document) -> list[str]``: its ``--explain`` steps;
- ``draw_table(document, console)``: a table of its own, in place of the summary and rows;
- ``ESSENTIAL_COLUMNS``: the row columns a narrow table keeps to the last (default ``pnl``);
- ``LIQUIDATED_IN_RED``: liquidated rows are drawn in red with a note, not in a column;
- ``flat_records(document)``: its CSV/NDJSON records, where they are not its ``rows``.

A module is imported only when its command runs (or a renderer asks for one of its
attributes), so a run pays only for its own command. ``tests/test_registry.py`` fails if
a table keyed by command names appears anywhere else in the package.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

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
    "replay",
    "batch",
    "exchanges",
    "schema",
)


def module_name(command: str) -> str:
    """The module of ``invfut_cli.commands`` that defines ``command`` (``liq-price``: ``liq_price``)."""
    return command.replace("-", "_")


def load(command: str) -> ModuleType:
    """The module that defines ``command``, imported (which registers the command)."""
    return importlib.import_module(f"{__name__}.{module_name(command)}")


def hook(command: Any, attribute: str, default: Any = None) -> Any:
    """The ``attribute`` that ``command``'s module declares, or ``default`` (also for a
    document without a known command)."""
    if command not in REGISTRY:
        return default
    return getattr(load(command), attribute, default)
