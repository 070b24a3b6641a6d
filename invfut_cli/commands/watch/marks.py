"""Where ``watch`` reads its marks from: lines of text, each a bare number or a JSON object
with ``mark`` (or ``price``), and optional ``time`` (ISO 8601, Unix seconds or milliseconds)
and ``symbol``.

A source is any iterable of text lines (stdin, a file, a polling loop that writes what it
fetched as such a line); :func:`parse_line` reads one, and :class:`BadLine` says why one
cannot be read. The stream reads a bare number itself on its fast path (one ``Decimal``
and two comparisons a line) and comes here for anything else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from invfut_cli.inputs.fields import MAX_PRICE

#: A Unix time above this many seconds is read as milliseconds (10^11 s is the year 5138).
MILLISECONDS_FROM = Decimal(10) ** 11
#: The first Unix second of the year 10000: a time from it on cannot be shown (ISO 8601).
TIME_LIMIT = Decimal(253402300800)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_MARK = Decimal(MAX_PRICE)


class BadLine(ValueError):
    """A line that gives no mark, and why (the stream reports it and goes on)."""


@dataclass(frozen=True)
class Mark:
    """One mark read: the price, its time in Unix seconds (``None`` if not given), the symbol."""

    mark_usd: Decimal
    time_s: Decimal | None = None
    symbol: str | None = None


def _number(value: object, what: str) -> Decimal:
    """A JSON number, or a string holding one (many venues send prices as strings)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise BadLine(f"{what} is not a number")
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise BadLine(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise BadLine(f"{what} {value!r} is not a finite number")
    return number


def price(value: object, what: str = "the mark") -> Decimal:
    """A mark price: a positive finite number up to 10^12."""
    number = _number(value, what)
    if not 0 < number <= MAX_MARK:
        raise BadLine(f"{what} {number} is not a price (above 0, at most 10^12)")
    return number


def unix_seconds(value: object) -> Decimal:
    """A time as Unix seconds: a number (seconds, or milliseconds above 10^11), or ISO 8601
    text (a time without a zone is UTC)."""
    if isinstance(value, str):
        try:
            number: Decimal | None = _number(value, "the time")
        except BadLine:
            number = None
        if number is None:
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                raise BadLine(f"the time {value!r} is not ISO 8601 or Unix seconds") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            delta = moment - _EPOCH
            return _shown(Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds).scaleb(-6), value)
    else:
        number = _number(value, "the time")
    if number < 0:
        raise BadLine(f"the time {number} is before 1970")
    return _shown(number.scaleb(-3) if number >= MILLISECONDS_FROM else number, number)


def _shown(seconds: Decimal, given: object) -> Decimal:
    """``seconds``, if a date can show it (before the year 10000)."""
    if seconds >= TIME_LIMIT:
        raise BadLine(f"the time {given} is after the year 9999")
    return seconds


def parse_line(text: str) -> Mark | None:
    """The mark on one line; ``None`` for a blank line; :class:`BadLine` for anything else."""
    stripped = text.strip()
    if not stripped:
        return None
    if not stripped.startswith("{"):
        return Mark(price(stripped))
    try:
        data = json.loads(stripped, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, RecursionError) as exc:
        raise BadLine(f"not a number nor a JSON object ({str(exc).split(':')[0]})") from None
    if not isinstance(data, dict):
        raise BadLine("not a number nor a JSON object")
    key = "mark" if "mark" in data else "price" if "price" in data else None
    if key is None:
        raise BadLine('the object has no "mark" (or "price")')
    mark = price(data[key], f'"{key}"')
    time = data.get("time")
    symbol = data.get("symbol")
    if symbol is not None and not isinstance(symbol, str):
        raise BadLine('"symbol" is not text')
    return Mark(mark, None if time is None else unix_seconds(time), symbol)


def iso(time_s: Decimal) -> str:
    """Unix seconds as ISO 8601 UTC to the nearest millisecond (``2026-12-06T08:00:00Z``;
    the milliseconds where there are any): :func:`invfut_cli.candles.iso`."""
    from invfut_cli.candles import iso as iso_ms

    return iso_ms(int(time_s.scaleb(3).to_integral_value(ROUND_HALF_EVEN)))
