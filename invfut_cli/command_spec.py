"""What a command provides, as a type: :class:`CommandSpec`.

A command's module (``invfut_cli.commands.NAME``) declares what the rest of the package uses of
it as module attributes; :func:`invfut_cli.registry.spec` gives them back as a
:class:`CommandSpec`, with the default of each one the module leaves out, so batch,
``--explain``, the renderers and ``invfut schema`` read ``spec(name).explain_lines`` and a type
checker sees what that is. :class:`Provided` is the one implementation: its fields are the
contract's names, read from the module once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any, Protocol

#: A document: what ``run`` returns and the renderers draw.
Doc = dict[str, Any]
#: A layout: keys and how they nest (see :mod:`invfut_cli.documents`).
Layout = dict[str, Any]


class Run(Protocol):
    """``run(**option values) -> document``: what the command (and ``invfut batch``) computes.
    Option values are keyword arguments named as the typer function's parameters."""

    def __call__(self, **values: Any) -> Doc: ...


class CommandSpec(Protocol):
    """What a command provides. Each member is a module attribute of the same name; a module
    that leaves one out gets the default named here.

    - ``run``: computes the document from option values (``None``: ``batch`` cannot run it);
    - ``explain_lines(document)``: the ``--explain`` steps (every command that writes a
      document has them);
    - ``draw_table(document, console)``: a table of its own, in place of the summary and
      rows (``None``: the shared table);
    - ``ESSENTIAL_COLUMNS``: the row columns a narrow table keeps to the last (``("pnl",)``);
    - ``LIQUIDATED_IN_RED``: liquidated rows are drawn in red with a note, not in a column
      (``False``);
    - ``SUMMARY_KEYS``: the summary keys a table shows first, in order (``None``: every
      labelled key);
    - ``flat_records(document)``: its CSV/NDJSON records, where they are not its ``rows``
      (``None``: the rows, or the document flattened);
    - ``LAYOUT``: its ``--json`` document's keys (``None``: it writes no document of its own);
    - ``OPTIONAL``: the top-level keys only some answers carry (none).
    """

    @property
    def run(self) -> Run | None: ...

    @property
    def explain_lines(self) -> Callable[[Doc], list[str]] | None: ...

    @property
    def draw_table(self) -> Callable[[Mapping[str, Any], Any], None] | None: ...

    @property
    def ESSENTIAL_COLUMNS(self) -> tuple[str, ...]: ...

    @property
    def LIQUIDATED_IN_RED(self) -> bool: ...

    @property
    def SUMMARY_KEYS(self) -> tuple[str, ...] | None: ...

    @property
    def flat_records(self) -> Callable[[Mapping[str, Any]], Iterable[Mapping[str, Any]]] | None: ...

    @property
    def LAYOUT(self) -> Layout | None: ...

    @property
    def OPTIONAL(self) -> frozenset[str]: ...


class Provided:
    """A :class:`CommandSpec`: what one command module provides, with the defaults filled in.
    (A plain class: a dataclass costs a run about 2 ms to build.)"""

    run: Run | None = None
    explain_lines: Callable[[Doc], list[str]] | None = None
    draw_table: Callable[[Mapping[str, Any], Any], None] | None = None
    ESSENTIAL_COLUMNS: tuple[str, ...] = ("pnl",)
    LIQUIDATED_IN_RED: bool = False
    SUMMARY_KEYS: tuple[str, ...] | None = None
    flat_records: Callable[[Mapping[str, Any]], Iterable[Mapping[str, Any]]] | None = None
    LAYOUT: Layout | None = None
    OPTIONAL: frozenset[str] = frozenset()

    def __init__(self, module: ModuleType | None = None) -> None:
        """What ``module`` declares of the contract; the defaults alone without one."""
        for name in NAMES if module is not None else ():
            if hasattr(module, name):
                setattr(self, name, getattr(module, name))

    def __repr__(self) -> str:
        return f"Provided({', '.join(f'{name}={getattr(self, name)!r}' for name in NAMES)})"


#: The contract's names: the module attributes :class:`Provided` reads.
NAMES: tuple[str, ...] = tuple(Provided.__annotations__)

#: What a value that is not a command provides: the defaults.
NOTHING = Provided()


@functools.cache
def provided(module: ModuleType) -> Provided:
    """What ``module`` provides: each of :data:`NAMES` it declares (a command package's
    ``LAYOUT`` is read from its ``layout.py`` here, on first use), the default for the rest."""
    return Provided(module)
