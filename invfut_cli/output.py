"""What a command writes: its document on stdout in the chosen format, the ``explain`` key
of that document, and the stderr line of an alert.

rich is imported only for a table, and a plotting library only for a chart.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Any

from .choices import OutputFormat
from .core.errors import DomainError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


class PipeClosed(Exception):
    """stdout's reader went away (``| head``): not an OSError, so typer does not turn it into exit 1."""


def check_output(as_json: bool, fmt: OutputFormat | None) -> None:
    """``--json`` is ``--format json``: another ``--format`` beside it is a usage error."""
    if as_json and fmt is not None and fmt is not OutputFormat.json:
        raise DomainError(f"--json is --format json: give --json or --format {fmt.value}, not both", option="format")


def explained(doc: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """``doc`` with its ``explain`` key (the formula steps if ``wanted``, else null, set in
    ``doc`` itself), as its command's typed document (:func:`invfut_cli.documents.typed.typed`):
    the last step of every answer, the command line's and each batch line's."""
    typed, asked_now = _checks()
    asked = asked_now()
    if asked is not None and doc.get("command") != asked.command:
        asked = None  # --fields names this command's keys only
    if wanted and (asked is None or "explain" in asked.plan):
        from .explain import with_explanation

        doc = with_explanation(doc, True)
    else:
        doc["explain"] = None  # in place: each answer's document is its own (a batch line's hot path)
    return typed(doc) if asked is None else asked.typed(asked.cut(doc))


@functools.cache
def _checks() -> tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[[], Any]]:
    """The typed check and the ``--fields`` asked (``ASKED.get``), imported on the first answer,
    not at start-up (``invfut --version`` needs neither), and not again on each ``batch`` line."""
    from .documents.typed import typed
    from .selection import ASKED

    return typed, ASKED.get


def check_chart(plot: bool, as_json: bool, fmt: OutputFormat | None) -> None:
    """A chart's conditions (``--plot`` or ``--plot-file`` was given): the whole document (no
    ``--fields``), and ``--plot`` only for the table (``--plot-file`` goes beside any output)."""
    from .selection import ASKED

    if ASKED.get() is not None:
        raise DomainError("the chart needs the whole document: leave out --fields", option="fields")
    if plot and (as_json or fmt not in (None, OutputFormat.table)):
        given = "--json" if as_json else f"--format {fmt.value if fmt else ''}"
        raise DomainError(
            f"the chart is drawn for people on the terminal, not with {given}; "
            "for a chart beside that output give --plot-file FILE.svg",
            option="plot",
        )


def emit(
    doc: dict[str, Any],
    as_json: bool,
    fmt: OutputFormat | None = None,
    plot: bool = False,
    plot_file: Path | None = None,
) -> None:
    """Write ``doc`` to stdout in the chosen format (``--json`` is ``--format json``);
    ``plot``: the summary and a chart in place of the table's rows; ``plot_file``: write the
    chart there as well, first (an error then leaves stdout empty).
    """
    check_output(as_json, fmt)
    if plot or plot_file is not None:
        check_chart(plot, as_json, fmt)
    if plot_file is not None:
        from .render import plot as chart

        try:
            chart.write_file(doc, plot_file)
        except OSError as exc:
            raise DomainError(f"cannot write '{plot_file}': {exc.strerror or exc}", option="plot_file") from None
    if plot:
        fmt = OutputFormat.table
    if fmt is None and not as_json:
        from .config import settings

        configured = settings().get("format")
        fmt = OutputFormat(configured) if configured else None
    from .selection import ASKED

    chosen = fmt if fmt is not None else (OutputFormat.json if as_json else OutputFormat.table)
    try:
        if chosen is OutputFormat.json:
            from .render import json_out

            json_out.write(doc, sys.stdout)
        elif chosen is OutputFormat.table and plot:
            from .render import plot as chart

            chart.write(doc, sys.stdout)
        elif chosen is OutputFormat.table and ASKED.get() is not None:
            from .render.fields_table import write_table

            write_table(doc, sys.stdout)
        elif chosen is OutputFormat.table:
            from .render import table

            table.write(doc, sys.stdout)
        else:
            from .render import flat

            (flat.write_csv if chosen is OutputFormat.csv else flat.write_ndjson)(doc, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


def alert_line(command: str, doc: dict[str, Any]) -> None:
    """The stderr line of an alert (exit code 4): beyond the liquidation price, or within the limit."""
    liquidation, mark = doc["liquidation_price"], doc["mark_price"]
    if doc["beyond"]:
        what = f"the mark {mark} is at or beyond the liquidation price {liquidation}: liquidated"
    else:
        where = "below" if doc["distance_from_mark_pct"] < 0 else "above"
        what = (
            f"the liquidation price {liquidation} is {abs(doc['distance_from_mark_pct'])}% {where} the mark {mark}, "
            f"within the {doc['fail_within_pct']}% limit"
        )
    sys.stderr.write(f"invfut {command}: alert: {what}\n")
