"""NDJSON and CSV: the document's rows, one record a line, for scripts and spreadsheets.

A document with ``rows`` writes one record per row, streamed as the rows come. A
document without rows writes one record of its top-level values, nested objects
flattened to ``parent.child`` keys. Numbers are the Decimal's own text, as in JSON.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

from invfut_cli import workers
from invfut_cli.registry import spec

from .json_out import number_text, scalar


def records(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The rows of ``doc``, or ``doc`` itself flattened into one record."""
    rows = doc.get("rows")
    own = spec(doc.get("command")).flat_records
    if rows is not None:
        yield from rows
    elif own is not None and _whole(doc):  # a command whose records are not its rows (exchanges: one per contract)
        yield from own(doc)
    else:
        yield flatten(doc)


def _whole(doc: Mapping[str, Any]) -> bool:
    """Whether ``doc`` is not cut to some of its keys (``--fields``): a cut one is flattened."""
    from invfut_cli.selection import ASKED

    return ASKED.get() is None


def flatten(doc: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` is ``{"a.b": 1}``; lists stay whole (written as JSON text)."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def cell(value: Any) -> str:
    """A CSV cell: plain numbers, empty for null, lists and objects as JSON text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if hasattr(value, "as_tuple"):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Iterable):
        return scalar(list(value))
    return str(value)


#: A ladder longer than this is shared among the cores (see :mod:`invfut_cli.workers`).
PARALLEL_ROWS = 50_000
#: Rows a worker writes at a time.
CHUNK_ROWS = 5_000


class _NdjsonLines:
    """Records as NDJSON lines; records with the keys of the one before reuse its template."""

    def __init__(self) -> None:
        self.keys: tuple[str, ...] = ()
        self.template = ""

    def __call__(self, records: Iterable[Mapping[str, Any]]) -> str:
        lines = []
        for record in records:
            if tuple(record) != self.keys:
                self.keys = tuple(record)
                self.template = "{" + ", ".join(f"{scalar(k)}: %s" for k in self.keys) + "}\n"
            lines.append(
                self.template % tuple([number_text(v) if type(v) is Decimal else scalar(v) for v in record.values()])
            )
        return "".join(lines)


def _csv_lines(header: list[str]) -> Callable[[Iterable[Mapping[str, Any]]], str]:
    def lines(records: Iterable[Mapping[str, Any]]) -> str:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerows(
            [number_text(v) if type(v) is Decimal else v if v is None or type(v) is str else cell(v) for v in values]
            for values in ([record.get(key) for key in header] for record in records)
        )
        return text.getvalue()

    return lines


def _write(doc: Mapping[str, Any], rows: Iterator[Mapping[str, Any]], lines: Callable[..., str], out: IO[str]) -> None:
    """Write ``rows`` (the records of ``doc``), a thousand lines a write; a long ladder
    from every core instead, in order (its rows object can be cut into windows)."""
    own = doc.get("rows")
    points = getattr(own, "points", None)
    if points is not None and hasattr(own, "window") and workers.usable(out, len(points), PARALLEL_ROWS):
        workers.write_ordered(workers.chunks(points, CHUNK_ROWS), lambda part: lines(own.window(part)), out)
        return
    while batch := list(itertools.islice(rows, 1000)):
        out.write(lines(batch))


def write_ndjson(doc: Mapping[str, Any], out: IO[str]) -> None:
    """One JSON object per line."""
    _write(doc, records(doc), _NdjsonLines(), out)


def write_csv(doc: Mapping[str, Any], out: IO[str]) -> None:
    """A header row, then one row per record."""
    rows = records(doc)
    first = next(rows, None)
    if first is None:
        return
    header = list(first)
    csv.writer(out, lineterminator="\n").writerow(header)
    _write(doc, itertools.chain([first], rows), _csv_lines(header), out)
