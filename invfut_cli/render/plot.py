"""Charts of a ladder: coin PnL and USD PnL against the price, with the marked prices.

``ladder --plot`` draws :func:`terminal` text with plotille, and ``--plot-file FILE.svg``
writes :func:`svg` with pygal. This module is imported only when a chart is drawn, and
each library only inside the function that draws with it: the other output formats never
load either (a test checks ``sys.modules``).

Both charts take the ladder document as it is: its grid rows (at most :data:`POINTS` of
them, evenly picked from a longer grid) and its marked rows, and the marked prices
(entry, break-even, liquidation, bankruptcy) as drawn lines. Numbers become floats here,
for drawing only; every number written out as text is the document's own.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import IO, Any, NamedTuple

#: The most grid rows a chart is drawn through; a longer grid is sampled evenly.
POINTS = 1_000

#: The narrowest and widest terminal chart, in columns.
MIN_WIDTH = 40
MAX_WIDTH = 160

#: Rows of each terminal panel's plotting area.
PANEL_HEIGHT = 10

#: The y-axis labels' width (plotille's), and what comes before the plotting area: `` | ``.
_Y_LABEL = 10
_GUTTER = _Y_LABEL + 3

#: The x axis' name: its line ends in ``-> (USD)``.
_X_LABEL = "USD"

#: The image's size in pixels.
SVG_WIDTH = 960
SVG_HEIGHT = 540

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


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


#: Under the key when the liquidation price is on the chart, in pieces a line may break between.
LIQUIDATED = ("Beyond L the position is liquidated and its collateral lost:", "the curve there is the formula's.")


def text(value: Decimal) -> str:
    """A document number as the table writes it: thousands separators, every place."""
    return f"{value:,f}"


# --- the data of a chart ----------------------------------------------------------------------------


class Chart(NamedTuple):
    """What both charts draw: the points (price, coin PnL, USD PnL) and the marked prices."""

    coin: str
    prices: list[Decimal]
    pnl: list[Decimal]
    pnl_usd: list[Decimal]
    marks: list[tuple[Mark, Decimal]]
    grid_rows: int
    drawn_rows: int


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
    )


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


def packed(items: Iterable[str], width: int, first: str = "", sep: str = "  ") -> list[str]:
    """``items`` joined by ``sep`` into lines of at most ``width`` characters, never
    breaking an item; a line after the first is indented by two spaces."""
    lines: list[str] = []
    line = first
    for item in items:
        if line.strip() and len(line) + len(sep) + len(item) > width:
            lines.append(line)
            line = "  " + item
        else:
            line = f"{line}{sep}{item}" if line.strip() else line + item
    if line.strip():
        lines.append(line)
    return lines


# --- numbers on the axes -----------------------------------------------------------------------------------


#: A y axis' step is one of these times a power of ten, and zero is one of its ticks.
NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
#: An x axis' step is one of these times a power of ten (finer: the price range is not
#: moved to take in zero, so a coarse step could leave much of the width empty), and its
#: ticks are whole multiples of that power of ten.
FINE_NICE = (1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0)


def nice_axis(low: float, high: float, cells: float, factors: tuple[float, ...] = NICE) -> tuple[float, float]:
    """``(start, step)`` of an axis of ``cells`` equal steps that covers ``low..high``, with
    the smallest step of ``factors`` that does. With :data:`NICE` the start is a whole
    number of steps (zero is a tick); otherwise a whole number of the step's power of ten."""
    span = high - low if high > low else abs(high) or 1.0
    raw = span / cells
    exponent = math.floor(math.log10(raw))
    for power in (exponent, exponent + 1, exponent + 2):
        for factor in factors:
            step = factor * 10.0**power
            if step < raw * (1 - 1e-9):
                continue
            unit = step if factors is NICE else 10.0**power
            start = math.floor(low / unit + 1e-9) * unit
            if start + cells * step >= high - step * 1e-9:
                return start, step
    return low, raw


def places(step: float) -> int:
    """The fewest decimal places (at most 8) that write multiples of ``step`` exactly."""
    step = abs(step)
    for digits in range(9):
        if step == 0 or abs(round(step, digits) - step) <= step * 1e-6:
            return digits
    return 8


def tick(value: float, step: float, chars: int) -> str:
    """A tick label of at most ``chars`` characters: ``value`` to the places its ``step``
    needs, with thousands separators while they fit, else with fewer places, else in
    thousands (k), millions (M), billions (B) or trillions (T)."""
    for digits in range(places(step), -1, -1):
        for shape in (f"{{:,.{digits}f}}", f"{{:.{digits}f}}"):
            shown = _unsigned_zero(shape.format(value))
            if len(shown) <= chars:
                return shown
    magnitude = abs(value)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if magnitude >= scale:
            for digits in (2, 1, 0):
                shown = f"{value / scale:.{digits}f}{suffix}"
                if len(shown) <= chars:
                    return shown
            break
    return f"{value:.1e}"[:chars]


def _unsigned_zero(shown: str) -> str:
    """``-0.00`` is ``0.00``."""
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.,") else shown


