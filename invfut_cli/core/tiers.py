"""Maintenance tiers (risk limits): the rate grows with the position (DOMAIN.md §5).

A tier table maps the position's notional to a maintenance rate ``m``, a deduction ``d``
and a maximum leverage. The notional is measured in the table's unit: coin at a price
(``Q/P``), USD (``Q``), or contracts (``n``). Deductions make the tiers tax brackets:
``d_k = d_{k−1} + floor_k·(m_k − m_{k−1})``.

For the mark family the tier is the one of the notional at the liquidation price: start
from the tier at entry, solve, and move to the tier of the notional found until it is
stable (Binance documents this).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from decimal import Decimal

from .margin import Basis, LiquidationResult, MaintenanceSpec, PriceAnswer, liquidation
from .numbers import ZERO, exact
from .position import MarginMode, Position


class Unit(enum.Enum):
    """What a tier bound or a deduction is measured in."""

    COIN = "coin"
    USD = "usd"
    CONTRACTS = "contracts"


@dataclass(frozen=True)
class Tier:
    """One tier: up to ``up_to`` (``None`` = no bound), rate ``mmr``, deduction, max leverage."""

    up_to: Decimal | None
    mmr: Decimal
    max_leverage: Decimal
    deduction: Decimal = ZERO


@dataclass(frozen=True)
class TierTable:
    """Tiers in increasing order of ``up_to``; bounds in ``unit``, deductions in ``deduction_unit``."""

    tiers: tuple[Tier, ...]
    unit: Unit = Unit.COIN
    deduction_unit: Unit = Unit.COIN

    @exact
    def notional(self, position: Position, price_usd: Decimal) -> Decimal:
        """The position's notional in the table's unit at ``price_usd``."""
        if self.unit is Unit.COIN:
            return position.size_usd / price_usd
        if self.unit is Unit.USD:
            return position.size_usd
        return position.contracts

    def index_for(self, notional: Decimal) -> int:
        """Index of the first tier whose bound is not below ``notional`` (the last if none is)."""
        for index, tier in enumerate(self.tiers):
            if tier.up_to is None or notional <= tier.up_to:
                return index
        return len(self.tiers) - 1

    def spec(self, index: int, base: MaintenanceSpec) -> MaintenanceSpec:
        """``base`` with tier ``index``'s rate and deduction."""
        tier = self.tiers[index]
        if self.deduction_unit is Unit.USD:
            return replace(base, rate=tier.mmr, deduction_usd=tier.deduction, deduction_coin=ZERO)
        return replace(base, rate=tier.mmr, deduction_coin=tier.deduction, deduction_usd=ZERO)


@dataclass(frozen=True)
class TieredLiquidation:
    """A liquidation result with the tier it was computed in, and how many solves it took."""

    result: LiquidationResult
    tier_index: int
    iterations: int


@exact
def tiered_liquidation(
    position: Position,
    collateral_coin: Decimal,
    table: TierTable,
    base: MaintenanceSpec,
    *,
    margin_mode: MarginMode = MarginMode.ISOLATED,
    leverage: Decimal | None = None,
) -> TieredLiquidation:
    """Liquidation with the tier chosen from the notional at the right price.

    Entry family: the tier of the notional at entry. Mark family: start there, solve, and
    take the tier of the notional at the liquidation price until it repeats; if the tiers
    cycle, the highest tier visited is used (the more cautious answer).
    """
    index = table.index_for(table.notional(position, position.entry_price_usd))
    seen: list[int] = []
    while True:
        result = liquidation(
            position, collateral_coin, table.spec(index, base), margin_mode=margin_mode, leverage=leverage
        )
        seen.append(index)
        price = result.liquidation.price_usd
        if base.basis is Basis.ENTRY or price is None:
            return TieredLiquidation(result, index, len(seen))
        following = table.index_for(table.notional(position, price))
        if following == index:
            return TieredLiquidation(result, index, len(seen))
        if following in seen:
            highest = max(seen + [following])
            final = liquidation(
                position, collateral_coin, table.spec(highest, base), margin_mode=margin_mode, leverage=leverage
            )
            return TieredLiquidation(final, highest, len(seen) + 1)
        index = following


