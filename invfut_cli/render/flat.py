"""NDJSON and CSV: the document's rows, one record a line, for scripts and spreadsheets.

A document with ``rows`` writes one record per row, streamed as the rows come. A
document without rows writes one record of its top-level values, nested objects
flattened to ``parent.child`` keys. Numbers are the Decimal's own text, as in JSON.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

from .json_out import number_text, scalar


def records(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The rows of ``doc``, or ``doc`` itself flattened into one record."""
    rows = doc.get("rows")
    if rows is not None:
        yield from rows
    elif "exchanges" in doc:
        for venue in doc["exchanges"]:
            for coin, contract in venue["coins"].items():
                yield flatten(
                    {k: v for k, v in venue.items() if k not in ("coins", "notes")} | {"coin": coin, **contract}
                )
    else:
        yield flatten(doc)


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


def write_ndjson(doc: Mapping[str, Any], out: IO[str]) -> None:
    """One JSON object per line (rows with the keys of the first row are written from a
    template made once)."""
    template: str | None = None
    keys: tuple[str, ...] = ()
    write = out.write
    for record in records(doc):
        if template is None or tuple(record) != keys:
            keys = tuple(record)
            template = "{" + ", ".join(f"{scalar(k)}: %s" for k in keys) + "}\n"
        write(template % tuple([format(v, "f") if type(v) is Decimal else scalar(v) for v in record.values()]))


def write_csv(doc: Mapping[str, Any], out: IO[str]) -> None:
    """A header row, then one row per record."""
    writer = csv.writer(out, lineterminator="\n")
    header: list[str] | None = None
    for record in records(doc):
        if header is None:
            header = list(record)
            writer.writerow(header)
        writer.writerow([cell(record.get(key)) for key in header])