# --- the terminal chart ----------------------------------------------------------------------------------


def terminal(doc: Mapping[str, Any], width: int, colour: bool) -> str:
    """The chart as text ``width`` columns wide (within :data:`MIN_WIDTH` and
    :data:`MAX_WIDTH`): a key of the marked prices, then a panel of coin PnL and a panel of
    USD PnL against the price, each with the marked prices as vertical lines, lettered at the
    top of the coin panel. Without ``colour``, no escape code is written."""
    chart = chart_data(doc)
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    if len(chart.prices) < 2:
        return "No chart: it needs at least two prices."
    lines = packed(key_items(chart, letters=True), width, "Marked:")
    if any(mark.letter == "L" for mark, _ in on_chart(chart)):
        lines += packed(LIQUIDATED, width, sep=" ")
    if chart.drawn_rows < chart.grid_rows:
        lines.append(f"Drawn through {chart.drawn_rows:,} of the {chart.grid_rows:,} grid prices.")
    panels = (
        (f"PnL {chart.coin}", chart.pnl, "cyan", True),
        ("PnL USD", chart.pnl_usd, "green", False),
    )
    for label, values, line_colour, lettered in panels:
        lines.append("")
        lines += _panel(chart, label, values, line_colour, lettered, width, colour)
    return "\n".join(lines)


def _panel(
    chart: Chart, label: str, values: list[Decimal], line_colour: str, lettered: bool, width: int, colour: bool
) -> list[str]:
    """One panel, its widest line at most ``width`` columns (escape codes aside)."""
    canvas = width - _GUTTER - len(f"|-> ({_X_LABEL})")
    while True:
        drawn = _draw(chart, label, values, line_colour, lettered, canvas, colour).splitlines()
        if max(len(ANSI.sub("", line)) for line in drawn) <= width or canvas <= 10:
            return [line.rstrip() for line in drawn]
        canvas -= 1


def _draw(
    chart: Chart, label: str, values: list[Decimal], line_colour: str, lettered: bool, canvas: int, colour: bool
) -> str:
    import plotille

    xs = [float(p) for p in chart.prices]
    ys = [float(v) for v in values]
    # Round numbers at the ticks: every row's on the y axis (zero among them), every tenth
    # column's on the x axis.
    y_low, y_step = nice_axis(min(min(ys), 0.0), max(max(ys), 0.0), PANEL_HEIGHT)
    y_high = y_low + PANEL_HEIGHT * y_step
    x_low, x_step = nice_axis(xs[0], xs[-1], canvas / 10, FINE_NICE)
    x_high = x_low + canvas / 10 * x_step
    figure = plotille.Figure()
    figure.width, figure.height = canvas, PANEL_HEIGHT
    figure.with_colors = colour
    figure.x_label, figure.y_label = _X_LABEL, label
    figure.set_x_limits(x_low, x_high)
    figure.set_y_limits(y_low, y_high)
    figure.x_ticks_fkt = _ticks(9)
    figure.y_ticks_fkt = _ticks(_Y_LABEL)
    for mark, price in on_chart(chart):
        figure.plot([float(price)] * 2, [y_low, y_high], lc=mark.colour)
    figure.plot(xs, ys, lc=line_colour)
    if lettered:
        for x, letters, mark in _letters(chart, x_low, x_high, canvas):
            # In the top row: half a row below the top edge.
            figure.text([x], [y_high - (y_high - y_low) / (2 * PANEL_HEIGHT)], [letters], lc=mark.colour)
    return figure.show()


def _ticks(chars: int) -> Callable[[Any, Any], str]:
    def label(value: Any, following: Any) -> str:
        return tick(float(value), float(following) - float(value), chars)

    return label


def _letters(chart: Chart, low: float, high: float, canvas: int) -> list[tuple[float, str, Mark]]:
    """Where each mark's letter goes: ``(x, letters, first mark)``; marks a column or two
    apart share one label (``E/B``), and a label near the right edge moves left to fit."""
    span = (high - low) or 1.0
    groups: list[tuple[int, str, Mark]] = []
    for mark, price in sorted(on_chart(chart), key=lambda m: m[1]):
        column = min(canvas - 1, max(0, int((float(price) - low) / span * canvas)))
        if groups and column <= groups[-1][0] + len(groups[-1][1]):
            start, letters, first = groups[-1]
            if mark.letter not in letters.split("/"):
                groups[-1] = (start, f"{letters}/{mark.letter}", first)
            continue
        groups.append((column, mark.letter, mark))
    placed = []
    for column, letters, mark in groups:
        start = min(column, canvas - len(letters))
        placed.append((low + (start + 0.5) / canvas * span, letters, mark))
    return placed


