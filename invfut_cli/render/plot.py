"""Charts of a ladder: coin PnL and USD PnL against the price, with the marked prices.

``ladder --plot`` draws :func:`terminal` text with plotille, and ``--plot-file FILE.svg``
writes :func:`svg` with pygal. This module is imported only when a chart is drawn, and
each library only inside the function that draws with it: the other output formats never
load either (a test checks ``sys.modules``).

Both charts take the ladder document as it is: its grid rows (at most :data:`POINTS` of
them, evenly picked from a longer grid) and its marked rows, and the marked prices
(entry, break-even, liquidation, bankruptcy) as drawn lines. Numbers become floats here,
for drawing only; every number written out as text is the document's own.

What is drawn is read from the document in :mod:`invfut_cli.render.plot_data`, and the
axes' steps and tick labels come from :mod:`invfut_cli.render.plot_axes`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from .plot_axes import FINE_NICE, NICE, nice_axis, nice_step, places, tick
from .plot_data import MARKS, POINTS, Chart, Mark, chart_data, grid_rows, key_items, on_chart, text

#: The chart's names, its data's and its axes' included, all reachable as ``plot.NAME``.
__all__ = [
    "ANSI",
    "FINE_NICE",
    "LIQUIDATED",
    "MARKS",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "NICE",
    "PANEL_HEIGHT",
    "POINTS",
    "SUFFIXES",
    "SVG_HEIGHT",
    "SVG_STEPS",
    "SVG_WIDTH",
    "VERSUS_COLOURS",
    "Chart",
    "Mark",
    "chart_data",
    "grid_rows",
    "key_items",
    "nice_axis",
    "nice_step",
    "on_chart",
    "packed",
    "places",
    "svg",
    "terminal",
    "text",
    "tick",
    "title",
    "write",
    "write_file",
]

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


# --- the terminal chart ----------------------------------------------------------------------------------


#: Under the key when the liquidation price is on the chart, in pieces a line may break between.
LIQUIDATED = ("Beyond L the position is liquidated and its collateral lost:", "the curve there is the formula's.")


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
    if chart.versus_equity_usd:  # ladder --versus: both positions' equity in USD
        other = doc["versus"]["contract_type"]
        lines += ["", f"Equity USD: inverse (green) and {other} (magenta), the same dollars at entry"]
        lines += _panel(chart, "Equity USD", chart.equity_usd, "green", False, width, colour, chart.versus_equity_usd)
    return "\n".join(lines)


def _panel(
    chart: Chart,
    label: str,
    values: list[Decimal],
    line_colour: str,
    lettered: bool,
    width: int,
    colour: bool,
    second: list[Decimal] | None = None,
) -> list[str]:
    """One panel, its widest line at most ``width`` columns (escape codes aside); ``second``:
    a second curve drawn in magenta."""
    canvas = width - _GUTTER - len(f"|-> ({_X_LABEL})")
    while True:
        drawn = _draw(chart, label, values, line_colour, lettered, canvas, colour, second).splitlines()
        if max(len(ANSI.sub("", line)) for line in drawn) <= width or canvas <= 10:
            return [line.rstrip() for line in drawn]
        canvas -= 1


def _draw(
    chart: Chart,
    label: str,
    values: list[Decimal],
    line_colour: str,
    lettered: bool,
    canvas: int,
    colour: bool,
    second: list[Decimal] | None = None,
) -> str:
    import plotille

    xs = [float(p) for p in chart.prices]
    ys = [float(v) for v in values]
    others = [float(v) for v in second or []]
    every = ys + others
    # Round numbers at the ticks: every row's on the y axis (zero among them), every tenth
    # column's on the x axis.
    y_low, y_step = nice_axis(min(min(every), 0.0), max(max(every), 0.0), PANEL_HEIGHT)
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
    if others:
        figure.plot(xs, others, lc="magenta")
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

#: ``ladder --versus``: the colours of the inverse and of the other contract's equity curve.
VERSUS_COLOURS = ("#17becf", "#ff7f0e")


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
    # ``ladder --versus``: both positions' equity in USD, the terminal's third panel, on the
    # right axis beside the PnL in USD (the axis then spans all three curves).
    other = doc["versus"]["contract_type"] if chart.versus_equity_usd else None
    equity = [[float(v) for v in chart.equity_usd], [float(v) for v in chart.versus_equity_usd]] if other else []
    right = [*usd, *(v for curve in equity for v in curve)]
    start, step = nice_axis(min([*coin, 0.0]), max([*coin, 0.0]), SVG_STEPS)
    low, high = start, start + SVG_STEPS * step
    below = round(start / step)  # zero is the tick ``-below`` from the bottom
    usd_step = nice_step(
        max(
            min(right, default=0.0) / below if below < 0 else 0.0,
            max(right, default=0.0) / (below + SVG_STEPS) if below + SVG_STEPS > 0 else 0.0,
        )
    )
    marks = sorted(on_chart(chart), key=lambda m: m[1])
    # pygal colours the left axis' series first, then the right axis' one. Its axes share one
    # formatter: a value outside the left axis' range is a right axis label.
    off = [(mark, price) for mark, price in chart.marks if (mark, price) not in marks]
    colours = ("#1f77b4", *(mark.svg_colour for mark, _ in [*marks, *off]), "#2ca02c", *VERSUS_COLOURS[: len(equity)])
    x_step = (xs[-1] - xs[0]) / 10 if len(xs) > 1 else 1.0
    figure = pygal.XY(
        width=SVG_WIDTH,
        height=SVG_HEIGHT,
        js=[],  # no script: the file looks the same anywhere, and nothing is fetched
        title=f"{title(doc)}: PnL against the price" + (f", equity inverse versus {other}" if other else ""),
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
    for name, curve in zip(("inverse", other), equity, strict=False):
        figure.add(
            f"Equity USD, {name} (right axis)",
            list(zip(xs, curve, strict=True)),
            show_dots=False,
            secondary=True,
            stroke_style={"width": 2, "dasharray": "2, 3"},
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


def write_file(doc: Mapping[str, Any], path: Path) -> None:
    """Write ``doc``'s chart to ``path`` as an SVG image."""
    path.write_text(svg(doc), encoding="utf-8")
