"""The replay's walk along the candles (DOMAIN.md §16), in constant memory.

A candle liquidates when its adverse extreme (the low for a long, the high for a short, or
the mark where the file has one) reaches the liquidation price as shown. Funding is paid at
every interval boundary the path crosses, ``s·rate·Q/P`` coin from the collateral at the
boundary candle's open (or mark), so the liquidation price moves.

The hot loop reads each line's time, high, low (and mark) as floats only to screen them: a
float read from the text is correctly rounded and rounding is monotone, so ``float(x) <
float(L)`` implies ``x < L`` and ``float(x) > float(L)`` implies ``x > L``; only on equal
floats is the exact ``Decimal`` compared. The exact arithmetic (equity, safety, the
collateral that survives) is done once per funding interval, on the interval's worst
extreme, and at the end.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from invfut_cli.candles import Candle, CandleReader
from invfut_cli.core.numbers import CORE_CONTEXT, HUNDRED, ZERO

#: The collateral's liquidation price as shown (``None``: no such price).
LiqAt = Callable[[Decimal], Decimal | None]
#: The exact collateral whose liquidation price is the given price (``None``: none does).
NeedAt = Callable[[Decimal], Decimal | None]


@dataclass(frozen=True)
class Terms:
    """What the walk needs: side sign ``s``, size ``Q`` (USD), entry ``E``, starting
    collateral, the price step, the funding rate (per interval, the file's column where it
    has one) and interval (ms), the first time taken (ms), and the two solvers."""

    sign: int
    size_usd: Decimal
    entry: Decimal
    collateral: Decimal
    step: Decimal
    funding_rate: Decimal
    funding_ms: int
    from_ms: int | None
    liq_at: LiqAt
    need_at: NeedAt


@dataclass
class Walk:
    """What the walk found (exact; rounded only in the document)."""

    candles: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    liquidation_start: Decimal | None = None
    liquidated_ms: int | None = None
    liquidated_line: int | None = None
    liquidated_price: Decimal | None = None
    min_equity: Decimal | None = None
    min_equity_ms: int | None = None
    min_safety_pct: Decimal | None = None
    worst_price: Decimal | None = None
    worst_ms: int | None = None
    funding_paid: Decimal = ZERO
    payments: int = 0
    collateral_end: Decimal = ZERO
    need: Decimal | None = None
    price_source: str = "last"


class Replay:
    """One walk of ``reader``'s candles under ``terms``: :meth:`summary` for the answer,
    :meth:`rows` for one record per candle (a second, slower walk of the same file)."""

    def __init__(self, reader: CandleReader, terms: Terms) -> None:
        self.reader = reader
        self.terms = terms
        self.walk = Walk()
        self.collateral = terms.collateral
        self.liq: Decimal | None = None
        self.liq_y = float("-inf")
        #: Funding the whole path pays (a position that survives it), and whether this one is closed.
        self.path_funding = ZERO
        self.done = False

    # --- exact steps, run rarely ---------------------------------------------------------

    def _set_collateral(self, collateral: Decimal) -> None:
        self.collateral = collateral
        self.liq = self.terms.liq_at(collateral) if collateral > ZERO else None
        # The screen: s·x ≤ s·L liquidates. Without a price, never (−inf); with no collateral left, at once.
        if collateral <= ZERO:
            self.liq_y = float("inf")
        else:
            self.liq_y = float("-inf") if self.liq is None else float(self.liq) * self.terms.sign

    def _pay(self, boundaries: int, price: Decimal, rate: Decimal) -> Decimal:
        """Funding for ``boundaries`` crossed at ``price``: ``s·rate·Q/P`` each, from the collateral."""
        t = self.terms
        with decimal.localcontext(CORE_CONTEXT):
            paid = t.sign * rate * boundaries * t.size_usd / price
        self.path_funding += paid
        if not self.done:
            self.walk.funding_paid += paid
            self.walk.payments += boundaries
        self._set_collateral(self.collateral - paid)
        return paid

    def _settle(self, worst: Decimal, worst_ms: int, counted: bool) -> None:
        """An interval's worst extreme: the equity and safety there (while not liquidated),
        the worst of the path, and the collateral that survives it by one step (§10, §16)."""
        t, w = self.terms, self.walk
        s = t.sign
        with decimal.localcontext(CORE_CONTEXT):
            if counted:
                # A liquidated position is closed at the liquidation price: what it held
                # beyond it is not equity it had (DOMAIN.md §11), so its worst is there.
                at = worst if self.liq is None or s * (worst - self.liq) > 0 else self.liq
                equity = self.collateral + s * t.size_usd * (1 / t.entry - 1 / at)
                if w.min_equity is None or equity < w.min_equity:
                    w.min_equity, w.min_equity_ms = equity, worst_ms
                if self.liq is not None:
                    safety = HUNDRED * s * (at - self.liq) / at
                    if w.min_safety_pct is None or safety < w.min_safety_pct:
                        w.min_safety_pct = safety
            if w.worst_price is None or s * (worst - w.worst_price) < 0:
                w.worst_price, w.worst_ms = worst, worst_ms
            # Liquidation one step on the safe side of the extreme, and no nearer than a step from entry.
            target = min(s * (worst - s * t.step), s * (t.entry - s * t.step)) * s
            if target > ZERO:
                need = t.need_at(target)
                if need is not None:
                    need += self.path_funding
                    if w.need is None or need > w.need:
                        w.need = need

    # --- the walk -------------------------------------------------------------------------

    def summary(self) -> Walk:
        """Walk every candle once; the answer.

        The hot loop parses a line's time, high and low (and mark) and checks them: the time
        after the one before and in the file's unit, ``0 < low ≤ high ≤ 10^12``. Any line that
        fails, and the first, funding boundaries' and liquidating ones, are read in full
        (:meth:`CandleReader.candle`), which says what is wrong or takes what the fast
        reading cannot (ISO times, blank lines)."""
        reader, t, w = self.reader, self.terms, self.walk
        cols = reader.columns
        t_at, h_at, l_at = cols["time"], cols["high"], cols["low"]
        m_at, f_at = cols.get("mark"), cols.get("funding")
        s = t.sign
        long = s > 0
        marked = m_at is not None
        x_at = m_at if m_at is not None else (l_at if long else h_at)
        w.price_source = "mark" if marked else "last"
        self._set_collateral(t.collateral)
        w.liquidation_start = self.liq
        liq_y = self.liq_y
        previous: int | None = None  # time of the last candle taken, ms
        before: int | None = None  # time of the last candle before --from, ms
        scale = 0  # ms per unit of the file's integer times (0: not known yet)
        limit = 0  # integer times stay below this (the unit told apart by size)
        worst_y = float("inf")
        worst_cell = b""
        worst_ms = 0
        never = 1 << 62
        next_boundary = never
        interval = t.funding_ms
        paying = interval > 0 and (t.funding_rate != ZERO or f_at is not None)
        from_ms = -1 if t.from_ms is None else t.from_ms
        lines_read = 0
        left_out = 0  # blank lines and candles before --from
        y = 0.0
        tm = 0
        for start, lines in reader.chunks():
            lines_read += len(lines)
            for offset, raw in enumerate(lines):
                cells = raw.split(b",")
                try:
                    tm = int(cells[t_at]) * scale
                    hi = float(cells[h_at])
                    lo = float(cells[l_at])
                    fast = previous < tm < limit and 0.0 < lo <= hi <= 1e12  # type: ignore[operator]
                    if marked:
                        y = float(cells[m_at]) * s  # type: ignore[index]
                        fast = fast and 0.0 < y * s <= 1e12
                    else:
                        y = lo if long else -hi
                except (ValueError, IndexError, TypeError):
                    fast = False
                if not fast:
                    # The careful reading: a precise error, an ISO time, a blank line, the first
                    # candle (and every one before --from).
                    candle = reader.candle(start + offset, raw)
                    if candle is None:
                        left_out += 1
                        continue
                    reader.order(candle.line, candle.time_ms, previous if previous is not None else before)
                    tm = candle.time_ms
                    if scale == 0:
                        scale, limit = _unit(cells[t_at])
                    if tm < from_ms:
                        before = tm
                        left_out += 1
                        continue
                    extreme = candle.mark if candle.mark is not None else (candle.low if long else candle.high)
                    y = float(extreme) * s
                    if previous is None:
                        w.first_ms = tm
                        if paying:
                            next_boundary = (tm // interval + 1) * interval
                previous = tm
                if tm >= next_boundary:
                    if worst_cell:
                        self._settle(Decimal(worst_cell.decode()), worst_ms, not self.done)
                        worst_y, worst_cell = float("inf"), b""
                    crossed = (tm - next_boundary) // interval + 1
                    next_boundary += crossed * interval
                    here = reader.candle(start + offset, raw)
                    assert here is not None
                    rate = here.funding if here.funding is not None else t.funding_rate
                    self._pay(crossed, here.mark if here.mark is not None else here.open, rate)
                    if not self.done:
                        liq_y = self.liq_y
                if y < worst_y or (
                    y == worst_y and s * (Decimal(cells[x_at].decode()) - Decimal(worst_cell.decode())) < 0
                ):
                    # Equal floats may be unequal prices: the exact one decides which is worse.
                    worst_y, worst_cell, worst_ms = y, cells[x_at], tm
                if y <= liq_y and self._reaches(cells[x_at]):
                    self.done = True
                    liq_y = float("-inf")
                    w.liquidated_ms, w.liquidated_line = tm, start + offset
                    w.liquidated_price = self.liq
                    w.collateral_end = self.collateral
                    self._settle(Decimal(cells[x_at].decode()), tm, True)
                    worst_y, worst_cell = float("inf"), b""
        count = lines_read - left_out
        if worst_cell:
            self._settle(Decimal(worst_cell.decode()), worst_ms, not self.done)
        if count == 0:
            raise reader.fail(None, "no candles at or after --from" if t.from_ms is not None else "no candles")
        w.candles = count
        w.last_ms = previous
        if not self.done:
            w.collateral_end = self.collateral
        return w

    def _reaches(self, cell: bytes) -> bool:
        """The exact test on a screened candle: ``s·(x − L) ≤ 0`` (or no collateral left)."""
        if self.collateral <= ZERO:
            return True
        if self.liq is None:
            return False
        return self.terms.sign * (Decimal(cell.decode()) - self.liq) <= 0

    def rows(self) -> Iterator[tuple[Candle, Decimal | None, Decimal, Decimal | None, Decimal, Decimal, bool]]:
        """Each candle with the liquidation price shown, the equity at its extreme, the
        safety margin there (percent), the funding paid at it, the collateral after it, and
        whether it liquidates; the rows end with the liquidating candle."""
        t = self.terms
        s = t.sign
        self._set_collateral(t.collateral)
        interval = t.funding_ms
        next_boundary: float = float("inf")
        first = True
        for candle in self.reader:
            if t.from_ms is not None and candle.time_ms < t.from_ms:
                continue
            paid = ZERO
            if first:
                first = False
                if interval > 0:
                    next_boundary = (candle.time_ms // interval + 1) * interval
            if candle.time_ms >= next_boundary:
                crossed = (candle.time_ms - int(next_boundary)) // interval + 1
                next_boundary += crossed * interval
                rate = candle.funding if candle.funding is not None else t.funding_rate
                if rate != ZERO:
                    paid = self._pay(crossed, candle.mark if candle.mark is not None else candle.open, rate)
            extreme = candle.mark if candle.mark is not None else (candle.low if s > 0 else candle.high)
            hit = self.collateral <= ZERO or (self.liq is not None and s * (extreme - self.liq) <= 0)
            # As the summary: a liquidated position is closed at the liquidation price, so its
            # row's equity and safety are there, not at the wick beyond it (DOMAIN.md §11).
            at = self.liq if hit and self.liq is not None else extreme
            with decimal.localcontext(CORE_CONTEXT):
                equity = self.collateral + s * t.size_usd * (1 / t.entry - 1 / at)
                safety = None if self.liq is None else HUNDRED * s * (at - self.liq) / at
            yield candle, self.liq, equity, safety, paid, self.collateral, hit
            if hit:
                self.done = True
                return


def _unit(text: bytes) -> tuple[int, int]:
    """Milliseconds per unit of an integer time, and the bound it stays below (``0, 0``: an
    ISO time, or microseconds, which every line reads carefully)."""
    try:
        number = int(text)
    except ValueError:
        return 0, 0
    if number < 10**11:
        return 1000, 10**11 * 1000
    if number < 10**14:
        return 1, 10**14
    return 0, 0  # microseconds and ISO times take the careful reading every line