def write(doc: Mapping[str, Any], out: IO[str]) -> None:
    """``ladder --plot``: the summary table, the chart in place of the row table, then the
    notes and any ``--explain`` lines, as the table renderer writes them."""
    from . import table

    console = table._Console(file=out, highlight=False)
    console.print(table.summary(doc))
    colour = console.color_system is not None and not console.no_color
    console.file.write(terminal(doc, console.width, colour) + "\n\n")
    for line in table.notes(doc):
        if line.startswith("Rows "):  # about the row table's styling, which the chart replaces
            continue
        console.print(line, style="yellow", soft_wrap=True)
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)


# --- the image ----------------------------------------------------------------------------------------------


#: The file types ``--plot-file`` writes, by suffix.
SUFFIXES = (".svg",)


def title(doc: Mapping[str, Any]) -> str:
    """``ladder long 10,000 × 1 USD at 8,000.00``, the table's title."""
    inputs = doc.get("inputs") or {}
    parts = [str(doc.get("command", "ladder"))]
    if inputs.get("contracts") is not None:
        parts.append(f"{inputs.get('side', '')} {text(inputs['contracts'])} × {text(inputs['contract_size'])} USD")
    if doc.get("average_entry") is not None:
        parts.append(f"at {text(doc['average_entry'])}")
    return " ".join(parts)


#: Steps of the image's y axes.
SVG_STEPS = 8


def svg(doc: Mapping[str, Any]) -> str:
    """The chart as an SVG document: coin PnL on the left axis, USD PnL on the right (the
    two have the same sign at every price, and zero on one line), and each marked price a
    dashed vertical line labelled with its name."""
    pygal = _pygal()
    from pygal.style import Style

    chart = chart_data(doc)
    xs = [float(p) for p in chart.prices]
    coin = [float(v) for v in chart.pnl]
    usd = [float(v) for v in chart.pnl_usd]
    start, step = nice_axis(min([*coin, 0.0]), max([*coin, 0.0]), SVG_STEPS)
    low, high = start, start + SVG_STEPS * step
    below = round(start / step)  # zero is the tick ``-below`` from the bottom
    usd_step = nice_step(
        max(
            min(usd, default=0.0) / below if below < 0 else 0.0,
            max(usd, default=0.0) / (below + SVG_STEPS) if below + SVG_STEPS > 0 else 0.0,
        )
    )
    marks = sorted(on_chart(chart), key=lambda m: m[1])
    # pygal colours the left axis' series first, then the right axis' one. Its axes share one
    # formatter: a value outside the left axis' range is a right axis label.
    off = [(mark, price) for mark, price in chart.marks if (mark, price) not in marks]
    colours = ("#1f77b4", *(mark.svg_colour for mark, _ in [*marks, *off]), "#2ca02c")
    x_step = (xs[-1] - xs[0]) / 10 if len(xs) > 1 else 1.0
    figure = pygal.XY(
        width=SVG_WIDTH,
        height=SVG_HEIGHT,
        js=[],  # no script: the file looks the same anywhere, and nothing is fetched
        title=f"{title(doc)}: PnL against the price",
        x_title="Price (USD)",
        y_title=f"PnL ({chart.coin})",
        range=(low, high),
        y_labels=[start + i * step for i in range(SVG_STEPS + 1)],
        secondary_range=(below * usd_step, (below + SVG_STEPS) * usd_step),
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=-1,
        print_labels=True,
        show_x_guides=False,
        x_value_formatter=lambda v: tick(v, x_step, 12),
        value_formatter=lambda v: tick(v, step if low <= v <= high else usd_step, 12),
        style=Style(colors=colours, background="white", plot_background="white", value_label_font_size=13),
    )
    figure.add(f"PnL {chart.coin} (left axis)", list(zip(xs, coin, strict=True)), show_dots=False)
    # Labels one below the other, so that marks close together stay readable.
    for index, (mark, price) in enumerate(marks):
        top = high - (index + 0.5) * (high - low) / 16
        figure.add(
            f"{mark.name} {text(price)}",
            [{"value": (float(price), low)}, {"value": (float(price), top), "label": mark.name}],
            show_dots=True,
            dots_size=2,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    for mark, price in off:
        figure.add(f"{mark.name} {text(price)} (off the chart)", [])
    figure.add(
        "PnL USD (right axis)",
        list(zip(xs, usd, strict=True)),
        show_dots=False,
        secondary=True,
        formatter=lambda v: tick(v, usd_step, 12),
    )
    return figure.render(is_unicode=True)


def _pygal() -> ModuleType:
    """pygal, without the import hook it adds for its map plug-ins (``pygal.maps.*``, which
    invfut does not use): a legacy finder at the end of ``sys.meta_path``, that Python 3.11
    warns about (``ImportWarning``) each time an import reaches it."""
    import pygal

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "pygal"]
    return pygal


def nice_step(raw: float) -> float:
    """The smallest step of :data:`NICE` times a power of ten that is at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = math.floor(math.log10(raw))
    return min(f * 10.0**p for p in (power, power + 1) for f in NICE if f * 10.0**p >= raw * (1 - 1e-9))


def write_file(doc: Mapping[str, Any], path: Path) -> None:
    """Write ``doc``'s chart to ``path`` as an SVG image."""
    path.write_text(svg(doc), encoding="utf-8")
