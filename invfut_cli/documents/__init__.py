"""How each command's ``--json`` document is laid out: its keys and how they nest.

A dict is an object with those keys, a one-item list a list of that, ``None`` a value whose
unit the glossary gives, and ``{"*": …}`` an object keyed by a name (a coin). The JSON
Schema of ``invfut schema`` is made from these and the glossary; tests validate every
command's answers against it, so a key cannot be added, renamed or dropped unnoticed.

Each command that writes a document declares its layout on its command module (see
:mod:`invfut_cli.commands`): ``LAYOUT``, and ``OPTIONAL``, the top-level keys only some
answers carry. A command package may write them in its ``layout.py`` and import them in its
``__init__``; either way the command module is the one place they are looked up.
:data:`LAYOUTS` and :data:`OPTIONAL` gather them in the registry's order, on first use.
:mod:`.parts` builds the pieces several documents share, :mod:`.shared` the pieces of layout.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

from invfut_cli.commands import REGISTRY, load


def layout_module(command: str) -> ModuleType | None:
    """The module that declares ``command``'s ``LAYOUT`` (and ``OPTIONAL``): the command's
    own module; ``None`` for a command that writes no document of its own (``batch``)."""
    own = load(command)
    return own if hasattr(own, "LAYOUT") else None


def _layouts() -> dict[str, ModuleType]:
    """The layout module of each command that has one, by command name."""
    return {name: module for name in REGISTRY if (module := layout_module(name)) is not None}


@functools.cache
def _gathered() -> dict[str, Any]:
    modules = _layouts()
    return {
        # Each document's layout, by command name.
        "LAYOUTS": {name: module.LAYOUT for name, module in modules.items()},
        # Top-level keys only some answers carry (``account`` with ``--add`` has ``before``
        # and ``after`` in place of the account's own keys), by command name.
        "OPTIONAL": {name: module.OPTIONAL for name, module in modules.items() if hasattr(module, "OPTIONAL")},
    }


def __getattr__(name: str) -> Any:
    """:data:`LAYOUTS` and :data:`OPTIONAL`, gathered on first use: a command that builds its
    document from :mod:`.parts` does not import every layout."""
    if name in ("LAYOUTS", "OPTIONAL"):
        return _gathered()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
