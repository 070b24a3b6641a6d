"""JSON output: numbers written from the Decimal's own text, never through float.

The document is written as it is produced, so a ``rows`` iterator of any length streams
out in constant memory. Top-level keys go one per line; each row goes on a line of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import IO, Any


def number_text(value: Decimal) -> str:
    """``value`` as a JSON number: plain digits, no exponent, no float on the way."""
    text = str(value)  # three times faster than format(value, "f"), the same text without "E"
    return text if "E" not in text else format(value, "f")


_KEYS: dict[str, str] = {}


def _key(name: Any) -> str:
    """A key as JSON text (keys repeat on every row, so each is encoded once)."""
    text = _KEYS.get(name)
    if text is None:
        text = _KEYS[name] = encode_basestring(str(name))
    return text


def scalar(value: Any) -> str:
    """One JSON scalar, or a compact object or array on one line."""
    writer = _WRITERS.get(type(value))
    return writer(value) if writer is not None else _other(value)


def _pair(name: Any) -> str:
    """``"key": `` (each key is encoded once, then looked up)."""
    text = _PAIRS[name] = _key(name) + ": "
    return text


def _object(value: Mapping[str, Any]) -> str:
    # The hot path of a batch line (some 70 values, the echoed inputs included): one lookup
    # per key and per value; a null without a call.
    writer, pair = _WRITERS.get, _PAIRS.get
    return (
        "{"
        + ", ".join(
            [
                (pair(k) or _pair(k)) + ("null" if v is None else (writer(type(v)) or scalar)(v))
                for k, v in value.items()
            ]
        )
        + "}"
    )


def _array(value: Iterable[Any]) -> str:
    writer = _WRITERS.get
    return "[" + ", ".join([(writer(type(v)) or scalar)(v) for v in value]) + "]"


def _other(value: Any) -> str:
    """What :data:`_WRITERS` does not name: subclasses, enums, other mappings and iterables."""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, enum.Enum):
        return scalar(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, Mapping):
        return _object(value)
    if isinstance(value, Iterable):
        return _array(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_PAIRS: dict[Any, str] = {}
#: The writer of each exact type, looked up once per value.
_WRITERS: dict[type, Any] = {
    Decimal: number_text,
    str: encode_basestring,
    type(None): lambda _: "null",
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    dict: _object,
    list: _array,
    tuple: _array,
}


def write(doc: Mapping[str, Any], out: IO[str]) -> None:
    """Write ``doc`` as one JSON document; a list or iterator of objects goes a row a line."""
    out.write("{")
    first = True
    for key, value in doc.items():
        out.write("\n  " if first else ",\n  ")
        first = False
        out.write(_key(key) + ": ")
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
