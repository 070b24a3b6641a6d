"""Tables for people, drawn with rich; imported only when a table is drawn.

The table shows the values of the same document ``--json`` prints, under readable
labels (:mod:`.table_labels`); its cells read as :mod:`.table_cells` writes them, its row
columns fit the terminal as :mod:`.table_fit` decides, and :mod:`.table_notes` writes the
lines under it. This module draws: the summary, the rows, and a plain table of text cells.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from invfut_cli.registry import spec

from .table_cells import gain_style, text
from .table_fit import fitted_columns
from .table_labels import ALWAYS_SHOWN, COLUMNS, LABELS, first_keys, left_for_later, liquidated_in_red, repeats_another
from .table_notes import notes

# What other modules take from the table renderer: the cell text, a plain table, the
# summary and the notes under it (a chart's too), and what the summary leaves to --explain.
__all__ = [
    "TABLE_ROWS",
    "first_keys",
    "left_for_later",
    "notes",
    "plain_table",
    "rows_table",
    "summary",
    "text",
    "write",
]

#: The width of the PnL bar, in cells.
BAR_WIDTH = 16


def _title(doc: Mapping[str, Any]) -> str:
    """The command, the position, and where: the venue, its symbol and the tier used."""
    inputs = doc.get("inputs", {})
    side = inputs.get("side", "")
    parts = [doc["command"]]
    if "contracts" in inputs and inputs.get("contracts") is not None:
        kind = doc.get("contract_type")  # a linear contract is coin, a quanto's size is its multiplier
        size = (
            f"{text(inputs.get('contract_size') or 1)} {doc.get('underlying')} {kind}"
            if kind == "linear"
            else f"{text(inputs.get('multiplier'))} {doc.get('coin')}/USD quanto"
            if kind == "quanto"
            else f"{text(inputs.get('contract_size'))} USD"
        )
        parts.append(f"{side} {text(inputs['contracts'])} × {size}")
    if doc.get("average_entry") is not None or "entry" in inputs:
        parts.append(f"at {text(doc.get('average_entry') or inputs['entry'])}")
    preset = doc.get("preset")
    if isinstance(preset, Mapping) and preset.get("name"):
        where = f"· {preset['name']} {preset.get('symbol') or ''}".rstrip()
        tier = doc.get("tier")
        if isinstance(tier, Mapping) and tier.get("index") is not None:
            where += f", tier {tier['index']}"
        parts.append(where)
    return " ".join(parts)


def summary(doc: Mapping[str, Any]) -> Table:
    """The key/value table of a document's summary keys."""
    coin = doc.get("coin", "coin")
    title = _title(doc)
    # As wide as the title, so that it stays on one line (the terminal permitting).
    table = Table(title=title, box=box.SIMPLE_HEAVY, show_header=False, title_justify="left", min_width=len(title))
    shown = [
        (LABELS[key].format(coin=coin), "none" if doc.get(key) is None else text(doc[key]), key)
        for key in first_keys(doc)
        if key in LABELS
        # "none" is an answer where the document says why (its reason); elsewhere (pnl without
        # a margin) a null price is not known, and not shown.
        if (doc.get(key) is not None or (key in ALWAYS_SHOWN and key in doc and "reason" in doc))
        and not repeats_another(doc, key)
    ]
    table.add_column("what", style="bold", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True, min_width=max((len(v) for _, v, _ in shown), default=1))
    for label, value, key in shown:
        table.add_row(label, Text(value, style=gain_style(key, doc.get(key))))
    return table


def bar(value: Decimal | None, scale: Decimal) -> Text:
    """A diverging bar: losses to the left of the axis in red, gains to the right in green."""
    half = BAR_WIDTH // 2
    if value is None or scale == 0:
        return Text(" " * half + "│" + " " * half)
    cells = int(abs(value) / scale * half + Decimal("0.5"))
    cells = min(half, cells)
    if value < 0:
        return Text(" " * (half - cells)) + Text("█" * cells, style="red") + Text("│" + " " * half)
    return Text(" " * half + "│") + Text("█" * cells, style="green") + Text(" " * (half - cells))


