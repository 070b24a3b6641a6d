"""Stress tests: price shocks applied to a position (DOMAIN.md §2, §5).

A shock moves the price from a reference ``P0`` (the mark, or the entry) by a fraction
``m``: ``P' = P0·(1 + m)``. At ``P'`` the position has ``PnL(P')``, equity
``C + PnL(P')`` and effective leverage ``V(P')/equity``.

**Liquidated** means the shocked price is at or beyond the liquidation price: ``P' ≤ LP``
for a long, ``P' ≥ LP`` for a short. *At* counts: equity has fallen to the maintenance
margin there, and the venues liquidate when the mark price reaches the liquidation price.
The comparison is exact; the command line passes the liquidation price without the
50-digit context's last-digit noise, so that an exact boundary (``E/2``) tests as one.

**Margin to add** solves the liquidation equation of :mod:`.liquidation`,
``P = (s + b)·Q / (C + (s − a)·Q/E − k)``, for the collateral ``C*`` whose liquidation
price is exactly ``P'``:

- entry family (``a = m`` plus the fee when it is added to the rate, ``b = 0``,
  ``k = c − d`` with ``d`` the deduction in coin, a USD deduction counted at ``E``):
  ``C* = s·Q/P' − (s − a)·Q/E − d``. Where the fee to close is charged at the bankruptcy
  price, ``c = f·Q/BP = f·(C + s·Q/E)/(s + f)`` grows with ``C`` too, and
  ``C* = (s + f)/s · (s·Q/P' − (s − a)·Q/E − d) + f·Q/E`` (while the bankruptcy price exists);
- mark family (``a = 0``, ``b = m + f − D/Q``, ``k = −d``):
  ``C* = (s + b)·Q/P' − s·Q/E − d``.

Adding exactly ``C* − C`` puts the liquidation price *at* ``P'``, which still liquidates.
So the margin to add (DOMAIN.md §11) solves for the liquidation price one price step ``t``
beyond the shock on the safe side, ``P' − s·t``: after it the shocked price is strictly
on the safe side of the new liquidation price, by at least one step. A position whose
liquidation price is already that far needs 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .margin import Basis, MaintenanceSpec, collateral_for_liquidation, is_liquidated
from .numbers import ONE, ZERO, exact, settle
from .position import Position
from .tiers import TierTable

#: Why no margin helps: the liquidation price does not move to the shocked price.
NO_AMOUNT_HELPS = "no amount of collateral moves the liquidation price beyond this price"
#: The same of an account's balance (cross positions, inverse or linear).
NO_BALANCE_HELPS = "no amount of balance puts the liquidation price a price step beyond this price"


@dataclass(frozen=True)
class Shock:
    """A move of the price by the fraction ``move`` (``-0.3`` is a 30% fall); ``name`` is a
    scenario's name, or ``None`` for a plain move."""

    name: str | None
    move: Decimal


@exact
def shocked_price(reference_price_usd: Decimal, move: Decimal) -> Decimal:
    """``P0·(1 + m)``."""
    return reference_price_usd * (ONE + move)


@exact
def maintenance_at(
    position: Position, base: MaintenanceSpec, table: TierTable | None, price_usd: Decimal
) -> MaintenanceSpec:
    """The maintenance rule that applies when the liquidation price is ``price_usd``: the
    tier of the notional at entry (entry family) or at that price (mark family)."""
    if table is None:
        return base
    at = position.entry_price_usd if base.basis is Basis.ENTRY else price_usd
    return table.spec(table.index_for(table.notional(position, at)), base)


@exact
def collateral_for_liquidation_price(position: Position, spec: MaintenanceSpec, price_usd: Decimal) -> Decimal | None:
    """The collateral ``C*`` whose liquidation price under ``spec`` is exactly ``price_usd``
    (formulas in the module docstring; solved by :func:`.margin.collateral_for_liquidation`);
    ``None`` where no collateral gives that price.

    ``C*`` may be zero or negative: then any collateral keeps the liquidation price beyond it.
    """
    answer = collateral_for_liquidation(position, spec, price_usd)
    return None if answer is None else answer.collateral_coin


@dataclass(frozen=True)
class StressRow:
    """One shock: the price after it, the position there, and what it takes to survive it.

    ``liquidated`` and ``margin_to_add_coin`` are ``None`` (with ``reason``) where the
    venue has no liquidation price to test against, or where no margin helps.
    """

    name: str | None
    move: Decimal
    price_usd: Decimal
    pnl_coin: Decimal
    equity_coin: Decimal
    equity_usd: Decimal
    effective_leverage: Decimal | None
    liquidated: bool | None
    margin_to_add_coin: Decimal | None
    reason: str | None


@exact
def stress(
    position: Position,
    collateral_coin: Decimal,
    reference_price_usd: Decimal,
    liquidation_price_usd: Decimal | None,
    shocks: Iterable[Shock],
    *,
    base: MaintenanceSpec,
    table: TierTable | None = None,
    unassessed_reason: str | None = None,
    price_step_usd: Decimal = ZERO,
) -> tuple[StressRow, ...]:
    """Each shock applied to ``position`` backed by ``collateral_coin``.

    ``P' = P0·(1 + m)``; ``PnL(P')``, ``equity = C + PnL``, ``V(P')/equity`` (``None`` when
    equity ≤ 0); liquidated when ``s·(P' − LP) ≤ 0``; margin to add ``max(0, C* − C)`` with
    ``C*`` from :func:`collateral_for_liquidation_price` for the price ``P' − s·t`` one
    ``price_step_usd`` beyond the shock, under the rule that applies there
    (:func:`maintenance_at`).
    ``unassessed_reason`` (a venue without a liquidation price) leaves both ``None``.
    """
    rows = []
    for shock in shocks:
        price = shocked_price(reference_price_usd, shock.move)
        gain = position.pnl_coin(price)
        equity = settle(collateral_coin + gain, collateral_coin, gain)
        liquidated: bool | None = None
        margin: Decimal | None = None
        reason = unassessed_reason
        if unassessed_reason is None:
            liquidated = is_liquidated(position.side, price, liquidation_price_usd)
            margin = ZERO
            safe = price - position.side.sign * price_step_usd
            near = liquidation_price_usd is not None and is_liquidated(position.side, safe, liquidation_price_usd)
            if liquidated or near:
                needed = None
                if safe > ZERO:
                    spec = maintenance_at(position, base, table, safe)
                    needed = collateral_for_liquidation_price(position, spec, safe)
                margin = None if needed is None else max(needed - collateral_coin, ZERO)
                reason = NO_AMOUNT_HELPS if needed is None else None
        rows.append(
            StressRow(
                name=shock.name,
                move=shock.move,
                price_usd=price,
                pnl_coin=gain,
                equity_coin=equity,
                equity_usd=equity * price,
                effective_leverage=position.effective_leverage(collateral_coin, price),
                liquidated=liquidated,
                margin_to_add_coin=margin,
                reason=reason,
            )
        )
    return tuple(rows)
