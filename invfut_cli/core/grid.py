"""Price grids and the PnL ladder: one row per price, showing the non-linearity.

``step_pnl`` is the change in coin PnL from the previous row: for a long, equal price
steps up give smaller and smaller coin gains (DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from .numbers import CORE_CONTEXT, HUNDRED, ONE, ZERO, exact, settle
from .position import Position


def steps_by_step(start: Decimal, stop: Decimal, step: Decimal) -> range:
    """The indices ``k`` of :func:`grid_by_step`'s prices: ``0 … ⌈(stop − start)/step⌉``."""
    whole = CORE_CONTEXT.divide_int(stop - start, step)
    ends_on_grid = start + whole * step == stop
    return range(int(whole) + (1 if ends_on_grid else 2))


@exact
def grid_by_step(start: Decimal, stop: Decimal, step: Decimal, points: range | None = None) -> Iterator[Decimal]:
    """``min(start + k·step, stop)``: every ``step`` from ``start``, and ``stop`` last, so the
    grid includes both ends; the last step is shorter when ``stop − start`` is not a whole
    number of steps (``points``: only these ``k``, a window of :func:`steps_by_step`)."""
    for k in steps_by_step(start, stop, step) if points is None else points:
        price = start + k * step
        yield price if price < stop else stop


@exact
def last_step(start: Decimal, stop: Decimal, step: Decimal) -> Decimal | None:
    """The shorter last step of :func:`grid_by_step`, ``(stop − start) − ⌊(stop − start)/step⌋·step``;
    ``None`` when ``stop`` falls on the grid (every step is ``step``)."""
    rest = (stop - start) - CORE_CONTEXT.divide_int(stop - start, step) * step
    return rest if rest > ZERO else None


@exact
def grid_by_count(start: Decimal, stop: Decimal, intervals: int, points: range | None = None) -> Iterator[Decimal]:
    """``start + (stop − start)·k/intervals`` for ``k = 0 … intervals``: evenly spaced,
    both ends included (``points``: only these ``k``)."""
    width = stop - start
    for k in range(intervals + 1) if points is None else points:
        yield start + width * k / intervals


def steps_around(pct: Decimal, pct_step: Decimal) -> range:
    """The indices ``k`` of :func:`grid_around`'s prices: ``−⌊pct/pct_step⌋ … +⌊pct/pct_step⌋``."""
    reach = int(CORE_CONTEXT.divide(pct, pct_step))
    return range(-reach, reach + 1)


@exact
def grid_around(entry: Decimal, pct: Decimal, pct_step: Decimal, points: range | None = None) -> Iterator[Decimal]:
    """``E·(1 + k·pct_step/100)`` for ``k`` from ``−pct/pct_step`` to ``+pct/pct_step``
    (``points``: only these ``k``). Prices at or below zero are left out."""
    for k in steps_around(pct, pct_step) if points is None else points:
        price = entry * (ONE + k * pct_step / HUNDRED)
        if price > ZERO:
            yield price


@dataclass(frozen=True)
class LadderRow:
    """One price of the ladder. Margin-dependent fields are ``None`` without a margin."""

    price_usd: Decimal
    pnl_coin: Decimal
    step_pnl_coin: Decimal | None
    pnl_usd: Decimal
    roe_pct: Decimal | None
    equity_coin: Decimal | None
    equity_usd: Decimal | None
    effective_leverage: Decimal | None


@exact
def ladder(
    position: Position, prices: Iterable[Decimal], collateral_coin: Decimal | None = None
) -> Iterator[LadderRow]:
    """Rows of ``PnL(P) = s·Q·(1/E − 1/P)``, its change from the previous row,
    ``PnL·P = s·Q·(P − E)/E``, and with a margin ``M``: ``ROE = PnL/M``,
    ``equity = M + PnL``, ``equity·P`` and ``V(P)/equity = (Q/P)/equity``."""
    sign = position.side.sign
    size = position.size_usd
    signed = sign * size
    entry = position.entry_price_usd
    at_entry = signed * (ONE / entry)  # s·Q/E
    short = sign < ZERO
    usd_per_dollar = signed / entry
    previous: Decimal | None = None
    for price in prices:
        value = size / price
        gain = at_entry + value if short else at_entry - value  # s·Q/E − s·Q/P; s·V is exact
        if collateral_coin is None:
            roe = equity = equity_usd = lev = None
        else:
            equity = settle(collateral_coin + gain, collateral_coin, gain)
            roe = HUNDRED * gain / collateral_coin
            equity_usd = equity * price
            lev = value / equity if equity > ZERO else None
        # Positional (price, pnl, step pnl, USD pnl, ROE, equity, equity USD, leverage): a
        # long ladder makes a row per price, and keywords cost more than the arithmetic.
        yield LadderRow(
            price,
            gain,
            None if previous is None else gain - previous,
            usd_per_dollar * (price - entry),
            roe,
            equity,
            equity_usd,
            lev,
        )
        previous = gain