def rows_table(doc: Mapping[str, Any], rows: list[Mapping[str, Any]], width: int) -> Table:
    """The row table; marked prices (entry, liquidation, …) stand out in bold."""
    coin = doc.get("coin", "coin")
    keys = [k for k in COLUMNS if any(row.get(k) is not None for row in rows)]
    if "liquidated" in keys and liquidated_in_red(doc):
        keys.remove("liquidated")  # these rows are drawn in red instead, with a note below
    headers = {k: COLUMNS[k].format(coin=coin) for k in keys}
    cells = {k: [(row.get(k) or "") if k == "mark" else text(row.get(k)) for row in rows] for k in keys}
    if "pnl" in keys:
        keys.append("bar")
        headers["bar"] = f"PnL {coin}"
        cells["bar"] = [" " * (BAR_WIDTH + 1)]
    # The columns the rows keep to the last (after the price): the command module's
    # ``ESSENTIAL_COLUMNS``, else the PnL.
    keys = fitted_columns(keys, cells, headers, width, spec(doc.get("command")).ESSENTIAL_COLUMNS)
    table = Table(box=box.SIMPLE_HEAD)
    for key in keys:
        table.add_column(
            headers[key],
            justify="left" if key in ("mark", "bar") else "right",
            no_wrap=True,
            min_width=max(map(len, cells[key]), default=1),
        )
    scale = max((abs(r["pnl"]) for r in rows if r.get("pnl") is not None), default=Decimal(0))
    for index, row in enumerate(rows):
        line: list[Any] = [
            bar(row.get("pnl"), scale) if k == "bar" else Text(cells[k][index], style=gain_style(k, row.get(k)))
            for k in keys
        ]
        style = " ".join(s for s, on in (("bold", row.get("mark")), ("red", row.get("liquidated"))) if on)
        table.add_row(*line, style=style or None)
    return table


def plain_table(headers: list[str], rows: list[list[str]], width: int, title: str | None = None) -> Table:
    """A table of text cells that fits ``width`` by leaving out its rightmost columns (the
    first stays); no cell is cut or folded."""
    keys = [str(i) for i in range(len(headers))]
    cells = {k: [row[i] for row in rows] for i, k in enumerate(keys)}
    shown = fitted_columns(keys, cells, dict(zip(keys, headers, strict=True)), width)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for key in shown:
        index = int(key)
        table.add_column(headers[index], no_wrap=True, min_width=max(map(len, cells[key]), default=1))
    for row in rows:
        table.add_row(*(row[int(k)] for k in shown))
    return table


def label_grid(rows: list[list[str]]) -> Padding:
    """Labels and values in two borderless columns, indented by two: a long value wraps
    within its own column at the terminal's width."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return Padding(grid, (0, 0, 0, 2))


#: The most grid rows a table draws; a longer grid gets its marked rows and a hint instead.
TABLE_ROWS = 500


def drawable(rows: Any) -> tuple[list[Mapping[str, Any]] | None, str]:
    """The grid rows to draw, or ``None`` with how many there are (``"more than 500"``)
    when there are more than :data:`TABLE_ROWS` (a ladder's are counted, not computed)."""
    points = getattr(rows, "points", None)
    if points is not None and len(points) > TABLE_ROWS:
        return None, f"{len(points):,}"
    head = list(itertools.islice(iter(rows or []), TABLE_ROWS + 1))
    if len(head) > TABLE_ROWS:
        return None, f"more than {TABLE_ROWS:,}" if not isinstance(rows, list) else f"{len(rows):,}"
    return head, f"{len(head):,}"


def merged_rows(doc: Mapping[str, Any], rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Grid ``rows`` with the marked prices sorted in (a mark on a grid price labels that row)."""
    grid_prices = {row["price"] for row in rows}
    extra = [m for m in doc.get("marks", []) if m["price"] not in grid_prices]
    return sorted(rows + extra, key=lambda r: r["price"])


class _Console(Console):
    """A console that reports a closed pipe as ``BrokenPipeError`` for the CLI to end quietly."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def write(doc: Mapping[str, Any], out: IO[str]) -> None:
    """Draw ``doc`` as tables on ``out``."""
    console = _Console(file=out, highlight=False)
    # A command whose module lays out its own table (account, compare, exchanges).
    draw_table = spec(doc.get("command")).draw_table
    if draw_table is not None:
        draw_table(doc, console)
        return
    console.print(summary(doc))
    if "rows" in doc:
        rows, count = drawable(doc["rows"])
        if rows is not None:
            console.print(rows_table(doc, merged_rows(doc, rows), console.width))
        else:
            marked = merged_rows(doc, [])
            if marked:
                console.print(rows_table(doc, marked, console.width))
            command = doc.get("command", "ladder")
            sys.stderr.write(
                f"invfut {command}: {count} rows are more than a table shows ({TABLE_ROWS:,} at most)"
                f"{'; only the marked prices are drawn' if marked else ''}. For every row: "
                f"invfut {command} ... --format csv > {command}.csv (or --format ndjson, or --json)\n"
            )
    if doc.get("versus"):  # ladder --versus: the seeds' comparison, with this position's numbers
        from invfut_cli.contract_types.render import comparison_table

        console.print(comparison_table(doc))
    for line in notes(doc):
        # Notes wrap at spaces to the terminal's width (a number is never split).
        console.print(line, style="bold red" if "LIQUIDATED" in line else "yellow", overflow="fold")
    for line in doc.get("explain") or []:
        console.print(line, soft_wrap=True)
