"""A linear or quanto account under price shocks (DOMAIN.md §8, §11, §15): each shock moves
the reference price ``P0`` to ``P' = P0·(1 + m)`` for every position at once; the account is
valued there (:func:`.linear_book.linear_account`) and the balance to add is solved on the
cross equation, which is linear in the balance (:func:`.linear_book.balance_for_liquidation_at`).
Amounts (``_ccy``) are in the account's margin currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .linear_book import LinearBook, balance_for_liquidation_at, linear_account
from .margin import MaintenanceSpec
from .numbers import ZERO, exact
from .position import Side
from .stress import NO_BALANCE_HELPS, Shock, shocked_price


@dataclass(frozen=True)
class LinearShock:
    """One shock applied to every position at once: the cross part after it, the balance
    to add so that the shocked price is a price step on the safe side of the liquidation
    price, and the isolated positions (by index) the shock takes to or beyond theirs."""

    name: str | None
    move: Decimal
    price: Decimal
    equity_ccy: Decimal
    maintenance_margin_ccy: Decimal
    effective_leverage: Decimal | None
    liquidated: bool | None
    margin_to_add_ccy: Decimal | None
    reason: str | None
    total_equity_ccy: Decimal
    isolated_liquidated: tuple[int, ...]


@exact
def stress_linear_account(
    book: LinearBook, spec: MaintenanceSpec, reference_price: Decimal, shocks: Iterable[Shock], step: Decimal
) -> tuple[LinearShock, ...]:
    """Each shock ``P' = P0·(1 + m)`` applied to the whole account (:func:`linear_account`
    at ``P'``). Margin to add: ``max(0, B* − B)`` with ``B*`` from
    :func:`balance_for_liquidation_at` at ``P' − step`` (liquidated at or below, ``X > 0``) or
    ``P' + step`` (at or above), so the shocked price is a step on the safe side."""
    rows = []
    for shock in shocks:
        price = shocked_price(reference_price, shock.move)
        result = linear_account(book, price, spec)
        margin: Decimal | None = ZERO
        reason = None
        if result.cross_count:
            side = result.side or Side.LONG
            needed = balance_for_liquidation_at(book, spec, price - side.sign * step)
            if needed is None:
                margin = None if result.liquidated else ZERO
                reason = NO_BALANCE_HELPS if result.liquidated else None
            else:
                margin = max(needed - book.balance_ccy, ZERO)
        rows.append(
            LinearShock(
                name=shock.name,
                move=shock.move,
                price=price,
                equity_ccy=result.equity_ccy,
                maintenance_margin_ccy=result.maintenance_margin_ccy,
                effective_leverage=result.effective_leverage,
                liquidated=result.liquidated,
                margin_to_add_ccy=margin,
                reason=reason,
                total_equity_ccy=result.total_equity_ccy,
                isolated_liquidated=tuple(line.index for line in result.lines if line.liquidated),
            )
        )
    return tuple(rows)
