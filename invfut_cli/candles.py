"""The one reader of candle files (``--vol-from``, ``invfut replay``): one candle at a time,
in constant memory, never trusting the file.

A file is CSV, either with a header naming its columns (``time,open,high,low,close`` and
optionally ``volume``, ``mark``, ``funding``; other columns are ignored, so BitMEX's
bucketed trades with ``timestamp,symbol,open,high,low,close,…`` read as they are) or
without one, in the column order the venues' kline downloads share: Binance's
``open_time,open,high,low,close,volume,close_time,…``, Bybit's and OKX's
``start,open,high,low,close,volume,…``. A time is ISO 8601 (UTC unless it says otherwise),
or Unix seconds, milliseconds or microseconds (told apart by size).

Anything wrong stops the reading with one :class:`CandleFileError` naming the file and the
line: a missing file, a line too long, a missing column, a number that is not a finite
positive price, a low above the high (or an open or close outside them), a time that is not
after the one before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError

#: The longest line read; a longer one is refused before it is held in memory.
MAX_LINE = 4096
#: The largest price taken (as the options take).
MAX_PRICE = Decimal(10**12)
#: The largest funding rate taken in a ``funding`` column (as a fraction: 1 is 100%).
MAX_FUNDING = Decimal(1)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)

#: Header names taken for each column (lower case, spaces and dashes as underscores).
ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("time", "timestamp", "open_time", "opentime", "date", "datetime", "ts", "start", "start_time",
             "starttime"),
    "open": ("open", "o"),
    "high": ("high", "h"),
    "low": ("low", "l"),
    "close": ("close", "c"),
    "mark": ("mark", "mark_price", "markprice"),
    "funding": ("funding", "funding_rate", "fundingrate"),
}  # fmt: skip
#: Column positions without a header: the venues' kline layout.
HEADERLESS = {"time": 0, "open": 1, "high": 2, "low": 3, "close": 4}


class CandleFileError(ConfigError):
    """A candle file that cannot be read or is broken (``FILE: line N: what``): exit 6."""


class Candle(NamedTuple):
    """One candle: its line in the file, its open time in Unix milliseconds, its prices
    (USD per coin) and, where the file has them, the mark price and the funding rate."""

    line: int
    time_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    mark: Decimal | None
    funding: Decimal | None


def time_ms(text: str) -> int | None:
    """A time as Unix milliseconds: ISO 8601 (UTC where no offset is given), or whole Unix
    seconds (below 10^11), milliseconds (below 10^14) or microseconds (below 10^17);
    ``None`` if the text is none of these."""
    body = text.strip()
    if body.isdigit():
        number = int(body)
        if number < 10**11:
            return number * 1000
        if number < 10**14:
            return number
        if number < 10**17:
            return number // 1000
        return None
    try:
        moment = datetime.fromisoformat(body)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MS


def iso(ms: int) -> str:
    """Unix milliseconds as ISO 8601 UTC (``2024-03-01T00:00:00Z``)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if ms % 1000:
        text += f".{ms % 1000:03d}"
    return text + "Z"


