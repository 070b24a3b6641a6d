"""How a value reads in a table's cell: numbers with thousands separators, null as a dash,
and gains in green, losses in red."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def text(value: Any) -> str:
    """A value as shown in a cell: numbers with thousands separators, null as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return str(value)


#: Keys whose sign is a gain or a loss: green or red (rich leaves colour out in a pipe, with
#: NO_COLOR or TERM=dumb).
SIGNED = frozenset({"pnl", "pnl_usd", "step_pnl", "net_pnl", "net_pnl_usd", "roe_pct", "realised_pnl", "total_pnl"})


def gain_style(key: str, value: Any) -> str:
    """``green`` for a gain, ``red`` for a loss, nothing else."""
    if key not in SIGNED or not isinstance(value, Decimal) or value == 0:
        return ""
    return "green" if value > 0 else "red"
