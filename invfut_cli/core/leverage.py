"""Sizing by leverage, and how effective leverage drifts with the price (DOMAIN.md §2).

``L = Q / (E·M)`` ties contracts, margin and leverage together; give two, get the third.
Effective leverage at ``P`` is ``V(P) / equity(P)``: the collateral is the coin itself,
so it moves even when nothing is traded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .errors import DomainError
from .numbers import ONE, ZERO, exact
from .position import Position


@dataclass(frozen=True)
class Sizing:
    """Contracts, margin (coin) and leverage that belong together at the entry price, with
    ``Q = n·S``, ``IM = Q/(E·L)`` and the effective leverage ``Q/(E·M)`` at entry."""

    contracts: Decimal
    margin_coin: Decimal
    leverage: Decimal
    solved: str
    size_usd: Decimal
    initial_margin_coin: Decimal
    effective_leverage: Decimal


@exact
def solve_sizing(
    entry_price_usd: Decimal,
    contract_size_usd: Decimal,
    *,
    contracts: Decimal | None = None,
    margin_coin: Decimal | None = None,
    leverage: Decimal | None = None,
    lot: Decimal = ONE,
) -> Sizing:
    """Solve ``n·S = E·M·L`` for whichever of ``n``, ``M``, ``L`` is missing.

    Contracts come out in whole lots, rounded down (``lot·floor(E·M·L/(S·lot))``), so the
    margin is never short; leverage is ``n·S/(E·M)`` and margin ``n·S/(E·L)``.
    """
    given = [
        name
        for name, value in (("contracts", contracts), ("margin", margin_coin), ("leverage", leverage))
        if value is not None
    ]
    if len(given) != 2:
        raise DomainError(
            "give exactly two of --contracts, --margin/--balance and --leverage "
            f"(got {len(given)}: {', '.join('--' + g for g in given) or 'none'})",
            option="leverage",
        )
    if contracts is None:
        assert margin_coin is not None and leverage is not None
        lots = (entry_price_usd * margin_coin * leverage / (contract_size_usd * lot)).to_integral_value(
            rounding=ROUND_FLOOR
        )
        whole = lots * lot
        if whole < lot:
            raise DomainError(
                f"this margin and leverage do not buy one lot of {lot} contract(s) "
                f"(that needs {lot * contract_size_usd / (entry_price_usd * leverage)} coin)",
                option="margin",
            )
        return _sizing(whole, margin_coin, leverage, "contracts", entry_price_usd, contract_size_usd)
    size = contracts * contract_size_usd
    if margin_coin is None:
        assert leverage is not None
        margin = size / (entry_price_usd * leverage)
        return _sizing(contracts, margin, leverage, "margin", entry_price_usd, contract_size_usd)
    leverage = size / (entry_price_usd * margin_coin)
    return _sizing(contracts, margin_coin, leverage, "leverage", entry_price_usd, contract_size_usd)


def _sizing(
    contracts: Decimal, margin: Decimal, leverage: Decimal, solved: str, entry: Decimal, contract_size: Decimal
) -> Sizing:
    size = contracts * contract_size
    return Sizing(contracts, margin, leverage, solved, size, size / (entry * leverage), size / (entry * margin))


@dataclass(frozen=True)
class DriftRow:
    """Effective leverage and equity at one price; ``None`` leverage where equity ≤ 0."""

    price_usd: Decimal
    equity_coin: Decimal
    effective_leverage: Decimal | None


@exact
def leverage_drift(position: Position, collateral_coin: Decimal, prices: Iterable[Decimal]) -> Iterator[DriftRow]:
    """For each price ``P``: ``equity = C + PnL(P)`` and ``V(P)/equity`` (``None`` when bankrupt)."""
    for price in prices:
        equity = position.equity_coin(collateral_coin, price)
        lev = position.value_coin(price) / equity if equity > ZERO else None
        yield DriftRow(price, equity, lev)