def bracket_deductions(bounds_and_rates: list[tuple[Decimal | None, Decimal]]) -> list[Decimal]:
    """Deductions of a bracket schedule: ``d_k = d_{k−1} + floor_k·(m_k − m_{k−1})``,
    with ``floor_k`` the previous tier's bound."""
    deductions = [ZERO]
    for (floor, _), (_, rate), (_, previous_rate) in zip(
        bounds_and_rates[:-1], bounds_and_rates[1:], bounds_and_rates[:-1], strict=True
    ):
        assert floor is not None
        deductions.append(deductions[-1] + floor * (rate - previous_rate))
    return deductions


@dataclass(frozen=True)
class SizeMargins:
    """Initial and maintenance margin (coin) from size-dependent rates."""

    size_coin: Decimal
    initial_rate: Decimal
    maintenance_rate: Decimal
    initial_margin_coin: Decimal
    maintenance_margin_coin: Decimal


@exact
def size_dependent_margins(
    position: Position,
    price_usd: Decimal,
    *,
    initial_base: Decimal,
    maintenance_base: Decimal,
    slope_per_coin: Decimal,
) -> SizeMargins:
    """Rates that grow with the size ``S = Q/P`` in coin (Deribit): ``IM = (a + b·S)·S``,
    ``MM = (c + b·S)·S``."""
    size = position.size_usd / price_usd
    im_rate = initial_base + slope_per_coin * size
    mm_rate = maintenance_base + slope_per_coin * size
    return SizeMargins(size, im_rate, mm_rate, im_rate * size, mm_rate * size)


@dataclass(frozen=True)
class SizeDependentLiquidation:
    """An estimated liquidation price under size-dependent maintenance rates, with the
    signed distance from entry ``100·(P − E)/E``; ``None`` and the reason where there is none."""

    price: PriceAnswer
    distance_pct: Decimal | None


@exact
def size_dependent_liquidation(
    position: Position,
    collateral_coin: Decimal,
    *,
    maintenance_base: Decimal,
    slope_per_coin: Decimal,
) -> SizeDependentLiquidation:
    """The price where an account holding only ``position`` meets a maintenance margin whose
    rate grows with the size in coin at that price (Deribit):
    ``M + s·Q·(1/E − 1/P) = (c + b·Q/P)·Q/P``.

    With ``x = 1/P`` this is the quadratic ``b·Q²·x² + (c + s)·Q·x − K = 0``, ``K = M + s·Q/E``.
    Its root on the losing side (a long's as the price falls, a short's as it rises), written
    so that nothing cancels: ``P = ((1 + s·c)·Q + √Δ) / (2·s·K)``, ``Δ = (c + s)²·Q² + 4·b·Q²·K``
    (with ``b = 0`` it is the mark family's ``(s + c)·Q/K``). There is none where ``s·K ≤ 0``
    (a short whose collateral covers it) or ``Δ < 0`` (the maintenance margin exceeds the
    equity at every price). The square root is taken in the core's 50-digit context.
    """
    s = position.side.sign
    size = position.size_usd
    c, b = maintenance_base, slope_per_coin
    k = collateral_coin + s * size / position.entry_price_usd
    if s * k <= ZERO:
        reason = "equity stays above the maintenance margin as the price rises: the collateral covers the short"
        return SizeDependentLiquidation(PriceAnswer(None, reason), None)
    discriminant = (c + s) ** 2 * size * size + 4 * b * size * size * k
    if discriminant < ZERO:
        reason = "the maintenance margin exceeds the equity at every price"
        return SizeDependentLiquidation(PriceAnswer(None, reason), None)
    price = ((1 + s * c) * size + discriminant.sqrt()) / (2 * s * k)
    entry = position.entry_price_usd
    return SizeDependentLiquidation(PriceAnswer(price), 100 * (price - entry) / entry)
