"""How each command's ``--json`` document is laid out: its keys and how they nest.

A dict is an object with those keys, a one-item list a list of that, ``None`` a value whose
unit the glossary gives, and ``{"*": …}`` an object keyed by a name (a coin). The JSON
Schema of ``invfut schema`` is made from these and the glossary; tests validate every
command's answers against it, so a key cannot be added, renamed or dropped unnoticed.

Each command that writes a document has its layout in ``documents/<command>.py`` (the
module named as in :mod:`invfut_cli.commands`): ``LAYOUT``, and ``OPTIONAL``, the top-level
keys only some answers carry. :data:`LAYOUTS` and :data:`OPTIONAL` gather them in the
registry's order.
"""

from __future__ import annotations

import importlib
from typing import Any

from invfut_cli.commands import REGISTRY, module_name


def _layouts() -> dict[str, Any]:
    """The layout module of each command that has one, by command name."""
    modules = {}
    for name in REGISTRY:
        try:
            modules[name] = importlib.import_module(f"{__name__}.{module_name(name)}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name(name)}":
                raise
    return modules


_MODULES = _layouts()

#: Each document's layout, by command name.
LAYOUTS: dict[str, dict[str, Any]] = {name: module.LAYOUT for name, module in _MODULES.items()}

#: Top-level keys only some answers carry (``account`` with ``--add`` has ``before`` and
#: ``after`` in place of the account's own keys), by command name.
OPTIONAL: dict[str, frozenset[str]] = {
    name: module.OPTIONAL for name, module in _MODULES.items() if hasattr(module, "OPTIONAL")
}
