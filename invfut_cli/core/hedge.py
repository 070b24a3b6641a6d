"""The dollar hedge: shorting inverse contracts against coin held (DOMAIN.md §2, §4).

A holder of ``H`` coin who shorts ``Q`` USD of contracts at the price ``P`` holds, at a
later price ``X``, ``H + Q·(1/X − 1/P)`` coin (the short's PnL is paid in coin), worth::

    (H + Q·(1/X − 1/P))·X = Q + (H − Q/P)·X

in USD. With ``Q = H·P`` the second term vanishes: the value is ``H·P`` at every price
(before fees and funding). ``H − Q/P`` is the coin left unhedged.

Funding per interval is ``rate·Q/mark``; a positive rate means longs pay shorts, so the
short hedge *receives* ``rate·Q/P`` coin per interval at the mark ``P``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .errors import DomainError
from .fees import funding_paid_coin
from .numbers import HUNDRED, ONE, SATOSHI, exact, quantize
from .position import Position, Side

#: Hours in a day and days in a year, for funding per day and per year.
HOURS_PER_DAY = Decimal(24)
DAYS_PER_YEAR = Decimal(365)


@dataclass(frozen=True)
class Hedge:
    """The short that hedges ``ratio`` of a holding, in whole lots."""

    holding_coin: Decimal
    price_usd: Decimal
    target_ratio: Decimal
    contracts: Decimal
    contract_size_usd: Decimal
    lot: Decimal
    size_usd: Decimal
    target_size_usd: Decimal
    holding_usd: Decimal
    ratio: Decimal
    unhedged_coin: Decimal

    @property
    def position(self) -> Position:
        """The short position that makes the hedge."""
        return Position(Side.SHORT, self.contracts, self.contract_size_usd, self.price_usd)


@exact
def hedge_size(
    holding_coin: Decimal,
    price_usd: Decimal,
    contract_size_usd: Decimal,
    *,
    ratio: Decimal = ONE,
    lot: Decimal = ONE,
) -> Hedge:
    """The short for a dollar hedge of ``ratio`` of ``H`` coin at ``P``.

    Target ``Q = r·H·P``; contracts ``n = lot·floor(Q/(S·lot))`` (rounded down, so the
    hedge never exceeds the holding); actual ratio ``n·S/(H·P)``; unhedged ``H − n·S/P``.
    Raises :class:`DomainError` on ``holding`` when the target is below one lot.
    """
    target = ratio * holding_coin * price_usd
    contracts = (target / (contract_size_usd * lot)).to_integral_value(rounding=ROUND_FLOOR) * lot
    if contracts < lot:
        raise DomainError(
            f"hedging {(ratio * HUNDRED).normalize():f}% of {holding_coin:f} coin at {price_usd:f} is {target.normalize():f} USD, less than one lot "
            f"of {lot:f} contract(s) of {contract_size_usd:f} USD (that needs "
            f"{quantize(lot * contract_size_usd / (ratio * price_usd), SATOSHI, ROUND_CEILING):f} coin)",
            option="holding",
        )
    size = contracts * contract_size_usd
    holding_usd = holding_coin * price_usd
    return Hedge(
        holding_coin=holding_coin,
        price_usd=price_usd,
        target_ratio=ratio,
        contracts=contracts,
        contract_size_usd=contract_size_usd,
        lot=lot,
        size_usd=size,
        target_size_usd=target,
        holding_usd=holding_usd,
        ratio=size / holding_usd,
        unhedged_coin=holding_coin - size / price_usd,
    )


@dataclass(frozen=True)
class HedgeRow:
    """The holder's coin and USD value at one price, with and without the hedge."""

    price_usd: Decimal
    short_pnl_coin: Decimal
    hedged_coin: Decimal
    hedged_usd: Decimal
    unhedged_usd: Decimal


@exact
def hedge_ladder(
    holding_coin: Decimal, size_usd: Decimal, entry_price_usd: Decimal, prices: Iterable[Decimal]
) -> Iterator[HedgeRow]:
    """For each price ``X``: the short's PnL ``Q·(1/X − 1/P)``, the coin held ``H + PnL``, its
    USD value ``Q + (H − Q/P)·X`` (the same as ``(H + PnL)·X``, written so that a full hedge
    comes out flat to the last digit), and the unhedged value ``H·X``."""
    unhedged = holding_coin - size_usd / entry_price_usd
    for price in prices:
        gain = size_usd * (ONE / price - ONE / entry_price_usd)
        yield HedgeRow(
            price_usd=price,
            short_pnl_coin=gain,
            hedged_coin=holding_coin + gain,
            hedged_usd=size_usd + unhedged * price,
            unhedged_usd=holding_coin * price,
        )


@dataclass(frozen=True)
class Funding:
    """Funding the short hedge receives (negative: pays), at the mark ``mark_usd``."""

    rate: Decimal
    interval_hours: Decimal
    per_interval_coin: Decimal
    per_day_coin: Decimal
    per_day_usd: Decimal
    per_year_pct: Decimal


@exact
def hedge_funding(hedge: Hedge, rate: Decimal, interval_hours: Decimal) -> Funding:
    """Funding received by the short: ``rate·Q/P`` per interval (a positive rate: longs pay
    shorts), ``24/h`` intervals a day, and ``100·rate·(24/h)·365`` percent of ``Q`` a year."""
    periods = HOURS_PER_DAY / interval_hours
    position = hedge.position
    per_interval = -funding_paid_coin(position, rate, ONE, hedge.price_usd)
    per_day = -funding_paid_coin(position, rate, periods, hedge.price_usd)
    return Funding(
        rate=rate,
        interval_hours=interval_hours,
        per_interval_coin=per_interval,
        per_day_coin=per_day,
        per_day_usd=per_day * hedge.price_usd,
        per_year_pct=HUNDRED * rate * periods * DAYS_PER_YEAR,
    )
