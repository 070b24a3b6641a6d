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
from typing import Any

from invfut_cli.registry import REGISTRY, spec


@functools.cache
def _gathered() -> dict[str, Any]:
    specs = {name: spec(name) for name in REGISTRY}
    return {
        # Each document's layout, by command name (``batch`` writes none of its own).
        "LAYOUTS": {name: s.LAYOUT for name, s in specs.items() if s.LAYOUT is not None},
        # Top-level keys only some answers carry (``account`` with ``--add`` has ``before``
        # and ``after`` in place of the account's own keys), by command name.
        "OPTIONAL": {name: s.OPTIONAL for name, s in specs.items() if s.OPTIONAL},
    }


def __getattr__(name: str) -> Any:
    """:data:`LAYOUTS` and :data:`OPTIONAL`, gathered on first use: a command that builds its
    document from :mod:`.parts` does not import every layout."""
    if name in ("LAYOUTS", "OPTIONAL"):
        return _gathered()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
