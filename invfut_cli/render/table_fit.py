"""Fitting a table's columns to the terminal's width (the narrow-table rule): columns are
given up whole, the least needed first, and a line on stderr names them."""

from __future__ import annotations

import sys
from collections.abc import Mapping

#: Columns given up first, in this order, when the rows do not fit the terminal; after
#: them, the rightmost columns go. A number is never cut or folded: a column goes whole.
#: ``bar`` is the PnL bar.
DROP_ORDER = ("bar", "equity_usd", "roe_pct", "pnl_usd", "equity", "effective_leverage", "mark")


def fitted_columns(
    keys: list[str],
    cells: Mapping[str, list[str]],
    headers: Mapping[str, str],
    width: int,
    keep: tuple[str, ...] = (),
) -> list[str]:
    """The columns to draw: all of ``keys`` if they fit ``width``; else without the first
    of :data:`DROP_ORDER`, then without the rightmost, until they fit. The first column and
    those in ``keep`` stay. Nothing is cut: a column needs its header and its longest cell."""
    shown = list(keys)
    kept = {keys[0], *keep} if keys else set(keep)

    def needed() -> int:
        return sum(max([len(headers[k]), *map(len, cells[k])]) + 3 for k in shown) + 1

    for key in [*DROP_ORDER, *reversed(keys)]:
        if needed() <= width:
            break
        if key in shown and key not in kept:
            shown.remove(key)
    left_out = [headers[k].strip() for k in keys if k not in shown and k != "bar" and headers[k].strip()]
    if left_out:
        # Nothing is lost without a word: say what did not fit and how to see it.
        sys.stderr.write(
            f"invfut: {width} columns leave out {', '.join(left_out)}; "
            "widen the terminal, or use --json or --format csv for every column\n"
        )
    return shown
