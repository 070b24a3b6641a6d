"""The data of a ladder's chart, shared by the terminal chart and the image.

:func:`chart_data` reads the ladder document as it is: its grid rows (at most
:data:`POINTS` of them, evenly picked from a longer grid) and its marked rows, and the
marked prices (entry, break-even, liquidation, bankruptcy, :data:`MARKS`). Numbers stay
the document's own Decimals here; they become floats only where a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

#: The most grid rows a chart is drawn through; a longer grid is sampled evenly.
POINTS = 1_000


class Mark(NamedTuple):
    """A marked price: its name, its one-letter label on the terminal chart, and its colours."""

    key: str
    name: str
    letter: str
    colour: str
    svg_colour: str


#: The marked prices, in the order they are listed.
MARKS = (
    Mark("average_entry", "entry", "E", "blue", "#4a4a4a"),
    Mark("break_even_price", "break-even", "B", "yellow", "#c88a00"),
    Mark("liquidation_price", "liquidation", "L", "red", "#d62728"),
    Mark("bankruptcy_price", "bankruptcy", "X", "magenta", "#7b1fa2"),
)


def text(value: Decimal) -> str:
    """A document number as the table writes it: thousands separators, every place."""
    return f"{value:,f}"


class Chart(NamedTuple):
    """What both charts draw: the points (price, coin PnL, USD PnL) and the marked prices."""

    coin: str
    prices: list[Decimal]
    pnl: list[Decimal]
    pnl_usd: list[Decimal]
    marks: list[tuple[Mark, Decimal]]
    grid_rows: int
    drawn_rows: int
    #: ``ladder --versus``: the equity in USD of the inverse position and of the other
    #: contract at each price (empty without ``--versus``).
    equity_usd: list[Decimal] = []
    versus_equity_usd: list[Decimal] = []


def grid_rows(rows: Any) -> tuple[list[Mapping[str, Any]], int]:
    """The grid rows to draw through, and how many the grid has: all of them up to
    :data:`POINTS`, else :data:`POINTS` picked evenly (a ladder's are computed one by one
    where they are picked, not all)."""
    points = getattr(rows, "points", None)
    if points is not None and len(points) > POINTS:
        picked = sorted({points[round(i * (len(points) - 1) / (POINTS - 1))] for i in range(POINTS)})
        return [row for k in picked for row in rows.window(range(k, k + 1))], len(points)
    every = list(rows or [])
    if len(every) > POINTS:
        picked = sorted({round(i * (len(every) - 1) / (POINTS - 1)) for i in range(POINTS)})
        return [every[i] for i in picked], len(every)
    return every, len(every)


def chart_data(doc: Mapping[str, Any]) -> Chart:
    """The points of ``doc``'s chart: the grid rows, with the marked rows inside the grid's
    range sorted in; and the marked prices that have a price. The chart spans the grid:
    a marked price beyond it is listed in the key, not drawn."""
    rows, count = grid_rows(doc.get("rows"))
    drawn = len(rows)
    by_price = {row["price"]: row for row in rows}
    low, high = (min(by_price), max(by_price)) if by_price else (None, None)
    for row in doc.get("marks") or []:
        if low is not None and high is not None and low <= row["price"] <= high:
            by_price.setdefault(row["price"], row)
    points = [
        row for _, row in sorted(by_price.items()) if row.get("pnl") is not None and row.get("pnl_usd") is not None
    ]
    return Chart(
        coin=doc.get("coin") or "coin",
        prices=[row["price"] for row in points],
        pnl=[row["pnl"] for row in points],
        pnl_usd=[row["pnl_usd"] for row in points],
        marks=[(mark, doc[mark.key]) for mark in MARKS if doc.get(mark.key) is not None],
        grid_rows=count,
        drawn_rows=drawn,
        **_versus(doc, points),
    )


def _versus(doc: Mapping[str, Any], points: list[Mapping[str, Any]]) -> dict[str, list[Decimal]]:
    """The two equity curves of ``ladder --versus`` (where both are known at every point)."""
    if not doc.get("versus") or any(
        row.get("equity_usd") is None or row.get("versus_equity_usd") is None for row in points
    ):
        return {}
    return {
        "equity_usd": [row["equity_usd"] for row in points],
        "versus_equity_usd": [row["versus_equity_usd"] for row in points],
    }


def on_chart(chart: Chart) -> list[tuple[Mark, Decimal]]:
    """The marked prices within the chart's price range (the others are only listed)."""
    if not chart.prices:
        return []
    return [(mark, price) for mark, price in chart.marks if chart.prices[0] <= price <= chart.prices[-1]]


def key_items(chart: Chart, letters: bool) -> list[str]:
    """``E entry 8,000.00`` for each marked price (without the letter for the image), and
    ``(off the chart)`` after one beyond the chart's price range."""
    shown = on_chart(chart)
    return [
        f"{mark.letter + ' ' if letters else ''}{mark.name} {text(price)}"
        + ("" if (mark, price) in shown else " (off the chart)")
        for mark, price in chart.marks
    ]