def _columns(header: list[str]) -> dict[str, int] | None:
    """The position of each known column in a header row, or ``None`` if the row is data."""
    if time_ms(header[0]) is not None or _number(header[0]) is not None:
        return None
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in header]
    found: dict[str, int] = {}
    for column, aliases in ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases:
                found[column] = i
                break
    return found


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class CandleReader:
    """The candles of ``path``, in order, one at a time (iterate it once). :meth:`chunks`
    gives the raw lines in blocks of about a megabyte (for a reader of its own, such as the
    replay's); :meth:`candle` reads one line in full. After :meth:`open`, ``columns`` says
    where each column is; ``count`` is how many candles iteration has read."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.columns: dict[str, int] = {}
        self.count = 0
        self._handle: Any = None
        self._pending: tuple[int, bytes] | None = None
        self._number = 0

    def fail(self, line: int | None, message: str) -> CandleFileError:
        """The error for ``line`` (``None``: the file as a whole)."""
        return CandleFileError(self.path, message, None if line is None else f"line {line}")

    def open(self) -> None:
        """Open the file and read its header (or its first line, for a file without one)."""
        try:
            self._handle = open(self.path, "rb")  # noqa: SIM115 - closed when the lines end
        except FileNotFoundError:
            raise self.fail(None, "no such file") from None
        except OSError as exc:
            raise self.fail(None, f"cannot be read: {exc.strerror}") from None
        try:
            self._header()
        except BaseException:
            self._handle.close()
            raise

    def _header(self) -> None:
        first = b""
        while not first.strip():
            first = self._handle.readline(MAX_LINE + 1)
            if not first:
                raise self.fail(None, "no candles (the file is empty)")
            self._number += 1
            if len(first) > MAX_LINE:
                raise self.fail(self._number, f"longer than {MAX_LINE} characters")
        first = first.removeprefix(b"\xef\xbb\xbf")
        text = self._text(self._number, first)
        header = _columns(text.split(","))
        if header is None:
            self.columns = dict(HEADERLESS)
            self._pending = (self._number, first)
            return
        missing = [c for c in ("time", "open", "high", "low", "close") if c not in header]
        if missing:
            raise self.fail(self._number, f"the header has no {', '.join(missing)} column (time,open,high,low,close)")
        self.columns = header

    def _text(self, number: int, raw: bytes) -> str:
        try:
            return raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise self.fail(number, "not valid UTF-8") from None

    def chunks(self) -> Iterator[tuple[int, list[bytes]]]:
        """Blocks of raw lines (without their newline), each with the line number of its
        first line; a line longer than :data:`MAX_LINE` stops the reading before it is held."""
        if self._handle is None:
            self.open()
        handle, number = self._handle, self._number
        with handle:
            if self._pending is not None:
                yield self._pending[0], [self._pending[1].rstrip(b"\r\n")]
            rest = b""
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                # A line is never held longer than a block and this: lines within a block are
                # measured when read in full (:meth:`candle`).
                if len(rest) > MAX_LINE:
                    raise self.fail(number + len(lines) + 1, f"longer than {MAX_LINE} characters")
                yield number + 1, lines
                number += len(lines)
            if rest:
                yield number + 1, [rest]

    def candle(self, number: int, raw: bytes) -> Candle | None:
        """Line ``number`` read in full and checked (all but the order of times); ``None`` for
        a blank line."""
        if len(raw) > MAX_LINE:
            raise self.fail(number, f"longer than {MAX_LINE} characters")
        text = self._text(number, raw)
        if not text.strip():
            return None
        columns = self.columns
        cells = text.split(",")
        width = max(columns.values()) + 1
        if len(cells) < width:
            raise self.fail(number, f"{len(cells)} columns where {width} are needed")
        t_at = columns["time"]
        moment = time_ms(cells[t_at])
        if moment is None:
            raise self.fail(number, f"{cells[t_at].strip()!r} is not a time (ISO 8601 or Unix seconds or ms)")
        o, h, lo, c = (self._price(number, cells[columns[name]], name) for name in ("open", "high", "low", "close"))
        if lo > h:
            raise self.fail(number, f"the low {lo} is above the high {h}")
        if not (lo <= o <= h and lo <= c <= h):
            raise self.fail(number, "the open or the close lies outside the low and the high")
        m_at, f_at = columns.get("mark"), columns.get("funding")
        mark = None if m_at is None else self._price(number, cells[m_at], "mark")
        funding = None if f_at is None else self._funding(number, cells[f_at])
        return Candle(number, moment, o, h, lo, c, mark, funding)

    def order(self, number: int, moment: int, previous: int | None) -> None:
        """Refuse a time that is not after the one before it."""
        if previous is not None and moment <= previous:
            where = "the same as" if moment == previous else "before"
            raise self.fail(number, f"the time {iso(moment)} is {where} the line before's")

    def __iter__(self) -> Iterator[Candle]:
        previous = None
        for start, lines in self.chunks():
            for offset, raw in enumerate(lines):
                found = self.candle(start + offset, raw)
                if found is None:
                    continue
                self.order(found.line, found.time_ms, previous)
                previous = found.time_ms
                self.count += 1
                yield found

    def _price(self, line: int, text: str, name: str) -> Decimal:
        value = _number(text)
        if value is None or not Decimal(0) < value <= MAX_PRICE:
            raise self.fail(line, f"the {name} {text.strip()!r} is not a price above 0 and at most 10^12")
        return value

    def _funding(self, line: int, text: str) -> Decimal | None:
        if not text.strip():
            return None
        value = _number(text)
        if value is None or abs(value) > MAX_FUNDING:
            raise self.fail(line, f"the funding {text.strip()!r} is not a rate between -1 and 1")
        return value


def interval_of(differences: Counter[int]) -> int:
    """The candles' interval in milliseconds: the most common gap between consecutive
    candles (the smallest of equally common ones), so a missing candle does not change it."""
    best = max(differences.values())
    return min(gap for gap, seen in differences.items() if seen == best)


def closes_of(reader: CandleReader, gaps: Counter[int]) -> Iterator[Decimal]:
    """The closes of ``reader``'s candles, counting the gaps between their times in ``gaps``
    (at most 1,000 distinct gaps are kept: an irregular file still reads in constant memory)."""
    previous = None
    for candle in reader:
        if previous is not None:
            gap = candle.time_ms - previous
            if gap in gaps or len(gaps) < 1000:
                gaps[gap] += 1
        previous = candle.time_ms
        yield candle.close
