"""Price grids and the PnL ladder: one row per price, showing the non-linearity.

``step_pnl`` is the change in coin PnL from the previous row: for a long, equal price
steps up give smaller and smaller coin gains (DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from .numbers import HUNDRED, ONE, ZERO, exact, settle
from .position import Position


@exact
def grid_by_step(start: Decimal, stop: Decimal, step: Decimal) -> Iterator[Decimal]:
    """``start, start + step, …`` up to and including ``stop`` when it falls on the grid."""
    count = int((stop - start) / step)
    for k in range(count + 1):
        yield start + k * step


@exact
def grid_by_count(start: Decimal, stop: Decimal, intervals: int) -> Iterator[Decimal]:
    """``intervals + 1`` evenly spaced prices from ``start`` to ``stop``, both included."""
    width = stop - start
    for k in range(intervals + 1):
        yield start + width * k / intervals


@exact
def grid_around(entry: Decimal, pct: Decimal, pct_step: Decimal) -> Iterator[Decimal]:
    """``E·(1 + k·pct_step/100)`` for ``k`` from ``−pct/pct_step`` to ``+pct/pct_step``.

    Prices at or below zero are left out.
    """
    reach = int(pct / pct_step)
    for k in range(-reach, reach + 1):
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
    inverse_entry = ONE / entry
    usd_per_dollar = signed / entry
    previous: Decimal | None = None
    for price in prices:
        value = size / price
        gain = signed * inverse_entry - sign * value
        if collateral_coin is None:
            roe = equity = equity_usd = lev = None
        else:
            equity = settle(collateral_coin + gain, collateral_coin, gain)
            roe = HUNDRED * gain / collateral_coin
            equity_usd = equity * price
            lev = value / equity if equity > ZERO else None
        yield LadderRow(
            price_usd=price,
            pnl_coin=gain,
            step_pnl_coin=None if previous is None else gain - previous,
            pnl_usd=usd_per_dollar * (price - entry),
            roe_pct=roe,
            equity_coin=equity,
            equity_usd=equity_usd,
            effective_leverage=lev,
        )
        previous = gain
