"""JSON output: numbers written from the Decimal's own text, never through float.

The document is written as it is produced, so a ``rows`` iterator of any length streams
out in constant memory. Top-level keys go one per line; each row goes on a line of its own.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any


def number_text(value: Decimal) -> str:
    """``value`` as a JSON number: plain digits, no exponent, no float on the way."""
    return format(value, "f")


def scalar(value: Any) -> str:
    """One JSON scalar, or a compact object or array on one line."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, enum.Enum):
        return scalar(value.value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Iterable):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write(doc: Mapping[str, Any], out: IO[str]) -> None:
    """Write ``doc`` as one JSON document; a list or iterator of objects goes a row a line."""
    out.write("{")
    first = True
    for key, value in doc.items():
        out.write("\n  " if first else ",\n  ")
        first = False
        out.write(json.dumps(key) + ": ")
        if (
            isinstance(value, (list, tuple))
            and value
            and isinstance(value[0], Mapping)
            or (not isinstance(value, (str, bytes, Mapping, list, tuple)) and isinstance(value, Iterable))
        ):
            _write_rows(value, out)
        else:
            out.write(scalar(value))
    out.write("\n}\n")


def _write_rows(rows: Iterable[Any], out: IO[str]) -> None:
    out.write("[")
    first = True
    for row in rows:
        out.write("\n    " if first else ",\n    ")
        first = False
        out.write(scalar(row))
    out.write("]" if first else "\n  ]")
